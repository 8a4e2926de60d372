"""Callbacks: code that runs after every epoch and may stop training.

A callback is a :class:`Callback` (or any callable taking ``(estimator, record)``)
passed in the estimator's ``callbacks`` parameter. After each epoch (each L-BFGS
iteration) it receives the estimator and a record of that epoch; returning
``True`` stops training cleanly, keeping the weights reached so far.

A callback that keeps records starts afresh whenever training starts from
scratch (``fit``, or the first ``partial_fit``) and continues through
``partial_fit`` and ``warm_start`` fits, as ``loss_curve_`` does. Cloning an
estimator (as ``GridSearchCV`` and ``cross_validate`` do) copies its callbacks:
each fitted clone records into its own copies, found in its ``callbacks``
parameter (``search.best_estimator_.callbacks``), and the objects you passed
stay as they were.

Examples
--------
Stop as soon as the training loss falls below 0.3:

>>> from sklearn.datasets import make_moons
>>> from skmlp import BackpropMLPClassifier
>>> from skmlp.callbacks import StopWhenLossBelow
>>> X, y = make_moons(200, noise=0.1, random_state=0)
>>> clf = BackpropMLPClassifier(
...     (8,), solver="sgd", learning_rate_init=0.5, momentum=0.0, max_iter=500,
...     callbacks=[StopWhenLossBelow(0.3)], random_state=0).fit(X, y)
>>> bool(clf.loss_ < 0.3 and clf.n_iter_ < 500)
True
"""

import numpy as np

__all__ = ["Callback", "StopWhenLossBelow", "WeightSnapshots"]


class Callback:
    """Base class of training callbacks.

    Override any of the three hooks. ``on_epoch_end`` returning ``True`` stops
    training.

    Examples
    --------
    >>> from skmlp.callbacks import Callback
    >>> class PrintLoss(Callback):
    ...     def on_epoch_end(self, estimator, record):
    ...         print(record["epoch"], round(record["loss"], 2))
    """

    def on_fit_begin(self, estimator):
        """Called before the first epoch of ``fit`` or ``partial_fit``.

        Training starts from scratch when ``estimator.loss_curve_`` is empty
        here: a callback that keeps records clears them then.

        Parameters
        ----------
        estimator : BackpropMLPClassifier
        """

    def on_epoch_end(self, estimator, record):
        """Called after every epoch (every L-BFGS iteration).

        Parameters
        ----------
        estimator : BackpropMLPClassifier
            Its ``coefs_`` and ``intercepts_`` hold the current weights.
        record : dict
            ``epoch`` (this epoch's 1-based position in ``loss_curve_``: it
            counts from the start of training from scratch and continues
            through ``partial_fit`` and ``warm_start`` fits), ``loss``,
            ``validation_score`` and ``validation_loss`` (None without early
            stopping), ``learning_rate`` (None for L-BFGS).

        Returns
        -------
        stop : bool or None
            ``True`` to stop training after this epoch.
        """

    def on_fit_end(self, estimator):
        """Called when training ends, however it ends.

        Parameters
        ----------
        estimator : BackpropMLPClassifier
        """

    def __call__(self, estimator, record):
        return self.on_epoch_end(estimator, record)


class StopWhenLossBelow(Callback):
    """Stop training once the training loss is below a threshold.

    Parameters
    ----------
    threshold : float

    Examples
    --------
    >>> from skmlp.callbacks import StopWhenLossBelow
    >>> StopWhenLossBelow(0.005).on_epoch_end(None, {"loss": 0.004})
    True
    """

    def __init__(self, threshold):
        self.threshold = threshold

    def on_epoch_end(self, estimator, record):
        return bool(record["loss"] < self.threshold)

    def __repr__(self):
        return f"StopWhenLossBelow(threshold={self.threshold!r})"


class WeightSnapshots(Callback):
    """Record copies of the weights every ``every`` epochs.

    When training starts from scratch (``fit``, or the first ``partial_fit``)
    the records are cleared and the initial weights recorded as epoch 0; later
    ``partial_fit`` calls and ``warm_start`` fits add to them. An estimator
    cloned by a model selection tool records into its own copy of this
    object, not into this one (see :mod:`skmlp.callbacks`).

    Parameters
    ----------
    every : int, default=1

    Attributes
    ----------
    epochs : list of int
    coefs : list of list of ndarray
    intercepts : list of list of ndarray
    losses : list of float
        Training loss at each snapshot (NaN for epoch 0).

    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> from skmlp import BackpropMLPClassifier
    >>> from skmlp.callbacks import WeightSnapshots
    >>> X, y = make_moons(100, random_state=0)
    >>> snaps = WeightSnapshots(every=5)
    >>> clf = BackpropMLPClassifier((3,), max_iter=10, n_iter_no_change=2,
    ...                             callbacks=[snaps], random_state=0)
    >>> _ = clf.partial_fit(X, y, classes=[0, 1])
    >>> for _ in range(9):
    ...     _ = clf.partial_fit(X, y)
    >>> snaps.epochs
    [0, 5, 10]
    """

    def __init__(self, every=1):
        self.every = every
        self.epochs = []
        self.coefs = []
        self.intercepts = []
        self.losses = []

    def _record(self, estimator, epoch, loss):
        self.epochs.append(epoch)
        self.coefs.append([np.array(W, copy=True) for W in estimator.coefs_])
        self.intercepts.append([np.array(b, copy=True) for b in estimator.intercepts_])
        self.losses.append(loss)

    def on_fit_begin(self, estimator):
        if not estimator.loss_curve_:
            self.epochs, self.coefs, self.intercepts, self.losses = [], [], [], []
            self._record(estimator, 0, float("nan"))

    def on_epoch_end(self, estimator, record):
        if record["epoch"] % self.every == 0:
            self._record(estimator, record["epoch"], record["loss"])
        return False

    def __repr__(self):
        return f"WeightSnapshots(every={self.every!r})"
