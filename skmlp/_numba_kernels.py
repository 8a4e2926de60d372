"""The compiled engine's fused element-wise passes (needs numba).

Each kernel does in one pass over memory what the NumPy engine does in
several NumPy calls, with the same IEEE operations in the same order for every
element and no fast-math, so its results are the NumPy engine's bit for bit:

- :func:`bias_relu`, :func:`bias_add`: ``Z += b`` (and ``A = max(Z, 0)``) of
  a Dense layer's forward step;
- :func:`backprop_bias`: the derivative mask of a hidden layer's backward step
  (``dZ = dA * g'(A)``) and the bias gradient, the column sums of ``dZ``,
  summed as ``np.add.reduce(dZ, axis=0)`` does (row after row; pairwise, as
  :func:`pairwise_sum`, for a single column);
- :func:`finish_sgd`, :func:`finish_adam`: the rest of the gradient (the L2
  penalty ``alpha * W``, the division by the batch's weight) and the whole
  optimiser update, one pass over the flat buffers instead of scikit-learn's
  five (SGD with Nesterov momentum) or twelve (Adam).

The matrix products stay with NumPy (BLAS), and so do the activations' and
losses' exponentials and hyperbolic tangents: NumPy's vectorised ``exp`` and
``tanh`` are several times faster than the C library's, which is what compiled
code calls, and round differently.

This module imports numba: only the compiled engine's modules import it, when
the estimator's ``engine`` asks for it. Compiled code is cached on disk (see
``docs/engine.rst``).
"""

import numba
import numpy as np

from .optimizers import SGD, Adam

__all__ = [
    "IDENTITY",
    "LOGISTIC",
    "TANH",
    "RELU",
    "bias_add",
    "bias_relu",
    "bias_relu_in_place",
    "backprop_bias",
    "finish_sgd",
    "finish_adam",
    "pairwise_sum",
    "outer",
    "binary_log_loss",
    "updater",
]

# Codes of the built-in activations in compiled code.
IDENTITY, LOGISTIC, TANH, RELU = 0, 1, 2, 3

# error_model="numpy": a division by zero gives inf or NaN as in NumPy, where
# the default raises ZeroDivisionError, and its check keeps loops with a
# division from vectorising (Adam's update, five times slower).
_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


@_jit
def bias_add(Z, b):
    """``Z += b`` row by row, in place."""
    n_rows, n_units = Z.shape
    for i in range(n_rows):
        for j in range(n_units):
            Z[i, j] = Z[i, j] + b[j]


@_jit
def bias_relu(Z, b, A, zero):
    """``Z += b; A = max(Z, 0)``; ``A`` may be ``Z``; ``zero`` in their dtype.

    As ``np.maximum``, a NaN is kept (``z < 0`` is False for it).
    """
    n_rows, n_units = Z.shape
    for i in range(n_rows):
        for j in range(n_units):
            z = Z[i, j] + b[j]
            Z[i, j] = z
            A[i, j] = zero if z < 0 else z


@_jit
def bias_relu_in_place(Z, b, zero):
    """``Z = max(Z + b, 0)``: :func:`bias_relu` writing ``A`` over ``Z``, in
    one store per entry (two stores to the same array keep the loop from
    vectorising: four times slower)."""
    n_rows, n_units = Z.shape
    for i in range(n_rows):
        for j in range(n_units):
            z = Z[i, j] + b[j]
            Z[i, j] = zero if z < 0 else z


@_jit
def relu_mask(d, a, one):
    # delta *= (A != 0), the mask in the arrays' dtype: a multiplication by
    # one or by zero (a NaN activation is not 0: its delta is kept).
    return d * one if a != 0 else d * (one - one)


@_jit
def backprop_bias(dZ, A, code, one, grad_b):
    """``dZ *= g'(A)`` in place, and ``grad_b = dZ.sum(axis=0)``.

    ``code`` is the activation's (:data:`LOGISTIC`, ...), ``one`` the number 1
    in the arrays' dtype. The derivatives are those of the NumPy engine's
    kernels, operation for operation: logistic ``(d * a) * (1 - a)``, tanh
    ``d * (1 - a * a)``, ReLU ``d * (a != 0)``.
    """
    n_rows, n_units = dZ.shape
    for i in range(n_rows):
        for j in range(n_units):
            d = dZ[i, j]
            a = A[i, j]
            if code == LOGISTIC:
                d = d * a
                d = d * (one - a)
            elif code == TANH:
                d = d * (one - a * a)
            elif code == RELU:
                d = relu_mask(d, a, one)
            dZ[i, j] = d
            if i == 0:
                grad_b[j] = d
            else:
                grad_b[j] = grad_b[j] + d
    if n_units == 1 and n_rows > 1:
        # One column is a contiguous run, which np.add.reduce sums pairwise.
        grad_b[0] = pairwise_sum(dZ[:, 0])


@_jit
def pairwise_sum(a):
    """NumPy's pairwise summation of the 1-D array ``a`` (its ``add.reduce``).

    Blocks of up to 128 in eight interleaved partial sums, halved recursively
    above that, as ``pairwise_sum`` in NumPy's ``loops_utils.h``.
    """
    n = a.shape[0]
    if n < 8:
        res = -np.zeros(1, dtype=a.dtype)[0]  # -0.0 keeps a sum of -0.0s -0.0
        for i in range(n):
            res = res + a[i]
        return res
    if n <= 128:
        r0, r1, r2, r3 = a[0], a[1], a[2], a[3]
        r4, r5, r6, r7 = a[4], a[5], a[6], a[7]
        i = 8
        stop = n - n % 8
        while i < stop:
            r0 = r0 + a[i]
            r1 = r1 + a[i + 1]
            r2 = r2 + a[i + 2]
            r3 = r3 + a[i + 3]
            r4 = r4 + a[i + 4]
            r5 = r5 + a[i + 5]
            r6 = r6 + a[i + 6]
            r7 = r7 + a[i + 7]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res = res + a[i]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return pairwise_sum(a[:n2]) + pairwise_sum(a[n2:])


@_jit
def outer(dZ, W, dX):
    """``dX = dZ @ W.T`` for one output unit: ``dX[i, k] = dZ[i, 0] * W[k, 0]``,
    one multiplication each, as NumPy's broadcast multiply (and BLAS) does."""
    n_rows, n_inputs = dX.shape
    for i in range(n_rows):
        d = dZ[i, 0]
        for k in range(n_inputs):
            dX[i, k] = d * W[k, 0]


@_jit
def finish_gradient(g, p, i, n_coef, alpha, penalize, divisor):
    """Element ``i`` of the gradient: ``(g + alpha * p) / divisor``."""
    if penalize and i < n_coef:
        g = g + p * alpha
    return g / divisor


@_jit
def finish_sgd(
    params,
    grads,
    n_coef,
    alpha,
    penalize,
    divisor,
    velocity,
    rate,
    momentum,
    nesterov,
    use_momentum,
):
    """Finish the gradient and take SGD's step, in one pass.

    The NumPy engine's ``grads[:n_coef] += params[:n_coef] * alpha`` (when
    ``penalize``), ``grads /= divisor`` and :meth:`skmlp.optimizers.SGD.step`:
    ``scaled = g * rate``; without momentum ``p -= scaled``; else
    ``v = v * momentum - scaled`` and ``p += v`` (Nesterov:
    ``p += v * momentum - scaled``). ``grads`` holds the finished gradient
    afterwards. Every scalar is in the arrays' dtype.
    """
    for i in range(params.shape[0]):
        g = finish_gradient(grads[i], params[i], i, n_coef, alpha, penalize, divisor)
        grads[i] = g
        scaled = g * rate
        if not use_momentum:
            params[i] = params[i] - scaled
            continue
        v = velocity[i] * momentum
        v = v - scaled
        velocity[i] = v
        if nesterov:
            params[i] = params[i] + (v * momentum - scaled)
        else:
            params[i] = params[i] + v


@_jit
def finish_adam(
    params,
    grads,
    n_coef,
    alpha,
    penalize,
    divisor,
    first,
    second,
    beta_1,
    beta_2,
    keep_1,
    keep_2,
    eps,
    neg_rate,
):
    """Finish the gradient and take Adam's step, in one pass.

    :meth:`skmlp.optimizers.Adam.step`'s twelve passes for each element, in
    its order: ``m = m * beta_1 + g * (1 - beta_1)``,
    ``v = v * beta_2 + (g * g) * (1 - beta_2)``,
    ``p += (m * -lr) / (sqrt(v) + eps)``; the gradient finished first as in
    :func:`finish_sgd`.
    """
    for i in range(params.shape[0]):
        g = finish_gradient(grads[i], params[i], i, n_coef, alpha, penalize, divisor)
        grads[i] = g
        m = first[i] * beta_1
        m = m + g * keep_1
        first[i] = m
        tmp = g * g
        tmp = tmp * keep_2
        v = second[i] * beta_2
        v = v + tmp
        second[i] = v
        tmp = np.sqrt(v)
        tmp = tmp + eps
        params[i] = params[i] + (m * neg_rate) / tmp


@_jit
def binary_log_loss(Z, Y, delta, scratch, log2):
    """:class:`skmlp.losses.BinaryLogLoss` of a small batch, in one pass.

    Its steps for fewer than ``_SOFTPLUS_VECTOR_SIZE`` logits, in its order:
    ``scratch = logaddexp(0, Z) - Y * Z`` (NumPy's ``logaddexp`` of scalars,
    the C library's ``exp`` and ``log1p``), the row sums and their sum as
    NumPy sums them, ``delta = expit(Z) - Y`` (SciPy's ``1 / (1 + exp(-z))``).
    Returns the summed loss; ``log2`` is ``log(2)`` in the arrays' dtype.
    """
    n_rows, n_out = Z.shape
    zero = log2 - log2
    one = log2 / log2
    for i in range(n_rows):
        for j in range(n_out):
            z, y = Z[i, j], Y[i, j]
            if z == zero:
                soft = zero + log2
            else:
                tmp = zero - z
                if tmp > 0:
                    soft = zero + np.log1p(np.exp(-tmp))
                elif tmp <= 0:
                    soft = z + np.log1p(np.exp(tmp))
                else:
                    soft = tmp
            scratch[i, j] = soft - y * z
            delta[i, j] = one / (one + np.exp(-z)) - y
    if n_out == 1:
        return float(pairwise_sum(scratch[:, 0]))
    losses = np.empty(n_rows, dtype=Z.dtype)
    for i in range(n_rows):
        losses[i] = pairwise_sum(scratch[i])
    return float(pairwise_sum(losses))


# -- the update, bound to an optimiser (Python) ------------------------------


def updater(optimizer, params, grads, n_coef):
    """``update(alpha, penalize, divisor)``: finish the gradient and take
    ``optimizer``'s step with :func:`finish_sgd` or :func:`finish_adam`.

    The optimiser object keeps its own state (velocity, moments, step count,
    learning rate) as its ``step`` would, so either engine can continue it.
    """
    dtype = params.dtype.type
    if type(optimizer) is SGD:
        sgd = optimizer
        velocity = sgd.velocity

        def update(alpha, penalize, divisor):
            momentum = sgd.momentum
            finish_sgd(
                params,
                grads,
                n_coef,
                alpha,
                penalize,
                divisor,
                velocity,
                dtype(sgd.learning_rate),
                dtype(momentum),
                bool(sgd.nesterov),
                momentum != 0,
            )

        return update
    if type(optimizer) is Adam:
        adam = optimizer
        first, second = adam.first_moment, adam.second_moment
        cached = [None, None]

        def update(alpha, penalize, divisor):
            constants, negative_rate = adam._advance(params.dtype)
            if cached[0] is not constants:
                cached[0], cached[1] = constants, [dtype(c[()]) for c in constants]
            beta_1, beta_2, keep_1, keep_2, eps = cached[1]
            finish_adam(
                params,
                grads,
                n_coef,
                alpha,
                penalize,
                divisor,
                first,
                second,
                beta_1,
                beta_2,
                keep_1,
                keep_2,
                eps,
                dtype(negative_rate[()]),
            )

        return update
    raise TypeError(f"No compiled update for {type(optimizer).__name__}")
