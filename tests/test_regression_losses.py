"""Regression losses: values and deltas against plain formulas, their kinks,
finite-difference gradients through the whole network, and properties."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import (
    mean_absolute_error,
    mean_pinball_loss,
    mean_poisson_deviance,
    mean_squared_error,
)

from skmlp import BackpropMLPRegressor, check_gradients
from skmlp.activations import ACTIVATIONS
from skmlp.regression_losses import (
    REGRESSION_LOSSES,
    AbsoluteError,
    HalfPoissonDeviance,
    HalfSquaredError,
    HuberLoss,
    PinballLoss,
)

SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

HUBER_DELTA = 0.7
QUANTILE = 0.8


def _make(name, huber_delta=HUBER_DELTA, quantile=QUANTILE):
    if name == "huber":
        return HuberLoss(huber_delta)
    if name == "quantile":
        return PinballLoss(quantile)
    return REGRESSION_LOSSES[name]()


# -- plain formulas, written from the definitions -------------------------------


def _plain_elementwise(name, Z, Y, huber_delta=HUBER_DELTA, quantile=QUANTILE):
    """The loss of every output of every sample, and its derivative in z."""
    r = Z - Y
    if name == "squared_error":
        return r**2 / 2, r
    if name == "poisson":
        mu = np.exp(Z)
        y_log_y = np.where(Y > 0, Y * np.log(np.where(Y > 0, Y, 1.0)), 0.0)
        return y_log_y - Y * Z - Y + mu, mu - Y
    if name == "absolute_error":
        return np.abs(r), np.sign(r)
    if name == "huber":
        small = np.abs(r) <= huber_delta
        value = np.where(small, r**2 / 2, huber_delta * (np.abs(r) - huber_delta / 2))
        return value, np.where(small, r, huber_delta * np.sign(r))
    assert name == "quantile"
    q = quantile
    value = np.where(Y >= Z, q * (Y - Z), (1 - q) * (Z - Y))
    return value, np.where(Y >= Z, -q, 1 - q)


def _plain(name, Z, Y, w, **kw):
    """The weighted total and the output delta the loss should produce.

    A sample's loss is the mean over outputs (the sum for Poisson); squared
    error reports the mean but its delta is the gradient of the sum."""
    values, derivative = _plain_elementwise(name, Z, Y, **kw)
    k = Z.shape[1]
    per_sample = values.sum(axis=1) if name == "poisson" else values.mean(axis=1)
    divide = 1 if name in ("poisson", "squared_error") else k
    return float(w @ per_sample), w[:, None] * derivative / divide


def _data(name, n=7, k=3, seed=0):
    rng = np.random.RandomState(seed)
    Z = rng.normal(scale=1.5, size=(n, k))
    if name == "poisson":
        Y = rng.poisson(2.0, size=(n, k)).astype(float)  # zeros included
        Y[0, 0] = 0.0
    else:
        Y = Z + rng.choice([-1, 1], size=(n, k)) * rng.uniform(0.05, 3.0, (n, k))
    return Z, Y


def _run(loss, Z, Y, sw):
    delta, scratch = np.empty_like(Z), np.empty_like(Z)
    total = loss.loss_and_delta(Z, Y, sw, delta, scratch)
    return total, delta


@pytest.mark.parametrize("k", [1, 3], ids=["single", "multi"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("name", sorted(REGRESSION_LOSSES))
def test_value_and_delta_match_plain_formulas(name, weighted, k):
    Z, Y = _data(name, k=k)
    sw = np.random.RandomState(1).uniform(0.2, 3.0, size=7) if weighted else None
    Z_before, Y_before = Z.copy(), Y.copy()
    total, delta = _run(_make(name), Z, Y, sw)
    expected_total, expected_delta = _plain(
        name, Z, Y, np.ones(7) if sw is None else sw
    )
    assert isinstance(total, float)
    assert total == pytest.approx(expected_total, rel=1e-12)
    np.testing.assert_allclose(delta, expected_delta, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(Z, Z_before)  # nothing the caller passed changes
    np.testing.assert_array_equal(Y, Y_before)


@pytest.mark.parametrize("k", [1, 3], ids=["single", "multi"])
@pytest.mark.parametrize("name", sorted(REGRESSION_LOSSES))
def test_delta_is_the_gradient_of_the_scaled_total(name, k):
    """Central differences of the total, away from the kinks, times
    ``gradient_scale`` (the number of outputs for squared error, else 1)."""
    Z, Y = _data(name, k=k, seed=2)
    sw = np.random.RandomState(3).uniform(0.2, 3.0, size=7)
    loss = _make(name)
    if name == "huber":  # keep every |r| off the threshold too
        assert np.abs(np.abs(Z - Y) - HUBER_DELTA).min() > 1e-3
    _, delta = _run(loss, Z, Y, sw)
    scale = loss.gradient_scale(k)
    assert scale == (k if name == "squared_error" else 1)
    h = 1e-6
    numeric = np.empty_like(Z)
    for idx in np.ndindex(Z.shape):
        Zp, Zm = Z.copy(), Z.copy()
        Zp[idx] += h
        Zm[idx] -= h
        numeric[idx] = scale * (_run(loss, Zp, Y, sw)[0] - _run(loss, Zm, Y, sw)[0])
    numeric /= 2 * h
    np.testing.assert_allclose(delta, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("k", [1, 3], ids=["single", "multi"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_means_agree_with_sklearn_metrics(weighted, k):
    """scikit-learn's public metrics are the same losses, averaged over samples
    with the weights and over the outputs uniformly."""
    rng = np.random.RandomState(4)
    w = rng.uniform(0.2, 3.0, size=7) if weighted else np.ones(7)
    sw = w if weighted else None
    Z, Y = _data("quantile", k=k, seed=5)
    ravel = (lambda A: A[:, 0]) if k == 1 else (lambda A: A)
    for name, metric, factor in [
        ("squared_error", mean_squared_error, 0.5),
        ("absolute_error", mean_absolute_error, 1.0),
    ]:
        total, _ = _run(_make(name), Z, Y, sw)
        expected = factor * metric(ravel(Y), ravel(Z), sample_weight=sw)
        assert total / w.sum() == pytest.approx(expected, rel=1e-12), name
    for q in (0.1, 0.5, 0.93):
        total, _ = _run(PinballLoss(q), Z, Y, sw)
        expected = mean_pinball_loss(ravel(Y), ravel(Z), sample_weight=sw, alpha=q)
        assert total / w.sum() == pytest.approx(expected, rel=1e-12)
    # Poisson: half the deviance of each output, summed over the outputs.
    Zp, Yp = _data("poisson", k=k, seed=6)
    total, _ = _run(HalfPoissonDeviance(), Zp, Yp, sw)
    expected = sum(
        mean_poisson_deviance(Yp[:, j], np.exp(Zp[:, j]), sample_weight=sw)
        for j in range(k)
    )
    assert total / w.sum() == pytest.approx(expected / 2, rel=1e-12)


def test_documented_subgradients_at_the_kinks():
    Y = np.array([[1.0], [-2.0], [0.0], [3.5]])
    Z = Y.copy()  # every residual exactly 0
    sw = np.array([1.0, 2.0, 0.5, 3.0])
    total, delta = _run(AbsoluteError(), Z, Y, sw)
    assert total == 0.0
    np.testing.assert_array_equal(delta, np.zeros((4, 1)))  # 0 at r = 0
    for q in (0.1, 0.5, 0.8):
        total, delta = _run(PinballLoss(q), Z, Y, sw)
        assert total == 0.0
        np.testing.assert_array_equal(delta, -q * sw[:, None])  # -q where y >= z
    # Huber at |r| == delta: both branches give delta**2 / 2 and the delta is
    # the clipped residual, +-delta.
    Zh = np.array([[1.0], [-1.0], [0.0]])
    Yh = np.array([[0.0], [0.0], [0.0]])
    total, delta = _run(HuberLoss(1.0), Zh, Yh, None)
    assert total == 1.0
    np.testing.assert_array_equal(delta, [[1.0], [-1.0], [0.0]])
    # Multi-output: the subgradient is divided by the number of outputs too.
    total, delta = _run(PinballLoss(0.25), np.zeros((1, 2)), np.zeros((1, 2)), None)
    np.testing.assert_array_equal(delta, [[-0.125, -0.125]])


def test_huber_and_quantile_reference_values():
    # Hand computed: residuals 0.5 (quadratic) and 3 (linear: 1 * (3 - 0.5)).
    total, delta = _run(
        HuberLoss(1.0), np.array([[0.5], [3.0]]), np.zeros((2, 1)), None
    )
    assert total == 0.125 + 2.5
    np.testing.assert_array_equal(delta, [[0.5], [1.0]])
    # y - z = 2 costs q * 2, y - z = -2 costs (1 - q) * 2.
    total, delta = _run(
        PinballLoss(0.25), np.zeros((2, 1)), np.array([[2.0], [-2.0]]), None
    )
    assert total == 0.5 + 1.5
    np.testing.assert_array_equal(delta, [[-0.25], [0.75]])


@pytest.mark.parametrize("name", sorted(REGRESSION_LOSSES))
def test_float32_stays_float32(name):
    Z, Y = _data(name, k=2, seed=7)
    Z32, Y32 = Z.astype(np.float32), Y.astype(np.float32)
    sw = np.linspace(0.5, 2.0, 7)
    loss = _make(name)
    total32, delta32 = _run(loss, Z32, Y32, sw.astype(np.float32))
    total64, delta64 = _run(loss, Z32.astype(float), Y32.astype(float), sw)
    assert delta32.dtype == np.float32
    assert loss.output(Z32).dtype == np.float32
    assert loss.output(Z32, out=Z32.copy()).dtype == np.float32
    assert total32 == pytest.approx(total64, rel=1e-5)
    np.testing.assert_allclose(delta32, delta64, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(REGRESSION_LOSSES))
def test_output_is_identity_or_exp_and_can_write_in_place(name):
    Z = np.array([[-1.0, 0.0], [2.0, 0.5]])
    loss = _make(name)
    expected = np.exp(Z) if name == "poisson" else Z
    assert loss.out_activation == ("exp" if name == "poisson" else "identity")
    out = loss.output(Z)
    assert out is not Z
    np.testing.assert_array_equal(out, expected)
    inplace = Z.copy()
    assert loss.output(inplace, out=inplace) is inplace
    np.testing.assert_array_equal(inplace, expected)


# -- the whole network: finite differences --------------------------------------


def _regression_problem(loss, n_outputs, n=24, seed=0):
    X, Y = make_regression(
        n, 4, n_informative=3, n_targets=n_outputs, noise=1.0, random_state=seed
    )
    Y = Y.reshape(n, n_outputs)
    Y = (Y - Y.mean(axis=0)) / Y.std(axis=0)
    if loss == "poisson":
        Y = np.round(np.exp(Y))  # counts, some of them 0
    rng = np.random.RandomState(seed)
    sample_weight = rng.uniform(0.2, 3.0, size=n)
    return X, (Y[:, 0] if n_outputs == 1 else Y), sample_weight


def _initial_residuals(reg, X, y, sw):
    net, Xc, Y, *_ = reg._prepare(X, y, sw, incremental=False)
    return net.logits(Xc) - Y


@pytest.mark.parametrize("n_outputs", [1, 3], ids=["single", "multi"])
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("loss", sorted(REGRESSION_LOSSES))
def test_backprop_matches_finite_differences(loss, activation, n_outputs):
    X, y, sw = _regression_problem(loss, n_outputs)
    reg = BackpropMLPRegressor(
        loss=loss,
        hidden_layer_sizes=(5, 3),
        activation=activation,
        alpha=0.3,
        quantile=0.3,
        random_state=1,
    )
    # No residual within the finite-difference step of a kink: the check is
    # of the derivative, not of which side of a corner a step lands on.
    r = np.abs(_initial_residuals(reg, X, y, sw)).ravel()
    if loss in ("absolute_error", "quantile"):
        assert r.min() > 1e-3  # their kink is at r = 0
    if loss == "huber":
        # The threshold in the widest gap between the middle half of the
        # residuals: both branches are used and no residual is near it.
        middle = np.sort(r)[r.size // 4 : 3 * r.size // 4]
        gap = int(np.argmax(np.diff(middle)))
        reg.set_params(huber_delta=float(middle[gap : gap + 2].mean()))
        assert np.abs(r - reg.huber_delta).min() > 1e-3
    result = check_gradients(reg, X, y, sample_weight=sw, rtol=1e-6, atol=1e-9)
    n_params = (4 * 5 + 5) + (5 * 3 + 3) + (3 * n_outputs + n_outputs)
    assert result["indices"].size == n_params
    assert result["max_abs_error"] < 1e-7
    assert np.abs(result["analytic"]).max() > 1e-3  # the check is not vacuous


class _HuberForgettingTheMean(HuberLoss):
    """A plausible bug: the delta of the sum over outputs, reported as the mean."""

    def loss_and_delta(self, Z, Y, sample_weight, delta, scratch):
        total = super().loss_and_delta(Z, Y, sample_weight, delta, scratch)
        delta *= Z.shape[1]
        return total


def test_check_gradients_catches_a_wrong_loss_delta(monkeypatch):
    X, y, sw = _regression_problem("huber", 3)
    reg = BackpropMLPRegressor(loss="huber", hidden_layer_sizes=(4,), random_state=0)
    check_gradients(reg, X, y, sample_weight=sw)  # the real one passes
    monkeypatch.setitem(REGRESSION_LOSSES, "huber", _HuberForgettingTheMean)
    with pytest.raises(AssertionError, match="Gradient check failed"):
        check_gradients(reg, X, y, sample_weight=sw)


@pytest.mark.parametrize("n_outputs", [1, 3], ids=["single", "multi"])
@pytest.mark.parametrize("loss", sorted(REGRESSION_LOSSES))
def test_reported_loss_is_the_objective_written_from_predict(loss, n_outputs):
    """loss_ of an L-BFGS fit is the weighted mean loss of predict's outputs
    plus the L2 penalty, both divided by the sum of the weights."""
    X, y, sw = _regression_problem(loss, n_outputs, seed=3)
    reg = BackpropMLPRegressor(
        loss=loss,
        hidden_layer_sizes=(4,),
        activation="tanh",
        solver="lbfgs",
        alpha=0.5,
        max_iter=5,
        huber_delta=0.5,
        quantile=0.3,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X, y, sample_weight=sw)
    P = reg.predict(X).reshape(len(X), n_outputs)
    Y = y.reshape(len(X), n_outputs)
    Z = np.log(P) if loss == "poisson" else P
    total, _ = _plain(loss, Z, Y, sw, huber_delta=0.5, quantile=0.3)
    penalty = 0.5 * reg.alpha * sum((W**2).sum() for W in reg.coefs_)
    assert reg.loss_ == pytest.approx((total + penalty) / sw.sum(), rel=1e-10)
    assert reg.loss_curve_[-1] == pytest.approx(reg.loss_)


# -- properties -----------------------------------------------------------------

residual_arrays = st.lists(
    st.floats(-50, 50, allow_nan=False, allow_infinity=False), min_size=1, max_size=12
)


def _column(values):
    return np.asarray(values, dtype=float).reshape(-1, 1)


@SETTINGS
@given(residual_arrays, residual_arrays)
def test_pinball_at_one_half_is_half_the_absolute_error(z, y):
    n = min(len(z), len(y))
    Z, Y = _column(z[:n]), _column(y[:n])
    pinball, pinball_delta = _run(PinballLoss(0.5), Z, Y, None)
    absolute, absolute_delta = _run(AbsoluteError(), Z, Y, None)
    assert pinball == pytest.approx(absolute / 2, rel=1e-12, abs=1e-300)
    off_kink = Z != Y  # at the kink the two document different subgradients
    np.testing.assert_array_equal(pinball_delta[off_kink], absolute_delta[off_kink] / 2)


def _each(loss, R):
    """The loss of each residual alone (z = r, y = 0)."""
    return np.array(
        [_run(loss, R[i : i + 1], np.zeros((1, 1)), None)[0] for i in range(len(R))]
    )


@SETTINGS
@given(residual_arrays, st.floats(0.01, 10.0))
def test_huber_is_half_squared_error_inside_and_bounded_outside(r, delta):
    R = _column(r)
    huber = _each(HuberLoss(delta), R)
    squared = _each(HalfSquaredError(), R)
    total, _ = _run(HuberLoss(delta), R, np.zeros_like(R), None)
    assert total == pytest.approx(huber.sum(), rel=1e-12)
    inside = np.abs(R[:, 0]) <= delta
    np.testing.assert_allclose(huber[inside], squared[inside], rtol=1e-12)
    np.testing.assert_array_equal(huber[inside], R[inside, 0] ** 2 / 2)
    assert (huber <= delta * np.abs(R[:, 0]) * (1 + 1e-12)).all()
    assert (huber <= squared * (1 + 1e-12)).all()
    assert (huber >= 0).all()


@SETTINGS
@given(
    st.sampled_from(sorted(REGRESSION_LOSSES)),
    residual_arrays,
    st.floats(0.01, 0.99),
    st.floats(0.05, 5.0),
)
def test_losses_are_non_negative_and_zero_at_the_target(name, values, q, delta):
    Y = _column(values)
    if name == "poisson":
        Y = np.abs(Y)
        Z = np.log(Y + 0.5) + 0.1  # near the target, not at it
    else:
        Z = Y[::-1].copy()
    loss = _make(name, huber_delta=delta, quantile=q)
    total, _ = _run(loss, Z, Y, None)
    assert total >= 0
    # At the target every loss is 0 (Poisson: exp(z) = y, for y > 0).
    Y_pos = np.abs(Y) + 0.5
    Z_at = np.log(Y_pos) if name == "poisson" else Y_pos.copy()
    assert _run(loss, Z_at, Y_pos, None)[0] == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=10, deadline=None)
@given(
    st.lists(st.floats(-5, 5, allow_nan=False), min_size=5, max_size=25),
    st.sampled_from([0.1, 0.25, 0.5, 0.75, 0.9]),
)
def test_constant_model_lands_on_the_empirical_quantile(values, q):
    """A network with no input signal (X all zero, no hidden layer) is a
    constant; trained on the pinball loss it predicts the ``q``-quantile of y:
    a point c with at most q n targets below it and at least q n at or below.
    (L-BFGS's line search lands on the kink; a stochastic solver with a
    constant step circles it at a distance of the order of the step.)"""
    y = np.asarray(values)
    X = np.zeros((len(y), 1))
    reg = BackpropMLPRegressor(
        loss="quantile",
        quantile=q,
        hidden_layer_sizes=(),
        alpha=0.0,
        solver="lbfgs",
        max_iter=500,
        tol=0.0,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X, y)
    c = float(reg.predict(X[:1])[0])
    ordered = np.sort(y)
    n = len(y)
    low = ordered[int(np.ceil(q * n)) - 1]  # the smallest minimiser
    high = ordered[int(np.floor(q * n))] if q * n < n else low  # the largest
    assert low == np.quantile(y, q, method="inverted_cdf")
    assert low - 1e-5 <= c <= high + 1e-5
