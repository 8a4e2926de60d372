"""Oracle: training follows scikit-learn's MLPRegressor given the same settings.

scikit-learn's implementation is independent of ours; with the same
``random_state`` both draw the same initial weights, shuffle the same way and
apply the same update rules, so their loss curves and predictions must agree
to rounding, for squared error (mean-reported, sum-trained) and for Poisson.
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor

from skmlp import BackpropMLPRegressor


def _fit_both(X, y, sample_weight=None, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs = MLPRegressor(**params).fit(X, y, sample_weight=sample_weight)
        ours = BackpropMLPRegressor(**params).fit(X, y, sample_weight=sample_weight)
    return theirs, ours


def _assert_same_weights(ours, theirs, atol=0.0):
    ours_all = ours.coefs_ + ours.intercepts_
    theirs_all = theirs.coefs_ + theirs.intercepts_
    assert len(ours_all) == len(theirs_all)
    for a, b in zip(ours_all, theirs_all):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=0, atol=atol)


def _datasets():
    """Standardised targets for squared error, counts for Poisson; one and
    three outputs."""
    X, Y = make_regression(
        120, 5, n_informative=4, n_targets=3, noise=5.0, random_state=0
    )
    Y = (Y - Y.mean(axis=0)) / Y.std(axis=0)
    rng = np.random.RandomState(1)
    rates = np.exp(0.4 * X[:, :3] @ rng.uniform(-1, 1, size=(3, 3)))
    counts = rng.poisson(rates).astype(float)
    return {
        ("squared_error", "single"): (X, Y[:, 0]),
        ("squared_error", "multi"): (X, Y),
        ("poisson", "single"): (X, counts[:, 0]),
        ("poisson", "multi"): (X, counts),
    }


DATASETS = _datasets()
SAMPLE_WEIGHT = np.random.RandomState(2).uniform(0.1, 3.0, size=120)

SOLVERS = {
    "sgd": dict(solver="sgd", momentum=0.0, learning_rate_init=0.05),
    "sgd-momentum": dict(
        solver="sgd", momentum=0.9, nesterovs_momentum=False, learning_rate_init=0.01
    ),
    "sgd-nesterov": dict(solver="sgd", momentum=0.9, learning_rate_init=0.01),
    "sgd-invscaling": dict(
        solver="sgd", learning_rate="invscaling", learning_rate_init=0.1
    ),
    "sgd-adaptive": dict(
        solver="sgd",
        learning_rate="adaptive",
        learning_rate_init=0.05,
        tol=1e-2,
        n_iter_no_change=2,
    ),
    "adam": dict(solver="adam", learning_rate_init=0.01),
}

COMMON = dict(
    hidden_layer_sizes=(7, 4),
    activation="tanh",
    alpha=1e-3,
    batch_size=16,
    max_iter=25,
    random_state=3,
    tol=0.0,
)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("shuffle", [False, True], ids=["ordered", "shuffled"])
@pytest.mark.parametrize("outputs", ["single", "multi"])
@pytest.mark.parametrize("loss", ["squared_error", "poisson"])
@pytest.mark.parametrize("solver", sorted(SOLVERS))
def test_loss_curve_matches_sklearn(solver, loss, outputs, shuffle, weighted):
    X, y = DATASETS[loss, outputs]
    sw = SAMPLE_WEIGHT if weighted else None
    params = {**COMMON, "loss": loss, "shuffle": shuffle, **SOLVERS[solver]}
    theirs, ours = _fit_both(X, y, sw, **params)
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.t_ == theirs.t_
    assert len(ours.loss_curve_) == len(theirs.loss_curve_)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-8)
    assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-8)
    assert ours.best_loss_ == pytest.approx(theirs.best_loss_, rel=1e-8)
    predictions = ours.predict(X)
    assert predictions.shape == theirs.predict(X).shape == y.shape
    np.testing.assert_allclose(predictions, theirs.predict(X), rtol=1e-8, atol=1e-10)
    assert ours.out_activation_ == theirs.out_activation_
    assert ours.n_outputs_ == theirs.n_outputs_ == (1 if y.ndim == 1 else 3)
    # The curve moved: a check of equal constants would prove nothing.
    assert ours.loss_curve_[-1] < ours.loss_curve_[0]


@pytest.mark.parametrize("loss", ["squared_error", "poisson"])
@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "relu"])
def test_initial_weights_identical(activation, loss):
    X, y = DATASETS[loss, "multi"]
    params = dict(
        loss=loss,
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
    _assert_same_weights(ours, theirs, atol=1e-10)
    assert [W.shape for W in ours.coefs_] == [(5, 5), (5, 3), (3, 3)]


@pytest.mark.parametrize("outputs", ["single", "multi"])
def test_initial_weights_bit_identical_via_random_state(outputs):
    X, y = DATASETS["squared_error", outputs]
    reg = BackpropMLPRegressor(
        hidden_layer_sizes=(4, 2), random_state=np.random.RandomState(11)
    )
    net, *_ = reg._prepare(X, y, None, incremental=False)
    rng = np.random.RandomState(11)
    shapes = [(5, 4), (4, 2), (2, 1 if outputs == "single" else 3)]
    assert [W.shape for W in net.coefs] == shapes
    for W, b in zip(net.coefs, net.intercepts):
        bound = np.sqrt(6.0 / sum(W.shape))  # identity output: not logistic's
        np.testing.assert_array_equal(W, rng.uniform(-bound, bound, W.shape))
        np.testing.assert_array_equal(b, rng.uniform(-bound, bound, b.shape))


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize(
    "loss, outputs",
    [("squared_error", "single"), ("squared_error", "multi"), ("poisson", "multi")],
)
def test_early_stopping_matches_sklearn(loss, outputs, weighted):
    X, y = DATASETS[loss, outputs]
    params = dict(
        loss=loss,
        hidden_layer_sizes=(10,),
        solver="adam",
        learning_rate_init=0.01,
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=5,
        max_iter=200,
        random_state=5,
    )
    theirs, ours = _fit_both(X, y, SAMPLE_WEIGHT if weighted else None, **params)
    assert ours.n_iter_ == theirs.n_iter_ < 200  # it stopped early
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-8)
    np.testing.assert_allclose(
        ours.validation_scores_, theirs.validation_scores_, rtol=1e-8
    )
    assert ours.best_validation_score_ == pytest.approx(
        theirs.best_validation_score_, rel=1e-8
    )
    assert ours.best_loss_ is theirs.best_loss_ is None
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-8)
    # The best epoch's weights are kept, as scikit-learn keeps them.
    _assert_same_weights(ours, theirs, atol=1e-10)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize(
    "loss, outputs",
    [
        ("squared_error", "single"),
        ("squared_error", "multi"),
        ("poisson", "single"),
        ("poisson", "multi"),
    ],
)
def test_lbfgs_reaches_sklearns_loss(loss, outputs, weighted):
    """L-BFGS amplifies rounding differences along the path, so compare where
    both converge: a regularised problem with a unique minimum, run to the end.
    SciPy stops on a relative decrease of the loss, so along a flat valley
    (alpha=1 leaves one here) the two stop up to 1e-6 apart in loss and 5e-3
    in prediction; alpha=3 makes the minimum sharp. (scikit-learn 1.9's
    MLPRegressor records no loss_curve_ for L-BFGS.)"""
    X, y = DATASETS[loss, outputs]
    params = dict(
        loss=loss,
        hidden_layer_sizes=(4,),
        activation="tanh",
        solver="lbfgs",
        alpha=3.0,
        max_iter=2000,
        tol=1e-10,
        random_state=0,
    )
    theirs, ours = _fit_both(X, y, SAMPLE_WEIGHT if weighted else None, **params)
    assert abs(ours.loss_ - theirs.loss_) <= 1e-6
    assert len(ours.loss_curve_) == ours.n_iter_
    assert ours.loss_curve_[-1] == pytest.approx(ours.loss_)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=0, atol=1e-5)


@pytest.mark.parametrize("loss", ["squared_error", "poisson"])
def test_lbfgs_first_iterations_match_sklearn(loss):
    X, y = DATASETS[loss, "multi"]
    for max_iter in (1, 5, 15):
        theirs, ours = _fit_both(
            X,
            y,
            loss=loss,
            hidden_layer_sizes=(8, 5),
            solver="lbfgs",
            random_state=0,
            max_iter=max_iter,
        )
        assert ours.n_iter_ == theirs.n_iter_ == max_iter
        assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-8)


@pytest.mark.parametrize("loss", ["squared_error", "poisson"])
def test_partial_fit_matches_sklearn(loss):
    X, y = DATASETS[loss, "multi"]
    params = dict(
        loss=loss,
        hidden_layer_sizes=(5,),
        solver="sgd",
        learning_rate_init=0.01,
        random_state=0,
        batch_size=10,
    )
    theirs, ours = MLPRegressor(**params), BackpropMLPRegressor(**params)
    for _ in range(5):
        theirs.partial_fit(X, y, sample_weight=SAMPLE_WEIGHT)
        ours.partial_fit(X, y, sample_weight=SAMPLE_WEIGHT)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-8)
    assert ours.t_ == theirs.t_ == 5 * 120
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-8)


def test_full_batch_descent_follows_sklearn_bit_for_bit():
    X, y = DATASETS["squared_error", "single"]
    theirs, ours = _fit_both(
        X,
        y,
        hidden_layer_sizes=(4,),
        activation="tanh",
        solver="sgd",
        momentum=0.0,
        learning_rate_init=0.05,
        batch_size=len(X),
        max_iter=200,
        tol=0,
        n_iter_no_change=200,
        random_state=0,
    )
    _assert_same_weights(ours, theirs)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_float32_matches_sklearn():
    X, y = DATASETS["squared_error", "multi"]
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
    assert ours.predict(X).dtype == np.float32
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-4)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), atol=1e-4)
