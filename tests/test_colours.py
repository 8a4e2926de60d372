"""One visual language: class k has one colour in every figure the package draws.

Each figure type (the boundary comparison display, HiddenUnitsDisplay, a
TrainingAnimation frame and the demo's figures) is drawn for the same fitted
classifier; the colour of each class's points is read back from the scatter
artists and must be the same everywhere, and be the palette's. Every figure
with classes has a legend naming them, every panel labelled axes, and shading
that carries a probability a colour bar.
"""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.legend import Legend  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from skmlp import BackpropMLPClassifier, WeightSnapshots  # noqa: E402
from skmlp.cli.demo_figures import (  # noqa: E402
    _boundary_figure,
    _hidden_units_display,
    _training_animation,
)
from skmlp.plotting import (  # noqa: E402
    BoundaryComparisonDisplay,
    HiddenUnitsDisplay,
    TrainingAnimation,
)
from skmlp.plotting._style import CLASS_COLORS  # noqa: E402

CLASSES = np.array(["a", "b", "c"])


def _blobs(n_classes):
    rng = np.random.RandomState(0)
    centres = np.array([[0.0, 0.0], [3.0, 0.0], [1.5, 2.5]])[:n_classes]
    X = np.concatenate([c + 0.6 * rng.normal(size=(15, 2)) for c in centres])
    y = np.repeat(CLASSES[:n_classes], 15)
    order = rng.permutation(len(y))
    return X[order], y[order]


def _fit(n_classes):
    X, y = _blobs(n_classes)
    snapshots = WeightSnapshots(every=10)
    mlp = BackpropMLPClassifier(
        (3,), solver="lbfgs", max_iter=40, random_state=0, callbacks=[snapshots]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lbfgs may stop at max_iter
        mlp.fit(X, y)
    return X, y, mlp, LogisticRegression().fit(X, y), snapshots


def _figures(X, y, mlp, logistic, snapshots):
    """Every figure type that draws classes, as {name: figure}."""
    comparison = BoundaryComparisonDisplay.from_estimators(
        mlp, logistic, X, y, grid_resolution=25
    )
    units = HiddenUnitsDisplay.from_estimator(mlp, X, y, grid_resolution=25)
    animation = TrainingAnimation.from_snapshots(
        mlp, snapshots, X, y, hidden_units=True, grid_resolution=20
    )
    animation.set_frame(animation.n_frames - 1)
    demo_boundary = _boundary_figure(
        [("skmlp MLP", mlp), ("logistic regression", logistic)],
        X,
        y,
        None,
        [0.9, 0.8],
        30,
        72,
        "accuracy",
    )
    demo_units = _hidden_units_display(mlp, X, y, "units", 25)
    demo_animation = _training_animation(mlp, snapshots, X, y, 20, 100)
    figures = {
        "BoundaryComparisonDisplay": comparison.figure_,
        "HiddenUnitsDisplay": units.figure_,
        "TrainingAnimation": animation.figure_,
        "demo boundary_comparison": demo_boundary,
        "demo hidden_units": demo_units.figure_,
        "demo training_animation": demo_animation.figure_,
    }
    for figure in figures.values():
        figure.canvas.draw()  # lays out legends and colour bars as saved
    return figures


@pytest.fixture(scope="module")
def three_classes():
    X, y, *fitted = _fit(3)
    figures = _figures(X, y, *fitted)
    yield X, y, figures
    for figure in figures.values():
        plt.close(figure)


@pytest.fixture(scope="module")
def two_classes():
    X, y, *fitted = _fit(2)
    figures = _figures(X, y, *fitted)
    yield X, y, figures
    for figure in figures.values():
        plt.close(figure)


def _point_panels(figure, X):
    """(axes, scatter) of every panel that draws the points of X."""
    panels = []
    for ax in figure.axes:
        for artist in ax.collections:
            if isinstance(artist, PathCollection) and len(artist.get_offsets()) == len(
                X
            ):
                np.testing.assert_array_equal(artist.get_offsets(), X)
                panels.append((ax, artist))
    return panels


def _colours_by_class(scatter, y, classes):
    """The one face colour of each class's points (RGBA tuples)."""
    faces = scatter.get_facecolor()
    assert len(faces) == len(y), "each point carries its own colour"
    colours = []
    for label in classes:
        of_class = {tuple(np.round(c, 6)) for c in faces[y == label]}
        assert len(of_class) == 1, f"class {label} has colours {of_class}"
        colours.append(of_class.pop())
    return colours


def _legend_texts(figure):
    legends = list(figure.legends)
    for ax in figure.axes:
        legends += [a for a in ax.get_children() if isinstance(a, Legend)]
    return [{t.get_text() for t in legend.get_texts()} for legend in legends]


@pytest.mark.parametrize("case", ["three_classes", "two_classes"])
def test_each_class_has_one_colour_in_every_figure(case, request):
    X, y, figures = request.getfixturevalue(case)
    classes = np.unique(y)
    palette = [tuple(np.round(to_rgba(c), 6)) for c in CLASS_COLORS[: len(classes)]]
    seen = {}
    for name, figure in figures.items():
        panels = _point_panels(figure, X)
        assert panels, f"{name} draws no points"
        for ax, scatter in panels:
            seen[name, ax.get_title()] = _colours_by_class(scatter, y, classes)
    # The same colour for class k in every figure and panel: the palette's,
    # whatever the number of classes (class 0 blue, class 1 red, class 2 green).
    for where, colours in seen.items():
        assert colours == palette, where
    assert len(set(palette)) == len(classes)


@pytest.mark.parametrize("case", ["three_classes", "two_classes"])
def test_every_figure_has_a_class_legend_and_axis_labels(case, request):
    X, y, figures = request.getfixturevalue(case)
    labels = {f"class {c}" for c in np.unique(y)}
    for name, figure in figures.items():
        assert any(labels <= texts for texts in _legend_texts(figure)), name
        for ax, _ in _point_panels(figure, X):
            assert ax.get_xlabel().strip() and ax.get_ylabel().strip(), (
                name,
                ax.get_title(),
            )


def _colorbar_labels(figure):
    return [
        ax._colorbar.ax.get_ylabel() or ax._colorbar.ax.get_xlabel()
        for ax in figure.axes
        if getattr(ax, "_colorbar", None) is not None
    ]


def test_probability_shading_has_a_colour_bar(two_classes):
    # Binary shading is P(class 1): every figure shading it has a colour bar
    # saying so. (The comparison display draws lines only, no shading.)
    _, _, figures = two_classes
    for name, figure in figures.items():
        if name == "BoundaryComparisonDisplay":
            continue
        assert "P(class b)" in _colorbar_labels(figure), name


def test_class_shading_uses_the_palette(three_classes):
    # With three classes the shading is the predicted class, in light tints of
    # the same palette (so it needs the class legend, not a colour bar).
    _, _, figures = three_classes
    figure = figures["demo boundary_comparison"]
    image = figure.axes[0].images[0]
    tints = image.cmap(image.norm(np.arange(3)))[:, :3]
    palette = np.array([to_rgba(c)[:3] for c in CLASS_COLORS[:3]])
    np.testing.assert_allclose(tints, 0.45 * palette + 0.55, atol=1e-6)
    assert "P(class b)" not in _colorbar_labels(figure)


def test_each_sklearn_loss_curve_takes_the_colour_of_its_skmlp_pair():
    """The demo's loss figure pairs curves by label, whatever their number."""
    from skmlp.cli.demo_figures import curve_styles

    labels = [
        "skmlp MLP (4, 3)",
        "sklearn MLP (4, 3)",
        "skmlp MLP, tutorial init (4, 3)",
        "skmlp MLP (8,)",
        "sklearn MLP (8,)",
        "skmlp MLP, tutorial init (8,)",
    ]
    styles = curve_styles(labels)
    assert [style for style, _ in styles] == ["-", "--", "-", "-", "--", "-"]
    colours = [colour for _, colour in styles]
    assert colours[0] == colours[1] and colours[3] == colours[4]
    assert len({colours[0], colours[2], colours[3], colours[5]}) == 4
