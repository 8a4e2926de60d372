"""Weight initialisers.

An initialiser is called once per layer with the layer's fan-in and fan-out and
the fit's random number generator, and returns that layer's weights ``W`` of shape
``(fan_in, fan_out)`` and biases ``b`` of shape ``(fan_out,)``. Weights are drawn
before biases, layer after layer, so a given ``random_state`` always gives the same
network.

Examples
--------
>>> import numpy as np
>>> from skmlp.initializers import get
>>> W, b = get("he_normal")(3, 2, np.random.RandomState(0), np.float64)
>>> W.shape, b.shape
((3, 2), (2,))
"""

from numbers import Real

import numpy as np

from ._equality import attributes_hash, same_attributes
from ._registry import lookup

__all__ = [
    "Initializer",
    "SklearnUniform",
    "VarianceScaling",
    "GlorotUniform",
    "GlorotNormal",
    "HeUniform",
    "HeNormal",
    "LecunUniform",
    "LecunNormal",
    "Normal",
    "Uniform",
    "Zeros",
    "INITIALIZERS",
    "get",
    "auto",
]

_BIAS_CHOICES = ("zeros", "same")


def _check_biases(biases):
    if biases not in _BIAS_CHOICES:
        raise ValueError(f"biases must be one of {list(_BIAS_CHOICES)}, got {biases!r}")
    return biases


class Initializer:
    """Base class of weight initialisers.

    Subclasses implement :meth:`__call__`. Use only the ``rng`` passed in (never
    the global ``np.random``) so that ``random_state`` makes fits reproducible.

    Examples
    --------
    A user's initialiser drawing weights from U(0, 1) with zero biases:

    >>> import numpy as np
    >>> from skmlp.initializers import Initializer
    >>> class PositiveUniform(Initializer):
    ...     def __call__(self, fan_in, fan_out, rng, dtype):
    ...         W = rng.uniform(0.0, 1.0, (fan_in, fan_out)).astype(dtype)
    ...         return W, np.zeros(fan_out, dtype=dtype)
    >>> W, b = PositiveUniform()(2, 3, np.random.RandomState(0), np.float32)
    >>> W.dtype, b.tolist()
    (dtype('float32'), [0.0, 0.0, 0.0])
    """

    def __call__(self, fan_in, fan_out, rng, dtype):
        """Draw one layer's parameters.

        Parameters
        ----------
        fan_in : int
            Number of inputs of the layer.
        fan_out : int
            Number of units of the layer.
        rng : numpy.random.RandomState
            The random number generator of the fit.
        dtype : numpy dtype
            Floating dtype of the returned arrays.

        Returns
        -------
        W : ndarray of shape (fan_in, fan_out)
        b : ndarray of shape (fan_out,)

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.initializers import Zeros
        >>> Zeros()(2, 1, np.random.RandomState(0), np.float64)[0]
        array([[0.],
               [0.]])
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement "
            "__call__(fan_in, fan_out, rng, dtype) -> (W, b)"
        )

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"

    def __eq__(self, other):
        return same_attributes(self, other)

    def __hash__(self):
        return attributes_hash(self)


class SklearnUniform(Initializer):
    """scikit-learn's MLP initialisation: W and b from U(-r, r).

    ``r = sqrt(factor / (fan_in + fan_out))``; scikit-learn uses ``factor=2`` for
    logistic networks and ``factor=6`` otherwise. The draws (weights, then biases,
    with ``rng.uniform``) are the ones ``MLPClassifier`` makes, so the same
    ``random_state`` gives the same initial network.

    Parameters
    ----------
    factor : float, default=6.0

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.initializers import SklearnUniform
    >>> W, b = SklearnUniform(6.0)(4, 2, np.random.RandomState(0), np.float64)
    >>> bool(np.all(np.abs(W) <= 1.0))
    True
    """

    def __init__(self, factor=6.0):
        self.factor = factor

    def __call__(self, fan_in, fan_out, rng, dtype):
        bound = np.sqrt(self.factor / (fan_in + fan_out))
        W = rng.uniform(-bound, bound, (fan_in, fan_out))
        b = rng.uniform(-bound, bound, fan_out)
        return W.astype(dtype, copy=False), b.astype(dtype, copy=False)


class VarianceScaling(Initializer):
    """Weights with variance ``scale / n`` where n is a fan; zero biases.

    Parameters
    ----------
    scale : float, default=1.0
    mode : {"fan_in", "fan_out", "fan_avg"}, default="fan_in"
    distribution : {"normal", "uniform"}, default="normal"
        ``"normal"`` draws N(0, scale / n); ``"uniform"`` draws U(-r, r) with
        ``r = sqrt(3 * scale / n)``, which has the same variance.

    Examples
    --------
    ``randn(fan_in, fan_out) * sqrt(1 / fan_out)``:

    >>> import numpy as np
    >>> from skmlp.initializers import VarianceScaling
    >>> init = VarianceScaling(1.0, mode="fan_out")
    >>> W, b = init(1000, 4, np.random.RandomState(0), np.float64)
    >>> round(float(W.std()), 1)
    0.5
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="normal"):
        self.scale = scale
        self.mode = mode
        self.distribution = distribution

    def __call__(self, fan_in, fan_out, rng, dtype):
        fans = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}
        if self.mode not in fans:
            raise ValueError(f"mode must be one of {sorted(fans)}, got {self.mode!r}")
        variance = self.scale / fans[self.mode]
        if self.distribution == "normal":
            W = rng.standard_normal((fan_in, fan_out)) * np.sqrt(variance)
        elif self.distribution == "uniform":
            bound = np.sqrt(3.0 * variance)
            W = rng.uniform(-bound, bound, (fan_in, fan_out))
        else:
            raise ValueError(
                f"distribution must be 'normal' or 'uniform', got {self.distribution!r}"
            )
        return W.astype(dtype, copy=False), np.zeros(fan_out, dtype=dtype)


def _variance_scaling_class(name, scale, mode, distribution, doc):
    def __init__(self):
        VarianceScaling.__init__(self, scale, mode, distribution)

    def __repr__(self):
        return f"{name}()"

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    return type(
        name,
        (VarianceScaling,),
        {
            "__init__": __init__,
            "__repr__": __repr__,
            "__eq__": __eq__,
            "__hash__": __hash__,
            "__doc__": doc,
            "__module__": __name__,
        },
    )


_EXAMPLE = """
    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.initializers import {name}
    >>> W, b = {name}()(3, 2, np.random.RandomState(0), np.float64)
    >>> W.shape, b.tolist()
    ((3, 2), [0.0, 0.0])
"""

GlorotUniform = _variance_scaling_class(
    "GlorotUniform",
    1.0,
    "fan_avg",
    "uniform",
    "Glorot (Xavier) uniform: U(-r, r), r = sqrt(6 / (fan_in + fan_out)); zero "
    "biases.\n" + _EXAMPLE.format(name="GlorotUniform"),
)
GlorotNormal = _variance_scaling_class(
    "GlorotNormal",
    1.0,
    "fan_avg",
    "normal",
    "Glorot (Xavier) normal: N(0, 2 / (fan_in + fan_out)); zero biases.\n"
    + _EXAMPLE.format(name="GlorotNormal"),
)
HeUniform = _variance_scaling_class(
    "HeUniform",
    2.0,
    "fan_in",
    "uniform",
    "He uniform: U(-r, r), r = sqrt(6 / fan_in); zero biases.\n"
    + _EXAMPLE.format(name="HeUniform"),
)
HeNormal = _variance_scaling_class(
    "HeNormal",
    2.0,
    "fan_in",
    "normal",
    "He normal: N(0, 2 / fan_in); zero biases.\n" + _EXAMPLE.format(name="HeNormal"),
)
LecunUniform = _variance_scaling_class(
    "LecunUniform",
    1.0,
    "fan_in",
    "uniform",
    "LeCun uniform: U(-r, r), r = sqrt(3 / fan_in); zero biases.\n"
    + _EXAMPLE.format(name="LecunUniform"),
)
LecunNormal = _variance_scaling_class(
    "LecunNormal",
    1.0,
    "fan_in",
    "normal",
    "LeCun normal: N(0, 1 / fan_in); zero biases.\n"
    + _EXAMPLE.format(name="LecunNormal"),
)


class Normal(Initializer):
    """Weights from N(mean, std**2); biases the same way or zero.

    Parameters
    ----------
    std : float, default=1.0
    mean : float, default=0.0
    biases : {"same", "zeros"}, default="same"
        ``"same"`` draws the biases from the same distribution, after the weights.

    Examples
    --------
    ``randn(fan_in, fan_out) * 0.01`` with zero biases:

    >>> import numpy as np
    >>> from skmlp.initializers import Normal
    >>> W, b = Normal(0.01, biases="zeros")(2, 4, np.random.RandomState(0), float)
    >>> bool(np.all(np.abs(W) < 0.05)), b.tolist()
    (True, [0.0, 0.0, 0.0, 0.0])
    """

    def __init__(self, std=1.0, mean=0.0, biases="same"):
        self.std = std
        self.mean = mean
        self.biases = biases

    def __call__(self, fan_in, fan_out, rng, dtype):
        W = self.mean + self.std * rng.standard_normal((fan_in, fan_out))
        if _check_biases(self.biases) == "same":
            b = self.mean + self.std * rng.standard_normal(fan_out)
        else:
            b = np.zeros(fan_out)
        return W.astype(dtype, copy=False), b.astype(dtype, copy=False)


class Uniform(Initializer):
    """Weights from U(low, high); biases the same way or zero.

    Parameters
    ----------
    low : float, default=-0.05
    high : float, default=0.05
    biases : {"same", "zeros"}, default="same"

    Examples
    --------
    U(0, 1) weights with zero biases:

    >>> import numpy as np
    >>> from skmlp.initializers import Uniform
    >>> W, b = Uniform(0.0, 1.0, biases="zeros")(2, 3, np.random.RandomState(0), float)
    >>> bool(W.min() >= 0 and W.max() < 1), b.tolist()
    (True, [0.0, 0.0, 0.0])
    """

    def __init__(self, low=-0.05, high=0.05, biases="same"):
        self.low = low
        self.high = high
        self.biases = biases

    def __call__(self, fan_in, fan_out, rng, dtype):
        if not (isinstance(self.low, Real) and isinstance(self.high, Real)) or not (
            self.low < self.high
        ):
            raise ValueError(
                f"Uniform needs real low < high, got low={self.low!r}, "
                f"high={self.high!r}"
            )
        W = rng.uniform(self.low, self.high, (fan_in, fan_out))
        if _check_biases(self.biases) == "same":
            b = rng.uniform(self.low, self.high, fan_out)
        else:
            b = np.zeros(fan_out)
        return W.astype(dtype, copy=False), b.astype(dtype, copy=False)


class Zeros(Initializer):
    """All-zero weights and biases.

    Every unit of a layer then computes the same function and receives the same
    gradient, so hidden layers never differentiate; useful only for experiments
    that show why random initialisation is needed.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.initializers import Zeros
    >>> W, b = Zeros()(2, 2, np.random.RandomState(0), np.float32)
    >>> float(W.sum()), b.dtype
    (0.0, dtype('float32'))
    """

    def __call__(self, fan_in, fan_out, rng, dtype):
        return np.zeros((fan_in, fan_out), dtype=dtype), np.zeros(fan_out, dtype=dtype)


#: Names accepted by ``weight_init`` (besides ``"auto"``), mapped to their
#: classes. Adding an entry (``INITIALIZERS["orthogonal"] = Orthogonal``, an
#: :class:`Initializer` subclass built without arguments) registers a name: the
#: estimators accept it like a built-in one from then on.
INITIALIZERS = {
    "sklearn": SklearnUniform,
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "he_uniform": HeUniform,
    "he_normal": HeNormal,
    "lecun_uniform": LecunUniform,
    "lecun_normal": LecunNormal,
    "normal": Normal,
    "uniform": Uniform,
    "zeros": Zeros,
}


def auto(activation_name):
    """The initialiser ``weight_init="auto"`` uses before a layer.

    scikit-learn's scheme: :class:`SklearnUniform` with ``factor=2`` when the
    activation is logistic and ``factor=6`` otherwise.

    Parameters
    ----------
    activation_name : str
        Name of the activation the initialised weights feed.

    Returns
    -------
    initializer : SklearnUniform

    Examples
    --------
    >>> from skmlp.initializers import auto
    >>> auto("logistic")
    SklearnUniform(factor=2.0)
    """
    return SklearnUniform(2.0 if activation_name == "logistic" else 6.0)


def get(identifier):
    """Return an :class:`Initializer` for a name, an instance or a subclass.

    Parameters
    ----------
    identifier : str, Initializer instance or Initializer subclass
        A key of :data:`INITIALIZERS`, an initialiser object, or a class that
        can be built without arguments.

    Returns
    -------
    initializer : Initializer

    Raises
    ------
    ValueError
        If ``identifier`` is none of the above.

    Examples
    --------
    >>> from skmlp.initializers import get
    >>> get("glorot_uniform")
    GlorotUniform()
    """
    return lookup(
        identifier,
        INITIALIZERS,
        Initializer,
        "INITIALIZERS",
        "'auto' or an Initializer instance",
    )
