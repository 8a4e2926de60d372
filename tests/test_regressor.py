"""BackpropMLPRegressor: bad input, what the losses do on data, and the
scikit-learn workflows."""

import inspect
import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_diabetes, make_regression
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning, NotFittedError
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.multioutput import MultiOutputRegressor
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skmlp import BackpropMLPRegressor
from skmlp.callbacks import StopWhenLossBelow, WeightSnapshots

RNG = np.random.RandomState(0)
X_SINE = RNG.uniform(-2, 2, size=(120, 2))
Y_SINE = np.sin(X_SINE[:, 0]) + 0.5 * X_SINE[:, 1] + 0.05 * RNG.normal(size=120)
Y_TWO = np.column_stack([Y_SINE, X_SINE[:, 0] * X_SINE[:, 1]])


def fit_quietly(reg, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return reg.fit(*args, **kwargs)


def small(**params):
    return BackpropMLPRegressor(
        **{"hidden_layer_sizes": (6,), "max_iter": 5, "random_state": 0, **params}
    )


# -- bad input ------------------------------------------------------------------


def _with(y, index, value):
    y = y.astype(float).copy()
    y[index] = value
    return y


@pytest.mark.parametrize(
    "y, message",
    [
        (_with(Y_SINE, 3, np.nan), "Input y contains NaN"),
        (_with(Y_SINE, 3, np.inf), "Input y contains infinity"),
        (_with(Y_SINE, 3, -np.inf), "Input y contains infinity"),
        (_with(Y_TWO, (5, 1), np.nan), "Input y contains NaN"),
        (np.array(["a", "b"] * 60), r"y must hold numbers .* dtype <U1"),
        (["low", "high"] * 60, r"y must hold numbers .*could not convert"),
        (np.array([1.0, "b"] * 60, dtype=object), r"y must hold numbers .* object"),
        (Y_SINE[:-1], "inconsistent numbers of samples"),
        (np.empty((120, 0)), r"0 feature\(s\)"),
    ],
    ids=[
        "nan",
        "inf",
        "-inf",
        "nan-multi",
        "numpy-str",
        "list-of-str",
        "object",
        "lengths",
        "no-outputs",
    ],
)
def test_bad_targets_are_named(y, message):
    with pytest.raises(ValueError, match=message):
        small().fit(X_SINE, y)


def test_text_targets_point_to_the_classifier():
    with pytest.raises(ValueError, match="For class labels use BackpropMLPClassifier"):
        small(solver="sgd").partial_fit(X_SINE[:2], np.array(["a", "b"]))


def test_missing_y_is_named():
    with pytest.raises(ValueError, match="requires y to be passed"):
        small().fit(X_SINE, None)


@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_negative_targets_with_poisson_are_named(method):
    y = np.abs(Y_SINE)
    y[7] = -0.25
    reg = small(loss="poisson", solver="sgd")
    with pytest.raises(
        ValueError,
        match=r"loss='poisson' needs non-negative targets, but y has 1 negative "
        r"values \(the smallest is -0\.25\)",
    ):
        getattr(reg, method)(X_SINE, y)
    assert not hasattr(reg, "coefs_")  # nothing half-fitted
    # Zeros are fine: a count of zero is a count.
    fit_quietly(small(loss="poisson"), X_SINE, np.abs(Y_SINE) * (Y_SINE > 0))


def test_a_changed_number_of_outputs_is_named():
    message = (
        r"y has 1 outputs but the model was fitted with 2; {how} continues "
        "training the same outputs"
    )
    reg = small(solver="sgd").partial_fit(X_SINE, Y_TWO)
    with pytest.raises(ValueError, match=message.format(how="partial_fit")):
        reg.partial_fit(X_SINE, Y_SINE)
    with (
        pytest.warns(DataConversionWarning, match="column-vector y"),
        pytest.raises(ValueError, match=message.format(how="partial_fit")),
    ):
        reg.partial_fit(X_SINE, Y_SINE[:, None])
    with pytest.raises(ValueError, match=r"y has 3 outputs .* fitted with 2"):
        reg.partial_fit(X_SINE, np.c_[Y_TWO, Y_SINE])
    warm = fit_quietly(small(warm_start=True), X_SINE, Y_TWO)
    before = [W.copy() for W in warm.coefs_]
    with pytest.raises(ValueError, match=message.format(how="warm_start")):
        warm.fit(X_SINE, Y_SINE)
    for W, W0 in zip(warm.coefs_, before):  # the fitted model is untouched
        np.testing.assert_array_equal(W, W0)
    # Without warm_start a new fit simply starts again with the new outputs.
    assert (
        fit_quietly(warm.set_params(warm_start=False), X_SINE, Y_SINE).n_outputs_ == 1
    )


@pytest.mark.parametrize(
    "params, error, message",
    [
        (dict(loss="quantile"), ValueError, r"loss='quantile' needs the quantile"),
        (
            dict(loss="quantile", quantile=0.0),
            InvalidParameterError,
            r"'quantile' parameter .* range \(0.0, 1.0\).* Got 0.0",
        ),
        (
            dict(loss="quantile", quantile=1.0),
            InvalidParameterError,
            r"'quantile' parameter .* Got 1.0",
        ),
        (
            dict(loss="quantile", quantile=1.5),
            InvalidParameterError,
            r"'quantile' parameter .* Got 1.5",
        ),
        (
            dict(loss="quantile", quantile=-0.2),
            InvalidParameterError,
            r"'quantile' parameter .* Got -0.2",
        ),
        (
            dict(loss="huber", huber_delta=0.0),
            InvalidParameterError,
            r"'huber_delta' parameter .* range \(0.0, inf\). Got 0.0",
        ),
        (
            dict(loss="huber", huber_delta=-1.0),
            InvalidParameterError,
            r"'huber_delta' parameter .* Got -1.0",
        ),
        (dict(loss="hinge"), InvalidParameterError, r"'loss' parameter .*'hinge'"),
        (dict(loss="squared_loss"), InvalidParameterError, r"'loss' parameter"),
        (dict(solver="lbfgs", dropout=0.2), ValueError, "dropout"),
    ],
    ids=[
        "quantile-None",
        "quantile-0",
        "quantile-1",
        "quantile-1.5",
        "quantile-negative",
        "huber-0",
        "huber-negative",
        "unknown-loss",
        "old-loss-name",
        "lbfgs-dropout",
    ],
)
def test_bad_parameters_are_named(params, error, message):
    with pytest.raises(error, match=message):
        small(**params).fit(X_SINE, Y_SINE)


@pytest.mark.parametrize("sizes", [(5,), (8, 4), 7, [3]])
def test_layer_sizes_passed_as_loss_get_a_helpful_message(sizes):
    with pytest.raises(ValueError) as caught:
        BackpropMLPRegressor(sizes, max_iter=2).fit(X_SINE, Y_SINE)
    message = str(caught.value)
    assert f"got {sizes!r}" in message
    assert "loss is the first positional parameter" in message
    assert f"BackpropMLPRegressor(hidden_layer_sizes={sizes!r})" in message
    with pytest.raises(ValueError, match="loss is the first positional"):
        BackpropMLPRegressor(sizes, solver="sgd").partial_fit(X_SINE, Y_SINE)


def test_predict_errors():
    with pytest.raises(NotFittedError, match="BackpropMLPRegressor instance is not"):
        BackpropMLPRegressor().predict(X_SINE)
    reg = fit_quietly(small(), X_SINE, Y_SINE)
    with pytest.raises(
        ValueError, match="X has 3 features, but BackpropMLPRegressor is expecting 2"
    ):
        reg.predict(np.c_[X_SINE, X_SINE[:, 0]])
    with pytest.raises(ValueError, match="Input X contains NaN"):
        reg.predict(_with(X_SINE, (0, 0), np.nan))
    with pytest.raises(ValueError, match="X has 3 features"):
        reg.set_params(solver="sgd").partial_fit(np.c_[X_SINE, X_SINE[:, 0]], Y_SINE)


@pytest.mark.parametrize("dtype", [np.int64, np.int8, bool])
def test_integer_and_boolean_targets_are_numbers(dtype):
    y = (np.round(Y_SINE * 2) if dtype is not bool else Y_SINE > 0).astype(dtype)
    reg = fit_quietly(small(), X_SINE, y)
    assert reg.predict(X_SINE).dtype == np.float64
    same = fit_quietly(small(), X_SINE, y.astype(float))
    np.testing.assert_array_equal(reg.predict(X_SINE), same.predict(X_SINE))


def test_column_vector_target_is_ravelled_with_sklearns_warning():
    with pytest.warns(DataConversionWarning, match="A column-vector y was passed"):
        reg = fit_quietly(small(), X_SINE, Y_SINE[:, None])
    assert reg.n_outputs_ == 1
    assert reg.predict(X_SINE).shape == (120,)


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_zero_weight_batches_are_harmless(solver):
    # batch_size=2 without shuffling: the pairs (0, 1), (6, 7), (8, 9) and the
    # last one weigh nothing.
    sw = np.ones(120)
    sw[[0, 1, 6, 7, 8, 9, 118, 119]] = 0.0
    reg = small(
        solver=solver, batch_size=2, shuffle=False, max_iter=4, alpha=1e-3, tol=0
    )
    initial = small(solver=solver, max_iter=1, learning_rate_init=1e-12)
    fit_quietly(initial, X_SINE, Y_SINE)
    fit_quietly(reg, X_SINE, Y_SINE, sample_weight=sw)
    assert len(reg.loss_curve_) == 4 and np.isfinite(reg.loss_curve_).all()
    assert all(np.isfinite(W).all() for W in reg.coefs_ + reg.intercepts_)
    assert np.isfinite(reg.predict(X_SINE)).all()
    assert reg.loss_curve_[-1] < reg.loss_curve_[0]  # training went on
    assert not np.allclose(reg.coefs_[0], initial.coefs_[0])


def test_zero_weight_batches_take_no_step():
    """With plain SGD a batch of zero weight changes nothing: the fit is the
    fit without those rows, and its epoch losses count them as zero."""
    sw = np.ones(120)
    sw[[0, 1, 6, 7, 8, 9, 118, 119]] = 0.0
    settings = dict(
        solver="sgd",
        momentum=0.0,
        batch_size=2,
        shuffle=False,
        max_iter=3,
        learning_rate_init=0.01,
    )
    weighted = fit_quietly(small(**settings), X_SINE, Y_SINE, sample_weight=sw)
    kept = sw > 0
    removed = fit_quietly(small(**settings), X_SINE[kept], Y_SINE[kept])
    np.testing.assert_allclose(weighted.predict(X_SINE), removed.predict(X_SINE))
    np.testing.assert_allclose(
        weighted.loss_curve_, np.array(removed.loss_curve_) * 112 / 120
    )


# -- the losses on data -----------------------------------------------------------


def _heteroscedastic(n=400, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, size=(n, 1))
    y = np.sin(X[:, 0]) + (0.2 + 0.3 * np.abs(X[:, 0])) * rng.normal(size=n)
    return X, y


@pytest.mark.parametrize("q", [0.1, 0.5, 0.9])
def test_quantile_model_has_that_fraction_of_targets_below(q):
    X, y = _heteroscedastic()
    reg = BackpropMLPRegressor(
        loss="quantile",
        quantile=q,
        hidden_layer_sizes=(16,),
        activation="tanh",
        learning_rate_init=0.01,
        batch_size=50,
        max_iter=300,
        n_iter_no_change=300,
        random_state=0,
    )
    fit_quietly(reg, X, y)
    below = np.mean(y <= reg.predict(X))
    assert below == pytest.approx(q, abs=0.04)


def test_quantiles_are_ordered_and_widen_with_the_noise():
    X, y = _heteroscedastic()
    grid = np.array([[-1.8], [0.0], [1.8]])
    predictions = {}
    for q in (0.1, 0.9):
        reg = BackpropMLPRegressor(
            loss="quantile",
            quantile=q,
            hidden_layer_sizes=(16,),
            activation="tanh",
            learning_rate_init=0.01,
            batch_size=50,
            max_iter=300,
            n_iter_no_change=300,
            random_state=0,
        )
        predictions[q] = fit_quietly(reg, X, y).predict(grid)
    width = predictions[0.9] - predictions[0.1]
    assert (width > 0).all()
    # The noise's standard deviation is 0.74 at |x| = 1.8 and 0.2 at 0:
    # the 80 % interval is about 2.56 standard deviations wide.
    assert width[1] < 0.5 * min(width[0], width[2])


def _line_with_outliers(n=300, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, size=(n, 1))
    clean = 2.0 * X[:, 0] + 1.0
    y = clean + 0.1 * rng.normal(size=n)
    y[:15] += 40.0  # 5 % gross outliers, all on one side
    return X, y, clean


@pytest.mark.parametrize("robust", ["huber", "absolute_error"])
def test_robust_losses_are_less_pulled_by_outliers(robust):
    X, y, clean = _line_with_outliers()
    settings = dict(hidden_layer_sizes=(), solver="lbfgs", max_iter=500, random_state=0)
    squared = fit_quietly(BackpropMLPRegressor(**settings), X, y)
    resistant = fit_quietly(BackpropMLPRegressor(loss=robust, **settings), X, y)
    error_squared = np.abs(squared.predict(X) - clean)[15:].mean()
    error_robust = np.abs(resistant.predict(X) - clean)[15:].mean()
    assert error_squared > 1.5  # pulled up by about 40 * 5 % = 2
    assert error_robust < 0.25
    # A linear model: the slope survives the outliers too.
    assert resistant.coefs_[0][0, 0] == pytest.approx(2.0, abs=0.1)


def test_absolute_error_fits_the_median_and_squared_error_the_mean():
    rng = np.random.RandomState(1)
    y = rng.exponential(size=301)  # skewed: median log 2, mean 1
    X = np.zeros((301, 1))
    settings = dict(hidden_layer_sizes=(), solver="lbfgs", max_iter=500, random_state=0)
    median = fit_quietly(BackpropMLPRegressor(loss="absolute_error", **settings), X, y)
    mean = fit_quietly(BackpropMLPRegressor(**settings), X, y)
    assert median.predict(X[:1])[0] == pytest.approx(np.median(y), abs=1e-4)
    assert mean.predict(X[:1])[0] == pytest.approx(y.mean(), abs=1e-4)
    assert np.median(y) < y.mean() - 0.2


def test_poisson_predicts_positive_rates():
    rng = np.random.RandomState(2)
    X = rng.uniform(-1, 1, size=(300, 2))
    rate = np.exp(1.0 + X[:, 0] - 0.5 * X[:, 1])
    y = rng.poisson(rate).astype(float)
    reg = BackpropMLPRegressor(
        loss="poisson", hidden_layer_sizes=(), solver="lbfgs", random_state=0
    )
    fit_quietly(reg, X, y)
    assert reg.out_activation_ == "exp"
    predictions = reg.predict(X)
    assert (predictions > 0).all()
    np.testing.assert_allclose(
        predictions, np.exp(X @ reg.coefs_[0][:, 0] + reg.intercepts_[0][0])
    )
    # The log-linear model recovers the coefficients.
    np.testing.assert_allclose(reg.coefs_[0][:, 0], [1.0, -0.5], atol=0.2)
    assert reg.intercepts_[0][0] == pytest.approx(1.0, abs=0.15)


# -- fitted model -----------------------------------------------------------------


@pytest.mark.parametrize("targets", ["single", "multi"])
def test_fitted_attributes_and_shapes(targets):
    y = Y_SINE if targets == "single" else Y_TWO
    reg = fit_quietly(
        BackpropMLPRegressor(hidden_layer_sizes=(6, 4), max_iter=5, random_state=0),
        X_SINE,
        y,
    )
    k = 1 if targets == "single" else 2
    assert reg.n_layers_ == 4 and reg.n_features_in_ == 2 and reg.n_outputs_ == k
    assert reg.out_activation_ == "identity"
    assert [W.shape for W in reg.coefs_] == [(2, 6), (6, 4), (4, k)]
    assert [b.shape for b in reg.intercepts_] == [(6,), (4,), (k,)]
    assert len(reg.loss_curve_) == reg.n_iter_ == 5
    assert reg.t_ == 5 * 120
    assert reg.best_loss_ == min(reg.loss_curve_)
    assert reg.validation_scores_ is None and reg.validation_loss_curve_ is None
    assert reg.predict(X_SINE).shape == y.shape
    hidden = reg.hidden_activations(X_SINE)
    assert [A.shape for A in hidden] == [(120, 6), (120, 4)]
    assert reg.hidden_activations(X_SINE, layer=-1).shape == (120, 4)
    A0 = np.maximum(X_SINE @ reg.coefs_[0] + reg.intercepts_[0], 0)
    np.testing.assert_allclose(hidden[0], A0)
    Z1 = reg.hidden_activations(X_SINE, layer=1, pre_activation=True)
    np.testing.assert_allclose(Z1, A0 @ reg.coefs_[1] + reg.intercepts_[1])
    output = np.maximum(Z1, 0) @ reg.coefs_[2] + reg.intercepts_[2]
    np.testing.assert_allclose(reg.predict(X_SINE), output.reshape(y.shape))
    with pytest.raises(ValueError, match=r"layer must be None or an int in \[-2, 2\)"):
        reg.hidden_activations(X_SINE, layer=2)


@pytest.mark.parametrize("method", ["fit", "partial_fit", "predict", "score"])
def test_method_signatures_are_sklearns(method):
    """sklearn's arguments first, in its order; fit's validation set is added
    keyword-only."""
    ours = list(
        inspect.signature(getattr(BackpropMLPRegressor, method)).parameters.values()
    )
    theirs = list(inspect.signature(getattr(MLPRegressor, method)).parameters.values())
    assert [(p.name, p.default) for p in ours[: len(theirs)]] == [
        (p.name, p.default) for p in theirs
    ]
    added = ours[len(theirs) :]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in added)
    assert [p.name for p in added] == (
        ["X_val", "y_val", "sample_weight_val"] if method == "fit" else []
    )


def test_score_is_r2():
    reg = small(activation="tanh", learning_rate_init=0.02, max_iter=300)
    fit_quietly(reg, X_SINE, Y_TWO)
    assert reg.score(X_SINE, Y_TWO) == r2_score(Y_TWO, reg.predict(X_SINE))
    assert reg.score(X_SINE, Y_TWO) > 0.9


def test_early_stopping_records_validation_loss_and_keeps_the_best():
    X, y = _heteroscedastic(300, seed=3)
    reg = fit_quietly(
        BackpropMLPRegressor(
            hidden_layer_sizes=(16,),
            activation="tanh",
            early_stopping=True,
            learning_rate_init=0.01,
            random_state=0,
        ),
        X,
        y,
    )
    assert reg.n_iter_ < 200
    assert len(reg.validation_scores_) == len(reg.validation_loss_curve_) == reg.n_iter_
    assert reg.best_validation_score_ == max(reg.validation_scores_)
    assert reg.best_loss_ is None
    # The validation loss is the same loss on the held-out rows: half the
    # mean squared error, near half the noise variance (0.2 + 0.3 |x|)^2.
    assert all(np.isfinite(reg.validation_loss_curve_))
    assert 0.05 < min(reg.validation_loss_curve_) < 0.3
    # For one output the best R² is the lowest squared error.
    best = int(np.argmax(reg.validation_scores_))
    assert reg.validation_loss_curve_[best] == pytest.approx(
        min(reg.validation_loss_curve_), rel=1e-12
    )


def _validation_rows(n_samples, layer_units, seed, fraction):
    """The rows early stopping holds out: scikit-learn's split, drawn from the
    fit's RandomState after the initial weights (Glorot uniform)."""
    rng = np.random.RandomState(seed)
    for fan_in, fan_out in zip(layer_units[:-1], layer_units[1:]):
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        rng.uniform(-bound, bound, (fan_in, fan_out))
        rng.uniform(-bound, bound, fan_out)
    _, held_out = train_test_split(
        np.arange(n_samples), random_state=rng, test_size=fraction
    )
    return held_out


@pytest.mark.parametrize(
    "loss, per_element",
    [
        ("absolute_error", lambda r: np.abs(r)),
        (
            "huber",
            lambda r: np.where(np.abs(r) <= 0.3, r**2 / 2, 0.3 * (np.abs(r) - 0.15)),
        ),
        ("quantile", lambda r: np.where(r <= 0, -0.8 * r, 0.2 * r)),
    ],
)
def test_validation_loss_is_the_chosen_loss_on_the_held_out_rows(loss, per_element):
    X, y = _heteroscedastic(200, seed=4)
    sw = np.random.RandomState(5).uniform(0.5, 2.0, size=200)
    reg = fit_quietly(
        BackpropMLPRegressor(
            loss=loss,
            huber_delta=0.3,
            quantile=0.8,
            hidden_layer_sizes=(8,),
            early_stopping=True,
            validation_fraction=0.25,
            learning_rate_init=0.01,
            max_iter=4,
            random_state=0,
        ),
        X,
        y,
        sample_weight=sw,
    )
    held_out = _validation_rows(200, [1, 8, 1], 0, 0.25)
    assert held_out.size == 50
    best = int(np.argmax(reg.validation_scores_))  # the weights kept
    r = reg.predict(X[held_out]) - y[held_out]
    w = sw[held_out]
    assert reg.validation_loss_curve_[best] == pytest.approx(
        w @ per_element(r) / w.sum(), rel=1e-10
    )
    assert reg.validation_scores_[best] == pytest.approx(
        r2_score(y[held_out], reg.predict(X[held_out]), sample_weight=w), rel=1e-10
    )


def test_warm_start_continues_and_may_change_the_loss():
    reg = BackpropMLPRegressor(
        hidden_layer_sizes=(5,), max_iter=5, warm_start=True, random_state=0
    )
    fit_quietly(reg, X_SINE, Y_SINE)
    first = [W.copy() for W in reg.coefs_]
    reg.set_params(loss="huber", huber_delta=0.1)
    fit_quietly(reg, X_SINE, Y_SINE)
    # As scikit-learn: the curve continues, n_iter_ counts this fit's epochs.
    assert len(reg.loss_curve_) == 10 and reg.n_iter_ == 5
    assert reg._network.loss.delta == 0.1
    assert not np.array_equal(reg.coefs_[0], first[0])
    # The continued fit starts from the weights reached: one tiny step moves
    # them by almost nothing.
    reg.set_params(loss="quantile", quantile=0.7, max_iter=1, learning_rate_init=1e-12)
    before = [W.copy() for W in reg.coefs_]
    fit_quietly(reg, X_SINE, Y_SINE)
    for W, W0 in zip(reg.coefs_, before):
        np.testing.assert_allclose(W, W0, atol=1e-9)
    # To Poisson: the output becomes exp of the same logits.
    logits = reg.predict(X_SINE)
    positive = np.abs(Y_SINE)
    reg.set_params(loss="poisson")
    fit_quietly(reg, X_SINE, positive)
    assert reg.out_activation_ == "exp"
    np.testing.assert_allclose(reg.predict(X_SINE), np.exp(logits), rtol=1e-6)


def test_partial_fit_continues_and_tracks_samples():
    reg = BackpropMLPRegressor(hidden_layer_sizes=(4,), solver="sgd", random_state=0)
    for i in range(3):
        reg.partial_fit(X_SINE, Y_TWO)
        # As scikit-learn: n_iter_ counts the epochs of this call.
        assert len(reg.loss_curve_) == i + 1 and reg.n_iter_ == 1
    assert reg.t_ == 3 * 120
    assert not hasattr(BackpropMLPRegressor(solver="lbfgs"), "partial_fit")
    with pytest.raises(ValueError, match="does not support early_stopping"):
        BackpropMLPRegressor(early_stopping=True).partial_fit(X_SINE, Y_SINE)


def test_float32_end_to_end():
    X32, y32 = X_SINE.astype(np.float32), Y_TWO.astype(np.float32)
    reg = fit_quietly(small(loss="huber", max_iter=20), X32, y32)
    assert all(W.dtype == np.float32 for W in reg.coefs_ + reg.intercepts_)
    assert reg.predict(X32).dtype == np.float32
    assert isinstance(reg.loss_, float) and np.isfinite(reg.loss_curve_).all()
    # float64 data on a float32 model predicts in float64
    assert reg.predict(X_SINE).dtype == np.float64
    full = fit_quietly(small(loss="huber", max_iter=20), X_SINE, Y_TWO)
    np.testing.assert_allclose(reg.loss_curve_, full.loss_curve_, rtol=1e-4)
    np.testing.assert_allclose(reg.predict(X32), full.predict(X_SINE), atol=1e-4)


@pytest.mark.parametrize("loss", ["squared_error", "quantile"])
@pytest.mark.parametrize("fmt", [sp.csr_matrix, sp.csc_matrix, sp.csr_array])
def test_sparse_input_gives_the_dense_answers(fmt, loss):
    X = X_SINE.copy()
    X[np.abs(X) < 0.8] = 0.0  # a third of the entries stored as zeros
    settings = dict(loss=loss, quantile=0.3, max_iter=10)
    dense = fit_quietly(small(**settings), X, Y_TWO)
    sparse = fit_quietly(small(**settings), fmt(X), Y_TWO)
    np.testing.assert_allclose(sparse.loss_curve_, dense.loss_curve_, rtol=1e-10)
    np.testing.assert_allclose(sparse.predict(fmt(X)), dense.predict(X), rtol=1e-9)
    np.testing.assert_allclose(dense.predict(fmt(X)), dense.predict(X), rtol=1e-12)


def test_dropout_trains_and_predicts_without_it():
    reg = BackpropMLPRegressor(
        hidden_layer_sizes=(32, 16),
        activation=("tanh", "relu"),
        dropout=(0.3, 0.1),
        learning_rate_init=0.01,
        max_iter=100,
        random_state=0,
    )
    fit_quietly(reg, X_SINE, Y_SINE)
    assert reg.score(X_SINE, Y_SINE) > 0.8
    # Prediction uses the whole network: deterministic, and the dense pass.
    np.testing.assert_array_equal(reg.predict(X_SINE), reg.predict(X_SINE))
    A = np.tanh(X_SINE @ reg.coefs_[0] + reg.intercepts_[0])
    A = np.maximum(A @ reg.coefs_[1] + reg.intercepts_[1], 0)
    np.testing.assert_allclose(
        reg.predict(X_SINE), (A @ reg.coefs_[2] + reg.intercepts_[2])[:, 0]
    )
    # The masks come from random_state: the same seed, the same fit.
    again = fit_quietly(reg.__class__(**reg.get_params()), X_SINE, Y_SINE)
    np.testing.assert_array_equal(again.predict(X_SINE), reg.predict(X_SINE))
    other = fit_quietly(
        reg.__class__(**{**reg.get_params(), "dropout": 0.0}), X_SINE, Y_SINE
    )
    assert not np.allclose(other.predict(X_SINE), reg.predict(X_SINE))


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_callbacks_see_and_stop_the_regressor(solver):
    snapshots = WeightSnapshots(every=2)
    records = []

    def record(model, epoch):
        records.append((epoch["epoch"], epoch["loss"], model.loss_curve_[-1]))

    reg = BackpropMLPRegressor(
        hidden_layer_sizes=(8,),
        activation="tanh",
        solver=solver,
        learning_rate_init=0.05,
        max_iter=500,
        callbacks=[snapshots, record, StopWhenLossBelow(0.05)],
        random_state=0,
    )
    fit_quietly(reg, X_SINE, Y_SINE)
    assert reg.loss_ < 0.05 and reg.n_iter_ < 500  # the callback stopped it
    assert [r[0] for r in records] == list(range(1, reg.n_iter_ + 1))
    assert [r[1] for r in records] == reg.loss_curve_ == [r[2] for r in records]
    assert snapshots.epochs == list(range(0, reg.n_iter_ + 1, 2))
    assert [W.shape for W in snapshots.coefs[-1]] == [(2, 8), (8, 1)]
    if reg.n_iter_ % 2 == 0:
        np.testing.assert_array_equal(snapshots.coefs[-1][0], reg.coefs_[0])


def test_divergence_is_named_as_for_the_classifier():
    X, y = make_regression(200, 5, noise=1.0, random_state=0)
    settings = dict(
        hidden_layer_sizes=(20,),
        solver="sgd",
        learning_rate_init=50.0,
        momentum=0.9,
        max_iter=30,
        random_state=0,
    )
    reg = BackpropMLPRegressor(**settings)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="Solver produced non-finite parameter"):
            reg.fit(X * 100, y)
    messages = [str(w.message) for w in caught if w.category is ConvergenceWarning]
    assert messages[-1] == (
        "Training diverged: the loss became inf at epoch 5. learning_rate_init=50.0 "
        "is probably too large; lower it, or scale the data (e.g. StandardScaler)."
    )
    assert messages[0].startswith("The training loss grew from")
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert reg.loss_curve_[:4] == sorted(reg.loss_curve_[:4])  # growing
    assert len(reg.loss_curve_) == 5 and reg.loss_curve_[-1] == np.inf
    # scikit-learn's MLPRegressor fails with the same error (after NumPy's
    # overflow warnings).
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="Solver produced non-finite parameter"):
            MLPRegressor(**settings).fit(X * 100, y)


def test_poisson_overflow_is_named():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 3))
    y = rng.poisson(2.0, size=100).astype(float)
    reg = BackpropMLPRegressor(
        loss="poisson",
        hidden_layer_sizes=(10,),
        solver="sgd",
        learning_rate_init=10.0,
        max_iter=20,
        random_state=0,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="Solver produced non-finite parameter"):
            reg.fit(X * 10, y)
    assert any("learning_rate_init=10.0" in str(w.message) for w in caught)
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]


# -- workflows ----------------------------------------------------------------------


def test_pipeline_cross_val_score_on_diabetes():
    X, y = load_diabetes(return_X_y=True)
    model = TransformedTargetRegressor(
        make_pipeline(
            StandardScaler(),
            BackpropMLPRegressor(
                hidden_layer_sizes=(16,),
                alpha=1.0,
                learning_rate_init=0.01,
                early_stopping=True,
                random_state=0,
            ),
        ),
        transformer=StandardScaler(),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        scores = cross_val_score(model, X, y, cv=3)
    assert scores.shape == (3,)
    assert scores.mean() > 0.3 and scores.min() > 0.2


def test_transformed_target_regressor_undoes_the_scaling():
    X, y = make_regression(150, 4, noise=5.0, random_state=1)
    y = 1000.0 + 50.0 * y  # far from the network's natural scale
    settings = dict(hidden_layer_sizes=(), solver="lbfgs", random_state=0)
    model = TransformedTargetRegressor(
        BackpropMLPRegressor(**settings), transformer=StandardScaler()
    )
    fit_quietly(model, X, y)
    assert model.score(X, y) > 0.99
    inner = model.regressor_
    scaler = model.transformer_
    expected = scaler.inverse_transform(inner.predict(X)[:, None])[:, 0]
    np.testing.assert_allclose(model.predict(X), expected)


def test_grid_search_in_two_processes():
    grid = {
        "loss": ["squared_error", "huber"],
        "hidden_layer_sizes": [(4,), (8,)],
        "alpha": [1e-4, 1e-1],
    }
    base = BackpropMLPRegressor(
        activation="tanh", learning_rate_init=0.02, max_iter=100, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search = GridSearchCV(base, grid, cv=3, n_jobs=2, error_score="raise")
        search.fit(X_SINE, Y_SINE)
        serial = GridSearchCV(base, grid, cv=3, n_jobs=1).fit(X_SINE, Y_SINE)
    assert len(search.cv_results_["params"]) == 8
    assert search.best_score_ > 0.9
    np.testing.assert_array_equal(
        search.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
    np.testing.assert_array_equal(search.predict(X_SINE), serial.predict(X_SINE))


def test_multi_output_regressor_fits_one_network_per_output():
    X, Y = X_SINE, Y_TWO
    settings = dict(
        hidden_layer_sizes=(8,),
        activation="tanh",
        learning_rate_init=0.02,
        max_iter=300,
        random_state=0,
    )
    wrapped = fit_quietly(MultiOutputRegressor(BackpropMLPRegressor(**settings)), X, Y)
    assert len(wrapped.estimators_) == 2
    assert all(est.n_outputs_ == 1 for est in wrapped.estimators_)
    predictions = wrapped.predict(X)
    assert predictions.shape == (120, 2)
    for j in range(2):
        alone = fit_quietly(BackpropMLPRegressor(**settings), X, Y[:, j])
        np.testing.assert_array_equal(predictions[:, j], alone.predict(X))
    assert wrapped.score(X, Y) > 0.9


@pytest.mark.parametrize("loss", ["squared_error", "poisson", "quantile"])
def test_pickle_round_trip_is_bit_identical_and_trainable(loss):
    y = np.abs(Y_TWO)
    reg = BackpropMLPRegressor(
        loss=loss, quantile=0.6, hidden_layer_sizes=(5,), solver="sgd", random_state=0
    )
    reg.partial_fit(X_SINE, y)
    clone = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(clone.predict(X_SINE), reg.predict(X_SINE))
    reg.partial_fit(X_SINE, y)
    clone.partial_fit(X_SINE, y)
    np.testing.assert_array_equal(clone.predict(X_SINE), reg.predict(X_SINE))
    assert clone.loss_curve_ == reg.loss_curve_ and clone.t_ == reg.t_ == 240
    assert np.shares_memory(clone.coefs_[0], clone._network.params)
