"""scikit-learn's callback API (sklearn.callback): one task per epoch."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import BackpropMLPClassifier

callback = pytest.importorskip("sklearn.callback")  # scikit-learn >= 1.9

X, Y = make_moons(100, noise=0.2, random_state=0)


class Recorder:
    """A FitCallback that records its hooks and can stop training."""

    def __init__(self, stop_after=None):
        self.stop_after = stop_after
        self.events = []
        self.accuracies = []
        self.weights = []

    def setup(self, estimator, context):
        self.events.append("setup")

    def on_fit_task_begin(self, estimator, context):
        self.events.append(("begin", context.task_name))

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        self.events.append(("end", context.task_name))
        if context.task_name.startswith("epoch"):
            self.accuracies.append(fitted_estimator.score(X, Y))
            self.weights.append(fitted_estimator.coefs_[0].copy())
            n_epochs = len(self.accuracies)
            return self.stop_after is not None and n_epochs >= self.stop_after
        return False

    def teardown(self, estimator, context):
        self.events.append("teardown")


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_one_task_per_epoch(solver):
    rec = Recorder()
    clf = BackpropMLPClassifier((5,), solver=solver, max_iter=7, random_state=0)
    clf.set_callbacks(rec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, Y)
    epochs = [e for e in rec.events if e[0] == "end" and e[1].startswith("epoch")]
    assert len(epochs) == clf.n_iter_ == 7
    assert rec.events[0] == "setup" and rec.events[-1] == "teardown"
    assert rec.events[1] == ("begin", "fit") and rec.events[-2] == ("end", "fit")
    # The estimator handed to the hook is frozen at that epoch.
    assert len({W.tobytes() for W in rec.weights}) == 7
    np.testing.assert_array_equal(rec.weights[-1], clf.coefs_[0])
    assert rec.accuracies[-1] == clf.score(X, Y)


def test_callback_can_stop_training():
    rec = Recorder(stop_after=3)
    clf = BackpropMLPClassifier((5,), max_iter=50, random_state=0).set_callbacks(rec)
    clf.fit(X, Y)
    assert clf.n_iter_ == 3 and len(clf.loss_curve_) == 3


def test_progress_bar_in_pipeline_and_grid_search():
    pytest.importorskip("rich")
    clf = BackpropMLPClassifier((5,), max_iter=5, random_state=0)
    clf.set_callbacks(callback.ProgressBar())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, Y)
        pipe = make_pipeline(StandardScaler(), BackpropMLPClassifier((5,), max_iter=5))
        pipe.set_callbacks(callback.ProgressBar())
        pipe.fit(X, Y)
        fresh = make_pipeline(StandardScaler(), BackpropMLPClassifier((5,), max_iter=5))
        search = GridSearchCV(fresh, {"backpropmlpclassifier__alpha": [1e-4, 1e-2]})
        search.set_callbacks(callback.ProgressBar(max_propagation_depth=2))
        search.fit(X, Y)
    assert clf.n_iter_ == pipe[-1].n_iter_ == 5
    assert search.best_estimator_[-1].n_iter_ == 5


def test_callbacks_propagate_from_pipeline():
    rec = Recorder()
    rec.max_propagation_depth = None  # an auto-propagated callback
    pipe = make_pipeline(StandardScaler(), BackpropMLPClassifier((5,), max_iter=4))
    pipe.set_callbacks(rec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        pipe.fit(X, Y)
    epochs = [e for e in rec.events if e[0] == "end" and e[1].startswith("epoch")]
    assert len(epochs) == 4


def test_partial_fit_is_one_epoch_task():
    rec = Recorder()
    clf = BackpropMLPClassifier((5,), solver="sgd").set_callbacks(rec)
    clf.partial_fit(X, Y, classes=[0, 1])
    clf.partial_fit(X, Y)
    ends = [e for e in rec.events if e[0] == "end" and e[1].startswith("epoch")]
    assert [e[1] for e in ends] == ["epoch 1", "epoch 2"]
