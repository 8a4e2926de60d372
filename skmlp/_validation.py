"""Checks that turn the estimator's parameters and inputs into training inputs.

Everything here raises an error that names the parameter and quotes the value.
"""

from collections.abc import Set
from numbers import Integral, Number

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_array
from sklearn.utils.class_weight import compute_sample_weight

from . import activations as _activations
from . import initializers as _initializers
from .callbacks import Callback

__all__ = [
    "RegisteredNames",
    "hidden_sizes",
    "per_layer",
    "resolve_activation",
    "resolve_initializers",
    "callback_list",
    "training_weights",
    "check_sample_weight",
    "check_labels_not_nan",
]


class RegisteredNames(Set):
    """The names of a registry as a set read at each lookup, not at import.

    The estimator's parameter constraints hold this view instead of a copy of
    the registry's keys, so a name registered after import (``ACTIVATIONS["x"]
    = MyActivation``) is accepted like a built-in one.

    Parameters
    ----------
    registry : dict
        Maps names to classes (:data:`skmlp.activations.ACTIVATIONS`, ...).
    extra : iterable of str, default=()
        Names accepted besides the registry's (``"auto"`` for ``weight_init``).

    Examples
    --------
    >>> from skmlp._validation import RegisteredNames
    >>> registry = {"a": int}
    >>> names = RegisteredNames(registry, extra=("auto",))
    >>> registry["b"] = float
    >>> "b" in names, sorted(names)
    (True, ['a', 'auto', 'b'])
    """

    def __init__(self, registry, extra=()):
        self.registry = registry
        self.extra = frozenset(extra)

    def __contains__(self, name):
        return name in self.extra or name in self.registry

    def __iter__(self):
        return iter(sorted(self.extra | set(self.registry)))

    def __len__(self):
        return len(self.extra | set(self.registry))

    @classmethod
    def _from_iterable(cls, iterable):
        # Set operations (``{"x"} - names``) return plain sets.
        return set(iterable)


def hidden_sizes(hidden_layer_sizes):
    """Validate ``hidden_layer_sizes`` into a list of positive ints."""
    sizes = hidden_layer_sizes
    if not hasattr(sizes, "__iter__") or isinstance(sizes, str):
        sizes = [sizes]
    sizes = list(sizes)
    for size in sizes:
        if (
            not isinstance(size, Integral | np.integer)
            or isinstance(size, bool | np.bool_)
            or size < 1
        ):
            raise ValueError(
                "hidden_layer_sizes must be a positive int or a sequence of "
                f"positive ints, got {hidden_layer_sizes!r}"
            )
    return [int(s) for s in sizes]


def per_layer(value, n, name, resolve):
    """Resolve a single choice or a tuple with one entry per layer."""
    if isinstance(value, tuple | list):
        if len(value) != n:
            raise ValueError(
                f"{name} has {len(value)} entries but the network has {n} layers "
                f"it applies to; got {name}={value!r}"
            )
        return [resolve(v) for v in value]
    return [resolve(value)] * n


def resolve_activation(value):
    activation = _activations.get(value)
    for method in ("forward", "derivative"):
        if getattr(type(activation), method) is getattr(
            _activations.Activation, method
        ):
            raise ValueError(
                f"activation {activation!r} does not implement {method}(); "
                "subclass skmlp.activations.Activation and define forward(Z) and "
                "derivative(Z, A)"
            )
    return activation


def resolve_initializers(weight_init, activations):
    n_layers = len(activations) + 1
    if isinstance(weight_init, str) and weight_init == "auto":
        names = [a.name for a in activations]
        feeds = names + [names[-1] if names else "relu"]
        return [_initializers.auto(name) for name in feeds]

    def resolve(value):
        init = _initializers.get(value)
        if type(init).__call__ is _initializers.Initializer.__call__:
            raise ValueError(
                f"weight_init {init!r} does not implement "
                "__call__(fan_in, fan_out, rng, dtype)"
            )
        return init

    return per_layer(weight_init, n_layers, "weight_init", resolve)


def callback_list(callbacks):
    """The ``callbacks`` parameter as a list of callables."""
    if callbacks is None:
        return []
    if isinstance(callbacks, Callback):
        return [callbacks]
    for callback in callbacks:
        if not callable(callback):
            raise ValueError(
                f"callbacks must be callables or Callback objects, got {callback!r}"
            )
    return list(callbacks)


def training_weights(X, y, sample_weight, class_weight, y_type, incremental):
    """Per-sample weights from ``sample_weight`` times ``class_weight``, or None.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,) or (n_samples, n_labels)
    sample_weight : array-like of shape (n_samples,) or None
    class_weight : dict, "balanced" or None
    y_type : str
        The target type (``type_of_target``).
    incremental : bool
        True for ``partial_fit``.

    Returns
    -------
    weights : ndarray of shape (n_samples,) in X's dtype, or None
    """
    if sample_weight is not None:
        sample_weight = check_sample_weight(sample_weight, X)
    if class_weight is not None:
        if y_type == "multilabel-indicator":
            raise ValueError("class_weight is not supported for multilabel targets")
        if incremental and class_weight == "balanced":
            raise ValueError(
                "class_weight='balanced' is not supported for partial_fit: the "
                "class frequencies of one batch are not those of the data. Pass "
                "a dict of class weights instead."
            )
        weights = compute_sample_weight(class_weight, y).astype(X.dtype)
        sample_weight = weights if sample_weight is None else weights * sample_weight
    if sample_weight is not None and not sample_weight.sum() > 0:
        raise ValueError(
            "sample_weight sums to zero"
            + (" once multiplied by class_weight" if class_weight else "")
            + ": there is nothing to learn from. Give some samples a positive weight."
        )
    return sample_weight


def check_sample_weight(sample_weight, X):
    """``sample_weight`` as a checked 1-D array of X's dtype, one weight per row.

    A scalar weighs every row alike. The checks are scikit-learn's for sample
    weights (its public ``check_array`` finds non-numeric and non-finite
    entries), and a scalar weight is checked as an array of it would be.

    Parameters
    ----------
    sample_weight : float or array-like of shape (n_samples,)
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        The validated training data (float32 or float64).

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,)
        C-contiguous, of X's dtype.

    Raises
    ------
    ValueError
        If the weights are not finite, not 1-D, not one per row of X, all
        zero, negative anywhere, complex, or strings that are not numbers.
    TypeError
        If entries are neither numbers nor strings (NumPy's conversion error).

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp._validation import check_sample_weight
    >>> X = np.zeros((3, 2), dtype=np.float32)
    >>> check_sample_weight([1, 2, 3], X)
    array([1., 2., 3.], dtype=float32)
    >>> check_sample_weight([1, -2, 3], X)
    Traceback (most recent call last):
    ...
    ValueError: Negative values in data passed to `sample_weight`.
    """
    n_samples = X.shape[0]
    if isinstance(sample_weight, Number):
        sample_weight = np.full(n_samples, sample_weight)
    try:
        sample_weight = check_array(
            sample_weight,
            accept_sparse=False,
            ensure_2d=False,
            ensure_min_samples=0,  # an empty one is told its length below
            dtype=X.dtype,
            order="C",
            input_name="sample_weight",
        )
    except (TypeError, ValueError) as error:
        if "sample_weight" in str(error):  # check_array's own checks name it
            raise
        # Complex numbers, or a failed conversion to float (NumPy's error).
        message = f"sample_weight must be real numbers: {error}"
        raise type(error)(message) from error
    if sample_weight.ndim != 1:
        raise ValueError(
            "sample_weight must be a scalar or a 1-D array of length "
            f"{n_samples}, got an array of shape {sample_weight.shape}"
        )
    if sample_weight.shape != (n_samples,):
        raise ValueError(
            f"sample_weight.shape == {sample_weight.shape}, expected "
            f"{(n_samples,)}: one weight per row of X"
        )
    if not sample_weight.any():
        raise ValueError(
            "sample_weight must contain at least one non-zero number; all "
            f"{n_samples} weights are 0"
        )
    if sample_weight.min() < 0:
        raise ValueError("Negative values in data passed to `sample_weight`.")
    return sample_weight


def check_labels_not_nan(y, name="y"):
    """Raise the error scikit-learn gives for NaN in float labels, for any labels.

    scikit-learn names the array when float labels hold NaN but not when an
    object array of labels (strings and NaN, as pandas reads missing labels)
    does; and sorting such labels (``unique_labels``, ``LabelBinarizer``) fails
    with an error about comparing floats and strings.

    Parameters
    ----------
    y : array-like or sparse matrix
    name : str, default="y"

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp._validation import check_labels_not_nan
    >>> check_labels_not_nan(np.array(["a", np.nan], dtype=object))
    Traceback (most recent call last):
    ...
    ValueError: Input y contains NaN.
    """
    if sp.issparse(y):
        return
    labels = np.asarray(y)
    if labels.dtype != object:
        return
    try:
        has_nan = bool((labels != labels).any())  # NaN is the value unequal to itself
    except TypeError:  # entries such as pandas.NA have no truth value
        return
    if has_nan:
        raise ValueError(f"Input {name} contains NaN.")
