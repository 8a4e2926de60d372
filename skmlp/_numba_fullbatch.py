"""A full-batch epoch of a narrow network in a few compiled calls (needs numba).

Full-batch gradient descent on a narrow network (W2: 800 rows, 2-4-1) is one
step per epoch on arrays of a few thousand numbers: too small for BLAS to pay
its fixed cost, and large enough that NumPy's vectorised ``tanh`` and ``exp``
beat the C library's (which compiled code calls: ten times slower here). So
the products, biases, ReLU, backward pass, penalty and update run in compiled
loops over activations stored one unit per row (``(units, rows)``, so every
loop runs along the rows and vectorises), while hidden ``tanh`` and
``logistic`` and the loss stay NumPy's: the same functions the NumPy engine
calls. Rows are read in the shuffled order straight from X.

The loops sum products in another order than BLAS (and the bias gradients
pairwise): the weights end within rounding of the NumPy engine's
(``docs/engine.rst`` gives the measured distance).
"""

import numpy as np
from scipy.special import expit

from ._numba_epoch import _CODES, _jit, _offset
from ._numba_kernels import (
    LOGISTIC,
    RELU,
    TANH,
    finish_adam,
    finish_sgd,
    pairwise_sum,
    updater,
)
from .layers import Dense
from .losses import _SOFTPLUS_VECTOR_SIZE, BinaryLogLoss
from .optimizers import SGD, Adam

__all__ = ["full_batch_epoch", "MAX_WEIGHTS"]

#: Most weights (``W`` entries, all layers) run through these loops; larger
#: networks go through the per-batch route's BLAS products. Measured, tanh,
#: full batch, microseconds an epoch, these loops against the per-batch route:
#: 800 rows 2-8-1 (24 weights) 69 vs 108; 2-16-1 (48) 84 vs 81; 10-16-1 (176)
#: 113 vs 91; 10-32-1 (352) 174 vs 128; 200 rows 20-64-1 211 vs 110.
MAX_WEIGHTS = 32


def full_batch_epoch(net, optimizer, batches, alpha):
    """``run() -> loss times rows`` of a full-batch epoch, or None.

    Eligible: one batch per epoch, Dense layers only with built-in identity,
    logistic, tanh or ReLU activations, at most :data:`MAX_WEIGHTS` weights,
    SGD or Adam, dense data.
    """
    layers = net.layers
    X, Y, sw = batches.X, batches.Y, batches.sample_weight
    n = X.shape[0]
    codes = [_CODES.get(type(getattr(lay, "activation", None))) for lay in layers[:-1]]
    if (
        batches.batch_size < n
        or any(type(layer) is not Dense for layer in layers)
        or None in codes
        or type(optimizer) not in (SGD, Adam)
        or type(X) is not np.ndarray
        or net.n_coef_params > MAX_WEIGHTS
    ):
        return None
    dtype = net.dtype.type
    X = np.ascontiguousarray(X)
    params, grads = net.params, net.grads
    sizes = np.array(net.widths, dtype=np.int64)
    acts = np.array([*codes, 0], dtype=np.int64)
    w_off = np.array([_offset(lay.W, params) for lay in layers], dtype=np.int64)
    b_off = np.array([_offset(lay.b, params) for lay in layers], dtype=np.int64)
    # Activations then deltas of each layer, (units, rows), after X transposed;
    # then the loss's delta and scratch, (rows, outputs).
    n_out = net.widths[-1]
    size = n * (net.widths[0] + 2 * sum(net.widths[1:]))
    work = np.zeros(size + 2 * n * n_out, dtype=dtype)
    starts = np.cumsum([0, n * net.widths[0], *(2 * n * w for w in net.widths[1:])])
    offsets = starts[:-1].astype(np.int64)
    transposed = [
        work[start : start + n * width].reshape(width, n)
        for start, width in zip(offsets, net.widths)
    ]
    Z = np.empty((n, n_out), dtype=dtype)  # the logits, as the loss reads them
    delta, scratch = work[size:].reshape(2, n, n_out)
    Yb = np.empty_like(Y)
    swb = None if sw is None else np.empty_like(sw)
    order, rng, shuffle = batches.order, batches.rng, batches.shuffle
    numpy_act = [{TANH: np.tanh, LOGISTIC: expit}.get(code) for code in codes]
    # (layer to compute up to, NumPy activation of its output or None)
    segments = [(i + 1, f) for i, f in enumerate(numpy_act) if f is not None]
    segments.append((len(layers), None))
    top = offsets[-1] + n * n_out
    top_delta = work[top : top + n * n_out].reshape(n_out, n)
    compiled_acts = np.array([c if c == RELU else 0 for c in [*codes, 0]], np.int64)
    # The layers' offsets, sizes and codes in one array: each array argument
    # of a compiled call costs its dispatcher about 0.1 us to unbox.
    meta = np.zeros((6, len(net.widths)), dtype=np.int64)
    for row, values in enumerate((offsets, sizes, compiled_acts, acts, w_off, b_off)):
        meta[row, : len(values)] = values
    one, zero = _scalar(dtype, 1), _scalar(dtype, 0)
    loss_and_delta = net.loss.loss_and_delta
    # BinaryLogLoss's own steps for this size, fused around NumPy's exp and
    # log1p (the weighted total is a BLAS dot: that stays NumPy's).
    fused_loss = (
        type(net.loss) is BinaryLogLoss
        and Z.size >= _SOFTPLUS_VECTOR_SIZE
        and sw is None
    )
    coefs, n_coef = net._coef_params, net.n_coef_params
    update = updater(optimizer, params, grads, n_coef)
    fused_tail = _fused_tail(
        optimizer, dtype,
        (Y, order, one, work, meta, params, grads, n_coef, float(alpha),
         _scalar(dtype, alpha), bool(alpha), _scalar(dtype, n)),
    )  # fmt: skip
    # (layer, NumPy activation, its output) of each stretch but the last.
    stretches = [(stop, f, transposed[stop]) for stop, f in segments[:-1]]
    exp, log1p = np.exp, np.log1p

    def run():
        if shuffle:
            rng.shuffle(order)
        # A compiled call for each stretch of layers up to one whose
        # activation is NumPy's, then that activation, and on.
        start = 0
        for stop, activate, A in stretches:
            _forward_packed(X, order, work, meta, params, start, stop, zero)
            activate(A, A)  # in place; ``out`` passed by position is quicker
            start = stop
        if fused_loss:
            # The last stretch, the loss's first steps, NumPy's exp and log1p,
            # then the loss's last steps, the backward pass and the update: three
            # compiled calls.
            _forward_and_loss_parts(X, order, work, meta, params, start, zero, Y)
            exp(scratch, scratch)  # NumPy's: the NumPy engine's bits
            log1p(scratch, scratch)
            return fused_tail()
        _forward(X, order, work, offsets, sizes, compiled_acts, w_off, b_off,
                 params, start, len(layers), zero)  # fmt: skip
        np.copyto(Z, transposed[-1].T)
        Y.take(order, axis=0, out=Yb, mode="clip")
        if swb is None:
            weights, weight_sum, divisor = None, n, dtype(n)
        else:
            weights = sw.take(order, out=swb, mode="clip")
            weight_sum = float(weights.sum())
            divisor = dtype(weight_sum)
        total = loss_and_delta(Z, Yb, weights, delta, scratch)
        np.copyto(top_delta, delta.T)
        if weight_sum <= 0:
            grads[...] = 0
            update(dtype(0), False, one)
            return 0.0
        penalty = 0.5 * alpha * float(np.dot(coefs, coefs)) if alpha else 0.0
        _backward(work, offsets, sizes, acts, w_off, b_off, params, grads, one)
        update(dtype(alpha), bool(alpha), divisor)
        return (total / weight_sum + penalty / weight_sum) * n

    return run


def _scalar(dtype, value):
    """``value`` as a compiled call's argument of ``dtype``: float64 as a
    Python float (the same type to numba, and half the dispatcher's time of a
    NumPy scalar)."""
    converted = dtype(value)
    return float(converted) if dtype is np.float64 else converted


def _fused_tail(optimizer, dtype, common):
    """``tail() -> loss times rows``: the fused log-loss's last steps, the
    backward pass, the penalty and the optimiser's update, one compiled call
    (the optimiser's scalars worked out in Python, as its ``step`` would)."""
    if type(optimizer) is SGD:
        # The call's arguments, rebuilt only when the optimiser's change.
        state = [None, None, None]

        def tail():
            key = optimizer.learning_rate, optimizer.momentum, optimizer.nesterov
            velocity = optimizer.velocity
            if key != state[0] or velocity is not state[1]:
                rate, momentum, nesterov = key
                state[:] = key, velocity, (
                    *common, velocity, _scalar(dtype, rate), _scalar(dtype, momentum),
                    bool(nesterov), momentum != 0,
                )  # fmt: skip
            return _tail_sgd(*state[2])

        return tail
    adam_constants = [None, None]

    def tail():
        constants, negative_rate = optimizer._advance(np.dtype(dtype))
        if adam_constants[0] is not constants:
            adam_constants[:] = constants, [_scalar(dtype, c[()]) for c in constants]
        b1, b2, k1, k2, eps = adam_constants[1]
        rate = _scalar(dtype, negative_rate[()])
        return _tail_adam(*common, optimizer.first_moment, optimizer.second_moment,
                          b1, b2, k1, k2, eps, rate)  # fmt: skip

    return tail


# -- compiled code: activations are (units, rows) ------------------------------


@_jit
def _view(work, offsets, sizes, layer, n, second=False):
    start = offsets[layer] + (n * sizes[layer] if second else 0)
    return work[start : start + n * sizes[layer]].reshape((sizes[layer], n))


@_jit
def _forward(
    X, order, work, offsets, sizes, acts, w_off, b_off, params, first, stop, zero
):
    """Layers ``first`` to ``stop - 1``: ``A = g(W.T @ A_in + b)`` (ReLU and
    identity here; the others' pre-activations, for NumPy)."""
    n = order.shape[0]
    if first == 0:  # X, rows in the shuffled order, transposed
        XT = _view(work, offsets, sizes, 0, n)
        for r in range(n):
            for k in range(sizes[0]):
                XT[k, r] = X[order[r], k]
    for layer in range(first, min(stop, sizes.shape[0] - 1)):
        fi, fo = sizes[layer], sizes[layer + 1]
        A_in = _view(work, offsets, sizes, layer, n)
        A = _view(work, offsets, sizes, layer + 1, n)
        W = params[w_off[layer] : w_off[layer] + fi * fo].reshape((fi, fo))
        b = params[b_off[layer] : b_off[layer] + fo]
        for j in range(fo):
            w = W[0, j]
            for r in range(n):
                A[j, r] = A_in[0, r] * w
            for k in range(1, fi):
                w = W[k, j]
                for r in range(n):
                    A[j, r] = A[j, r] + A_in[k, r] * w
            bias = b[j]
            if acts[layer] == RELU:
                for r in range(n):
                    z = A[j, r] + bias
                    A[j, r] = zero if z < 0 else z
            else:
                for r in range(n):
                    A[j, r] = A[j, r] + bias


@_jit
def _forward_packed(X, order, work, meta, params, first, stop, zero):
    """:func:`_forward` with the layers' arrays packed in ``meta``."""
    _forward(X, order, work, meta[0], meta[1], meta[2], meta[4], meta[5], params,
             first, stop, zero)  # fmt: skip


@_jit
def _sum8(a, b, use_b, zero):
    """``sum(a * b)`` (or ``sum(a)``) in eight interleaved partial sums, which
    pipeline where one running sum would wait for each addition."""
    n = a.shape[0]
    r0 = r1 = r2 = r3 = r4 = r5 = r6 = r7 = zero
    stop = n - n % 8
    for i in range(0, stop, 8):
        if use_b:
            r0 += a[i] * b[i]
            r1 += a[i + 1] * b[i + 1]
            r2 += a[i + 2] * b[i + 2]
            r3 += a[i + 3] * b[i + 3]
            r4 += a[i + 4] * b[i + 4]
            r5 += a[i + 5] * b[i + 5]
            r6 += a[i + 6] * b[i + 6]
            r7 += a[i + 7] * b[i + 7]
        else:
            r0 += a[i]
            r1 += a[i + 1]
            r2 += a[i + 2]
            r3 += a[i + 3]
            r4 += a[i + 4]
            r5 += a[i + 5]
            r6 += a[i + 6]
            r7 += a[i + 7]
    s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for i in range(stop, n):
        s += a[i] * b[i] if use_b else a[i]
    return s


@_jit
def _backward(work, offsets, sizes, acts, w_off, b_off, params, grads, one):
    """Every layer's gradients from the output delta (the top layer's deltas)."""
    n = (offsets[1] - offsets[0]) // sizes[0]
    for layer in range(sizes.shape[0] - 2, -1, -1):
        fi, fo = sizes[layer], sizes[layer + 1]
        dZ = _view(work, offsets, sizes, layer + 1, n, True)
        A = _view(work, offsets, sizes, layer + 1, n)
        code = acts[layer]
        if code != 0:
            for j in range(fo):
                for r in range(n):
                    d, a = dZ[j, r], A[j, r]
                    if code == LOGISTIC:
                        d = d * a
                        d = d * (one - a)
                    elif code == TANH:
                        d = d * (one - a * a)
                    elif code == RELU:
                        d = d * one if a != 0 else d * (one - one)
                    dZ[j, r] = d
        A_in = _view(work, offsets, sizes, layer, n)
        gW = grads[w_off[layer] : w_off[layer] + fi * fo].reshape((fi, fo))
        gb = grads[b_off[layer] : b_off[layer] + fo]
        for j in range(fo):
            gb[j] = _sum8(dZ[j], dZ[j], False, one - one)
            for k in range(fi):
                gW[k, j] = _sum8(A_in[k], dZ[j], True, one - one)
        if layer > 0:
            W = params[w_off[layer] : w_off[layer] + fi * fo].reshape((fi, fo))
            dA = _view(work, offsets, sizes, layer, n, True)
            for k in range(fi):
                w = W[k, 0]
                for r in range(n):
                    dA[k, r] = dZ[0, r] * w
                for j in range(1, fo):
                    w = W[k, j]
                    for r in range(n):
                        dA[k, r] = dA[k, r] + dZ[j, r] * w


@_jit
def _log_loss_parts(ZT, Y, order, delta, scratch, zero):
    """BinaryLogLoss's first steps: ``delta = max(z, 0) - y z`` and
    ``scratch = -|z|``, for ``exp`` and ``log1p`` to follow."""
    n_out, n = ZT.shape
    for r in range(n):
        row = order[r]
        for j in range(n_out):
            z = ZT[j, r]
            d = zero if z < 0 else z
            delta[r, j] = d - Y[row, j] * z
            scratch[r, j] = -abs(z)


@_jit
def _log_loss_total(ZT, Y, order, delta, scratch, top_delta, one):
    """BinaryLogLoss's last steps: the summed loss (``scratch + delta``,
    summed as NumPy sums) and the output delta ``expit(z) - y`` (scipy's
    ``expit``, ``1 / (1 + exp(-z))``), written one unit per row."""
    n_out, n = ZT.shape
    for r in range(n):
        for j in range(n_out):
            scratch[r, j] = scratch[r, j] + delta[r, j]
    # The C library's exp alone in one loop, so that the division (and the
    # other loops) run vectorised: 4.7 -> 3.4 us for W2's 800 rows.
    for j in range(n_out):
        for r in range(n):
            top_delta[j, r] = np.exp(-ZT[j, r])
        for r in range(n):
            top_delta[j, r] = one / (one + top_delta[j, r])
        for r in range(n):
            top_delta[j, r] = top_delta[j, r] - Y[order[r], j]
    if n_out == 1:
        return float(pairwise_sum(scratch[:, 0]))
    losses = np.empty(n, dtype=scratch.dtype)
    for r in range(n):
        losses[r] = pairwise_sum(scratch[r])
    return float(pairwise_sum(losses))


@_jit
def _loss_arrays(work, sizes, n):
    """The loss's delta and scratch, (rows, outputs), at the end of ``work``."""
    n_out = sizes[sizes.shape[0] - 1]
    start = work.shape[0] - 2 * n * n_out
    delta = work[start : start + n * n_out].reshape((n, n_out))
    scratch = work[start + n * n_out :].reshape((n, n_out))
    return delta, scratch


@_jit
def _forward_and_loss_parts(X, order, work, meta, params, first, zero, Y):
    """The last forward stretch, then :func:`_log_loss_parts`."""
    offsets, sizes = meta[0], meta[1]
    n_layers = sizes.shape[0] - 1
    _forward(X, order, work, offsets, sizes, meta[2], meta[4], meta[5], params,
             first, n_layers, zero)  # fmt: skip
    n = order.shape[0]
    delta, scratch = _loss_arrays(work, sizes, n)
    _log_loss_parts(_view(work, offsets, sizes, n_layers, n), Y, order, delta,
                    scratch, zero)  # fmt: skip


@_jit
def _loss_and_backward(
    Y, order, one, work, meta, params, grads, n_coef, alpha, penalize
):  # fmt: skip
    """The fused log-loss's last steps and the backward pass: the epoch's loss
    times rows (the penalty summed here, not by BLAS)."""
    offsets, sizes = meta[0], meta[1]
    n_layers = sizes.shape[0] - 1
    n = order.shape[0]
    ZT = _view(work, offsets, sizes, n_layers, n)
    top_delta = _view(work, offsets, sizes, n_layers, n, True)
    delta, scratch = _loss_arrays(work, sizes, n)
    total = _log_loss_total(ZT, Y, order, delta, scratch, top_delta, one)
    penalty = 0.0
    if penalize:
        squares = one - one
        for i in range(n_coef):
            squares = squares + params[i] * params[i]
        penalty = 0.5 * alpha * float(squares)
    _backward(work, offsets, sizes, meta[3], meta[4], meta[5], params, grads, one)
    return (total / n + penalty / n) * n


@_jit
def _tail_sgd(
    Y, order, one, work, meta, params, grads, n_coef, alpha, alpha_d, penalize,
    divisor, velocity, rate, momentum, nesterov, use_momentum,
):  # fmt: skip
    loss = _loss_and_backward(
        Y, order, one, work, meta, params, grads, n_coef, alpha, penalize
    )  # fmt: skip
    finish_sgd(params, grads, n_coef, alpha_d, penalize, divisor, velocity, rate,
               momentum, nesterov, use_momentum)  # fmt: skip
    return loss


@_jit
def _tail_adam(
    Y, order, one, work, meta, params, grads, n_coef, alpha, alpha_d, penalize,
    divisor, first, second, beta_1, beta_2, keep_1, keep_2, eps, neg_rate,
):  # fmt: skip
    loss = _loss_and_backward(
        Y, order, one, work, meta, params, grads, n_coef, alpha, penalize
    )  # fmt: skip
    finish_adam(params, grads, n_coef, alpha_d, penalize, divisor, first, second,
                beta_1, beta_2, keep_1, keep_2, eps, neg_rate)  # fmt: skip
    return loss
