"""Properties over random architectures, activations and data (hypothesis)."""

import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning

from skmlp import BackpropMLPClassifier
from skmlp.activations import ACTIVATIONS

SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def problems(draw):
    n_samples = draw(st.integers(6, 30))
    n_features = draw(st.integers(1, 4))
    n_classes = draw(st.integers(2, 4))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.RandomState(seed)
    X = rng.normal(
        scale=draw(st.sampled_from([0.1, 1.0, 10.0])), size=(n_samples, n_features)
    )
    y = np.arange(n_samples) % n_classes  # every class present
    rng.shuffle(y)
    hidden = tuple(draw(st.lists(st.integers(1, 5), min_size=0, max_size=2)))
    activation = tuple(draw(st.sampled_from(sorted(ACTIVATIONS))) for _ in hidden)
    params = dict(
        hidden_layer_sizes=hidden,
        activation=activation,
        solver=draw(st.sampled_from(["sgd", "adam", "lbfgs"])),
        batch_size=draw(st.integers(1, 8)),
        learning_rate_init=draw(st.sampled_from([1e-3, 1e-2, 0.1])),
        max_iter=draw(st.integers(1, 5)),
        random_state=draw(st.integers(0, 100)),
    )
    return X, y, params


DIVERGED = "Solver produced non-finite parameter weights"


def _fit(params, X, y):
    """The fitted model, or None when training diverged with the clear error.

    Random data, learning rates and activations include fits that blow up
    (ELU on inputs around 20 with a learning rate of 0.1, say); those must stop
    with scikit-learn's ValueError, never return NaN weights.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)  # batch_size clipped
        try:
            return BackpropMLPClassifier(**params).fit(X, y)
        except ValueError as error:
            assert DIVERGED in str(error)
            return None


@given(problems())
@SETTINGS
def test_probabilities_are_a_distribution_and_predict_is_argmax(problem):
    X, y, params = problem
    clf = _fit(params, X, y)
    if clf is None:
        return  # diverged, with the clear error (checked in _fit)
    P = clf.predict_proba(X)
    assert P.shape == (len(X), len(np.unique(y)))
    assert np.isfinite(P).all() and (P >= 0).all() and (P <= 1).all()
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[np.argmax(P, axis=1)])


@given(problems())
@SETTINGS
def test_same_random_state_gives_bit_identical_weights(problem):
    X, y, params = problem
    first, second = _fit(params, X, y), _fit(params, X, y)
    assert (first is None) == (second is None)
    if first is None:
        return  # both diverged, with the clear error
    for a, b in zip(
        first.coefs_ + first.intercepts_, second.coefs_ + second.intercepts_
    ):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))


@given(problems(), st.integers(1, 4))
@SETTINGS
def test_partial_fit_n_times_equals_fit_n_epochs(problem, n_epochs):
    X, y, params = problem
    params.update(solver="sgd" if params["solver"] == "lbfgs" else params["solver"])
    params.update(shuffle=False, max_iter=n_epochs, tol=0.0)
    fitted = _fit(params, X, y)
    stepped = BackpropMLPClassifier(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            for _ in range(n_epochs):
                stepped.partial_fit(X, y, classes=np.unique(y))
        except ValueError as error:
            # Diverging step by step means diverging in one fit, too.
            assert DIVERGED in str(error) and fitted is None
            return
    assert fitted is not None
    np.testing.assert_array_equal(stepped.loss_curve_, fitted.loss_curve_)
    for a, b in zip(
        stepped.coefs_ + stepped.intercepts_, fitted.coefs_ + fitted.intercepts_
    ):
        np.testing.assert_array_equal(a, b)
