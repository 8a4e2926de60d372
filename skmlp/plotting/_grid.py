"""Checks, the evaluation grid and what a network computes on it."""

import numbers

import numpy as np

from ._style import class_colors

# -- checks and grids ---------------------------------------------------------


def _plane(X):
    """X as a float array of shape (n_samples, 2), and its column names if any."""
    columns = getattr(X, "columns", None)
    values = X.toarray() if hasattr(X, "toarray") else np.asarray(X)
    if values.ndim != 2 or values.shape[1] != 2:
        raise ValueError(
            "These plots draw the plane of the inputs, so X must have exactly two "
            f"features, shape (n_samples, 2); got X of shape {values.shape}"
        )
    if values.shape[0] == 0:
        raise ValueError("X has no samples; at least one is needed to set the plane")
    return values.astype(np.float64), columns


def _check_int(name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def _is_regressor(estimator):
    """Whether ``estimator`` is a scikit-learn regressor (by its tags)."""
    from sklearn.base import is_regressor

    return is_regressor(estimator)


def _check_classifier(estimator, display):
    """A clear error when a display of decision boundaries gets a regressor."""
    if _is_regressor(estimator):
        raise ValueError(
            f"{display} draws decision boundaries between classes, so it needs "
            f"a classifier; {type(estimator).__name__} is a regressor. For a "
            "regressor, HiddenUnitsDisplay draws each hidden unit as a curve "
            "over a single input feature, and LossCurveDisplay its training."
        )


def _check_fitted(estimator, *, display=None):
    """NotFittedError unless ``estimator`` is fitted.

    With ``display``, the name of a display of decision boundaries, the
    estimator must also be a classifier (see _check_classifier).
    """
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    if display is not None:
        _check_classifier(estimator, display)
        fitted = hasattr(estimator, "classes_")
    else:
        try:
            check_is_fitted(estimator)
            fitted = True
        except NotFittedError:
            fitted = False
    if not fitted:
        raise NotFittedError(
            f"This {type(estimator).__name__} instance is not fitted yet; call "
            "'fit' before plotting it."
        )


def _check_not_multilabel(estimator):
    if getattr(estimator, "out_activation_", None) == "logistic" and (
        getattr(estimator, "n_outputs_", 1) > 1
    ):
        raise ValueError(
            "Multilabel classifiers are not supported: these plots draw one "
            "decision boundary between classes"
        )


def _grid(X, columns, grid_resolution, eps):
    """Points of a regular grid over X's bounding box widened by ``eps``.

    Returns ``xx0, xx1`` of shape (grid_resolution, grid_resolution) and the
    grid as an array (or a DataFrame with X's columns) of shape
    (grid_resolution ** 2, 2).
    """
    grid_resolution = _check_int("grid_resolution", grid_resolution, 2)
    lo, hi = X.min(axis=0), X.max(axis=0)
    if eps is None:
        margin = 0.1 * np.where(hi > lo, hi - lo, 1.0)
    elif isinstance(eps, numbers.Real) and not isinstance(eps, bool) and eps >= 0:
        margin = np.full(2, float(eps))
        margin[hi - lo + 2 * margin == 0] = 1.0
    else:
        raise ValueError(f"eps must be None or a number >= 0, got {eps!r}")
    xx0, xx1 = np.meshgrid(
        np.linspace(lo[0] - margin[0], hi[0] + margin[0], grid_resolution),
        np.linspace(lo[1] - margin[1], hi[1] + margin[1], grid_resolution),
    )
    points = np.c_[xx0.ravel(), xx1.ravel()]
    if columns is not None:
        import pandas as pd

        points = pd.DataFrame(points, columns=columns)
    return xx0, xx1, points


def _extent(xx0, xx1):
    """imshow extent putting each pixel's centre on its grid point."""
    dx = (xx0[0, -1] - xx0[0, 0]) / (xx0.shape[1] - 1)
    dy = (xx1[-1, 0] - xx1[0, 0]) / (xx1.shape[0] - 1)
    return (
        xx0[0, 0] - dx / 2,
        xx0[0, -1] + dx / 2,
        xx1[0, 0] - dy / 2,
        xx1[-1, 0] + dy / 2,
    )


def _class_index(y, classes):
    """Position of each label of y in ``classes``."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D class labels, got shape {y.shape}")
    index = np.searchsorted(classes, y)
    index = np.clip(index, 0, len(classes) - 1)
    unknown = classes[index] != y
    if unknown.any():
        raise ValueError(
            f"y has labels {np.unique(y[unknown])!r} that are not among the "
            f"estimator's classes_ {classes!r}"
        )
    return index


def _class_colors(n_classes):
    return class_colors(n_classes)


def _point_size(n_samples):
    return float(np.clip(3000.0 / max(n_samples, 1), 8.0, 60.0))


# -- what a network computes on the grid ---------------------------------------


def _proba_response(estimator, points, shape):
    """P(classes_[1]) of shape ``shape`` (binary), or all probabilities."""
    P = np.asarray(estimator.predict_proba(points))
    if P.shape[1] == 2:
        return P[:, 1].reshape(shape)
    if P.shape[1] == 1:
        return np.ones(shape)
    return P.reshape(*shape, P.shape[1])


def _margins(scores):
    """Arrays whose zero levels are the decision boundaries.

    ``scores`` has shape (ny, nx) (binary: P(class 1) - 1/2 or a decision
    function) or (ny, nx, n_classes); then class k's margin is its score minus
    the best other class's, zero exactly on the border of k's region.
    """
    if scores.ndim == 2:
        return scores[np.newaxis]
    if scores.shape[2] == 2:
        return (scores[..., 1] - scores[..., 0])[np.newaxis]
    margins = np.empty_like(scores)
    for k in range(scores.shape[2]):
        margins[..., k] = scores[..., k] - np.delete(scores, k, axis=2).max(axis=2)
    return np.moveaxis(margins, 2, 0)


def _hidden_layers(estimator, layer):
    """Indices (0-based, non-negative) of the hidden layers to draw."""
    n_hidden = estimator.n_layers_ - 2
    if n_hidden == 0:
        raise ValueError(
            "The network has no hidden layers (hidden_layer_sizes=()), so there "
            "are no hidden units to draw"
        )
    if layer is None:
        return list(range(n_hidden))
    if isinstance(layer, bool) or not isinstance(layer, numbers.Integral):
        raise ValueError(f"layer must be None or an int, got {layer!r}")
    if not -n_hidden <= layer < n_hidden:
        raise ValueError(
            f"layer must be None or an int in [{-n_hidden}, {n_hidden}) for a "
            f"network with {n_hidden} hidden layers, got {layer!r}"
        )
    return [int(layer) % n_hidden]


def _activation_at_zero(estimator, layers):
    """Each chosen layer's activation of a zero pre-activation (the map's centre)."""
    from .. import activations

    n_hidden = estimator.n_layers_ - 2
    spec = estimator.activation
    specs = list(spec) if isinstance(spec, tuple | list) else [spec] * n_hidden
    zero = np.zeros((1, 1))
    return [float(activations.get(specs[i]).forward(zero)[0, 0]) for i in layers]


class _Frame:
    """What one set of weights draws on the grid (see _network_frame)."""

    def __init__(self, response, activations, pre_activations, lines):
        self.response = response
        self.activations = activations
        self.pre_activations = pre_activations
        self.lines = lines


def _network_frame(estimator, points, shape, layers):
    """The response and, for ``layers``, every unit's A and Z on the grid.

    ``lines`` holds ``(w_1, w_2, b)`` for first-layer units (their zero line is
    ``w_1 x_1 + w_2 x_2 + b = 0``) and None for deeper ones.
    """
    response = _proba_response(estimator, points, shape)
    if not layers:
        return _Frame(response, None, None, None)
    A = estimator.hidden_activations(points)
    Z = estimator.hidden_activations(points, pre_activation=True)
    stack = [np.asarray(M[i]).T.reshape(-1, *shape) for M in (A, Z) for i in layers]
    n = len(layers)
    activations = np.concatenate(stack[:n])
    pre_activations = np.concatenate(stack[n:])
    W, b = np.asarray(estimator.coefs_[0]), np.asarray(estimator.intercepts_[0])
    lines = [
        np.array([W[0, u], W[1, u], b[u]], dtype=np.float64) if i == 0 else None
        for i in layers
        for u in range(estimator.coefs_[i].shape[1])
    ]
    return _Frame(response, activations, pre_activations, lines)


def _unit_labels(estimator, layers):
    return [(i, u) for i in layers for u in range(estimator.coefs_[i].shape[1])]


def _line_through(line, xlim, ylim):
    """Two points of the line ``w_1 x + w_2 y + b = 0`` spanning the box.

    The line is parametrised along the axis it is closer to perpendicular to,
    so its points are finite; a unit with ``w = 0`` has no line.
    """
    w1, w2, b = line
    if w1 == 0 and w2 == 0:
        return np.array([]), np.array([])
    if abs(w2) >= abs(w1):
        xs = np.array(xlim, dtype=np.float64)
        return xs, -(w1 * xs + b) / w2
    ys = np.array(ylim, dtype=np.float64)
    return -(w2 * ys + b) / w1, ys
