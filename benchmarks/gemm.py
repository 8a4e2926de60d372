"""The GEMM limit of a workload: its matrix products alone, timed with NumPy.

One training step of a dense network does three matrix products per layer (two
for the first): the forward ``A_prev @ W``, the weight gradient ``A_prev.T @ dZ``
and the backpropagated delta ``dZ @ W.T``. Doing only those, at the workload's
shapes and dtype, with preallocated outputs, is a lower bound for any NumPy
implementation that calls BLAS for them; the time of a system as a multiple of
it says how much it spends on everything else.
"""

import time

import numpy as np

__all__ = ["step_products", "step_flops", "time_step_products"]


def step_products(layer_units, rows):
    """The (m, k, n) shapes of one training step's matrix products."""
    shapes = []
    for i, (n_in, n_out) in enumerate(zip(layer_units[:-1], layer_units[1:])):
        shapes.append(("forward", rows, n_in, n_out))
        shapes.append(("grad_W", n_in, rows, n_out))
        if i > 0:
            shapes.append(("delta", rows, n_out, n_in))
    return shapes


def step_flops(layer_units, rows):
    """Floating-point operations of one step's products (2 m k n each)."""
    return sum(2 * m * k * n for _, m, k, n in step_products(layer_units, rows))


def time_step_products(layer_units, rows, dtype, n_steps, rng=None):
    """Seconds per training step spent in its matrix products (best of 3).

    Parameters
    ----------
    layer_units : list of int
    rows : int
        Rows of the mini-batch.
    dtype : numpy dtype
    n_steps : int
        Steps per timing.

    Returns
    -------
    seconds : float
    """
    rng = np.random.default_rng(0) if rng is None else rng

    def rand(*shape):
        return rng.standard_normal(shape).astype(dtype)

    calls = []
    A = rand(rows, layer_units[0])
    for i, (n_in, n_out) in enumerate(zip(layer_units[:-1], layer_units[1:])):
        W, Z, dZ, gW = (
            rand(n_in, n_out),
            rand(rows, n_out),
            rand(rows, n_out),
            rand(n_in, n_out),
        )
        calls.append((A, W, Z))  # forward
        calls.append((A.T, dZ, gW))  # weight gradient
        if i > 0:
            calls.append((dZ, W.T, rand(rows, n_in)))  # delta
        A = rand(rows, n_out)
    matmul = np.matmul
    for a, b, out in calls:  # warm-up
        matmul(a, b, out=out)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(n_steps):
            for a, b, out in calls:
                matmul(a, b, out=out)
        best = min(best, (time.perf_counter() - start) / n_steps)
    return best
