"""Nothing is lost: pickle and joblib round trips (also mid-training),
KeyboardInterrupt, early stopping's best weights."""

import pickle

import joblib
import numpy as np
import pytest
from _moons import X, Y, quiet_fit
from sklearn.datasets import make_moons
from sklearn.exceptions import NotFittedError

from skmlp import BackpropMLPClassifier, Callback
from skmlp.activations import Activation


def test_pickle_and_joblib_round_trips_mid_training(tmp_path):
    clf = BackpropMLPClassifier((5,), solver="adam", random_state=0)
    reference = BackpropMLPClassifier((5,), solver="adam", random_state=0)
    for model in (clf, reference):
        model.partial_fit(X, Y, classes=[0, 1])
        model.partial_fit(X, Y)
    joblib.dump(clf, tmp_path / "model.joblib")
    loaded = joblib.load(tmp_path / "model.joblib")
    loaded = pickle.loads(pickle.dumps(loaded))
    np.testing.assert_array_equal(loaded.predict_proba(X), reference.predict_proba(X))
    for _ in range(3):
        loaded.partial_fit(X, Y)
        reference.partial_fit(X, Y)
    np.testing.assert_array_equal(loaded.predict_proba(X), reference.predict_proba(X))
    assert loaded.loss_curve_ == reference.loss_curve_


class Interrupting(Activation):
    """tanh that raises KeyboardInterrupt on a chosen forward call."""

    def __init__(self, at_call):
        self.at_call = at_call
        self.calls = [0]

    def forward(self, Z):
        self.calls[0] += 1
        if self.calls[0] == self.at_call:
            raise KeyboardInterrupt
        return np.tanh(Z)

    def derivative(self, Z, A):
        return 1 - A**2


SOLVERS = ["sgd", "adam", "lbfgs"]
# 120 samples in batches of 40: three steps an epoch for SGD and Adam.
# Interrupting computes tanh: the references use "tanh".
INTERRUPT_PARAMS = dict(
    hidden_layer_sizes=(4,),
    activation="tanh",
    batch_size=40,
    random_state=0,
    max_iter=10,
    tol=0,
)


class CountCalls(Callback):
    """Records how many forward calls the activation had made by each epoch."""

    def __init__(self, activation):
        self.activation = activation
        self.calls_by_epoch = []

    def on_epoch_end(self, estimator, record):
        self.calls_by_epoch.append(self.activation.calls[0])


class InterruptAt(Callback):
    """Raises KeyboardInterrupt in a chosen hook, as Ctrl-C there would."""

    def __init__(self, hook, epoch=None):
        self.hook, self.epoch = hook, epoch

    def on_fit_begin(self, estimator):
        if self.hook == "on_fit_begin":
            raise KeyboardInterrupt

    def on_epoch_end(self, estimator, record):
        if self.hook == "on_epoch_end" and record["epoch"] == self.epoch:
            raise KeyboardInterrupt


def _weights(model):
    return [w.copy() for w in (*model.coefs_, *model.intercepts_)]


def _assert_same(first, second):
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("epochs_done", [1, 3])
def test_interrupt_inside_an_epoch_keeps_the_last_completed_one(solver, epochs_done):
    """Ctrl-C during the steps of an epoch (an L-BFGS iteration's line search)."""
    counting = Interrupting(at_call=0)  # never raises: counts the calls
    counter = CountCalls(counting)
    quiet_fit(
        BackpropMLPClassifier(
            **dict(INTERRUPT_PARAMS, activation=counting),
            solver=solver,
            callbacks=[counter],
        ),
        X,
        Y,
    )
    at_call = counter.calls_by_epoch[epochs_done - 1] + 1  # the next epoch's first
    reference = quiet_fit(
        BackpropMLPClassifier(
            **dict(INTERRUPT_PARAMS, max_iter=epochs_done), solver=solver
        ),
        X,
        Y,
    )
    model = BackpropMLPClassifier(
        **dict(INTERRUPT_PARAMS, activation=Interrupting(at_call)), solver=solver
    )
    with pytest.warns(
        UserWarning, match=f"last completed epoch, epoch {epochs_done} of"
    ):
        model.fit(X, Y)
    assert model.n_iter_ == epochs_done == len(model.loss_curve_)
    assert model.loss_curve_ == reference.loss_curve_
    assert model.loss_ == reference.loss_curve_[-1]
    _assert_same(_weights(model), _weights(reference))
    np.testing.assert_array_equal(model.predict(X), reference.predict(X))


@pytest.mark.parametrize("solver", SOLVERS)
def test_interrupt_between_epochs_keeps_the_completed_epoch(solver):
    """Ctrl-C while a callback runs, after the epoch's steps."""
    reference = quiet_fit(
        BackpropMLPClassifier(**dict(INTERRUPT_PARAMS, max_iter=2), solver=solver),
        X,
        Y,
    )
    model = BackpropMLPClassifier(
        **INTERRUPT_PARAMS, solver=solver, callbacks=[InterruptAt("on_epoch_end", 2)]
    )
    with pytest.warns(UserWarning, match="last completed epoch, epoch 2 of"):
        model.fit(X, Y)
    assert model.n_iter_ == 2 and model.loss_curve_ == reference.loss_curve_
    _assert_same(_weights(model), _weights(reference))


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize(
    "interrupt",
    [
        lambda: dict(activation=Interrupting(at_call=1)),  # the very first step
        lambda: dict(callbacks=[InterruptAt("on_fit_begin")]),  # before it
    ],
    ids=["first step", "before training"],
)
def test_interrupt_before_any_epoch_of_a_fresh_fit_leaves_it_unfitted(
    solver, interrupt
):
    model = BackpropMLPClassifier(**INTERRUPT_PARAMS, solver=solver)
    quiet_fit(model, X, Y)  # an earlier model, replaced by the fit below
    model.set_params(**interrupt())
    with pytest.warns(UserWarning, match="before the first epoch .* not fitted"):
        model.fit(X, Y)
    with pytest.raises(NotFittedError):
        model.predict(X)
    assert not [name for name in vars(model) if name.endswith("_")]
    # And it trains normally again.
    fresh = BackpropMLPClassifier(**INTERRUPT_PARAMS, solver=solver)
    model.set_params(activation="tanh", callbacks=None)
    _assert_same(_weights(quiet_fit(model, X, Y)), _weights(quiet_fit(fresh, X, Y)))


@pytest.mark.parametrize(
    "solver, continue_training",
    [
        ("sgd", "partial_fit"),
        ("adam", "partial_fit"),
        ("adam", "warm_start"),
        ("lbfgs", "warm_start"),
    ],
)
def test_interrupt_when_continuing_keeps_the_previous_model(solver, continue_training):
    counting = Interrupting(at_call=0)
    params = dict(INTERRUPT_PARAMS, solver=solver, activation=counting, max_iter=3)
    model = BackpropMLPClassifier(**params)
    if continue_training == "partial_fit":
        model.partial_fit(X, Y, classes=[0, 1])
    else:
        quiet_fit(model.set_params(warm_start=True), X, Y)
    before, loss, curve = _weights(model), model.loss_, list(model.loss_curve_)
    counting.at_call = counting.calls[0] + 1  # the next step
    with pytest.warns(
        UserWarning, match=f"last completed epoch, epoch {len(curve)} of"
    ):
        if continue_training == "partial_fit":
            model.partial_fit(X, Y)
        else:
            model.fit(X, Y)
    _assert_same(_weights(model), before)
    assert model.loss_ == loss and model.loss_curve_ == curve
    # Training continues from there (a fresh optimizer for partial_fit).
    if continue_training == "partial_fit":
        model.partial_fit(X, Y)
    else:
        quiet_fit(model, X, Y)
    assert len(model.loss_curve_) > len(curve)


def test_interrupt_with_early_stopping_keeps_the_best_epoch():
    Xm, ym = make_moons(300, noise=0.35, random_state=3)
    params = dict(
        hidden_layer_sizes=(30,),
        early_stopping=True,
        learning_rate_init=0.05,
        n_iter_no_change=1000,
        random_state=0,
    )
    model = BackpropMLPClassifier(
        **params, max_iter=40, callbacks=[InterruptAt("on_epoch_end", 30)]
    )
    with pytest.warns(UserWarning, match="keeps the weights of its best validation"):
        model.fit(Xm, ym)
    best_epoch = int(np.argmax(model.validation_scores_)) + 1
    assert len(model.validation_scores_) == 30 and best_epoch < 30
    again = quiet_fit(BackpropMLPClassifier(**params, max_iter=best_epoch), Xm, ym)
    _assert_same(_weights(model), _weights(again))


def test_early_stopping_restores_best_weights():
    Xm, ym = make_moons(300, noise=0.35, random_state=3)
    clf = quiet_fit(
        BackpropMLPClassifier(
            (30,),
            early_stopping=True,
            learning_rate_init=0.05,
            n_iter_no_change=8,
            random_state=0,
        ),
        Xm,
        ym,
    )
    best_epoch = int(np.argmax(clf.validation_scores_))
    assert best_epoch < len(clf.validation_scores_) - 1  # it did overshoot
    # Re-run for exactly best_epoch + 1 epochs: same weights as restored.
    again = quiet_fit(
        BackpropMLPClassifier(
            (30,),
            early_stopping=True,
            learning_rate_init=0.05,
            n_iter_no_change=1000,
            max_iter=best_epoch + 1,
            random_state=0,
        ),
        Xm,
        ym,
    )
    for a, b in zip(clf.coefs_, again.coefs_):
        np.testing.assert_array_equal(a, b)
