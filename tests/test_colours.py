"""One visual language: class k has one colour in every figure the package draws.

Each figure type (the boundary comparison display, HiddenUnitsDisplay, a
TrainingAnimation frame and the demo's figures) is drawn for the same fitted
classifier; the colour of each class's points is read back from the scatter
artists and must be the same everywhere, and be the palette's. Every figure
with classes has a legend naming them, every panel labelled axes, and shading
that carries a probability a colour bar.

The gallery's examples that draw classes are run and read back the same way
(see ``test_gallery_draws_classes_in_the_palette``).
"""

import re
import runpy
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import to_hex, to_rgba  # noqa: E402
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


# -- The gallery ---------------------------------------------------------------
# Every example that draws classes runs here (as a script, with Agg, in a
# temporary directory), and each figure it leaves open is read back: the points
# of each class in the palette's colour, a legend naming the classes, axis
# labels, shading in the package's maps and, where shading is P(class 1), a
# colour bar. A point's class is looked up from the script's own data: its
# arrays ``X...`` and ``y...`` (``X``/``y``, ``X_train``/``y_train``, ...).

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
# Seconds each takes here on two idle cores, in parentheses (about 16 in all;
# the 256-unit layers of plot_dropout.py slow down most when the cores are busy).
CLASS_EXAMPLES = [
    "plot_activations_initializers.py",  # (2)
    "plot_dropout.py",  # (3)
    "plot_gaussian_clusters_relu.py",  # (4)
    "plot_grid_search.py",  # (2)
    "plot_rings_animation.py",  # (1)
    "plot_spirals_vs_logistic.py",  # (1)
    "plot_xor_hidden_units.py",  # (3)
]
# Loss curves, regressions and tables: no class points, no class shading.
NO_CLASS_EXAMPLES = [
    "plot_early_stopping.py",
    "plot_huber_outliers.py",
    "plot_quantile_regression.py",
    "plot_solvers.py",
]


def test_every_gallery_example_is_sorted():
    # A new example must say whether it draws classes (and so is checked here).
    listed = CLASS_EXAMPLES + NO_CLASS_EXAMPLES
    assert sorted(listed) == sorted(p.name for p in EXAMPLES.glob("plot_*.py"))


def _run_example(path, tmp_path, monkeypatch):
    """Run the script; returns (its namespace, the figures it left open)."""
    monkeypatch.chdir(tmp_path)
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # plt.show() on Agg, convergence
        namespace = runpy.run_path(str(path), run_name="__main__")
    figures = [plt.figure(n) for n in plt.get_fignums()]
    for figure in figures:
        figure.canvas.draw()  # lays out legends and colour bars as saved
    return namespace, figures


def _class_lookup(namespace):
    """{point's coordinates as bytes: label} from the script's X.../y... pairs."""
    lookup, labels = {}, []
    for name, X in namespace.items():
        y = namespace.get("y" + name[1:]) if name.startswith("X") else None
        if not (isinstance(X, np.ndarray) and isinstance(y, np.ndarray)):
            continue
        if X.ndim != 2 or X.shape[1] != 2 or y.shape != (len(X),):
            continue
        X = np.ascontiguousarray(X, dtype=np.float64)
        for point, label in zip(X, y):
            assert lookup.setdefault(point.tobytes(), label) == label
        labels.append(y)
    assert lookup, "the script keeps no X/y data to look the points up in"
    return lookup, np.unique(np.concatenate(labels))


def _rgb(color):
    return tuple(np.round(to_rgba(color)[:3], 6))


def _handle_rgb(handle):
    if hasattr(handle, "get_markerfacecolor"):
        return _rgb(handle.get_markerfacecolor())
    return _rgb(handle.get_facecolor()[0])


def _figure_legends(figure, ax):
    legends = list(figure.legends)
    return legends + [a for a in ax.get_children() if isinstance(a, Legend)]


def _has_label(ax, which):
    get = "get_xlabel" if which == "x" else "get_ylabel"
    shared = ax.get_shared_x_axes() if which == "x" else ax.get_shared_y_axes()
    return any(getattr(a, get)().strip() for a in shared.get_siblings(ax))


def _inside(box, points):
    (x0, y0), (x1, y1) = box.get_points()
    x, y = np.asarray(points).T
    return (x0 <= x) & (x <= x1) & (y0 <= y) & (y <= y1)


def _shading(ax):
    """The colour-mapped artists under the points: contour sets, images, meshes."""
    return [
        artist
        for artist in [*ax.collections, *ax.images]
        if not isinstance(artist, PathCollection)
        and getattr(artist, "filled", True)  # contour lines are drawn in black
        and artist.get_array() is not None
        and getattr(artist, "get_cmap", None) is not None
    ]


def _check_figure(figure, lookup, classes):
    """The palette's rules for one figure; returns how many class panels it has."""
    palette = [_rgb(c) for c in CLASS_COLORS[: len(classes)]]
    n_panels = 0
    for ax in figure.axes:
        scatters = [a for a in ax.collections if isinstance(a, PathCollection)]
        if not scatters:
            continue
        n_panels += 1
        where = ax.get_title() or figure.get_suptitle() or "an untitled panel"
        drawn = set()
        for scatter in scatters:
            offsets = np.ascontiguousarray(scatter.get_offsets(), dtype=np.float64)
            labels = [lookup.get(point.tobytes()) for point in offsets]
            assert None not in labels, f"{where}: a scatter of points not in X/y"
            k = np.searchsorted(classes, labels)
            faces = scatter.get_facecolor()
            faces = (
                np.broadcast_to(faces, (len(offsets), 4)) if len(faces) == 1 else faces
            )
            assert len(faces) == len(offsets), f"{where}: points without colours"
            for index in np.unique(k):
                colours = {tuple(np.round(c[:3], 6)) for c in faces[k == index]}
                assert colours == {palette[index]}, (
                    f"{where}: class {classes[index]} drawn in "
                    f"{sorted(to_hex(c) for c in colours)}, "
                    f"not the palette's {CLASS_COLORS[index]}"
                )
            drawn.update(np.unique(k).tolist())
        # A legend names each class drawn, in the same colour.
        keys = {}
        for legend in _figure_legends(figure, ax):
            for text, handle in zip(legend.get_texts(), legend.legend_handles):
                keys[text.get_text()] = _handle_rgb(handle)
        for index in sorted(drawn):
            name = f"class {classes[index]}"
            assert name in keys, f"{where}: no legend names {name}"
            assert keys[name] == palette[index], f"{where}: legend of {name}"
        # ... where it hides none of the points in view.
        renderer = figure.canvas.get_renderer()
        for legend in _figure_legends(figure, ax):
            box = legend.get_window_extent(renderer)
            for scatter in scatters:
                points = scatter.get_offset_transform().transform(scatter.get_offsets())
                in_view = _inside(ax.get_window_extent(renderer), points)
                hidden = _inside(box, points) & in_view
                assert not hidden.any(), (
                    f"{where}: the legend hides {hidden.sum()} points"
                )
        assert ax.get_title().strip() or figure.get_suptitle().strip(), where
        assert _has_label(ax, "x") and _has_label(ax, "y"), f"{where}: axis labels"
        # Shading: P(class 1) in RdBu_r with a colour bar (binary), the classes'
        # own colours (multiclass), or the hidden units' PRGn key.
        colorbars = [a._colorbar for a in figure.axes if getattr(a, "_colorbar", None)]
        for artist in _shading(ax):
            cmap = artist.get_cmap()
            if cmap.name.startswith("PRGn"):
                continue
            if len(classes) == 2:
                assert cmap.name.startswith("RdBu_r"), f"{where}: shading {cmap.name}"
                assert any(
                    c.cmap.name.startswith("RdBu_r")
                    and (c.ax.get_ylabel() or c.ax.get_xlabel()).startswith("P(")
                    for c in colorbars
                ), f"{where}: P(class 1) shading without its colour bar"
                continue
            # Multiclass: scikit-learn's one map per class, white to the class's
            # colour ("colormap_k"), or the displays' light tints of the palette.
            per_class = re.fullmatch(r"colormap_(\d+)", cmap.name)
            if per_class:
                k = int(per_class.group(1))
                assert _rgb(cmap(1.0)) == palette[k], f"{where}: class {k} shading"
            else:
                tints = [_rgb(0.45 * np.array(c) + 0.55) for c in palette]
                colours = [_rgb(c) for c in getattr(cmap, "colors", [])]
                assert colours == tints, f"{where}: class shading {cmap.name}"
    return n_panels


@pytest.mark.parametrize("example", CLASS_EXAMPLES)
def test_gallery_draws_classes_in_the_palette(example, tmp_path, monkeypatch):
    namespace, figures = _run_example(EXAMPLES / example, tmp_path, monkeypatch)
    try:
        lookup, classes = _class_lookup(namespace)
        panels = sum(_check_figure(figure, lookup, classes) for figure in figures)
        assert panels, f"{example} draws no class points"
    finally:
        plt.close("all")
