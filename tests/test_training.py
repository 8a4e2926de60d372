"""The training loops, their state and the divergence guard."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning

from skmlp import BackpropMLPClassifier
from skmlp._training import (
    TrainingSettings,
    TrainingState,
    _DivergenceGuard,
    fit_lbfgs,
    fit_stochastic,
)
from skmlp.optimizers import SGD

X, y = make_moons(100, noise=0.2, random_state=0)


class Watch:
    """Copies the estimator's history attributes at every epoch's end."""

    def __init__(self):
        self.seen = []

    def __call__(self, estimator, record):
        scores = estimator.validation_scores_
        self.seen.append(
            {
                "epoch": record["epoch"],
                "n_iter_": estimator.n_iter_,
                "t_": estimator.t_,
                "loss_": estimator.loss_,
                "curve": list(estimator.loss_curve_),
                "best_loss_": estimator.best_loss_,
                "scores": None if scores is None else list(scores),
                "best_validation_score_": estimator.best_validation_score_,
            }
        )


@pytest.mark.parametrize(
    "params",
    [
        dict(solver="sgd", batch_size=100),  # full batch: an epoch is one step
        dict(solver="adam", batch_size=30),
        dict(solver="adam", batch_size=30, early_stopping=True),
        dict(solver="lbfgs"),
    ],
    ids=["sgd-full-batch", "adam", "adam-early-stopping", "lbfgs"],
)
def test_callbacks_see_the_attributes_of_the_epoch_that_ended(params):
    watch = Watch()
    clf = BackpropMLPClassifier(
        (5,), max_iter=6, tol=0, random_state=0, callbacks=[watch], **params
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    curve = clf.loss_curve_
    n_train = 90 if clf.early_stopping else 100
    assert [seen["epoch"] for seen in watch.seen] == list(range(1, 7))
    for k, seen in enumerate(watch.seen, start=1):
        assert seen["n_iter_"] == k and seen["curve"] == curve[:k]
        assert seen["loss_"] == curve[k - 1]
        if clf.solver == "lbfgs":
            continue
        assert seen["t_"] == k * n_train
        if clf.early_stopping:
            assert seen["scores"] == clf.validation_scores_[:k]
            assert seen["best_validation_score_"] == max(seen["scores"])
            assert seen["best_loss_"] is None
        else:
            assert seen["best_loss_"] == min(curve[:k])


@pytest.mark.parametrize("solver", ["sgd", "lbfgs"])
def test_the_loops_train_a_network_without_an_estimator(solver):
    """A state, a network and settings are all a loop needs."""
    params = dict(solver=solver, max_iter=5, tol=0, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = BackpropMLPClassifier((4,), **params).fit(X, y)
        net, Xc, Y, _, sw, rng = BackpropMLPClassifier((4,), **params)._prepare(
            X, y, None, incremental=False
        )
        state = TrainingState.start(net.params, early_stopping=False)
        settings = TrainingSettings(alpha=1e-4, max_iter=5, tol=0, batch_size=100)
        if solver == "sgd":
            optimizer = SGD(net.params.size, learning_rate_init=0.001)
            interrupted = fit_stochastic(
                state, net, optimizer, (Xc, Y, sw), settings, rng
            )
        else:
            interrupted = fit_lbfgs(state, net, (Xc, Y, sw), settings)
    assert not interrupted
    assert state.loss_curve == clf.loss_curve_ and state.n_iter == clf.n_iter_
    assert (state.t, state.loss, state.best_loss) == (clf.t_, clf.loss_, clf.best_loss_)
    np.testing.assert_array_equal(net.params, clf._network.params)


def _state(losses):
    state = TrainingState()
    for loss in losses:
        state.end_epoch(loss, n_samples=1)
    return state


def test_guard_checks_the_weights_every_kth_epoch_and_at_the_last():
    params = np.array([1.0, np.nan])
    guard = _DivergenceGuard(0.5, params, weights_every=8)
    assert not guard.check(_state([1.0] * 3), last=False)
    with pytest.warns(ConvergenceWarning, match="a weight became infinite or NaN"):
        assert guard.check(_state([1.0] * 3), last=True)
    with pytest.warns(ConvergenceWarning, match="by epoch 8"):
        assert guard.check(_state([1.0] * 8), last=False)


def test_guard_stops_on_a_non_finite_loss_and_warns_once_of_growth():
    guard = _DivergenceGuard(0.5, np.zeros(2))
    with pytest.warns(ConvergenceWarning, match="grew from 1 to 20 by epoch 2"):
        assert not guard.check(_state([1.0, 20.0]), last=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not guard.check(_state([1.0, 20.0, 30.0]), last=False)
    with pytest.warns(ConvergenceWarning, match="the loss became inf at epoch 4"):
        assert guard.check(_state([1.0, 20.0, 30.0, np.inf]), last=False)
