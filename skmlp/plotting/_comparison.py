"""BoundaryComparisonDisplay: two classifiers' boundaries on the same axes."""

import numpy as np

from ._draw import (
    _axis_labels,
    _class_legend,
    _points,
    _scatter,
    _single_axes,
    _zero_contours,
)
from ._grid import (
    _check_classifier,
    _check_fitted,
    _check_not_multilabel,
    _grid,
    _margins,
    _plane,
)

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
    feature_names : list of str, default=None
        Axis labels; None is x1 and x2.

    Attributes
    ----------
    figure_ : matplotlib.figure.Figure
    ax_ : matplotlib.axes.Axes
    boundary_lines_ : list of list of matplotlib.contour.QuadContourSet
        Per estimator, its boundary contours.
    scatter_ : matplotlib.collections.PathCollection or None
    legend_ : matplotlib.legend.Legend
        The estimators' boundaries; one with no boundary in the plotted area
        says so.
    class_legend_ : matplotlib.legend.Legend
        The classes' colours.

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
        self,
        xx0,
        xx1,
        margins,
        names,
        classes,
        *,
        X=None,
        y=None,
        scores=None,
        feature_names=None,
    ):
        self.xx0 = xx0
        self.xx1 = xx1
        self.margins = margins
        self.names = names
        self.classes = classes
        self.X = X
        self.y = y
        self.scores = scores
        self.feature_names = feature_names

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
        estimators = [estimator, other]
        for est in estimators:
            _check_classifier(est, "BoundaryComparisonDisplay")
        X_plane, columns = _plane(X)
        for est in estimators:
            _check_fitted(est, display="BoundaryComparisonDisplay")
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
            xx0,
            xx1,
            margins,
            list(names),
            classes,
            X=X_plane,
            y=y,
            scores=scores,
            feature_names=None if columns is None else [str(c) for c in columns],
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
            if not self.boundary_lines_[-1]:
                label += "\nno boundary in view: predicts one class everywhere"
            handles.append(
                Line2D([], [], color=color, linestyle=style, lw=2.0, label=label)
            )
        ax.set_xlim(self.xx0[0, 0], self.xx0[0, -1])
        ax.set_ylim(self.xx1[0, 0], self.xx1[-1, 0])
        _axis_labels(ax, self.feature_names, fontsize=9)
        # Both legends sit outside the axes, where they hide no points: the
        # classes on the right, the boundaries above (the axes' legend).
        self.class_legend_ = _class_legend(
            ax,
            self.classes,
            fontsize=8,
            loc="upper left",
            bbox_to_anchor=(1.02, 1.0),
            borderaxespad=0.0,
        )
        ax.add_artist(self.class_legend_)
        self.class_legend_.set_clip_on(False)  # add_artist clips to the axes
        self.legend_ = ax.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.02),
            borderaxespad=0.0,
            fontsize=9,
            framealpha=0.9,
        )
        self.figure_, self.ax_ = fig, ax
        return self
