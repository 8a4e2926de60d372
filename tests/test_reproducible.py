"""Reproducible and safe to share: bit-identical across runs and n_jobs,
thread-safe prediction, any input layout or dtype either works or gets a
clear error."""

import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.sparse as sp
from _moons import X, Y, quiet_fit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_blobs, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from skmlp import BackpropMLPClassifier


@pytest.mark.parametrize(
    "settings",
    [
        {"solver": "adam", "alpha": 1e-3, "beta_1": 0.8, "epsilon": 1e-7},
        {
            "solver": "sgd",
            "momentum": 0.7,
            "learning_rate": "invscaling",
            "power_t": 0.4,
            "alpha": 1e-3,
        },
    ],
)
def test_numpy_scalar_settings_train_the_same_float32_model(settings):
    # np.logspace in a parameter grid gives NumPy float64 scalars. NumPy promotes
    # float32 arrays times such a scalar to float64, so unless they are turned
    # into Python floats the float32 training would round differently.
    X32 = X.astype(np.float32)
    models = [
        quiet_fit(
            BackpropMLPClassifier((5,), max_iter=15, random_state=0, **cast(settings)),
            X32,
            Y,
        )
        for cast in (dict, lambda d: {k: _np_scalar(v) for k, v in d.items()})
    ]
    assert models[0].coefs_[0].dtype == np.float32
    for a, b in zip(models[0].coefs_, models[1].coefs_):
        np.testing.assert_array_equal(a, b)
    assert models[0].loss_curve_ == models[1].loss_curve_


def _np_scalar(value):
    return np.float64(value) if isinstance(value, float) else value


def test_reproducible_across_grid_search_n_jobs():
    grid = {"hidden_layer_sizes": [(3,), (6,)], "alpha": [1e-4, 1e-2]}
    results = []
    for n_jobs in (1, 2):
        search = GridSearchCV(
            BackpropMLPClassifier(max_iter=20, random_state=0),
            grid,
            cv=2,
            n_jobs=n_jobs,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            search.fit(X, Y)
        results.append(
            (
                search.cv_results_["mean_test_score"],
                search.best_estimator_.predict_proba(X),
            )
        )
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])


def test_predict_is_thread_safe():
    Xb, yb = make_blobs(5000, centers=4, n_features=6, random_state=0)
    clf = quiet_fit(BackpropMLPClassifier((64, 32), max_iter=3, random_state=0), Xb, yb)
    expected = clf.predict_proba(Xb)
    barrier = threading.Barrier(8)

    def predict(_):
        barrier.wait()
        return clf.predict_proba(Xb)

    with ThreadPoolExecutor(8) as pool:
        for P in pool.map(predict, range(8)):
            np.testing.assert_array_equal(P, expected)


LAYOUTS = ["C", "F", "strided", "csr", "csc", "list"]


def _layout(X, layout):
    if layout == "C":
        return np.ascontiguousarray(X)
    if layout == "F":
        return np.asfortranarray(X)
    if layout == "strided":  # a view that is neither C- nor F-contiguous
        wide = np.repeat(X, 2, axis=1)
        return wide[:, ::2]
    if layout == "csr":
        return sp.csr_matrix(X)
    if layout == "csc":
        return sp.csc_matrix(X)
    return X.tolist()


@st.composite
def layouts(draw):
    n_samples = draw(st.integers(4, 25))
    n_features = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.RandomState(seed)
    dtype = draw(st.sampled_from([np.float64, np.float32, np.int64, np.int32]))
    X = rng.normal(scale=3.0, size=(n_samples, n_features))
    if rng.rand() < 0.5:  # sparse-looking data: many exact zeros
        X[rng.rand(*X.shape) < 0.5] = 0.0
    X = X.astype(dtype)
    n_classes = draw(st.integers(1, 3))
    codes = np.arange(n_samples) % n_classes
    rng.shuffle(codes)
    labels = draw(
        st.sampled_from(
            [
                np.array([3, 7, 11]),
                np.array(["cat", "dog", "emu"], dtype=object),
                np.array([-1.0, 0.0, 2.0]),  # integral floats (0.5 is "continuous")
                np.array([True, False, True])[: max(n_classes, 2)],
            ]
        )
    )
    y = labels[codes % len(labels)]
    layout = draw(st.sampled_from(LAYOUTS))
    params = dict(
        hidden_layer_sizes=(3,),
        solver=draw(st.sampled_from(["sgd", "adam", "lbfgs"])),
        batch_size=draw(st.integers(1, 6)),
        max_iter=3,
        random_state=0,
    )
    return X, y, layout, params


def _quiet(clf, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)  # batch_size clipped
        return clf.fit(X, y)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_any_layout_and_dtype_trains_the_same_model(problem):
    """Layout never changes the answer: a C-contiguous float copy is the oracle.

    Dense layouts and integer dtypes give bit-identical weights (they are
    converted to the same float array); sparse products sum in another order,
    so they agree to rounding. float32 arrays train in float32.
    """
    X, y, layout, params = problem
    X_user = _layout(X, layout)
    before = X_user.copy() if hasattr(X_user, "copy") else list(X_user)
    clf = _quiet(BackpropMLPClassifier(**params), X_user, y)
    # A list of Python floats has no dtype left: it trains in float64.
    keeps_float32 = X.dtype == np.float32 and layout != "list"
    float_dtype = np.float32 if keeps_float32 else np.float64
    oracle = _quiet(BackpropMLPClassifier(**params), X.astype(float_dtype), y)

    np.testing.assert_array_equal(clf.classes_, np.unique(y))
    assert clf.coefs_[0].dtype == float_dtype
    proba = clf.predict_proba(X_user)
    assert proba.shape == (len(y), len(clf.classes_))
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert set(clf.predict(X_user)) <= set(clf.classes_)
    sparse = layout in ("csr", "csc")
    rtol = 1e-4 if float_dtype == np.float32 else 1e-9
    for ours, theirs in zip(clf.coefs_, oracle.coefs_):
        if sparse:
            np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol)
        else:
            np.testing.assert_array_equal(ours, theirs)
    if sp.issparse(X_user):
        np.testing.assert_array_equal(X_user.toarray(), before.toarray())
    else:
        np.testing.assert_array_equal(np.asarray(X_user), np.asarray(before))


def test_float32_model_predicts_float64_data():
    # The weights meet float64 rows in float64; the products must accept it.
    X, y = make_moons(80, noise=0.2, random_state=0)
    clf = BackpropMLPClassifier((5,), max_iter=30, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X.astype(np.float32), y)
    P64 = clf.predict_proba(X)
    P32 = clf.predict_proba(X.astype(np.float32))
    assert P64.shape == (80, 2) and np.isfinite(P64).all()
    np.testing.assert_allclose(P64, P32, rtol=1e-5, atol=1e-6)
    assert clf.score(X, y) == clf.score(X.astype(np.float32), y)
