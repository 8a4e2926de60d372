"""TrainingAnimation: the decision boundary (and hidden units) over the epochs."""

import copy

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
    _check_classifier,
    _check_fitted,
    _check_int,
    _check_not_multilabel,
    _Frame,
    _grid,
    _hidden_layers,
    _network_frame,
    _plane,
    _unit_labels,
)

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
    if not epochs:
        raise ValueError(
            "snapshots holds no snapshot: no fit has used this WeightSnapshots "
            "object. An estimator records into the callbacks of its own "
            "callbacks parameter, and a clone of it (GridSearchCV, "
            "cross_validate) into copies of them: pass the fitted estimator's "
            "own, e.g. search.best_estimator_.callbacks[i]."
        )
    if not (len(epochs) == len(coefs) == len(intercepts)):
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
    scatters_ : list of matplotlib.collections.PathCollection or None
        The points on each panel.
    legend_ : matplotlib.legend.Legend
        The classes' colours and the decision boundary: below the panels on
        a figure with constrained layout (as made with ``ax=None``), else on
        the last panel.
    colorbars_ : list of matplotlib.colorbar.Colorbar
        P(class 1) of a binary problem, and the unit panels' key (off,
        z = 0, on).
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
        _check_classifier(estimator, "TrainingAnimation")
        X, columns = _plane(X)
        _check_fitted(estimator, display="TrainingAnimation")
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
        from ..callbacks import WeightSnapshots

        _check_classifier(estimator, "TrainingAnimation")
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
            np.asarray(self.classes),
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
        self.legend_ = panels.legend
        self.colorbars_ = panels.colorbars
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

    def save(
        self, filename, *, fps=None, dpi=None, writer=None, colors=64, **savefig_kwargs
    ):
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
        colors : int or None, default=64
            For a GIF written by the default writer: the size of one palette
            shared by every frame (2 to 256), taken from the first, middle and
            last frames, without dithering. Plots are mostly flat colour, and
            one shared palette of 64 makes the file about half the size of
            Pillow's own palette per frame; None keeps Pillow's.
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
        >>> len(Image.open(path).getpalette()) // 3 <= 64
        True
        """
        from matplotlib import animation, rc_context, rcParams

        fps = 1000.0 / self.interval_ if fps is None else fps
        if colors is not None and not (
            isinstance(colors, (int, np.integer)) and 2 <= colors <= 256
        ):
            raise ValueError(
                f"colors must be an integer from 2 to 256 or None, got {colors!r}"
            )
        if writer is None:
            gif = str(filename).lower().endswith(".gif")
            if gif and colors is not None:
                writer = _shared_palette_writer(fps, int(colors))
            else:
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


def _shared_palette_writer(fps, colors):
    """A PillowWriter whose GIF frames share one palette of ``colors`` colours."""
    from matplotlib.animation import PillowWriter
    from PIL import Image

    class SharedPaletteWriter(PillowWriter):
        def finish(self):
            frames = [frame.convert("RGB") for frame in self._frames]
            # The palette comes from the first, middle and last frames side by
            # side: the colours of the start, the change and the end.
            picks = [frames[0], frames[len(frames) // 2], frames[-1]]
            width, height = picks[0].size
            sample = Image.new("RGB", (width * len(picks), height))
            for k, frame in enumerate(picks):
                sample.paste(frame, (k * width, 0))
            palette = sample.quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
            frames = [
                frame.quantize(palette=palette, dither=Image.Dither.NONE)
                for frame in frames
            ]
            frames[0].save(
                self.outfile,
                save_all=True,
                append_images=frames[1:],
                duration=int(1000 / self.fps),
                loop=0,
            )

    return SharedPaletteWriter(fps=fps)
