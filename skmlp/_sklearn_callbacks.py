"""Glue to scikit-learn's callback API (``sklearn.callback``, scikit-learn >= 1.9).

With an older scikit-learn the mixin and decorator are inert stand-ins: the
estimator works the same, only without ``set_callbacks``.
"""

try:
    from sklearn.callback import CallbackSupportMixin, with_callbacks

    HAVE_SKLEARN_CALLBACKS = True
except ImportError:  # scikit-learn < 1.9
    HAVE_SKLEARN_CALLBACKS = False

    class CallbackSupportMixin:
        """Stand-in: scikit-learn's callback API is not available."""

    def with_callbacks(method):
        """Stand-in: return the method unchanged."""
        return method


__all__ = ["CallbackSupportMixin", "with_callbacks", "FitReporter"]


class FitReporter:
    """Report one fit and each of its epochs as tasks to sklearn's callbacks.

    The fit is the root task with one sub-task per epoch (per L-BFGS iteration),
    so ``ProgressBar`` shows a bar that advances every epoch and ``ScoringMonitor``
    can score the model as it was at the end of each epoch.

    Parameters
    ----------
    estimator : BackpropMLPClassifier
    n_epochs : int
        The most epochs this fit can run.
    X, y : arrays
        The training data, passed to the callbacks' hooks.
    """

    def __init__(self, estimator, n_epochs, X, y):
        self.estimator, self.X, self.y = estimator, X, y
        self.context = None
        if HAVE_SKLEARN_CALLBACKS:
            self.context = estimator._init_callback_context(max_subtasks=n_epochs)
            self.context.call_on_fit_task_begin(estimator=estimator, X=X, y=y)

    @property
    def listening(self):
        """Whether any of sklearn's callbacks listens to this fit's epochs."""
        return self.context is not None and bool(
            getattr(self.context, "_callbacks", True)
        )

    def __call__(self, estimator, record):
        """End-of-epoch hook in skmlp's callback protocol; True stops training."""
        if not self.listening:
            return False  # no callback listens: skip building the epoch's task
        task = self.context.subcontext(task_name=f"epoch {record['epoch']}")
        task.call_on_fit_task_begin(estimator=estimator, X=self.X, y=self.y)
        return task.call_on_fit_task_end(
            estimator=estimator,
            X=self.X,
            y=self.y,
            reconstruction_attributes=estimator._reconstruction_attributes,
        )

    def finish(self):
        """Close the root task."""
        if self.context is not None:
            self.context.call_on_fit_task_end(
                estimator=self.estimator,
                X=self.X,
                y=self.y,
                reconstruction_attributes=self.estimator._reconstruction_attributes,
            )
