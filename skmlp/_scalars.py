"""Scalars as 0-d arrays, for the NumPy calls of the training loop.

Each call of a ufunc with a Python float converts the float to a NumPy value
first, which on the small arrays of a full-batch or per-sample step costs as
much as the arithmetic (0.15-0.3 µs a call). A read-only 0-d array of the
operands' dtype skips that conversion and gives the same result: a Python
float meeting a float32 array is rounded to float32 first, as the 0-d float32
array is.
"""

import numpy as np

__all__ = ["ONE", "ZERO", "operand"]


def operand(value, dtype):
    """``value`` as a read-only 0-d array of ``dtype``.

    Parameters
    ----------
    value : float
    dtype : numpy dtype

    Returns
    -------
    scalar : ndarray of shape ()

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp._scalars import operand
    >>> half = operand(0.5, np.float32)
    >>> half.dtype, half.shape, half.flags.writeable
    (dtype('float32'), (), False)
    """
    scalar = np.array(value, dtype=dtype)
    scalar.flags.writeable = False
    return scalar


_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
#: 1 and 0 for each float dtype the network trains in (``ONE[A.dtype]``).
ONE = {dtype: operand(1.0, dtype) for dtype in _FLOATS}
ZERO = {dtype: operand(0.0, dtype) for dtype in _FLOATS}
