"""A whole epoch of a small network in one compiled call (needs numba).

When every batch is small (per-sample SGD on a few units, say), a step of the
NumPy engine is tens of NumPy calls on arrays of a handful of numbers, and
each call costs far more than its arithmetic. Here the whole epoch, every
batch's forward pass, loss, backward pass and optimiser update, is one call of
compiled code on the network's flat buffers, with the optimiser's own arrays.

What is the NumPy engine's bit for bit and what is not:

- the optimiser updates, the L2 penalty, the division by the batch's weight,
  the derivative masks and the bias gradients (column sums, summed in
  NumPy's order) perform the same operations in the same order;
- the matrix products are loops here, BLAS there, and the exponentials and
  hyperbolic tangents are the C library's here, NumPy's vectorised ones there:
  these round differently, by an ulp or so, and the two engines' weights
  drift apart by that much (``docs/engine.rst`` gives the measured distance).

The batches are those of :class:`skmlp._training._Batches` (its permutation,
shuffled by the same generator call), the learning rates those of the
optimiser object, which ends the epoch in the state its own ``step`` would
have left it in.
"""

import math

import numba
import numpy as np

from ._numba_kernels import (
    IDENTITY,
    LOGISTIC,
    RELU,
    TANH,
    backprop_bias,
    finish_adam,
    finish_sgd,
)
from .activations import Identity, Logistic, ReLU, Tanh
from .layers import Dense
from .losses import BinaryLogLoss, SoftmaxLogLoss
from .optimizers import SGD, Adam
from .regression_losses import HalfSquaredError

__all__ = ["whole_epoch", "SMALL_BATCH_ELEMENTS"]

#: Largest ``batch rows * sum of layer widths`` run as a whole epoch: above
#: it BLAS and NumPy's vectorised tanh and exp outrun these loops. Measured
#: with tanh, 2,000 rows of 10 features, 3 epochs (fit seconds, this kernel
#: against the per-batch route): 248 elements 0.022 vs 0.036, 496 0.025 vs
#: 0.020, 512 ((4, 3), batch 64) 0.0075 vs 0.0086, 520 0.038 vs 0.036, 550
#: 0.0126 vs 0.0128, 992 0.024 vs 0.014.
SMALL_BATCH_ELEMENTS = 512

_CODES = {Identity: IDENTITY, Logistic: LOGISTIC, Tanh: TANH, ReLU: RELU}
_LOSSES = {BinaryLogLoss: 0, SoftmaxLogLoss: 1, HalfSquaredError: 2}

# error_model="numpy": a division by zero gives inf or NaN as in NumPy, where
# the default raises ZeroDivisionError, and its check keeps loops with a
# division from vectorising (Adam's update, five times slower).
_jit = numba.njit(cache=True, nogil=True, error_model="numpy")


def whole_epoch(net, optimizer, batches, alpha):
    """``run() -> sum of batch losses times rows``, or None when not eligible.

    Eligible: Dense layers only, with built-in identity, logistic, tanh or
    ReLU activations; binary or softmax log-loss or squared error; SGD or
    Adam; dense data; and batches of at most :data:`SMALL_BATCH_ELEMENTS`
    activations.
    """
    layers = net.layers
    codes = [_CODES.get(type(getattr(lay, "activation", None))) for lay in layers[:-1]]
    loss_code = _LOSSES.get(type(net.loss))
    X, Y, sw = batches.X, batches.Y, batches.sample_weight
    rows = min(batches.batch_size, X.shape[0])
    if (
        any(type(layer) is not Dense for layer in layers)
        or None in codes
        or loss_code is None
        or type(optimizer) not in (SGD, Adam)
        or type(X) is not np.ndarray
        or rows * sum(net.widths[1:]) > SMALL_BATCH_ELEMENTS
    ):
        return None
    dtype = net.dtype.type
    X, Y = np.ascontiguousarray(X), np.ascontiguousarray(Y)
    has_sw = sw is not None
    sw = np.ascontiguousarray(sw) if has_sw else np.ones(0, dtype=dtype)
    sizes = np.array(net.widths, dtype=np.int64)
    acts = np.array([*codes, IDENTITY], dtype=np.int64)
    params = net.params
    w_off = np.array([_offset(layer.W, params) for layer in layers], dtype=np.int64)
    b_off = np.array([_offset(layer.b, params) for layer in layers], dtype=np.int64)
    work = np.zeros(rows * (X.shape[1] + 2 * sum(net.widths[1:])), dtype=dtype)
    n_batches = -(-X.shape[0] // batches.batch_size)
    order, rng, shuffle = batches.order, batches.rng, batches.shuffle
    penalize = bool(alpha)
    alpha_d = dtype(alpha)
    consts = np.array([0.0, 1.0, math.log(2.0), 0.0], dtype=dtype)  # [3]: scratch
    common = (X, Y, sw, has_sw, order, batches.batch_size, sizes, acts, w_off, b_off)
    common += (params, net.grads, net.n_coef_params, loss_code)
    common += (float(alpha), alpha_d, penalize, consts, work)
    if type(optimizer) is SGD:
        velocity = optimizer.velocity

        def run():
            if shuffle:
                rng.shuffle(order)
            momentum = optimizer.momentum
            return _sgd_epoch(
                *common,
                velocity,
                dtype(optimizer.learning_rate),
                dtype(momentum),
                bool(optimizer.nesterov),
                momentum != 0,
            )

        return run
    rates = np.empty(n_batches, dtype=dtype)
    first, second = optimizer.first_moment, optimizer.second_moment
    beta = np.empty(5, dtype=dtype)

    def run():
        if shuffle:
            rng.shuffle(order)
        for i in range(n_batches):  # the optimiser's own count and rates
            constants, negative_rate = optimizer._advance(net.dtype)
            rates[i] = negative_rate
        beta[:] = [c[()] for c in constants]
        return _adam_epoch(*common, first, second, beta, rates)

    return run


def _offset(view, params):
    """Where the view ``view`` of ``params`` starts, in elements."""
    start = view.__array_interface__["data"][0] - params.__array_interface__["data"][0]
    return start // params.itemsize


# -- compiled code -----------------------------------------------------------


@_jit
def _activate(z, code, one, zero):
    if code == LOGISTIC:
        return one / (one + np.exp(-z))  # scipy's expit
    if code == TANH:
        return np.tanh(z)
    if code == RELU:
        return zero if z < 0 else z
    return z


@_jit
def _logaddexp0(z, zero, log2):
    """``log(1 + exp(z))`` as NumPy's ``logaddexp(0, z)`` computes it."""
    if z == zero:
        return z + log2
    tmp = zero - z
    if tmp > 0:
        return zero + np.log1p(np.exp(-tmp))
    if tmp <= 0:
        return z + np.log1p(np.exp(tmp))
    return tmp


@_jit
def _forward(A_in, W, b, A_out, code, one, zero):
    """``A_out = g(A_in @ W + b)``, row by row."""
    m, fi = A_in.shape
    fo = A_out.shape[1]
    for r in range(m):
        for j in range(fo):
            s = A_in[r, 0] * W[0, j]
            for k in range(1, fi):
                s = s + A_in[r, k] * W[k, j]
            A_out[r, j] = _activate(s + b[j], code, one, zero)


@_jit
def _loss_delta(Z, Y, sw, has_sw, rows, loss_code, delta, consts):
    """``sum_i w_i l_i`` of the batch, and ``delta = w (P - Y)`` (squared
    error: ``w (Z - Y)``)."""
    zero, one, log2 = consts[0], consts[1], consts[2]
    m, n_out = Z.shape
    total = zero
    for r in range(m):
        loss = zero
        if loss_code == 0:
            for j in range(n_out):
                z, y = Z[r, j], Y[rows[r], j]
                loss = loss + (_logaddexp0(z, zero, log2) - y * z)
                delta[r, j] = one / (one + np.exp(-z)) - y
        elif loss_code == 1:
            top = Z[r, 0]
            for j in range(1, n_out):
                top = max(top, Z[r, j])
            picked = zero
            norm = zero
            for j in range(n_out):
                d = Z[r, j] - top
                picked = picked + d * Y[rows[r], j]
                e = np.exp(d)
                delta[r, j] = e
                norm = norm + e
            for j in range(n_out):
                delta[r, j] = delta[r, j] / norm - Y[rows[r], j]
            loss = np.log(norm) - picked
        else:
            for j in range(n_out):
                d = Z[r, j] - Y[rows[r], j]
                delta[r, j] = d
                loss = loss + d * d
        if has_sw:
            w = sw[rows[r]]
            loss = loss * w
            for j in range(n_out):
                delta[r, j] = delta[r, j] * w
        total = total + loss
    if loss_code == 2:
        return 0.5 * float(total) / n_out
    return float(total)


@_jit
def _batch_gradient(
    X,
    Y,
    sw,
    has_sw,
    rows,
    sizes,
    acts,
    w_off,
    b_off,
    params,
    grads,
    loss_code,
    consts,
    work,
):
    """Forward, loss and backward of the batch ``rows``: ``(total, weight)``,
    the unnormalised gradient in ``grads``."""
    zero, one = consts[0], consts[1]
    m = rows.shape[0]
    n_layers = sizes.shape[0] - 1
    n_features = sizes[0]
    Xb = work[: m * n_features].reshape((m, n_features))
    for r in range(m):
        for k in range(n_features):
            Xb[r, k] = X[rows[r], k]
    offsets = _offsets(m, sizes)
    for layer in range(n_layers):
        fi, fo = sizes[layer], sizes[layer + 1]
        A_in = _activations(work, offsets, layer, m, sizes, Xb)
        A_out = work[offsets[layer] : offsets[layer] + m * fo].reshape((m, fo))
        W = params[w_off[layer] : w_off[layer] + fi * fo].reshape((fi, fo))
        b = params[b_off[layer] : b_off[layer] + fo]
        _forward(A_in, W, b, A_out, acts[layer], one, zero)
    top = n_layers - 1
    fo = sizes[n_layers]
    Z = work[offsets[top] : offsets[top] + m * fo].reshape((m, fo))
    dZ = work[offsets[top] + m * fo : offsets[top] + 2 * m * fo].reshape((m, fo))
    total = _loss_delta(Z, Y, sw, has_sw, rows, loss_code, dZ, consts)
    weight = float(m)
    if has_sw:
        weight_d = zero
        for r in range(m):
            weight_d = weight_d + sw[rows[r]]
        weight = float(weight_d)
        if weight <= 0:
            grads[:] = zero
            return 0.0, weight
    _backward(Xb, work, offsets, m, sizes, acts, w_off, b_off, params, grads, one)
    return total, weight


@_jit
def _offsets(m, sizes):
    """Where each layer's activations start in the work buffer (its ``dZ``
    follows them), after the batch's rows of X."""
    n_layers = sizes.shape[0] - 1
    offsets = np.empty(n_layers + 1, dtype=np.int64)
    offsets[0] = m * sizes[0]
    for layer in range(n_layers):
        offsets[layer + 1] = offsets[layer] + 2 * m * sizes[layer + 1]
    return offsets


@_jit
def _backward(Xb, work, offsets, m, sizes, acts, w_off, b_off, params, grads, one):
    """The backward pass from the output delta: every layer's gradients.

    Each weight gradient is the sum over rows in row order, as the bias
    gradients are (BLAS may order them otherwise: these round differently).
    """
    for layer in range(sizes.shape[0] - 2, -1, -1):
        fi, fo = sizes[layer], sizes[layer + 1]
        start = offsets[layer] + m * fo
        dZ = work[start : start + m * fo].reshape((m, fo))
        A = work[offsets[layer] : offsets[layer] + m * fo].reshape((m, fo))
        gb = grads[b_off[layer] : b_off[layer] + fo]
        backprop_bias(dZ, A, acts[layer], one, gb)
        A_in = _activations(work, offsets, layer, m, sizes, Xb)
        gW = grads[w_off[layer] : w_off[layer] + fi * fo].reshape((fi, fo))
        for k in range(fi):
            a = A_in[0, k]
            for j in range(fo):
                gW[k, j] = a * dZ[0, j]
        for r in range(1, m):
            for k in range(fi):
                a = A_in[r, k]
                for j in range(fo):
                    gW[k, j] = gW[k, j] + a * dZ[r, j]
        if layer > 0:
            W = params[w_off[layer] : w_off[layer] + fi * fo].reshape((fi, fo))
            below = offsets[layer - 1] + m * fi
            dA = work[below : below + m * fi].reshape((m, fi))
            for r in range(m):
                for k in range(fi):
                    s = dZ[r, 0] * W[k, 0]
                    for j in range(1, fo):
                        s = s + dZ[r, j] * W[k, j]
                    dA[r, k] = s


@_jit
def _activations(work, offsets, layer, m, sizes, Xb):
    """The input of ``layer``: the batch, or the activations below it."""
    if layer == 0:
        return Xb
    fi = sizes[layer]
    start = offsets[layer - 1]
    return work[start : start + m * fi].reshape((m, fi))


@_jit
def _penalty(params, n_coef, consts):
    s = consts[0]
    for i in range(n_coef):
        s = s + params[i] * params[i]
    return float(s)


@_jit
def _sgd_epoch(
    X, Y, sw, has_sw, order, batch_size, sizes, acts, w_off, b_off,
    params, grads, n_coef, loss_code, alpha, alpha_d, penalize, consts, work,
    velocity, rate, momentum, nesterov, use_momentum,
):  # fmt: skip
    n = order.shape[0]
    accumulated = 0.0
    for start in range(0, n, batch_size):
        rows = order[start : min(start + batch_size, n)]
        total, weight = _batch_gradient(
            X, Y, sw, has_sw, rows, sizes, acts, w_off, b_off,
            params, grads, loss_code, consts, work,
        )  # fmt: skip
        if weight <= 0:
            finish_sgd(
                params, grads, n_coef, alpha_d, False, consts[1], velocity,
                rate, momentum, nesterov, use_momentum,
            )  # fmt: skip
            continue
        penalty = 0.5 * alpha * _penalty(params, n_coef, consts) if penalize else 0.0
        consts[3] = weight  # the weight in the arrays' dtype, as NumPy divides
        divisor = consts[3]
        finish_sgd(
            params, grads, n_coef, alpha_d, penalize, divisor, velocity,
            rate, momentum, nesterov, use_momentum,
        )  # fmt: skip
        accumulated += (total / weight + penalty / weight) * rows.shape[0]
    return accumulated


@_jit
def _adam_epoch(
    X, Y, sw, has_sw, order, batch_size, sizes, acts, w_off, b_off,
    params, grads, n_coef, loss_code, alpha, alpha_d, penalize, consts, work,
    first, second, beta, rates,
):  # fmt: skip
    n = order.shape[0]
    accumulated = 0.0
    step = 0
    for start in range(0, n, batch_size):
        rows = order[start : min(start + batch_size, n)]
        total, weight = _batch_gradient(
            X, Y, sw, has_sw, rows, sizes, acts, w_off, b_off,
            params, grads, loss_code, consts, work,
        )  # fmt: skip
        penalty = 0.0
        divisor = consts[1]
        use_penalty = penalize and weight > 0
        if weight > 0:
            if penalize:
                penalty = 0.5 * alpha * _penalty(params, n_coef, consts)
            consts[3] = weight
            divisor = consts[3]
            accumulated += (total / weight + penalty / weight) * rows.shape[0]
        finish_adam(
            params, grads, n_coef, alpha_d, use_penalty, divisor, first, second,
            beta[0], beta[1], beta[2], beta[3], beta[4], rates[step],
        )  # fmt: skip
        step += 1
    return accumulated
