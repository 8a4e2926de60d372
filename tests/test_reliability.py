"""Bad input gets a clear answer; nothing is lost; results are reproducible."""

import pickle
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_moons
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import GridSearchCV

from skmlp import BackpropMLPClassifier
from skmlp.activations import Activation

X, Y = make_moons(120, noise=0.2, random_state=0)


def quiet_fit(clf, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(*args, **kwargs)


def _with(X_, idx, value):
    X_ = X_.astype(float).copy()
    X_[idx] = value
    return X_


@pytest.mark.parametrize(
    "args, message",
    [
        ((_with(X, (3, 0), np.nan), Y), "Input X contains NaN"),
        ((_with(X, (3, 1), np.inf), Y), "Input X contains infinity"),
        ((np.empty((0, 2)), np.empty(0)), "0 sample"),
        ((X, Y[:-1]), "inconsistent numbers of samples"),
        ((X.reshape(120, 2, 1), Y), "Found array with dim 3"),
        ((X.astype(complex), Y), "Complex data not supported"),
        ((np.array([["a", "b"]] * 120, dtype=object), Y), "could not convert|string"),
        ((X, np.linspace(0, 1, 120)), "Unknown label type: continuous"),
        ((X, np.where(Y == 1, np.nan, 0.0)), "Input y contains NaN|Unknown label type"),
    ],
    ids=[
        "nan",
        "inf",
        "empty",
        "lengths",
        "3d",
        "complex",
        "object",
        "continuous",
        "nan-y",
    ],
)
def test_bad_training_data_is_named(args, message):
    with pytest.raises(ValueError, match=message):
        BackpropMLPClassifier(max_iter=2).fit(*args)


@pytest.mark.parametrize(
    "sample_weight, message",
    [
        (-np.ones(120), "Negative values in data passed to `sample_weight`"),
        (np.zeros(120), "at least one non-zero"),
        (np.ones(119), r"sample_weight.shape == \(119,\), expected \(120,\)"),
        (np.r_[np.ones(119), np.nan], "Input sample_weight contains NaN"),
    ],
    ids=["negative", "all-zero", "length", "nan"],
)
def test_bad_sample_weight_is_named(sample_weight, message):
    with pytest.raises(ValueError, match=message):
        BackpropMLPClassifier(max_iter=2).fit(X, Y, sample_weight=sample_weight)


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize("batch_size", [1, 7, 200])
def test_zero_weight_batches_are_harmless(solver, batch_size):
    sw = np.zeros(120)
    sw[-5:] = 1.0  # every batch but the last has weight 0
    clf = BackpropMLPClassifier(
        (4,),
        solver=solver,
        batch_size=batch_size,
        shuffle=False,
        max_iter=3,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)
        clf.fit(X, Y, sample_weight=sw)
    assert np.isfinite(clf.loss_curve_).all()
    assert np.isfinite(clf.predict_proba(X)).all()


def test_partial_fit_and_predict_errors():
    clf = BackpropMLPClassifier((3,), solver="sgd")
    with pytest.raises(NotFittedError):
        clf.predict(X)
    clf.partial_fit(X, Y, classes=[0, 1])
    with pytest.raises(ValueError, match="has 3 features, but BackpropMLPClassifier"):
        clf.partial_fit(np.c_[X, X[:, 0]], Y)
    with pytest.raises(ValueError, match="has 3 features, but BackpropMLPClassifier"):
        clf.predict(np.c_[X, X[:, 0]])
    with pytest.raises(ValueError, match="classes not in"):
        clf.partial_fit(X, Y + 2)
    with pytest.raises(ValueError, match="does not support early_stopping"):
        BackpropMLPClassifier(early_stopping=True).partial_fit(X, Y, classes=[0, 1])
    with pytest.raises(ValueError, match="'balanced' is not supported for partial_fit"):
        BackpropMLPClassifier(class_weight="balanced").partial_fit(X, Y, classes=[0, 1])


def test_custom_activation_without_interface():
    class NotAnActivation:
        def forward(self, Z):
            return Z

    with pytest.raises(ValueError, match="Unknown activation"):
        BackpropMLPClassifier((2,), activation=(NotAnActivation(),)).fit(X, Y)

    class Half(Activation):
        def forward(self, Z):
            return Z

    with pytest.raises(ValueError, match=r"does not implement derivative\(\)"):
        BackpropMLPClassifier((2,), activation=Half()).fit(X, Y)


@pytest.mark.parametrize("labels", [np.zeros(120, int), np.array(["only"] * 120)])
@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_single_class_is_a_consistent_model(labels, solver):
    clf = quiet_fit(BackpropMLPClassifier((3,), solver=solver, max_iter=5), X, labels)
    assert list(clf.classes_) == [labels[0]]
    np.testing.assert_array_equal(clf.predict(X), labels)
    np.testing.assert_array_equal(clf.predict_proba(X), np.ones((120, 1)))
    np.testing.assert_array_equal(clf.predict_log_proba(X), np.zeros((120, 1)))
    assert clf.score(X, labels) == 1.0
    single = quiet_fit(BackpropMLPClassifier((3,), max_iter=5), X[:1], labels[:1])
    assert single.predict(X[:3]).tolist() == labels[:3].tolist()


@pytest.mark.parametrize("scale", [1e300, 1e-300])
def test_extreme_inputs_give_finite_answers_or_a_clear_error(scale):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            clf = BackpropMLPClassifier((5,), max_iter=5, random_state=0).fit(
                X * scale, Y
            )
        except ValueError as exc:
            assert "non-finite parameter weights" in str(exc)
            assert any("diverged" in str(w.message) for w in caught)
        else:
            P = clf.predict_proba(X * scale)
            assert np.isfinite(P).all()
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]


def test_exploding_learning_rate_is_named():
    Xb, yb = make_blobs(200, centers=3, random_state=0)
    clf = BackpropMLPClassifier(
        (20,),
        solver="sgd",
        learning_rate_init=50.0,
        momentum=0.9,
        max_iter=30,
        random_state=0,
    )
    with pytest.warns(ConvergenceWarning, match="learning_rate_init=50.0"):
        try:
            clf.fit(Xb * 100, yb)
        except ValueError as exc:
            assert "non-finite parameter weights" in str(exc)
            return
    assert np.isfinite(clf.predict_proba(Xb)).all()


def test_predict_overflow_is_a_clear_error():
    clf = quiet_fit(BackpropMLPClassifier((5, 5), random_state=0, max_iter=3), X, Y)
    clf.coefs_[0][:] = 1.0  # both inputs add up to +inf in every first-layer unit
    clf.coefs_[1][:] = np.array([1.0, -1.0, 1.0, -1.0, 1.0])[:, None]  # inf - inf
    with pytest.raises(ValueError, match="outputs overflowed .* scale the data"):
        clf.predict_proba(np.full((2, 2), 1e308))


def test_nothing_the_user_passed_is_modified():
    Xc, yc, sw, classes = X.copy(), Y.copy(), np.linspace(0.5, 2, 120), np.array([0, 1])
    act = Activation.__subclasses__()  # registry untouched below
    copies = [a.copy() for a in (Xc, yc, sw, classes)]

    class Tracked(Activation):
        def __init__(self):
            self.calls = 0

        def forward(self, Z):
            return np.tanh(Z)

        def derivative(self, Z, A):
            return 1 - A**2

    custom = Tracked()
    quiet_fit(
        BackpropMLPClassifier((4,), activation=custom, early_stopping=True, max_iter=5),
        Xc,
        yc,
        sample_weight=sw,
    )
    BackpropMLPClassifier((4,), solver="sgd").partial_fit(Xc, yc, classes=classes)
    for original, copy in zip((Xc, yc, sw, classes), copies):
        np.testing.assert_array_equal(original, copy)
    assert vars(custom) == {"calls": 0}
    assert Activation.__subclasses__()[: len(act)] == act


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
