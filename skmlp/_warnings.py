"""Warnings reported at the user's line, not inside the package.

A warning a user can act on (a fit that did not converge, a learning rate that
made training diverge, a clipped batch size) is most useful when Python shows
the line of the user's code that started the fit. How many frames lie between
that line and the ``warnings.warn`` call depends on the path through the
package (``fit`` or ``partial_fit``, which solver, scikit-learn's callback
decorator around both), so the level is found by walking the stack rather
than written as a constant.

It is also the one place the package's core takes scikit-learn's warning
category from: a fit that did not converge warns with ``ConvergenceWarning``, so
that users filter skmlp's warnings as they filter ``MLPClassifier``'s.
"""

import sys
import warnings

from sklearn.exceptions import ConvergenceWarning

__all__ = ["ConvergenceWarning", "warn"]

# scikit-learn's ``with_callbacks`` decorator wraps ``fit`` and ``partial_fit``:
# its frame sits between the user's call and the package.
_INTERNAL_MODULES = ("skmlp.", "sklearn.callback.")


def _inside_package(frame):
    return frame.f_globals.get("__name__", "").startswith(_INTERNAL_MODULES)


def warn(message, category=UserWarning):
    """``warnings.warn`` attributed to the first caller outside skmlp.

    Parameters
    ----------
    message : str
    category : type of Warning, default=UserWarning

    Examples
    --------
    >>> import warnings
    >>> from skmlp._warnings import warn
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn("a message")
    >>> caught[0].message.args[0]
    'a message'
    """
    frame = sys._getframe(1)
    level = 2  # 1 is this function; 2 its caller
    while frame.f_back is not None and _inside_package(frame):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
