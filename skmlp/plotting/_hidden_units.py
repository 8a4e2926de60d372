"""HiddenUnitsDisplay: one panel per hidden unit, plus the network's boundary.

For a regressor, :meth:`HiddenUnitsDisplay.from_estimator` returns the curves
of :class:`~skmlp.plotting._unit_curves.HiddenUnitCurvesDisplay` instead.
"""

import numpy as np

from ._draw import (
    _layer_sizes,
    _panel_axes,
    _points,
    _unit_norm,
    _unit_titles,
    _UnitPanels,
)
from ._grid import (
    _activation_at_zero,
    _check_fitted,
    _check_not_multilabel,
    _Frame,
    _grid,
    _hidden_layers,
    _is_regressor,
    _network_frame,
    _plane,
    _unit_labels,
)

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

    For a regressor of one input feature, :meth:`from_estimator` draws the
    regression counterpart instead: each unit's output as a curve over x, and
    the prediction as their weighted sum (see
    :class:`~skmlp.plotting._unit_curves.HiddenUnitCurvesDisplay`, a subclass,
    which it returns).

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
    legend_ : matplotlib.legend.Legend
        The classes' colours and the decision boundary: below the panels on
        a figure with constrained layout (as made with ``ax=None``), else on
        the last panel.
    colorbars_ : list of matplotlib.colorbar.Colorbar
        P(class 1) of a binary problem, and the unit panels' key (off,
        z = 0, on).

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
        grid_resolution=None,
        eps=None,
        ax=None,
        n_cols=None,
        output=None,
    ):
        """Draw the hidden units of a fitted network over its inputs.

        A classifier of two features: one panel per unit over the input plane,
        and the decision boundary. A regressor of one feature: each hidden
        layer's units as curves over x (the last layer's weighted by their
        output weights, so that they add up to the prediction), and the
        prediction; see
        :meth:`HiddenUnitCurvesDisplay.from_estimator \
<skmlp.plotting._unit_curves.HiddenUnitCurvesDisplay.from_estimator>`.

        Parameters
        ----------
        estimator : BackpropMLPClassifier or BackpropMLPRegressor
            A classifier fitted on two features, binary or multiclass, or a
            regressor fitted on one feature.
        X : array-like of shape (n_samples, 2), or (n_samples, 1) for a \
regressor
            Sets the plane's extent (the range of x) and is drawn.
        y : array-like of shape (n_samples,), default=None
            Labels of X, which colour the points; a regressor's targets, drawn
            against X.
        layer : int or None, default=None
            Hidden layer to draw (0 is the first; negative counts from the
            last), or None for every hidden layer, one row each.
        grid_resolution : int or None, default=None
            Grid points along each axis; None is 100 (300 along a regressor's
            x).
        eps : float or None, default=None
            Margin around X's bounding box; None is 10% of each side.
        ax : array-like of matplotlib Axes, default=None
            At least ``n_units + 1`` axes; None makes a new figure.
        n_cols : int, default=None
            Columns of the new figure's grid; None fits the widest layer.
        output : int or None, default=None
            A regressor's output to draw, required when it has several; must
            be None for a classifier.

        Returns
        -------
        display : HiddenUnitsDisplay
            A ``HiddenUnitCurvesDisplay`` for a regressor.

        Raises
        ------
        ValueError
            If X does not have exactly two features (one for a regressor), the
            network has no hidden layer, ``layer`` or ``output`` is out of
            range, or the problem is multilabel.

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
        if _is_regressor(estimator):
            from ._unit_curves import HiddenUnitCurvesDisplay

            return HiddenUnitCurvesDisplay.from_estimator(
                estimator,
                X,
                y,
                layer=layer,
                output=output,
                grid_resolution=300 if grid_resolution is None else grid_resolution,
                eps=eps,
                ax=ax,
                n_cols=n_cols,
            )
        if output is not None:
            raise ValueError(
                "output chooses a regressor's output to draw; a classifier's "
                f"hidden units are drawn with its decision boundary, so leave "
                f"output=None (got {output!r})"
            )
        if grid_resolution is None:
            grid_resolution = 100
        X, columns = _plane(X)
        _check_fitted(estimator, display="HiddenUnitsDisplay")
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
            np.asarray(self.classes),
            _points(self.X, self.y, self.classes, point_size),
            frame,
        )
        self.figure_ = fig
        self.axes_ = axes
        self.images_ = panels.images
        self.zero_lines_ = panels.zero_lines
        self.boundary_lines_ = panels.boundary_lines
        self.scatters_ = panels.scatters
        self.legend_ = panels.legend
        self.colorbars_ = panels.colorbars
        return self
