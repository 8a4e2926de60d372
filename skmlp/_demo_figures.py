"""The figures of ``skmlp demo`` and ``skmlp compare``, drawn with matplotlib.

The side-by-side boundaries and the loss curves are built on
:class:`matplotlib.figure.Figure` with the Agg canvas; the hidden units and the
training animation are :mod:`skmlp.plotting`'s displays, closed once written.
The animation is written with Pillow (a dependency of matplotlib).

Examples
--------
>>> import os, tempfile
>>> from sklearn.linear_model import LogisticRegression
>>> from skmlp.datasets import make_xor
>>> from skmlp._demo_figures import boundary_comparison
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
    "loss_curves",
    "draw_figures",
]

_POINT_COLORS = ("#d7301f", "#2b6cb0", "#2f9e44", "#f08c00", "#7048e8", "#0c8599")


def _figure(width, height, dpi):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def _grid(X, resolution):
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.08 * (hi - lo) + 1e-9
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    return xx, yy, np.c_[xx.ravel(), yy.ravel()], (xs[0], xs[-1], ys[0], ys[-1])


def _class_index(y):
    classes, index = np.unique(y, return_inverse=True)
    return classes, index


def _scatter(ax, X, y, size=12, alpha=0.85):
    classes, index = _class_index(y)
    for k, label in enumerate(classes):
        mask = index == k
        ax.scatter(
            X[mask, 0],
            X[mask, 1],
            s=size,
            alpha=alpha,
            linewidths=0.4,
            edgecolors="k",
            color=_POINT_COLORS[k % len(_POINT_COLORS)],
            label=str(label),
        )


def _surface(estimator, grid, shape):
    """Probability of the second class (binary) or the predicted class index."""
    P = estimator.predict_proba(grid)
    if P.shape[1] == 2:
        return P[:, 1].reshape(shape), True
    return np.argmax(P, axis=1).reshape(shape), False


def _draw_surface(ax, values, binary, extent, n_classes):
    from matplotlib.colors import ListedColormap

    if binary:
        image = ax.imshow(
            values,
            origin="lower",
            extent=extent,
            aspect="auto",
            cmap="RdBu",
            vmin=0,
            vmax=1,
            alpha=0.75,
            interpolation="bilinear",
        )
    else:
        cmap = ListedColormap(_POINT_COLORS[:n_classes])
        image = ax.imshow(
            values,
            origin="lower",
            extent=extent,
            aspect="auto",
            cmap=cmap,
            vmin=-0.5,
            vmax=n_classes - 0.5,
            alpha=0.35,
            interpolation="nearest",
        )
    return image


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
    n = len(fitted)
    fig = _figure(3.3 * n, 3.5, dpi)
    xx, yy, grid, extent = _grid(X, resolution)
    n_classes = len(np.unique(y))
    for k, (name, estimator) in enumerate(fitted):
        ax = fig.add_subplot(1, n, k + 1)
        values, binary = _surface(estimator, grid, xx.shape)
        _draw_surface(ax, values, binary, extent, n_classes)
        if binary:
            ax.contour(xx, yy, values, levels=[0.5], colors="k", linewidths=1.2)
        _scatter(ax, X, y, size=10)
        title = name
        if accuracies is not None:
            title += f"\n{score_label} {accuracies[k]:.3f}"
        ax.set_title(title, fontsize=10)
        ax.set_xlim(extent[:2])
        ax.set_ylim(extent[2:])
        if feature_names:
            ax.set_xlabel(feature_names[0], fontsize=9)
            if k == 0:
                ax.set_ylabel(feature_names[1], fontsize=9)
        ax.tick_params(labelsize=7)
    fig.axes[0].legend(fontsize=7, loc="best", framealpha=0.8)
    fig.tight_layout()
    fig.savefig(path)
    return path


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
    import matplotlib.pyplot as plt

    from .plotting import HiddenUnitsDisplay

    display = HiddenUnitsDisplay.from_estimator(
        estimator, X, y, grid_resolution=resolution
    )
    if title:
        display.figure_.suptitle(title, fontsize=10)
    display.figure_.savefig(path, dpi=dpi)
    plt.close(display.figure_)
    return path


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
    import matplotlib.pyplot as plt

    from .plotting import TrainingAnimation

    animation = TrainingAnimation.from_snapshots(
        estimator,
        snapshots,
        X,
        y,
        hidden_units=True,
        grid_resolution=resolution,
        interval=duration,
    )
    animation.save(path, dpi=dpi)
    plt.close(animation.figure_)
    return path


def loss_curves(fits, path, stop_below=None, reference=None, title="", dpi=90):
    """Training loss against epoch for every MLP fit, on a log scale.

    Parameters
    ----------
    fits : list of (str, list of float)
        Label and loss curve of each fit.
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
    """
    fig = _figure(6.4, 3.6, dpi)
    ax = fig.add_subplot(1, 1, 1)
    styles = ["-", "--"]
    for k, (label, curve) in enumerate(fits):
        epochs = np.arange(1, len(curve) + 1)
        ax.plot(epochs, curve, styles[k % 2], lw=1.5, label=label, color=f"C{k // 2}")
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
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    return path


def draw_figures(result, out, quick=False):
    """Write one experiment's figures into ``out``.

    Parameters
    ----------
    result : dict
        As returned by :func:`skmlp.demo.run_experiment`.
    out : str
        Directory.
    quick : bool, default=False
        Coarser animation and grids.

    Returns
    -------
    images : list of (str, str, int or None)
        File name (relative to ``out``), caption and display width, for
        :func:`skmlp._report.write_html_page`.
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
            "(purple), and the line where its input is zero.",
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
                "output and hidden units, epoch by epoch.",
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
