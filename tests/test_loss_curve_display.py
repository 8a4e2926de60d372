"""LossCurveDisplay with validation sets: what is drawn, where, and its labels.

Each test fits a small model one of the ways issue 17 allows (early stopping on
a split of the training data, on a validation set of your own, a validation set
only watched, ``scoring="loss"``, L-BFGS, scikit-learn's own MLP) and checks the
drawn lines' x and y data against the fitted attributes, and the kept epoch
against the weights the model really kept (recorded every epoch by
:class:`~skmlp.WeightSnapshots`).
"""

import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import make_moons  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.metrics import balanced_accuracy_score, make_scorer  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

from skmlp import (  # noqa: E402
    BackpropMLPClassifier,
    BackpropMLPRegressor,
    WeightSnapshots,
)
from skmlp.plotting import LossCurveDisplay  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def moons():
    X, y = make_moons(200, noise=0.3, random_state=0)
    X_val, y_val = make_moons(150, noise=0.3, random_state=1)
    return X, y, X_val, y_val


def _labels(display):
    return [text.get_text() for text in display.legend_.get_texts()]


def _vline_at(line):
    """The epoch of a vertical line drawn by axvline."""
    x = list(line.get_xdata())
    assert x[0] == x[1]
    return x[0]


def _fit(estimator, *args, **kwargs):
    """Fit, and say whether it ran to max_iter (a ConvergenceWarning)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        estimator.fit(*args, **kwargs)
    return any(issubclass(w.category, ConvergenceWarning) for w in caught)


def _assert_curves(display, estimator):
    """Training and validation curves drawn at loss_curve_'s epochs."""
    n = len(estimator.loss_curve_)
    x, loss = display.line_.get_data()
    np.testing.assert_array_equal(x, np.arange(1, n + 1))
    np.testing.assert_allclose(loss, estimator.loss_curve_)
    scores = estimator.validation_scores_
    x, drawn = display.validation_score_line_.get_data()
    np.testing.assert_array_equal(x, np.arange(n - len(scores) + 1, n + 1))
    np.testing.assert_allclose(drawn, scores)
    assert display.validation_score_line_.axes is display.score_ax_
    val_loss = getattr(estimator, "validation_loss_curve_", None)
    if val_loss is None:
        assert display.validation_loss_line_ is None
    else:
        x, drawn = display.validation_loss_line_.get_data()
        np.testing.assert_array_equal(x, np.arange(n - len(val_loss) + 1, n + 1))
        np.testing.assert_allclose(drawn, val_loss)
        assert display.validation_loss_line_.axes is display.ax_


def _assert_kept(estimator, snapshots, epoch):
    """The estimator's weights are those recorded after ``epoch``."""
    k = snapshots.epochs.index(epoch)
    for kept, recorded in zip(estimator.coefs_, snapshots.coefs[k]):
        np.testing.assert_array_equal(kept, recorded)
    for kept, recorded in zip(estimator.intercepts_, snapshots.intercepts[k]):
        np.testing.assert_array_equal(kept, recorded)


def test_early_stopping_on_a_split_marks_best_kept_and_stop(moons):
    X, y, _, _ = moons
    snapshots = WeightSnapshots()
    clf = BackpropMLPClassifier(
        (16,),
        learning_rate_init=0.02,
        max_iter=100,
        early_stopping=True,
        callbacks=[snapshots],
        random_state=0,
    )
    assert not _fit(clf, X, y)
    assert clf.n_iter_ < clf.max_iter
    display = LossCurveDisplay.from_estimator(clf, name="mlp")
    _assert_curves(display, clf)
    best = int(np.argmax(clf.validation_scores_)) + 1
    assert best < clf.n_iter_
    _assert_kept(clf, snapshots, best)
    assert _vline_at(display.kept_epoch_line_) == best
    assert display.best_epoch_line_ is display.kept_epoch_line_
    assert _vline_at(display.stopped_epoch_line_) == clf.n_iter_
    assert _labels(display) == [
        "mlp: training loss",
        "mlp: validation loss",
        "mlp: validation score",
        f"mlp: weights kept (epoch {best})",
        f"mlp: stopped (epoch {clf.n_iter_})",
    ]
    assert display.score_ax_.get_ylabel() == "validation score (accuracy)"
    assert display.ax_.get_xlabel() == "epoch"


def test_early_stopping_on_your_own_validation_set(moons):
    X, y, X_val, y_val = moons
    snapshots = WeightSnapshots()
    clf = BackpropMLPClassifier(
        (16,),
        learning_rate_init=0.02,
        max_iter=100,
        early_stopping=True,
        callbacks=[snapshots],
        random_state=0,
    )
    assert not _fit(clf, X, y, X_val=X_val, y_val=y_val)
    display = LossCurveDisplay.from_estimator(clf)
    _assert_curves(display, clf)
    # Every training row was used: one loss per epoch over the whole X.
    assert clf.t_ == clf.n_iter_ * len(X)
    best = int(np.argmax(clf.validation_scores_)) + 1
    _assert_kept(clf, snapshots, best)
    # The scores drawn are X_val's: the kept model scores its best one on it.
    assert clf.score(X_val, y_val) == clf.validation_scores_[best - 1]
    assert _vline_at(display.kept_epoch_line_) == best
    assert _vline_at(display.stopped_epoch_line_) == clf.n_iter_
    assert _labels(display)[3:] == [
        f"weights kept (epoch {best})",
        f"stopped (epoch {clf.n_iter_})",
    ]


def test_validation_set_without_early_stopping_keeps_the_last_epoch(moons):
    X, y, X_val, y_val = moons
    X, y = X[:60], y[:60]  # a small training set, to overfit
    snapshots = WeightSnapshots()
    clf = BackpropMLPClassifier(
        (32,),
        learning_rate_init=0.02,
        max_iter=60,
        callbacks=[snapshots],
        random_state=0,
    )
    ran_to_max_iter = _fit(clf, X, y, X_val=X_val, y_val=y_val)
    assert ran_to_max_iter and clf.n_iter_ == clf.max_iter
    display = LossCurveDisplay.from_estimator(clf)
    _assert_curves(display, clf)
    n = clf.n_iter_
    _assert_kept(clf, snapshots, n)
    best = int(np.argmax(clf.validation_scores_)) + 1
    assert best != n
    assert _vline_at(display.best_epoch_line_) == best
    assert _vline_at(display.kept_epoch_line_) == n
    assert display.stopped_epoch_line_ is None  # it ran to max_iter
    assert _labels(display) == [
        "training loss",
        "validation loss",
        "validation score",
        f"best validation score (epoch {best})",
        f"weights kept (epoch {n})",
    ]


def test_stopped_by_the_training_loss_rule_is_marked(moons):
    X, y, X_val, y_val = moons
    clf = BackpropMLPClassifier(
        (8,), learning_rate_init=0.05, max_iter=500, tol=1e-3, random_state=0
    )
    assert not _fit(clf, X, y, X_val=X_val, y_val=y_val)
    assert clf.n_iter_ < clf.max_iter
    display = LossCurveDisplay.from_estimator(clf)
    assert _vline_at(display.stopped_epoch_line_) == clf.n_iter_
    assert _vline_at(display.kept_epoch_line_) == clf.n_iter_
    assert _labels(display)[-1] == f"stopped (epoch {clf.n_iter_})"


def test_scoring_loss_draws_the_negative_loss(moons):
    X, y, _, _ = moons
    snapshots = WeightSnapshots()
    clf = BackpropMLPClassifier(
        (16,),
        learning_rate_init=0.02,
        max_iter=100,
        early_stopping=True,
        scoring="loss",
        n_iter_no_change=5,
        callbacks=[snapshots],
        random_state=0,
    )
    _fit(clf, X, y)
    display = LossCurveDisplay.from_estimator(clf)
    _assert_curves(display, clf)
    np.testing.assert_allclose(
        display.validation_score_line_.get_ydata(),
        -np.asarray(display.validation_loss_line_.get_ydata()),
    )
    best = int(np.argmin(clf.validation_loss_curve_)) + 1
    _assert_kept(clf, snapshots, best)
    assert _vline_at(display.kept_epoch_line_) == best
    assert display.score_ax_.get_ylabel() == "validation score (negative loss)"
    assert f"weights kept (epoch {best})" in _labels(display)


def test_lbfgs_with_a_validation_set(moons):
    X, y, X_val, y_val = moons
    clf = BackpropMLPClassifier((16,), solver="lbfgs", max_iter=40, random_state=0)
    assert _fit(clf, X, y, X_val=X_val, y_val=y_val)  # L-BFGS does not stop
    display = LossCurveDisplay.from_estimator(clf)
    _assert_curves(display, clf)
    n = len(clf.loss_curve_)
    assert n == 40 and display.ax_.get_xlabel() == "iteration"
    # L-BFGS keeps its last iterate.
    assert _vline_at(display.kept_epoch_line_) == n
    assert display.stopped_epoch_line_ is None
    best = int(np.argmax(clf.validation_scores_)) + 1
    labels = _labels(display)
    assert labels[-1] == f"weights kept (iteration {n})"
    if best != n:
        assert labels[-2] == f"best validation score (iteration {best})"


def test_lbfgs_with_early_stopping_and_a_validation_set(moons):
    X, y, X_val, y_val = moons
    clf = BackpropMLPClassifier(
        (16,), solver="lbfgs", max_iter=40, early_stopping=True, random_state=0
    )
    _fit(clf, X, y, X_val=X_val, y_val=y_val)
    display = LossCurveDisplay.from_estimator(clf)
    # early_stopping does not apply to L-BFGS: it keeps its last iterate.
    assert _vline_at(display.kept_epoch_line_) == len(clf.loss_curve_)


def test_lbfgs_that_ends_early_is_not_marked_stopped():
    X, y = make_moons(40, noise=0.1, random_state=0)
    clf = BackpropMLPClassifier((8,), solver="lbfgs", max_iter=2000, random_state=0)
    _fit(clf, X, y, X_val=X, y_val=y)
    assert clf.n_iter_ < clf.max_iter
    display = LossCurveDisplay.from_estimator(clf)
    assert display.stopped_epoch_line_ is None


def test_sklearn_mlp_classifier(moons):
    X, y, _, _ = moons
    mlp = MLPClassifier(
        (16,),
        learning_rate_init=0.02,
        max_iter=100,
        early_stopping=True,
        random_state=0,
    )
    assert not _fit(mlp, X, y)
    assert not hasattr(mlp, "scoring")
    display = LossCurveDisplay.from_estimator(mlp)
    _assert_curves(display, mlp)
    best = int(np.argmax(mlp.validation_scores_)) + 1
    assert _vline_at(display.kept_epoch_line_) == best
    assert _vline_at(display.stopped_epoch_line_) == mlp.n_iter_
    assert _labels(display) == [
        "training loss",
        "validation score",
        f"weights kept (epoch {best})",
        f"stopped (epoch {mlp.n_iter_})",
    ]
    assert display.score_ax_.get_ylabel() == "validation score (accuracy)"
    # skmlp trains the same model: the same picture.
    ours = BackpropMLPClassifier(
        (16,),
        learning_rate_init=0.02,
        max_iter=100,
        early_stopping=True,
        random_state=0,
    )
    _fit(ours, X, y)
    assert _labels(LossCurveDisplay.from_estimator(ours))[2:] == _labels(display)[1:]


def test_sklearn_mlp_without_validation_marks_only_the_stop(moons):
    X, y, _, _ = moons
    mlp = MLPClassifier((8,), learning_rate_init=0.05, max_iter=500, tol=1e-3)
    mlp.set_params(random_state=0)
    assert not _fit(mlp, X, y)
    display = LossCurveDisplay.from_estimator(mlp)
    assert display.score_ax_ is None and display.kept_epoch_line_ is None
    assert _labels(display) == ["training loss", f"stopped (epoch {mlp.n_iter_})"]


def test_warm_start_validation_begun_later_is_aligned_to_the_end(moons):
    X, y, X_val, y_val = moons
    clf = BackpropMLPClassifier(
        (8,),
        learning_rate_init=0.02,
        max_iter=15,
        tol=0.0,
        n_iter_no_change=100,
        warm_start=True,
        random_state=0,
    )
    _fit(clf, X, y)
    _fit(clf, X, y, X_val=X_val, y_val=y_val)
    assert len(clf.loss_curve_) == 30 and len(clf.validation_scores_) == 15
    display = LossCurveDisplay.from_estimator(clf)
    _assert_curves(display, clf)
    np.testing.assert_array_equal(
        display.validation_score_line_.get_xdata(), np.arange(16, 31)
    )
    best = 15 + int(np.argmax(clf.validation_scores_)) + 1
    assert _vline_at(display.kept_epoch_line_) == 30
    if best != 30:
        assert _vline_at(display.best_epoch_line_) == best


def test_warm_start_early_stopping_marks_in_loss_curve_epochs(moons):
    X, y, X_val, y_val = moons
    snapshots = WeightSnapshots()
    clf = BackpropMLPClassifier(
        (8,),
        learning_rate_init=0.02,
        max_iter=10,
        tol=0.0,
        n_iter_no_change=100,
        warm_start=True,
        callbacks=[snapshots],
        random_state=0,
    )
    _fit(clf, X, y)  # 10 epochs without validation
    clf.set_params(early_stopping=True, max_iter=100, n_iter_no_change=5, tol=1e-4)
    assert not _fit(clf, X, y, X_val=X_val, y_val=y_val)
    n = len(clf.loss_curve_)
    assert n == 10 + clf.n_iter_
    display = LossCurveDisplay.from_estimator(clf)
    _assert_curves(display, clf)
    best = 10 + int(np.argmax(clf.validation_scores_)) + 1
    _assert_kept(clf, snapshots, best)
    assert _vline_at(display.kept_epoch_line_) == best
    assert _vline_at(display.stopped_epoch_line_) == n


def test_partial_fit_is_not_marked_stopped(moons):
    X, y, _, _ = moons
    clf = BackpropMLPClassifier((4,), random_state=0)
    for _ in range(3):
        clf.partial_fit(X, y, classes=[0, 1])
    display = LossCurveDisplay.from_estimator(clf)
    assert display.stopped_epoch_line_ is None
    assert _labels(display) == ["training loss"]


@pytest.mark.parametrize(
    "scoring, name",
    [
        ("balanced_accuracy", "balanced_accuracy"),
        ("neg_log_loss", "neg_log_loss"),
        (make_scorer(balanced_accuracy_score), "custom score"),
    ],
)
def test_score_axis_is_named_after_scoring(moons, scoring, name):
    X, y, _, _ = moons
    clf = BackpropMLPClassifier(
        (4,), max_iter=12, early_stopping=True, scoring=scoring, random_state=0
    )
    _fit(clf, X, y)
    display = LossCurveDisplay.from_estimator(clf)
    assert display.score_ax_.get_ylabel() == f"validation score ({name})"


def test_score_axis_of_a_scoring_function(moons):
    X, y, _, _ = moons

    def agreement(estimator, X, y):
        return float(np.mean(estimator.predict(X) == y))

    clf = BackpropMLPClassifier(
        (4,), max_iter=12, early_stopping=True, scoring=agreement, random_state=0
    )
    _fit(clf, X, y)
    display = LossCurveDisplay.from_estimator(clf)
    assert display.score_ax_.get_ylabel() == "validation score (agreement)"
    np.testing.assert_allclose(
        display.validation_score_line_.get_ydata(), clf.validation_scores_
    )


def test_regressor_with_scoring_loss_and_a_validation_set():
    rng = np.random.RandomState(0)
    X = rng.uniform(-2, 2, size=(120, 1))
    y = np.sin(2 * X[:, 0]) + 0.1 * rng.normal(size=120)
    reg = BackpropMLPRegressor(
        hidden_layer_sizes=(8,),
        learning_rate_init=0.02,
        max_iter=30,
        early_stopping=True,
        scoring="loss",
        random_state=0,
    )
    _fit(reg, X[:80], y[:80], X_val=X[80:], y_val=y[80:])
    display = LossCurveDisplay.from_estimator(reg)
    _assert_curves(display, reg)
    assert display.score_ax_.get_ylabel() == "validation score (negative loss)"
    best = int(np.argmax(reg.validation_scores_)) + 1
    assert _vline_at(display.kept_epoch_line_) == best


def test_constructor_is_backward_compatible_and_checks_epochs():
    display = LossCurveDisplay(
        [0.7, 0.4, 0.3], validation_scores=[0.5, 0.8, 0.7], name="m"
    ).plot()
    assert _vline_at(display.best_epoch_line_) == 2
    assert display.kept_epoch_line_ is None and display.stopped_epoch_line_ is None
    assert _labels(display) == [
        "m: training loss",
        "m: validation score",
        "m: best validation score (epoch 2)",
    ]
    # Only a loss curve: no score axis, no markers unless asked for.
    display = LossCurveDisplay([1.0, 0.5, 0.4], stopped_epoch=3).plot()
    assert display.score_ax_ is None and display.best_epoch_line_ is None
    assert _labels(display) == ["training loss", "stopped (epoch 3)"]
    with pytest.raises(TypeError, match="kept_epoch must be an int"):
        LossCurveDisplay([1.0], kept_epoch=1.5).plot()
    # NaN scores (a diverged epoch) are skipped when finding the best.
    display = LossCurveDisplay(
        [1.0, 0.5, 0.4], validation_scores=[np.nan, 0.2, 0.1]
    ).plot()
    assert _vline_at(display.best_epoch_line_) == 2


def test_two_models_on_one_axes_keep_their_markers(moons):
    X, y, X_val, y_val = moons
    common = dict(learning_rate_init=0.02, max_iter=100, random_state=0)
    split = BackpropMLPClassifier((16,), early_stopping=True, **common)
    own = BackpropMLPClassifier((16,), early_stopping=True, **common)
    _fit(split, X, y)
    _fit(own, X, y, X_val=X_val, y_val=y_val)
    first = LossCurveDisplay.from_estimator(split, name="split")
    second = LossCurveDisplay.from_estimator(own, ax=first.ax_, name="own")
    labels = _labels(second)
    assert labels[:4] == [
        "split: training loss",
        "split: validation loss",
        "own: training loss",
        "own: validation loss",
    ]
    assert labels[4:] == [
        "split: validation score",
        "own: validation score",
        f"split: weights kept (epoch {_vline_at(first.kept_epoch_line_)})",
        f"split: stopped (epoch {split.n_iter_})",
        f"own: weights kept (epoch {_vline_at(second.kept_epoch_line_)})",
        f"own: stopped (epoch {own.n_iter_})",
    ]
    assert first.score_ax_ is not second.score_ax_
