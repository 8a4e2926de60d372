"""fit's own validation set (X_val, y_val, sample_weight_val) and ``scoring``.

For both estimators: a validation set equal to early stopping's split trains the
same model bit for bit; the score early stopping monitors (None, "loss", a
scorer name or callable); recording without early stopping and with L-BFGS
leaves training untouched; the checks of the validation rows; metadata routing
through a Pipeline and GridSearchCV; partial_fit; callbacks; warm_start.
"""

import math

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn
from sklearn.datasets import make_classification, make_regression
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    log_loss,
    mean_absolute_error,
    r2_score,
)
from sklearn.model_selection import GridSearchCV
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import skmlp._validation_set
from skmlp import BackpropMLPClassifier, BackpropMLPRegressor
from skmlp.callbacks import WeightSnapshots

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

_X, _y = make_classification(
    120, 4, n_informative=3, n_redundant=0, random_state=0, class_sep=0.7
)
XB, YB = _X, np.array(["no", "yes"])[_y]  # binary, string labels: stratified split
XM, YM = make_classification(
    120, 4, n_informative=3, n_redundant=0, n_classes=3, random_state=1
)
XR, YR = make_regression(120, 4, noise=10.0, random_state=0)
YR = YR / np.std(YR)
WEIGHTS = np.random.RandomState(2).uniform(0.5, 2.0, 120)

PROBLEMS = {
    "binary": (BackpropMLPClassifier, XB, YB),
    "multiclass": (BackpropMLPClassifier, XM, YM),
    "regression": (BackpropMLPRegressor, XR, YR),
}
CLASSIFIER_PROBLEMS = ["binary", "multiclass"]

# A validation set of the last 30 rows, training on the first 90.
TRAIN, VAL = slice(0, 90), slice(90, None)


def make(problem, **params):
    """A small, fast estimator for ``problem``."""
    Est = PROBLEMS[problem][0]
    settings = dict(
        hidden_layer_sizes=(6,),
        max_iter=30,
        batch_size=32,
        learning_rate_init=0.01,
        random_state=0,
    )
    settings.update(params)
    return Est(**settings)


def data(problem):
    """``(X_train, y_train, X_val, y_val)`` of ``problem``."""
    _, X, y = PROBLEMS[problem]
    return X[TRAIN], y[TRAIN], X[VAL], y[VAL]


def assert_same_weights(a, b):
    assert len(a.coefs_) == len(b.coefs_)
    for u, v in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        assert u.shape == v.shape
        np.testing.assert_array_equal(u, v)


def assert_same_fit(a, b):
    """Bit for bit the same training, validation history and model."""
    assert_same_weights(a, b)
    assert a.n_iter_ == b.n_iter_
    assert a.t_ == b.t_
    assert a.loss_curve_ == b.loss_curve_
    assert a.validation_scores_ == b.validation_scores_
    assert a.validation_loss_curve_ == b.validation_loss_curve_
    assert a.best_validation_score_ == b.best_validation_score_


def own_score(est, X, y, sample_weight=None):
    """The estimator's default validation score of its current predictions."""
    if isinstance(est, BackpropMLPClassifier):
        return accuracy_score(y, est.predict(X), sample_weight=sample_weight)
    return r2_score(y, est.predict(X), sample_weight=sample_weight)


# -- 1. a validation set equal to early stopping's split ----------------------


@pytest.fixture
def split_rows(monkeypatch):
    """Spy on the split early stopping makes: the rows it returns, per call.

    Each call appends ``(train_rows, validation_rows)``, indices into the
    training data in the order train_test_split returned them. An extra array
    does not change the random draws of the split.
    """
    calls = []
    original = skmlp._validation_set.train_test_split

    def spy(*arrays, **kwargs):
        rows = np.arange(arrays[0].shape[0])
        parts = original(*arrays, rows, **kwargs)
        calls.append((parts[-2], parts[-1]))
        return parts[:-2]

    monkeypatch.setattr(skmlp._validation_set, "train_test_split", spy)
    return calls


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("problem", PROBLEMS)
def test_the_splits_rows_as_a_validation_set_train_the_same_model(
    problem, weighted, shuffle, split_rows
):
    _, X, y = PROBLEMS[problem]
    sw = WEIGHTS if weighted else None
    params = dict(early_stopping=True, shuffle=shuffle, n_iter_no_change=3)
    split = make(problem, **params).fit(X, y, sw)
    assert len(split_rows) == 1
    train, val = split_rows[0]
    assert len(val) == math.ceil(0.1 * len(X)) == 12
    assert sorted([*train, *val]) == list(range(len(X)))

    given = make(problem, **params).fit(
        X[train],
        y[train],
        None if sw is None else sw[train],
        X_val=X[val],
        y_val=y[val],
        sample_weight_val=None if sw is None else sw[val],
    )
    assert_same_fit(given, split)
    assert len(given.validation_scores_) == given.n_iter_
    # The fit with a validation set drew the split it stands for: one of as
    # many rows (X then X_val), by the same class counts, whose rows have the
    # targets of the first split's, in the same order.
    assert len(split_rows) == 2
    y_given = np.concatenate([y[train], y[val]])
    for drawn, made in zip(split_rows[1], split_rows[0]):
        if problem == "binary":  # stratified: the same classes in the same order
            np.testing.assert_array_equal(y_given[drawn], y[made])
        else:  # the very same permutation
            np.testing.assert_array_equal(drawn, made)


def test_the_comparison_above_can_fail():
    """The same rows in another order train another model: the order matters."""
    _, X, y = PROBLEMS["binary"]
    params = dict(early_stopping=True, shuffle=False, n_iter_no_change=3)
    a = make("binary", **params).fit(X[20:], y[20:], X_val=X[:20], y_val=y[:20])
    b = make("binary", **params).fit(
        X[20:][::-1], y[20:][::-1], X_val=X[:20], y_val=y[:20]
    )
    assert a.loss_curve_ != b.loss_curve_


def test_a_validation_set_unlike_the_split_still_draws_as_the_split():
    """What the shuffling sees does not depend on the validation rows' values."""
    X, y, Xv, yv = data("regression")
    params = dict(early_stopping=True, n_iter_no_change=100, max_iter=5)
    a = make("regression", **params).fit(X, y, X_val=Xv, y_val=yv)
    b = make("regression", **params).fit(X, y, X_val=Xv + 1.0, y_val=yv * 2)
    assert a.loss_curve_ == b.loss_curve_
    assert a.validation_loss_curve_ != b.validation_loss_curve_


# -- 2. scoring=None is scikit-learn's ----------------------------------------


@pytest.mark.parametrize("problem", PROBLEMS)
def test_explicit_scoring_none_is_sklearns_early_stopping(problem):
    _, X, y = PROBLEMS[problem]
    params = dict(
        hidden_layer_sizes=(6,),
        max_iter=30,
        batch_size=32,
        learning_rate_init=0.01,
        random_state=0,
        early_stopping=True,
        n_iter_no_change=3,
    )
    Theirs = MLPRegressor if problem == "regression" else MLPClassifier
    theirs = Theirs(**params).fit(X, y)
    ours = make(problem, scoring=None, **params).fit(X, y)
    assert ours.validation_scores_ == theirs.validation_scores_
    assert ours.best_validation_score_ == theirs.best_validation_score_
    assert ours.n_iter_ == theirs.n_iter_ < 30
    assert_same_weights(ours, theirs)


# -- 3. scoring="loss" --------------------------------------------------------


def sklearn_stopping_epoch(scores, tol, n_iter_no_change):
    """The epoch scikit-learn's rule stops at, or None."""
    best, count = -np.inf, 0
    for epoch, score in enumerate(scores, 1):
        count = count + 1 if score < best + tol else 0
        best = max(best, score)
        if count > n_iter_no_change:
            return epoch
    return None


def validation_loss(est, X_val, y_val):
    """The validation loss of the estimator's current weights, from scratch."""
    if isinstance(est, BackpropMLPClassifier):
        return log_loss(y_val, est.predict_proba(X_val), labels=est.classes_)
    return float(np.mean((y_val - est.predict(X_val)) ** 2) / 2)


@pytest.mark.parametrize("source", ["split", "given"])
@pytest.mark.parametrize("problem", PROBLEMS)
def test_scoring_loss_stops_on_the_validation_loss(problem, source):
    X, y, Xv, yv = data(problem)
    snaps = WeightSnapshots()
    tol, patience = 1e-3, 2
    est = make(
        problem,
        early_stopping=True,
        scoring="loss",
        tol=tol,
        n_iter_no_change=patience,
        max_iter=60,
        # fast enough for the validation loss to turn up before max_iter
        learning_rate_init=0.1 if problem == "regression" else 0.03,
        callbacks=[snaps],
    )
    if source == "split":
        est.fit(X, y)
    else:
        est.fit(X, y, X_val=Xv, y_val=yv)
    scores, losses = est.validation_scores_, est.validation_loss_curve_
    assert scores == [-v for v in losses]
    assert len(scores) == est.n_iter_
    assert sklearn_stopping_epoch(scores, tol, patience) == est.n_iter_ < 60
    best = int(np.argmax(scores)) + 1
    assert est.best_validation_score_ == scores[best - 1] == -min(losses)
    # The weights are restored to the best epoch's, not the last one's.
    assert best < est.n_iter_
    assert snaps.epochs[best] == best
    for W, W_best in zip(est.coefs_, snaps.coefs[best]):
        np.testing.assert_array_equal(W, W_best)
    if source == "given":
        assert validation_loss(est, Xv, yv) == pytest.approx(min(losses), rel=1e-9)


def test_scoring_loss_tol_counts():
    """A huge tol makes no epoch an improvement but the first."""
    X, y, Xv, yv = data("regression")
    est = make(
        "regression", early_stopping=True, scoring="loss", tol=1e9, n_iter_no_change=4
    )
    est.fit(X, y, X_val=Xv, y_val=yv)
    assert est.n_iter_ == 1 + 4 + 1


# -- 4. scorer callables and names --------------------------------------------


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("problem", PROBLEMS)
def test_a_scorer_callable_gets_the_estimator_and_the_validation_set(problem, weighted):
    X, y, Xv, yv = data(problem)
    swv = WEIGHTS[VAL] if weighted else None
    calls = []

    def scorer(estimator, X_val, y_val, **kwargs):
        calls.append((estimator, X_val, y_val, kwargs))
        return -float(len(calls))  # the first epoch stays the best

    est = make(problem, early_stopping=True, scoring=scorer, n_iter_no_change=3)
    est.fit(X, y, X_val=Xv.tolist(), y_val=list(yv), sample_weight_val=swv)
    assert len(calls) == est.n_iter_ == 3 + 2
    assert est.validation_scores_ == [-1.0, -2.0, -3.0, -4.0, -5.0]
    assert est.best_validation_score_ == -1.0
    for estimator, X_val, y_val, kwargs in calls:
        assert estimator is est
        assert isinstance(X_val, np.ndarray) and X_val.dtype == np.float64
        np.testing.assert_array_equal(X_val, Xv)
        np.testing.assert_array_equal(y_val, yv)
        if weighted:
            assert list(kwargs) == ["sample_weight"]
            np.testing.assert_array_equal(kwargs["sample_weight"], swv)
        else:
            assert kwargs == {}
    # The loss is still recorded, one per epoch.
    assert len(est.validation_loss_curve_) == 5
    assert all(np.isfinite(est.validation_loss_curve_))


@pytest.mark.parametrize("problem", PROBLEMS)
def test_a_scorer_callable_on_the_split_gets_targets_as_y(problem):
    _, X, y = PROBLEMS[problem]
    seen = []

    def scorer(estimator, X_val, y_val):
        seen.append((X_val.shape, y_val))
        return 0.0

    est = make(problem, early_stopping=True, scoring=scorer, n_iter_no_change=2)
    est.fit(X, y)
    assert len(seen) == est.n_iter_ == 4
    shape, y_val = seen[0]
    assert shape == (12, 4)
    assert len(y_val) == 12
    if problem == "regression":
        assert set(y_val.ravel()) <= set(y)
    else:
        assert set(y_val) <= set(est.classes_)


@pytest.mark.parametrize(
    "problem, name, metric",
    [
        ("binary", "balanced_accuracy", balanced_accuracy_score),
        ("multiclass", "balanced_accuracy", balanced_accuracy_score),
        (
            "regression",
            "neg_mean_absolute_error",
            lambda y, p, **kw: -mean_absolute_error(y, p, **kw),
        ),
    ],
)
@pytest.mark.parametrize("weighted", [False, True])
def test_a_scorer_name_scores_the_last_epoch(problem, name, metric, weighted):
    X, y, Xv, yv = data(problem)
    swv = WEIGHTS[VAL] if weighted else None
    est = make(problem, scoring=name, max_iter=8)
    est.fit(X, y, X_val=Xv, y_val=yv, sample_weight_val=swv)
    assert len(est.validation_scores_) == est.n_iter_ == 8
    expected = metric(yv, est.predict(Xv), sample_weight=swv)
    assert est.validation_scores_[-1] == expected
    assert est.best_validation_score_ == max(est.validation_scores_)
    # not the default score: accuracy or R² would differ
    assert est.validation_scores_[-1] != own_score(est, Xv, yv, swv)


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("given", [False, True])
def test_an_unknown_scoring_name_is_named(problem, given):
    X, y, Xv, yv = data(problem)
    est = make(problem, scoring="no_such_metric", early_stopping=True)
    extra = dict(X_val=Xv, y_val=yv) if given else {}
    with pytest.raises(ValueError, match=r"scoring='no_such_metric' is not 'loss'"):
        est.fit(X, y, **extra)
    assert not hasattr(est, "coefs_")


def test_a_scorer_that_fails_on_the_validation_set_is_named():
    X, y, Xv, yv = data("regression")
    est = make("regression", scoring="accuracy")
    with pytest.raises(ValueError, match=r"scoring='accuracy' cannot score"):
        est.fit(X, y, X_val=Xv, y_val=yv)


# -- 5. recording without early stopping --------------------------------------


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize(
    "solver, dropout", [("adam", 0.0), ("sgd", 0.0), ("adam", 0.3)]
)
def test_recording_without_early_stopping_leaves_training_alone(
    problem, solver, dropout
):
    X, y, Xv, yv = data(problem)
    params = dict(solver=solver, dropout=dropout, max_iter=12, shuffle=True)
    plain = make(problem, **params).fit(X, y)
    watched = make(problem, **params).fit(X, y, X_val=Xv, y_val=yv)
    assert plain.validation_scores_ is None
    assert plain.validation_loss_curve_ is None
    assert watched.loss_curve_ == plain.loss_curve_
    assert watched.best_loss_ == plain.best_loss_ == min(plain.loss_curve_)
    assert watched.t_ == plain.t_
    assert_same_weights(watched, plain)  # the last epoch's: nothing restored
    assert len(watched.validation_scores_) == watched.n_iter_ == 12
    assert len(watched.validation_loss_curve_) == 12
    assert watched.validation_scores_[-1] == pytest.approx(
        own_score(watched, Xv, yv), rel=1e-12
    )
    assert watched.validation_loss_curve_[-1] == pytest.approx(
        validation_loss(watched, Xv, yv), rel=1e-9
    )
    assert watched.best_validation_score_ == max(watched.validation_scores_)


@pytest.mark.parametrize("problem", PROBLEMS)
def test_x_val_in_any_layout_gives_the_same_curves(problem):
    X, y, Xv, yv = data(problem)
    ref = make(problem, max_iter=4).fit(X, y, X_val=Xv, y_val=yv)
    for layout in (np.asfortranarray(Xv), Xv.tolist(), Xv.astype(np.float32)):
        other = make(problem, max_iter=4).fit(X, y, X_val=layout, y_val=yv)
        assert other.loss_curve_ == ref.loss_curve_
        if isinstance(layout, np.ndarray) and layout.dtype == np.float32:
            np.testing.assert_allclose(
                other.validation_loss_curve_, ref.validation_loss_curve_, rtol=1e-6
            )
        else:
            assert other.validation_loss_curve_ == ref.validation_loss_curve_
            assert other.validation_scores_ == ref.validation_scores_
    other = make(problem, max_iter=4).fit(X, y, X_val=sp.csr_matrix(Xv), y_val=yv)
    np.testing.assert_allclose(
        other.validation_loss_curve_, ref.validation_loss_curve_, rtol=1e-12
    )
    assert len(other.validation_scores_) == 4


# -- 6. L-BFGS ----------------------------------------------------------------


@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("problem", PROBLEMS)
def test_lbfgs_records_every_iteration_and_trains_the_same(problem, early_stopping):
    X, y, Xv, yv = data(problem)
    params = dict(solver="lbfgs", max_iter=15, early_stopping=early_stopping)
    plain = make(problem, **params).fit(X, y)
    watched = make(problem, **params).fit(X, y, X_val=Xv, y_val=yv)
    assert watched.loss_curve_ == plain.loss_curve_
    assert watched.n_iter_ == plain.n_iter_
    assert_same_weights(watched, plain)
    n = len(watched.loss_curve_)
    assert n == watched.n_iter_ > 1
    assert len(watched.validation_scores_) == len(watched.validation_loss_curve_) == n
    assert watched.validation_scores_[-1] == pytest.approx(
        own_score(watched, Xv, yv), rel=1e-12
    )
    assert watched.validation_loss_curve_[-1] == pytest.approx(
        validation_loss(watched, Xv, yv), rel=1e-9
    )


# -- 7. checks of the validation rows -----------------------------------------


def _nan_X(problem):
    Xv = data(problem)[2].copy()
    Xv[3, 1] = np.nan
    return Xv


def _nan_y(problem):
    yv = data(problem)[3].astype(float)
    yv[2] = np.nan
    return yv


def _ones(n):
    return np.ones(n)


BAD_VALIDATION = [
    # (problem, fit keyword arguments beyond X, y, message)
    (
        "binary",
        lambda: dict(X_val=XB[VAL][:, :3], y_val=YB[VAL]),
        r"X_val: X has 3 features, but BackpropMLPClassifier is expecting 4",
    ),
    (
        "regression",
        lambda: dict(X_val=XR[VAL][:, :3], y_val=YR[VAL]),
        r"X_val: X has 3 features, but BackpropMLPRegressor is expecting 4",
    ),
    (
        "binary",
        lambda: dict(X_val=XB[VAL], y_val=np.r_[YB[VAL][:-1], ["maybe"]]),
        r"y_val has classes not in the training data's classes_.*maybe",
    ),
    ("binary", lambda: dict(X_val=_nan_X("binary"), y_val=YB[VAL]), r"X_val: .*NaN"),
    (
        "regression",
        lambda: dict(X_val=_nan_X("regression"), y_val=YR[VAL]),
        r"X_val: .*NaN",
    ),
    ("multiclass", lambda: dict(X_val=XM[VAL], y_val=_nan_y("multiclass")), r"y_val"),
    (
        "regression",
        lambda: dict(X_val=XR[VAL], y_val=_nan_y("regression")),
        r"y_val contains NaN",
    ),
    ("binary", lambda: dict(X_val=XB[VAL]), r"X_val passed without y_val"),
    ("regression", lambda: dict(y_val=YR[VAL]), r"y_val passed without X_val"),
    (
        "binary",
        lambda: dict(sample_weight_val=_ones(30)),
        r"sample_weight_val passed without X_val",
    ),
    (
        "regression",
        lambda: dict(X_val=XR[VAL], sample_weight_val=_ones(30)),
        r"X_val and sample_weight_val passed without y_val",
    ),
    (
        "binary",
        lambda: dict(X_val=XB[VAL], y_val=YB[VAL], sample_weight_val=_ones(29)),
        r"sample_weight_val: .*\(29,\), expected \(30,\)",
    ),
    (
        "regression",
        lambda: dict(X_val=XR[VAL], y_val=YR[VAL], sample_weight_val=-_ones(30)),
        r"sample_weight_val: Negative values",
    ),
    (
        "binary",
        lambda: dict(X_val=XB[VAL], y_val=YB[VAL][:-1]),
        r"X_val has 30 rows but y_val has 29",
    ),
    (
        "regression",
        lambda: dict(X_val=XR[VAL][:-2], y_val=YR[VAL]),
        r"X_val has 28 rows but y_val has 30",
    ),
    (
        "regression",
        lambda: dict(X_val=XR[VAL], y_val=np.c_[YR[VAL], YR[VAL]]),
        r"y_val has 2 outputs but the model was fitted with 1",
    ),
    (
        "regression",
        lambda: dict(X_val=XR[VAL], y_val=np.array(["a"] * 30)),
        r"y_val must hold numbers for regression",
    ),
]


@pytest.mark.parametrize(
    "problem, extra, message",
    BAD_VALIDATION,
    ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(BAD_VALIDATION)],
)
def test_bad_validation_data_is_named(problem, extra, message):
    X, y = PROBLEMS[problem][1][TRAIN], PROBLEMS[problem][2][TRAIN]
    est = make(problem, max_iter=2)
    with pytest.raises(ValueError, match=message):
        est.fit(X, y, **extra())


def test_negative_y_val_with_poisson_is_named():
    X, y, Xv, _ = data("regression")
    counts = np.random.RandomState(0).poisson(2.0, size=y.shape).astype(float)
    est = make("regression", loss="poisson", max_iter=2)
    yv = np.ones(30)
    yv[4] = -1.0
    with pytest.raises(ValueError, match=r"loss='poisson'.*y_val has 1 negative"):
        est.fit(X, counts, X_val=Xv, y_val=yv)
    est.fit(X, counts, X_val=Xv, y_val=np.abs(yv))  # non-negative: fine
    assert len(est.validation_loss_curve_) == 2


def test_multilabel_y_val_needs_the_same_columns():
    X, _, Xv, _ = data("binary")
    Y = np.random.RandomState(0).randint(0, 2, (120, 3))
    est = make("binary", max_iter=2)
    with pytest.raises(ValueError, match=r"y_val must be a label indicator matrix"):
        est.fit(X, Y[TRAIN], X_val=Xv, y_val=Y[VAL][:, :2])
    with pytest.raises(ValueError, match=r"with 3 columns.*shape \(30,\)"):
        est.fit(X, Y[TRAIN], X_val=Xv, y_val=Y[VAL][:, 0])
    est.fit(X, Y[TRAIN], X_val=Xv, y_val=Y[VAL])
    assert len(est.validation_scores_) == 2
    assert est.validation_scores_[-1] == accuracy_score(Y[VAL], est.predict(Xv))


# -- 8. a Pipeline transforms X_val; GridSearchCV routes it --------------------


@pytest.mark.parametrize("problem", PROBLEMS)
def test_a_pipeline_scales_x_val_before_the_mlp_sees_it(problem):
    X, y, Xv, yv = data(problem)
    X, Xv = 10 * X + 5, 10 * Xv + 5
    seen = []

    def scorer(estimator, X_val, y_val):
        seen.append(X_val.copy())
        return 0.0

    with sklearn.config_context(enable_metadata_routing=True):
        mlp = make(problem, scoring=scorer, max_iter=3)
        mlp.set_fit_request(X_val=True, y_val=True)
        pipe = Pipeline(
            [("scale", StandardScaler()), ("mlp", mlp)], transform_input=["X_val"]
        )
        pipe.fit(X, y, X_val=Xv, y_val=yv)
    scaled = pipe.named_steps["scale"].transform(Xv)
    assert len(seen) == 3
    for X_val in seen:
        np.testing.assert_array_equal(X_val, scaled)
    assert not np.allclose(scaled, Xv)
    assert len(pipe.named_steps["mlp"].validation_scores_) == 3


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_grid_search_over_a_pipeline_routes_the_validation_set(n_jobs):
    X, y, Xv, yv = data("binary")
    with sklearn.config_context(enable_metadata_routing=True):
        mlp = make("binary", max_iter=4).set_fit_request(X_val=True, y_val=True)
        pipe = Pipeline(
            [("scale", StandardScaler()), ("mlp", mlp)], transform_input=["X_val"]
        )
        search = GridSearchCV(
            pipe, {"mlp__alpha": [1e-4, 1e-1]}, cv=2, n_jobs=n_jobs
        ).fit(X, y, X_val=Xv, y_val=yv)
    best = search.best_estimator_
    fitted = best.named_steps["mlp"]
    assert len(fitted.validation_scores_) == len(fitted.validation_loss_curve_) == 4
    assert fitted.n_iter_ == 4
    # The refit on all rows monitored Xv scaled by its own scaler.
    Xv_scaled = best.named_steps["scale"].transform(Xv)
    assert fitted.validation_scores_[-1] == accuracy_score(
        yv, fitted.predict(Xv_scaled)
    )
    assert set(search.cv_results_["param_mlp__alpha"]) == {1e-4, 1e-1}


# -- 9. partial_fit ------------------------------------------------------------


@pytest.mark.parametrize("problem", PROBLEMS)
def test_partial_fit_takes_no_validation_set(problem):
    X, y, Xv, yv = data(problem)
    est = make(problem, solver="sgd")
    extra = {"classes": np.unique(y)} if problem != "regression" else {}
    with pytest.raises(TypeError, match=r"partial_fit\(\) got an unexpected .*'X_val'"):
        est.partial_fit(X, y, X_val=Xv, y_val=yv, **extra)
    est.partial_fit(X, y, **extra)
    Theirs = MLPRegressor if problem == "regression" else MLPClassifier
    theirs = Theirs(
        hidden_layer_sizes=(6,),
        solver="sgd",
        batch_size=32,
        learning_rate_init=0.01,
        random_state=0,
    ).partial_fit(X, y, **extra)
    assert est.validation_scores_ is theirs.validation_scores_ is None
    assert est.best_validation_score_ is theirs.best_validation_score_ is None
    assert est.validation_loss_curve_ is None
    assert est.loss_curve_ == theirs.loss_curve_


def test_partial_fit_after_a_fit_with_a_validation_set_keeps_its_curves():
    X, y, Xv, yv = data("multiclass")
    est = make("multiclass", solver="sgd", max_iter=5).fit(X, y, X_val=Xv, y_val=yv)
    scores = list(est.validation_scores_)
    est.partial_fit(X, y)
    assert len(est.loss_curve_) == 6
    assert est.validation_scores_ == scores


# -- 10. callbacks --------------------------------------------------------------


@pytest.mark.parametrize(
    "solver, early_stopping", [("adam", False), ("adam", True), ("lbfgs", False)]
)
@pytest.mark.parametrize("problem", PROBLEMS)
def test_callback_records_carry_the_validation_entries(problem, solver, early_stopping):
    X, y, Xv, yv = data(problem)
    records = []

    def callback(estimator, record):
        records.append(dict(record))

    est = make(
        problem,
        solver=solver,
        early_stopping=early_stopping,
        n_iter_no_change=3,
        max_iter=12,
        callbacks=[callback],
    )
    est.fit(X, y, X_val=Xv, y_val=yv)
    assert [r["epoch"] for r in records] == list(range(1, est.n_iter_ + 1))
    assert [r["validation_score"] for r in records] == est.validation_scores_
    assert [r["validation_loss"] for r in records] == est.validation_loss_curve_
    assert [r["loss"] for r in records] == est.loss_curve_

    records.clear()
    est.fit(X, y)  # no validation set: early stopping's split, or None
    assert [r["epoch"] for r in records] == list(range(1, est.n_iter_ + 1))
    if early_stopping:
        assert [r["validation_score"] for r in records] == est.validation_scores_
        assert [r["validation_loss"] for r in records] == est.validation_loss_curve_
    else:
        assert {r["validation_score"] for r in records} == {None}
        assert {r["validation_loss"] for r in records} == {None}


# -- 11. warm_start --------------------------------------------------------------


@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("problem", PROBLEMS)
def test_warm_start_continues_the_curves_and_a_new_fit_resets_them(
    problem, early_stopping
):
    X, y, Xv, yv = data(problem)
    est = make(
        problem,
        warm_start=True,
        max_iter=4,
        early_stopping=early_stopping,
        n_iter_no_change=100,
    )
    est.fit(X, y, X_val=Xv, y_val=yv)
    first_scores = list(est.validation_scores_)
    first_losses = list(est.validation_loss_curve_)
    assert len(first_scores) == len(first_losses) == 4
    est.fit(X, y, X_val=Xv, y_val=yv)
    assert est.n_iter_ == 4
    assert len(est.loss_curve_) == 8
    assert len(est.validation_scores_) == len(est.validation_loss_curve_) == 8
    assert est.validation_scores_[:4] == first_scores
    assert est.validation_loss_curve_[:4] == first_losses
    assert est.validation_scores_[4:] != first_scores

    est.set_params(warm_start=False).fit(X, y, X_val=Xv, y_val=yv)
    assert len(est.loss_curve_) == 4
    assert est.validation_scores_ == first_scores
    assert est.validation_loss_curve_ == first_losses


def test_warm_start_after_a_fit_without_a_validation_set_starts_the_curves():
    X, y, Xv, yv = data("regression")
    est = make("regression", warm_start=True, max_iter=3).fit(X, y)
    assert est.validation_scores_ is None
    est.fit(X, y, X_val=Xv, y_val=yv)
    assert len(est.loss_curve_) == 6
    assert len(est.validation_scores_) == len(est.validation_loss_curve_) == 3
    assert est.validation_scores_[-1] == pytest.approx(
        own_score(est, Xv, yv), rel=1e-12
    )


def test_warm_start_may_turn_early_stopping_off():
    """scikit-learn fails here (best_loss_ is None after early stopping)."""
    X, y, Xv, yv = data("binary")
    est = make("binary", early_stopping=True, max_iter=5, n_iter_no_change=100)
    est.fit(X, y, X_val=Xv, y_val=yv)
    assert est.best_loss_ is None
    est.set_params(warm_start=True, early_stopping=False).fit(X, y, X_val=Xv, y_val=yv)
    assert len(est.loss_curve_) == len(est.validation_scores_) == 10
    assert est.best_loss_ == min(est.loss_curve_[5:])
