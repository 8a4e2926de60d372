"""The figures of ``skmlp demo`` and ``skmlp compare``, drawn with matplotlib.

Figures are built on :class:`matplotlib.figure.Figure` with the Agg canvas, so
nothing here touches pyplot's global state or needs a display. The animation
is written frame by frame with Pillow (a dependency of matplotlib).

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

import copy
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


def _plain(ax):
    ax.set_xticks([])
    ax.set_yticks([])


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


class _NetworkPanels:
    """The output and every hidden unit of an MLP, as images on one figure.

    Used for the hidden-unit figure and, with new weights per frame, for the
    training animation.
    """

    def __init__(self, estimator, X, y, resolution, dpi, width=2.0):
        # A shallow copy: frames assign new coefs_ lists to it, never in place.
        self.estimator = copy.copy(estimator)
        self.X, self.y = X, y
        xx, _, self.grid, self.extent = _grid(X, resolution)
        self.shape = xx.shape
        sizes = list(estimator.hidden_layer_sizes)
        self.n_cols = max(max(sizes), 2)
        n_rows = 1 + len(sizes)
        self.fig = _figure(width * self.n_cols, width * n_rows + 0.5, dpi)
        grid = self.fig.add_gridspec(n_rows, self.n_cols)
        self.output_ax = self.fig.add_subplot(grid[0, 0])
        # The rest of the first row shows the training loss.
        self.loss_ax = self.fig.add_subplot(grid[0, 1:])
        self.unit_axes = [
            [self.fig.add_subplot(grid[layer + 1, unit]) for unit in range(size)]
            for layer, size in enumerate(sizes)
        ]
        self.loss_line = self.loss_marker = None

    def draw_loss(self, curve, upto=None):
        """Plot the loss curve, up to epoch ``upto`` when given."""
        from matplotlib.ticker import NullFormatter

        epochs = np.arange(1, len(curve) + 1)
        ax = self.loss_ax
        if self.loss_line is None:
            ax.plot(epochs, curve, color="0.8", lw=1)
            (self.loss_line,) = ax.plot([], [], color="C0", lw=1.5)
            (self.loss_marker,) = ax.plot([], [], "o", color="C0", ms=4)
            ax.set_yscale("log")
            ax.yaxis.set_minor_formatter(NullFormatter())
            ax.set_xlabel("epoch", fontsize=8)
            ax.set_title("training log-loss", fontsize=8)
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
        n = len(curve) if upto is None else min(upto, len(curve))
        self.loss_line.set_data(epochs[:n], curve[:n])
        if n:
            self.loss_marker.set_data([n], [curve[n - 1]])

    def _values(self):
        est = self.estimator
        P = est.predict_proba(self.grid)
        out = P[:, -1] if P.shape[1] == 2 else np.argmax(P, axis=1)
        Z = est.hidden_activations(self.grid, pre_activation=True)
        return out.reshape(self.shape), [z for z in Z]

    def draw(self, title, note_units=True):
        out, Z = self._values()
        ax = self.output_ax
        self.output = ax.imshow(
            out,
            origin="lower",
            extent=self.extent,
            aspect="auto",
            cmap="RdBu",
            vmin=0,
            vmax=1,
            alpha=0.8,
            interpolation="bilinear",
        )
        _scatter(ax, self.X, self.y, size=6, alpha=0.6)
        ax.set_title("network output P(class 1)", fontsize=8)
        _plain(ax)
        self.unit_images = []
        for layer, axes in enumerate(self.unit_axes):
            for unit, ax in enumerate(axes):
                # Red where the unit's pre-activation is negative, blue where
                # positive: the line between is the unit's own boundary.
                z = self._unit(Z, layer, unit)
                image = ax.imshow(
                    z,
                    origin="lower",
                    extent=self.extent,
                    aspect="auto",
                    cmap="RdBu",
                    vmin=-1,
                    vmax=1,
                    alpha=0.8,
                    interpolation="bilinear",
                )
                _scatter(ax, self.X, self.y, size=4, alpha=0.35)
                if note_units:
                    ax.set_title(f"layer {layer + 1}, unit {unit + 1}", fontsize=8)
                _plain(ax)
                self.unit_images.append(image)
        self.title = self.fig.suptitle(title, fontsize=10)
        self.fig.tight_layout(rect=(0, 0, 1, 0.97))

    def _unit(self, Z, layer, unit):
        """One unit's pre-activation on the grid, squashed into (-1, 1)."""
        scale = max(float(np.std(Z[layer])), 1e-12)
        return np.tanh(Z[layer][:, unit].reshape(self.shape) / scale)

    def update(self, coefs, intercepts, title):
        self.estimator.coefs_ = [np.array(W) for W in coefs]
        self.estimator.intercepts_ = [np.array(b) for b in intercepts]
        out, Z = self._values()
        self.output.set_data(out)
        k = 0
        for layer, axes in enumerate(self.unit_axes):
            for unit in range(len(axes)):
                z = self._unit(Z, layer, unit)
                self.unit_images[k].set_data(z)
                k += 1
        self.title.set_text(title)

    def rgb(self):
        canvas = self.fig.canvas
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def hidden_units(estimator, X, y, path, title="", resolution=120, dpi=90):
    """What each hidden unit computes: one panel per unit, and the output.

    Each hidden panel shows the unit's pre-activation ``Z`` over the plane
    (blue positive, red negative, squashed by ``tanh(Z / std)``); the white
    line between is the boundary that unit draws. The first panel is the
    network's output probability.

    Parameters
    ----------
    estimator : BackpropMLPClassifier
        Fitted on two features, binary target.
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,)
    path : str
        PNG file to write.
    title : str, default=""
    resolution : int, default=120
    dpi : int, default=90

    Returns
    -------
    path : str
    """
    panels = _NetworkPanels(estimator, X, y, resolution, dpi)
    panels.draw_loss(estimator.loss_curve_)
    panels.draw(title or "hidden units")
    panels.fig.savefig(path)
    return path


def training_animation(
    estimator,
    snapshots,
    X,
    y,
    path,
    title="",
    resolution=60,
    dpi=72,
    duration=120,
    colors=64,
):
    """A GIF of the output and the hidden units through training.

    Parameters
    ----------
    estimator : BackpropMLPClassifier
        The fitted network (its architecture is used; the weights come from
        the snapshots).
    snapshots : WeightSnapshots
        Recorded while it trained.
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,)
    path : str
        GIF file to write.
    title : str, default=""
    resolution : int, default=60
    dpi : int, default=72
    duration : int, default=120
        Milliseconds per frame (the last frame stays 1.5 s).
    colors : int, default=64
        Size of the GIF's palette (at most 256); fewer colours, smaller file.

    Returns
    -------
    path : str
    """
    from PIL import Image

    panels = _NetworkPanels(estimator, X, y, resolution, dpi, width=2.0)
    frames = []
    for epoch, coefs, intercepts, loss in zip(
        snapshots.epochs, snapshots.coefs, snapshots.intercepts, snapshots.losses
    ):
        loss_text = "" if np.isnan(loss) else f", loss {loss:.4f}"
        label = f"{title}epoch {epoch}{loss_text}"
        panels.draw_loss(estimator.loss_curve_, upto=epoch)
        if not frames:
            panels.estimator.coefs_ = [np.array(W) for W in coefs]
            panels.estimator.intercepts_ = [np.array(b) for b in intercepts]
            panels.draw(label, note_units=False)
        else:
            panels.update(coefs, intercepts, label)
        frames.append(Image.fromarray(panels.rgb()))
    palette = frames[-1].quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
    frames = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    durations = [duration] * (len(frames) - 1) + [1500]
    frames[0].save(
        path,
        save_all=True,
        append_images=frames[1:],
        loop=0,
        duration=durations,
        optimize=False,
    )
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
            "Hidden units after training: each unit's pre-activation "
            "(blue > 0 > red); white is the line that unit draws.",
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
