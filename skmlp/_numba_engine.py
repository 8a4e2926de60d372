"""The compiled engine: an epoch of SGD or Adam with numba's fused kernels.

Imported only when an estimator's ``engine`` chooses it (see
:mod:`skmlp._engine`). It trains the same network object, with the same
optimiser object and the same batches as the NumPy engine, and keeps nothing
of its own beyond one fit: models are interchangeable between the engines and
pickles do not depend on the engine.

Two routes, chosen by the network's shape:

- a whole epoch in one compiled call (:mod:`skmlp._numba_epoch`) when every
  batch is so small that the per-call cost of NumPy (and of calling compiled
  code) would be most of the time: per-sample SGD on a few units, say;
- otherwise one step per batch, as the NumPy engine runs it, with each built-in
  Dense layer's element-wise work fused (:mod:`skmlp._numba_kernels`) and the
  gradient's last touches fused with the optimiser's update; the matrix
  products stay with BLAS and the transcendental functions with NumPy.

Examples
--------
>>> import numpy as np
>>> from skmlp import BackpropMLPClassifier
>>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
>>> y = [0, 1, 1, 0]
>>> a = BackpropMLPClassifier((4,), solver="sgd", random_state=0)
>>> b = BackpropMLPClassifier((4,), solver="sgd", random_state=0, engine="numba")
>>> for _ in range(3):
...     a = a.partial_fit(X, y, classes=[0, 1])
...     b = b.partial_fit(X, y, classes=[0, 1])
>>> bool(np.allclose(a.loss_curve_, b.loss_curve_, rtol=1e-12))
True
"""

import functools
import math

import numpy as np
from scipy.special import expit

from . import _numba_epoch as _epoch
from . import _numba_fullbatch as _fullbatch
from . import _numba_kernels as _k
from ._plan import Plan
from ._shortcuts import _matmul_into, _propagate
from .activations import Identity, Logistic, ReLU, Tanh
from .layers import Dense
from .losses import _SOFTPLUS_VECTOR_SIZE, BinaryLogLoss

__all__ = ["epoch_function", "fused_step"]

_CODES = {Identity: _k.IDENTITY, Logistic: _k.LOGISTIC, Tanh: _k.TANH, ReLU: _k.RELU}


def epoch_function(net, optimizer, batches, alpha):
    """``run() -> sum over batches of loss * rows``: one epoch of training.

    Parameters
    ----------
    net : Network
    optimizer : SGD or Adam
    batches : skmlp._training._Batches
    alpha : float

    Returns
    -------
    run : callable
    """
    whole = _epoch.whole_epoch(net, optimizer, batches, alpha)
    if whole is None:
        whole = _fullbatch.full_batch_epoch(net, optimizer, batches, alpha)
    if whole is not None:
        return whole
    steps = {}
    epoch = batches.epoch

    def run():
        accumulated = 0.0
        for Xb, Yb, swb in epoch():
            n_rows = Xb.shape[0]
            step = steps.get(n_rows)
            if step is None:
                step = steps[n_rows] = fused_step(net, n_rows, optimizer)
            accumulated += step(Xb, Yb, swb, alpha) * n_rows
        return accumulated

    return run


def fused_step(net, n_rows, optimizer):
    """``step(X, Y, sample_weight, alpha) -> loss``: a training step and update.

    :meth:`Network.loss_and_grad` followed by ``optimizer.step``, for batches
    of ``n_rows`` rows, with the fused kernels.
    """
    plan = Plan(net, n_rows, training=True)
    _fuse_dense_layers(net, plan)
    forwards, backwards = plan.forwards, plan.backwards
    loss_and_delta = plan._loss_and_delta
    delta, scratch = plan._delta, plan._scratch
    params, grads = net.params, net.grads
    coefs = net._coef_params
    n_coef = net.n_coef_params
    dtype = net.dtype.type
    update = _k.updater(optimizer, params, grads, n_coef)
    rows_divisor = dtype(n_rows)
    # A small batch's log-loss in one compiled pass (the same bits; with
    # sample weights its total is a BLAS dot, NumPy's).
    small_log_loss = (
        type(net.loss) is BinaryLogLoss and delta.size < _SOFTPLUS_VECTOR_SIZE
    )
    log2 = dtype(math.log(2.0))

    def step(X, Y, sample_weight, alpha):
        inputs = X
        for forward in forwards:
            inputs = forward(inputs)
        if small_log_loss and sample_weight is None:
            total = _k.binary_log_loss(inputs, Y, delta, scratch, log2)
        else:
            total = loss_and_delta(inputs, Y, sample_weight, delta, scratch)
        if sample_weight is None:
            weight_sum, divisor = n_rows, rows_divisor
        else:
            weight_sum = float(sample_weight.sum())
            divisor = dtype(weight_sum)
            if weight_sum <= 0:
                grads[...] = 0
                update(dtype(0), False, dtype(1))
                return 0.0
        for backward in backwards:
            backward(X)
        penalty = 0.0
        if alpha:
            penalty = 0.5 * alpha * float(np.dot(coefs, coefs))
        update(dtype(alpha), bool(alpha), divisor)
        return total / weight_sum + penalty / weight_sum

    return step


def _fuse_dense_layers(net, plan):
    """Give ``plan`` fused steps for each Dense layer with a built-in activation."""
    inputs = None
    n_layers = len(net.layers)
    for i, (layer, arrays) in enumerate(zip(net.layers, plan.arrays)):
        code = _code(layer)
        if code is not None:
            dX = None if i == 0 else plan.arrays[i - 1].dY
            plan.forwards[i] = _forward(layer, inputs, arrays, code)
            plan.backwards[n_layers - 1 - i] = _backward(
                layer, inputs, arrays, dX, code
            )
        if arrays.output is not None:
            inputs = arrays.output


def _code(layer):
    """The compiled code of a Dense layer's activation (-1: the output layer)."""
    if type(layer) is not Dense:
        return None
    if layer.activation is None:
        return -1
    return _CODES.get(type(layer.activation))


def _forward(layer, inputs, arrays, code):
    W, b, Z, A = layer.W, layer.b, arrays.Z, arrays.A
    product = _matmul_into if inputs is None else np.dot
    if code == _k.RELU:
        zero = Z.dtype.type(0)
        if A is Z:
            bias_relu_in_place = _k.bias_relu_in_place

            def forward(X):
                product(X, W, out=Z)
                bias_relu_in_place(Z, b, zero)
                return Z

            return forward

        def forward(X):
            product(X, W, out=Z)
            _k.bias_relu(Z, b, A, zero)
            return A

        return forward
    # NumPy's own tanh and exp: vectorised, and the bits of the NumPy engine.
    activate = {_k.TANH: np.tanh, _k.LOGISTIC: expit}.get(code)
    bias_add = _k.bias_add
    if activate is not None:

        def forward(X):
            product(X, W, out=Z)
            bias_add(Z, b)
            return activate(Z, out=A)

        return forward
    copy = code == _k.IDENTITY and A is not None and A is not Z

    def forward(X):
        product(X, W, out=Z)
        bias_add(Z, b)
        if copy:
            np.copyto(A, Z)
        return Z if A is None else A

    return forward


def _backward(layer, inputs, arrays, dX, code):
    A, dZ = arrays.A, arrays.dY
    if A is None:
        A = arrays.Z
    grad_W, grad_b = layer.grad_W, layer.grad_b
    n_rows = dZ.shape[0]
    propagate = None
    if dX is not None and layer.W.shape[1] == 1:
        # NumPy's broadcast multiply takes four times as long here (W3).
        propagate = functools.partial(_k.outer, dZ, layer.W, dX)
    elif dX is not None:
        propagate = _propagate(dZ, layer.W, dX, n_rows)
    bound_T = None if inputs is None else inputs.T
    code = max(code, _k.IDENTITY)
    one = dZ.dtype.type(1)
    backprop_bias, dot = _k.backprop_bias, np.dot

    def backward(X):
        backprop_bias(dZ, A, code, one, grad_b)
        if bound_T is not None:
            dot(bound_T, dZ, out=grad_W)
        else:
            _matmul_into(X.T, dZ, out=grad_W)
        if propagate is not None:
            propagate()

    return backward
