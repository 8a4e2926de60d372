"""Exact shortcuts of the Dense layer's planned steps.

Each function here returns (or performs) one operation of a Dense layer's
forward or backward step by the fastest NumPy route among those that give the
same bits as the plain operation scikit-learn runs; which route is chosen by
the shapes, once per plan. tests/test_network.py holds each against the plain
NumPy operation, and benchmarks/README.md gives the workloads (W1, W2) that
chose the thresholds.
"""

import functools
import math

import numpy as np
import scipy.sparse as sp

__all__ = []


def _matmul_into(A, B, out):
    """Write ``A @ B`` into ``out``; ``A`` may be a SciPy sparse matrix.

    A plain ndarray (the usual case) is recognised without SciPy's
    ``issparse`` and multiplied by BLAS straight into ``out``. When it is C- or
    F-contiguous, through ``np.dot``: that makes the same BLAS call as
    ``np.matmul`` (and so gives the same bits) with less of NumPy's own work
    around it. Other layouts (a slice of rows of an F-ordered array, say) go
    through ``np.matmul``, since ``np.dot`` would copy them first, which can
    change the BLAS routine and with it the rounding; so do mixed dtypes.

    Parameters
    ----------
    A : ndarray or sparse matrix of shape (m, k)
    B : ndarray of shape (k, n)
    out : ndarray of shape (m, n)
        C-contiguous.

    Returns
    -------
    out : ndarray of shape (m, n)

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from skmlp._shortcuts import _matmul_into
    >>> out = np.empty((1, 1))
    >>> _matmul_into(sp.csr_matrix([[1.0, 2.0]]), np.array([[3.0], [4.0]]), out)
    array([[11.]])
    """
    if type(A) is np.ndarray:
        # np.dot refuses an `out` of another dtype than the product's (a float32
        # model predicting float64 data casts on the way out); matmul casts.
        if A.flags.forc and A.dtype == B.dtype == out.dtype:
            return np.dot(A, B, out=out)
    elif sp.issparse(A):
        out[...] = A @ B
        return out
    return np.matmul(A, B, out=out)


try:  # einsum without its Python wrapper, which costs as much as the sum here
    from numpy._core.multiarray import c_einsum as _einsum
except ImportError:  # pragma: no cover - other NumPy layouts
    _einsum = np.einsum


def _column_sums(dZ, out, n_units, n_rows):
    """A function writing the column sums of ``dZ`` into ``out``.

    Always the sequential sum over rows that ``np.add.reduce(dZ, axis=0)``
    does on a C-ordered array (scikit-learn's ``sum(delta, axis=0)``), bit for
    bit; for narrow layers through ``einsum``, which skips add.reduce's per-row
    cost.
    """
    if 1 < n_units <= 32 and n_rows > 16:
        return functools.partial(_einsum, "ij->j", dZ, out=out)
    return functools.partial(np.add.reduce, dZ, axis=0, out=out)


def _bias_adder(Z, b):
    """A function adding the row ``b`` to every row of ``Z``, in place.

    Each entry is one rounded sum, whatever the route, so every route gives the
    same bits. NumPy's broadcast add runs one inner loop per row of ``Z``, of
    ``n_units`` elements: for a few units and many rows that loop overhead is
    most of the time. There, ``b`` is first copied into a row of ``k`` copies
    and ``Z`` is added to it as ``n_rows / k`` long rows (``k`` a divisor of
    ``n_rows`` near its square root): about ``2 sqrt(n_rows)`` inner loops
    instead of ``n_rows``.
    """
    n_rows, n_units = Z.shape
    k = _tile_count(n_rows) if 1 < n_units < 16 and Z.flags.c_contiguous else None
    if k is None:
        return functools.partial(np.add, Z, b, out=Z)
    tile = np.empty((k, n_units), dtype=Z.dtype)
    row = tile.reshape(-1)
    blocks = Z.view()
    blocks.shape = (n_rows // k, k * n_units)  # a view: raises rather than copy
    add = np.add

    def add_tiled():
        tile[...] = b
        add(blocks, row, out=blocks)

    return add_tiled


def _tile_count(n_rows):
    """The divisor ``k`` of ``n_rows`` for :func:`_bias_adder`, or None.

    The largest divisor not above ``sqrt(n_rows)``, when it cuts the number of
    inner loops (``n_rows / k + k``) at least by half.
    """
    if n_rows < 64:
        return None
    k = max(d for d in range(1, math.isqrt(n_rows) + 1) if n_rows % d == 0)
    return k if n_rows // k + k <= n_rows // 2 else None


def _propagate(dZ, W, dX, n_rows):
    """A function writing ``dZ @ W.T`` into ``dX``, by the fastest exact route.

    For one unit it is an outer product, one multiplication per entry as in
    the matmul: a broadcast multiply skips BLAS's slow k=1 path. For a few
    columns of many rows the multiply runs column by column (``order="F"``),
    one inner loop per column rather than one of a few elements per row.
    """
    n_inputs, n_units = W.shape
    if n_units > 1:
        return functools.partial(np.dot, dZ, W.T, out=dX)
    if n_inputs < 8 and n_rows >= 64:
        return functools.partial(np.multiply, dZ, W.T, out=dX, order="F")
    return functools.partial(np.multiply, dZ, W.T, out=dX)
