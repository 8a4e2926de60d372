"""skmlp.plotting: assertions on what was drawn, rendered with Agg.

Every test checks the drawn artists against the estimator: the panels and
their titles, each first-layer unit's line against its weights, deeper units'
contours and the decision boundaries against the network's outputs, the
colours on both sides of a boundary in the rendered pixels, the animation's
frames and the saved GIF's.
"""

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
from scipy.special import expit

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from PIL import Image  # noqa: E402
from sklearn.exceptions import ConvergenceWarning, NotFittedError  # noqa: E402
from sklearn.inspection import DecisionBoundaryDisplay  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

from skmlp import BackpropMLPClassifier, StopWhenLossBelow, WeightSnapshots  # noqa: E402
from skmlp.datasets import load_rings, make_spirals, make_xor  # noqa: E402
from skmlp.plotting import (  # noqa: E402
    BoundaryComparisonDisplay,
    HiddenUnitsDisplay,
    LossCurveDisplay,
    TrainingAnimation,
)

RES = 24  # grid resolution: small, the tests are about what is drawn


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def xor():
    return make_xor(80, noise=0.2, random_state=0)


@pytest.fixture(scope="module")
def xor_43(xor):
    """A 2-4-3-1 logistic network that solves XOR (tutorial 000's)."""
    X, y = xor
    return BackpropMLPClassifier(
        (4, 3), activation="logistic", solver="lbfgs", max_iter=500, random_state=0
    ).fit(X, y)


@pytest.fixture(scope="module")
def spirals3():
    X, y = make_spirals(90, n_classes=3, noise=0.1, random_state=0)
    y = np.array(["a", "b", "c"])[y]
    clf = BackpropMLPClassifier(
        (12,), activation="tanh", solver="lbfgs", max_iter=150, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    return X, y, clf


def _grid_points(display):
    return np.c_[display.xx0.ravel(), display.xx1.ravel()]


def _render(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())


def _rgb_at(pixels, ax, x, y):
    """Rendered colour at data point (x, y) of ax (pixels from _render)."""
    px, py = ax.transData.transform((x, y))
    row = int(round(pixels.shape[0] - py))
    return pixels[row, int(round(px)), :3].astype(int)


def _extreme_points(display, values):
    """Grid points of the largest and smallest values, away from the spines."""
    inner = (slice(2, -2), slice(2, -2))
    v, xx0, xx1 = values[inner], display.xx0[inner], display.xx1[inner]
    hi, lo = np.argmax(v), np.argmin(v)
    return (xx0.flat[hi], xx1.flat[hi]), (xx0.flat[lo], xx1.flat[lo])


def _hide(artists):
    for artist in artists:
        if artist is None:
            continue
        for a in artist if isinstance(artist, list) else [artist]:
            a.set_visible(False)


def _contour_vertices(contour_sets):
    paths = [p for cs in contour_sets for p in cs.get_paths()]
    return np.vstack([p.vertices for p in paths if len(p.vertices)])


def _assert_on_level(xx0, xx1, vertices, f, level=0.0):
    """Each contour vertex lies on a grid edge whose ends straddle f = level.

    Exact whatever the interpolation between grid points: f is evaluated by
    the estimator at the edge's two grid points.
    """
    xs, ys = xx0[0], xx1[:, 0]
    ends = []
    for vx, vy in vertices:
        if np.isclose(ys, vy, rtol=0, atol=1e-9).any():
            i = int(np.clip(np.searchsorted(xs, vx), 1, len(xs) - 1))
            ends += [(xs[i - 1], vy), (xs[i], vy)]
        else:
            assert np.isclose(xs, vx, rtol=0, atol=1e-9).any(), (vx, vy)
            j = int(np.clip(np.searchsorted(ys, vy), 1, len(ys) - 1))
            ends += [(vx, ys[j - 1]), (vx, ys[j])]
    values = f(np.array(ends)).reshape(-1, 2) - level
    assert np.all(values[:, 0] * values[:, 1] <= 0)


# -- import ----------------------------------------------------------------------


def test_importing_skmlp_and_plotting_does_not_import_matplotlib():
    code = (
        "import sys, skmlp, skmlp.plotting; "
        "print('matplotlib' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


# -- HiddenUnitsDisplay ----------------------------------------------------------


def test_hidden_units_panels_and_titles(xor, xor_43):
    X, y = xor
    display = HiddenUnitsDisplay.from_estimator(xor_43, X, y, grid_resolution=RES)
    titles = [ax.get_title() for ax in display.axes_]
    assert titles == [
        "layer 1, unit 1",
        "layer 1, unit 2",
        "layer 1, unit 3",
        "layer 1, unit 4",
        "layer 2, unit 1",
        "layer 2, unit 2",
        "layer 2, unit 3",
        "decision boundary",
    ]
    # Unused cells of the grid are removed: the figure has exactly the panels
    # and two colour bars (P(class 1), and the units' off / z = 0 / on key).
    assert len(display.figure_.axes) == 8 + 2
    assert [c.ax.get_ylabel() for c in display.colorbars_] == [
        "P(class 1)",
        "unit activation (black line: z = 0)",
    ]
    assert [t.get_text() for t in display.legend_.get_texts()] == [
        "class 0",
        "class 1",
        "decision boundary",
    ]
    assert display.units == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2)]
    assert all(len(s.get_offsets()) == len(X) for s in display.scatters_)


@pytest.mark.parametrize("layer, expected", [(0, 4), (1, 3), (-1, 3), (-2, 4)])
def test_hidden_units_one_layer(xor, xor_43, layer, expected):
    X, y = xor
    display = HiddenUnitsDisplay.from_estimator(
        xor_43, X, y, layer=layer, grid_resolution=RES
    )
    assert len(display.axes_) == expected + 1
    number = layer % 2 + 1
    assert [ax.get_title() for ax in display.axes_[:-1]] == [
        f"layer {number}, unit {u + 1}" for u in range(expected)
    ]


def test_hidden_unit_maps_are_the_units_outputs(xor, xor_43):
    X, y = xor
    display = HiddenUnitsDisplay.from_estimator(xor_43, X, y, grid_resolution=RES)
    grid = _grid_points(display)
    A = np.hstack(xor_43.hidden_activations(grid))
    Z = np.hstack(xor_43.hidden_activations(grid, pre_activation=True))
    for k in range(7):
        np.testing.assert_allclose(display.activations[k].ravel(), A[:, k])
        np.testing.assert_allclose(display.pre_activations[k].ravel(), Z[:, k])
        np.testing.assert_allclose(
            display.images_[k].get_array(), display.activations[k]
        )
    np.testing.assert_allclose(
        display.response.ravel(), xor_43.predict_proba(grid)[:, 1]
    )
    # Colour scale centred on sigmoid(0) = 1/2: "on" and "off" differ in hue.
    for image in display.images_[:-1]:
        assert image.norm.vmin + image.norm.vmax == pytest.approx(1.0)


def test_first_layer_lines_solve_w_dot_x_plus_b(xor, xor_43):
    X, y = xor
    display = HiddenUnitsDisplay.from_estimator(xor_43, X, y, grid_resolution=RES)
    W, b = xor_43.coefs_[0], xor_43.intercepts_[0]
    for unit in range(4):
        line = display.zero_lines_[unit]
        points = line.get_xydata()
        assert points.shape == (2, 2)
        assert np.linalg.norm(points[0] - points[1]) > 1.0
        np.testing.assert_allclose(points @ W[:, unit] + b[unit], 0.0, atol=1e-9)
        # The trained units' lines cross the plotted window.
        ax = display.axes_[unit]
        x0, x1 = ax.get_xlim()
        xs = np.linspace(x0, x1, 50)
        ys = -(W[0, unit] * xs + b[unit]) / W[1, unit]
        y0, y1 = ax.get_ylim()
        assert np.any((ys > y0) & (ys < y1))


def test_deeper_units_zero_contours_follow_z(xor, xor_43):
    X, y = xor
    display = HiddenUnitsDisplay.from_estimator(xor_43, X, y, grid_resolution=40)
    for k, unit in zip(range(4, 7), range(3)):
        contours = display.zero_lines_[k]
        assert contours, f"layer 2, unit {unit + 1} has no zero contour"
        assert list(contours[0].levels) == [0.0]
        _assert_on_level(
            display.xx0,
            display.xx1,
            _contour_vertices(contours),
            lambda P, u=unit: xor_43.hidden_activations(
                P, layer=1, pre_activation=True
            )[:, u],
        )


def test_network_boundary_is_the_half_probability_level(xor, xor_43):
    X, y = xor
    display = HiddenUnitsDisplay.from_estimator(xor_43, X, y, grid_resolution=40)
    assert len(display.boundary_lines_) == 1
    vertices = _contour_vertices(display.boundary_lines_)
    _assert_on_level(
        display.xx0,
        display.xx1,
        vertices,
        lambda P: xor_43.predict_proba(P)[:, 1],
        level=0.5,
    )
    # It runs between the classes: XOR's band has points of class 1 inside.
    assert len(vertices) > 2 * 40 / 2


def test_colours_differ_on_both_sides(xor, xor_43):
    X, y = xor
    display = HiddenUnitsDisplay.from_estimator(xor_43, X, y, grid_resolution=RES)
    _hide(display.scatters_ + display.zero_lines_ + display.boundary_lines_)
    panels = [(display.axes_[-1], display.response)]
    panels += [(display.axes_[k], display.pre_activations[k]) for k in range(4)]
    pixels = _render(display.figure_)
    for ax, values in panels:
        hi, lo = _extreme_points(display, values)
        on = _rgb_at(pixels, ax, *hi)
        off = _rgb_at(pixels, ax, *lo)
        assert np.abs(on - off).sum() > 150, (ax.get_title(), on, off)
    # Binary network panel: red-ish where P(class 1) is high, blue-ish where low.
    ax = display.axes_[-1]
    hi, lo = _extreme_points(display, display.response)
    red = _rgb_at(pixels, ax, *hi)
    blue = _rgb_at(pixels, ax, *lo)
    assert red[0] > red[2] + 50 and blue[2] > blue[0] + 50, (red, blue)


def test_hidden_units_multiclass(spirals3):
    X, y, clf = spirals3
    display = HiddenUnitsDisplay.from_estimator(clf, X, y, grid_resolution=RES)
    assert len(display.axes_) == 13
    assert display.response.shape == (RES, RES, 3)
    np.testing.assert_array_equal(
        display.images_[-1].get_array(), display.response.argmax(axis=2)
    )
    predicted = clf.predict(_grid_points(display))
    np.testing.assert_array_equal(
        clf.classes_[display.response.argmax(axis=2).ravel()], predicted
    )
    # One boundary contour per class, at the border of its region.
    assert len(display.boundary_lines_) == 3
    # Three point colours, and three rendered region colours.
    assert len({tuple(c) for c in display.scatters_[-1].get_facecolors()}) == 3
    _hide(display.scatters_ + display.zero_lines_ + display.boundary_lines_)
    ax = display.axes_[-1]
    region_colors = set()
    pixels = _render(display.figure_)
    for k in range(3):
        margin = display.response[..., k] - np.delete(display.response, k, 2).max(2)
        inside, _ = _extreme_points(display, margin)
        region_colors.add(tuple(_rgb_at(pixels, ax, *inside)))
    assert len(region_colors) == 3


def test_hidden_units_into_given_axes(xor):
    X, y = xor
    clf = BackpropMLPClassifier((2,), solver="lbfgs", random_state=0).fit(X, y)
    fig, axes = plt.subplots(2, 2)
    display = HiddenUnitsDisplay.from_estimator(clf, X, y, ax=axes, grid_resolution=RES)
    assert display.figure_ is fig
    assert list(display.axes_) == list(axes.ravel()[:3])
    assert axes[1, 1].get_title() == ""
    with pytest.raises(ValueError, match="at least 3 axes"):
        HiddenUnitsDisplay.from_estimator(clf, X, y, ax=axes[0], grid_resolution=RES)


def test_hidden_units_with_dataframe_and_string_labels(xor):
    pd = pytest.importorskip("pandas")
    X, y = xor
    frame = pd.DataFrame(X, columns=["left", "right"])
    labels = np.array(["no", "yes"])[y]
    clf = BackpropMLPClassifier((3,), solver="lbfgs", random_state=0).fit(frame, labels)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "X does not have valid feature names"
        display = HiddenUnitsDisplay.from_estimator(
            clf, frame, labels, grid_resolution=RES
        )
    colors = display.scatters_[0].get_facecolors()
    assert len({tuple(c) for c in colors}) == 2


@pytest.mark.parametrize(
    "X_bad, message",
    [
        (np.zeros((5, 3)), r"exactly two features.*\(5, 3\)"),
        (np.zeros(5), r"exactly two features.*\(5,\)"),
        (np.zeros((5, 1)), r"exactly two features.*\(5, 1\)"),
    ],
)
def test_non_2d_inputs_raise(xor_43, X_bad, message):
    with pytest.raises(ValueError, match=message):
        HiddenUnitsDisplay.from_estimator(xor_43, X_bad)
    with pytest.raises(ValueError, match=message):
        TrainingAnimation.from_snapshots(xor_43, WeightSnapshots(), X_bad)
    lr = LogisticRegression()
    with pytest.raises(ValueError, match=message):
        BoundaryComparisonDisplay.from_estimators(xor_43, lr, X_bad)


def test_hidden_units_errors(xor, xor_43):
    X, y = xor
    with pytest.raises(NotFittedError):
        HiddenUnitsDisplay.from_estimator(BackpropMLPClassifier(), X, y)
    with pytest.raises(ValueError, match=r"layer must be None or an int in \[-2, 2\)"):
        HiddenUnitsDisplay.from_estimator(xor_43, X, y, layer=2)
    linear = BackpropMLPClassifier((), solver="lbfgs").fit(X, y)
    with pytest.raises(ValueError, match="no hidden layers"):
        HiddenUnitsDisplay.from_estimator(linear, X, y)
    multilabel = BackpropMLPClassifier((3,), solver="lbfgs", random_state=0)
    multilabel.fit(X, np.c_[y, 1 - y])
    with pytest.raises(ValueError, match="Multilabel"):
        HiddenUnitsDisplay.from_estimator(multilabel, X)
    with pytest.raises(ValueError, match="not among the estimator's classes_"):
        HiddenUnitsDisplay.from_estimator(xor_43, X, y + 5, grid_resolution=RES)


# -- TrainingAnimation -------------------------------------------------------------


@pytest.fixture(scope="module")
def rings_run():
    """Tutorial 001: a 2-3-3-1 sigmoid net on the rings, stopped at loss < 0.05."""
    from skmlp.initializers import Uniform

    X, y = load_rings()
    snapshots = WeightSnapshots(every=200)
    clf = BackpropMLPClassifier(
        (3, 3),
        activation="logistic",
        weight_init=Uniform(0.0, 1.0, biases="zeros"),
        solver="sgd",
        batch_size=20,
        momentum=0.0,
        learning_rate_init=0.4,
        max_iter=5000,
        tol=0.0,
        n_iter_no_change=5000,
        callbacks=[StopWhenLossBelow(0.05), snapshots],
        random_state=0,
    ).fit(X, y)
    return X, y, clf, snapshots


def test_animation_from_snapshots_frames_and_gif(rings_run, tmp_path):
    X, y, clf, snapshots = rings_run
    assert clf.n_iter_ % 200 != 0  # stopped between two snapshots
    animation = TrainingAnimation.from_snapshots(
        clf, snapshots, X, y, grid_resolution=RES
    )
    n = len(snapshots.epochs) + 1  # plus the final weights
    assert animation.n_frames == n
    assert animation.epochs == [*snapshots.epochs, clf.n_iter_]
    assert len(animation.axes_) == 1
    assert list(animation.animation_.new_frame_seq()) == list(range(n))
    path = tmp_path / "rings.gif"
    animation.save(path, dpi=30)
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        assert gif.n_frames == n
    # After saving, the figure shows the last frame: the trained network.
    assert animation.epoch_label_.get_text().startswith(f"epoch {clf.n_iter_},")
    np.testing.assert_allclose(
        animation.images_[-1].get_array(),
        clf.predict_proba(_grid_points(animation))[:, 1].reshape(RES, RES),
    )


def test_animation_frames_show_each_snapshot(rings_run):
    X, y, clf, snapshots = rings_run
    animation = TrainingAnimation.from_snapshots(
        clf, snapshots, X, y, final=False, grid_resolution=RES
    )
    assert animation.n_frames == len(snapshots.epochs)
    grid = _grid_points(animation)
    for k in (0, 3, animation.n_frames - 1):
        artists = animation.set_frame(k)
        assert animation.epoch_label_ in artists
        label = animation.epoch_label_.get_text()
        assert label.startswith(f"epoch {snapshots.epochs[k]}")
        assert ("loss" in label) == (k > 0)  # epoch 0 has no loss yet
        # An independent forward pass of the 2-3-3-1 sigmoid net at snapshot k.
        A = grid
        for W, b in zip(snapshots.coefs[k], snapshots.intercepts[k]):
            A = expit(A @ W + b)
        expected = A[:, 0].reshape(RES, RES)
        np.testing.assert_allclose(animation.images_[-1].get_array(), expected)
    # The boundary moves: the first and last frames differ.
    assert not np.allclose(animation.responses[0], animation.responses[-1])


def test_animation_with_hidden_units(rings_run, tmp_path):
    X, y, clf, snapshots = rings_run
    animation = TrainingAnimation.from_snapshots(
        clf, snapshots, X, y, hidden_units=True, grid_resolution=RES
    )
    titles = [ax.get_title() for ax in animation.axes_]
    assert titles == [
        *(f"layer {i}, unit {u}" for i in (1, 2) for u in (1, 2, 3)),
        "decision boundary",
    ]
    k = 2
    animation.set_frame(k)
    W, b = snapshots.coefs[k][0], snapshots.intercepts[k][0]
    for unit in range(3):
        points = animation.zero_lines_[unit].get_xydata()
        np.testing.assert_allclose(points @ W[:, unit] + b[unit], 0.0, atol=1e-9)
        np.testing.assert_allclose(
            animation.images_[unit].get_array(), animation.activations[k, unit]
        )
    path = tmp_path / "units.gif"
    animation.save(path, dpi=20)
    with Image.open(path) as gif:
        assert gif.n_frames == animation.n_frames


def test_animation_from_training_drives_partial_fit(xor, tmp_path):
    X, y = xor
    user_callbacks = [StopWhenLossBelow(0.0)]
    clf = BackpropMLPClassifier(
        (4, 3),
        activation="logistic",
        solver="sgd",
        batch_size=8,
        momentum=0.0,
        learning_rate_init=0.05,
        callbacks=user_callbacks,
        random_state=0,
    )
    animation = TrainingAnimation.from_training(
        clf, X, y, epochs=6, every=3, hidden_units=True, grid_resolution=RES
    )
    assert animation.epochs == [0, 3, 6]
    assert len(clf.loss_curve_) == 6
    assert clf.callbacks is user_callbacks  # restored
    assert len(animation.axes_) == 8
    assert animation.activations.shape == (3, 7, RES, RES)
    animation.set_frame(-1)
    assert animation.epoch_label_.get_text() == f"epoch 6, loss {clf.loss_:.3g}"
    # Continuing a fitted estimator starts from its current weights.
    more = TrainingAnimation.from_training(clf, X, y, epochs=2, grid_resolution=RES)
    assert more.epochs == [6, 7, 8]
    path = tmp_path / "xor.gif"
    more.save(path, dpi=20)
    with Image.open(path) as gif:
        assert gif.n_frames == 3


def test_animation_errors(rings_run, xor):
    X, y, clf, snapshots = rings_run
    with pytest.raises(ValueError, match="no fit has used .*best_estimator_"):
        TrainingAnimation.from_snapshots(clf, WeightSnapshots(), X, y)
    uneven = WeightSnapshots()
    uneven.epochs, uneven.coefs, uneven.intercepts = [0, 1], [clf.coefs_], [[0]]
    with pytest.raises(ValueError, match="as many epochs as weights; got 2 epochs"):
        TrainingAnimation.from_snapshots(clf, uneven, X, y)
    other = WeightSnapshots()
    other.epochs, other.coefs, other.intercepts = [0], [[np.zeros((2, 5))]], [[0]]
    with pytest.raises(ValueError, match="weight shapes"):
        TrainingAnimation.from_snapshots(clf, other, X, y)
    with pytest.raises(TypeError, match="WeightSnapshots"):
        TrainingAnimation.from_snapshots(clf, [1, 2], X, y)
    lbfgs = BackpropMLPClassifier((3,), solver="lbfgs")
    with pytest.raises(AttributeError, match="partial_fit"):
        TrainingAnimation.from_training(lbfgs, *xor, epochs=2)
    assert lbfgs.callbacks is None


# -- LossCurveDisplay --------------------------------------------------------------


def test_loss_curve_without_early_stopping(xor_43):
    display = LossCurveDisplay.from_estimator(xor_43)
    x, loss = display.line_.get_data()
    np.testing.assert_array_equal(x, np.arange(1, len(xor_43.loss_curve_) + 1))
    np.testing.assert_allclose(loss, xor_43.loss_curve_)
    assert display.score_ax_ is None and display.validation_loss_line_ is None
    assert display.ax_.get_xlabel() == "iteration"  # lbfgs
    assert [t.get_text() for t in display.legend_.get_texts()] == ["training loss"]


def test_loss_curve_with_early_stopping(xor):
    X, y = xor
    clf = BackpropMLPClassifier(
        (8,),
        learning_rate_init=0.02,
        max_iter=40,
        early_stopping=True,
        validation_fraction=0.25,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    display = LossCurveDisplay.from_estimator(clf, log_scale=True, name="mlp")
    epochs = np.arange(1, clf.n_iter_ + 1)
    np.testing.assert_allclose(display.line_.get_ydata(), clf.loss_curve_)
    np.testing.assert_allclose(
        display.validation_loss_line_.get_ydata(), clf.validation_loss_curve_
    )
    x, scores = display.validation_score_line_.get_data()
    np.testing.assert_array_equal(x, epochs)
    np.testing.assert_allclose(scores, clf.validation_scores_)
    assert display.validation_score_line_.axes is display.score_ax_
    assert display.score_ax_ is not display.ax_
    best = int(np.argmax(clf.validation_scores_)) + 1
    assert list(display.best_epoch_line_.get_xdata()) == [best, best]
    assert display.ax_.get_yscale() == "log" and display.ax_.get_xlabel() == "epoch"
    labels = [t.get_text() for t in display.legend_.get_texts()]
    assert labels[:3] == [
        "mlp: training loss",
        "mlp: validation loss",
        "mlp: validation score",
    ]


def test_loss_curve_of_sklearn_mlp(xor):
    X, y = xor
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier((4,), max_iter=30, early_stopping=True, random_state=0)
        mlp.fit(X, y)
    display = LossCurveDisplay.from_estimator(mlp)
    assert display.validation_loss_line_ is None
    np.testing.assert_allclose(
        display.validation_score_line_.get_ydata(), mlp.validation_scores_
    )
    with pytest.raises(NotFittedError):
        LossCurveDisplay.from_estimator(BackpropMLPClassifier())


def test_loss_curves_of_two_models_share_axes(xor, xor_43):
    X, y = xor
    one = BackpropMLPClassifier((3,), solver="lbfgs", random_state=0).fit(X, y)
    first = LossCurveDisplay.from_estimator(one, name="2-3-1")
    second = LossCurveDisplay.from_estimator(xor_43, ax=first.ax_, name="2-4-3-1")
    assert second.ax_ is first.ax_ and second.figure_ is first.figure_
    assert first.line_.get_color() != second.line_.get_color()
    np.testing.assert_allclose(second.line_.get_ydata(), xor_43.loss_curve_)
    labels = [t.get_text() for t in second.legend_.get_texts()]
    assert labels == ["2-3-1: training loss", "2-4-3-1: training loss"]


# -- BoundaryComparisonDisplay -------------------------------------------------------


def test_boundary_comparison_binary(xor, xor_43):
    X, y = xor
    lr = LogisticRegression().fit(X, y)
    display = BoundaryComparisonDisplay.from_estimators(
        xor_43, lr, X, y, grid_resolution=40
    )
    mlp_lines, lr_lines = display.boundary_lines_
    assert len(mlp_lines) == 1 and len(lr_lines) == 1
    # Distinct colours, and the legend says which is which.
    assert not np.allclose(mlp_lines[0].get_edgecolor(), lr_lines[0].get_edgecolor())
    handles = display.legend_.legend_handles
    assert [h.get_label() for h in handles] == [
        f"BackpropMLPClassifier (accuracy {xor_43.score(X, y):.2f})",
        f"LogisticRegression (accuracy {lr.score(X, y):.2f})",
    ]
    for handle, lines in zip(handles, display.boundary_lines_):
        assert np.allclose(to_rgba(handle.get_color()), lines[0].get_edgecolor()[0])
    # Each contour is its estimator's P = 1/2 level; logistic's is straight.
    _assert_on_level(
        display.xx0,
        display.xx1,
        _contour_vertices(mlp_lines),
        lambda P: xor_43.predict_proba(P)[:, 1],
        level=0.5,
    )
    v = _contour_vertices(lr_lines)
    np.testing.assert_allclose(lr.decision_function(v), 0.0, atol=1e-6)
    assert len(display.scatter_.get_offsets()) == len(X)


def test_boundary_comparison_multiclass_and_methods(spirals3):
    X, y, clf = spirals3
    lr = LogisticRegression().fit(X, y)
    for method in ("auto", "decision_function", "predict"):
        display = BoundaryComparisonDisplay.from_estimators(
            clf,
            lr,
            X,
            y,
            response_method=method,
            grid_resolution=RES,
            names=["mlp", "lr"],
        )
        assert [m.shape for m in display.margins] == [(3, RES, RES)] * 2
        # Class k's margin is positive exactly where k is predicted.
        predicted = clf.predict(_grid_points(display))
        for k, label in enumerate(clf.classes_):
            inside = display.margins[0][k].ravel() > 0
            np.testing.assert_array_equal(inside, predicted == label)
        assert len(display.boundary_lines_[0]) == 3
    with pytest.raises(ValueError, match="response_method"):
        BoundaryComparisonDisplay.from_estimators(clf, lr, X, response_method="x")
    other = LogisticRegression().fit(X, np.where(y == "a", "a", "z"))
    with pytest.raises(ValueError, match="different classes"):
        BoundaryComparisonDisplay.from_estimators(clf, other, X)


# -- scikit-learn's DecisionBoundaryDisplay ------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize(
    "response_method", ["predict", "predict_proba", "decision_function", "auto"]
)
def test_sklearn_decision_boundary_display(n_classes, response_method):
    X, y = make_spirals(60, n_classes=n_classes, noise=0.1, random_state=0)
    y = np.array(["ant", "bee", "cat"])[y]
    clf = BackpropMLPClassifier((6,), solver="lbfgs", max_iter=50, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    display = DecisionBoundaryDisplay.from_estimator(
        clf,
        X,
        response_method=response_method,
        grid_resolution=9,
        plot_method="pcolormesh",
    )
    grid = np.c_[display.xx0.ravel(), display.xx1.ravel()]
    # sklearn's "auto" takes decision_function first.
    method = "decision_function" if response_method == "auto" else response_method
    if method == "predict":
        expected = np.searchsorted(clf.classes_, clf.predict(grid))
    elif method == "predict_proba":
        P = clf.predict_proba(grid)
        expected = P[:, 1] if n_classes == 2 else P
    else:
        expected = clf.decision_function(grid)
    shape = (9, 9) if n_classes == 2 or method == "predict" else (9, 9, n_classes)
    assert display.response.shape == shape
    np.testing.assert_allclose(display.response, expected.reshape(shape))
    if display.response.ndim == 2:
        drawn = np.asarray(display.surface_.get_array()).reshape(9, 9)
        np.testing.assert_allclose(drawn, display.response)
    else:  # one mesh per class, masked outside the class's region
        winner = display.response.argmax(axis=2)
        assert len(display.surface_) == n_classes
        for k, mesh in enumerate(display.surface_):
            drawn = np.ma.asarray(mesh.get_array()).reshape(9, 9)
            np.testing.assert_array_equal(np.ma.getmaskarray(drawn), winner != k)
            np.testing.assert_allclose(
                drawn.compressed(), display.response[..., k][winner == k]
            )


def test_gif_of_the_xor_43_animation_is_small_enough(xor, tmp_path):
    """A smoke check of the whole path at the tutorial's panel layout."""
    X, y = xor
    snapshots = WeightSnapshots(every=5)
    clf = BackpropMLPClassifier(
        (4, 3),
        activation="logistic",
        solver="sgd",
        batch_size=1,
        momentum=0.0,
        learning_rate_init=0.01,
        max_iter=10,
        tol=0.0,
        n_iter_no_change=10,
        callbacks=[snapshots],
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    animation = TrainingAnimation.from_snapshots(
        clf, snapshots, X, y, hidden_units=True, grid_resolution=RES
    )
    path = tmp_path / "xor.gif"
    animation.save(path, dpi=40)
    with Image.open(path) as gif:
        assert gif.n_frames == 3
        assert gif.size == tuple(
            int(round(s * 40)) for s in animation.figure_.get_size_inches()
        )
    assert os.path.getsize(path) < 500_000


def test_gif_frames_share_one_small_palette(rings_run, tmp_path):
    X, y, clf, snapshots = rings_run
    animation = TrainingAnimation.from_snapshots(
        clf, snapshots, X, y, grid_resolution=RES
    )
    shared, own = tmp_path / "shared.gif", tmp_path / "own.gif"
    animation.save(shared, dpi=40)
    animation.save(own, dpi=40, colors=None)
    used = set()  # colours over all frames: at most one palette's worth
    with Image.open(shared) as gif:
        assert gif.n_frames == animation.n_frames
        for k in range(gif.n_frames):
            gif.seek(k)
            frame = gif.convert("RGB")
            used.update(c for _, c in frame.getcolors(maxcolors=1 << 16))
    assert len(used) <= 64
    # The frames look the same as with Pillow's own palettes, colour for colour
    # to within the quantisation (the classes' red and blue are kept).
    with Image.open(own) as gif:
        reference = np.asarray(gif.convert("RGB"), dtype=float)
    with Image.open(shared) as gif:
        got = np.asarray(gif.convert("RGB"), dtype=float)
    assert np.abs(got - reference).mean() < 6
    assert os.path.getsize(shared) < os.path.getsize(own)
    with pytest.raises(ValueError, match="colors must be an integer from 2 to 256"):
        animation.save(tmp_path / "bad.gif", colors=300)
