"""Value equality for the small parameter objects users write.

Activations and initialisers are compared (and hashed) by their type and their
attributes, so that two ``Normal(0.1)`` objects are equal, as scikit-learn's
parameter handling expects. Attributes may be arrays, whose ``==`` is
elementwise and which cannot be hashed: these helpers handle them.

Examples
--------
>>> import numpy as np
>>> class Scaled:
...     def __init__(self, scale):
...         self.scale = scale
>>> same_attributes(Scaled(np.ones(2)), Scaled(np.ones(2)))
True
>>> attributes_hash(Scaled(np.ones(2))) == attributes_hash(Scaled(np.ones(2)))
True
"""

import numpy as np

__all__ = ["attributes_hash", "same_attributes"]


def _equal(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
        )
    if a is b:
        return True
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # e.g. a list holding arrays
        return False


def same_attributes(a, b):
    """True if ``a`` and ``b`` have the same type and equal attributes.

    Parameters
    ----------
    a, b : object

    Returns
    -------
    equal : bool

    Examples
    --------
    >>> from skmlp.initializers import Normal
    >>> same_attributes(Normal(0.1), Normal(0.1)), same_attributes(Normal(0.1), 1)
    (True, False)
    """
    if type(a) is not type(b):
        return False
    va, vb = vars(a), vars(b)
    return va.keys() == vb.keys() and all(_equal(va[k], vb[k]) for k in va)


def attributes_hash(obj):
    """A hash consistent with :func:`same_attributes`.

    Objects whose attributes cannot all be hashed (arrays, lists) hash by
    their type and attribute names only: still consistent, only coarser.

    Parameters
    ----------
    obj : object

    Returns
    -------
    hash : int

    Examples
    --------
    >>> from skmlp.initializers import Normal
    >>> attributes_hash(Normal(0.1)) == attributes_hash(Normal(0.1))
    True
    """
    items = tuple(sorted(vars(obj).items()))
    try:
        return hash((type(obj), items))
    except TypeError:
        return hash((type(obj), tuple(name for name, _ in items)))
