"""Pictures of a network: its hidden units, its training, its loss, its rivals.

Display objects in scikit-learn's style. A ``from_*`` classmethod computes
what to draw and calls ``plot``; ``plot(ax=None, ...)`` draws on a new figure
or on the axes you pass, keeps the figure, axes and artists as attributes
ending in ``_``, and returns the display. Nothing here calls ``plt.show()``,
and matplotlib is imported only when something is drawn, so
``import skmlp.plotting`` works without it.

* :class:`HiddenUnitsDisplay`: for two input features, one panel per hidden
  unit (where it is active, and the line or curve where its pre-activation is
  zero), plus the network's decision boundary.
* :class:`TrainingAnimation`: the decision boundary (and optionally every
  hidden unit) over the epochs, from :class:`~skmlp.callbacks.WeightSnapshots`
  or by driving ``partial_fit``; saves as a GIF with Pillow.
* :class:`LossCurveDisplay`: training loss per epoch and, with early stopping,
  validation loss and validation score.
* :class:`BoundaryComparisonDisplay`: two classifiers' decision boundaries on
  the same axes.

scikit-learn's :class:`~sklearn.inspection.DecisionBoundaryDisplay` also works
with :class:`~skmlp.BackpropMLPClassifier`, with every ``response_method``.

Examples
--------
What each neuron of a 2-4-3-1 network draws on the XOR problem:

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from skmlp import BackpropMLPClassifier
>>> from skmlp.datasets import make_xor
>>> from skmlp.plotting import HiddenUnitsDisplay
>>> X, y = make_xor(200, random_state=0)
>>> clf = BackpropMLPClassifier((4, 3), activation="logistic", solver="lbfgs",
...                             random_state=0).fit(X, y)
>>> display = HiddenUnitsDisplay.from_estimator(clf, X, y)
>>> [ax.get_title() for ax in display.axes_][::3]
['layer 1, unit 1', 'layer 1, unit 4', 'layer 2, unit 3']
"""

import copy
import numbers

import numpy as np

__all__ = [
    "BoundaryComparisonDisplay",
    "HiddenUnitsDisplay",
    "LossCurveDisplay",
    "TrainingAnimation",
]

# Class colours: blue and red for binary problems (the two ends of the RdBu_r
# colour map of P(class 1)), then matplotlib's tab10 order for more classes.
_BINARY_COLORS = ("#2166ac", "#b2182b")
_CLASS_COLORS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
_PROBA_CMAP = "RdBu_r"
_UNIT_CMAP = "PRGn"
# Maps are drawn in bands, as by contourf: an even number of them puts a band
# edge on the level that matters (P = 1/2, z = 0), and flat colours keep GIFs
# small (no dithering of smooth gradients).
_N_BANDS = 10
# The maps use the middle 80% of their colour maps (the darkest ends would hide
# the points) mixed with a little white.
_MAP_RANGE = (0.1, 0.9)
_RESPONSE_LIGHTEN = 0.3
_UNIT_LIGHTEN = 0.2
_PANEL_INCHES = 2.6
_MAX_COLUMNS = 6


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


def _check_fitted(estimator):
    if not hasattr(estimator, "classes_"):
        from sklearn.exceptions import NotFittedError

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
    if n_classes <= 2:
        return list(_BINARY_COLORS)
    return [_CLASS_COLORS[k % len(_CLASS_COLORS)] for k in range(n_classes)]


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
    from . import activations

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


# -- drawing --------------------------------------------------------------------


def _panel_axes(n_unit_panels_per_layer, n_cols, ax):
    """Axes for the unit panels (layer by layer) and the network panel, last.

    Each layer starts a new row; the network panel ends the last row if there
    is room, else starts a new one. Unused grid cells are removed.
    """
    sizes = n_unit_panels_per_layer
    n_panels = sum(sizes) + 1
    if n_panels == 1 and (ax is None or not np.iterable(ax)):
        ax, fig = _single_axes(ax)
        return np.array([ax], dtype=object), fig
    if ax is not None:
        axes = np.ravel(np.asarray(ax, dtype=object))
        if axes.size < n_panels:
            raise ValueError(
                f"ax must hold at least {n_panels} axes (one per hidden unit and "
                f"one for the network), got {axes.size}"
            )
        return axes[:n_panels], axes[0].figure
    import matplotlib.pyplot as plt

    if n_cols is None:
        widest = max(sizes)
        n_cols = min(widest if sizes[-1] < widest else widest + 1, _MAX_COLUMNS)
    n_cols = _check_int("n_cols", n_cols, 1)
    cells, row = [], 0
    for size in sizes:
        cells += [(row + u // n_cols, u % n_cols) for u in range(size)]
        row = cells[-1][0] + 1
    last_row, last_col = cells[-1]
    cells.append((last_row, last_col + 1) if last_col + 1 < n_cols else (row, 0))
    n_rows = cells[-1][0] + 1
    fig, grid = plt.subplots(
        n_rows,
        n_cols,
        figsize=(_PANEL_INCHES * n_cols, _PANEL_INCHES * n_rows),
        squeeze=False,
        layout="constrained",
    )
    used = set(cells)
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) not in used:
                grid[r, c].remove()
    return np.array([grid[r, c] for r, c in cells], dtype=object), fig


def _single_axes(ax, figsize=(5.0, 4.5)):
    if ax is not None:
        return ax, ax.figure
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax, fig


def _scatter(ax, X, y_index, n_classes, size):
    if X is None:
        return None
    colors = np.array(_class_colors(n_classes), dtype=object)
    c = "#333333" if y_index is None else list(colors[y_index])
    return ax.scatter(
        X[:, 0],
        X[:, 1],
        c=c,
        s=size,
        edgecolors="black",
        linewidths=0.5 if size >= 20 else 0.25,
        zorder=3,
    )


def _banded(name, lighten):
    """``name`` in _N_BANDS flat colours, mixed with white by ``lighten``."""
    import matplotlib
    from matplotlib.colors import ListedColormap

    colors = matplotlib.colormaps[name](np.linspace(*_MAP_RANGE, _N_BANDS))
    colors[:, :3] = (1 - lighten) * colors[:, :3] + lighten
    return ListedColormap(colors, name=f"{name}_bands")


def _response_image(ax, response, extent, n_classes):
    """P(class 1) in RdBu_r (binary) or the predicted class in light class colours."""
    from matplotlib.colors import ListedColormap, to_rgb

    if response.ndim == 2:
        return ax.imshow(
            response,
            cmap=_banded(_PROBA_CMAP, _RESPONSE_LIGHTEN),
            vmin=0.0,
            vmax=1.0,
            origin="lower",
            extent=extent,
            aspect="auto",
            interpolation="bilinear",
            interpolation_stage="data",
        )
    light = [0.45 * np.array(to_rgb(c)) + 0.55 for c in _class_colors(n_classes)]
    return ax.imshow(
        response.argmax(axis=2),
        cmap=ListedColormap(light),
        vmin=-0.5,
        vmax=n_classes - 0.5,
        origin="lower",
        extent=extent,
        aspect="auto",
        interpolation="nearest",
    )


def _response_pixels(response):
    return response if response.ndim == 2 else response.argmax(axis=2)


def _zero_contours(ax, xx0, xx1, surfaces, **kwargs):
    """Contours at level 0 of each surface that crosses zero."""
    return [
        ax.contour(xx0, xx1, S, levels=[0.0], **kwargs)
        for S in surfaces
        if S.min() < 0 < S.max()
    ]


def _remove(artists):
    for artist in artists:
        artist.remove()


def _boundary_surfaces(response):
    """Zero-level surfaces of a probability response (see _proba_response)."""
    if response.ndim == 2:
        return [response - 0.5]
    return list(_margins(response))


def _unit_norm(activations, center):
    """Colour scale centred on the activation of z = 0 (on/off split in hue)."""
    from matplotlib.colors import Normalize

    radius = float(np.max(np.abs(activations - center)))
    if not np.isfinite(radius) or radius == 0:
        radius = 1.0
    return Normalize(center - radius, center + radius)


def _panel_style(ax, title, xx0, xx1):
    ax.set_title(title, fontsize=9)
    ax.set_xlim(xx0[0, 0], xx0[0, -1])
    ax.set_ylim(xx1[0, 0], xx1[-1, 0])
    ax.set_xticks([])
    ax.set_yticks([])


class _UnitPanels:
    """The artists of the unit panels and the network panel, for one frame.

    Shared by HiddenUnitsDisplay (one frame) and TrainingAnimation (one per
    snapshot): the constructor draws ``frame``, :meth:`draw` redraws another.
    A unit with a ``frame.lines`` entry gets its exact zero line, the others a
    zero contour of their pre-activation.
    """

    def __init__(self, axes, xx0, xx1, titles, norms, n_classes, points, frame):
        self.axes, self.xx0, self.xx1 = axes, xx0, xx1
        extent = _extent(xx0, xx1)
        X, y_index, size = points
        self.images, self.zero_lines, self.scatters = [], [], []
        lines = frame.lines or [None] * len(titles)
        for ax, title, norm, line in zip(axes[:-1], titles, norms, lines):
            self.images.append(
                ax.imshow(
                    np.zeros_like(xx0),
                    cmap=_banded(_UNIT_CMAP, _UNIT_LIGHTEN),
                    norm=norm,
                    origin="lower",
                    extent=extent,
                    aspect="auto",
                    interpolation="bilinear",
                    interpolation_stage="data",
                )
            )
            if line is not None:
                (artist,) = ax.plot([], [], color="black", lw=1.5, scalex=False)
                self.zero_lines.append(artist)
            else:
                self.zero_lines.append([])
            self.scatters.append(_scatter(ax, X, y_index, n_classes, size))
            _panel_style(ax, title, xx0, xx1)
        net_ax = axes[-1]
        self.images.append(_response_image(net_ax, frame.response, extent, n_classes))
        self.scatters.append(_scatter(net_ax, X, y_index, n_classes, size))
        _panel_style(net_ax, "decision boundary", xx0, xx1)
        self.boundary_lines = []
        self.draw(frame)

    def draw(self, frame):
        """Show one frame; returns the artists that changed."""
        changed = []
        for k, ax in enumerate(self.axes[:-1]):
            self.images[k].set_data(frame.activations[k])
            if isinstance(self.zero_lines[k], list):
                _remove(self.zero_lines[k])
                self.zero_lines[k] = _zero_contours(
                    ax,
                    self.xx0,
                    self.xx1,
                    [frame.pre_activations[k]],
                    colors="black",
                    linewidths=1.5,
                )
                changed += self.zero_lines[k]
            else:
                xs, ys = _line_through(frame.lines[k], ax.get_xlim(), ax.get_ylim())
                self.zero_lines[k].set_data(xs, ys)
                changed.append(self.zero_lines[k])
        self.images[-1].set_data(_response_pixels(frame.response))
        _remove(self.boundary_lines)
        self.boundary_lines = _zero_contours(
            self.axes[-1],
            self.xx0,
            self.xx1,
            _boundary_surfaces(frame.response),
            colors="black",
            linewidths=1.5,
        )
        return self.images + changed + self.boundary_lines


def _layer_sizes(units):
    """Number of units of each layer in ``units``, in order."""
    layers = list(dict.fromkeys(i for i, _ in units))
    return [sum(1 for i, _ in units if i == layer) for layer in layers]


def _unit_titles(units):
    return [f"layer {i + 1}, unit {u + 1}" for i, u in units]


def _points(X, y, classes, point_size):
    """(X, class index of y, marker size) for _scatter."""
    if X is None:
        return None, None, 0.0
    X = np.asarray(X, dtype=np.float64)
    y_index = None if y is None else _class_index(y, np.asarray(classes))
    return X, y_index, point_size or _point_size(len(X))


# -- HiddenUnitsDisplay ----------------------------------------------------------


class HiddenUnitsDisplay:
    """What each hidden unit computes over the plane of two input features.

    One panel per hidden unit shows the unit's activation over the input plane
    (green where it is on, purple where it is off: the colour scale is centred
    on the activation of a zero pre-activation), the line or curve where its
    pre-activation is zero, and the training points; a last panel shows the
    whole network's decision boundary. For a first-layer unit the zero level is
    the straight line ``w_1 x_1 + w_2 x_2 + b = 0`` of its weights; deeper
    units bend it into the shapes the previous layer's lines combine into.

    Build it with :meth:`from_estimator`; the constructor takes precomputed
    values.

    Parameters
    ----------
    xx0, xx1 : ndarray of shape (grid_resolution, grid_resolution)
        The grid's first and second coordinates (as from ``np.meshgrid``).
    units : list of tuple of int
        ``(layer, unit)`` of each panel, 0-based as in ``coefs_`` and
        ``hidden_activations``; titles count from 1.
    activations : ndarray of shape (n_units, grid_resolution, grid_resolution)
        Each unit's activation ``A`` on the grid.
    pre_activations : ndarray of shape (n_units, grid_resolution, \
grid_resolution)
        Each unit's pre-activation ``Z`` on the grid.
    response : ndarray of shape (grid_resolution, grid_resolution) or \
(grid_resolution, grid_resolution, n_classes)
        The network's ``P(classes[1])`` (binary) or class probabilities.
    classes : ndarray of shape (n_classes,)
    unit_lines : list of ndarray of shape (3,) or None, default=None
        ``(w_1, w_2, b)`` of each first-layer unit, None for deeper units;
        first-layer lines are drawn from these exactly. Without them, every
        zero level is drawn as a contour of ``pre_activations``.
    activation_centers : ndarray of shape (n_units,), default=None
        Activation of ``z = 0`` for each unit (centre of its colour scale);
        None uses the middle of each unit's range.
    X : ndarray of shape (n_samples, 2), default=None
        Points drawn on every panel.
    y : array-like of shape (n_samples,), default=None
        Their labels, among ``classes``.

    Attributes
    ----------
    figure_ : matplotlib.figure.Figure
    axes_ : ndarray of matplotlib.axes.Axes of shape (n_units + 1,)
        The unit panels in the order of ``units``, then the network panel.
    images_ : list of matplotlib.image.AxesImage
        The activation map of each panel (the class map for the last one).
    zero_lines_ : list
        Per unit: a :class:`~matplotlib.lines.Line2D` (first layer) or a list
        of :class:`~matplotlib.contour.QuadContourSet` (deeper layers, empty
        when ``Z`` has no zero on the grid).
    boundary_lines_ : list of matplotlib.contour.QuadContourSet
        The network's decision boundary (one per class with more than two).
    scatters_ : list of matplotlib.collections.PathCollection or None
        The points on each panel.

    See Also
    --------
    TrainingAnimation : The same panels over the epochs of training.
    skmlp.BackpropMLPClassifier.hidden_activations : The values drawn.

    Examples
    --------
    Tutorial 000's figure: the lines of a 2-3-1 network's hidden neurons.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skmlp import BackpropMLPClassifier
    >>> from skmlp.datasets import make_xor
    >>> from skmlp.plotting import HiddenUnitsDisplay
    >>> X, y = make_xor(200, random_state=0)
    >>> clf = BackpropMLPClassifier((3,), activation="logistic", solver="lbfgs",
    ...                             random_state=0).fit(X, y)
    >>> display = HiddenUnitsDisplay.from_estimator(clf, X, y)
    >>> display.figure_.savefig("units.png")  # doctest: +SKIP
    >>> [ax.get_title() for ax in display.axes_]
    ['layer 1, unit 1', 'layer 1, unit 2', 'layer 1, unit 3', 'decision boundary']
    """

    def __init__(
        self,
        xx0,
        xx1,
        units,
        activations,
        pre_activations,
        response,
        classes,
        *,
        unit_lines=None,
        activation_centers=None,
        X=None,
        y=None,
    ):
        self.xx0 = xx0
        self.xx1 = xx1
        self.units = units
        self.activations = activations
        self.pre_activations = pre_activations
        self.response = response
        self.classes = classes
        self.unit_lines = unit_lines
        self.activation_centers = activation_centers
        self.X = X
        self.y = y

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y=None,
        *,
        layer=None,
        grid_resolution=100,
        eps=None,
        ax=None,
        n_cols=None,
    ):
        """Draw the hidden units of a fitted network over the input plane.

        Parameters
        ----------
        estimator : BackpropMLPClassifier
            Fitted on two features, binary or multiclass.
        X : array-like of shape (n_samples, 2)
            Sets the plane's extent and is drawn on every panel.
        y : array-like of shape (n_samples,), default=None
            Labels of X, which colour the points.
        layer : int or None, default=None
            Hidden layer to draw (0 is the first; negative counts from the
            last), or None for every hidden layer, one row each.
        grid_resolution : int, default=100
            Grid points along each axis.
        eps : float or None, default=None
            Margin around X's bounding box; None is 10% of each side.
        ax : array-like of matplotlib Axes, default=None
            At least ``n_units + 1`` axes; None makes a new figure.
        n_cols : int, default=None
            Columns of the new figure's grid; None fits the widest layer.

        Returns
        -------
        display : HiddenUnitsDisplay

        Raises
        ------
        ValueError
            If X does not have exactly two features, the network has no hidden
            layer, ``layer`` is out of range, or the problem is multilabel.

        Examples
        --------
        Only the second hidden layer of a 2-4-3-1 network:

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from skmlp import BackpropMLPClassifier
        >>> from skmlp.datasets import make_xor
        >>> from skmlp.plotting import HiddenUnitsDisplay
        >>> X, y = make_xor(100, random_state=0)
        >>> clf = BackpropMLPClassifier((4, 3), activation="tanh",
        ...                             solver="lbfgs", random_state=0).fit(X, y)
        >>> display = HiddenUnitsDisplay.from_estimator(clf, X, y, layer=1,
        ...                                             grid_resolution=40)
        >>> display.units, display.activations.shape
        ([(1, 0), (1, 1), (1, 2)], (3, 40, 40))
        """
        X, columns = _plane(X)
        _check_fitted(estimator)
        _check_not_multilabel(estimator)
        layers = _hidden_layers(estimator, layer)
        xx0, xx1, points = _grid(X, columns, grid_resolution, eps)
        frame = _network_frame(estimator, points, xx0.shape, layers)
        units = _unit_labels(estimator, layers)
        centers = np.repeat(
            _activation_at_zero(estimator, layers),
            [estimator.coefs_[i].shape[1] for i in layers],
        )
        display = cls(
            xx0,
            xx1,
            units,
            frame.activations,
            frame.pre_activations,
            frame.response,
            np.asarray(estimator.classes_),
            unit_lines=frame.lines,
            activation_centers=centers,
            X=X,
            y=y,
        )
        return display.plot(ax=ax, n_cols=n_cols)

    def plot(self, ax=None, *, n_cols=None, point_size=None):
        """Draw the panels.

        Parameters
        ----------
        ax : array-like of matplotlib Axes, default=None
            At least ``len(units) + 1`` axes, filled in order; None makes a
            new figure with one row per layer.
        n_cols : int, default=None
            Columns of the new figure's grid.
        point_size : float, default=None
            Marker area of the points; None scales it with their number.

        Returns
        -------
        display : HiddenUnitsDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from skmlp import BackpropMLPClassifier
        >>> from skmlp.datasets import make_xor
        >>> from skmlp.plotting import HiddenUnitsDisplay
        >>> X, y = make_xor(100, random_state=0)
        >>> clf = BackpropMLPClassifier((2,), solver="lbfgs",
        ...                             random_state=0).fit(X, y)
        >>> display = HiddenUnitsDisplay.from_estimator(clf, X, y)
        >>> fig, axes = plt.subplots(1, 3)
        >>> display.plot(ax=axes).figure_ is fig
        True
        """
        axes, fig = _panel_axes(_layer_sizes(self.units), n_cols, ax)
        centers = self.activation_centers
        if centers is None:
            centers = [0.5 * (A.min() + A.max()) for A in self.activations]
        norms = [_unit_norm(A, c) for A, c in zip(self.activations, centers)]
        frame = _Frame(
            self.response, self.activations, self.pre_activations, self.unit_lines
        )
        panels = _UnitPanels(
            axes,
            self.xx0,
            self.xx1,
            _unit_titles(self.units),
            norms,
            len(self.classes),
            _points(self.X, self.y, self.classes, point_size),
            frame,
        )
        self.figure_ = fig
        self.axes_ = axes
        self.images_ = panels.images
        self.zero_lines_ = panels.zero_lines
        self.boundary_lines_ = panels.boundary_lines
        self.scatters_ = panels.scatters
        return self


# -- TrainingAnimation -----------------------------------------------------------


def _snapshot_lists(estimator, snapshots):
    """Epochs, weights and losses of a WeightSnapshots, checked against the net."""
    try:
        epochs = list(snapshots.epochs)
        coefs, intercepts = list(snapshots.coefs), list(snapshots.intercepts)
    except AttributeError:
        raise TypeError(
            "snapshots must be a skmlp.callbacks.WeightSnapshots (or have its "
            f"epochs, coefs and intercepts lists), got {snapshots!r}"
        ) from None
    if not epochs or not (len(epochs) == len(coefs) == len(intercepts)):
        raise ValueError(
            "snapshots must hold at least one snapshot and as many epochs as "
            f"weights; got {len(epochs)} epochs, {len(coefs)} coefs and "
            f"{len(intercepts)} intercepts (was the callback passed to the "
            "estimator that was fitted?)"
        )
    losses = list(getattr(snapshots, "losses", [np.nan] * len(epochs)))
    expected = [np.shape(W) for W in estimator.coefs_]
    for epoch, W in zip(epochs, coefs):
        if [np.shape(w) for w in W] != expected:
            raise ValueError(
                f"The snapshot of epoch {epoch} has weight shapes "
                f"{[np.shape(w) for w in W]}, but the estimator's are {expected}"
            )
    return epochs, coefs, intercepts, losses


def _with_final_weights(estimator, epochs, coefs, intercepts, losses):
    """Add the estimator's weights if it trained past the last snapshot.

    Not with early stopping: its final weights are those of its best epoch.
    """
    last = len(getattr(estimator, "loss_curve_", None) or ())
    if last <= epochs[-1] or getattr(estimator, "early_stopping", False):
        return epochs, coefs, intercepts, losses
    return (
        [*epochs, last],
        [*coefs, [np.array(W) for W in estimator.coefs_]],
        [*intercepts, [np.array(b) for b in estimator.intercepts_]],
        [*losses, float(estimator.loss_)],
    )


class TrainingAnimation:
    """The decision boundary, and optionally the hidden units, as training goes.

    One frame per set of weights recorded by a
    :class:`~skmlp.callbacks.WeightSnapshots` callback (or recorded by
    :meth:`from_training`, which drives ``partial_fit``), each labelled with
    its epoch and training loss. The panels are those of
    :class:`HiddenUnitsDisplay`, or only the network's panel.

    Build it with :meth:`from_snapshots` or :meth:`from_training`;
    :meth:`save` writes a GIF with matplotlib's Pillow writer (no ffmpeg).

    Parameters
    ----------
    xx0, xx1 : ndarray of shape (grid_resolution, grid_resolution)
        The grid's coordinates.
    epochs : list of int of length n_frames
        The epoch of each frame (0 for the initial weights).
    responses : ndarray of shape (n_frames, grid_resolution, \
grid_resolution) or (n_frames, grid_resolution, grid_resolution, n_classes)
        The network's ``P(classes[1])`` (binary) or class probabilities, per
        frame.
    classes : ndarray of shape (n_classes,)
    losses : list of float of length n_frames, default=None
        Training loss of each frame (NaN where unknown), shown in the label.
    units : list of tuple of int, default=None
        ``(layer, unit)`` (0-based) of each hidden-unit panel; None draws only
        the network's panel.
    activations, pre_activations : ndarray of shape (n_frames, n_units, \
grid_resolution, grid_resolution), default=None
        Each unit's ``A`` and ``Z`` on the grid, per frame.
    unit_lines : list of list, default=None
        Per frame, per unit, ``(w_1, w_2, b)`` (first layer) or None.
    activation_centers : ndarray of shape (n_units,), default=None
        Activation of ``z = 0`` for each unit (centre of its colour scale).
    X : ndarray of shape (n_samples, 2), default=None
        Points drawn on every panel.
    y : array-like of shape (n_samples,), default=None
        Their labels.

    Attributes
    ----------
    n_frames : int
        Number of frames.
    figure_ : matplotlib.figure.Figure
    axes_ : ndarray of matplotlib.axes.Axes of shape (n_units + 1,)
        The unit panels, then the network panel.
    images_ : list of matplotlib.image.AxesImage
        The map of each panel, updated every frame.
    zero_lines_ : list
        Per unit, as in :class:`HiddenUnitsDisplay` (for the current frame).
    boundary_lines_ : list of matplotlib.contour.QuadContourSet
        The current frame's decision boundary.
    epoch_label_ : matplotlib.text.Text
        The label of the current frame.
    animation_ : matplotlib.animation.FuncAnimation
        The animation; ``interval`` milliseconds per frame.

    See Also
    --------
    skmlp.callbacks.WeightSnapshots : Records the weights to animate.
    HiddenUnitsDisplay : One frame of the panels.

    Examples
    --------
    Tutorial 001's animation: a 2-3-3-1 sigmoid network learning the rings
    by full-batch gradient descent until its loss is below 0.005.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import os, tempfile
    >>> from skmlp import BackpropMLPClassifier, StopWhenLossBelow, WeightSnapshots
    >>> from skmlp.datasets import load_rings
    >>> from skmlp.initializers import Uniform
    >>> from skmlp.plotting import TrainingAnimation
    >>> gif = os.path.join(tempfile.mkdtemp(), "rings.gif")
    >>> X, y = load_rings()
    >>> snapshots = WeightSnapshots(every=250)
    >>> clf = BackpropMLPClassifier(
    ...     (3, 3), activation="logistic", solver="sgd", batch_size=20,
    ...     momentum=0.0, learning_rate_init=0.4, max_iter=20000, tol=0.0,
    ...     n_iter_no_change=20000, weight_init=Uniform(0.0, 1.0, biases="zeros"),
    ...     callbacks=[StopWhenLossBelow(0.005), snapshots], random_state=0,
    ... ).fit(X, y)
    >>> animation = TrainingAnimation.from_snapshots(clf, snapshots, X, y,
    ...                                              grid_resolution=40)
    >>> animation.save(gif)

    Frames every 250 epochs and one of the final weights; after saving, the
    figure shows the last frame:

    >>> animation.n_frames, animation.epoch_label_.get_text()
    (28, 'epoch 6689, loss 0.005')
    """

    def __init__(
        self,
        xx0,
        xx1,
        epochs,
        responses,
        classes,
        *,
        losses=None,
        units=None,
        activations=None,
        pre_activations=None,
        unit_lines=None,
        activation_centers=None,
        X=None,
        y=None,
    ):
        self.xx0 = xx0
        self.xx1 = xx1
        self.epochs = epochs
        self.responses = responses
        self.classes = classes
        self.losses = losses
        self.units = units
        self.activations = activations
        self.pre_activations = pre_activations
        self.unit_lines = unit_lines
        self.activation_centers = activation_centers
        self.X = X
        self.y = y

    @property
    def n_frames(self):
        """Number of frames: one per recorded set of weights.

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.plotting import TrainingAnimation
        >>> xx0, xx1 = np.meshgrid(np.linspace(0, 1, 3), np.linspace(0, 1, 3))
        >>> TrainingAnimation(xx0, xx1, [0, 10], np.zeros((2, 3, 3)),
        ...                   np.array([0, 1])).n_frames
        2
        """
        return len(self.epochs)

    @classmethod
    def from_snapshots(
        cls,
        estimator,
        snapshots,
        X,
        y=None,
        *,
        hidden_units=False,
        layer=None,
        final=True,
        grid_resolution=100,
        eps=None,
        ax=None,
        n_cols=None,
        interval=200,
    ):
        """Animate the weights recorded by a WeightSnapshots callback.

        Parameters
        ----------
        estimator : BackpropMLPClassifier
            The fitted estimator the snapshots were recorded from (its
            ``coefs_`` are not changed).
        snapshots : WeightSnapshots
            The callback, after training.
        X : array-like of shape (n_samples, 2)
            Sets the plane's extent and is drawn on every panel.
        y : array-like of shape (n_samples,), default=None
            Labels of X.
        hidden_units : bool, default=False
            Also animate every hidden unit (of ``layer``), as in
            :class:`HiddenUnitsDisplay`.
        layer : int or None, default=None
            Hidden layer of the unit panels; None for all.
        final : bool, default=True
            Add a last frame with the estimator's weights if it trained past
            the last snapshot (say a callback stopped it between two). Not
            with early stopping, whose final weights are its best epoch's.
        grid_resolution : int, default=100
            Grid points along each axis.
        eps : float or None, default=None
            Margin around X's bounding box; None is 10% of each side.
        ax : matplotlib Axes or array-like of Axes, default=None
            One axes (network only) or ``n_units + 1``; None makes a figure.
        n_cols : int, default=None
            Columns of the new figure's grid of panels.
        interval : int, default=200
            Milliseconds per frame.

        Returns
        -------
        animation : TrainingAnimation

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from skmlp import BackpropMLPClassifier, WeightSnapshots
        >>> from skmlp.datasets import make_xor
        >>> import os, tempfile
        >>> from skmlp.plotting import TrainingAnimation
        >>> X, y = make_xor(100, random_state=0)
        >>> snapshots = WeightSnapshots(every=5)
        >>> clf = BackpropMLPClassifier((3,), activation="tanh", solver="lbfgs",
        ...                             callbacks=[snapshots], random_state=0)
        >>> clf = clf.fit(X, y)
        >>> animation = TrainingAnimation.from_snapshots(
        ...     clf, snapshots, X, y, hidden_units=True, grid_resolution=30)

        L-BFGS converged after 19 iterations: frames at 0, 5, 10, 15 and 19.

        >>> animation.epochs
        [0, 5, 10, 15, 19]
        >>> [ax.get_title() for ax in animation.axes_][-2:]
        ['layer 1, unit 3', 'decision boundary']
        >>> animation.save(os.path.join(tempfile.mkdtemp(), "xor.gif"), dpi=50)
        """
        X, columns = _plane(X)
        _check_fitted(estimator)
        _check_not_multilabel(estimator)
        recorded = _snapshot_lists(estimator, snapshots)
        if final:
            recorded = _with_final_weights(estimator, *recorded)
        epochs, coefs, intercepts, losses = recorded
        layers = _hidden_layers(estimator, layer) if hidden_units else []
        xx0, xx1, points = _grid(X, columns, grid_resolution, eps)
        frame_estimator = copy.copy(estimator)
        frames = []
        for W, b in zip(coefs, intercepts):
            frame_estimator.coefs_, frame_estimator.intercepts_ = list(W), list(b)
            frames.append(_network_frame(frame_estimator, points, xx0.shape, layers))
        units, activations, pre_activations, lines, centers = (
            None,
            None,
            None,
            None,
            None,
        )
        if layers:
            units = _unit_labels(estimator, layers)
            activations = np.stack([f.activations for f in frames])
            pre_activations = np.stack([f.pre_activations for f in frames])
            lines = [f.lines for f in frames]
            centers = np.repeat(
                _activation_at_zero(estimator, layers),
                [estimator.coefs_[i].shape[1] for i in layers],
            )
        animation = cls(
            xx0,
            xx1,
            epochs,
            np.stack([f.response for f in frames]),
            np.asarray(estimator.classes_),
            losses=losses,
            units=units,
            activations=activations,
            pre_activations=pre_activations,
            unit_lines=lines,
            activation_centers=centers,
            X=X,
            y=y,
        )
        return animation.plot(ax=ax, n_cols=n_cols, interval=interval)

    @classmethod
    def from_training(
        cls,
        estimator,
        X,
        y,
        *,
        epochs,
        every=1,
        classes=None,
        hidden_units=False,
        layer=None,
        grid_resolution=100,
        eps=None,
        ax=None,
        n_cols=None,
        interval=200,
    ):
        """Train with ``partial_fit`` for some epochs and animate it.

        A :class:`~skmlp.callbacks.WeightSnapshots` callback is added to the
        estimator's ``callbacks`` while it trains (they are restored after).
        An unfitted estimator is animated from its initial weights (epoch 0);
        a fitted one continues from its current weights. Exactly ``epochs``
        epochs run: for a stopping rule, fit with your callbacks and use
        :meth:`from_snapshots`.

        Parameters
        ----------
        estimator : BackpropMLPClassifier
            With ``solver="sgd"`` or ``"adam"`` (``partial_fit``), trained in
            place.
        X : array-like of shape (n_samples, 2)
            Training data, also drawn.
        y : array-like of shape (n_samples,)
            Training labels.
        epochs : int
            Number of epochs (calls to ``partial_fit``).
        every : int, default=1
            One frame every ``every`` epochs (plus the starting weights).
        classes : array-like of shape (n_classes,), default=None
            Passed to the first ``partial_fit``; None is ``np.unique(y)``.
        hidden_units, layer, grid_resolution, eps, ax, n_cols, interval
            As in :meth:`from_snapshots`. The last epoch always has a frame.

        Returns
        -------
        animation : TrainingAnimation

        Examples
        --------
        Tutorial 000's animation: the XOR boundary of a 2-4-3-1 sigmoid network
        trained one sample at a time, with all its hidden units (the tutorial
        runs ``epochs=400, every=10``).

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import os, tempfile
        >>> from skmlp import BackpropMLPClassifier
        >>> from skmlp.datasets import make_xor
        >>> from skmlp.plotting import TrainingAnimation
        >>> gif = os.path.join(tempfile.mkdtemp(), "xor.gif")
        >>> X, y = make_xor(200, random_state=0)
        >>> clf = BackpropMLPClassifier((4, 3), activation="logistic", solver="sgd",
        ...                             batch_size=1, momentum=0.0,
        ...                             learning_rate_init=0.01, random_state=0)
        >>> animation = TrainingAnimation.from_training(
        ...     clf, X, y, epochs=20, every=10, hidden_units=True)
        >>> animation.save(gif)
        >>> animation.epochs, len(animation.axes_)
        ([0, 10, 20], 8)
        """
        from .callbacks import WeightSnapshots

        epochs = _check_int("epochs", epochs, 1)
        every = _check_int("every", every, 1)
        snapshots = WeightSnapshots(every)
        old = estimator.callbacks
        if old is None:
            extra = []
        elif isinstance(old, list | tuple):
            extra = list(old)
        else:
            extra = [old]
        if hasattr(estimator, "classes_"):
            snapshots.epochs.append(len(estimator.loss_curve_))
            snapshots.coefs.append([np.array(W) for W in estimator.coefs_])
            snapshots.intercepts.append([np.array(b) for b in estimator.intercepts_])
            snapshots.losses.append(float(estimator.loss_))
        estimator.set_params(callbacks=[*extra, snapshots])
        try:
            for _ in range(epochs):
                if hasattr(estimator, "classes_"):
                    estimator.partial_fit(X, y)
                else:
                    first = np.unique(np.asarray(y)) if classes is None else classes
                    estimator.partial_fit(X, y, classes=first)
        finally:
            estimator.set_params(callbacks=old)
        return cls.from_snapshots(
            estimator,
            snapshots,
            X,
            y,
            hidden_units=hidden_units,
            layer=layer,
            grid_resolution=grid_resolution,
            eps=eps,
            ax=ax,
            n_cols=n_cols,
            interval=interval,
        )

    def _frame(self, k):
        if self.units is None:
            return _Frame(self.responses[k], [], [], [])
        return _Frame(
            self.responses[k],
            self.activations[k],
            self.pre_activations[k],
            self.unit_lines[k] if self.unit_lines is not None else None,
        )

    def _label(self, k):
        text = f"epoch {self.epochs[k]}"
        if self.losses is not None and np.isfinite(self.losses[k]):
            text += f", loss {self.losses[k]:.3g}"
        return text

    def plot(self, ax=None, *, n_cols=None, interval=200, point_size=None):
        """Draw the first frame and make the animation.

        Parameters
        ----------
        ax : matplotlib Axes or array-like of Axes, default=None
            One axes (network panel only) or ``len(units) + 1`` axes; None
            makes a new figure.
        n_cols : int, default=None
            Columns of the new figure's grid of panels.
        interval : int, default=200
            Milliseconds per frame (the GIF's frame rate is ``1000 /
            interval``).
        point_size : float, default=None
            Marker area of the points; None scales it with their number.

        Returns
        -------
        animation : TrainingAnimation

        Examples
        --------
        Two frames of a made-up boundary, 100 ms each:

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import os, tempfile
        >>> import numpy as np
        >>> from PIL import Image
        >>> from skmlp.plotting import TrainingAnimation
        >>> xx0, xx1 = np.meshgrid(np.linspace(-1, 1, 20), np.linspace(-1, 1, 20))
        >>> responses = np.stack([np.full((20, 20), 0.5), 1 / (1 + np.exp(-5 * xx0))])
        >>> animation = TrainingAnimation(xx0, xx1, [0, 5], responses,
        ...                               np.array([0, 1])).plot(interval=100)
        >>> path = os.path.join(tempfile.mkdtemp(), "boundary.gif")
        >>> animation.save(path, dpi=40)
        >>> Image.open(path).info["duration"]
        100
        """
        from matplotlib.animation import FuncAnimation

        units = self.units or []
        axes, fig = _panel_axes(_layer_sizes(units), n_cols, ax)
        norms = []
        if units:
            centers = self.activation_centers
            if centers is None:
                centers = [0.5 * (A.min() + A.max()) for A in self.activations[:, :]]
            norms = [
                _unit_norm(self.activations[:, k], c) for k, c in enumerate(centers)
            ]
        panels = _UnitPanels(
            axes,
            self.xx0,
            self.xx1,
            _unit_titles(units),
            norms,
            len(self.classes),
            _points(self.X, self.y, self.classes, point_size),
            self._frame(0),
        )
        self.epoch_label_ = axes[-1].text(
            0.97,
            0.03,
            self._label(0),
            transform=axes[-1].transAxes,
            ha="right",
            va="bottom",
            fontsize=9,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"},
            zorder=5,
        )
        self._panels = panels
        self.figure_ = fig
        self.axes_ = axes
        self.images_ = panels.images
        self.scatters_ = panels.scatters
        self._sync()
        self.interval_ = interval
        self.animation_ = FuncAnimation(
            fig,
            self.set_frame,
            frames=self.n_frames,
            interval=interval,
            blit=False,
            cache_frame_data=False,
        )
        return self

    def _sync(self):
        self.zero_lines_ = self._panels.zero_lines
        self.boundary_lines_ = self._panels.boundary_lines

    def set_frame(self, frame):
        """Draw frame ``frame`` on the figure (the animation calls this).

        Parameters
        ----------
        frame : int
            Index of the frame, from 0 to ``n_frames - 1``.

        Returns
        -------
        artists : list of matplotlib.artist.Artist
            The artists that changed.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skmlp.plotting import TrainingAnimation
        >>> xx0, xx1 = np.meshgrid(np.linspace(-1, 1, 20), np.linspace(-1, 1, 20))
        >>> responses = np.stack([np.full((20, 20), 0.5), 1 / (1 + np.exp(-5 * xx0))])
        >>> animation = TrainingAnimation(xx0, xx1, [0, 5], responses,
        ...                               np.array([0, 1])).plot()
        >>> _ = animation.set_frame(1)
        >>> animation.epoch_label_.get_text()
        'epoch 5'

        A still of that frame:

        >>> import os, tempfile
        >>> animation.figure_.savefig(os.path.join(tempfile.mkdtemp(), "epoch5.png"))
        """
        if not -self.n_frames <= frame < self.n_frames:
            raise IndexError(f"frame {frame} out of range for {self.n_frames} frames")
        artists = self._panels.draw(self._frame(frame))
        self.epoch_label_.set_text(self._label(frame))
        self._sync()
        # A frame was drawn (by save, or for a still): like Animation.save, mark
        # the animation as used, so that matplotlib does not warn that it was
        # "deleted without rendering anything".
        self.animation_._draw_was_started = True
        return [*artists, self.epoch_label_]

    def save(self, filename, *, fps=None, dpi=None, writer=None, **savefig_kwargs):
        """Write the animation to a file; GIFs with Pillow, no ffmpeg needed.

        Parameters
        ----------
        filename : str or path-like
            ``.gif`` files are written with
            :class:`matplotlib.animation.PillowWriter` unless ``writer`` is
            given; other formats use matplotlib's writers.
        fps : float, default=None
            Frames per second; None is ``1000 / interval``.
        dpi : float, default=None
            Resolution; None is the figure's.
        writer : str or matplotlib.animation.AbstractMovieWriter, default=None
            A writer or the name of one registered in
            :data:`matplotlib.animation.writers`; None is ``"pillow"`` for
            GIFs and ``rcParams["animation.writer"]`` otherwise.
        **savefig_kwargs
            Passed to the writer's ``grab_frame`` (and so to ``savefig``).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import os, tempfile
        >>> import numpy as np
        >>> from PIL import Image
        >>> from skmlp.plotting import TrainingAnimation
        >>> xx0, xx1 = np.meshgrid(np.linspace(-1, 1, 20), np.linspace(-1, 1, 20))
        >>> responses = np.stack([np.full((20, 20), 0.5), 1 / (1 + np.exp(-5 * xx0))])
        >>> animation = TrainingAnimation(xx0, xx1, [0, 5], responses,
        ...                               np.array([0, 1])).plot()
        >>> path = os.path.join(tempfile.mkdtemp(), "training.gif")
        >>> animation.save(path, dpi=40)
        >>> Image.open(path).n_frames
        2
        """
        from matplotlib import animation, rc_context, rcParams

        fps = 1000.0 / self.interval_ if fps is None else fps
        if writer is None:
            gif = str(filename).lower().endswith(".gif")
            writer = "pillow" if gif else rcParams["animation.writer"]
        if isinstance(writer, str):
            writer = animation.writers[writer](fps=fps)
        # Frames are drawn once each: matplotlib's Animation.save would draw
        # every frame twice and rerun the layout engine for each. The layout
        # is the same for all frames, so it is computed once and frozen.
        fig = self.figure_
        engine = fig.get_layout_engine()
        if engine is not None:
            engine.execute(fig)
            # Not "none": its placeholder engine still costs a dry-run draw.
            no_layout = {
                "figure.autolayout": False,
                "figure.constrained_layout.use": False,
            }
            with rc_context(no_layout):
                fig.set_layout_engine(None)
        try:
            with writer.saving(fig, filename, dpi):
                for k in range(self.n_frames):
                    self.set_frame(k)
                    writer.grab_frame(**savefig_kwargs)
        finally:
            if engine is not None:
                fig.set_layout_engine(engine)


# -- LossCurveDisplay --------------------------------------------------------------


class LossCurveDisplay:
    """Training loss per epoch and, with early stopping, validation curves.

    The training loss and the validation log-loss share the left axis; the
    validation score (accuracy) is on a second axis on the right, with a
    dotted line at its best epoch, whose weights early stopping keeps.

    Parameters
    ----------
    loss_curve : array-like of shape (n_epochs,)
        Training loss after each epoch (each iteration for L-BFGS).
    validation_scores : array-like of shape (n_epochs,), default=None
        Validation score after each epoch.
    validation_loss_curve : array-like of shape (n_epochs,), default=None
        Validation loss after each epoch.
    xlabel : str, default="epoch"
    name : str, default=None
        Prefix of the legend's labels.

    Attributes
    ----------
    figure_ : matplotlib.figure.Figure
    ax_ : matplotlib.axes.Axes
        The loss axis.
    score_ax_ : matplotlib.axes.Axes or None
        The validation score's axis (a twin of ``ax_``).
    line_ : matplotlib.lines.Line2D
        The training loss.
    validation_loss_line_ : matplotlib.lines.Line2D or None
    validation_score_line_ : matplotlib.lines.Line2D or None
    best_epoch_line_ : matplotlib.lines.Line2D or None
        Vertical line at the best validation score.
    legend_ : matplotlib.legend.Legend

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_moons
    >>> from skmlp import BackpropMLPClassifier
    >>> from skmlp.plotting import LossCurveDisplay
    >>> X, y = make_moons(200, noise=0.2, random_state=0)
    >>> clf = BackpropMLPClassifier((16,), learning_rate_init=0.01, max_iter=50,
    ...                             early_stopping=True, random_state=0).fit(X, y)
    >>> display = LossCurveDisplay.from_estimator(clf)
    >>> [t.get_text() for t in display.legend_.get_texts()][:3]
    ['training loss', 'validation loss', 'validation score']
    """

    def __init__(
        self,
        loss_curve,
        *,
        validation_scores=None,
        validation_loss_curve=None,
        xlabel="epoch",
        name=None,
    ):
        self.loss_curve = loss_curve
        self.validation_scores = validation_scores
        self.validation_loss_curve = validation_loss_curve
        self.xlabel = xlabel
        self.name = name

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, log_scale=False, name=None):
        """Plot a fitted estimator's ``loss_curve_`` and validation curves.

        Works with any estimator with a ``loss_curve_``, such as scikit-learn's
        :class:`~sklearn.neural_network.MLPClassifier` (its
        ``validation_scores_`` are drawn, it has no validation loss).

        Parameters
        ----------
        estimator : BackpropMLPClassifier
            Fitted.
        ax : matplotlib Axes, default=None
            None makes a new figure.
        log_scale : bool, default=False
            Logarithmic loss axis.
        name : str, default=None
            Prefix of the legend's labels.

        Returns
        -------
        display : LossCurveDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from skmlp import BackpropMLPClassifier
        >>> from skmlp.plotting import LossCurveDisplay
        >>> clf = BackpropMLPClassifier((3,), solver="lbfgs", random_state=0)
        >>> clf = clf.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])
        >>> display = LossCurveDisplay.from_estimator(clf, log_scale=True)
        >>> display.ax_.get_xlabel(), display.score_ax_ is None
        ('iteration', True)
        """
        _check_fitted(estimator)
        loss_curve = getattr(estimator, "loss_curve_", None)
        if loss_curve is None or len(loss_curve) == 0:
            raise ValueError(f"{type(estimator).__name__} has no loss_curve_ to plot")
        solver = getattr(estimator, "solver", None)
        display = cls(
            loss_curve,
            validation_scores=getattr(estimator, "validation_scores_", None),
            validation_loss_curve=getattr(estimator, "validation_loss_curve_", None),
            xlabel="iteration" if solver == "lbfgs" else "epoch",
            name=name,
        )
        return display.plot(ax=ax, log_scale=log_scale)

    def plot(self, ax=None, *, log_scale=False):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            None makes a new figure.
        log_scale : bool, default=False
            Logarithmic loss axis.

        Returns
        -------
        display : LossCurveDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from skmlp.plotting import LossCurveDisplay
        >>> display = LossCurveDisplay([0.7, 0.4, 0.3],
        ...                            validation_scores=[0.5, 0.8, 0.7]).plot()
        >>> display.best_epoch_line_.get_xdata()
        [2, 2]
        """
        ax, fig = _single_axes(ax, figsize=(6.0, 3.8))
        prefix = f"{self.name}: " if self.name else ""
        loss = np.asarray(self.loss_curve, dtype=np.float64)
        epochs = np.arange(1, len(loss) + 1)
        (self.line_,) = ax.plot(
            epochs, loss, color="C0", label=prefix + "training loss"
        )
        handles = [self.line_]
        self.validation_loss_line_ = None
        if self.validation_loss_curve is not None and len(self.validation_loss_curve):
            val_loss = np.asarray(self.validation_loss_curve, dtype=np.float64)
            (self.validation_loss_line_,) = ax.plot(
                np.arange(1, len(val_loss) + 1),
                val_loss,
                color="C1",
                label=prefix + "validation loss",
            )
            handles.append(self.validation_loss_line_)
        self.score_ax_ = self.validation_score_line_ = self.best_epoch_line_ = None
        if self.validation_scores is not None and len(self.validation_scores):
            scores = np.asarray(self.validation_scores, dtype=np.float64)
            self.score_ax_ = ax.twinx()
            (self.validation_score_line_,) = self.score_ax_.plot(
                np.arange(1, len(scores) + 1),
                scores,
                color="C2",
                linestyle="--",
                label=prefix + "validation score",
            )
            best = int(np.nanargmax(scores)) + 1
            self.best_epoch_line_ = ax.axvline(
                best,
                color="0.4",
                linestyle=":",
                label=f"best validation score (epoch {best})",
            )
            self.score_ax_.set_ylabel("validation score")
            handles += [self.validation_score_line_, self.best_epoch_line_]
        if log_scale:
            ax.set_yscale("log")
        ax.set_xlabel(self.xlabel)
        ax.set_ylabel("loss")
        # Above the axes: the curves of both y axes fill the plot.
        self.legend_ = ax.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=2,
            frameon=False,
            fontsize=9,
        )
        self.figure_, self.ax_ = fig, ax
        return self


# -- BoundaryComparisonDisplay ---------------------------------------------------------

_RESPONSE_METHODS = ("predict_proba", "decision_function", "predict")


def _estimator_margins(estimator, points, shape, response_method):
    """Surfaces whose zero levels are the estimator's decision boundaries.

    ``predict_proba``: P(class 1) = 1/2 (binary) or equal top probabilities;
    ``decision_function``: 0 or equal top scores; ``predict``: the borders of
    the predicted regions. Shape (n_boundaries, *shape).
    """
    if response_method == "auto":
        response_method = next(
            (m for m in _RESPONSE_METHODS if hasattr(estimator, m)), None
        )
    if response_method not in _RESPONSE_METHODS or not hasattr(
        estimator, response_method
    ):
        raise ValueError(
            f"response_method must be 'auto' or one of {_RESPONSE_METHODS} that "
            f"{type(estimator).__name__} has, got {response_method!r}"
        )
    classes = np.asarray(estimator.classes_)
    scores = np.asarray(getattr(estimator, response_method)(points))
    if response_method == "predict":
        scores = (scores[:, np.newaxis] == classes).astype(np.float64)
    if scores.ndim == 1:
        return scores.reshape(1, *shape)
    return _margins(scores.reshape(*shape, scores.shape[1]))


class BoundaryComparisonDisplay:
    """Two classifiers' decision boundaries on the same axes.

    Tutorial 003's point: what a hidden layer buys. Logistic regression can
    only draw a straight line; the network draws whatever the data need. Each
    boundary is the zero level of the estimator's margin: ``P(class 1) = 1/2``
    (or decision function 0) for binary problems, the borders of each class's
    predicted region for more classes.

    Parameters
    ----------
    xx0, xx1 : ndarray of shape (grid_resolution, grid_resolution)
        The grid's coordinates.
    margins : list of ndarray of shape (n_boundaries, grid_resolution, \
grid_resolution)
        Per estimator, surfaces whose zero levels are its boundaries (one for
        binary problems, one per class otherwise).
    names : list of str
        Legend label of each estimator.
    classes : ndarray of shape (n_classes,)
    X : ndarray of shape (n_samples, 2), default=None
        Points to draw.
    y : array-like of shape (n_samples,), default=None
        Their labels.
    scores : list of float, default=None
        Accuracy of each estimator on (X, y), shown in the legend.

    Attributes
    ----------
    figure_ : matplotlib.figure.Figure
    ax_ : matplotlib.axes.Axes
    boundary_lines_ : list of list of matplotlib.contour.QuadContourSet
        Per estimator, its boundary contours.
    scatter_ : matplotlib.collections.PathCollection or None
    legend_ : matplotlib.legend.Legend

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skmlp import BackpropMLPClassifier
    >>> from skmlp.datasets import make_spirals
    >>> from skmlp.plotting import BoundaryComparisonDisplay
    >>> X, y = make_spirals(400, random_state=42)
    >>> mlp = BackpropMLPClassifier((32,), activation="tanh", solver="lbfgs",
    ...                             max_iter=500, random_state=0).fit(X, y)
    >>> logistic = LogisticRegression().fit(X, y)
    >>> display = BoundaryComparisonDisplay.from_estimators(mlp, logistic, X, y)
    >>> [t.get_text() for t in display.legend_.get_texts()]
    ['BackpropMLPClassifier (accuracy 1.00)', 'LogisticRegression (accuracy 0.67)']
    """

    def __init__(
        self, xx0, xx1, margins, names, classes, *, X=None, y=None, scores=None
    ):
        self.xx0 = xx0
        self.xx1 = xx1
        self.margins = margins
        self.names = names
        self.classes = classes
        self.X = X
        self.y = y
        self.scores = scores

    @classmethod
    def from_estimators(
        cls,
        estimator,
        other,
        X,
        y=None,
        *,
        names=None,
        response_method="auto",
        grid_resolution=200,
        eps=None,
        ax=None,
    ):
        """Draw the boundaries of two fitted classifiers over X.

        Parameters
        ----------
        estimator : classifier
            Fitted on two features, e.g. a BackpropMLPClassifier.
        other : classifier
            Fitted on the same classes, e.g.
            :class:`~sklearn.linear_model.LogisticRegression`.
        X : array-like of shape (n_samples, 2)
            Sets the plane's extent and is drawn.
        y : array-like of shape (n_samples,), default=None
            Labels of X: colour the points and give each estimator's accuracy.
        names : list of str, default=None
            Legend labels; None uses the class names.
        response_method : {"auto", "predict_proba", "decision_function", \
"predict"}, default="auto"
            What the boundaries are level sets of; "auto" is the first of
            these each estimator has.
        grid_resolution : int, default=200
            Grid points along each axis.
        eps : float or None, default=None
            Margin around X's bounding box; None is 10% of each side.
        ax : matplotlib Axes, default=None
            None makes a new figure.

        Returns
        -------
        display : BoundaryComparisonDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn.linear_model import LogisticRegression
        >>> from skmlp import BackpropMLPClassifier
        >>> from skmlp.datasets import make_gaussian_clusters
        >>> from skmlp.plotting import BoundaryComparisonDisplay
        >>> X, y = make_gaussian_clusters(300, random_state=0)
        >>> mlp = BackpropMLPClassifier((8,), solver="lbfgs",
        ...                             random_state=0).fit(X, y)
        >>> display = BoundaryComparisonDisplay.from_estimators(
        ...     mlp, LogisticRegression().fit(X, y), X, y,
        ...     names=["MLP", "logistic"], grid_resolution=50)
        >>> [m.shape for m in display.margins]
        [(1, 50, 50), (1, 50, 50)]
        """
        X_plane, columns = _plane(X)
        estimators = [estimator, other]
        for est in estimators:
            _check_fitted(est)
            _check_not_multilabel(est)
        classes = np.asarray(estimator.classes_)
        if not np.array_equal(classes, np.asarray(other.classes_)):
            raise ValueError(
                f"The estimators were fitted on different classes: {classes!r} "
                f"and {np.asarray(other.classes_)!r}"
            )
        if names is None:
            names = [type(est).__name__ for est in estimators]
        if len(names) != 2:
            raise ValueError(f"names must have two entries, got {names!r}")
        xx0, xx1, points = _grid(X_plane, columns, grid_resolution, eps)
        margins = [
            _estimator_margins(est, points, xx0.shape, response_method)
            for est in estimators
        ]
        scores = None if y is None else [float(est.score(X, y)) for est in estimators]
        display = cls(
            xx0, xx1, margins, list(names), classes, X=X_plane, y=y, scores=scores
        )
        return display.plot(ax=ax)

    def plot(
        self,
        ax=None,
        *,
        colors=("black", "#e66101"),
        linestyles=("solid", "dashed"),
        point_size=None,
    ):
        """Draw the points and both boundaries.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            None makes a new figure.
        colors : tuple of two colours, default=("black", "#e66101")
            Boundary colour of each estimator.
        linestyles : tuple of two line styles, default=("solid", "dashed")
        point_size : float, default=None
            Marker area of the points; None scales it with their number.

        Returns
        -------
        display : BoundaryComparisonDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skmlp.plotting import BoundaryComparisonDisplay
        >>> xx0, xx1 = np.meshgrid(np.linspace(-1, 1, 30), np.linspace(-1, 1, 30))
        >>> circle, line = xx0 ** 2 + xx1 ** 2 - 0.5, xx0 - 0.2
        >>> display = BoundaryComparisonDisplay(
        ...     xx0, xx1, [circle[None], line[None]], ["circle", "line"],
        ...     np.array([0, 1])).plot(colors=("C0", "C1"))
        >>> len(display.boundary_lines_[0]), len(display.boundary_lines_[1])
        (1, 1)
        """
        from matplotlib.lines import Line2D

        ax, fig = _single_axes(ax)
        X, y_index, size = _points(self.X, self.y, self.classes, point_size)
        self.scatter_ = _scatter(ax, X, y_index, len(self.classes), size)
        self.boundary_lines_ = []
        handles = []
        for k, (margin, name) in enumerate(zip(self.margins, self.names)):
            color, style = colors[k % len(colors)], linestyles[k % len(linestyles)]
            self.boundary_lines_.append(
                _zero_contours(
                    ax,
                    self.xx0,
                    self.xx1,
                    list(margin),
                    colors=[color],
                    linestyles=[style],
                    linewidths=2.0,
                )
            )
            label = name
            if self.scores is not None:
                label += f" (accuracy {self.scores[k]:.2f})"
            handles.append(
                Line2D([], [], color=color, linestyle=style, lw=2.0, label=label)
            )
        ax.set_xlim(self.xx0[0, 0], self.xx0[0, -1])
        ax.set_ylim(self.xx1[0, 0], self.xx1[-1, 0])
        self.legend_ = ax.legend(
            handles=handles, loc="best", fontsize=9, framealpha=0.9
        )
        self.figure_, self.ax_ = fig, ax
        return self
