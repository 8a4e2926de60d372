"""Every registered activation: values, derivative, in-place hooks, registry."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import erf

from skmlp import activations
from skmlp.activations import ACTIVATIONS, Activation, get

NAMES = sorted(ACTIVATIONS)

# Independent reference formulas, written plainly.
REFERENCE = {
    "identity": lambda z: z,
    "logistic": lambda z: 1 / (1 + np.exp(-z)),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)),
    "relu": lambda z: z * (z > 0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "elu": lambda z: np.where(z > 0, z, np.exp(z) - 1),
    "softplus": lambda z: np.log(1 + np.exp(z)),
    "gelu": lambda z: z * 0.5 * (1 + erf(z / np.sqrt(2))),
    "swish": lambda z: z / (1 + np.exp(-z)),
}


def test_registry_lists_the_promised_activations():
    assert set(NAMES) == set(REFERENCE)
    assert ACTIVATIONS["sigmoid"] is ACTIVATIONS["logistic"]


@pytest.mark.parametrize("name", NAMES)
def test_forward_matches_reference(name):
    Z = np.linspace(-6, 6, 41).reshape(-1, 1) + np.array([[0.0, 0.013]])
    np.testing.assert_allclose(get(name).forward(Z), REFERENCE[name](Z), atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_finite_differences(name):
    act = get(name)
    Z = np.linspace(-4, 4, 37).reshape(-1, 1) + 0.0123  # avoid relu's kink at 0
    h = 1e-6
    numeric = (act.forward(Z + h) - act.forward(Z - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(Z, act.forward(Z)), numeric, atol=1e-7)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_training_kernels_agree_with_the_public_methods(name, dtype):
    # The kernels training runs (fast ones for four built-ins, the public
    # methods for the rest) write into the arrays given and leave Z alone; the
    # forward pass has the public method's bits, signed zeros and NaN
    # included, the backward pass its value.
    act = get(name)
    kernel = activations._kernel(act)
    Z = np.random.RandomState(0).normal(scale=3, size=(9, 5)).astype(dtype)
    Z[0, :4] = [0.0, -0.0, np.nan, -np.inf]
    Z_before = Z.copy()
    zeros = np.zeros_like(Z)
    zeros.flags.writeable = False
    out = np.empty_like(Z)
    with np.errstate(all="ignore"):  # as in training; -inf and NaN warn here
        A = kernel.forward(Z, out, zeros)
        expected_A = act.forward(Z).astype(dtype)  # what lands in a dtype array
    assert A is out and A.dtype == dtype
    np.testing.assert_array_equal(A, expected_A)
    np.testing.assert_array_equal(np.signbit(A), np.signbit(expected_A))
    np.testing.assert_array_equal(Z, Z_before)
    Z, A = Z[1:], A[1:]  # the finite rows, for the derivative
    delta = np.random.RandomState(1).normal(size=Z.shape).astype(dtype)
    expected = delta * act.derivative(Z, A)
    got = kernel.backprop(Z, A, delta, np.empty_like(Z))
    assert got is delta and got.dtype == dtype
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)
    assert not zeros.any()


def test_only_the_exact_built_in_classes_have_fast_kernels():
    fast = {type(act) for act in map(get, NAMES) if activations._kernel(act).in_place}
    assert fast == {
        activations.Identity,
        activations.Logistic,
        activations.Tanh,
        activations.ReLU,
    }
    assert not activations._kernel(_DoubledReLU()).in_place


class _DoubledReLU(activations.ReLU):
    """A user's subclass of a built-in that redefines only the maths."""

    def forward(self, Z):
        return 2.0 * np.maximum(Z, 0)

    def derivative(self, Z, A):
        return 2.0 * (Z > 0)


def test_subclass_redefining_the_maths_is_trained_with_its_own_maths():
    kernel = activations._kernel(_DoubledReLU())
    Z = np.array([[-1.0, 3.0]])
    A = kernel.forward(Z, np.empty_like(Z), np.zeros_like(Z))
    np.testing.assert_array_equal(A, [[0.0, 6.0]])
    got = kernel.backprop(Z, A, np.ones_like(Z), np.empty_like(Z))
    np.testing.assert_array_equal(got, [[0.0, 2.0]])


@pytest.mark.parametrize("name", NAMES)
def test_no_overflow_warnings_for_huge_inputs(name):
    Z = np.array([[-1e3, -50.0, 0.0, 50.0, 1e3]])
    act = get(name)
    A = act.forward(Z)  # RuntimeWarnings are errors in this suite
    assert np.isfinite(A).all()
    assert np.isfinite(act.derivative(Z, A)).all()


@given(arrays(np.float64, (3, 4), elements=st.floats(-30, 30)))
@settings(max_examples=40, deadline=None)
def test_monotone_activations_are_monotone(Z):
    for name in ["logistic", "tanh", "relu", "leaky_relu", "elu", "softplus"]:
        act = get(name)
        assert (act.derivative(Z, act.forward(Z)) >= 0).all()
        order = np.argsort(Z.ravel())
        assert (np.diff(act.forward(Z).ravel()[order]) >= -1e-12).all()


def test_get_accepts_instances_and_classes():
    leaky = activations.LeakyReLU(0.2)
    assert get(leaky) is leaky
    assert isinstance(get(activations.Tanh), activations.Tanh)
    assert get("relu") == activations.ReLU()
    assert activations.LeakyReLU(0.2) != activations.LeakyReLU(0.3)
    assert repr(leaky) == "LeakyReLU(negative_slope=0.2)"


@pytest.mark.parametrize("bad", ["sigmod", 3, None, np.tanh, object])
def test_get_rejects_unknown_identifiers(bad):
    with pytest.raises(ValueError, match="Unknown activation .*expected one of"):
        get(bad)


def test_user_subclass_missing_methods_says_what_to_write():
    class Half(Activation):
        pass

    with pytest.raises(NotImplementedError, match="must implement forward"):
        Half().forward(np.zeros((1, 1)))
    with pytest.raises(NotImplementedError, match="must implement derivative"):
        Half().derivative(np.zeros((1, 1)), np.zeros((1, 1)))


class _Table(Activation):
    """A user activation holding an array: piecewise slopes."""

    def __init__(self, slopes):
        self.slopes = slopes

    def forward(self, Z):
        return Z * self.slopes[0]

    def derivative(self, Z, A):
        return np.full_like(Z, self.slopes[0])


def test_activations_holding_arrays_compare_and_hash():
    same = _Table(np.array([2.0, 3.0]))
    assert _Table(np.array([2.0, 3.0])) == same
    assert hash(_Table(np.array([2.0, 3.0]))) == hash(same)
    assert _Table(np.array([2.0, 4.0])) != same
    assert same != get("relu")
