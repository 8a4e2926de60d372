"""scikit-learn's estimator checks: the compatibility contract."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmlp import BackpropMLPClassifier
from skmlp.activations import Activation


class Softsign(Activation):
    """A user-written activation used to show custom objects pass every check."""

    name = "softsign"

    def forward(self, Z):
        return Z / (1.0 + np.abs(Z))

    def derivative(self, Z, A):
        return 1.0 / (1.0 + np.abs(Z)) ** 2


ESTIMATORS = [
    BackpropMLPClassifier(),
    BackpropMLPClassifier(solver="sgd"),
    BackpropMLPClassifier(solver="lbfgs"),
    BackpropMLPClassifier(
        hidden_layer_sizes=(12, 6),
        activation=("tanh", "gelu"),
        weight_init=("he_normal", "glorot_uniform", "lecun_normal"),
    ),
    BackpropMLPClassifier(hidden_layer_sizes=(8,), activation=Softsign()),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


def test_every_configuration_is_checked():
    """The checks above ran on five configurations, none expected to fail."""
    names = {repr(e) for e in ESTIMATORS}
    assert len(names) == 5
    assert all(getattr(e, "_xfail_checks", None) is None for e in ESTIMATORS)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_parameters_match_sklearn_mlp(estimator):
    from sklearn.neural_network import MLPClassifier

    theirs = MLPClassifier().get_params()
    ours = BackpropMLPClassifier().get_params()
    assert set(theirs) <= set(ours)
    assert {k: ours[k] for k in theirs} == theirs
    assert set(ours) - set(theirs) == {"weight_init", "class_weight", "callbacks"}
