"""skmlp.plotting with BackpropMLPRegressor: what is drawn, against the network.

The hidden-unit curves of a regressor of one input feature are checked value
by value: each curve is the unit's activation (times its output weight in the
last hidden layer), the drawn prediction is the regressor's ``predict`` on the
same x, and the last layer's curves plus the output bias, through the output
activation, add up to it. LossCurveDisplay draws a regressor's loss, validation
loss and validation R². The displays of decision boundaries refuse regressors
with an error that names what to use instead.
"""

import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from sklearn.exceptions import ConvergenceWarning, NotFittedError  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.neural_network import MLPRegressor  # noqa: E402

from skmlp import (  # noqa: E402
    BackpropMLPClassifier,
    BackpropMLPRegressor,
    WeightSnapshots,
)
from skmlp.plotting import (  # noqa: E402
    BoundaryComparisonDisplay,
    HiddenUnitsDisplay,
    LossCurveDisplay,
    TrainingAnimation,
)
from skmlp.plotting._unit_curves import HiddenUnitCurvesDisplay  # noqa: E402

SUM = r"\Sigma_j A_j(x)\,w_j + b"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def sine():
    rng = np.random.RandomState(0)
    X = rng.uniform(-3, 3, size=(120, 1))
    y = np.sin(X[:, 0]) + 0.1 * rng.normal(size=120)
    return X, y


@pytest.fixture(scope="module")
def sine_5(sine):
    """A 1-5-1 tanh network fitted to a noisy sine."""
    return BackpropMLPRegressor(
        hidden_layer_sizes=(5,), activation="tanh", solver="lbfgs", random_state=0
    ).fit(*sine)


@pytest.fixture(scope="module")
def sine_8_4(sine):
    """A 1-8-4-1 relu network."""
    return BackpropMLPRegressor(
        hidden_layer_sizes=(8, 4), solver="lbfgs", max_iter=1000, random_state=0
    ).fit(*sine)


def _grid(display):
    return display.x.reshape(-1, 1)


# -- the curves of a regressor's hidden units ------------------------------------


def test_one_hidden_layer_curves_add_up_to_the_prediction(sine, sine_5):
    X, y = sine
    display = HiddenUnitsDisplay.from_estimator(sine_5, X, y)
    assert isinstance(display, HiddenUnitCurvesDisplay)
    assert isinstance(display, HiddenUnitsDisplay)
    grid = _grid(display)
    assert len(display.x) == 300 and display.x[0] < X.min() < X.max() < display.x[-1]

    # One curve per hidden unit: its activation times its output weight.
    A = sine_5.hidden_activations(grid, layer=0)
    w, b = sine_5.coefs_[-1][:, 0], sine_5.intercepts_[-1][0]
    assert len(display.unit_lines_) == 5 == sine_5.coefs_[0].shape[1]
    for j, line in enumerate(display.unit_lines_):
        np.testing.assert_array_equal(line.get_xdata(), display.x)
        np.testing.assert_array_equal(line.get_ydata(), A[:, j] * w[j])
        assert line.get_label() == f"unit {j + 1}"
        assert line.axes is display.axes_[0]
    assert list(display.bias_line_.get_ydata()) == [b, b]

    # Their sum plus the bias is the drawn prediction, which is predict().
    drawn_sum = sum(line.get_ydata() for line in display.unit_lines_) + b
    prediction = display.prediction_line_.get_ydata()
    np.testing.assert_allclose(drawn_sum, sine_5.predict(grid), rtol=0, atol=1e-12)
    np.testing.assert_allclose(prediction, sine_5.predict(grid), rtol=0, atol=1e-12)
    assert display.prediction_line_.axes is display.axes_[1]

    # The training points, titles, labels and legends.
    np.testing.assert_array_equal(display.scatter_.get_offsets(), np.c_[X, y])
    assert [ax.get_title() for ax in display.axes_] == [
        r"layer 1: contributions $A_j(x)\,w_j$",
        f"prediction $= {SUM}$",
    ]
    assert [ax.get_xlabel() for ax in display.axes_] == ["x", "x"]
    assert [ax.get_ylabel() for ax in display.axes_] == ["contribution", "prediction"]
    units_legend = [t.get_text() for t in display.axes_[0].get_legend().get_texts()]
    assert units_legend == [f"unit {j}" for j in range(1, 6)] + ["output bias $b$"]
    net_legend = [t.get_text() for t in display.axes_[1].get_legend().get_texts()]
    assert net_legend == ["training data", "prediction"]
    assert display.axes_[1].get_xlim() == (display.x[0], display.x[-1])
    display.figure_.canvas.draw()  # renders (mathtext titles included)


def test_poisson_prediction_is_exp_of_the_sum(sine):
    X, _ = sine
    rng = np.random.RandomState(1)
    y = rng.poisson(np.exp(0.5 * X[:, 0]))
    reg = BackpropMLPRegressor(
        "poisson", hidden_layer_sizes=(6,), solver="lbfgs", random_state=0
    ).fit(X, y)
    assert reg.out_activation_ == "exp"
    display = HiddenUnitsDisplay.from_estimator(reg, X, y, grid_resolution=50)
    grid = _grid(display)
    b = reg.intercepts_[-1][0]
    drawn_sum = sum(line.get_ydata() for line in display.unit_lines_) + b
    np.testing.assert_allclose(np.exp(drawn_sum), reg.predict(grid), rtol=1e-12)
    np.testing.assert_allclose(
        display.prediction_line_.get_ydata(), reg.predict(grid), rtol=1e-12
    )
    assert display.axes_[-1].get_title() == rf"prediction $= \exp({SUM})$"


def test_deeper_network_draws_every_layer_and_sums_the_last(sine, sine_8_4):
    X, y = sine
    display = HiddenUnitsDisplay.from_estimator(sine_8_4, X, y, grid_resolution=80)
    grid = _grid(display)
    A1, A2 = sine_8_4.hidden_activations(grid)
    w = sine_8_4.coefs_[-1][:, 0]
    assert len(display.axes_) == 3
    assert len(display.unit_lines_) == 12
    assert display.units == [(0, u) for u in range(8)] + [(1, u) for u in range(4)]
    first, last = display.unit_lines_[:8], display.unit_lines_[8:]
    for j, line in enumerate(first):  # activations of the first layer
        np.testing.assert_array_equal(line.get_ydata(), A1[:, j])
        assert line.axes is display.axes_[0]
    for j, line in enumerate(last):  # contributions of the last one
        np.testing.assert_array_equal(line.get_ydata(), A2[:, j] * w[j])
        assert line.axes is display.axes_[1]
    assert display.bias_line_.axes is display.axes_[1]
    drawn_sum = sum(line.get_ydata() for line in last) + sine_8_4.intercepts_[-1][0]
    np.testing.assert_allclose(drawn_sum, sine_8_4.predict(grid), rtol=0, atol=1e-12)
    assert [ax.get_title() for ax in display.axes_] == [
        "layer 1: activations $A_j(x)$",
        r"layer 2: contributions $A_j(x)\,w_j$",
        f"prediction $= {SUM}$",
    ]
    assert display.axes_[0].get_ylabel() == "activation"


@pytest.mark.parametrize(("layer", "n_lines"), [(0, 8), (-2, 8), (1, 4), (-1, 4)])
def test_one_layer_of_a_deeper_network(sine, sine_8_4, layer, n_lines):
    X, y = sine
    display = HiddenUnitsDisplay.from_estimator(
        sine_8_4, X, y, layer=layer, grid_resolution=40
    )
    assert len(display.axes_) == 2 and len(display.unit_lines_) == n_lines
    assert (display.bias_line_ is None) == (layer % 2 == 0)
    # The prediction panel is the network's prediction whichever layer is drawn.
    np.testing.assert_allclose(
        display.prediction_line_.get_ydata(),
        sine_8_4.predict(_grid(display)),
        rtol=0,
        atol=1e-12,
    )


def test_multi_output_needs_output(sine):
    X, y = sine
    Y = np.c_[y, 2 * X[:, 0]]
    reg = BackpropMLPRegressor(
        hidden_layer_sizes=(4,), solver="lbfgs", random_state=0
    ).fit(X, Y)
    with pytest.raises(ValueError, match=r"2 outputs; choose .* output=0 \.\.\."):
        HiddenUnitsDisplay.from_estimator(reg, X, Y)
    with pytest.raises(ValueError, match=r"output must be an int in \[0, 2\)"):
        HiddenUnitsDisplay.from_estimator(reg, X, Y, output=2)
    display = HiddenUnitsDisplay.from_estimator(reg, X, Y, output=1, grid_resolution=30)
    grid = _grid(display)
    w = reg.coefs_[-1][:, 1]
    A = reg.hidden_activations(grid, layer=0)
    for j, line in enumerate(display.unit_lines_):
        np.testing.assert_array_equal(line.get_ydata(), A[:, j] * w[j])
    np.testing.assert_allclose(
        display.prediction_line_.get_ydata(), reg.predict(grid)[:, 1], atol=1e-12
    )
    np.testing.assert_array_equal(display.scatter_.get_offsets()[:, 1], Y[:, 1])
    assert display.axes_[-1].get_title().endswith("(output 2)")
    assert display.axes_[-1].get_ylabel() == "output 2"


def test_many_units_without_a_legend_and_with_a_dataframe(sine):
    pd = pytest.importorskip("pandas")
    X, y = sine
    frame = pd.DataFrame({"age": X[:, 0]})
    reg = BackpropMLPRegressor(
        hidden_layer_sizes=(30,), solver="lbfgs", max_iter=50, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(frame, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. no "X does not have valid feature names"
        display = HiddenUnitsDisplay.from_estimator(reg, frame, y, grid_resolution=20)
    assert len(display.unit_lines_) == 30
    assert display.axes_[0].get_legend() is None
    assert [ax.get_xlabel() for ax in display.axes_] == ["age", "age"]
    # Colours come from a sequential map: all distinct.
    colors = {tuple(line.get_color()) for line in display.unit_lines_}
    assert len(colors) == 30


def test_curves_into_given_axes_and_without_targets(sine, sine_5):
    X, _ = sine
    fig, axes = plt.subplots(1, 3)
    display = HiddenUnitsDisplay.from_estimator(sine_5, X, ax=axes, grid_resolution=20)
    assert display.figure_ is fig and list(display.axes_) == list(axes[:2])
    assert display.scatter_ is None
    with pytest.raises(ValueError, match="at least 2 axes"):
        HiddenUnitsDisplay.from_estimator(sine_5, X, ax=axes[:1])
    display = HiddenUnitsDisplay.from_estimator(sine_5, X, n_cols=1)
    assert display.axes_[1].get_subplotspec().rowspan.start == 1


def test_regressor_curves_errors(sine, sine_5):
    X, y = sine
    with pytest.raises(ValueError, match=r"exactly one feature.*\(120, 2\)"):
        HiddenUnitsDisplay.from_estimator(sine_5, np.c_[X, X], y)
    two = BackpropMLPRegressor(hidden_layer_sizes=(3,), solver="lbfgs", max_iter=20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        two.fit(np.c_[X, X], y)
    with pytest.raises(ValueError, match=r"exactly one feature.*fitted on 2"):
        HiddenUnitsDisplay.from_estimator(two, X, y)
    with pytest.raises(ValueError, match=r"exactly one feature.*\(120,\)"):
        HiddenUnitsDisplay.from_estimator(sine_5, X[:, 0], y)
    with pytest.raises(NotFittedError):
        HiddenUnitsDisplay.from_estimator(BackpropMLPRegressor(), X, y)
    linear = BackpropMLPRegressor(hidden_layer_sizes=(), solver="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match="no hidden layers"):
        HiddenUnitsDisplay.from_estimator(linear, X, y)
    with pytest.raises(ValueError, match=r"layer must be None or an int in \[-1, 1\)"):
        HiddenUnitsDisplay.from_estimator(sine_5, X, y, layer=1)
    with pytest.raises(ValueError, match="one target per row of X"):
        HiddenUnitsDisplay.from_estimator(sine_5, X, y[:10])
    with pytest.raises(TypeError, match="hidden_activations"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            sk = MLPRegressor(hidden_layer_sizes=(3,), max_iter=5, random_state=0).fit(
                X, y
            )
        HiddenUnitsDisplay.from_estimator(sk, X, y)


def test_output_is_only_for_regressors():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    clf = BackpropMLPClassifier((3,), solver="lbfgs", random_state=0)
    clf.fit(X, [0, 1, 1, 0])
    with pytest.raises(ValueError, match="leave output=None"):
        HiddenUnitsDisplay.from_estimator(clf, X, output=0)


def test_boundary_displays_refuse_a_regressor_by_name(sine, sine_5):
    X, y = sine
    X2 = np.c_[X, X]
    expected = "draws decision boundaries between classes, so it needs a classifier"
    with pytest.raises(ValueError, match=f"BoundaryComparisonDisplay {expected}"):
        BoundaryComparisonDisplay.from_estimators(sine_5, LogisticRegression(), X)
    with pytest.raises(ValueError, match=f"TrainingAnimation {expected}"):
        TrainingAnimation.from_snapshots(sine_5, WeightSnapshots(), X2, y)
    reg = BackpropMLPRegressor(hidden_layer_sizes=(3,))
    with pytest.raises(ValueError, match=f"TrainingAnimation {expected}"):
        TrainingAnimation.from_training(reg, X2, y, epochs=2)
    assert not hasattr(reg, "coefs_")  # refused before training


# -- LossCurveDisplay of a regressor ----------------------------------------------


def test_loss_curve_of_a_regressor_with_early_stopping(sine):
    X, y = sine
    reg = BackpropMLPRegressor(
        hidden_layer_sizes=(8,),
        learning_rate_init=0.01,
        max_iter=40,
        early_stopping=True,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X, y)
    display = LossCurveDisplay.from_estimator(reg, name="1-8-1")
    epochs = np.arange(1, reg.n_iter_ + 1)
    np.testing.assert_array_equal(display.line_.get_xdata(), epochs)
    np.testing.assert_allclose(display.line_.get_ydata(), reg.loss_curve_)
    np.testing.assert_allclose(
        display.validation_loss_line_.get_ydata(), reg.validation_loss_curve_
    )
    np.testing.assert_allclose(
        display.validation_score_line_.get_ydata(), reg.validation_scores_
    )
    best = int(np.argmax(reg.validation_scores_)) + 1
    assert list(display.best_epoch_line_.get_xdata()) == [best, best]
    assert display.score_ax_.get_ylabel() == "validation score (R²)"
    labels = [t.get_text() for t in display.legend_.get_texts()]
    assert labels[:3] == [
        "1-8-1: training loss",
        "1-8-1: validation loss",
        "1-8-1: validation score",
    ]


def test_loss_curves_of_regressors_skmlp_and_sklearn(sine, sine_5):
    X, y = sine
    display = LossCurveDisplay.from_estimator(sine_5)
    np.testing.assert_allclose(display.line_.get_ydata(), sine_5.loss_curve_)
    assert display.ax_.get_xlabel() == "iteration" and display.score_ax_ is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = MLPRegressor(
            hidden_layer_sizes=(4,), max_iter=20, early_stopping=True, random_state=0
        )
        sk.fit(X, y)
    display = LossCurveDisplay.from_estimator(sk)
    np.testing.assert_allclose(display.line_.get_ydata(), sk.loss_curve_)
    np.testing.assert_allclose(
        display.validation_score_line_.get_ydata(), sk.validation_scores_
    )
    assert display.validation_loss_line_ is None
    assert display.score_ax_.get_ylabel() == "validation score (R²)"
    with pytest.raises(NotFittedError):
        LossCurveDisplay.from_estimator(BackpropMLPRegressor())


def test_loss_curve_names_a_classifiers_score_accuracy():
    X = np.random.RandomState(0).normal(size=(60, 2))
    clf = BackpropMLPClassifier((4,), max_iter=15, early_stopping=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, X[:, 0] > 0)
    display = LossCurveDisplay.from_estimator(clf)
    assert display.score_ax_.get_ylabel() == "validation score (accuracy)"
    assert (
        LossCurveDisplay([1.0, 0.5], validation_scores=[0.1, 0.2])
        .plot()
        .score_ax_.get_ylabel()
        == "validation score"
    )
