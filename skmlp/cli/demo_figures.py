"""The figures of ``skmlp demo`` and ``skmlp compare``, drawn with matplotlib.

The side-by-side boundaries and the loss curves are built on
:class:`matplotlib.figure.Figure` with the Agg canvas, from
:mod:`skmlp.plotting`'s grid, shading, points and class legend; the hidden
units and the training animation are :mod:`skmlp.plotting`'s displays, drawn
on such figures too (:func:`agg_figure`), so pyplot is never touched. Every
figure uses the one palette of :data:`skmlp.plotting.CLASS_COLORS` (class 0
blue, class 1 red, class 2 green, ...), has a legend of the classes and
labelled axes, and a colour bar where shading carries a probability.
The animation is written with Pillow (a dependency of matplotlib).

Examples
--------
>>> import os, tempfile
>>> from sklearn.linear_model import LogisticRegression
>>> from skmlp.datasets import make_xor
>>> from skmlp.cli.demo_figures import boundary_comparison
>>> X, y = make_xor(40, random_state=0)
>>> path = os.path.join(tempfile.mkdtemp(), "b.png")
>>> fitted = [("lr", LogisticRegression().fit(X, y))]
>>> boundary_comparison(fitted, X, y, path) == path
True
"""

import os

import numpy as np

__all__ = [
    "boundary_comparison",
    "hidden_units",
    "training_animation",
    "curve_styles",
    "loss_curves",
    "draw_figures",
]


def agg_figure(width, height, dpi):
    """A figure drawn by Agg, outside pyplot: every figure the app writes.

    pyplot is left alone, so calling the app from a Python session neither
    switches its backend nor leaves figures open in it.

    Parameters
    ----------
    width, height : float
        Size in inches.
    dpi : float

    Returns
    -------
    fig : matplotlib.figure.Figure
        With constrained layout.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from skmlp.cli.demo_figures import agg_figure
    >>> fig = agg_figure(4, 3, dpi=50)
    >>> type(fig.canvas).__name__, plt.get_fignums()
    ('FigureCanvasAgg', [])
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _boundary_panel(ax, estimator, X, y_index, classes, grid, names):
    """One classifier's shading, boundary and points, with skmlp.plotting's
    helpers and palette. Returns the shading image and whether a boundary
    crosses the panel."""
    from ..plotting._draw import (
        _axis_labels,
        _boundary_surfaces,
        _response_image,
        _scatter,
        _zero_contours,
    )
    from ..plotting._grid import _extent, _point_size, _proba_response

    xx0, xx1, points = grid
    response = _proba_response(estimator, points, xx0.shape)
    image = _response_image(ax, response, _extent(xx0, xx1), len(classes))
    lines = _zero_contours(
        ax, xx0, xx1, _boundary_surfaces(response), colors="black", linewidths=1.2
    )
    _scatter(ax, X, y_index, len(classes), min(_point_size(len(X)), 14.0))
    ax.set_xlim(xx0[0, 0], xx0[0, -1])
    ax.set_ylim(xx1[0, 0], xx1[-1, 0])
    _axis_labels(ax, names, fontsize=9)
    ax.tick_params(labelsize=7)
    return image, bool(lines)


def boundary_comparison(
    fitted,
    X,
    y,
    path,
    feature_names=None,
    accuracies=None,
    resolution=200,
    dpi=100,
    score_label="accuracy",
):
    """Decision boundaries of several fitted classifiers, side by side.

    Parameters
    ----------
    fitted : list of (str, estimator)
        Names and fitted classifiers on two features.
    X : ndarray of shape (n_samples, 2)
        Points drawn over the boundaries.
    y : ndarray of shape (n_samples,)
    path : str
        PNG file to write.
    feature_names : list of str, default=None
        Axis labels.
    accuracies : list of float, default=None
        Shown in the panel titles.
    resolution : int, default=200
        Grid points along each axis.
    dpi : int, default=100
    score_label : str, default="accuracy"
        Name of the accuracies in the titles.

    Returns
    -------
    path : str
    """
    fig = _boundary_figure(
        fitted, X, y, feature_names, accuracies, resolution, dpi, score_label
    )
    fig.savefig(path)
    return path


def _boundary_figure(
    fitted, X, y, feature_names, accuracies, resolution, dpi, score_label
):
    """The figure of :func:`boundary_comparison`."""
    from matplotlib.lines import Line2D

    from ..plotting._draw import _class_legend, _no_boundary_note, _proba_colorbar
    from ..plotting._grid import _class_index, _grid, _plane

    X, columns = _plane(X)
    names = feature_names if feature_names is not None else columns
    classes = np.asarray(getattr(fitted[0][1], "classes_", np.unique(np.asarray(y))))
    y_index = _class_index(y, classes)
    xx0, xx1, points = _grid(X, None, resolution, None)
    n = len(fitted)
    fig = agg_figure(3.3 * n + 1.6, 3.7, dpi)
    axes = fig.subplots(1, n, squeeze=False)[0]
    image = None
    for k, ((name, estimator), ax) in enumerate(zip(fitted, axes)):
        image, crossed = _boundary_panel(
            ax, estimator, X, y_index, classes, (xx0, xx1, points), names
        )
        if not crossed:
            _no_boundary_note(ax)
        title = name
        if accuracies is not None:
            title += f"\n{score_label} {accuracies[k]:.3f}"
        ax.set_title(title, fontsize=10)
    boundary = Line2D([], [], color="black", lw=1.2, label="decision boundary")
    # The classes' key sits outside the last panel, where it hides no points.
    _class_legend(
        axes[-1],
        classes,
        extra=[boundary],
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        borderaxespad=0.0,
    )
    if len(classes) == 2:
        _proba_colorbar(fig, image, list(axes), classes, shrink=0.6, location="bottom")
    return fig


def hidden_units(estimator, X, y, path, title="", resolution=120, dpi=90):
    """What each hidden unit computes: one panel per unit, and the network.

    A :class:`skmlp.plotting.HiddenUnitsDisplay` written to a PNG file.

    Parameters
    ----------
    estimator : BackpropMLPClassifier
        Fitted on two features.
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,)
    path : str
        PNG file to write.
    title : str, default=""
    resolution : int, default=120
        Grid points along each axis.
    dpi : int, default=90

    Returns
    -------
    path : str
    """
    display = _hidden_units_display(estimator, X, y, title, resolution)
    display.figure_.savefig(path, dpi=dpi)
    return path


def _hidden_units_display(estimator, X, y, title, resolution):
    """The display of :func:`hidden_units`."""
    from ..plotting import HiddenUnitsDisplay

    display = HiddenUnitsDisplay.from_estimator(
        estimator, X, y, grid_resolution=resolution, ax=_unit_panels(estimator)
    )
    if title:
        display.figure_.suptitle(title, fontsize=10)
    return display


def training_animation(
    estimator, snapshots, X, y, path, resolution=60, dpi=72, duration=120
):
    """A GIF of the decision boundary and the hidden units through training.

    A :class:`skmlp.plotting.TrainingAnimation` with every hidden unit,
    written with Pillow.

    Parameters
    ----------
    estimator : BackpropMLPClassifier
        The fitted network the snapshots were recorded from.
    snapshots : WeightSnapshots
        Recorded while it trained.
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,)
    path : str
        GIF file to write.
    resolution : int, default=60
        Grid points along each axis.
    dpi : int, default=72
    duration : int, default=120
        Milliseconds per frame.

    Returns
    -------
    path : str
    """
    animation = _training_animation(estimator, snapshots, X, y, resolution, duration)
    animation.save(path, dpi=dpi)
    return path


def _training_animation(estimator, snapshots, X, y, resolution, duration):
    """The animation of :func:`training_animation`."""
    from ..plotting import TrainingAnimation

    return TrainingAnimation.from_snapshots(
        estimator,
        snapshots,
        X,
        y,
        hidden_units=True,
        grid_resolution=resolution,
        interval=duration,
        ax=_unit_panels(estimator),
    )


def _unit_panels(estimator):
    """A panel per hidden unit and one for the network, on an Agg figure.

    The grid the displays would make with pyplot, made without it: the app
    writes files, and must not create pyplot figures or switch the backend of
    a Python session that calls it.
    """
    from ..plotting._draw import panel_grid

    sizes = [W.shape[1] for W in estimator.coefs_[:-1]]
    return panel_grid(agg_figure(1, 1, dpi=100), sizes)


def curve_styles(labels):
    """Line style and colour of each loss curve, from its label.

    A curve labelled "sklearn ..." is dashed in the colour of the curve before
    it, the skmlp fit it is compared with; every other curve is solid in a
    colour of its own. Styling by label, not by position, keeps the pairs
    right however many curves each network has.

    Parameters
    ----------
    labels : list of str

    Returns
    -------
    styles : list of (str, str)
        ``(linestyle, colour)`` per label.

    Examples
    --------
    >>> from skmlp.cli.demo_figures import curve_styles
    >>> curve_styles(["skmlp MLP (4,)", "sklearn MLP (4,)",
    ...               "skmlp MLP, tutorial init (4,)"])
    [('-', 'C0'), ('--', 'C0'), ('-', 'C1')]
    """
    styles, colour = [], -1
    for label in labels:
        paired = label.startswith("sklearn") and colour >= 0
        if not paired:
            colour += 1
        styles.append(("--" if paired else "-", f"C{colour}"))
    return styles


def loss_curves(fits, path, stop_below=None, reference=None, title="", dpi=90):
    """Training loss against epoch for every MLP fit, on a log scale.

    Parameters
    ----------
    fits : list of (str, list of float)
        Label and loss curve of each fit. A curve whose label starts with
        "sklearn" is drawn dashed in the colour of the curve before it (the
        skmlp fit it is compared with); every other curve gets a colour of
        its own.
    path : str
        PNG file to write.
    stop_below : float, default=None
        Draw the loss threshold a fit stopped at.
    reference : (str, float), default=None
        A horizontal reference line, e.g. logistic regression's training loss.
    title : str, default=""
    dpi : int, default=90

    Returns
    -------
    path : str

    Examples
    --------
    >>> import os, tempfile
    >>> from skmlp.cli.demo_figures import loss_curves
    >>> path = os.path.join(tempfile.mkdtemp(), "loss.png")
    >>> os.path.basename(loss_curves([("skmlp MLP", [1.0, 0.5]),
    ...                               ("sklearn MLP", [1.0, 0.5])], path))
    'loss.png'
    """
    fig = agg_figure(7.6, 3.6, dpi)
    ax = fig.add_subplot(1, 1, 1)
    styles = curve_styles([label for label, _ in fits])
    for (label, curve), (style, colour) in zip(fits, styles):
        epochs = np.arange(1, len(curve) + 1)
        ax.plot(epochs, curve, style, lw=1.5, label=label, color=colour)
    if reference is not None:
        ax.axhline(reference[1], color="0.4", lw=1, ls=":", label=reference[0])
    if stop_below is not None:
        ax.axhline(
            stop_below,
            color="C3",
            lw=1,
            ls="-.",
            label=f"stop threshold {stop_below:g}",
        )
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training log-loss")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3, which="both")
    # Outside the axes, on the right: the legend hides no curve.
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    fig.savefig(path)
    return path


def draw_figures(result, out, quick=False):
    """Write one experiment's figures into ``out``.

    Parameters
    ----------
    result : dict
        As returned by :func:`skmlp.cli.demo.run_experiment`.
    out : str
        Directory.
    quick : bool, default=False
        Coarser animation and grids.

    Returns
    -------
    images : list of (str, str, int or None)
        File name (relative to ``out``), caption and display width, for
        :func:`skmlp.cli.report.write_html_page`.
    """
    experiment, fits = result["experiment"], result["fits"]
    X, y, X_test, y_test = result["data"]
    name = experiment.name
    skmlp_fit = [f for f in fits if f.model == "skmlp MLP"][-1]
    sklearn_fit = [f for f in fits if f.model == "sklearn MLP"][-1]
    logreg_fit = fits[-1]
    shown = [skmlp_fit, sklearn_fit, logreg_fit]
    has_test = X_test is not None
    images = []

    path = os.path.join(out, f"{name}_boundary.png")
    boundary_comparison(
        [
            (f"{f.model} {f.hidden if f.hidden != '-' else ''}".strip(), f.estimator)
            for f in shown
        ],
        X_test if has_test else X,
        y_test if has_test else y,
        path,
        accuracies=[f.test_accuracy if has_test else f.train_accuracy for f in shown],
        resolution=150 if quick else 220,
        score_label="test accuracy" if has_test else "training accuracy",
    )
    images.append(
        (
            os.path.basename(path),
            "Decision boundaries: MLPs against logistic regression (points: "
            + ("the test set)" if has_test else "the training set)"),
            None,
        )
    )

    path = os.path.join(out, f"{name}_hidden_units.png")
    hidden_units(
        skmlp_fit.estimator,
        X,
        y,
        path,
        title=f"skmlp MLP {skmlp_fit.hidden}: what each hidden unit computes",
    )
    images.append(
        (
            os.path.basename(path),
            "Hidden units after training: where each unit is on (green) or off "
            "(purple), and the line where its input is zero; the last panel is "
            "the network's decision boundary. Points: class 0 blue, class 1 red.",
            None,
        )
    )

    snapshots = result["snapshots"]
    if snapshots is not None and len(snapshots.epochs) > 1:
        path = os.path.join(out, f"{name}_training.gif")
        training_animation(
            skmlp_fit.estimator, snapshots, X, y, path, resolution=48 if quick else 64
        )
        images.append(
            (
                os.path.basename(path),
                f"Training animation ({len(snapshots.epochs)} frames): "
                "output and hidden units, epoch by epoch, in the colours of "
                "the hidden-unit figure.",
                None,
            )
        )

    path = os.path.join(out, f"{name}_loss.png")
    mlp_fits = [f for f in fits if f.loss_curve]
    loss_curves(
        [(f"{f.model} {f.hidden}", f.loss_curve) for f in mlp_fits],
        path,
        stop_below=next((s.stop_below for s in experiment.mlps if s.stop_below), None),
        reference=("logistic regression (after fit)", logreg_fit.train_log_loss),
        title=f"{experiment.title}: training loss",
    )
    images.append((os.path.basename(path), "Training loss per epoch", 560))
    return images
