"""A regressor's hidden units as curves over its one input feature."""

import numbers

import numpy as np

from ._grid import _check_fitted, _check_int, _hidden_layers, _point_size
from ._hidden_units import HiddenUnitsDisplay
from ._style import _CLASS_COLORS

#: Output activations of the regressors: what turns the weighted sum of the
#: last hidden layer (plus the output bias) into the prediction.
_OUTPUTS = {"identity": lambda z: z, "exp": np.exp}
_OUTPUT_FORMULAS = {"identity": "{}", "exp": r"\exp({})"}
#: A legend names each unit up to this many units in a panel.
_MAX_LEGEND_UNITS = 10
_PANEL_SIZE = (4.2, 3.4)


def _line_input(estimator, X):
    """X as a float array of shape (n_samples, 1), and its column names if any."""
    columns = getattr(X, "columns", None)
    values = X.toarray() if hasattr(X, "toarray") else np.asarray(X)
    n_features = getattr(estimator, "n_features_in_", 1)
    if values.ndim != 2 or values.shape[1] != 1 or n_features != 1:
        fitted = "" if n_features == 1 else f", and it was fitted on {n_features}"
        raise ValueError(
            "For a regressor, HiddenUnitsDisplay draws each hidden unit as a "
            "curve over the input feature, so the regressor and X must have "
            "exactly one feature, X of shape (n_samples, 1); got X of shape "
            f"{values.shape}{fitted}. (A 1-D array of values x is "
            "X = x.reshape(-1, 1).)"
        )
    if values.shape[0] == 0:
        raise ValueError("X has no samples; at least one is needed to set the range")
    return values.astype(np.float64), columns


def _chosen_output(estimator, output):
    """Index of the output to draw: 0 for one output, else ``output`` checked."""
    n_outputs = getattr(estimator, "n_outputs_", 1)
    if output is None:
        if n_outputs == 1:
            return 0
        raise ValueError(
            f"The regressor has {n_outputs} outputs; choose the one to draw with "
            f"output=0 ... output={n_outputs - 1}"
        )
    if isinstance(output, bool) or not isinstance(output, numbers.Integral):
        raise ValueError(f"output must be None or an int, got {output!r}")
    if not 0 <= output < n_outputs:
        raise ValueError(
            f"output must be an int in [0, {n_outputs}) for a regressor with "
            f"{n_outputs} output{'s' if n_outputs > 1 else ''}, got {output!r}"
        )
    return int(output)


def _line_grid(X, columns, grid_resolution, eps):
    """Evenly spaced x over X's range widened by ``eps``, and as the model's input."""
    grid_resolution = _check_int("grid_resolution", grid_resolution, 2)
    lo, hi = float(X.min()), float(X.max())
    if eps is None:
        margin = 0.1 * (hi - lo) if hi > lo else 1.0
    elif isinstance(eps, numbers.Real) and not isinstance(eps, bool) and eps >= 0:
        margin = float(eps) if hi > lo or eps > 0 else 1.0
    else:
        raise ValueError(f"eps must be None or a number >= 0, got {eps!r}")
    x = np.linspace(lo - margin, hi + margin, grid_resolution)
    points = x[:, np.newaxis]
    if columns is not None:
        import pandas as pd

        points = pd.DataFrame(points, columns=columns)
    return x, points


def _targets(y, n_samples, output):
    """The drawn output's column of y, as floats, or None."""
    if y is None:
        return None
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    elif y.ndim == 2:
        y = y[:, output]
    if y.ndim != 1 or len(y) != n_samples:
        raise ValueError(
            f"y must hold one target per row of X ({n_samples}), got shape "
            f"{np.shape(y)}"
        )
    return y


def _unit_colors(n_units):
    """tab10 for a few units, a sequential map for many."""
    if n_units <= len(_CLASS_COLORS):
        return list(_CLASS_COLORS[:n_units])
    import matplotlib

    return list(matplotlib.colormaps["viridis"](np.linspace(0.0, 0.9, n_units)))


class HiddenUnitCurvesDisplay(HiddenUnitsDisplay):
    """What each hidden unit of a regressor computes over its one input feature.

    What :meth:`HiddenUnitsDisplay.from_estimator` returns for a regressor: the
    regression counterpart of the per-unit decision boundaries. The network's
    prediction is the output activation of a weighted sum of its last hidden
    layer's units,

    ``prediction(x) = out(sum_j A_j(x) * w_j + b)``

    with ``w = coefs_[-1][:, output]``, ``b = intercepts_[-1][output]`` and
    ``out`` the identity (``"exp"`` for the Poisson loss). One panel draws
    each unit's contribution ``A_j(x) * w_j`` as a curve, with the output
    bias ``b`` as a dashed line; the last panel draws their sum through the
    output activation, which is the prediction, over the training points. An
    earlier hidden layer's panel draws its units' activations ``A_j(x)``: they
    reach the output only through the next layers.

    Build it with :meth:`from_estimator`; the constructor takes precomputed
    values.

    Parameters
    ----------
    x : ndarray of shape (grid_resolution,)
        Where the curves are evaluated.
    units : list of tuple of int
        ``(layer, unit)`` of each curve, 0-based as in ``coefs_``.
    curves : ndarray of shape (n_units, grid_resolution)
        Each unit's contribution ``A_j(x) * w_j`` (units of ``last_layer``) or
        activation ``A_j(x)`` (units of earlier layers).
    prediction : ndarray of shape (grid_resolution,)
        ``out(sum of the last layer's contributions + output_bias)``.
    output_bias : float
        The output unit's bias ``b``.
    last_layer : int
        Index of the last hidden layer, whose units' curves are contributions.
    out_activation : {"identity", "exp"}, default="identity"
    output : int or None, default=None
        The output drawn, for the title when the regressor has several; None
        for one output.
    X : ndarray of shape (n_samples, 1), default=None
        Training inputs, drawn with ``y`` on the prediction panel.
    y : ndarray of shape (n_samples,), default=None
        Their targets (of the drawn output).
    feature_name : str, default=None
        Label of the x axis; None is ``"x"``.

    Attributes
    ----------
    figure_ : matplotlib.figure.Figure
    axes_ : ndarray of matplotlib.axes.Axes of shape (n_layers + 1,)
        One panel per hidden layer drawn, then the prediction panel.
    unit_lines_ : list of matplotlib.lines.Line2D
        One curve per unit, in the order of ``units``.
    bias_line_ : matplotlib.lines.Line2D or None
        The output bias, in the last hidden layer's panel (None when that
        layer is not drawn).
    prediction_line_ : matplotlib.lines.Line2D
        The prediction: its y-data is the regressor's ``predict`` on ``x``.
    scatter_ : matplotlib.collections.PathCollection or None
        The training points.

    See Also
    --------
    HiddenUnitsDisplay : The classifier's picture, over two input features.
    skmlp.BackpropMLPRegressor.hidden_activations : The values drawn.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skmlp import BackpropMLPRegressor
    >>> from skmlp.plotting import HiddenUnitsDisplay
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-3, 3, size=(100, 1))
    >>> y = np.sin(X[:, 0]) + 0.1 * rng.normal(size=100)
    >>> reg = BackpropMLPRegressor(hidden_layer_sizes=(4,), activation="tanh",
    ...                            solver="lbfgs", random_state=0).fit(X, y)
    >>> display = HiddenUnitsDisplay.from_estimator(reg, X, y)
    >>> type(display).__name__, len(display.unit_lines_)
    ('HiddenUnitCurvesDisplay', 4)
    >>> grid = display.x.reshape(-1, 1)
    >>> bool(np.allclose(display.prediction_line_.get_ydata(), reg.predict(grid)))
    True
    >>> display.figure_.savefig("sine_units.png")  # doctest: +SKIP
    >>> import matplotlib.pyplot as plt; plt.close(display.figure_)
    """

    def __init__(
        self,
        x,
        units,
        curves,
        prediction,
        output_bias,
        *,
        last_layer,
        out_activation="identity",
        output=None,
        X=None,
        y=None,
        feature_name=None,
    ):
        self.x = x
        self.units = units
        self.curves = curves
        self.prediction = prediction
        self.output_bias = output_bias
        self.last_layer = last_layer
        self.out_activation = out_activation
        self.output = output
        self.X = X
        self.y = y
        self.feature_name = feature_name

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y=None,
        *,
        layer=None,
        output=None,
        grid_resolution=300,
        eps=None,
        ax=None,
        n_cols=None,
    ):
        """Draw a fitted regressor's hidden units over its one input feature.

        Parameters
        ----------
        estimator : BackpropMLPRegressor
            Fitted on one input feature, with at least one hidden layer.
        X : array-like of shape (n_samples, 1)
            Sets the range of x and is drawn on the prediction panel.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), \
default=None
            Targets of X, drawn as points against X.
        layer : int or None, default=None
            Hidden layer to draw (0 is the first; negative counts from the
            last), or None for every hidden layer, one panel each.
        output : int or None, default=None
            The output to draw, required when the regressor has several.
        grid_resolution : int, default=300
            Points along x.
        eps : float or None, default=None
            Margin on both sides of X's range; None is 10% of it.
        ax : array-like of matplotlib Axes, default=None
            At least ``n_layers + 1`` axes; None makes a new figure.
        n_cols : int, default=None
            Columns of the new figure's grid; None puts up to three panels in
            a row.

        Returns
        -------
        display : HiddenUnitCurvesDisplay

        Raises
        ------
        ValueError
            If X or the regressor does not have exactly one feature, the
            network has no hidden layer, ``layer`` or ``output`` is out of range,
            or the regressor has several outputs and ``output`` is None.

        Examples
        --------
        A 1-8-4-1 network: the first layer's activations, the second layer's
        contributions, and the prediction.

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skmlp import BackpropMLPRegressor
        >>> from skmlp.plotting import HiddenUnitsDisplay
        >>> X = np.linspace(0, 1, 50).reshape(-1, 1)
        >>> reg = BackpropMLPRegressor(hidden_layer_sizes=(8, 4), solver="lbfgs",
        ...                            random_state=0).fit(X, X[:, 0] ** 2)
        >>> display = HiddenUnitsDisplay.from_estimator(reg, X, X[:, 0] ** 2)
        >>> [ax.get_title() for ax in display.axes_]  # doctest: +NORMALIZE_WHITESPACE
        ['layer 1: activations $A_j(x)$',
         'layer 2: contributions $A_j(x)\\\\,w_j$',
         'prediction $= \\\\Sigma_j A_j(x)\\\\,w_j + b$']
        >>> import matplotlib.pyplot as plt; plt.close(display.figure_)
        """
        _check_fitted(estimator)
        if not hasattr(estimator, "hidden_activations"):
            raise TypeError(
                "HiddenUnitsDisplay needs the estimator's hidden_activations "
                f"(skmlp's BackpropMLPRegressor); {type(estimator).__name__} has "
                "none"
            )
        X, columns = _line_input(estimator, X)
        output = _chosen_output(estimator, output)
        layers = _hidden_layers(estimator, layer)
        out_activation = getattr(estimator, "out_activation_", "identity")
        if out_activation not in _OUTPUTS:
            raise ValueError(
                f"out_activation_ {out_activation!r} is not a regressor's output "
                f"activation, one of {sorted(_OUTPUTS)}"
            )
        x, points = _line_grid(X, columns, grid_resolution, eps)
        activations = estimator.hidden_activations(points)
        last = len(activations) - 1
        weights = np.asarray(estimator.coefs_[-1])[:, output]
        bias = float(np.asarray(estimator.intercepts_[-1])[output])
        contributions = (np.asarray(activations[last]) * weights).T
        prediction = _OUTPUTS[out_activation](contributions.sum(axis=0) + bias)
        curves = np.concatenate(
            [
                contributions if i == last else np.asarray(activations[i]).T
                for i in layers
            ]
        )
        units = [(i, u) for i in layers for u in range(estimator.coefs_[i].shape[1])]
        display = cls(
            x,
            units,
            curves,
            prediction,
            bias,
            last_layer=last,
            out_activation=out_activation,
            output=output if getattr(estimator, "n_outputs_", 1) > 1 else None,
            X=X,
            y=_targets(y, len(X), output),
            feature_name=None if columns is None else str(columns[0]),
        )
        return display.plot(ax=ax, n_cols=n_cols)

    def plot(self, ax=None, *, n_cols=None, point_size=None):
        """Draw the panels.

        Parameters
        ----------
        ax : array-like of matplotlib Axes, default=None
            At least ``n_layers + 1`` axes, filled in order; None makes a new
            figure.
        n_cols : int, default=None
            Columns of the new figure's grid; None puts up to three panels in
            a row.
        point_size : float, default=None
            Marker area of the training points; None scales it with their
            number.

        Returns
        -------
        display : HiddenUnitCurvesDisplay

        Examples
        --------
        >>> import numpy as np
        >>> from matplotlib.figure import Figure
        >>> from skmlp.plotting._unit_curves import HiddenUnitCurvesDisplay
        >>> x = np.linspace(-1, 1, 5)
        >>> curves = np.array([np.maximum(x, 0), -np.maximum(-x, 0)])
        >>> display = HiddenUnitCurvesDisplay(
        ...     x, [(0, 0), (0, 1)], curves, curves.sum(axis=0) + 0.5, 0.5,
        ...     last_layer=0)
        >>> fig = Figure()
        >>> display.plot(ax=fig.subplots(1, 2)).figure_ is fig
        True
        >>> display.prediction_line_.get_ydata().tolist()
        [-0.5, 0.0, 0.5, 1.0, 1.5]
        """
        layers = list(dict.fromkeys(i for i, _ in self.units))
        axes, fig = _curve_axes(len(layers) + 1, n_cols, ax)
        curves = np.asarray(self.curves, dtype=np.float64)
        self.unit_lines_, self.bias_line_ = [], None
        for panel, layer in zip(axes[:-1], layers):
            rows = [k for k, (i, _) in enumerate(self.units) if i == layer]
            colors = _unit_colors(len(rows))
            for k, color in zip(rows, colors):
                (line,) = panel.plot(
                    self.x,
                    curves[k],
                    color=color,
                    lw=1.3 if len(rows) <= _MAX_LEGEND_UNITS else 0.8,
                    label=f"unit {self.units[k][1] + 1}",
                )
                self.unit_lines_.append(line)
            if layer == self.last_layer:
                self.bias_line_ = panel.axhline(
                    self.output_bias,
                    color="0.3",
                    linestyle="--",
                    lw=1.0,
                    label="output bias $b$",
                )
                title, ylabel = r"contributions $A_j(x)\,w_j$", "contribution"
            else:
                title, ylabel = r"activations $A_j(x)$", "activation"
            panel.set_title(f"layer {layer + 1}: {title}", fontsize=10)
            panel.set_ylabel(ylabel)
            if len(rows) <= _MAX_LEGEND_UNITS:
                panel.legend(fontsize=7, loc="best", frameon=False)
        net = axes[-1]
        self.scatter_ = None
        if self.X is not None and self.y is not None:
            size = point_size or _point_size(len(self.y))
            self.scatter_ = net.scatter(
                np.asarray(self.X, dtype=np.float64)[:, 0],
                self.y,
                s=size / 2,
                color="0.55",
                edgecolors="none",
                alpha=0.8,
                label="training data",
                zorder=2,
            )
        (self.prediction_line_,) = net.plot(
            self.x,
            np.asarray(self.prediction),
            color="black",
            lw=2.0,
            label="prediction",
            zorder=3,
        )
        total = r"\Sigma_j A_j(x)\,w_j + b"
        formula = _OUTPUT_FORMULAS.get(self.out_activation, "{}").format(total)
        suffix = "" if self.output is None else f" (output {self.output + 1})"
        net.set_title(f"prediction $= {formula}${suffix}", fontsize=10)
        net.set_ylabel(
            "prediction" if self.output is None else f"output {self.output + 1}"
        )
        net.legend(fontsize=7, loc="best", frameon=False)
        for panel in axes:
            panel.set_xlim(self.x[0], self.x[-1])
            panel.set_xlabel(self.feature_name or "x")
        self.figure_ = fig
        self.axes_ = axes
        return self


def _curve_axes(n_panels, n_cols, ax):
    """``n_panels`` axes: the given ones, or a new figure's grid, in order."""
    if ax is not None:
        axes = np.ravel(np.asarray(ax, dtype=object))
        if axes.size < n_panels:
            raise ValueError(
                f"ax must hold at least {n_panels} axes (one per hidden layer and "
                f"one for the prediction), got {axes.size}"
            )
        return axes[:n_panels], axes[0].figure
    import matplotlib.pyplot as plt

    n_cols = min(n_panels, 3) if n_cols is None else _check_int("n_cols", n_cols, 1)
    n_rows = -(-n_panels // n_cols)
    fig, grid = plt.subplots(
        n_rows,
        n_cols,
        figsize=(_PANEL_SIZE[0] * n_cols, _PANEL_SIZE[1] * n_rows),
        squeeze=False,
        layout="constrained",
    )
    cells = grid.ravel()
    for extra in cells[n_panels:]:
        extra.remove()
    return np.array(list(cells[:n_panels]), dtype=object), fig
