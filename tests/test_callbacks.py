"""skmlp's own callbacks: stopping, snapshots, hooks."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from skmlp import BackpropMLPClassifier
from skmlp.callbacks import Callback, StopWhenLossBelow, WeightSnapshots

X, Y = make_moons(100, noise=0.1, random_state=0)


@pytest.mark.parametrize("solver", ["sgd", "lbfgs"])
def test_stop_when_loss_below(solver):
    clf = BackpropMLPClassifier(
        (8,),
        "tanh",
        solver=solver,
        learning_rate_init=0.5,
        momentum=0.0,
        max_iter=2000,
        tol=0,
        callbacks=[StopWhenLossBelow(0.2)],
        random_state=0,
    )
    clf.fit(X, Y)
    assert clf.loss_curve_[-1] < 0.2 <= clf.loss_curve_[-2]
    assert clf.n_iter_ == len(clf.loss_curve_)


def test_weight_snapshots_record_every_k_epochs():
    snaps = WeightSnapshots(every=3)
    clf = BackpropMLPClassifier(
        (4,), max_iter=10, tol=0, callbacks=[snaps], random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, Y)
    assert snaps.epochs == [0, 3, 6, 9]
    assert np.isnan(snaps.losses[0])
    assert snaps.losses[1:] == [clf.loss_curve_[i - 1] for i in (3, 6, 9)]
    assert [W.shape for W in snaps.coefs[0]] == [(2, 4), (4, 1)]
    # snapshots are copies, not views of the live weights
    assert not np.array_equal(snaps.coefs[0][0], clf.coefs_[0])


def test_hooks_are_called_in_order_and_see_records():
    calls = []

    class Spy(Callback):
        def on_fit_begin(self, estimator):
            calls.append("begin")

        def on_epoch_end(self, estimator, record):
            calls.append(sorted(record))

        def on_fit_end(self, estimator):
            calls.append("end")

    plain = []
    clf = BackpropMLPClassifier(
        (3,), max_iter=2, callbacks=[Spy(), lambda est, rec: plain.append(rec["epoch"])]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, Y)
    keys = ["epoch", "learning_rate", "loss", "validation_loss", "validation_score"]
    assert calls == ["begin", keys, keys, "end"]
    assert plain == [1, 2]


def _quiet(fit, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fit(*args, **kwargs)


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_weight_snapshots_start_afresh_with_each_fit(solver):
    snaps = WeightSnapshots(every=2)
    clf = BackpropMLPClassifier(
        (3,), solver=solver, max_iter=4, tol=0, callbacks=[snaps], random_state=0
    )
    _quiet(clf.fit, X, Y)
    first = [W.copy() for W in snaps.coefs[-1]]
    _quiet(clf.set_params(random_state=1).fit, X, Y)
    assert snaps.epochs == [0, 2, 4]
    assert len(snaps.coefs) == len(snaps.intercepts) == len(snaps.losses) == 3
    # The records are the second fit's: its final weights, not the first's.
    np.testing.assert_array_equal(snaps.coefs[-1][0], clf.coefs_[0])
    assert not np.array_equal(snaps.coefs[-1][0], first[0])


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_weight_snapshots_continue_through_warm_starts(solver):
    snaps = WeightSnapshots(every=2)
    clf = BackpropMLPClassifier(
        (3,),
        solver=solver,
        max_iter=4,
        tol=0,
        warm_start=True,
        callbacks=[snaps],
        random_state=0,
    )
    _quiet(clf.fit, X, Y)
    _quiet(clf.fit, X, Y)
    assert snaps.epochs == [0, 2, 4, 6, 8]
    assert len(clf.loss_curve_) == 8 and clf.n_iter_ == 4
    assert snaps.losses[1:] == [clf.loss_curve_[i - 1] for i in (2, 4, 6, 8)]


def test_weight_snapshots_restart_with_a_first_partial_fit_only():
    snaps = WeightSnapshots(every=1)
    clf = BackpropMLPClassifier((3,), callbacks=[snaps], random_state=0)
    clf.partial_fit(X, Y, classes=[0, 1])
    clf.partial_fit(X, Y)
    assert snaps.epochs == [0, 1, 2]
    _quiet(clf.set_params(max_iter=1).fit, X, Y)  # from scratch again
    assert snaps.epochs == [0, 1]


def test_cloned_estimators_record_into_their_own_callbacks():
    snaps = WeightSnapshots(every=5)
    clf = BackpropMLPClassifier((3,), max_iter=10, tol=0, callbacks=[snaps])
    search = _quiet(GridSearchCV(clf, {"alpha": [1e-4, 1e-2]}, cv=2).fit, X, Y)
    assert snaps.epochs == []  # the object passed in was never fitted
    refit = search.best_estimator_.callbacks[0]
    assert isinstance(refit, WeightSnapshots) and refit is not snaps
    assert refit.epochs == [0, 5, 10]
    np.testing.assert_array_equal(refit.coefs[-1][0], search.best_estimator_.coefs_[0])
    twin = clone(clf)
    assert twin.callbacks[0] is not snaps and twin.callbacks[0].every == 5
