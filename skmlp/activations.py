"""Hidden-layer activation functions.

An activation maps a layer's pre-activation ``Z`` to its output ``A`` and knows
its own derivative ``dA/dZ``. The derivative receives both ``Z`` and ``A`` so that
functions whose derivative is cheapest from the output (logistic, tanh, relu)
pay nothing extra.

Write your own by subclassing :class:`Activation` and implementing
:meth:`Activation.forward` and :meth:`Activation.derivative`; the two in-place
hooks, :meth:`Activation.forward_into` and :meth:`Activation.backprop_into`,
have working defaults built on those two. Identity, logistic, tanh and ReLU
override the hooks to compute in place; the other built-ins use the defaults.

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

    Subclasses implement :meth:`forward` and :meth:`derivative`. Four built-ins,
    :class:`Identity`, :class:`Logistic`, :class:`Tanh` and :class:`ReLU`, also
    override :meth:`forward_into` and :meth:`backprop_into` to work in place on
    preallocated arrays. The other built-ins (:class:`LeakyReLU`, :class:`ELU`,
    :class:`Softplus`, :class:`GELU`, :class:`Swish`) use the defaults, which
    call :meth:`forward` and :meth:`derivative` and so allocate a temporary
    array per call. A user's activation, likewise, needs only the two methods.

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
    # True when training may write A over Z: the derivative rules read A alone.
    # Subclasses that redefine any rule lose it (see __init_subclass__).
    _in_place = False

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

    def forward_into(self, Z, out):
        """Write ``forward(Z)`` into the preallocated array ``out``.

        This default computes ``forward(Z)`` and copies it into ``out``.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_units)
        out : ndarray of shape (n_samples, n_units)

        Returns
        -------
        out : ndarray of shape (n_samples, n_units)

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.activations import ReLU
        >>> out = np.empty((1, 2))
        >>> ReLU().forward_into(np.array([[-3.0, 3.0]]), out)
        array([[0., 3.]])
        """
        out[...] = self.forward(Z)
        return out

    def backprop_into(self, Z, A, delta):
        """Multiply ``delta`` (dLoss/dA) in place by dA/dZ, giving dLoss/dZ.

        This default computes ``derivative(Z, A)`` and multiplies by it.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_units)
        A : ndarray of shape (n_samples, n_units)
        delta : ndarray of shape (n_samples, n_units)
            Modified in place.

        Returns
        -------
        delta : ndarray of shape (n_samples, n_units)

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.activations import Identity
        >>> Identity().backprop_into(np.ones((1, 1)), np.ones((1, 1)), np.ones((1, 1)))
        array([[1.]])
        """
        delta *= self.derivative(Z, A)
        return delta

    def _backprop_inplace(self, Z, A, delta, work):
        """:meth:`backprop_into` with a preallocated work array, for the hot loop.

        ``work`` has the shape and dtype of ``delta`` and may be overwritten.
        Identity, Logistic, Tanh and ReLU override this to allocate nothing; this
        default calls :meth:`backprop_into`. A subclass that defines its own
        :meth:`derivative` or :meth:`backprop_into` gets this default back (see
        ``__init_subclass__``), so its own rule is used.
        """
        return self.backprop_into(Z, A, delta)

    def _forward_inplace(self, Z, A, zeros):
        """:meth:`forward_into` for the hot loop, given a zero array shaped like ``Z``.

        ``zeros`` is read-only. ReLU uses it: NumPy's ``maximum`` runs its
        vectorised loop against an array but not against the scalar 0, so
        ``maximum(Z, zeros)`` is two to three times faster, with the same result.
        Logistic, Tanh and ReLU override this; this default calls
        :meth:`forward_into`. A subclass that defines its own :meth:`forward` or
        :meth:`forward_into` gets this default back (see ``__init_subclass__``).
        """
        return self.forward_into(Z, A)

    def __init_subclass__(cls, **kwargs):
        # A subclass of a built-in that redefines the function or its derivative
        # must not inherit the built-in's in-place rules, which would silently
        # compute the parent's function in training: each fast rule falls back to
        # the generic one, built on what the subclass defines.
        super().__init_subclass__(**kwargs)
        own = vars(cls)
        if "forward" in own and "forward_into" not in own:
            cls.forward_into = Activation.forward_into
        if "derivative" in own and "backprop_into" not in own:
            cls.backprop_into = Activation.backprop_into
        if "_backprop_inplace" not in own and (
            "derivative" in own or "backprop_into" in own
        ):
            cls._backprop_inplace = Activation._backprop_inplace
        if "_forward_inplace" not in own and (
            "forward" in own or "forward_into" in own
        ):
            cls._forward_inplace = Activation._forward_inplace
        rules = ("forward", "forward_into", "derivative", "backprop_into")
        if "_in_place" not in own and any(rule in own for rule in rules):
            cls._in_place = False

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
    _in_place = True

    def forward(self, Z):
        return Z.copy()

    def derivative(self, Z, A):
        return np.ones_like(Z)

    def forward_into(self, Z, out):
        np.copyto(out, Z)
        return out

    def backprop_into(self, Z, A, delta):
        return delta

    def _backprop_inplace(self, Z, A, delta, work):
        return delta


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
    _in_place = True

    def forward(self, Z):
        return expit(Z)

    def derivative(self, Z, A):
        return A * (1.0 - A)

    def forward_into(self, Z, out):
        return expit(Z, out=out)

    def _forward_inplace(self, Z, A, zeros):
        return expit(Z, out=A)

    def backprop_into(self, Z, A, delta):
        delta *= A
        delta *= 1.0 - A
        return delta

    def _backprop_inplace(self, Z, A, delta, work):
        delta *= A
        delta *= np.subtract(ONE.get(A.dtype, 1.0), A, out=work)
        return delta


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
    _in_place = True

    def forward(self, Z):
        return np.tanh(Z)

    def derivative(self, Z, A):
        return 1.0 - A**2

    def forward_into(self, Z, out):
        return np.tanh(Z, out=out)

    def _forward_inplace(self, Z, A, zeros):
        return np.tanh(Z, out=A)

    def backprop_into(self, Z, A, delta):
        delta *= 1.0 - A**2
        return delta

    def _backprop_inplace(self, Z, A, delta, work):
        np.square(A, out=work)
        delta *= np.subtract(ONE.get(A.dtype, 1.0), work, out=work)
        return delta


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
    _in_place = True

    def forward(self, Z):
        return np.maximum(Z, 0)

    def derivative(self, Z, A):
        return (A > 0).astype(A.dtype)

    def forward_into(self, Z, out):
        return np.maximum(Z, 0, out=out)

    def _forward_inplace(self, Z, A, zeros):
        return np.maximum(Z, zeros, out=A)

    def backprop_into(self, Z, A, delta):
        # A multiplication by the 0/1 mask rather than scikit-learn's masked
        # assignment ``delta[A == 0] = 0``: a random mask makes the assignment
        # branch unpredictably and several times slower. ``A != 0`` (not A > 0)
        # keeps delta where A is NaN, as the assignment does; the two differ only
        # where A == 0 and delta is NaN or infinite (times 0 gives NaN, not 0).
        delta *= A != 0
        return delta

    def _backprop_inplace(self, Z, A, delta, work):
        delta *= np.not_equal(A, ZERO.get(A.dtype, 0), out=work)
        return delta


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
    if isinstance(identifier, Activation):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Activation):
        return identifier()
    if isinstance(identifier, str) and identifier in ACTIVATIONS:
        registered = ACTIVATIONS[identifier]
        if not (isinstance(registered, type) and issubclass(registered, Activation)):
            raise TypeError(
                f"ACTIVATIONS[{identifier!r}] is {registered!r}; a registered "
                "activation must be an Activation subclass that can be built "
                "without arguments"
            )
        return registered()
    raise ValueError(
        f"Unknown activation {identifier!r}; expected one of "
        f"{sorted(ACTIVATIONS)} or an Activation instance"
    )
