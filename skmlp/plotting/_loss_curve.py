"""LossCurveDisplay: training loss and validation metrics per epoch."""

import numbers

import numpy as np

from ._draw import _single_axes
from ._grid import _check_fitted, _is_regressor

# -- LossCurveDisplay --------------------------------------------------------------


class LossCurveDisplay:
    """Training loss per epoch, validation curves, and where training ended.

    The training loss and the validation loss share the left axis; the
    validation score (accuracy for a classifier, R² for a regressor, or what
    the estimator's ``scoring`` names) is on a second axis on the right.
    Dotted vertical lines mark the epoch whose weights the model kept and, if
    it is another one, the best validation score's; a solid grey line marks
    where training stopped before ``max_iter``.

    Every curve is drawn against the epochs of ``loss_curve``, numbered from
    1. A validation curve shorter than ``loss_curve`` is taken to cover its
    *last* epochs: that is the case when validation began in a later fit
    (``warm_start=True``, with ``X_val`` or ``early_stopping=True`` only from
    then on). A validation record that ended earlier (a later fit or
    ``partial_fit`` recorded none) cannot be told apart from the attributes;
    draw it by passing the matching slice of ``loss_curve`` yourself.

    Parameters
    ----------
    loss_curve : array-like of shape (n_epochs,)
        Training loss after each epoch (each iteration for L-BFGS).
    validation_scores : array-like of shape (n_validated,), default=None
        Validation score after each of the last ``n_validated`` epochs.
    validation_loss_curve : array-like of shape (n_validated,), default=None
        Validation loss after each of the last ``n_validated`` epochs.
    xlabel : str, default="epoch"
        The x axis's label, also the word in the markers' labels
        (``"weights kept (epoch 12)"``).
    name : str, default=None
        Prefix of the legend's labels.
    score_name : str, default=None
        What the validation score is, e.g. ``"accuracy"`` or ``"R²"``: the
        score axis is labelled ``"validation score (score_name)"``.
    kept_epoch : int, default=None
        The epoch (1-based, in ``loss_curve``) whose weights the model kept:
        the best validation epoch when early stopping restored it, otherwise
        the last. None draws no such line.
    stopped_epoch : int, default=None
        The epoch (1-based, in ``loss_curve``) at which training stopped
        before ``max_iter``. None draws no such line.

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
        Vertical line at the best validation score (the first epoch that
        reached it). It is ``kept_epoch_line_`` when that is the same epoch.
    kept_epoch_line_ : matplotlib.lines.Line2D or None
        Vertical line at ``kept_epoch``, labelled ``"weights kept (epoch k)"``.
    stopped_epoch_line_ : matplotlib.lines.Line2D or None
        Vertical line at ``stopped_epoch``, labelled ``"stopped (epoch n)"``.
    legend_ : matplotlib.legend.Legend

    See Also
    --------
    LossCurveDisplay.from_estimator : Works out every argument from a fitted
        estimator.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_moons
    >>> from skmlp import BackpropMLPClassifier
    >>> from skmlp.plotting import LossCurveDisplay
    >>> X, y = make_moons(200, noise=0.3, random_state=0)
    >>> clf = BackpropMLPClassifier((16,), learning_rate_init=0.02, max_iter=100,
    ...                             early_stopping=True, random_state=0).fit(X, y)
    >>> display = LossCurveDisplay.from_estimator(clf)
    >>> clf.n_iter_
    21
    >>> for text in display.legend_.get_texts():
    ...     print(text.get_text())
    training loss
    validation loss
    validation score
    weights kept (epoch 10)
    stopped (epoch 21)

    Drawn from the curves alone:

    >>> display = LossCurveDisplay([0.7, 0.4, 0.3, 0.25],
    ...                            validation_scores=[0.5, 0.8, 0.7, 0.75],
    ...                            kept_epoch=4).plot()
    >>> for text in display.legend_.get_texts():
    ...     print(text.get_text())
    training loss
    validation score
    best validation score (epoch 2)
    weights kept (epoch 4)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """

    def __init__(
        self,
        loss_curve,
        *,
        validation_scores=None,
        validation_loss_curve=None,
        xlabel="epoch",
        name=None,
        score_name=None,
        kept_epoch=None,
        stopped_epoch=None,
    ):
        self.loss_curve = loss_curve
        self.validation_scores = validation_scores
        self.validation_loss_curve = validation_loss_curve
        self.xlabel = xlabel
        self.name = name
        self.score_name = score_name
        self.kept_epoch = kept_epoch
        self.stopped_epoch = stopped_epoch

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, log_scale=False, name=None):
        """Plot a fitted estimator's ``loss_curve_`` and validation curves.

        Works with any fitted estimator with a ``loss_curve_``: skmlp's
        classifier and regressor, and scikit-learn's
        :class:`~sklearn.neural_network.MLPClassifier` and
        :class:`~sklearn.neural_network.MLPRegressor` (their
        ``validation_scores_`` are drawn; they have no validation loss).

        What is marked, in ``loss_curve_``'s epochs (they continue over
        warm-start fits):

        * With validation curves (``early_stopping=True``, or ``fit``'s
          ``X_val`` and ``y_val``), the epoch whose weights the model kept:
          the best validation score's when early stopping restored it
          (``early_stopping=True`` and a stochastic solver), otherwise the
          last epoch; and the best validation score's epoch if that is
          another one.
        * The last epoch, as ``"stopped"``, when the last fit of a stochastic
          solver ended before ``max_iter`` after more than
          ``n_iter_no_change`` epochs: no improvement of ``tol`` for
          ``n_iter_no_change`` epochs in a row (of the validation score with
          early stopping, of the training loss without), or a callback
          stopped it. L-BFGS is never marked: it stops when it converges.

        The score axis is named after the estimator's ``scoring``: None is
        accuracy (a classifier) or R² (a regressor), ``"loss"`` the negative
        validation loss, a scorer's name itself, a callable its ``__name__``
        (else ``"custom score"``).

        Parameters
        ----------
        estimator : BackpropMLPClassifier or BackpropMLPRegressor
            Fitted; or scikit-learn's ``MLPClassifier`` or ``MLPRegressor``.
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

        A validation set of your own without early stopping is only watched:
        the model keeps its last epoch, and the best one is marked too.
        ``scoring="loss"`` monitors the validation loss, whose negative is the
        score:

        >>> from sklearn.datasets import make_moons
        >>> X, y = make_moons(100, noise=0.35, random_state=0)
        >>> X_val, y_val = make_moons(200, noise=0.35, random_state=1)
        >>> clf = BackpropMLPClassifier((32,), learning_rate_init=0.05,
        ...                             max_iter=300, scoring="loss",
        ...                             random_state=0)
        >>> clf = clf.fit(X, y, X_val=X_val, y_val=y_val)
        >>> display = LossCurveDisplay.from_estimator(clf)
        >>> display.score_ax_.get_ylabel()
        'validation score (negative loss)'
        >>> for text in display.legend_.get_texts()[2:]:
        ...     print(text.get_text())
        validation score
        best validation score (epoch 56)
        weights kept (epoch 299)
        stopped (epoch 299)

        A regressor's validation score is its R²:

        >>> import numpy as np
        >>> from skmlp import BackpropMLPRegressor
        >>> X = np.linspace(-2, 2, 200).reshape(-1, 1)
        >>> reg = BackpropMLPRegressor(hidden_layer_sizes=(8,), max_iter=300,
        ...                            learning_rate_init=0.01, early_stopping=True,
        ...                            random_state=0)
        >>> reg = reg.fit(X, np.sin(2 * X[:, 0]))
        >>> display = LossCurveDisplay.from_estimator(reg)
        >>> display.score_ax_.get_ylabel()
        'validation score (R²)'
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        _check_fitted(estimator)
        loss_curve = getattr(estimator, "loss_curve_", None)
        if loss_curve is None or len(loss_curve) == 0:
            raise ValueError(f"{type(estimator).__name__} has no loss_curve_ to plot")
        scores = getattr(estimator, "validation_scores_", None)
        kept_epoch, stopped_epoch = _kept_and_stopped(
            estimator, len(loss_curve), scores
        )
        display = cls(
            loss_curve,
            validation_scores=scores,
            validation_loss_curve=getattr(estimator, "validation_loss_curve_", None),
            xlabel="iteration" if _solver(estimator) == "lbfgs" else "epoch",
            name=name,
            score_name=_score_name(estimator),
            kept_epoch=kept_epoch,
            stopped_epoch=stopped_epoch,
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

        Validation that began later is drawn against the last epochs:

        >>> display = LossCurveDisplay([0.9, 0.7, 0.4, 0.3],
        ...                            validation_scores=[0.8, 0.7],
        ...                            kept_epoch=3, stopped_epoch=4).plot()
        >>> display.validation_score_line_.get_xdata()
        array([3, 4])
        >>> display.kept_epoch_line_ is display.best_epoch_line_
        True
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        from matplotlib.ticker import MaxNLocator

        kept = _epoch("kept_epoch", self.kept_epoch)
        stopped = _epoch("stopped_epoch", self.stopped_epoch)
        ax, fig = _single_axes(ax, figsize=(6.0, 3.8))
        prefix = f"{self.name}: " if self.name else ""
        loss = np.asarray(self.loss_curve, dtype=np.float64)
        n_epochs = len(loss)
        # No fixed colour: on axes that already show another display's curves
        # the next colour of the cycle tells the two apart. Validation curves
        # share their training curve's colour, told apart by line style.
        (self.line_,) = ax.plot(
            np.arange(1, n_epochs + 1), loss, label=prefix + "training loss"
        )
        color = self.line_.get_color()
        self.validation_loss_line_ = None
        val_loss = _values(self.validation_loss_curve)
        if val_loss is not None:
            (self.validation_loss_line_,) = ax.plot(
                _last_epochs(n_epochs, len(val_loss)),
                val_loss,
                color=color,
                linestyle="-.",
                label=prefix + "validation loss",
            )
        self.score_ax_ = self.validation_score_line_ = None
        best = None
        scores = _values(self.validation_scores)
        if scores is not None:
            self.score_ax_ = ax.twinx()
            x = _last_epochs(n_epochs, len(scores))
            (self.validation_score_line_,) = self.score_ax_.plot(
                x,
                scores,
                color=color,
                linestyle="--",
                label=prefix + "validation score",
            )
            self.score_ax_.set_ylabel(
                f"validation score ({self.score_name})"
                if self.score_name
                else "validation score"
            )
            if not np.isnan(scores).all():
                best = int(x[np.nanargmax(scores)])
        word = self.xlabel
        markers = []
        self.kept_epoch_line_ = self.best_epoch_line_ = None
        self.stopped_epoch_line_ = None
        if best is not None and best != kept:
            self.best_epoch_line_ = ax.axvline(
                best,
                color="0.65",
                linestyle=":",
                label=f"{prefix}best validation score ({word} {best})",
            )
            markers.append(self.best_epoch_line_)
        if kept is not None:
            self.kept_epoch_line_ = ax.axvline(
                kept,
                color="0.3",
                linestyle=":",
                label=f"{prefix}weights kept ({word} {kept})",
            )
            markers.append(self.kept_epoch_line_)
            if best == kept:
                self.best_epoch_line_ = self.kept_epoch_line_
        if stopped is not None:
            self.stopped_epoch_line_ = ax.axvline(
                stopped,
                color="0.5",
                linewidth=1.0,
                label=f"{prefix}stopped ({word} {stopped})",
            )
            markers.append(self.stopped_epoch_line_)
        if log_scale:
            ax.set_yscale("log")
        ax.set_xlabel(self.xlabel)
        ax.set_ylabel("loss")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole
        for marker in markers:
            marker.set_gid(_MARKER)
        # Every labelled curve on these axes, also those of displays drawn
        # before on the same axes (their scores are on their own twin axes),
        # above the axes so the curves fill the plot: the losses first, then
        # the scores, then the vertical markers.
        handles = ax.get_legend_handles_labels()[0]
        twins = ax.get_shared_x_axes().get_siblings(ax)
        for other in fig.axes:
            if other is not ax and other in twins:
                handles += other.get_legend_handles_labels()[0]
        self.legend_ = ax.legend(
            handles=sorted(handles, key=lambda h: _legend_rank(h, ax)),
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=2,
            frameon=False,
            fontsize=9,
        )
        self.figure_, self.ax_ = fig, ax
        return self


_MARKER = "skmlp-loss-curve-marker"


def _legend_rank(handle, ax):
    """Losses (0) before scores (1, on twin axes) before markers (2)."""
    if handle.get_gid() == _MARKER:
        return 2
    return 0 if handle.axes is ax else 1


def _values(curve):
    """A curve as a float array, or None when there is none to draw."""
    if curve is None or len(curve) == 0:
        return None
    return np.asarray(curve, dtype=np.float64)


def _last_epochs(n_epochs, n_values):
    """The epochs of the last ``n_values`` entries of a curve of ``n_epochs``."""
    return np.arange(1, n_values + 1) + max(n_epochs - n_values, 0)


def _epoch(name, value):
    """``value`` as an int, or None; a TypeError names anything else."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int (an epoch, from 1), got {value!r}")
    return int(value)


def _solver(estimator):
    return getattr(estimator, "solver", None)


def _kept_and_stopped(estimator, n_epochs, scores):
    """``(kept_epoch, stopped_epoch)`` of a fitted estimator, in loss_curve_'s epochs.

    The kept epoch is only worked out when there are validation scores to
    compare it with: the best score's (the first epoch that reached it, as
    the estimators keep) when early stopping restored it, else the last.
    """
    stochastic = _solver(estimator) != "lbfgs"
    kept = None
    if scores is not None and len(scores):
        scores = np.asarray(scores, dtype=np.float64)
        restored = stochastic and bool(getattr(estimator, "early_stopping", False))
        if not restored:
            kept = n_epochs
        elif not np.isnan(scores).all():
            kept = n_epochs - len(scores) + int(np.nanargmax(scores)) + 1
    stopped = None
    n_iter = getattr(estimator, "n_iter_", None)
    max_iter = getattr(estimator, "max_iter", None)
    patience = getattr(estimator, "n_iter_no_change", None)
    if (
        stochastic
        and n_iter is not None
        and max_iter is not None
        and patience is not None
        and patience < n_iter < max_iter
    ):
        # More epochs than the patience: a fit stopped by its rule, not one
        # partial_fit epoch (n_iter_ is 1 after partial_fit).
        stopped = n_epochs
    return kept, stopped


def _score_name(estimator):
    """What ``validation_scores_`` holds, from the estimator's ``scoring``."""
    scoring = getattr(estimator, "scoring", None)
    if isinstance(scoring, str):
        return "negative loss" if scoring == "loss" else scoring
    if scoring is not None:
        return getattr(scoring, "__name__", None) or "custom score"
    # scikit-learn's ``score``, also that of MLPClassifier and MLPRegressor.
    if _is_regressor(estimator):
        return "R²"
    return "accuracy" if hasattr(estimator, "classes_") else None
