"""Warnings a user can act on point at the user's call, not into the package."""

import inspect
import warnings

import numpy as np
import pytest
from _moons import X, Y
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning

from skmlp import BackpropMLPClassifier, Callback


class StopByCtrlC(Callback):
    def on_epoch_end(self, estimator, record):
        raise KeyboardInterrupt


def _caught(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return caught


CASES = {
    "max_iter, sgd": (
        lambda: BackpropMLPClassifier((3,), solver="sgd", max_iter=2).fit(X, Y),
        ConvergenceWarning,
        "Maximum iterations",
    ),
    "max_iter, adam": (
        lambda: BackpropMLPClassifier((3,), max_iter=2).fit(X, Y),
        ConvergenceWarning,
        "Maximum iterations",
    ),
    "max_iter, lbfgs": (
        lambda: BackpropMLPClassifier((3,), solver="lbfgs", max_iter=2).fit(X, Y),
        ConvergenceWarning,
        "lbfgs failed to converge",
    ),
    "divergence": (
        lambda: BackpropMLPClassifier(
            (50,), solver="sgd", learning_rate_init=1e6, momentum=0, max_iter=50
        ).fit(X * 1e3, Y),
        ConvergenceWarning,
        "learning_rate_init=1000000.0 is probably too large",
    ),
    "batch size clipped": (
        lambda: BackpropMLPClassifier((3,), batch_size=1000, max_iter=200).fit(X, Y),
        UserWarning,
        "clipped",
    ),
    "interrupted": (
        lambda: BackpropMLPClassifier((3,), callbacks=[StopByCtrlC()]).fit(X, Y),
        UserWarning,
        "interrupted by user",
    ),
    "column-vector y": (
        lambda: BackpropMLPClassifier((3,), solver="lbfgs").fit(X, Y[:, None]),
        DataConversionWarning,
        "column-vector y",
    ),
    "partial_fit, interrupted": (
        lambda: BackpropMLPClassifier((3,), callbacks=[StopByCtrlC()]).partial_fit(
            X, Y, classes=[0, 1]
        ),
        UserWarning,
        "interrupted by user",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_warning_points_at_the_users_code(case):
    """Attributed to this file (the lambdas above), not to skmlp or sklearn."""
    call, category, message = CASES[case]
    caught = _caught(call)
    ours = [w for w in caught if issubclass(w.category, category)]
    ours = [w for w in ours if message in str(w.message)]
    assert ours, [str(w.message) for w in caught]
    for w in ours:
        assert w.filename == __file__, (w.filename, str(w.message))


def test_warning_points_at_the_line_of_the_call():
    clf = clone(BackpropMLPClassifier((3,), max_iter=1, random_state=0))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1
        clf.fit(X, Y)
    assert [(w.filename, w.lineno) for w in caught] == [(__file__, line)]
    assert np.isfinite(clf.loss_)
