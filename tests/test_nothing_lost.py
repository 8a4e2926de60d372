"""Nothing is lost: pickle and joblib round trips (also mid-training),
KeyboardInterrupt, early stopping's best weights."""

import pickle

import joblib
import numpy as np
import pytest
from _moons import X, Y, quiet_fit
from sklearn.datasets import make_moons

from skmlp import BackpropMLPClassifier
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


def test_keyboard_interrupt_keeps_last_completed_epoch():
    # 120 samples / batch 40 = 3 batches per epoch; interrupt in epoch 4.
    params = dict(
        hidden_layer_sizes=(4,),
        solver="sgd",
        batch_size=40,
        shuffle=False,
        random_state=0,
        max_iter=10,
        tol=0,
    )
    full = BackpropMLPClassifier(**params, activation="tanh")
    quiet_fit(full.set_params(max_iter=3), X, Y)
    interrupted = BackpropMLPClassifier(**params, activation=Interrupting(at_call=11))
    with pytest.warns(UserWarning, match="interrupted by user.*last completed epoch"):
        interrupted.fit(X, Y)
    assert interrupted.n_iter_ == 3
    np.testing.assert_allclose(interrupted.loss_curve_, full.loss_curve_)
    for a, b in zip(interrupted.coefs_, full.coefs_):
        np.testing.assert_allclose(a, b)


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
