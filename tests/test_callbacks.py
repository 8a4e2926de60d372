"""skmlp's own callbacks: stopping, snapshots, hooks."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning

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
