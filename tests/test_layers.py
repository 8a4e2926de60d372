"""Layers: Dropout, the public Layer protocol, and user-written layers in the
estimator (dropout and layers= parameters)."""

import pickle
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from skmlp import BackpropMLPClassifier, check_gradients
from skmlp.layers import Dense, Dropout, Layer
from skmlp.losses import SoftmaxLogLoss
from skmlp.network import Network

try:  # joblib >= 1.6 uses the cloudpickle package, older versions vendor it
    import cloudpickle
except ImportError:  # pragma: no cover
    from joblib.externals import cloudpickle

# The layer below, defined only here, travels to joblib's workers by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

X, y = make_moons(120, noise=0.25, random_state=0)


class Scale(Layer):
    """A user-written layer with parameters: ``Y = X * s + t`` per feature.

    ``s`` is penalised by ``alpha``, ``t`` is not; it counts its forward
    calls (state kept outside its parameters).
    """

    penalized = (True, False)

    def build(self, n_inputs):
        self.calls = 0
        return super().build(n_inputs)

    def parameter_shapes(self):
        return [(self.n_inputs,), (self.n_inputs,)]

    def initial_parameters(self, rng, dtype):
        return [1.0 + 0.1 * rng.standard_normal(self.n_inputs), np.zeros(self.n_inputs)]

    def forward(self, X, training):
        self.calls += 1
        self.X = X
        s, t = self.params
        return X * s + t

    def backward(self, dY):
        s, _ = self.params
        self.grads[0][...] = (dY * self.X).sum(axis=0)
        self.grads[1][...] = dY.sum(axis=0)
        return dY * s


def quiet(fit, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fit(*args, **kwargs)


# -- Dropout on its own ---------------------------------------------------------


@given(
    rate=st.floats(0.05, 0.9),
    shape=st.tuples(st.integers(50, 200), st.integers(20, 60)),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=30, deadline=None)
def test_dropout_zeros_a_fraction_rate_and_scales_the_rest(rate, shape, seed):
    layer = Dropout(rate)
    layer.build(shape[1])
    layer.rng = np.random.default_rng(seed)
    X = np.random.RandomState(seed).uniform(0.5, 2.0, size=shape)
    out = layer.forward(X, training=True)
    dropped = out == 0
    n = dropped.size
    # A binomial count: within 5 standard deviations of n * rate.
    assert abs(dropped.sum() - n * rate) <= 5 * np.sqrt(n * rate * (1 - rate)) + 1
    np.testing.assert_allclose(out[~dropped], X[~dropped] / (1 - rate), rtol=1e-12)
    dY = np.ones(shape)
    np.testing.assert_array_equal(layer.backward(dY) == 0, dropped)
    assert layer.forward(X, training=False) is X


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, "0.5", True])
def test_dropout_rate_outside_0_1_is_named(rate):
    with pytest.raises(ValueError, match=r"Dropout rate must be a number in \[0, 1\)"):
        Dropout(rate).build(3)


def _dropout_net(rate=0.3):
    layers = [Dense(6, "tanh"), Dropout(rate), Dense(5, "relu"), Dense(3, None)]
    net = Network(layers, SoftmaxLogLoss(), 2, np.float64)
    net.initialize(np.random.RandomState(0))
    return net


def test_dropout_gradient_matches_finite_differences_with_a_fixed_mask():
    net = _dropout_net()
    Xs = X[:40]
    Y = np.eye(3)[np.arange(40) % 3]

    def loss():
        net.start_training(np.random.RandomState(7))  # the same mask each time
        return net.loss_and_grad(Xs, Y, None, 1e-3)

    loss()
    analytic = net.grads.copy()
    numeric = np.empty_like(analytic)
    for k in range(net.params.size):
        original = net.params[k]
        net.params[k] = original + 1e-6
        plus = loss()
        net.params[k] = original - 1e-6
        minus = loss()
        net.params[k] = original
        numeric[k] = (plus - minus) / 2e-6
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)
    # The mask matters: without dropout the gradient is another one.
    plain = _dropout_net(rate=0.0)
    plain.params[:] = net.params
    plain.loss_and_grad(Xs, Y, None, 1e-3)
    assert not np.allclose(plain.grads, analytic)


def test_prediction_sees_the_whole_network():
    net = _dropout_net()
    net.start_training(np.random.RandomState(0))
    plain = _dropout_net(rate=0.0)
    plain.params[:] = net.params
    np.testing.assert_array_equal(net.logits(X), plain.logits(X))
    Zs, As = net.forward_layers(X)
    np.testing.assert_array_equal(Zs[-1], plain.logits(X))


# -- dropout in the estimator ------------------------------------------------------


def test_dropout_is_reproducible_and_changes_training():
    settings = dict(hidden_layer_sizes=(16, 8), max_iter=20, random_state=0)
    first = quiet(BackpropMLPClassifier(dropout=0.3, **settings).fit, X, y)
    second = quiet(BackpropMLPClassifier(dropout=0.3, **settings).fit, X, y)
    other_seed = quiet(
        BackpropMLPClassifier(dropout=0.3, **dict(settings, random_state=1)).fit, X, y
    )
    none = quiet(BackpropMLPClassifier(**settings).fit, X, y)
    for a, b in zip(first.coefs_, second.coefs_):
        np.testing.assert_array_equal(a, b)
    assert first.loss_curve_ == second.loss_curve_
    assert not np.array_equal(first.coefs_[0], none.coefs_[0])
    # Prediction is deterministic and has no mask: twice the same, and the
    # plain forward pass of the weights.
    np.testing.assert_array_equal(first.predict_proba(X), first.predict_proba(X))
    H = np.maximum(X @ first.coefs_[0] + first.intercepts_[0], 0)
    H = np.maximum(H @ first.coefs_[1] + first.intercepts_[1], 0)
    np.testing.assert_allclose(
        first.decision_function(X), (H @ first.coefs_[2] + first.intercepts_[2])[:, 0]
    )
    assert [type(layer).__name__ for layer in first.layers_] == [
        "Dense",
        "Dropout",
        "Dense",
        "Dropout",
        "Dense",
    ]
    assert first.n_layers_ == 4 and len(first.coefs_) == 3
    np.testing.assert_array_equal(
        first.hidden_activations(X, layer=1),
        np.maximum(
            first.hidden_activations(X, layer=0) @ first.coefs_[1]
            + first.intercepts_[1],
            0,
        ),
    )
    assert other_seed.loss_curve_ != first.loss_curve_


def test_dropout_reported_loss_is_the_whole_networks():
    clf = quiet(
        BackpropMLPClassifier((8,), dropout=0.5, max_iter=5, random_state=0).fit, X, y
    )
    P = clf.predict_proba(X)
    log_loss = -np.mean(np.log(P[np.arange(len(y)), y]))
    penalty = 0.5 * clf.alpha * sum((W**2).sum() for W in clf.coefs_) / len(y)
    assert clf.loss_ == pytest.approx(log_loss + penalty, rel=1e-9)


def test_dropout_per_layer_and_its_errors():
    clf = quiet(BackpropMLPClassifier((6, 4), dropout=(0.2, 0.0), max_iter=3).fit, X, y)
    assert [type(layer).__name__ for layer in clf.layers_] == [
        "Dense",
        "Dropout",
        "Dense",
        "Dense",
    ]
    assert clf.layers_[1].rate == 0.2
    with pytest.raises(ValueError, match="dropout has 3 entries but the network has 2"):
        BackpropMLPClassifier((6, 4), dropout=(0.1, 0.1, 0.1)).fit(X, y)
    with pytest.raises(ValueError, match=r"'dropout'.*\[0.0, 1.0\).*Got 1.0"):
        BackpropMLPClassifier((6,), dropout=1.0).fit(X, y)
    with pytest.raises(ValueError, match=r"dropout must be a float in \[0, 1\).*1.5"):
        BackpropMLPClassifier((6, 4), dropout=(0.1, 1.5)).fit(X, y)
    with pytest.raises(ValueError, match="solver='lbfgs'.*dropout"):
        BackpropMLPClassifier((6,), solver="lbfgs", dropout=0.2).fit(X, y)


# -- user-written layers in the estimator --------------------------------------------


def _with_layers(**params):
    return BackpropMLPClassifier(
        layers=[Dense(8, "tanh"), Scale(), Dropout(0.1), Dense(4, "relu")],
        learning_rate_init=0.02,
        max_iter=60,
        random_state=0,
        **params,
    )


def test_a_user_layer_trains_inside_the_estimator():
    clf = quiet(_with_layers().fit, X, y)
    scale = clf.layers_[1]
    assert isinstance(scale, Scale) and scale.calls > 60
    assert not np.allclose(scale.params[0], 1.0, atol=0.1)  # it learnt
    assert [W.shape for W in clf.coefs_] == [(2, 8), (8, 4), (4, 1)]
    assert clf.n_layers_ == 4
    # Templates are copied: the objects passed in stay unbuilt.
    assert not hasattr(clf.layers[1], "params")
    assert clf.score(X, y) > 0.8


def test_a_user_layer_passes_the_gradient_check():
    clf = BackpropMLPClassifier(
        layers=[Dense(5, "tanh"), Scale(), Dense(3, "logistic")],
        alpha=0.01,
        random_state=0,
    )
    result = check_gradients(clf, X[:30], y[:30])
    assert result["max_relative_error"] < 1e-6
    assert result["indices"].size == (2 * 5 + 5) + 2 * 5 + (5 * 3 + 3) + (3 + 1)


def test_a_user_layer_survives_clone_pickle_and_a_parallel_search():
    clf = quiet(_with_layers().fit, X, y)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(again.layers_[1].params[0], clf.layers_[1].params[0])
    assert again.layers_[1].calls == clf.layers_[1].calls
    twin = quiet(clone(clf).fit, X, y)
    np.testing.assert_array_equal(twin.predict_proba(X), clf.predict_proba(X))
    search = quiet(
        GridSearchCV(_with_layers(), {"alpha": [1e-4, 1e-1]}, cv=2, n_jobs=2).fit, X, y
    )
    serial = quiet(
        GridSearchCV(_with_layers(), {"alpha": [1e-4, 1e-1]}, cv=2, n_jobs=1).fit, X, y
    )
    np.testing.assert_array_equal(
        search.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(hidden_layer_sizes=(5,)), "hidden_layer_sizes"),
        (dict(activation="tanh"), "activation"),
        (dict(dropout=0.1), "dropout"),
        (dict(weight_init="he_normal"), "weight_init"),
    ],
)
def test_layers_with_the_settings_they_replace_is_an_error(params, message):
    clf = BackpropMLPClassifier(layers=[Dense(3)], **params)
    with pytest.raises(ValueError, match=f"layers=.*{message}"):
        clf.fit(X, y)


def test_layers_must_be_layer_objects():
    with pytest.raises(ValueError, match="layers must be a list of skmlp.layers.Layer"):
        BackpropMLPClassifier(layers=[Dense(3), "relu"]).fit(X, y)
    with pytest.raises(ValueError, match="solver='lbfgs'.*Dropout"):
        BackpropMLPClassifier(layers=[Dense(3), Dropout(0.5)], solver="lbfgs").fit(X, y)


def test_check_gradients_holds_dropout_masks_fixed_and_names_user_parameters():
    clf = BackpropMLPClassifier((6, 4), dropout=0.3, activation="tanh", random_state=0)
    assert check_gradients(clf, X[:30], y[:30])["max_relative_error"] < 1e-6

    class WrongScale(Scale):
        def backward(self, dY):
            dX = super().backward(dY)
            self.grads[0][...] *= 2  # a wrong gradient for s
            return dX

    wrong = BackpropMLPClassifier(layers=[Dense(3, "tanh"), WrongScale()])
    with pytest.raises(AssertionError, match=r"worst is layers_\[1\]\.params\[0\]"):
        check_gradients(wrong, X[:30], y[:30])
