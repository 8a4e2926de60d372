"""The layers' steps for one batch size, planned once and then only run.

Mini-batch training repeats the same step, at the same shapes, thousands of
times. A :class:`Plan` does everything that depends only on the shapes once:
it gives every layer its work arrays for the batch size, and each built-in
layer turns its forward and backward pass into a function with those arrays
bound, choosing then, by width, the fastest NumPy call for each operation among
those that give the same bits. Running the step is then a straight sequence of
NumPy calls with no allocation, no validation and few look-ups, which is what
matters when a network is so small that NumPy's per-call cost is most of the
time (full-batch gradient descent on a few hundred 2-D points, say).

Prediction runs the same forward functions, planned without their backward
halves; a layer a user writes runs through its public ``forward`` and
``backward``, its output copied into a buffer of the plan.
"""

import functools
import math

import numpy as np

from ._scalars import operand
from .layers import Dense, Dropout, _Arrays

__all__ = ["Plan", "divide_in_place"]


def divide_in_place(x, divisor):
    """``x /= divisor``, as a multiplication when that gives the same bits.

    Dividing by a power of two and multiplying by its reciprocal both round the
    same exact quotient, and a multiplication is several times cheaper than a
    division (batch sizes are often powers of two).
    """
    _divider(x, divisor)()


class Plan:
    """The network's forward (and, for training, backward) steps for ``n_rows``.

    Parameters
    ----------
    net : Network
    n_rows : int
    training : bool
        Plan the training step (forward with the training behaviour of
        dropout and the like, then backward) or prediction (forward only).
    keep_z : bool, default=False
        Keep each Dense layer's pre-activations apart from its activations
        (for :meth:`Network.forward_layers`).

    Attributes
    ----------
    arrays : list
        Each layer's work arrays (``output``; ``dY``, dLoss/d(output), when
        training).
    forwards : list of callable
        ``forward(X) -> output`` per layer, bottom up.
    backwards : list of callable
        ``backward(X)`` per layer, top down: turns the layer's ``dY`` into its
        parameter gradients and the ``dY`` of the layer below (``X``, the
        batch, is read by the first layer).
    """

    def __init__(self, net, n_rows, training, keep_z=False):
        self.net, self.n_rows = net, n_rows
        self.arrays, self.forwards, inputs_of = [], [], []
        inputs = None
        for layer, width in zip(net.layers, net.widths[1:]):
            arrays = _new_arrays(layer, width, n_rows, net.dtype, training, keep_z)
            self.forwards.append(_planned_forward(layer, inputs, arrays, training))
            self.arrays.append(arrays)
            inputs_of.append(inputs)
            if arrays.output is not None:
                inputs = arrays.output
        self.output = inputs
        self.backwards = []
        if training:
            self.backwards = [
                _planned_backward(
                    layer,
                    inputs_of[i],
                    self.arrays[i],
                    None if i == 0 else self.arrays[i - 1].dY,
                )
                for i, layer in reversed(list(enumerate(net.layers)))
            ]
            self._loss_and_delta = net.loss.loss_and_delta
            self._delta = self.arrays[-1].dY
            self._scratch = np.empty_like(self._delta)
            self._coefs = (net._coef_params, net._coef_grads, net._coef_work)
            self._alpha = self._alpha_operand = None
            # Without sample weights every batch of this plan divides by n_rows.
            self._divide_by_rows = _divider(net.grads, n_rows)

    def forward(self, X):
        """The network's output (the logits) for ``X``, in :attr:`output`."""
        for forward in self.forwards:
            X = forward(X)
        return X

    def __call__(self, X, Y, sample_weight, alpha):
        """Run the training step: see :meth:`Network.loss_and_grad`."""
        inputs = X
        for forward in self.forwards:
            inputs = forward(inputs)
        total = self._loss_and_delta(
            inputs, Y, sample_weight, self._delta, self._scratch
        )
        if sample_weight is None:
            weight_sum = self.n_rows
        else:
            weight_sum = float(sample_weight.sum())
            if weight_sum <= 0:  # a batch of zero weights: no loss, no gradient
                self.net.grads[...] = 0
                return 0.0
        for backward in self.backwards:
            backward(X)
        penalty = 0.0
        if alpha:
            coef_params, coef_grads, coef_work = self._coefs
            if alpha != self._alpha:
                self._alpha = alpha
                self._alpha_operand = operand(alpha, coef_params.dtype)
            # grad_W += alpha * W, as scikit-learn, through a preallocated array.
            np.add(
                coef_grads,
                np.multiply(coef_params, self._alpha_operand, out=coef_work),
                out=coef_grads,
            )
            penalty = 0.5 * alpha * float(np.dot(coef_params, coef_params))
        if sample_weight is None:
            self._divide_by_rows()
        else:
            divide_in_place(self.net.grads, weight_sum)
        return total / weight_sum + penalty / weight_sum


# -- what a layer contributes to a plan: its own planned steps when it has
# them (the built-in layers, by exact class, as a subclass may redefine the
# public methods), else its public forward and backward --------------------


def _is_planned(layer):
    return type(layer) in (Dense, Dropout)


def _new_arrays(layer, width, n_rows, dtype, training, keep_z):
    if _is_planned(layer):
        return layer._new_arrays(n_rows, dtype, training, keep_z)
    shape = (n_rows, width)
    return _Arrays(
        output=np.empty(shape, dtype=dtype),
        dY=np.empty(shape, dtype=dtype) if training else None,
    )


def _planned_forward(layer, inputs, arrays, training):
    if _is_planned(layer):
        return layer._planned_forward(inputs, arrays)
    out = arrays.output

    def forward(X):
        np.copyto(out, layer.forward(X, training))
        return out

    return forward


def _planned_backward(layer, inputs, arrays, dX):
    if _is_planned(layer):
        return layer._planned_backward(inputs, arrays, dX)
    dY = arrays.dY

    def backward(X):
        gradient = layer.backward(dY)
        if dX is not None:
            np.copyto(dX, gradient)

    return backward


def _divider(x, divisor):
    """A function doing :func:`divide_in_place` of ``x`` by a fixed ``divisor``."""
    # The reciprocal of 2**e is exact only inside the exponent range.
    mantissa, exponent = math.frexp(divisor)
    if mantissa != 0.5 or not -60 < exponent < 60:
        return functools.partial(np.divide, x, operand(divisor, x.dtype), out=x)
    if divisor == 1:  # dividing by 1 changes nothing
        return _nothing
    reciprocal = operand(math.ldexp(1.0, 1 - exponent), x.dtype)
    return functools.partial(np.multiply, x, reciprocal, out=x)


def _nothing():
    pass
