"""BackpropMLPClassifier: targets, attributes, parameters and sklearn workflows."""

import inspect
import pickle
import sys
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skmlp import BackpropMLPClassifier
from skmlp.activations import Activation
from skmlp.initializers import Normal

try:  # joblib >= 1.6 uses the cloudpickle package, older versions vendor it
    import cloudpickle
except ImportError:  # pragma: no cover
    from joblib.externals import cloudpickle

# Custom objects defined here travel to joblib's worker processes by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


class Softsign(Activation):
    name = "softsign"

    def forward(self, Z):
        return Z / (1.0 + np.abs(Z))

    def derivative(self, Z, A):
        return (1.0 - np.abs(A)) ** 2


X_MOONS, Y_MOONS = make_moons(200, noise=0.15, random_state=0)


def fit_quietly(clf, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(*args, **kwargs)


# -- targets ------------------------------------------------------------------


@pytest.mark.parametrize(
    "labels",
    [np.array(["no", "yes"]), np.array([3, 7]), np.array([False, True])],
    ids=["str", "int", "bool"],
)
def test_binary_labels_of_any_type(labels):
    y = labels[Y_MOONS]
    clf = fit_quietly(
        BackpropMLPClassifier((8,), "tanh", solver="lbfgs", tol=1e-6, random_state=0),
        X_MOONS,
        y,
    )
    np.testing.assert_array_equal(clf.classes_, labels)
    assert clf.n_outputs_ == 1 and clf.out_activation_ == "logistic"
    pred = clf.predict(X_MOONS)
    assert pred.dtype == labels.dtype and set(pred) <= set(labels)
    assert clf.score(X_MOONS, y) > 0.95
    assert clf.decision_function(X_MOONS).shape == (200,)
    P = clf.predict_proba(X_MOONS)
    np.testing.assert_array_equal(
        clf.predict(X_MOONS), labels[(clf.decision_function(X_MOONS) > 0).astype(int)]
    )
    np.testing.assert_allclose(P.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    "method",
    [
        "fit",
        "partial_fit",
        "predict",
        "predict_proba",
        "predict_log_proba",
        "score",
    ],
)
def test_method_signatures_are_sklearns(method):
    """Drop-in: the same arguments in the same order, so positional calls agree;
    anything added (fit's validation set) is keyword-only."""
    from sklearn.neural_network import MLPClassifier

    ours = list(
        inspect.signature(getattr(BackpropMLPClassifier, method)).parameters.values()
    )
    theirs = list(inspect.signature(getattr(MLPClassifier, method)).parameters.values())
    assert [(p.name, p.default) for p in ours[: len(theirs)]] == [
        (p.name, p.default) for p in theirs
    ]
    added = ours[len(theirs) :]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in added)
    assert [p.name for p in added] == (
        ["X_val", "y_val", "sample_weight_val"] if method == "fit" else []
    )


def test_partial_fit_third_positional_argument_is_sample_weight():
    X, y = make_blobs(60, centers=2, random_state=0)
    weights = np.where(y == 0, 3.0, 1.0)
    positional = BackpropMLPClassifier((4,), solver="sgd", random_state=0)
    positional.partial_fit(X, y, weights, [0, 1])
    keywords = BackpropMLPClassifier((4,), solver="sgd", random_state=0)
    keywords.partial_fit(X, y, classes=[0, 1], sample_weight=weights)
    np.testing.assert_array_equal(positional.coefs_[0], keywords.coefs_[0])
    unweighted = BackpropMLPClassifier((4,), solver="sgd", random_state=0)
    unweighted.partial_fit(X, y, classes=[0, 1])
    assert not np.array_equal(unweighted.coefs_[0], keywords.coefs_[0])


def test_multiclass_softmax():
    X, y = make_blobs(150, centers=4, random_state=1)
    clf = fit_quietly(BackpropMLPClassifier((10,), random_state=0), X, y)
    assert clf.out_activation_ == "softmax" and clf.n_outputs_ == 4
    assert clf.decision_function(X).shape == (150, 4)
    P = clf.predict_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.predict(X), np.argmax(P, axis=1))
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), P)


def test_multilabel_indicator():
    X, y = make_blobs(120, centers=3, random_state=2)
    Y = np.column_stack([y == 0, y != 1, X[:, 0] > 0]).astype(int)
    clf = fit_quietly(
        BackpropMLPClassifier((16,), solver="lbfgs", random_state=0), X, Y
    )
    assert clf.n_outputs_ == 3 and clf.out_activation_ == "logistic"
    P = clf.predict_proba(X)
    assert P.shape == (120, 3) and ((P > 0) & (P < 1)).all()
    np.testing.assert_array_equal(clf.predict(X), (P > 0.5).astype(int))
    assert clf.score(X, Y) > 0.9


def test_lbfgs_records_a_loss_curve():
    clf = fit_quietly(
        BackpropMLPClassifier((5,), solver="lbfgs", max_iter=30, random_state=0),
        X_MOONS,
        Y_MOONS,
    )
    assert len(clf.loss_curve_) == clf.n_iter_ == 30
    assert clf.loss_curve_[-1] == pytest.approx(clf.loss_)
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]


def test_fitted_attributes():
    clf = fit_quietly(BackpropMLPClassifier((6, 4), max_iter=5), X_MOONS, Y_MOONS)
    assert clf.n_layers_ == 4 and clf.n_features_in_ == 2
    assert [W.shape for W in clf.coefs_] == [(2, 6), (6, 4), (4, 1)]
    assert [b.shape for b in clf.intercepts_] == [(6,), (4,), (1,)]
    assert len(clf.loss_curve_) == clf.n_iter_ == 5
    assert clf.t_ == 5 * 200
    assert clf.best_loss_ == min(clf.loss_curve_)
    assert clf.validation_scores_ is None and clf.best_validation_score_ is None
    # coefs_ are views into one flat buffer
    flat = clf._network.params
    assert all(np.shares_memory(W, flat) for W in clf.coefs_ + clf.intercepts_)


def test_feature_names_in():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(X_MOONS, columns=["a", "b"])
    clf = fit_quietly(BackpropMLPClassifier((3,), max_iter=3), df, Y_MOONS)
    np.testing.assert_array_equal(clf.feature_names_in_, ["a", "b"])


def test_early_stopping_records_validation_loss_and_restores_best():
    X, y = make_moons(400, noise=0.3, random_state=1)
    clf = fit_quietly(
        BackpropMLPClassifier(
            (20,), early_stopping=True, learning_rate_init=0.01, random_state=0
        ),
        X,
        y,
    )
    assert len(clf.validation_scores_) == len(clf.validation_loss_curve_)
    assert len(clf.validation_scores_) == clf.n_iter_ < 200
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.best_loss_ is None
    assert all(0 < v < 2 for v in clf.validation_loss_curve_)


def test_class_weight_shifts_the_decision():
    X, y = make_blobs(300, centers=[[0, 0], [1.0, 0]], cluster_std=1.0, random_state=0)
    base = fit_quietly(
        BackpropMLPClassifier((4,), solver="lbfgs", random_state=0), X, y
    )
    heavy = fit_quietly(
        BackpropMLPClassifier(
            (4,), solver="lbfgs", class_weight={0: 1, 1: 10}, random_state=0
        ),
        X,
        y,
    )
    assert (heavy.predict(X) == 1).sum() > (base.predict(X) == 1).sum() + 30
    # class_weight is the same as the corresponding sample_weight
    sw = np.where(y == 1, 10.0, 1.0)
    same = fit_quietly(
        BackpropMLPClassifier((4,), solver="lbfgs", random_state=0),
        X,
        y,
        sample_weight=sw,
    )
    np.testing.assert_allclose(same.predict_proba(X), heavy.predict_proba(X))
    balanced = BackpropMLPClassifier((4,), class_weight="balanced", max_iter=3)
    yb = np.r_[np.zeros(250, int), np.ones(50, int)]
    fit_quietly(balanced, X, yb)
    assert balanced.loss_curve_


def test_convergence_warning_at_max_iter():
    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(3\) reached"):
        BackpropMLPClassifier((3,), max_iter=3).fit(X_MOONS, Y_MOONS)


def test_verbose_prints_progress(capsys):
    fit_quietly(BackpropMLPClassifier((3,), max_iter=2, verbose=True), X_MOONS, Y_MOONS)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("Iteration 1, loss = ")
    fit_quietly(
        BackpropMLPClassifier((3,), solver="lbfgs", max_iter=2, verbose=True),
        X_MOONS,
        Y_MOONS,
    )
    assert "Iteration 2, loss = " in capsys.readouterr().out


def test_warm_start_continues_and_takes_assigned_weights():
    clf = BackpropMLPClassifier((4,), solver="sgd", max_iter=5, warm_start=True)
    fit_quietly(clf, X_MOONS, Y_MOONS)
    fit_quietly(clf, X_MOONS, Y_MOONS)
    assert len(clf.loss_curve_) == 10
    # Assigning new arrays to coefs_ is honoured by the next fit.
    clf.coefs_ = [np.zeros_like(W) for W in clf.coefs_]
    clf.intercepts_ = [np.zeros_like(b) for b in clf.intercepts_]
    clf.set_params(max_iter=1, learning_rate_init=1e-12)
    fit_quietly(clf, X_MOONS, Y_MOONS)
    assert np.abs(np.concatenate([W.ravel() for W in clf.coefs_])).max() < 1e-9
    assert np.shares_memory(clf.coefs_[0], clf._network.params)


def test_partial_fit_needs_classes_first_and_rejects_new_ones():
    clf = BackpropMLPClassifier((3,), solver="sgd")
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X_MOONS, Y_MOONS)
    clf.partial_fit(X_MOONS, Y_MOONS, classes=[0, 1, 2])
    assert list(clf.classes_) == [0, 1, 2] and clf.n_outputs_ == 3
    with pytest.raises(ValueError, match="classes not in"):
        clf.partial_fit(X_MOONS, Y_MOONS + 5)
    with pytest.raises(ValueError, match="is not the same as on the first call"):
        clf.partial_fit(X_MOONS, Y_MOONS, classes=[0, 1])
    assert not hasattr(BackpropMLPClassifier(solver="lbfgs"), "partial_fit")


def test_float32_and_sparse_input():
    X32 = X_MOONS.astype(np.float32)
    clf = fit_quietly(
        BackpropMLPClassifier((5,), max_iter=5, random_state=0), X32, Y_MOONS
    )
    assert all(W.dtype == np.float32 for W in clf.coefs_)
    assert clf.predict_proba(X32).dtype == np.float32
    dense = fit_quietly(
        BackpropMLPClassifier((5,), max_iter=5, random_state=0), X_MOONS, Y_MOONS
    )
    for fmt in (sp.csr_matrix, sp.csc_matrix):
        sparse = fit_quietly(
            BackpropMLPClassifier((5,), max_iter=5, random_state=0),
            fmt(X_MOONS),
            Y_MOONS,
        )
        np.testing.assert_allclose(sparse.loss_curve_, dense.loss_curve_, rtol=1e-10)
        np.testing.assert_allclose(
            sparse.predict_proba(fmt(X_MOONS)), dense.predict_proba(X_MOONS), rtol=1e-9
        )


def test_logits_do_not_overflow():
    clf = fit_quietly(
        BackpropMLPClassifier((3,), solver="lbfgs", random_state=0), X_MOONS, Y_MOONS
    )
    clf.coefs_[-1][:] *= 1e4  # logits around 1e3 and beyond
    P = clf.predict_proba(X_MOONS)  # RuntimeWarnings are errors in this suite
    assert np.isfinite(P).all() and np.isfinite(clf.predict_log_proba(X_MOONS)).all()


# -- parameters -----------------------------------------------------------------


@pytest.mark.parametrize(
    "params, error, message",
    [
        (
            dict(hidden_layer_sizes=(10.5,)),
            ValueError,
            r"hidden_layer_sizes .*\(10\.5,\)",
        ),
        (dict(hidden_layer_sizes=(10, None)), ValueError, "hidden_layer_sizes"),
        (dict(hidden_layer_sizes=("a",)), ValueError, "hidden_layer_sizes"),
        (dict(hidden_layer_sizes=(0,)), ValueError, "hidden_layer_sizes"),
        (
            dict(hidden_layer_sizes=(4, 3), activation=("relu",)),
            ValueError,
            r"activation has 1 entries but the network has 2",
        ),
        (
            dict(hidden_layer_sizes=(4,), weight_init=("he_normal",)),
            ValueError,
            r"weight_init has 1 entries but the network has 2",
        ),
        (dict(activation="sigmod"), InvalidParameterError, "activation"),
        (
            dict(activation=("relu", "sigmod"), hidden_layer_sizes=(2, 2)),
            ValueError,
            "Unknown activation 'sigmod'",
        ),
        (dict(weight_init="xavier"), InvalidParameterError, "weight_init"),
        (
            dict(weight_init=("xavier", "he_normal")),
            ValueError,
            "Unknown initializer 'xavier'",
        ),
        (dict(activation=Activation()), ValueError, r"does not implement forward\(\)"),
        (dict(solver="newton"), InvalidParameterError, "solver"),
        (dict(alpha=-1.0), InvalidParameterError, "alpha"),
        (dict(momentum=1.5), InvalidParameterError, "momentum"),
        (dict(class_weight="unbalanced"), InvalidParameterError, "class_weight"),
        (dict(callbacks=[3]), ValueError, "callbacks must be callables"),
    ],
)
def test_bad_parameters_are_named(params, error, message):
    with pytest.raises(error, match=message):
        BackpropMLPClassifier(max_iter=2, **params).fit(X_MOONS, Y_MOONS)


def test_per_layer_activation_and_initializer_objects():
    clf = BackpropMLPClassifier(
        (4, 3),
        activation=("tanh", Softsign()),
        weight_init=(Normal(0.5), "he_uniform", "zeros"),
        max_iter=1,
        random_state=0,
    )
    fit_quietly(clf, X_MOONS, Y_MOONS)
    layers = clf._network.layers
    assert (
        layers[0].activation.name == "tanh" and layers[1].activation.name == "softsign"
    )
    A = clf.hidden_activations(X_MOONS, layer=1)
    Z = clf.hidden_activations(X_MOONS, layer=1, pre_activation=True)
    np.testing.assert_allclose(A, Z / (1 + np.abs(Z)))


def test_hidden_activations_agree_with_manual_forward_pass():
    clf = fit_quietly(
        BackpropMLPClassifier(
            (5, 4), activation="logistic", max_iter=20, random_state=0
        ),
        X_MOONS,
        Y_MOONS,
    )
    A0 = 1 / (1 + np.exp(-(X_MOONS @ clf.coefs_[0] + clf.intercepts_[0])))
    A1 = 1 / (1 + np.exp(-(A0 @ clf.coefs_[1] + clf.intercepts_[1])))
    got = clf.hidden_activations(X_MOONS)
    np.testing.assert_allclose(got[0], A0)
    np.testing.assert_allclose(got[1], A1)
    np.testing.assert_allclose(clf.hidden_activations(X_MOONS, layer=-1), A1)
    z = A1 @ clf.coefs_[2] + clf.intercepts_[2]
    np.testing.assert_allclose(clf.decision_function(X_MOONS), z[:, 0])
    with pytest.raises(ValueError, match="layer must be None or an int in"):
        clf.hidden_activations(X_MOONS, layer=2)


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        BackpropMLPClassifier().predict(X_MOONS)


# -- workflows --------------------------------------------------------------------


def test_pipeline_cross_val_score():
    pipe = make_pipeline(
        StandardScaler(),
        BackpropMLPClassifier(
            (16,), learning_rate_init=0.01, max_iter=300, random_state=0
        ),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_val_score(pipe, X_MOONS, Y_MOONS, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.9


def test_grid_search_in_two_processes():
    grid = {
        "hidden_layer_sizes": [(4,), (8, 4)],
        "activation": ["tanh", ("relu", Softsign())],
        "weight_init": ["auto", "glorot_normal"],
        "alpha": [1e-4, 1e-1],
    }
    # ("relu", Softsign()) needs two hidden layers: that mismatch must fail loudly
    # for (4,), so error_score="raise" is replaced by a valid per-layer grid.
    param_grid = [
        {**grid, "hidden_layer_sizes": [(8, 4)]},
        {**grid, "hidden_layer_sizes": [(4,)], "activation": ["tanh", Softsign()]},
    ]
    search = GridSearchCV(
        BackpropMLPClassifier(solver="lbfgs", max_iter=200, random_state=0),
        param_grid,
        cv=3,
        n_jobs=2,
        error_score="raise",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X_MOONS, Y_MOONS)
    assert len(search.cv_results_["params"]) == 2 * 8
    assert search.best_score_ > 0.9
    serial = GridSearchCV(
        BackpropMLPClassifier(solver="lbfgs", max_iter=200, random_state=0),
        param_grid[:1],
        cv=3,
        n_jobs=1,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        serial.fit(X_MOONS, Y_MOONS)
    np.testing.assert_array_equal(
        serial.cv_results_["mean_test_score"], search.cv_results_["mean_test_score"][:8]
    )


def test_decision_boundary_display_every_response_method():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.inspection import DecisionBoundaryDisplay

    clf = fit_quietly(
        BackpropMLPClassifier((8,), solver="lbfgs", random_state=0), X_MOONS, Y_MOONS
    )
    for method in ["predict", "predict_proba", "decision_function", "auto"]:
        disp = DecisionBoundaryDisplay.from_estimator(
            clf, X_MOONS, response_method=method, grid_resolution=20
        )
        grid = np.c_[disp.xx0.ravel(), disp.xx1.ravel()]
        expected = {
            "predict": clf.predict(grid),
            "predict_proba": clf.predict_proba(grid)[:, 1],
            "decision_function": clf.decision_function(grid),
            "auto": clf.decision_function(grid),
        }[method]
        np.testing.assert_allclose(disp.response.ravel(), expected)
        plt.close("all")


def test_mlp_beats_logistic_regression_on_circles():
    X, y = make_circles(300, noise=0.1, factor=0.4, random_state=0)
    mlp = fit_quietly(BackpropMLPClassifier((8,), solver="lbfgs", random_state=0), X, y)
    logreg = LogisticRegression().fit(X, y)
    assert mlp.score(X, y) > 0.95
    assert logreg.score(X, y) < 0.7


def test_pickle_round_trip_is_bit_identical_and_trainable():
    clf = BackpropMLPClassifier((5,), solver="sgd", random_state=0)
    clf.partial_fit(X_MOONS, Y_MOONS, classes=[0, 1])
    clone = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(
        clone.predict_proba(X_MOONS), clf.predict_proba(X_MOONS)
    )
    clf.partial_fit(X_MOONS, Y_MOONS)
    clone.partial_fit(X_MOONS, Y_MOONS)
    np.testing.assert_array_equal(
        clone.predict_proba(X_MOONS), clf.predict_proba(X_MOONS)
    )
    assert np.shares_memory(clone.coefs_[0], clone._network.params)


def test_registered_names_are_accepted_like_built_in_ones(monkeypatch):
    from skmlp.activations import ACTIVATIONS
    from skmlp.initializers import INITIALIZERS

    X, y = make_moons(60, noise=0.2, random_state=0)
    named = BackpropMLPClassifier(
        (5, 4), activation="softsign", weight_init="lecun", max_iter=3
    )
    with pytest.raises(InvalidParameterError, match="'activation' parameter"):
        named.fit(X, y)
    monkeypatch.setitem(ACTIVATIONS, "softsign", Softsign)
    monkeypatch.setitem(INITIALIZERS, "lecun", INITIALIZERS["lecun_normal"])
    settings = dict(max_iter=3, random_state=0)
    by_name = BackpropMLPClassifier(
        (5, 4), activation=("softsign", "relu"), weight_init="lecun", **settings
    )
    by_object = BackpropMLPClassifier(
        (5, 4), activation=(Softsign(), "relu"), weight_init="lecun_normal", **settings
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        by_name.fit(X, y)
        by_object.fit(X, y)
        search = GridSearchCV(
            named.set_params(weight_init="auto"),
            {"activation": ["softsign", "tanh"]},
            cv=2,
        ).fit(X, y)
    for a, b in zip(by_name.coefs_, by_object.coefs_):
        np.testing.assert_array_equal(a, b)
    assert search.cv_results_["param_activation"].tolist() == ["softsign", "tanh"]
    # A name that is not registered is still refused, listing the registered ones.
    with pytest.raises(InvalidParameterError, match="'softsign'.*Got 'softsine'"):
        BackpropMLPClassifier(activation="softsine").fit(X, y)


def test_a_registered_entry_that_is_not_a_class_is_named(monkeypatch):
    from skmlp.activations import ACTIVATIONS
    from skmlp.initializers import INITIALIZERS

    monkeypatch.setitem(ACTIVATIONS, "broken", np.tanh)
    monkeypatch.setitem(INITIALIZERS, "broken", "zeros")
    X, y = make_moons(20, random_state=0)
    with pytest.raises(TypeError, match=r"ACTIVATIONS\['broken'\] is <ufunc 'tanh'>"):
        BackpropMLPClassifier((3,), activation="broken").fit(X, y)
    with pytest.raises(
        TypeError,
        match=r"INITIALIZERS\['broken'\] is 'zeros'.*must be a subclass of Initializer",
    ):
        BackpropMLPClassifier((3,), weight_init="broken").fit(X, y)
