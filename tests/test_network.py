"""The layer stack's buffers and the hot loop's exact shortcuts."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from skmlp._plan import divide_in_place
from skmlp.activations import ELU, ReLU, Tanh
from skmlp.layers import Dense, Layer
from skmlp.losses import SoftmaxLogLoss
from skmlp.network import Network

finite = st.floats(-1e30, 1e30, allow_subnormal=True)


@given(
    x=arrays(np.float64, 40, elements=finite),
    divisor=st.one_of(
        st.integers(1, 4096).map(float),
        st.integers(-70, 70).map(lambda e: 2.0**e),
        st.floats(1e-3, 1e6),
    ),
    dtype=st.sampled_from([np.float32, np.float64]),
)
@settings(max_examples=300, deadline=None)
def test_divide_in_place_has_the_bits_of_a_division(x, divisor, dtype):
    x = x.astype(dtype)
    got = x.copy()
    with np.errstate(over="ignore"):  # both overflow alike, to inf
        expected = x / divisor
        divide_in_place(got, divisor)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))


def test_divide_in_place_is_exact_for_subnormal_quotients():
    # A subnormal quotient is where a reciprocal multiply could go wrong.
    x = np.array([5e-324 * 3, 1e-310, 3.0, -7.5])
    for divisor in (2.0, 256.0, 2.0**-20):
        got = x.copy()
        divide_in_place(got, divisor)
        np.testing.assert_array_equal(got, x / divisor)


def _net(units, activations, n_features=3, dtype=np.float64, seed=0):
    layers = [Dense(u, a) for u, a in zip(units[:-1], activations)]
    net = Network(
        [*layers, Dense(units[-1], None)], SoftmaxLogLoss(), n_features, dtype
    )
    net.params[:] = np.random.RandomState(seed).normal(size=net.params.size)
    return net


@pytest.mark.parametrize("n_rows", [1, 7, 256])
def test_loss_and_grad_leaves_the_zero_buffers_zero(n_rows):
    rng = np.random.RandomState(0)
    net = _net([5, 4, 3], [ReLU(), Tanh()])
    X = rng.normal(size=(n_rows, 3))
    Y = np.eye(3)[rng.randint(3, size=n_rows)]
    first = net.loss_and_grad(X, Y, None, 0.1)
    grads = net.grads.copy()
    arrays = net._plan(n_rows).arrays
    zeros = [arrays[0].zeros, arrays[1].zeros]
    assert [z.shape for z in zeros] == [(n_rows, 5), (n_rows, 4)]
    assert not any(z.flags.writeable or z.any() for z in zeros)
    # The same call again gives the same bits (nothing left over in the buffers).
    assert net.loss_and_grad(X, Y, None, 0.1) == first
    np.testing.assert_array_equal(net.grads, grads)
    # ... and the same as the prediction pass.
    Zs, As = net.forward_layers(X)
    np.testing.assert_array_equal(arrays[0].A, As[0])
    np.testing.assert_array_equal(net.logits(X), Zs[-1])


def test_new_activations_get_new_plans():
    # ReLU works in place (A shares Z's array); ELU's derivative needs Z, so a
    # network switched from one to the other must not reuse the old arrays.
    rng = np.random.RandomState(1)
    X = rng.normal(size=(32, 3))
    Y = np.eye(3)[rng.randint(3, size=32)]
    switched = _net([6, 3], [ReLU()])
    switched.loss_and_grad(X, Y)
    arrays = switched._plan(32).arrays
    assert np.shares_memory(arrays[0].A, arrays[0].Z)
    switched.set_activations([ELU()])
    fresh = _net([6, 3], [ELU()])
    fresh.params[:] = switched.params
    assert switched.loss_and_grad(X, Y) == fresh.loss_and_grad(X, Y)
    np.testing.assert_array_equal(switched.grads, fresh.grads)
    arrays = switched._plan(32).arrays
    assert not np.shares_memory(arrays[0].A, arrays[0].Z)


def test_set_activations_wants_one_per_hidden_layer():
    net = _net([6, 3], [ReLU()])
    with pytest.raises(ValueError, match="one activation per hidden layer: got 2"):
        net.set_activations([ReLU(), ReLU()])


class PublicOnly(Layer):
    """Wraps a layer so that the network sees only its public protocol."""

    def __init__(self, layer):
        self.layer = layer

    penalized = property(lambda self: self.layer.penalized)

    def build(self, n_inputs):
        return self.layer.build(n_inputs)

    def parameter_shapes(self):
        return self.layer.parameter_shapes()

    def initial_parameters(self, rng, dtype):
        return self.layer.initial_parameters(rng, dtype)

    def bind(self, params, grads):
        self.layer.bind(params, grads)

    def forward(self, X, training):
        return self.layer.forward(X, training)

    def backward(self, dY):
        return self.layer.backward(dY)


@pytest.mark.parametrize("n_rows", [3, 100])
def test_planned_steps_have_the_public_methods_bits(n_rows):
    # Dense binds its arrays and picks its NumPy calls by shape; the same
    # network through the public forward(X, training) and backward(dY) of each
    # layer must agree bit for bit (a narrow layer, one unit, a wide layer).
    X = np.random.RandomState(3).normal(size=(n_rows, 2))
    Y = np.eye(3)[np.arange(n_rows) % 3]
    results = []
    for wrap in (lambda layer: layer, PublicOnly):
        layers = [
            wrap(Dense(u, a))
            for u, a in [(4, Tanh()), (1, ReLU()), (40, ReLU()), (3, None)]
        ]
        net = Network(layers, SoftmaxLogLoss(), 2, np.float64)
        net.params[:] = np.random.RandomState(4).normal(size=net.params.size)
        loss = net.loss_and_grad(X, Y, None, 0.01)
        results.append((loss, net.grads.copy(), net.logits(X)))
    assert results[0][0] == results[1][0]
    np.testing.assert_array_equal(results[0][1], results[1][1])
    np.testing.assert_array_equal(results[0][2], results[1][2])
    # ... and the comparison is not empty: most gradient entries are non-zero.
    assert np.count_nonzero(results[0][1]) > results[0][1].size // 2


# -- the exact shortcuts of Dense's step, each against the plain NumPy (and
# scikit-learn) operation it replaces ----------------------------------------


def _normal(rng, shape, dtype):
    return rng.normal(size=shape).astype(dtype)


@given(
    n_rows=st.integers(1, 900),
    n_units=st.integers(1, 20),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=150, deadline=None)
def test_bias_adder_has_the_bits_of_a_broadcast_add(n_rows, n_units, dtype, seed):
    from skmlp._shortcuts import _bias_adder

    rng = np.random.RandomState(seed)
    Z, b = _normal(rng, (n_rows, n_units), dtype), _normal(rng, n_units, dtype)
    add = _bias_adder(Z, b)
    for _ in range(2):  # b changes between steps; the tiled copy must follow
        expected = Z + b
        add()
        np.testing.assert_array_equal(Z, expected)
        b += _normal(rng, n_units, dtype)


def test_narrow_biases_are_added_as_long_rows():
    from skmlp._shortcuts import _tile_count

    # 800 rows: 25 copies of the bias, 32 rows of 100: 57 inner loops, not 800.
    assert _tile_count(800) == 25
    assert _tile_count(256) == 16
    # A prime number of rows, or few rows, leave the plain broadcast add.
    assert _tile_count(797) is None
    assert _tile_count(32) is None


@given(
    n_rows=st.integers(1, 300),
    n_inputs=st.integers(1, 12),
    n_units=st.integers(1, 3),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=150, deadline=None)
def test_propagate_has_the_bits_of_the_matmul(n_rows, n_inputs, n_units, dtype, seed):
    # scikit-learn: deltas[i - 1] = deltas[i] @ coefs[i].T
    from skmlp._shortcuts import _propagate

    rng = np.random.RandomState(seed)
    dZ = _normal(rng, (n_rows, n_units), dtype)
    W = _normal(rng, (n_inputs, n_units), dtype)
    dX = np.full((n_rows, n_inputs), np.nan, dtype=dtype)
    _propagate(dZ, W, dX, n_rows)()
    np.testing.assert_array_equal(dX, dZ @ W.T)


@given(
    n_rows=st.integers(1, 900),
    n_units=st.integers(1, 40),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=150, deadline=None)
def test_column_sums_have_the_bits_of_sklearns_sum(n_rows, n_units, dtype, seed):
    # scikit-learn: intercept_grads[i] = np.sum(deltas[i], axis=0) / n
    from skmlp._shortcuts import _column_sums

    rng = np.random.RandomState(seed)
    scales = 10.0 ** rng.randint(-3, 4, n_units)
    dZ = (rng.normal(size=(n_rows, n_units)) * scales).astype(dtype)
    out = np.full(n_units, np.nan, dtype=dtype)
    _column_sums(dZ, out, n_units, n_rows)()
    np.testing.assert_array_equal(out, np.sum(dZ, axis=0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "layout", ["C", "F", "transposed", "row slice of F", "column slice of C"]
)
@pytest.mark.parametrize("shape", [(1, 2, 4), (800, 2, 4), (800, 4, 1), (4, 800, 1)])
def test_matmul_into_has_the_bits_of_matmul(dtype, layout, shape):
    # The step multiplies through np.dot where that is the same BLAS call (C-
    # or F-ordered arrays); scikit-learn through the @ operator.
    from skmlp._shortcuts import _matmul_into

    m, k, n = shape
    rng = np.random.RandomState(m + k + n)
    if layout == "C":
        A = _normal(rng, (m, k), dtype)
    elif layout == "F":
        A = np.asfortranarray(_normal(rng, (m, k), dtype))
    elif layout == "transposed":
        A = _normal(rng, (k, m), dtype).T
    elif layout == "row slice of F":
        A = np.asfortranarray(_normal(rng, (m + 5, k), dtype))[2 : m + 2]
    else:
        A = _normal(rng, (m, k + 3), dtype)[:, 1 : k + 1]
    B = _normal(rng, (k, n), dtype)
    out = np.full((m, n), np.nan, dtype=dtype)
    assert _matmul_into(A, B, out) is out
    np.testing.assert_array_equal(out, A @ B)
