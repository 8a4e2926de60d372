"""The training step for one batch size, planned once and then only run.

Mini-batch training repeats the same step, at the same shapes, thousands of
times. A :class:`StepPlan` does everything that depends only on the shapes
once: it cuts every work array the step needs (from buffers sized for the
largest batch, so memory is one batch whatever ``n_samples``), and each layer
turns its forward and backward pass into a function with those arrays bound
(:meth:`~skmlp.layers.Dense.training_step`), choosing then, by width, the
fastest NumPy call for each operation among those that give the same bits.
Running the step is then a straight sequence of NumPy calls with no
allocation, no validation and few look-ups, which is what matters when a
network is so small that NumPy's per-call cost is most of the time
(full-batch gradient descent on a few hundred 2-D points, say).
"""

import functools
import math

import numpy as np

from ._scalars import operand

__all__ = ["Buffers", "StepPlan", "divide_in_place"]


def divide_in_place(x, divisor):
    """``x /= divisor``, as a multiplication when that gives the same bits.

    Dividing by a power of two and multiplying by its reciprocal both round the
    same exact quotient, and a multiplication is several times cheaper than a
    division (batch sizes are often powers of two).
    """
    _divider(x, divisor)()


def read_only_zeros(size, dtype):
    """A flat read-only array of ``size`` zeros."""
    zeros = np.zeros(size, dtype=dtype)
    zeros.flags.writeable = False
    return zeros


class Buffers:
    """Work arrays for batches of up to ``n_rows`` rows.

    Per layer: pre-activations ``Z``, activations ``A`` (hidden layers; the
    same array as ``Z`` where ``in_place`` says so), deltas ``dZ``, and the
    activation derivative's ``work``; ``scratch`` for the loss; read-only
    ``zeros`` shaped like each hidden layer. :meth:`rows` cuts them all to a
    smaller batch as views.
    """

    def __init__(self, n_rows, units, dtype, in_place=None):
        self.n_rows = n_rows
        self.units = list(units)
        hidden = self.units[:-1]
        self.in_place = tuple(in_place or [False] * len(hidden))
        self.Z = [np.empty((n_rows, u), dtype=dtype) for u in units]
        # A hidden layer whose activation works in place (its derivative reads
        # A alone) keeps A in Z's array, as scikit-learn does: one array less to
        # write and to read back per layer.
        self.A = [
            Z if shared else np.empty((n_rows, u), dtype=dtype)
            for Z, u, shared in zip(self.Z, hidden, self.in_place)
        ] + [None]
        self.dZ = [np.empty((n_rows, u), dtype=dtype) for u in units]
        self.work = [np.empty((n_rows, u), dtype=dtype) for u in hidden]
        self.scratch = np.empty((n_rows, units[-1]), dtype=dtype)
        self._zeros = read_only_zeros(n_rows * max(hidden, default=0), dtype)

    def rows(self, m):
        """Every array cut to its first ``m`` rows, as a :class:`BufferViews`."""
        return BufferViews(self, m)


class BufferViews:
    """The arrays of a :class:`Buffers`, cut to ``m`` rows."""

    def __init__(self, buffers, m):
        self.n_rows = m
        self.Z = [Z[:m] for Z in buffers.Z]
        self.A = [None if A is None else A[:m] for A in buffers.A]
        self.dZ = [dZ[:m] for dZ in buffers.dZ]
        self.work = [work[:m] for work in buffers.work]
        self.scratch = buffers.scratch[:m]
        self.zeros = [buffers._zeros[: m * u].reshape(m, u) for u in buffers.units[:-1]]


class StepPlan:
    """Loss and gradient of one batch of ``n_rows`` rows, with bound arrays.

    Parameters
    ----------
    net : Network
    arrays : BufferViews
        The work arrays, cut to the batch size.
    """

    def __init__(self, net, arrays):
        self.net = net
        self.arrays = arrays
        layers = net.layers
        Z, A, dZ = arrays.Z, arrays.A, arrays.dZ
        steps = [
            layer.training_step(
                inputs=None if i == 0 else A[i - 1],
                Z=Z[i],
                A=A[i],
                zeros=arrays.zeros[i] if A[i] is not None else None,
                dZ=dZ[i],
                work=arrays.work[i] if A[i] is not None else None,
                dX=None if i == 0 else dZ[i - 1],
            )
            for i, layer in enumerate(layers)
        ]
        self.forwards = [forward for forward, _ in steps]
        # Last layer first; each backward turns the delta its layer above left
        # in its dZ into the gradients and the delta of the layer below.
        self.backwards = [backward for _, backward in reversed(steps)]
        self._loss_and_delta = net.loss.loss_and_delta
        self._delta, self._scratch = dZ[-1], arrays.scratch
        self._coefs = (net._coef_params, net._coef_grads, net._coef_work)
        self._alpha = self._alpha_operand = None
        # Without sample weights every batch of this plan divides by n_rows.
        self._divide_by_rows = _divider(net.grads, arrays.n_rows)

    def __call__(self, X, Y, sample_weight, alpha):
        """Run the step: see :meth:`Network.loss_and_grad`."""
        inputs = X
        for forward in self.forwards:
            inputs = forward(inputs)
        total = self._loss_and_delta(
            inputs, Y, sample_weight, self._delta, self._scratch
        )
        if sample_weight is None:
            weight_sum = self.arrays.n_rows
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
