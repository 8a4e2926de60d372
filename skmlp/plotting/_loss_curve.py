"""LossCurveDisplay: training loss and validation metrics per epoch."""

import numpy as np

from ._draw import _single_axes
from ._grid import _check_fitted, _is_regressor

# -- LossCurveDisplay --------------------------------------------------------------


class LossCurveDisplay:
    """Training loss per epoch and, with early stopping, validation curves.

    The training loss and the validation loss share the left axis; the
    validation score (accuracy for a classifier, R² for a regressor) is on a
    second axis on the right, with a dotted line at its best epoch, whose
    weights early stopping keeps.

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
    score_name : str, default=None
        What the validation score is, e.g. ``"accuracy"`` or ``"R²"``: the
        score axis is labelled ``"validation score (score_name)"``.

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
        score_name=None,
    ):
        self.loss_curve = loss_curve
        self.validation_scores = validation_scores
        self.validation_loss_curve = validation_loss_curve
        self.xlabel = xlabel
        self.name = name
        self.score_name = score_name

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, log_scale=False, name=None):
        """Plot a fitted estimator's ``loss_curve_`` and validation curves.

        Works with any fitted estimator with a ``loss_curve_``: skmlp's
        classifier and regressor, and scikit-learn's
        :class:`~sklearn.neural_network.MLPClassifier` and
        :class:`~sklearn.neural_network.MLPRegressor` (their
        ``validation_scores_`` are drawn; they have no validation loss).

        Parameters
        ----------
        estimator : BackpropMLPClassifier or BackpropMLPRegressor
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
        >>> import matplotlib.pyplot as plt; plt.close(display.figure_)
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
            score_name=_score_name(estimator),
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
        # No fixed colour: on axes that already show another display's curves
        # the next colour of the cycle tells the two apart. Validation curves
        # share their training curve's colour, told apart by line style.
        (self.line_,) = ax.plot(epochs, loss, label=prefix + "training loss")
        color = self.line_.get_color()
        self.validation_loss_line_ = None
        if self.validation_loss_curve is not None and len(self.validation_loss_curve):
            val_loss = np.asarray(self.validation_loss_curve, dtype=np.float64)
            (self.validation_loss_line_,) = ax.plot(
                np.arange(1, len(val_loss) + 1),
                val_loss,
                color=color,
                linestyle="-.",
                label=prefix + "validation loss",
            )
        self.score_ax_ = self.validation_score_line_ = self.best_epoch_line_ = None
        score_handles = []
        if self.validation_scores is not None and len(self.validation_scores):
            scores = np.asarray(self.validation_scores, dtype=np.float64)
            self.score_ax_ = ax.twinx()
            (self.validation_score_line_,) = self.score_ax_.plot(
                np.arange(1, len(scores) + 1),
                scores,
                color=color,
                linestyle="--",
                label=prefix + "validation score",
            )
            best = int(np.nanargmax(scores)) + 1
            self.best_epoch_line_ = ax.axvline(
                best,
                color="0.4",
                linestyle=":",
                label=f"{prefix}best validation score (epoch {best})",
            )
            self.score_ax_.set_ylabel(
                f"validation score ({self.score_name})"
                if self.score_name
                else "validation score"
            )
            score_handles = [self.validation_score_line_]
        if log_scale:
            ax.set_yscale("log")
        ax.set_xlabel(self.xlabel)
        ax.set_ylabel("loss")
        # Every labelled curve on these axes, also those of displays drawn
        # before on the same axes, above the axes so the curves fill the plot.
        handles = [h for h in ax.get_legend_handles_labels()[0] if h is not None]
        if self.best_epoch_line_ is not None:
            handles.remove(self.best_epoch_line_)
            handles += score_handles + [self.best_epoch_line_]
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


def _score_name(estimator):
    """What ``validation_scores_`` holds: scikit-learn's ``score``."""
    if _is_regressor(estimator):
        return "R²"
    return "accuracy" if hasattr(estimator, "classes_") else None
