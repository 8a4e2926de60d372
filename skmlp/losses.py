"""Output layers: output activation, loss and the fused output delta.

Each loss owns the network's output activation and works from the logits ``Z``
(the output layer's pre-activations), which avoids ``log(0)`` and overflow.
The classification losses are here; the regression losses are in
:mod:`skmlp.regression_losses`.

The output delta
----------------
For both losses the gradient of the per-sample loss with respect to the logits is
``P - Y``:

- logistic + binary cross-entropy: ``l = -y log p - (1 - y) log(1 - p)`` with
  ``p = sigmoid(z)``, ``dp/dz = p (1 - p)``, so ``dl/dz = (p - y)``;
- softmax + categorical cross-entropy: ``l = -sum_k y_k log p_k`` with
  ``dp_k/dz_j = p_k (delta_kj - p_j)``, so
  ``dl/dz_j = p_j sum_k y_k - y_j = p_j - y_j`` (the targets sum to one).

Examples
--------
>>> import numpy as np
>>> from skmlp.losses import BinaryLogLoss
>>> loss = BinaryLogLoss()
>>> Z = np.array([[0.0]]); Y = np.array([[1.0]]); delta = np.empty_like(Z)
>>> round(loss.loss_and_delta(Z, Y, None, delta, np.empty_like(Z)), 4), delta
(0.6931, array([[-0.5]]))
"""

import numpy as np
from scipy.special import expit

from ._scalars import ZERO

__all__ = [
    "Loss",
    "BinaryLogLoss",
    "SoftmaxLogLoss",
    "LOSSES",
    "get",
    "weighted_total",
]


class Loss:
    """Base class of output losses.

    Attributes
    ----------
    out_activation : str
        Name of the output activation, as scikit-learn's ``out_activation_``.

    Examples
    --------
    >>> from skmlp.losses import get
    >>> get("softmax").out_activation
    'softmax'
    """

    out_activation = None

    def output(self, Z, out=None):
        """The output activation: what the network predicts from its logits.

        Probabilities for the classification losses, predicted values for the
        regression losses.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_outputs)
            Logits.
        out : ndarray of shape (n_samples, n_outputs), optional
            Where to write the result; may be ``Z`` itself.

        Returns
        -------
        outputs : ndarray of shape (n_samples, n_outputs)

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.losses import BinaryLogLoss
        >>> BinaryLogLoss().output(np.zeros((1, 1)))
        array([[0.5]])
        """
        return self.probabilities(Z, out=out)

    def gradient_scale(self, n_outputs):
        """How many times the trained objective the reported loss is.

        The output delta is the gradient of ``gradient_scale * loss`` (the data
        term; the L2 penalty is not scaled). It is 1
        for every loss but scikit-learn's squared error, which reports the mean
        over outputs and trains on their sum; :func:`skmlp.check_gradients`
        scales its finite differences by it.

        Parameters
        ----------
        n_outputs : int

        Returns
        -------
        scale : int

        Examples
        --------
        >>> from skmlp.losses import SoftmaxLogLoss
        >>> SoftmaxLogLoss().gradient_scale(3)
        1
        """
        return 1

    def probabilities(self, Z, out=None):
        """Output probabilities from logits (classification losses).

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_outputs)
            Logits.
        out : ndarray of shape (n_samples, n_outputs), optional
            Where to write the result; may be ``Z`` itself.

        Returns
        -------
        P : ndarray of shape (n_samples, n_outputs)

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.losses import SoftmaxLogLoss
        >>> SoftmaxLogLoss().probabilities(np.zeros((1, 2)))
        array([[0.5, 0.5]])
        """
        raise NotImplementedError

    def loss_and_delta(self, Z, Y, sample_weight, delta, scratch):
        """Weighted sum of per-sample losses, and the output delta.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_outputs)
            Logits; not modified.
        Y : ndarray of shape (n_samples, n_outputs)
            Targets, one-hot or indicator, in the dtype of ``Z``.
        sample_weight : ndarray of shape (n_samples,) or None
        delta : ndarray of shape (n_samples, n_outputs)
            Receives ``sample_weight[:, None] * (P - Y)``.
        scratch : ndarray of shape (n_samples, n_outputs)
            Work space.

        Returns
        -------
        total : float
            ``sum_i w_i * l_i``.

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.losses import SoftmaxLogLoss
        >>> Z = np.zeros((1, 2)); d = np.empty_like(Z)
        >>> total = SoftmaxLogLoss().loss_and_delta(
        ...     Z, np.array([[1.0, 0.0]]), None, d, np.empty_like(Z))
        >>> round(total, 4), d
        (0.6931, array([[-0.5,  0.5]]))
        """
        raise NotImplementedError


def weighted_total(sample_losses, sample_weight):
    """``sum_i w_i l_i`` as a float (``sum_i l_i`` when there are no weights).

    Parameters
    ----------
    sample_losses : ndarray of shape (n_samples,)
    sample_weight : ndarray of shape (n_samples,) or None

    Returns
    -------
    total : float

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.losses import weighted_total
    >>> weighted_total(np.array([1.0, 3.0]), np.array([2.0, 0.5]))
    3.5
    """
    if sample_weight is None:
        return float(np.add.reduce(sample_losses))
    return float(np.dot(sample_weight, sample_losses))


# Above this many entries the loss is computed with NumPy's vectorised exp and
# log1p (several times faster than logaddexp's scalar loop); below it, with
# logaddexp in one call, as the number of calls is what costs there.
_SOFTPLUS_VECTOR_SIZE = 512


class BinaryLogLoss(Loss):
    """Logistic outputs with binary cross-entropy summed over outputs.

    Used for binary targets (one output unit) and multilabel targets (one unit
    per label).

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.losses import BinaryLogLoss
    >>> BinaryLogLoss().probabilities(np.array([[0.0, 1000.0]]))
    array([[0.5, 1. ]])
    """

    out_activation = "logistic"

    def probabilities(self, Z, out=None):
        return expit(Z, out=out)

    def loss_and_delta(self, Z, Y, sample_weight, delta, scratch):
        # l = log(1 + exp(z)) - y z, written so that it never overflows.
        zero = ZERO.get(Z.dtype, 0)
        if Z.size < _SOFTPLUS_VECTOR_SIZE:
            np.logaddexp(zero, Z, out=scratch)
            scratch -= np.multiply(Y, Z, out=delta)
        else:
            # l = log1p(exp(-|z|)) + (max(z, 0) - y z): for 0/1 targets the
            # bracket is max(z, 0) or max(-z, 0), exactly, so a confident right
            # answer (l tiny, |z| large) loses nothing to cancellation.
            np.maximum(Z, zero, out=delta)
            delta -= np.multiply(Y, Z, out=scratch)
            np.abs(Z, out=scratch)
            np.negative(scratch, out=scratch)
            np.exp(scratch, out=scratch)
            np.log1p(scratch, out=scratch)
            scratch += delta
        sample_losses = scratch.sum(axis=1) if scratch.shape[1] > 1 else scratch[:, 0]
        total = weighted_total(sample_losses, sample_weight)
        expit(Z, out=delta)
        delta -= Y
        if sample_weight is not None:
            delta *= sample_weight[:, np.newaxis]
        return total


class SoftmaxLogLoss(Loss):
    """Softmax outputs with categorical cross-entropy, for multiclass targets.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.losses import SoftmaxLogLoss
    >>> P = SoftmaxLogLoss().probabilities(np.array([[1000.0, 0.0]]))
    >>> P
    array([[1., 0.]])
    """

    out_activation = "softmax"

    def probabilities(self, Z, out=None):
        if out is None:
            out = np.empty_like(Z)
        np.subtract(Z, np.maximum.reduce(Z, axis=1, keepdims=True), out=out)
        np.exp(out, out=out)
        out /= np.add.reduce(out, axis=1, keepdims=True)
        return out

    def loss_and_delta(self, Z, Y, sample_weight, delta, scratch):
        # l = logsumexp(z) - z_y, with the row maximum subtracted first.
        # (ufunc reductions straight, without ndarray.max/sum's Python wrappers)
        np.subtract(Z, np.maximum.reduce(Z, axis=1, keepdims=True), out=delta)
        np.multiply(delta, Y, out=scratch)
        picked = np.add.reduce(scratch, axis=1)
        np.exp(delta, out=delta)
        norm = np.add.reduce(delta, axis=1)
        delta /= norm[:, np.newaxis]
        sample_losses = np.log(norm, out=norm)
        sample_losses -= picked
        total = weighted_total(sample_losses, sample_weight)
        delta -= Y
        if sample_weight is not None:
            delta *= sample_weight[:, np.newaxis]
        return total


LOSSES = {"logistic": BinaryLogLoss, "softmax": SoftmaxLogLoss}


def get(identifier):
    """Return a :class:`Loss` for an output activation name or an instance.

    Parameters
    ----------
    identifier : {"logistic", "softmax"} or Loss

    Returns
    -------
    loss : Loss

    Examples
    --------
    >>> from skmlp.losses import get
    >>> type(get("logistic")).__name__
    'BinaryLogLoss'
    """
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if isinstance(identifier, str) and identifier in LOSSES:
        return LOSSES[identifier]()
    raise ValueError(
        f"Unknown loss {identifier!r}; expected one of {sorted(LOSSES)} "
        "or a Loss instance"
    )
