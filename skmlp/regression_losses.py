"""Regression losses: scikit-learn's two and the robust ones it lacks.

Each works, like the classification losses of :mod:`skmlp.losses`, from the
logits ``Z`` (the output layer's pre-activations) and writes the output delta
``w_i * dl_i/dz`` in the same pass that computes the loss. With ``r = z - y``:

- ``"squared_error"``: ``l = r**2 / 2``, ``dl/dz = r``;
- ``"poisson"``: ``l = y log(y / exp(z)) - y + exp(z)``, ``dl/dz = exp(z) - y``;
- ``"absolute_error"``: ``l = |r|``, ``dl/dz = sign(r)`` (0 at ``r = 0``);
- ``"huber"``: ``l = r**2 / 2`` where ``|r| <= delta``, else
  ``delta (|r| - delta / 2)``; ``dl/dz = clip(r, -delta, delta)``;
- ``"quantile"`` (pinball): ``l = q max(-r, 0) + (1 - q) max(r, 0)``,
  ``dl/dz = -q`` where ``y >= z``, else ``1 - q``.

A sample's loss is the mean of its outputs' losses, except for Poisson (the
sum, as scikit-learn). Squared error is scikit-learn's in every respect: it
reports the mean over outputs but its delta is ``r``, the gradient of the sum
(``gradient_scale`` says so). The absolute error and the pinball loss have a
kink at ``r = 0``: their deltas there are the subgradients above. The pinball
loss's is scikit-learn's ``PinballLoss`` convention; for the absolute error
skmlp takes 0, the subgradient that leaves a sample sitting exactly on its
target alone (scikit-learn's ``AbsoluteError`` takes -1).

Examples
--------
>>> import numpy as np
>>> from skmlp.regression_losses import PinballLoss
>>> Z, Y = np.array([[0.0], [0.0]]), np.array([[1.0], [-1.0]])
>>> delta = np.empty_like(Z)
>>> PinballLoss(0.9).loss_and_delta(Z, Y, None, delta, np.empty_like(Z))
1.0
>>> delta.ravel().tolist()
[-0.9, 0.09999999999999998]
"""

import numpy as np
from scipy.special import xlogy

from .losses import Loss, weighted_total

__all__ = [
    "HalfSquaredError",
    "HalfPoissonDeviance",
    "AbsoluteError",
    "HuberLoss",
    "PinballLoss",
    "REGRESSION_LOSSES",
]


def _sample_losses(elementwise, mean):
    """Per-sample losses from per-output ones: their mean or sum over outputs."""
    if elementwise.shape[1] == 1:
        return elementwise[:, 0]
    total = np.add.reduce(elementwise, axis=1)
    if mean:
        total /= elementwise.shape[1]
    return total


def _finish_delta(delta, sample_weight, n_outputs):
    """Divide by the number of outputs (a mean) and weight the rows."""
    if n_outputs > 1:
        delta /= n_outputs
    if sample_weight is not None:
        delta *= sample_weight[:, np.newaxis]


class _IdentityOutput(Loss):
    """The output is the logits themselves."""

    out_activation = "identity"

    def output(self, Z, out=None):
        if out is None:
            return Z.copy()
        if out is not Z:
            np.copyto(out, Z)
        return out


class HalfSquaredError(_IdentityOutput):
    """scikit-learn's ``"squared_error"``: half the squared error, identity output.

    The reported loss of a sample is ``mean_k (z_k - y_k)**2 / 2``, the delta
    ``z - y``: the gradient of the sum over outputs, as scikit-learn trains.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.regression_losses import HalfSquaredError
    >>> Z, Y = np.array([[1.0, 3.0]]), np.array([[0.0, 0.0]])
    >>> delta = np.empty_like(Z)
    >>> HalfSquaredError().loss_and_delta(Z, Y, None, delta, np.empty_like(Z))
    2.5
    >>> delta
    array([[1., 3.]])
    """

    def gradient_scale(self, n_outputs):
        return n_outputs

    def loss_and_delta(self, Z, Y, sample_weight, delta, scratch):
        np.subtract(Z, Y, out=delta)
        n_outputs = Z.shape[1]
        if sample_weight is None:
            flat = delta.reshape(-1)
            total = 0.5 * float(np.dot(flat, flat)) / n_outputs
        else:
            np.multiply(delta, delta, out=scratch)
            squares = _sample_losses(scratch, mean=False)
            total = 0.5 * weighted_total(squares, sample_weight) / n_outputs
            delta *= sample_weight[:, np.newaxis]
        return total


class HalfPoissonDeviance(Loss):
    """scikit-learn's ``"poisson"``: half the Poisson deviance, exponential output.

    ``l = sum_k y_k log(y_k / p_k) - y_k + p_k`` with ``p = exp(z)``; the delta
    is ``p - y``. Targets must be non-negative.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.regression_losses import HalfPoissonDeviance
    >>> loss = HalfPoissonDeviance()
    >>> Z, Y = np.log(np.array([[2.0]])), np.array([[2.0]])
    >>> delta = np.empty_like(Z)
    >>> loss.loss_and_delta(Z, Y, None, delta, np.empty_like(Z)), delta
    (0.0, array([[0.]]))
    >>> loss.output(np.zeros((1, 1)))
    array([[1.]])
    """

    out_activation = "exp"

    def output(self, Z, out=None):
        return np.exp(Z, out=out)

    def loss_and_delta(self, Z, Y, sample_weight, delta, scratch):
        predicted = np.exp(Z, out=delta)
        np.divide(Y, predicted, out=scratch)
        xlogy(Y, scratch, out=scratch)
        scratch -= Y
        scratch += predicted
        total = weighted_total(_sample_losses(scratch, mean=False), sample_weight)
        delta -= Y
        if sample_weight is not None:
            delta *= sample_weight[:, np.newaxis]
        return total


class AbsoluteError(_IdentityOutput):
    """``"absolute_error"``: ``|z - y|``, whose minimiser is the median.

    The delta at ``z = y`` is 0 (a subgradient; scikit-learn's
    ``AbsoluteError`` takes -1 there).

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.regression_losses import AbsoluteError
    >>> Z, Y = np.array([[1.0], [0.0], [-2.0]]), np.zeros((3, 1))
    >>> delta = np.empty_like(Z)
    >>> AbsoluteError().loss_and_delta(Z, Y, None, delta, np.empty_like(Z))
    3.0
    >>> delta.ravel().tolist()
    [1.0, 0.0, -1.0]
    """

    def loss_and_delta(self, Z, Y, sample_weight, delta, scratch):
        np.subtract(Z, Y, out=delta)
        np.abs(delta, out=scratch)
        total = weighted_total(_sample_losses(scratch, mean=True), sample_weight)
        np.sign(delta, out=delta)
        _finish_delta(delta, sample_weight, Z.shape[1])
        return total


class HuberLoss(_IdentityOutput):
    """``"huber"``: squared error near the target, absolute error beyond ``delta``.

    Parameters
    ----------
    delta : float, default=1.0
        Residuals up to ``delta`` in absolute value count as squared error,
        larger ones linearly, so outliers pull on the fit with a bounded force.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.regression_losses import HuberLoss
    >>> Z, Y = np.array([[0.5], [3.0]]), np.zeros((2, 1))
    >>> delta = np.empty_like(Z)
    >>> HuberLoss(1.0).loss_and_delta(Z, Y, None, delta, np.empty_like(Z))
    2.625
    >>> delta.ravel().tolist()
    [0.5, 1.0]
    """

    def __init__(self, delta=1.0):
        self.delta = float(delta)

    def loss_and_delta(self, Z, Y, sample_weight, delta, scratch):
        threshold = self.delta
        np.subtract(Z, Y, out=delta)
        np.abs(delta, out=scratch)
        quadratic = scratch <= threshold
        linear = threshold * (scratch - 0.5 * threshold)
        np.multiply(delta, delta, out=scratch)
        scratch *= 0.5
        np.copyto(scratch, linear, where=~quadratic)
        total = weighted_total(_sample_losses(scratch, mean=True), sample_weight)
        np.clip(delta, -threshold, threshold, out=delta)
        _finish_delta(delta, sample_weight, Z.shape[1])
        return total


class PinballLoss(_IdentityOutput):
    """``"quantile"``: the pinball loss, whose minimiser is the ``quantile``.

    Parameters
    ----------
    quantile : float
        In (0, 1); 0.5 is half the absolute error.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.regression_losses import PinballLoss
    >>> Z, Y = np.zeros((2, 1)), np.array([[2.0], [-2.0]])
    >>> delta = np.empty_like(Z)
    >>> PinballLoss(0.25).loss_and_delta(Z, Y, None, delta, np.empty_like(Z))
    2.0
    >>> delta.ravel().tolist()
    [-0.25, 0.75]
    """

    def __init__(self, quantile):
        self.quantile = float(quantile)

    def loss_and_delta(self, Z, Y, sample_weight, delta, scratch):
        q = self.quantile
        np.subtract(Y, Z, out=scratch)  # the residual y - z
        above = scratch >= 0  # y >= z: the prediction is at or below the target
        np.multiply(scratch, np.where(above, q, q - 1.0), out=scratch)
        total = weighted_total(_sample_losses(scratch, mean=True), sample_weight)
        np.copyto(delta, np.where(above, -q, 1.0 - q))
        _finish_delta(delta, sample_weight, Z.shape[1])
        return total


REGRESSION_LOSSES = {
    "squared_error": HalfSquaredError,
    "poisson": HalfPoissonDeviance,
    "absolute_error": AbsoluteError,
    "huber": HuberLoss,
    "quantile": PinballLoss,
}
