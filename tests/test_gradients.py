"""Backpropagation against finite differences, for every activation and target."""

import numpy as np
import pytest
from sklearn.datasets import make_classification

from skmlp import BackpropMLPClassifier, check_gradients
from skmlp.activations import ACTIVATIONS, Activation


def _problem(target, n=24, seed=0):
    rng = np.random.RandomState(seed)
    X, y = make_classification(
        n, 4, n_informative=3, n_redundant=0, n_classes=3, random_state=seed
    )
    if target == "binary":
        y = y % 2
    elif target == "multilabel":
        y = np.column_stack([y == 0, X[:, 0] > 0, X[:, 1] > 0.3]).astype(int)
    sample_weight = rng.uniform(0.2, 3.0, size=n)
    return X, y, sample_weight


def _independent_objective(clf, X, y, sample_weight):
    """The training objective written from scratch from predict_proba."""
    P = clf.predict_proba(X)
    if clf.out_activation_ == "softmax":
        Y = (y[:, None] == clf.classes_[None, :]).astype(float)
        per_sample = -(Y * np.log(P)).sum(axis=1)
    else:
        Y = y.reshape(len(y), -1) if y.ndim > 1 else y[:, None]
        Pp = P if y.ndim > 1 else P[:, 1:]
        per_sample = -(Y * np.log(Pp) + (1 - Y) * np.log(1 - Pp)).sum(axis=1)
    w = sample_weight
    penalty = 0.5 * clf.alpha * sum((W**2).sum() for W in clf.coefs_)
    return (w @ per_sample + penalty) / w.sum()


@pytest.mark.parametrize("target", ["binary", "multiclass", "multilabel"])
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_backprop_matches_finite_differences(activation, target):
    X, y, sw = _problem(target)
    clf = BackpropMLPClassifier(
        (5, 3), activation=activation, alpha=0.3, random_state=1, max_iter=1
    )
    result = check_gradients(clf, X, y, sample_weight=sw, rtol=1e-6, atol=1e-9)
    n_out = 1 if target == "binary" else 3
    n_params = (4 * 5 + 5) + (5 * 3 + 3) + (3 * n_out + n_out)
    assert result["indices"].size == n_params
    assert result["max_abs_error"] < 1e-8
    assert np.abs(result["analytic"]).max() > 1e-3  # the check is not vacuous


@pytest.mark.filterwarnings(
    "ignore::sklearn.exceptions.ConvergenceWarning"
)  # few iterations on purpose
@pytest.mark.parametrize("target", ["binary", "multiclass", "multilabel"])
def test_objective_and_gradient_agree_with_independent_formula(target):
    """The loss the network optimises equals one written from predict_proba,
    and its gradient equals central differences of that independent formula."""
    X, y, sw = _problem(target, seed=3)
    clf = BackpropMLPClassifier(
        (4,), activation="tanh", alpha=0.5, solver="lbfgs", max_iter=3, random_state=0
    )
    clf.fit(X, y, sample_weight=sw)
    net, Xc, Y, _, swc, _ = clf._prepare(X, y, sw, incremental=False)
    net.set_parameters(clf.coefs_, clf.intercepts_)
    loss = net.loss_and_grad(Xc, Y, swc, clf.alpha)
    assert loss == pytest.approx(_independent_objective(clf, X, y, sw), rel=1e-12)
    analytic = net.grads.copy()
    theta = net.params
    clf.coefs_, clf.intercepts_ = net.coefs, net.intercepts
    for k in range(0, theta.size, 3):
        old = theta[k]
        theta[k] = old + 1e-6
        plus = _independent_objective(clf, X, y, sw)
        theta[k] = old - 1e-6
        minus = _independent_objective(clf, X, y, sw)
        theta[k] = old
        assert analytic[k] == pytest.approx((plus - minus) / 2e-6, rel=1e-5, abs=1e-9)


@pytest.mark.filterwarnings(
    "ignore::sklearn.exceptions.ConvergenceWarning"
)  # few iterations on purpose
def test_check_gradients_uses_fitted_weights_and_leaves_estimator_alone():
    X, y, _ = _problem("multiclass")
    clf = BackpropMLPClassifier((3,), solver="lbfgs", max_iter=5, random_state=0)
    clf.fit(X, y)
    before = [W.copy() for W in clf.coefs_]
    result = check_gradients(clf, X, y, max_params=10)
    assert result["indices"].size == 10
    for W, W0 in zip(clf.coefs_, before):
        np.testing.assert_array_equal(W, W0)


def test_check_gradients_catches_a_wrong_derivative():
    class WrongTanh(Activation):
        name = "wrong_tanh"

        def forward(self, Z):
            return np.tanh(Z)

        def derivative(self, Z, A):
            return 1.0 - A  # should be 1 - A**2

    X, y, _ = _problem("binary")
    clf = BackpropMLPClassifier((3,), activation=WrongTanh(), random_state=0)
    with pytest.raises(AssertionError, match=r"Gradient check failed .*coefs_\[0\]"):
        check_gradients(clf, X, y)
