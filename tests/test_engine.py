"""The compiled engine (engine="numba") against the NumPy engine.

The fused element-wise kernels are held to the NumPy engine's operations bit
for bit; whole trainings through the per-batch route (BLAS products, NumPy's
transcendental functions, fused kernels) are bit-identical too; trainings
through the whole-epoch kernel (loops for the products, the C library's exp
and tanh) agree within the tolerance docs/engine.rst documents.
"""

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification, make_moons, make_regression
from sklearn.exceptions import ConvergenceWarning

from skmlp import (
    BackpropMLPClassifier,
    BackpropMLPRegressor,
    _engine,
    _numba_epoch,
    _numba_fullbatch,
)
from skmlp import _numba_engine as engine
from skmlp import _numba_kernels as k
from skmlp._shortcuts import _column_sums, _propagate
from skmlp._training import _Batches
from skmlp.activations import _KERNELS, Activation, Logistic, ReLU, Tanh
from skmlp.losses import BinaryLogLoss
from skmlp.optimizers import SGD, Adam

DTYPES = [np.float64, np.float32]
CODES = {k.LOGISTIC: Logistic, k.TANH: Tanh, k.RELU: ReLU}
# Whole-epoch kernel against the NumPy engine: the documented tolerance of the
# weights (relative to the largest weight) after a short training.
WHOLE_EPOCH_RTOL = {np.float64: 1e-11, np.float32: 1e-3}


def _rng(seed=0):
    return np.random.default_rng(seed)


# -- the fused kernels, bit for bit ---------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1, 1), (7, 3), (200, 100), (800, 4), (300, 1)])
def test_bias_relu_and_bias_add_are_numpys(dtype, shape):
    Z = _rng().normal(size=shape).astype(dtype)
    b = _rng(1).normal(size=shape[1]).astype(dtype)
    expected_Z = Z + b
    expected_A = np.maximum(expected_Z, np.zeros_like(Z))
    got_Z, got_A = Z.copy(), np.empty_like(Z)
    k.bias_relu(got_Z, b, got_A, dtype(0))
    np.testing.assert_array_equal(got_Z, expected_Z)
    np.testing.assert_array_equal(got_A, expected_A)
    in_place = Z.copy()
    k.bias_relu(in_place, b, in_place, dtype(0))  # A written over Z
    np.testing.assert_array_equal(in_place, expected_A)
    in_place = Z.copy()
    k.bias_relu_in_place(in_place, b, dtype(0))
    np.testing.assert_array_equal(in_place, expected_A)
    added = Z.copy()
    k.bias_add(added, b)
    np.testing.assert_array_equal(added, expected_Z)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("code", [k.IDENTITY, k.LOGISTIC, k.TANH, k.RELU])
@pytest.mark.parametrize("shape", [(1, 1), (5, 3), (40, 7), (200, 100), (300, 1)])
def test_backprop_bias_is_the_numpy_derivative_and_column_sums(dtype, code, shape):
    rng = _rng(2)
    A = rng.uniform(-1, 1, size=shape).astype(dtype)
    A[A < -0.5] = 0  # ReLU's zeros
    dZ = rng.normal(size=shape).astype(dtype)
    expected = dZ.copy()
    if code != k.IDENTITY:
        _KERNELS[CODES[code]].backprop(A, A, expected, np.empty_like(A))
    expected_b = np.empty(shape[1], dtype=dtype)
    _column_sums(expected, expected_b, shape[1], shape[0])()
    got, got_b = dZ.copy(), np.empty(shape[1], dtype=dtype)
    k.backprop_bias(got, A, code, dtype(1), got_b)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(got_b, expected_b)


@given(n=st.integers(1, 600), seed=st.integers(0, 2**16))
@settings(max_examples=60, deadline=None)
def test_pairwise_sum_is_numpys_add_reduce(n, seed):
    a = _rng(seed).normal(size=n) * 10.0 ** _rng(seed).integers(-3, 3, size=n)
    assert k.pairwise_sum(a) == np.add.reduce(a)
    assert k.pairwise_sum(a.astype(np.float32)) == np.add.reduce(a.astype(np.float32))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n_out", [1, 3])
def test_fused_log_loss_is_binary_log_loss(dtype, n_out):
    """The full-batch loops' log-loss around NumPy's exp and log1p."""
    rng = _rng(5)
    n = 800
    Z = (rng.normal(size=(n, n_out)) * 5).astype(dtype)
    Y = (rng.uniform(size=(n, n_out)) < 0.5).astype(dtype)
    order = rng.permutation(n)
    delta, scratch = np.empty_like(Z), np.empty_like(Z)
    expected = BinaryLogLoss().loss_and_delta(Z, Y[order], None, delta, scratch)
    ZT = np.ascontiguousarray(Z.T)
    d, s_, top = np.empty_like(Z), np.empty_like(Z), np.empty_like(ZT)
    _numba_fullbatch._log_loss_parts(ZT, Y, order, d, s_, dtype(0))
    np.exp(s_, out=s_)
    np.log1p(s_, out=s_)
    total = _numba_fullbatch._log_loss_total(ZT, Y, order, d, s_, top, dtype(1))
    assert total == expected
    np.testing.assert_array_equal(top, delta.T)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1, 1), (7, 1), (200, 1), (100, 3), (20, 9)])
def test_small_batch_log_loss_is_binary_log_loss(dtype, shape):
    """The per-batch route's one-pass log-loss for small batches."""
    rng = _rng(6)
    Z = (rng.normal(size=shape) * 4).astype(dtype)
    Z[0, 0] = 0  # logaddexp's equal-arguments branch
    Y = (rng.uniform(size=shape) < 0.5).astype(dtype)
    delta, scratch = np.empty_like(Z), np.empty_like(Z)
    expected = BinaryLogLoss().loss_and_delta(Z, Y, None, delta, scratch)
    d, s_ = np.empty_like(Z), np.empty_like(Z)
    assert k.binary_log_loss(Z, Y, d, s_, dtype(np.log(2.0))) == expected
    np.testing.assert_array_equal(d, delta)
    np.testing.assert_array_equal(s_, scratch)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (200, 100), (800, 4)])
def test_outer_is_the_propagation_through_one_unit(dtype, shape):
    rows, inputs = shape
    dZ = _rng(7).normal(size=(rows, 1)).astype(dtype)
    W = _rng(8).normal(size=(inputs, 1)).astype(dtype)
    expected, got = np.empty(shape, dtype=dtype), np.empty(shape, dtype=dtype)
    _propagate(dZ, W, expected, rows)()
    k.outer(dZ, W, got)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(got, dZ @ W.T)


def _numpy_finish(params, grads, n_coef, alpha, divisor):
    """The NumPy engine's penalty and division (skmlp._plan.Plan.__call__)."""
    dtype = params.dtype
    if alpha:
        grads[:n_coef] += np.multiply(params[:n_coef], np.array(alpha, dtype=dtype))
    grads /= np.array(divisor, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "momentum, nesterov", [(0.0, False), (0.9, False), (0.9, True), (0.5, True)]
)
@pytest.mark.parametrize("alpha, divisor", [(0.0, 1), (1e-4, 200), (0.3, 7.5)])
def test_finish_sgd_is_the_numpy_engines_sgd(dtype, momentum, nesterov, alpha, divisor):
    rng = _rng(3)
    n, n_coef = 50, 30
    params = rng.normal(size=n).astype(dtype)
    grads = rng.normal(size=n).astype(dtype)
    ours, theirs = SGD(n, 0.1, momentum=momentum, nesterov=nesterov, dtype=dtype), None
    theirs = SGD(n, 0.1, momentum=momentum, nesterov=nesterov, dtype=dtype)
    p1, g1, p2, g2 = params.copy(), grads.copy(), params.copy(), grads.copy()
    for _ in range(3):
        g1[...] = g2[...] = grads
        _numpy_finish(p1, g1, n_coef, alpha, divisor)
        theirs.step(p1, g1)
        k.finish_sgd(
            p2, g2, n_coef, dtype(alpha), bool(alpha), dtype(divisor),
            ours.velocity, dtype(0.1), dtype(momentum), nesterov, momentum != 0,
        )  # fmt: skip
        np.testing.assert_array_equal(g2, g1)
        np.testing.assert_array_equal(p2, p1)
        np.testing.assert_array_equal(ours.velocity, theirs.velocity)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("alpha, divisor", [(0.0, 1), (1e-4, 256), (0.3, 7.5)])
def test_finish_adam_is_the_numpy_engines_adam(dtype, alpha, divisor):
    rng = _rng(4)
    n, n_coef = 70000, 60000  # more than one of the NumPy Adam's chunks
    params = rng.normal(size=n).astype(dtype)
    theirs = Adam(n, 0.01, dtype=dtype)
    ours = Adam(n, 0.01, dtype=dtype)
    p1, p2 = params.copy(), params.copy()
    for step in range(3):
        grads = rng.normal(size=n).astype(dtype) * 10.0 ** (step - 1)
        g1, g2 = grads.copy(), grads.copy()
        _numpy_finish(p1, g1, n_coef, alpha, divisor)
        theirs.step(p1, g1)
        constants, negative_rate = ours._advance(np.dtype(dtype))
        k.finish_adam(
            p2, g2, n_coef, dtype(alpha), bool(alpha), dtype(divisor),
            ours.first_moment, ours.second_moment,
            *[dtype(c[()]) for c in constants], dtype(negative_rate[()]),
        )  # fmt: skip
        np.testing.assert_array_equal(p2, p1)
        np.testing.assert_array_equal(ours.first_moment, theirs.first_moment)
        np.testing.assert_array_equal(ours.second_moment, theirs.second_moment)
    assert ours.t == theirs.t and ours.learning_rate == theirs.learning_rate


# -- whole trainings ------------------------------------------------------------


def _fit(cls, engine, X, y, **params):
    params = {"random_state": 0, "max_iter": 3, "tol": 0.0, **params}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return cls(engine=engine, **params).fit(X, y)


def _assert_same(a, b):
    assert a.loss_curve_ == b.loss_curve_
    for x, y in zip([*a.coefs_, *a.intercepts_], [*b.coefs_, *b.intercepts_]):
        np.testing.assert_array_equal(x, y)
    assert a.n_iter_ == b.n_iter_ and a.t_ == b.t_


def _assert_close(a, b, dtype=np.float64):
    scale = max(np.abs(W).max() for W in a.coefs_)
    rtol = WHOLE_EPOCH_RTOL[dtype]
    for x, y in zip([*a.coefs_, *a.intercepts_], [*b.coefs_, *b.intercepts_]):
        np.testing.assert_allclose(x, y, rtol=0, atol=rtol * scale)
    np.testing.assert_allclose(a.loss_curve_, b.loss_curve_, rtol=rtol * 10)
    assert a.n_iter_ == b.n_iter_ and a.t_ == b.t_


def _whole_epoch(batch_size, widths):
    """Whether the whole-epoch kernel trains batches of ``batch_size`` rows."""
    return batch_size * sum(widths) <= _numba_epoch.SMALL_BATCH_ELEMENTS


def _classification(kind, n=120, dtype=np.float64):
    if kind == "multilabel":
        X, y = make_classification(n, 6, n_classes=3, n_informative=4, random_state=0)
        y = np.column_stack([y == 0, y != 1, X[:, 0] > 0]).astype(int)
    else:
        classes = 2 if kind == "binary" else 3
        X, y = make_classification(
            n, 6, n_classes=classes, n_informative=4, random_state=0
        )
    return X.astype(dtype), y


SOLVERS = {
    "sgd": dict(solver="sgd", momentum=0.0, learning_rate_init=0.05),
    "momentum": dict(solver="sgd", momentum=0.9, nesterovs_momentum=False),
    "nesterov": dict(solver="sgd", momentum=0.9, learning_rate="invscaling"),
    "adam": dict(solver="adam", learning_rate_init=0.01),
}
ACTIVATIONS = ["identity", "logistic", "tanh", "relu", "elu"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel"])
@pytest.mark.parametrize("solver", sorted(SOLVERS))
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_per_batch_route_trains_bit_for_bit(dtype, kind, solver, activation):
    """Batches too large for the whole-epoch kernel: BLAS products, NumPy's
    transcendental functions and the fused kernels give the NumPy engine's
    bits."""
    X, y = _classification(kind, dtype=dtype)
    assert not _whole_epoch(50, [40, 1])
    params = dict(SOLVERS[solver], hidden_layer_sizes=(40,), batch_size=50)
    params.update(activation=activation, alpha=0.01)
    a = _fit(BackpropMLPClassifier, "numpy", X, y, **params)
    b = _fit(BackpropMLPClassifier, "numba", X, y, **params)
    assert a.coefs_[0].dtype == dtype
    _assert_same(a, b)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel"])
@pytest.mark.parametrize("solver", sorted(SOLVERS))
@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "relu"])
def test_whole_epoch_kernel_trains_within_tolerance(dtype, kind, solver, activation):
    X, y = _classification(kind, dtype=dtype)
    assert _whole_epoch(4, [5, 3, 3])
    params = dict(SOLVERS[solver], hidden_layer_sizes=(5, 3), batch_size=4)
    params.update(activation=activation, alpha=0.01)
    a = _fit(BackpropMLPClassifier, "numpy", X, y, **params)
    b = _fit(BackpropMLPClassifier, "numba", X, y, **params)
    _assert_close(a, b, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", ["binary", "multiclass", "multilabel"])
@pytest.mark.parametrize("solver", sorted(SOLVERS))
@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "relu"])
def test_full_batch_loops_train_within_tolerance(dtype, kind, solver, activation):
    """Full-batch training of a narrow network (skmlp._numba_fullbatch)."""
    X, y = _classification(kind, dtype=dtype)
    assert not _whole_epoch(len(y), [3, 2, 3])
    assert 6 * 3 + 3 * 2 + 2 * 3 <= _numba_fullbatch.MAX_WEIGHTS
    params = dict(SOLVERS[solver], hidden_layer_sizes=(3, 2), batch_size=len(y))
    params.update(activation=activation, alpha=0.01)
    a = _fit(BackpropMLPClassifier, "numpy", X, y, **params)
    b = _fit(BackpropMLPClassifier, "numba", X, y, **params)
    _assert_close(a, b, dtype)
    weights = np.linspace(0.0, 2.0, len(y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a.fit(X, y, sample_weight=weights)
        b.fit(X, y, sample_weight=weights)
    _assert_close(a, b, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("solver", sorted(SOLVERS))
@pytest.mark.parametrize("activation", ["logistic", "tanh", "relu"])
def test_full_batch_fused_log_loss_trains_within_tolerance(dtype, solver, activation):
    """Binary targets, 600 rows: the full-batch loops' fused log-loss and
    their one-call loss, backward pass and update (W2's path)."""
    X, y = make_moons(600, noise=0.2, random_state=0)
    X = X.astype(dtype)
    params = dict(SOLVERS[solver], hidden_layer_sizes=(4,), batch_size=600)
    params.update(activation=activation, alpha=0.01, max_iter=5)
    a = _fit(BackpropMLPClassifier, "numpy", X, y, **params)
    b = _fit(BackpropMLPClassifier, "numba", X, y, **params)
    _assert_close(a, b, dtype)


@pytest.mark.parametrize("loss", ["squared_error", "poisson", "huber", "quantile"])
@pytest.mark.parametrize("batch_size", [3, 45, 90])
def test_regressor_losses(loss, batch_size):
    """Squared error in the whole-epoch kernel (batches of 3) and every loss
    in the full-batch loops (90) within tolerance; the per-batch route (45,
    and 3 for the losses the kernel does not have) bit for bit."""
    X, y = make_regression(90, 4, random_state=0)
    hidden = 12 if batch_size == 45 else 6
    assert _whole_epoch(3, [6, 1]) and not _whole_epoch(45, [12, 1])
    assert 4 * 6 + 6 <= _numba_fullbatch.MAX_WEIGHTS
    y = np.abs(y) / 100 if loss == "poisson" else y / 100
    params = dict(
        loss=loss, hidden_layer_sizes=(hidden,), batch_size=batch_size, alpha=0.01
    )
    if loss == "quantile":
        params["quantile"] = 0.8
    a = _fit(BackpropMLPRegressor, "numpy", X, y, **params)
    b = _fit(BackpropMLPRegressor, "numba", X, y, **params)
    if batch_size == 90 or (loss == "squared_error" and batch_size == 3):
        _assert_close(a, b)
    else:
        _assert_same(a, b)


@pytest.mark.parametrize("batch_size", [1, 7, 120])
def test_sparse_input_and_sample_weights(batch_size):
    X, y = _classification("multiclass")
    X[np.abs(X) < 0.8] = 0
    weights = np.linspace(0.0, 2.0, len(y))  # the first batches weigh nothing
    params = dict(hidden_layer_sizes=(5,), batch_size=batch_size, shuffle=False)
    for data in (X, sp.csr_matrix(X)):
        a = BackpropMLPClassifier(**params, max_iter=2, random_state=0)
        b = BackpropMLPClassifier(**params, max_iter=2, random_state=0, engine="numba")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            a.fit(data, y, sample_weight=weights)
            b.fit(data, y, sample_weight=weights)
        if sp.issparse(data) or not _whole_epoch(batch_size, [5, 3]):
            _assert_same(a, b)
        else:
            _assert_close(a, b)


def test_dropout_trains_bit_for_bit():
    X, y = _classification("binary")
    params = dict(hidden_layer_sizes=(30, 20), dropout=0.3, batch_size=40)
    a = _fit(BackpropMLPClassifier, "numpy", X, y, **params)
    b = _fit(BackpropMLPClassifier, "numba", X, y, **params)
    _assert_same(a, b)


@given(
    n=st.integers(1, 40),
    features=st.integers(1, 4),
    hidden=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    batch=st.integers(1, 45),
    classes=st.integers(2, 4),
    solver=st.sampled_from(["sgd", "adam"]),
)
@settings(max_examples=25, deadline=None)
def test_any_shape_and_batch_size(n, features, hidden, batch, classes, solver):
    """Batch size 1, the full batch and all between, any depth and width."""
    rng = _rng(n * 7 + batch)
    X = rng.normal(size=(n, features))
    y = np.arange(n) % classes
    params = dict(
        hidden_layer_sizes=tuple(hidden),
        batch_size=batch,
        solver=solver,
        activation="tanh",
        max_iter=2,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # batch_size clipped to n
        a = _fit(BackpropMLPClassifier, "numpy", X, y, **params)
        b = _fit(BackpropMLPClassifier, "numba", X, y, **params)
    _assert_close(a, b)


def test_measured_distance_after_one_step_and_after_w1():
    """The numbers docs/engine.rst gives: the whole-epoch kernel's weights
    after one per-sample step, and after W1's whole training (benchmarks)."""
    X, y = make_moons(1000, noise=0.2, random_state=0)
    X, y = X[:800], y[:800]
    params = dict(
        hidden_layer_sizes=(4, 3),
        activation="logistic",
        solver="sgd",
        batch_size=1,
        momentum=0.0,
        learning_rate_init=0.05,
        n_iter_no_change=20,
    )
    one = [
        _fit(BackpropMLPClassifier, e, X[:1], y[:1], max_iter=1, **params)
        for e in ("numpy", "numba")
    ]
    w1 = [
        _fit(BackpropMLPClassifier, e, X, y, max_iter=20, **params)
        for e in ("numpy", "numba")
    ]
    for (a, b), bound in [(one, 1e-16), (w1, 1e-13)]:
        distance = max(
            np.abs(x - y).max()
            for x, y in zip([*a.coefs_, *a.intercepts_], [*b.coefs_, *b.intercepts_])
        )
        assert distance <= bound
    assert np.abs(np.subtract(w1[0].loss_curve_, w1[1].loss_curve_)).max() < 1e-14


# -- interchangeable models -------------------------------------------------------


@pytest.mark.parametrize("batch_size", [2, 60])
def test_models_are_interchangeable(batch_size):
    X, y = _classification("multiclass")
    assert _whole_epoch(2, [6, 3]) and not _whole_epoch(60, [6, 3])
    params = dict(hidden_layer_sizes=(6,), batch_size=batch_size, solver="adam")
    check = _assert_close if batch_size == 2 else _assert_same
    for first, second in [("numba", "numpy"), ("numpy", "numba")]:
        a = _fit(BackpropMLPClassifier, "numpy", X, y, **params)
        b = _fit(BackpropMLPClassifier, first, X, y, **params)
        b.set_params(engine=second)
        a.partial_fit(X, y)
        b.partial_fit(X, y)
        check(a, b)
        np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-9)


def test_pickles_do_not_depend_on_the_engine(tmp_path):
    """A model trained with the compiled engine holds no compiled state: it
    loads and predicts where numba cannot be imported, and trains on."""
    X, y = _classification("binary")
    params = dict(hidden_layer_sizes=(6,), batch_size=100)
    assert not _whole_epoch(100, [6, 1])
    a = _fit(BackpropMLPClassifier, "numpy", X, y, **params)
    b = _fit(BackpropMLPClassifier, "numba", X, y, **params)
    b_bytes = pickle.dumps(b)
    assert b"_numba" not in b_bytes and b"numba." not in b_bytes
    (tmp_path / "model.pkl").write_bytes(b_bytes)
    np.save(tmp_path / "X.npy", X)
    code = (
        "import pickle, sys, numpy as np; sys.modules['numba'] = None; "
        f"m = pickle.loads(open({str(tmp_path / 'model.pkl')!r}, 'rb').read()); "
        f"X = np.load({str(tmp_path / 'X.npy')!r}); "
        f"np.save({str(tmp_path / 'P.npy')!r}, m.predict_proba(X))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    np.testing.assert_array_equal(np.load(tmp_path / "P.npy"), a.predict_proba(X))
    restored = pickle.loads(b_bytes)
    assert restored.engine == "numba"
    restored.set_params(engine="numpy")
    restored.partial_fit(X, y)
    a.partial_fit(X, y)
    _assert_same(a, restored)


# -- choosing the engine ------------------------------------------------------------


class _Cube(Activation):
    name = "cube"

    def forward(self, Z):
        return Z**3

    def derivative(self, Z, A):
        return 3 * Z**2


class _MyTanh(Tanh):
    """A subclass of a built-in: its methods may compute something else."""


@pytest.mark.parametrize("activation", [_Cube(), _MyTanh()])
def test_auto_falls_back_to_numpy_for_a_users_activation(activation, monkeypatch):
    X, y = _classification("binary")
    chosen = []
    original = _engine.resolve

    def spy(choice, net):
        chosen.append(original(choice, net))
        return chosen[-1]

    monkeypatch.setattr("skmlp._base.resolve", spy)
    _fit(BackpropMLPClassifier, "auto", X, y, activation=activation, solver="sgd")
    _fit(BackpropMLPClassifier, "auto", X, y, activation="tanh", solver="sgd")
    assert chosen == [None, engine]


def test_numba_without_numba_says_how_to_install_it(monkeypatch):
    for name in list(sys.modules):
        if name.startswith("skmlp._numba"):
            monkeypatch.delitem(sys.modules, name)
            monkeypatch.delattr(sys.modules["skmlp"], name.split(".")[1])
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba fails
    X, y = _classification("binary")
    with pytest.raises(ImportError, match=r'pip install "skmlp\[fast\]"'):
        BackpropMLPClassifier(engine="numba").fit(X, y)
    assert not _engine.numba_available()
    assert _engine.resolve("auto", None) is None  # auto: NumPy, no error
    _fit(BackpropMLPClassifier, "auto", X, y, max_iter=1)


def test_an_unknown_engine_is_refused():
    X, y = _classification("binary")
    with pytest.raises(ValueError, match="engine"):
        BackpropMLPClassifier(engine="cuda").fit(X, y)


def test_import_skmlp_does_not_import_numba():
    code = (
        "import sys, skmlp; skmlp.BackpropMLPClassifier(); "
        "print('numba' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "kind, hidden, batch_size, route",
    [
        ("binary", (4, 3), 1, "whole_epoch"),
        ("multiclass", (3, 2), 120, "full_batch_epoch"),
        ("binary", (4,), 120, "full_batch_epoch"),
        ("binary", (40,), 120, "epoch_function"),
        ("multiclass", (40,), 50, "epoch_function"),
    ],
)
def test_routes_are_chosen_by_shape(kind, hidden, batch_size, route):
    """The tests above reach the route they mean to: W1's shape runs as whole
    epochs, a narrow full batch through the loops, the rest per batch."""
    X, y = _classification(kind)
    model = _fit(
        BackpropMLPClassifier, "numba", X, y, hidden_layer_sizes=hidden, max_iter=1
    )
    batches = _Batches(X, np.ones((len(y), model.n_outputs_)), None, batch_size,
                       True, np.random.RandomState(0))  # fmt: skip
    run = engine.epoch_function(model._network, model._optimizer, batches, 0.0)
    assert run.__qualname__ == f"{route}.<locals>.run"


@pytest.mark.parametrize("batch_size", [1, 30, 135])
def test_early_stopping_and_callbacks_see_the_same_epochs(batch_size):
    """Validation scores, the stopping rule and the callbacks' records run per
    epoch as with NumPy, whichever route trains."""
    X, y = _classification("multiclass", n=150)
    records = {"numpy": [], "numba": []}
    for name in records:
        model = BackpropMLPClassifier(
            (3, 2) if batch_size == 135 else (8,),  # 135: the full batch
            batch_size=batch_size,
            early_stopping=True,
            n_iter_no_change=2,
            max_iter=30,
            random_state=0,
            engine=name,
            callbacks=[lambda est, record, name=name: records[name].append(record)],
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X, y)
        records[name] = (records[name], model)
    (ra, a), (rb, b) = records["numpy"], records["numba"]
    assert a.n_iter_ == b.n_iter_ == len(ra) == len(rb)
    np.testing.assert_allclose(a.validation_scores_, b.validation_scores_)
    np.testing.assert_allclose(a.loss_curve_, b.loss_curve_, rtol=1e-10)
    assert [r["epoch"] for r in ra] == [r["epoch"] for r in rb]


def test_lbfgs_runs_with_numpy_whatever_the_engine():
    """L-BFGS is BLAS-bound and not compiled: the same model bit for bit."""
    X, y = _classification("multiclass")
    a = _fit(BackpropMLPClassifier, "numpy", X, y, solver="lbfgs", max_iter=20)
    b = _fit(BackpropMLPClassifier, "numba", X, y, solver="lbfgs", max_iter=20)
    _assert_same(a, b)
