"""Hidden-layer activation functions.

An activation maps a layer's pre-activation ``Z`` to its output ``A`` and knows
its own derivative ``dA/dZ``. The derivative receives both ``Z`` and ``A`` so that
functions whose derivative is cheapest from the output (logistic, tanh, relu)
pay nothing extra.

Write your own by subclassing :class:`Activation` and implementing
:meth:`Activation.forward` and :meth:`Activation.derivative`: that is the whole
interface. Training runs identity, logistic, tanh and ReLU through private
kernels that write into preallocated arrays (:func:`_kernel`, keyed by the exact
class, with the same bits as the two public methods); every other activation,
a subclass of a built-in included, runs through the two public methods.

Examples
--------
>>> import numpy as np
>>> from skmlp.activations import get
>>> relu = get("relu")
>>> relu.forward(np.array([[-1.0, 2.0]]))
array([[0., 2.]])
"""

import numpy as np
from scipy.special import erf, expit

from ._equality import attributes_hash, same_attributes
from ._registry import lookup
from ._scalars import ONE, ZERO

__all__ = [
    "Activation",
    "Identity",
    "Logistic",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "ELU",
    "Softplus",
    "GELU",
    "Swish",
    "ACTIVATIONS",
    "get",
]


class Activation:
    """Base class of activation functions.

    Subclasses implement :meth:`forward` and :meth:`derivative`, nothing else.

    Attributes
    ----------
    name : str
        The name used in error messages, reprs and the registry.

    Examples
    --------
    A cube activation, written by a user:

    >>> import numpy as np
    >>> from skmlp.activations import Activation
    >>> class Cube(Activation):
    ...     name = "cube"
    ...     def forward(self, Z):
    ...         return Z ** 3
    ...     def derivative(self, Z, A):
    ...         return 3 * Z ** 2
    >>> Cube().forward(np.array([[2.0]]))
    array([[8.]])
    """

    name = "activation"

    def forward(self, Z):
        """Apply the activation.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_units)
            Pre-activations. Must not be modified.

        Returns
        -------
        A : ndarray of shape (n_samples, n_units)
            Activations.

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.activations import Tanh
        >>> Tanh().forward(np.zeros((1, 2)))
        array([[0., 0.]])
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement forward(Z) -> A"
        )

    def derivative(self, Z, A):
        """Derivative of the activation, element-wise.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_units)
            Pre-activations.
        A : ndarray of shape (n_samples, n_units)
            ``forward(Z)``, passed so the derivative can reuse it.

        Returns
        -------
        dA_dZ : ndarray of shape (n_samples, n_units)

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.activations import Logistic
        >>> Z = np.zeros((1, 1))
        >>> Logistic().derivative(Z, Logistic().forward(Z))
        array([[0.25]])
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement derivative(Z, A) -> dA/dZ"
        )

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"

    def __eq__(self, other):
        return same_attributes(self, other)

    def __hash__(self):
        return attributes_hash(self)


class Identity(Activation):
    """The identity, ``A = Z``; useful for linear bottlenecks.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import Identity
    >>> Identity().forward(np.array([[-2.0]]))
    array([[-2.]])
    """

    name = "identity"

    def forward(self, Z):
        return Z.copy()

    def derivative(self, Z, A):
        return np.ones_like(Z)


class Logistic(Activation):
    """The logistic sigmoid, ``A = 1 / (1 + exp(-Z))``; alias ``"sigmoid"``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import Logistic
    >>> Logistic().forward(np.array([[0.0]]))
    array([[0.5]])
    """

    name = "logistic"

    def forward(self, Z):
        return expit(Z)

    def derivative(self, Z, A):
        return A * (1.0 - A)


class Tanh(Activation):
    """The hyperbolic tangent, ``A = tanh(Z)``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import Tanh
    >>> Tanh().derivative(np.zeros((1, 1)), np.zeros((1, 1)))
    array([[1.]])
    """

    name = "tanh"

    def forward(self, Z):
        return np.tanh(Z)

    def derivative(self, Z, A):
        return 1.0 - A**2


class ReLU(Activation):
    """The rectified linear unit, ``A = max(Z, 0)``.

    The derivative at 0 is taken as 0, as scikit-learn does.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import ReLU
    >>> Z = np.array([[-1.0, 0.0, 2.0]])
    >>> ReLU().derivative(Z, ReLU().forward(Z))
    array([[0., 0., 1.]])
    """

    name = "relu"

    def forward(self, Z):
        return np.maximum(Z, 0)

    def derivative(self, Z, A):
        return (A > 0).astype(A.dtype)


class LeakyReLU(Activation):
    """Leaky ReLU, ``A = Z`` for ``Z > 0`` else ``negative_slope * Z``.

    Parameters
    ----------
    negative_slope : float, default=0.01
        Slope for negative inputs.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import LeakyReLU
    >>> LeakyReLU(0.1).forward(np.array([[-2.0, 2.0]]))
    array([[-0.2,  2. ]])
    """

    name = "leaky_relu"

    def __init__(self, negative_slope=0.01):
        self.negative_slope = negative_slope

    def forward(self, Z):
        return np.where(Z > 0, Z, self.negative_slope * Z)

    def derivative(self, Z, A):
        return np.where(Z > 0, 1.0, self.negative_slope).astype(Z.dtype)


class ELU(Activation):
    """Exponential linear unit, ``A = Z`` for ``Z > 0`` else ``alpha * (exp(Z) - 1)``.

    Parameters
    ----------
    alpha : float, default=1.0
        Saturation value for large negative inputs is ``-alpha``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import ELU
    >>> ELU().forward(np.array([[0.0, 1.0]]))
    array([[0., 1.]])
    """

    name = "elu"

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def forward(self, Z):
        return np.where(Z > 0, Z, self.alpha * np.expm1(np.minimum(Z, 0)))

    def derivative(self, Z, A):
        return np.where(Z > 0, 1.0, A + self.alpha).astype(Z.dtype)


class Softplus(Activation):
    """Softplus, ``A = log(1 + exp(Z))``, computed without overflow.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import Softplus
    >>> Softplus().forward(np.array([[0.0]]))
    array([[0.69314718]])
    """

    name = "softplus"

    def forward(self, Z):
        return np.logaddexp(0, Z)

    def derivative(self, Z, A):
        return expit(Z)


class GELU(Activation):
    """Gaussian error linear unit, ``A = Z * Phi(Z)`` (exact, with ``erf``).

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import GELU
    >>> GELU().forward(np.array([[0.0, 1.0]])).round(4)
    array([[0.    , 0.8413]])
    """

    name = "gelu"

    def forward(self, Z):
        return 0.5 * Z * (1.0 + erf(Z / np.sqrt(2.0)))

    def derivative(self, Z, A):
        cdf = 0.5 * (1.0 + erf(Z / np.sqrt(2.0)))
        pdf = np.exp(-0.5 * Z**2) / np.sqrt(2.0 * np.pi)
        return (cdf + Z * pdf).astype(Z.dtype, copy=False)


class Swish(Activation):
    """Swish (SiLU), ``A = Z * sigmoid(Z)``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import Swish
    >>> Swish().forward(np.array([[0.0]]))
    array([[0.]])
    """

    name = "swish"

    def forward(self, Z):
        return Z * expit(Z)

    def derivative(self, Z, A):
        sig = expit(Z)
        return sig + A * (1.0 - sig)


class _Kernel:
    """An activation as two functions on preallocated arrays, for training.

    ``forward(Z, A, zeros)`` writes ``g(Z)`` into ``A`` (which may be ``Z``
    itself when ``in_place``) and returns it; ``zeros`` is a read-only array of
    zeros shaped like ``Z``. ``backprop(Z, A, delta, work)`` multiplies
    ``delta`` (dLoss/dA) in place by ``g'(Z)``, using ``work`` (shaped like
    ``delta``) as scratch, and returns it. ``in_place`` says the derivative
    reads ``A`` alone, so ``A`` may be written over ``Z``.
    """

    __slots__ = ("forward", "backprop", "in_place")

    def __init__(self, forward, backprop, in_place):
        self.forward, self.backprop, self.in_place = forward, backprop, in_place


def _identity_forward(Z, A, zeros):
    if A is not Z:
        np.copyto(A, Z)
    return A


def _identity_backprop(Z, A, delta, work):
    return delta


def _logistic_forward(Z, A, zeros):
    return expit(Z, out=A)


def _logistic_backprop(Z, A, delta, work):
    delta *= A
    delta *= np.subtract(ONE.get(A.dtype, 1.0), A, out=work)
    return delta


def _tanh_forward(Z, A, zeros):
    return np.tanh(Z, out=A)


def _tanh_backprop(Z, A, delta, work):
    np.square(A, out=work)
    delta *= np.subtract(ONE.get(A.dtype, 1.0), work, out=work)
    return delta


def _relu_forward(Z, A, zeros):
    # NumPy's maximum runs its vectorised loop against an array but not against
    # the scalar 0: against an array of zeros it is two to three times faster.
    return np.maximum(Z, zeros, out=A)


def _relu_backprop(Z, A, delta, work):
    # A multiplication by the 0/1 mask rather than scikit-learn's masked
    # assignment ``delta[A == 0] = 0``: a random mask makes the assignment branch
    # unpredictably and several times slower. ``A != 0`` (not A > 0) keeps delta
    # where A is NaN, as the assignment does; the two differ only where A == 0
    # and delta is NaN or infinite (times 0 gives NaN, not 0).
    delta *= np.not_equal(A, ZERO.get(A.dtype, 0), out=work)
    return delta


# Keyed by the exact class: a subclass may redefine forward or derivative, and
# then only its own methods compute its function.
_KERNELS = {
    Identity: _Kernel(_identity_forward, _identity_backprop, True),
    Logistic: _Kernel(_logistic_forward, _logistic_backprop, True),
    Tanh: _Kernel(_tanh_forward, _tanh_backprop, True),
    ReLU: _Kernel(_relu_forward, _relu_backprop, True),
}


def _kernel(activation):
    """The :class:`_Kernel` that trains ``activation``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import ReLU, _kernel
    >>> Z = np.array([[-1.0, 2.0]])
    >>> _kernel(ReLU()).forward(Z, np.empty_like(Z), np.zeros_like(Z))
    array([[0., 2.]])
    """
    kernel = _KERNELS.get(type(activation))
    if kernel is not None:
        return kernel

    def forward(Z, A, zeros):
        A[...] = activation.forward(Z)
        return A

    def backprop(Z, A, delta, work):
        delta *= activation.derivative(Z, A)
        return delta

    return _Kernel(forward, backprop, in_place=False)


#: Names accepted by ``activation``, mapped to their classes. Adding an entry
#: (``ACTIVATIONS["softsign"] = Softsign``, an :class:`Activation` subclass
#: built without arguments) registers a name: the estimators accept it like a
#: built-in one from then on.
ACTIVATIONS = {
    cls.name: cls
    for cls in (Identity, Logistic, Tanh, ReLU, LeakyReLU, ELU, Softplus, GELU, Swish)
}
ACTIVATIONS["sigmoid"] = Logistic


def get(identifier):
    """Return an :class:`Activation` for a name, an instance or a subclass.

    Parameters
    ----------
    identifier : str, Activation instance or Activation subclass
        A key of :data:`ACTIVATIONS`, an activation object, or a class that
        can be built without arguments.

    Returns
    -------
    activation : Activation

    Raises
    ------
    ValueError
        If ``identifier`` is none of the above.

    Examples
    --------
    >>> from skmlp.activations import get
    >>> get("sigmoid")
    Logistic()
    """
    return lookup(
        identifier, ACTIVATIONS, Activation, "ACTIVATIONS", "an Activation instance"
    )
