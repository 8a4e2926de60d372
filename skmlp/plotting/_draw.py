"""Drawing helpers shared by the displays: colours, maps, points, contours."""

import numpy as np

from ._grid import (
    _check_int,
    _class_colors,
    _class_index,
    _extent,
    _line_through,
    _margins,
    _point_size,
)
from ._style import (
    _AXIS_NAMES,
    _MAP_RANGE,
    _MAX_COLUMNS,
    _N_BANDS,
    _PANEL_INCHES,
    _PROBA_CMAP,
    _RESPONSE_LIGHTEN,
    _UNIT_CMAP,
    _UNIT_LIGHTEN,
)

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

    fig = plt.figure(layout="constrained")
    return panel_grid(fig, sizes, n_cols), fig


def panel_grid(fig, n_unit_panels_per_layer, n_cols=None):
    """Lay out the unit panels and the network panel on the empty figure ``fig``.

    The grid of :class:`~skmlp.plotting.HiddenUnitsDisplay` and
    :class:`~skmlp.plotting.TrainingAnimation` when they make their own figure;
    ``fig`` is resized to it. For drawing on a figure not made by pyplot (the
    ``skmlp`` app draws on Agg figures, leaving pyplot's backend alone).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    n_unit_panels_per_layer : list of int
        Panels of each hidden layer; each layer starts a new row.
    n_cols : int, default=None
        Columns; None fits the widest layer (at most 6).

    Returns
    -------
    axes : ndarray of Axes of shape (sum(n_unit_panels_per_layer) + 1,)
        The unit panels in order, then the network panel.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from skmlp.plotting._draw import panel_grid
    >>> fig = Figure()
    >>> axes = panel_grid(fig, [3, 2])
    >>> len(axes), len(fig.axes), fig.get_size_inches().round(1).tolist()
    (6, 6, [7.8, 5.2])
    """
    sizes = n_unit_panels_per_layer
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
    fig.set_size_inches(_PANEL_INCHES * n_cols, _PANEL_INCHES * n_rows)
    grid = fig.subplots(n_rows, n_cols, squeeze=False)
    used = set(cells)
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) not in used:
                grid[r, c].remove()
    return np.array([grid[r, c] for r, c in cells], dtype=object)


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


def _class_handles(classes, size=6.0):
    """Legend handles: one marker per class, in its colour, named by its label."""
    from matplotlib.lines import Line2D

    colors = _class_colors(len(classes))
    return [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=size,
            markerfacecolor=colors[k],
            markeredgecolor="black",
            markeredgewidth=0.5,
            label=f"class {label}",
        )
        for k, label in enumerate(classes)
    ]


def _class_legend(ax, classes, extra=(), **kwargs):
    """The axes' legend: the classes' colours (and ``extra`` handles), by
    default where it hides the fewest points. Another legend of the same axes
    must be made first and kept with ``ax.add_artist``."""
    options = {"loc": "best", "fontsize": 7, "framealpha": 0.85}
    options.update(kwargs)
    return ax.legend(handles=_class_handles(classes) + list(extra), **options)


def _axis_labels(ax, names=None, fontsize=8):
    """Label the axes with the features' names, or x1 and x2."""
    names = _AXIS_NAMES if names is None else [str(n) for n in names]
    ax.set_xlabel(names[0], fontsize=fontsize)
    ax.set_ylabel(names[1], fontsize=fontsize)


def _proba_colorbar(fig, image, ax, classes, **kwargs):
    """The colour bar of a binary problem's P(class 1) shading."""
    colorbar = fig.colorbar(image, ax=ax, **kwargs)
    colorbar.set_label(f"P(class {classes[-1]})", fontsize=8)
    colorbar.ax.tick_params(labelsize=7)
    return colorbar


def _unit_colorbar(fig, axes):
    """The key of the unit panels: off (purple), z = 0, on (green)."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    mappable = ScalarMappable(Normalize(-1.0, 1.0), _banded(_UNIT_CMAP, _UNIT_LIGHTEN))
    # On the left, clear of the P(class 1) bar beside the network panel.
    colorbar = fig.colorbar(
        mappable, ax=list(axes), shrink=0.8, aspect=30, location="left"
    )
    colorbar.set_ticks([-1.0, 0.0, 1.0], labels=["off", "z = 0", "on"])
    colorbar.set_label("unit activation (black line: z = 0)", fontsize=8)
    colorbar.ax.tick_params(labelsize=7)
    return colorbar


def _no_boundary_note(ax, text="no boundary in view: predicts one class everywhere"):
    """Say in the panel that a classifier's boundary lies outside it."""
    return ax.text(
        0.5,
        0.03,
        text,
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=7,
        bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "0.5"},
        zorder=6,
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
    _axis_labels(ax, fontsize=7)


class _UnitPanels:
    """The artists of the unit panels and the network panel, for one frame.

    Shared by HiddenUnitsDisplay (one frame) and TrainingAnimation (one per
    snapshot): the constructor draws ``frame``, :meth:`draw` redraws another.
    A unit with a ``frame.lines`` entry gets its exact zero line, the others a
    zero contour of their pre-activation.
    """

    def __init__(self, axes, xx0, xx1, titles, norms, classes, points, frame):
        self.axes, self.xx0, self.xx1 = axes, xx0, xx1
        n_classes = len(classes)
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
        self._keys(classes, frame)

    def _keys(self, classes, frame):
        """What the colours and lines mean, in the figure itself."""
        from matplotlib.lines import Line2D

        net_ax, fig = self.axes[-1], self.axes[-1].figure
        from matplotlib.layout_engine import ConstrainedLayoutEngine

        boundary = Line2D([], [], color="black", lw=1.5, label="decision boundary")
        if isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
            # Below the panels, where it hides no points.
            handles = _class_handles(classes) + [boundary]
            self.legend = fig.legend(
                handles=handles,
                loc="outside lower center",
                ncols=min(len(handles), 6),
                fontsize=8,
                frameon=False,
            )
        else:
            self.legend = _class_legend(net_ax, classes, extra=[boundary])
        self.colorbars = []
        if frame.response.ndim == 2:
            self.colorbars.append(
                _proba_colorbar(fig, self.images[-1], net_ax, classes, shrink=0.8)
            )
        if len(self.axes) > 1:
            self.colorbars.append(_unit_colorbar(fig, self.axes[:-1]))

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
