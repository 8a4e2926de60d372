"""ONNX export (skmlp.onnx): the exported graph predicts what the estimator does.

Each fitted model is converted with ``skl2onnx.to_onnx`` and run with
onnxruntime: labels equal ``predict``, probabilities and regression
predictions are within 1e-5 of the estimator's in a float32 graph (float64
graphs much closer), for every built-in activation, per-layer activations,
every target type, float32 and float64 models, dropout, and a Pipeline.
"""

import warnings

import numpy as np

# The test extra installs the deploy extra: a missing package fails here.
import onnxruntime as ort
import pytest
import skl2onnx
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skmlp.onnx as skmlp_onnx
from skmlp import BackpropMLPClassifier, BackpropMLPRegressor
from skmlp.activations import ACTIVATIONS, Activation
from skmlp.layers import Dense, Dropout, Layer

FLOAT32_ATOL = 1e-5
FLOAT64_ATOL = 1e-10

rng = np.random.RandomState(0)
X = rng.normal(size=(80, 4)) * 2.0
Y_BINARY = np.where(X[:, 0] + X[:, 1] ** 2 > 1, "yes", "no")
Y_MULTICLASS = np.array(["cat", "dog", "emu"])[(X[:, :3] ** 2).argmax(axis=1)]
Y_MULTILABEL = (X[:, :3] > 0).astype(int)
Y_INTEGER = (X[:, 0] > 0).astype(int) * 3 + 1  # classes 1 and 4


def fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def classifier(**params):
    params = {"max_iter": 20, "random_state": 0, "learning_rate_init": 0.05, **params}
    if "layers" not in params:
        params.setdefault("hidden_layer_sizes", (6,))
    return BackpropMLPClassifier(**params)


def session(model, dtype=np.float32, **kwargs):
    onx = skl2onnx.to_onnx(model, X[:1].astype(dtype), **kwargs)
    return onx, ort.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )


def run(model, dtype=np.float32, X=X, **kwargs):
    _, sess = session(model, dtype, **kwargs)
    return sess.run(None, {sess.get_inputs()[0].name: X.astype(dtype)})


def check_classifier(clf, dtype=np.float32, X=X, atol=None):
    """Run the exported classifier; return the largest probability difference."""
    labels, proba = run(clf, dtype, X, options={"zipmap": False})
    expected = clf.predict(X)
    assert labels.shape == expected.shape
    np.testing.assert_array_equal(labels, expected)
    if atol is None:
        atol = FLOAT32_ATOL if dtype == np.float32 else FLOAT64_ATOL
    assert proba.dtype == dtype
    np.testing.assert_allclose(proba, clf.predict_proba(X), rtol=0, atol=atol)
    return np.abs(proba - clf.predict_proba(X)).max()


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "f64"])
def test_every_activation(activation, dtype):
    clf = fit(classifier(hidden_layer_sizes=(6, 5), activation=activation), X, Y_BINARY)
    # onnxruntime has no float64 Erf: a float64 graph's GELU rounds erf to float32.
    atol = 1e-6 if (activation == "gelu" and dtype == np.float64) else None
    check_classifier(clf, dtype, atol=atol)


def test_gelu_before_opset_20_is_built_from_erf():
    clf = fit(classifier(activation="gelu"), X, Y_MULTICLASS)
    onx, _ = session(clf, target_opset=18, options={"zipmap": False})
    ops = {node.op_type for node in onx.graph.node}
    assert "Erf" in ops and "Gelu" not in ops
    assert {o.version for o in onx.opset_import if o.domain == ""} == {18}
    check_classifier(clf)
    onx, _ = session(clf, target_opset=21, options={"zipmap": False})
    assert "Gelu" in {node.op_type for node in onx.graph.node}


def test_per_layer_activations_and_parameters():
    layers = [
        Dense(5, activation=ACTIVATIONS["leaky_relu"](0.2)),
        Dense(4, activation=ACTIVATIONS["elu"](0.5)),
        Dense(4, activation="swish"),
    ]
    clf = fit(classifier(layers=layers), X, Y_MULTICLASS)
    check_classifier(clf)
    check_classifier(clf, np.float64)
    clf = fit(
        classifier(hidden_layer_sizes=(5, 4), activation=("tanh", "gelu")),
        X,
        Y_MULTICLASS,
    )
    check_classifier(clf)


@pytest.mark.parametrize(
    "y",
    [Y_BINARY, Y_MULTICLASS, Y_MULTILABEL, Y_INTEGER, Y_BINARY == "yes"],
    ids=["binary-str", "multiclass-str", "multilabel", "binary-int", "bool"],
)
@pytest.mark.parametrize("fit_dtype", [np.float32, np.float64])
def test_every_target_type(y, fit_dtype):
    clf = fit(classifier(), X.astype(fit_dtype), y)
    assert clf.coefs_[0].dtype == fit_dtype
    check_classifier(clf)
    check_classifier(clf, np.float64, atol=1e-5 if fit_dtype == np.float32 else None)


def test_labels_have_the_types_skl2onnx_gives_them():
    labels, _ = run(fit(classifier(), X, Y_MULTICLASS), options={"zipmap": False})
    assert labels.dtype == object and labels.shape == (len(X),)
    labels, _ = run(fit(classifier(), X, Y_MULTILABEL), options={"zipmap": False})
    assert labels.dtype == np.int64 and labels.shape == Y_MULTILABEL.shape


def test_one_class():
    clf = fit(classifier(), X, np.full(len(X), "only"))
    check_classifier(clf)


def test_dropout_vanishes():
    clf = fit(
        classifier(hidden_layer_sizes=(8, 6), dropout=(0.5, 0.2)), X, Y_MULTICLASS
    )
    assert any(isinstance(layer, Dropout) for layer in clf.layers_)
    check_classifier(clf)


def test_linear_model_without_hidden_layers():
    check_classifier(fit(classifier(hidden_layer_sizes=()), X, Y_BINARY))


def test_assigned_weights_are_exported():
    clf = fit(classifier(), X, Y_MULTICLASS)
    clf.coefs_ = [2 * W for W in clf.coefs_]
    check_classifier(clf)


@pytest.mark.parametrize("y", [Y_BINARY, Y_MULTICLASS, Y_MULTILABEL])
def test_in_a_pipeline(y):
    pipe = fit(make_pipeline(StandardScaler(), classifier(activation="tanh")), X, y)
    check_classifier(pipe)


def test_zipmap_and_the_other_options():
    clf = fit(classifier(), X, Y_MULTICLASS)
    labels, dicts = run(clf)  # zipmap=True by default, as for MLPClassifier
    np.testing.assert_array_equal(labels, clf.predict(X))
    proba = clf.predict_proba(X)
    assert dicts[0].keys() == set(clf.classes_)
    assert abs(dicts[3]["dog"] - proba[3, 1]) < FLOAT32_ATOL
    _, proba_onnx, classes = run(
        clf, options={"zipmap": False, "output_class_labels": True}
    )
    np.testing.assert_array_equal(classes, clf.classes_)
    indices, _ = run(clf, options={"zipmap": False, "nocl": True})
    np.testing.assert_array_equal(clf.classes_[indices], clf.predict(X))


def check_regressor(reg, dtype=np.float32):
    (predictions,) = run(reg, dtype)
    expected = reg.predict(X)
    # one output: (n_samples, 1), as skl2onnx exports MLPRegressor
    assert predictions.shape == (len(X), 1 if expected.ndim == 1 else expected.shape[1])
    expected = expected.reshape(predictions.shape)
    tol = FLOAT32_ATOL if dtype == np.float32 else FLOAT64_ATOL
    np.testing.assert_allclose(predictions, expected, rtol=tol, atol=tol)
    return np.abs(predictions - expected).max()


TARGETS = {
    "one": np.abs(X[:, 0] * X[:, 1]),
    "two": np.column_stack([np.abs(X[:, 0]), np.abs(X[:, 1] + X[:, 2])]),
}


@pytest.mark.parametrize("loss", ["squared_error", "poisson", "huber"])
@pytest.mark.parametrize("outputs", sorted(TARGETS))
def test_regressor(loss, outputs):
    reg = BackpropMLPRegressor(
        loss,
        hidden_layer_sizes=(6,),
        activation="softplus",
        max_iter=20,
        learning_rate_init=0.02,
        random_state=0,
    )
    reg = fit(reg, X, TARGETS[outputs])
    assert reg.out_activation_ == ("exp" if loss == "poisson" else "identity")
    check_regressor(reg)
    check_regressor(reg, np.float64)


def test_regressor_in_a_pipeline_float32_model():
    reg = BackpropMLPRegressor(
        hidden_layer_sizes=(6, 4),
        activation=("gelu", "elu"),
        max_iter=20,
        random_state=0,
    )
    pipe = fit(
        make_pipeline(StandardScaler(), reg), X.astype(np.float32), TARGETS["two"]
    )
    check_regressor(pipe)


class Cube(Activation):
    name = "cube"

    def forward(self, Z):
        return Z**3

    def derivative(self, Z, A):
        return 3 * Z**2


class Shift(Layer):
    def forward(self, X, training):
        return X + 1.0

    def backward(self, dY):
        return dY


class LoudReLU(ACTIVATIONS["relu"]):
    """A subclass may compute something else: not exported as Relu."""


@pytest.mark.parametrize(
    "layers, message",
    [
        (
            [Dense(3), Dense(3, activation=Cube())],
            r"layers_\[1\]\.activation \(Cube\).*ACTIVATION_CONVERTERS\[Cube\]",
        ),
        (
            [Dense(3), Shift()],
            r"layers_\[1\] \(Shift\).*knows the layers Dense, "
            r"Dropout.*LAYER_CONVERTERS\[Shift\]",
        ),
        ([Dense(3, activation=LoudReLU())], r"layers_\[0\]\.activation \(LoudReLU\)"),
    ],
)
def test_what_cannot_be_exported_is_named(layers, message):
    clf = fit(classifier(layers=layers), X, Y_BINARY)
    with pytest.raises(TypeError, match=message):
        skl2onnx.to_onnx(clf, X[:1].astype(np.float32))


def test_converters_of_your_own(monkeypatch):
    def cube(activation, graph, Z):
        return graph.node("Mul", [Z, graph.node("Mul", [Z, Z])])

    def shift(layer, graph, X):
        return graph.node("Add", [X, graph.constant(1.0)])

    monkeypatch.setitem(skmlp_onnx.ACTIVATION_CONVERTERS, Cube, cube)
    monkeypatch.setitem(skmlp_onnx.LAYER_CONVERTERS, Shift, shift)
    layers = [Dense(3, activation="tanh"), Shift(), Dense(3, activation=Cube())]
    check_classifier(fit(classifier(layers=layers), X * 0.3, Y_BINARY), X=X * 0.3)
