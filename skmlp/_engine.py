"""Which engine trains a network: NumPy, or the compiled one (numba).

The estimators' ``engine`` parameter is resolved here, at each ``fit`` and
``partial_fit``, against the network about to train. Nothing here imports
numba: :func:`compiled_engine` imports :mod:`skmlp._numba_engine` (which does)
only when the compiled engine is chosen, so ``import skmlp`` never does.

- ``"numpy"``: the NumPy engine (the default), scikit-learn's arithmetic bit
  for bit.
- ``"numba"``: the compiled engine for whatever the stack is; layers,
  activations and losses it has no kernels for run through their NumPy steps.
  Without numba installed, an :class:`ImportError` says how to install it.
- ``"auto"``: the compiled engine when numba is importable and every layer,
  activation, initialiser and the loss are built-in classes (exactly, not
  subclasses, whose methods may compute something else), else NumPy.

Examples
--------
>>> from skmlp._engine import ENGINES
>>> ENGINES
('numpy', 'numba', 'auto')
"""

import importlib
import importlib.util

from . import activations as _activations
from . import initializers as _initializers
from .layers import Dense, Dropout
from .losses import BinaryLogLoss, SoftmaxLogLoss
from .regression_losses import (
    AbsoluteError,
    HalfPoissonDeviance,
    HalfSquaredError,
    HuberLoss,
    PinballLoss,
)

__all__ = ["ENGINES", "INSTALL_HINT", "compiled_engine", "resolve", "built_in_stack"]

ENGINES = ("numpy", "numba", "auto")

INSTALL_HINT = (
    'engine="numba" needs numba, which is not installed; install it with '
    'pip install "skmlp[fast]" (or pip install numba), or use engine="numpy"'
)

_BUILT_IN_LOSSES = (
    BinaryLogLoss,
    SoftmaxLogLoss,
    HalfSquaredError,
    HalfPoissonDeviance,
    AbsoluteError,
    HuberLoss,
    PinballLoss,
)


def numba_available():
    """Whether numba can be imported (without importing it).

    Returns
    -------
    available : bool

    Examples
    --------
    >>> from skmlp._engine import numba_available
    >>> isinstance(numba_available(), bool)
    True
    """
    try:
        return importlib.util.find_spec("numba") is not None
    except (ImportError, ValueError):  # a None entry in sys.modules, say
        return False


def compiled_engine():
    """The compiled engine's module, :mod:`skmlp._numba_engine`.

    Raises
    ------
    ImportError
        When numba is not installed, with how to install it.
    """
    try:
        return importlib.import_module("skmlp._numba_engine")
    except ImportError as error:
        if error.name is not None and error.name.split(".")[0] != "numba":
            raise
        raise ImportError(INSTALL_HINT) from error


def built_in_stack(net):
    """Whether every part of ``net`` is a built-in class, by exact type.

    Parameters
    ----------
    net : Network

    Returns
    -------
    built_in : bool

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import Activation
    >>> from skmlp.layers import Dense
    >>> from skmlp.losses import BinaryLogLoss
    >>> from skmlp.network import Network
    >>> class Cube(Activation):
    ...     def forward(self, Z):
    ...         return Z ** 3
    ...     def derivative(self, Z, A):
    ...         return 3 * Z ** 2
    >>> net = Network([Dense(3, Cube()), Dense(1, None)], BinaryLogLoss(), 2,
    ...               np.float64)
    >>> built_in_stack(net)
    False
    """
    if type(net.loss) not in _BUILT_IN_LOSSES:
        return False
    for layer in net.layers:
        if type(layer) is Dropout:
            continue
        if type(layer) is not Dense:
            return False
        if layer.activation is not None and not _defined_in(
            layer.activation, _activations
        ):
            return False
        init = layer.weight_init
        if not isinstance(init, str) and not _defined_in(init, _initializers):
            return False
    return True


def _defined_in(obj, module):
    # A registered name may map to a user's class: built-in means defined here.
    return type(obj).__module__ == module.__name__


def resolve(engine, net):
    """The compiled engine's module for ``engine`` and ``net``, or None (NumPy).

    Parameters
    ----------
    engine : {"numpy", "numba", "auto"}
    net : Network

    Returns
    -------
    module : module or None

    Examples
    --------
    >>> from skmlp._engine import resolve
    >>> resolve("numpy", None) is None
    True
    """
    if engine == "numpy":
        return None
    if engine == "numba":
        return compiled_engine()
    if engine == "auto":
        if numba_available() and built_in_stack(net):
            return compiled_engine()
        return None
    raise ValueError(f"Unknown engine {engine!r}; expected one of {list(ENGINES)}")
