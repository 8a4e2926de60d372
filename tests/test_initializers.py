"""Every registered initialiser: shapes, dtype, determinism, variance."""

import numpy as np
import pytest

from skmlp import initializers
from skmlp.initializers import INITIALIZERS, Initializer, get

# name -> (expected weight variance for fan_in=400, fan_out=200, biases zero?)
FAN_IN, FAN_OUT = 400, 200
EXPECTED = {
    "sklearn": (6.0 / (FAN_IN + FAN_OUT) / 3, False),
    "glorot_uniform": (2.0 / (FAN_IN + FAN_OUT), True),
    "glorot_normal": (2.0 / (FAN_IN + FAN_OUT), True),
    "he_uniform": (2.0 / FAN_IN, True),
    "he_normal": (2.0 / FAN_IN, True),
    "lecun_uniform": (1.0 / FAN_IN, True),
    "lecun_normal": (1.0 / FAN_IN, True),
    "normal": (1.0, False),
    "uniform": (0.1**2 / 12, False),
    "zeros": (0.0, True),
}


def test_registry_is_fully_described():
    assert set(INITIALIZERS) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_shapes_dtype_and_determinism(name, dtype):
    init = get(name)
    W, b = init(5, 3, np.random.RandomState(0), dtype)
    assert W.shape == (5, 3) and b.shape == (3,)
    assert W.dtype == dtype and b.dtype == dtype
    W2, b2 = init(5, 3, np.random.RandomState(0), dtype)
    np.testing.assert_array_equal(W, W2)
    np.testing.assert_array_equal(b, b2)


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_empirical_variance(name):
    variance, zero_biases = EXPECTED[name]
    W, b = get(name)(FAN_IN, FAN_OUT, np.random.RandomState(42), np.float64)
    assert W.var() == pytest.approx(variance, rel=0.02, abs=1e-12)
    assert abs(W.mean()) <= 3 * np.sqrt(variance / W.size) + 1e-12
    if zero_biases:
        assert not b.any()
    else:
        assert b.var() == pytest.approx(variance, rel=0.35)


def test_sklearn_uniform_draws_what_mlpclassifier_draws():
    rng = np.random.RandomState(3)
    W, b = initializers.SklearnUniform(2.0)(4, 6, rng, np.float64)
    ref = np.random.RandomState(3)
    bound = np.sqrt(2.0 / 10)
    np.testing.assert_array_equal(W, ref.uniform(-bound, bound, (4, 6)))
    np.testing.assert_array_equal(b, ref.uniform(-bound, bound, 6))


def test_auto_follows_sklearn_factor():
    assert initializers.auto("logistic") == initializers.SklearnUniform(2.0)
    assert initializers.auto("tanh") == initializers.SklearnUniform(6.0)


def test_tutorial_schemes():
    rng = np.random.RandomState(0)
    W, b = initializers.Uniform(0.0, 1.0, biases="zeros")(3, 3, rng, np.float64)
    assert W.min() >= 0 and W.max() < 1 and not b.any()
    W, b = initializers.Normal(0.01, biases="zeros")(
        2, 4, np.random.RandomState(42), float
    )
    np.testing.assert_array_equal(W, np.random.RandomState(42).randn(2, 4) * 0.01)
    init = initializers.VarianceScaling(1.0, mode="fan_out")
    W, _ = init(4, 3, np.random.RandomState(30), float)
    np.testing.assert_allclose(
        W, np.random.RandomState(30).randn(4, 3) * np.sqrt(1 / 3)
    )
    W, b = initializers.Normal(1.0)(2, 2, np.random.RandomState(1), float)
    ref = np.random.RandomState(1)
    np.testing.assert_array_equal(W, ref.randn(2, 2))
    np.testing.assert_array_equal(b, ref.randn(2))


@pytest.mark.parametrize(
    "init, message",
    [
        (initializers.Normal(biases="ones"), "biases must be one of"),
        (initializers.Uniform(1.0, 0.0), "Uniform needs real low < high"),
        (initializers.VarianceScaling(mode="fan"), "mode must be one of"),
        (initializers.VarianceScaling(distribution="cauchy"), "distribution must be"),
    ],
)
def test_bad_settings_are_named(init, message):
    with pytest.raises(ValueError, match=message):
        init(2, 2, np.random.RandomState(0), np.float64)


@pytest.mark.parametrize("bad", ["xavier", 0.1, None, object])
def test_get_rejects_unknown(bad):
    with pytest.raises(ValueError, match="Unknown initializer .*expected one of"):
        get(bad)


def test_get_accepts_instances_and_classes():
    init = initializers.Normal(0.5)
    assert get(init) is init
    assert isinstance(get(initializers.HeNormal), initializers.HeNormal)
    assert repr(get("he_normal")) == "HeNormal()"

    class Bare(Initializer):
        pass

    with pytest.raises(NotImplementedError, match="must implement"):
        Bare()(1, 1, np.random.RandomState(0), float)


class _FromArray(Initializer):
    """A user initialiser holding arrays: the weights to start from."""

    def __init__(self, W, b):
        self.W, self.b = W, b

    def __call__(self, fan_in, fan_out, rng, dtype):
        return self.W.astype(dtype), self.b.astype(dtype)


def test_initialisers_holding_arrays_compare_and_hash():
    W, b = np.arange(6.0).reshape(3, 2), np.zeros(2)
    same = _FromArray(W.copy(), b.copy())
    assert _FromArray(W, b) == same and hash(_FromArray(W, b)) == hash(same)
    assert _FromArray(W, b) != _FromArray(W + 1, b)
    assert _FromArray(W, b) != _FromArray(W.astype(np.float32), b)
    assert _FromArray(W, b) != initializers.Normal(0.1)
    assert initializers.Normal(0.1) == initializers.Normal(0.1)
    assert len({initializers.Normal(0.1), initializers.Normal(0.1)}) == 1


def test_initialiser_holding_arrays_in_a_cloned_estimator():
    from sklearn.base import clone

    from skmlp import BackpropMLPClassifier

    W, b = np.full((2, 3), 0.5), np.zeros(3)
    init = (_FromArray(W, b), "glorot_uniform")
    clf = BackpropMLPClassifier((3,), weight_init=init, max_iter=1, solver="sgd")
    twin = clone(clf)
    assert twin.get_params()["weight_init"] == init
    X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), [0, 1]
    twin.partial_fit(X, y, classes=[0, 1])
    assert twin.coefs_[0].shape == (2, 3)
