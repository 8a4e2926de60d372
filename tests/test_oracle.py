"""Oracle: training follows scikit-learn's MLPClassifier given the same settings.

scikit-learn's implementation is independent of ours; with the same
``random_state`` both draw the same initial weights, shuffle the same way and
apply the same update rules, so their loss curves must agree to rounding.
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from skmlp import BackpropMLPClassifier


def _fit_both(X, y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs = MLPClassifier(**params).fit(X, y)
        ours = BackpropMLPClassifier(**params).fit(X, y)
    return theirs, ours


def _assert_same_weights(ours, theirs):
    """Every weight and bias bit for bit equal."""
    ours_all = ours.coefs_ + ours.intercepts_
    theirs_all = theirs.coefs_ + theirs.intercepts_
    assert len(ours_all) == len(theirs_all)
    for a, b in zip(ours_all, theirs_all):
        np.testing.assert_array_equal(a, b)


def _datasets():
    X2, y2 = make_moons(120, noise=0.25, random_state=0)
    X3, y3 = make_classification(150, 6, n_informative=4, n_classes=3, random_state=1)
    Xm, Ym = make_classification(100, 5, n_informative=3, n_classes=2, random_state=2)
    Ym = np.column_stack([Ym, (Xm[:, 0] > 0).astype(int), (Xm[:, 1] > 0.5)])
    return {"binary": (X2, y2), "multiclass": (X3, y3), "multilabel": (Xm, Ym)}


DATASETS = _datasets()

SOLVERS = {
    "sgd": dict(solver="sgd", momentum=0.0, learning_rate_init=0.1),
    "sgd-momentum": dict(
        solver="sgd", momentum=0.9, nesterovs_momentum=False, learning_rate_init=0.05
    ),
    "sgd-nesterov": dict(solver="sgd", momentum=0.9, learning_rate_init=0.05),
    "sgd-invscaling": dict(
        solver="sgd", learning_rate="invscaling", learning_rate_init=0.2
    ),
    "sgd-adaptive": dict(
        solver="sgd",
        learning_rate="adaptive",
        learning_rate_init=0.3,
        tol=1e-2,
        n_iter_no_change=2,
    ),
    "adam": dict(solver="adam", learning_rate_init=0.01),
}


@pytest.mark.parametrize(
    "settings",
    [
        {"solver": "adam", "beta_2": np.float32(0.999)},
        {"solver": "adam", "beta_1": np.float32(0.8), "epsilon": np.float32(1e-7)},
        {"solver": "adam", "learning_rate_init": np.float32(0.01)},
        {
            "solver": "sgd",
            "learning_rate": "invscaling",
            "power_t": np.float32(0.3),
            "learning_rate_init": 0.5,
            "momentum": np.float32(0.7),
        },
        {"solver": "adam", "alpha": np.float32(1e-3)},
    ],
)
def test_numpy_float32_settings_keep_float64_parity(settings):
    # A NumPy float32 setting makes scikit-learn compute some scalars (beta_2**t,
    # the learning rate) in float32; skmlp computes its scalars the same way
    # before turning them into Python floats for the array passes.
    X, y = DATASETS["multiclass"]
    theirs, ours = _fit_both(
        X,
        y,
        hidden_layer_sizes=(7, 4),
        random_state=3,
        max_iter=20,
        tol=0,
        batch_size=32,
        **settings,
    )
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12)


@pytest.mark.parametrize("target", sorted(DATASETS))
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("solver", sorted(SOLVERS))
def test_loss_curve_matches_sklearn(target, shuffle, solver):
    X, y = DATASETS[target]
    params = dict(
        hidden_layer_sizes=(7, 4),
        activation="tanh",
        alpha=1e-3,
        batch_size=16,
        max_iter=25,
        shuffle=shuffle,
        random_state=3,
        tol=0.0,
    )
    params.update(SOLVERS[solver])
    theirs, ours = _fit_both(X, y, **params)
    assert len(ours.loss_curve_) == len(theirs.loss_curve_)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-8)
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), rtol=0, atol=1e-8
    )
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.t_ == theirs.t_


@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "relu"])
def test_initial_weights_identical(activation):
    X, y = DATASETS["multiclass"]
    params = dict(
        hidden_layer_sizes=(5, 3),
        activation=activation,
        random_state=7,
        solver="sgd",
        learning_rate_init=1e-12,
        max_iter=1,
        momentum=0.0,
        shuffle=False,
    )
    theirs, ours = _fit_both(X, y, **params)
    # One step of 1e-12 leaves the initial draws visible to 1e-10.
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-10)


def test_initial_weights_bit_identical_via_random_state():
    rng_ours = np.random.RandomState(11)
    clf = BackpropMLPClassifier((4, 2), random_state=rng_ours, max_iter=1)
    X, y = DATASETS["binary"]
    net, *_ = clf._prepare(X, y, None, incremental=False)
    rng = np.random.RandomState(11)
    for W, b in zip(net.coefs, net.intercepts):
        bound = np.sqrt(6.0 / sum(W.shape))
        np.testing.assert_array_equal(W, rng.uniform(-bound, bound, W.shape))
        np.testing.assert_array_equal(b, rng.uniform(-bound, bound, b.shape))


def test_sample_weight_matches_sklearn():
    X, y = DATASETS["multiclass"]
    sw = np.random.RandomState(0).uniform(0.1, 3.0, size=len(y))
    params = dict(
        hidden_layer_sizes=(6,),
        solver="sgd",
        learning_rate_init=0.05,
        batch_size=20,
        max_iter=15,
        random_state=0,
        tol=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs = MLPClassifier(**params).fit(X, y, sample_weight=sw)
        ours = BackpropMLPClassifier(**params).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-8)


def test_early_stopping_matches_sklearn_for_binary():
    X, y = make_moons(300, noise=0.3, random_state=4)
    params = dict(
        hidden_layer_sizes=(10,),
        solver="adam",
        learning_rate_init=0.01,
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=5,
        max_iter=200,
        random_state=5,
    )
    theirs, ours = _fit_both(X, y, **params)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-8)
    np.testing.assert_allclose(ours.validation_scores_, theirs.validation_scores_)
    assert ours.best_validation_score_ == theirs.best_validation_score_
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), rtol=0, atol=1e-8
    )


def test_partial_fit_matches_sklearn():
    X, y = DATASETS["multiclass"]
    params = dict(
        hidden_layer_sizes=(5,),
        solver="sgd",
        learning_rate_init=0.05,
        random_state=0,
        batch_size=10,
    )
    theirs, ours = MLPClassifier(**params), BackpropMLPClassifier(**params)
    classes = np.unique(y)
    for _ in range(5):
        theirs.partial_fit(X, y, classes=classes)
        ours.partial_fit(X, y, classes=classes)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-8)
    assert ours.t_ == theirs.t_


def test_float32_matches_sklearn():
    X, y = DATASETS["binary"]
    X = X.astype(np.float32)
    theirs, ours = _fit_both(
        X,
        y,
        hidden_layer_sizes=(5,),
        solver="adam",
        learning_rate_init=0.01,
        max_iter=10,
        random_state=0,
        tol=0,
    )
    assert ours.coefs_[0].dtype == np.float32
    assert ours.predict_proba(X).dtype == np.float32
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-4)


@pytest.mark.parametrize("target", sorted(DATASETS))
def test_lbfgs_reaches_sklearn_loss(target):
    """L-BFGS amplifies rounding differences along the path, so compare where
    both converge: a regularised problem with a unique minimum, run to the end."""
    X, y = DATASETS[target]
    params = dict(
        hidden_layer_sizes=(4,),
        activation="tanh",
        solver="lbfgs",
        alpha=1.0,
        max_iter=2000,
        tol=1e-10,
        random_state=0,
    )
    theirs, ours = _fit_both(X, y, **params)
    assert abs(ours.loss_ - theirs.loss_) <= 1e-6
    assert len(ours.loss_curve_) == ours.n_iter_
    assert ours.loss_curve_[-1] == pytest.approx(ours.loss_)
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), rtol=0, atol=1e-5
    )


def test_lbfgs_first_iterations_match_sklearn():
    X, y = DATASETS["multiclass"]
    for max_iter in (1, 5, 15):
        theirs, ours = _fit_both(
            X,
            y,
            hidden_layer_sizes=(8, 5),
            solver="lbfgs",
            random_state=0,
            max_iter=max_iter,
        )
        assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-8)


@pytest.mark.parametrize("activation", ["tanh", "logistic", "relu"])
def test_full_batch_descent_follows_sklearn_bit_for_bit(activation):
    # Full-batch training on a narrow network takes the step's shortcuts for
    # few units and many rows (tiled biases, the column-ordered outer product,
    # einsum column sums); 300 steps of a chaotic descent would amplify any
    # difference in rounding, so the weights must come out identical.
    from skmlp.datasets import make_spirals

    X, y = make_spirals(400, random_state=0)
    theirs, ours = _fit_both(
        X,
        y,
        hidden_layer_sizes=(4,),
        activation=activation,
        solver="sgd",
        momentum=0.0,
        learning_rate_init=1.2 if activation != "relu" else 0.3,
        batch_size=len(X),
        max_iter=300,
        tol=0,
        n_iter_no_change=300,
        random_state=0,
    )
    _assert_same_weights(ours, theirs)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12)


@pytest.mark.parametrize("hidden", [(1,), (4,), (4, 1, 3)])
def test_unshuffled_fortran_batches_follow_sklearn_bit_for_bit(hidden):
    # Row slices of an F-ordered X are neither C- nor F-contiguous; np.dot
    # would copy them and, for a one-unit layer, change BLAS's route and so the
    # rounding. They must take the same route as scikit-learn's matmul.
    X, y = DATASETS["multiclass"]
    theirs, ours = _fit_both(
        np.asfortranarray(X),
        y,
        hidden_layer_sizes=hidden,
        solver="sgd",
        shuffle=False,
        batch_size=32,
        learning_rate_init=0.05,
        max_iter=30,
        tol=0,
        random_state=0,
    )
    _assert_same_weights(ours, theirs)


def test_early_stopping_holds_out_sklearns_rows_for_multiclass_targets():
    X, y = DATASETS["multiclass"]
    theirs, ours = _fit_both(
        X,
        y,
        hidden_layer_sizes=(7,),
        early_stopping=True,
        validation_fraction=0.2,
        max_iter=15,
        random_state=4,
    )
    np.testing.assert_array_equal(ours.validation_scores_, theirs.validation_scores_)
    _assert_same_weights(ours, theirs)
