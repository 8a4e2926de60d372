"""Every bad input gets a clear error naming the problem (or sklearn's warning);
odd but legal input (one class, zero weights, huge values) gets a consistent
model; nothing the user passed is modified."""

import warnings

import numpy as np
import pytest
from _moons import X, Y, quiet_fit
from sklearn.datasets import make_blobs
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from skmlp import BackpropMLPClassifier
from skmlp._validation import check_sample_weight
from skmlp.activations import Activation
from skmlp.initializers import Initializer


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
        (np.r_[np.ones(119), np.inf], "Input sample_weight contains infinity"),
        (np.nan, "Input sample_weight contains NaN"),
        (np.ones((120, 1)), r"1-D array of length 120, got .* shape \(120, 1\)"),
        ([], r"sample_weight.shape == \(0,\), expected \(120,\)"),
        (["a"] * 120, "sample_weight must be real numbers: could not convert"),
    ],
    ids=[
        "negative",
        "all-zero",
        "length",
        "nan",
        "inf",
        "nan-scalar",
        "2-D",
        "empty",
        "strings",
    ],
)
def test_bad_sample_weight_is_named(sample_weight, message):
    with pytest.raises(ValueError, match=message):
        BackpropMLPClassifier(max_iter=2).fit(X, Y, sample_weight=sample_weight)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("sample_weight", [2, [1, 2, 3], np.array([1, 2, 3], np.int8)])
def test_sample_weight_is_checked_into_xs_dtype(dtype, sample_weight):
    Xd = np.zeros((3, 2), dtype=dtype)
    checked = check_sample_weight(sample_weight, Xd)
    assert checked.dtype == dtype and checked.flags.c_contiguous
    np.testing.assert_array_equal(checked, np.broadcast_to(sample_weight, 3))


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


class _InfiniteHiddenBias(Initializer):
    """Small random weights, and an infinite bias for the first hidden unit."""

    def __call__(self, fan_in, fan_out, rng, dtype):
        W = rng.normal(0.0, 0.5, (fan_in, fan_out)).astype(dtype)
        b = np.zeros(fan_out, dtype=dtype)
        if fan_out == 4:  # the hidden layer, not the one-unit output layer
            b[0] = np.inf
        return W, b


@pytest.mark.parametrize(
    "batch_size, callbacks, stop_epoch",
    [(40, False, 1), (120, False, 8), (40, True, 3), (120, True, 3)],
)
def test_a_weight_gone_infinite_stops_training_by_name(
    batch_size, callbacks, stop_epoch
):
    # An infinite hidden bias under tanh leaves the loss finite (the unit just
    # saturates), so only the weight check sees it: every epoch, or every 8th
    # epoch when an epoch is one step (full batch) and no callback is watching
    # the weights.
    def break_a_bias(model, record):
        if record["epoch"] == 3:
            model.intercepts_[0][0] = np.inf

    clf = BackpropMLPClassifier(
        (4,),
        activation="tanh",
        solver="sgd",
        batch_size=batch_size,
        max_iter=20,
        weight_init="auto" if callbacks else _InfiniteHiddenBias(),
        callbacks=[break_a_bias] if callbacks else None,
        random_state=0,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="non-finite parameter weights"):
            clf.fit(X, Y)
    messages = [str(w.message) for w in caught if "diverged" in str(w.message)]
    assert messages == [
        f"Training diverged: a weight became infinite or NaN by epoch {stop_epoch}. "
        "learning_rate_init=0.001 is probably too large; lower it, or scale the "
        "data (e.g. StandardScaler)."
    ]
    assert len(clf.loss_curve_) == stop_epoch
    assert np.isfinite(clf.loss_curve_).all()


@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_nan_among_string_labels_is_named(method):
    labels = np.where(Y == 0, "a", "b").astype(object)
    labels[5] = np.nan
    clf = BackpropMLPClassifier((3,), max_iter=2)
    kwargs = {"classes": ["a", "b"]} if method == "partial_fit" else {}
    with pytest.raises(ValueError, match="Input y contains NaN"):
        getattr(clf, method)(X, labels, **kwargs)
    assert not hasattr(clf, "classes_")  # nothing half-set by the failed call


@pytest.mark.parametrize(
    "fraction, n_samples",
    [(0.0, 120), (0.005, 120), (0.999, 120), (0.5, 2)],
)
def test_validation_fraction_that_leaves_no_split_is_named(fraction, n_samples):
    clf = BackpropMLPClassifier(early_stopping=True, validation_fraction=fraction)
    with pytest.raises(
        ValueError, match=rf"validation_fraction={fraction!r} holds out \d+ of the"
    ):
        clf.fit(X[:n_samples], Y[:n_samples])


def test_stratified_validation_split_that_fails_is_named():
    labels = Y.copy()
    labels[0] = 2  # a class with one sample cannot be split by class
    clf = BackpropMLPClassifier(early_stopping=True, max_iter=2)
    with pytest.raises(
        ValueError, match="early_stopping=True cannot hold out validation_fraction"
    ):
        clf.fit(X, labels == 2)
