"""The layer stack an estimator's settings describe, as unbuilt layers.

Either the usual settings (``hidden_layer_sizes``, ``activation``,
``weight_init``, ``dropout``) or ``layers``, a list of layer templates, give
the hidden stack; the output layer, a :class:`~skmlp.layers.Dense` without
activation, is added from the targets' width. Everything here raises errors
that name the parameter and quote the value.
"""

import copy
from numbers import Real

from . import activations as _activations
from . import initializers as _initializers
from ._validation import (
    hidden_sizes,
    per_layer,
    resolve_activation,
    resolve_initializers,
)
from .layers import Dense, Dropout, Layer

__all__ = ["layer_stack", "same_stack"]

# The settings that ``layers`` replaces, with their defaults.
_REPLACED_BY_LAYERS = {
    "hidden_layer_sizes": (100,),
    "activation": "relu",
    "weight_init": "auto",
    "dropout": 0.0,
}


def layer_stack(params, n_outputs):
    """Unbuilt layers, hidden ones then the output layer, from the settings.

    Parameters
    ----------
    params : dict
        The estimator's ``get_params()``.
    n_outputs : int
        Width of the output layer.

    Returns
    -------
    layers : list of Layer
        Fresh objects: templates in ``params["layers"]`` are copied.

    Examples
    --------
    >>> from skmlp import BackpropMLPClassifier
    >>> from skmlp._stack import layer_stack
    >>> params = BackpropMLPClassifier((4, 3), dropout=0.5).get_params()
    >>> [type(layer).__name__ for layer in layer_stack(params, 1)]
    ['Dense', 'Dropout', 'Dense', 'Dropout', 'Dense']
    """
    if params["layers"] is None:
        hidden = _hidden_from_settings(params)
    else:
        hidden = _hidden_from_templates(params)
    dense = [layer for layer in hidden if isinstance(layer, Dense)]
    if params["layers"] is None:
        activations = [layer.activation for layer in dense]
        output_init = resolve_initializers(params["weight_init"], activations)[-1]
    else:
        last = dense[-1].activation if dense else None
        output_init = _initializers.auto(getattr(last, "name", "relu"))
    layers = [*hidden, Dense(n_outputs, activation=None, weight_init=output_init)]
    if params["solver"] == "lbfgs":
        stochastic = [layer for layer in layers if layer.stochastic]
        if stochastic:
            raise ValueError(
                "solver='lbfgs' minimises a deterministic objective, but "
                f"{stochastic[0]!r} draws random numbers while training (dropout "
                "or noise); use solver='sgd' or 'adam', or set the dropout to 0"
            )
    return layers


def _hidden_from_settings(params):
    sizes = hidden_sizes(params["hidden_layer_sizes"])
    n = len(sizes)
    activations = per_layer(params["activation"], n, "activation", resolve_activation)
    initializers = resolve_initializers(params["weight_init"], activations)
    rates = per_layer(params["dropout"], n, "dropout", _dropout_rate)
    layers = []
    for units, activation, init, rate in zip(sizes, activations, initializers, rates):
        layers.append(Dense(units, activation=activation, weight_init=init))
        if rate > 0:
            layers.append(Dropout(rate))
    return layers


def _dropout_rate(rate):
    if isinstance(rate, bool) or not isinstance(rate, Real) or not 0 <= rate < 1:
        raise ValueError(
            f"dropout must be a float in [0, 1), or one per hidden layer; got {rate!r}"
        )
    return float(rate)


def _hidden_from_templates(params):
    templates = params["layers"]
    if isinstance(templates, Layer) or not all(
        isinstance(layer, Layer) for layer in templates
    ):
        raise ValueError(
            "layers must be a list of skmlp.layers.Layer objects (the hidden "
            f"stack), got {templates!r}"
        )
    changed = [
        name
        for name, default in _REPLACED_BY_LAYERS.items()
        if _differs(params[name], default)
    ]
    if "hidden_layer_sizes" in changed and _same_sizes(params["hidden_layer_sizes"]):
        changed.remove("hidden_layer_sizes")  # [100] or np.array([100]) is (100,)
    if changed:
        raise ValueError(
            "layers= describes the whole hidden stack and replaces "
            f"{', '.join(changed)}; set those in the layers (Dense(units, "
            "activation, weight_init), Dropout(rate)) and leave the estimator's "
            "at their defaults"
        )
    layers = copy.deepcopy(list(templates))
    for layer in layers:
        if isinstance(layer, Dense) and layer.activation is not None:
            layer.activation = resolve_activation(layer.activation)
    return layers


def _same_sizes(value):
    try:
        return hidden_sizes(value) == list(_REPLACED_BY_LAYERS["hidden_layer_sizes"])
    except ValueError:
        return False


def _differs(value, default):
    try:
        return bool(value != default)
    except (TypeError, ValueError):  # arrays and the like
        return True


def same_stack(old, new):
    """Whether two lists of layers have the same kinds, widths and settings.

    The parameters are not compared: a warm start keeps the old layers (and
    any state they hold) when the stacks are the same.

    Examples
    --------
    >>> from skmlp._stack import same_stack
    >>> from skmlp.layers import Dense, Dropout
    >>> same_stack([Dense(3), Dropout(0.5)], [Dense(3), Dropout(0.5)])
    True
    >>> same_stack([Dense(3), Dropout(0.5)], [Dense(3), Dropout(0.2)])
    False
    """
    return len(old) == len(new) and all(
        type(a) is type(b) and _settings(a) == _settings(b) for a, b in zip(old, new)
    )


def _settings(layer):
    if isinstance(layer, Dense):
        activation = layer.activation
        if isinstance(activation, str):
            activation = _activations.get(activation)
        return (layer.units, activation)
    if isinstance(layer, Dropout):
        return (layer.rate,)
    return ()
