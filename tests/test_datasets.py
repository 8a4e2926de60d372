"""Tests for the toy data sets in ``skmlp.datasets``."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils import check_random_state

from skmlp.datasets import (
    load_rings,
    make_gaussian_clusters,
    make_spirals,
    make_xor,
)

# Every random generator with its default number of samples.
GENERATORS = [
    pytest.param(make_xor, 200, id="xor"),
    pytest.param(make_spirals, 800, id="spirals"),
    pytest.param(make_gaussian_clusters, 1000, id="clusters"),
]
GENERATOR_FUNCS = [make_xor, make_spirals, make_gaussian_clusters]


def _check_xy(X, y, n_samples):
    """Assert the (X, y) contract shared by every function of the module."""
    assert isinstance(X, np.ndarray) and isinstance(y, np.ndarray)
    assert X.shape == (n_samples, 2)
    assert X.dtype == np.float64
    assert y.shape == (n_samples,)
    assert y.dtype == np.dtype(int)
    assert np.all(np.isfinite(X))


def _radius(X):
    return np.hypot(X[:, 0], X[:, 1])


def _sorted_rows(X, y):
    """Rows of (X, y) in a canonical order, to compare up to a permutation."""
    table = np.column_stack([X, y])
    return table[np.lexsort(table.T[::-1])]


# --------------------------------------------------------------------------
# The shared contract: shapes, dtypes, balance, determinism, shuffling
# --------------------------------------------------------------------------


@pytest.mark.parametrize("make, n_default", GENERATORS)
def test_default_shapes_and_dtypes(make, n_default):
    X, y = make(random_state=0)
    _check_xy(X, y, n_default)


@pytest.mark.parametrize("make, n_default", GENERATORS)
@pytest.mark.parametrize("n_samples", [4, 5, 7, 10, 101])
def test_shapes_and_balance_for_odd_sizes(make, n_default, n_samples):
    X, y = make(n_samples=n_samples, random_state=0)
    _check_xy(X, y, n_samples)
    counts = np.bincount(y)
    assert counts.sum() == n_samples
    assert counts.max() - counts.min() <= 1


def test_xor_and_clusters_give_the_extra_point_to_class_0():
    for make in (make_xor, make_gaussian_clusters):
        _, y = make(n_samples=9, random_state=0)
        assert np.bincount(y).tolist() == [5, 4]


@pytest.mark.parametrize("make", GENERATOR_FUNCS)
def test_same_seed_gives_identical_arrays(make):
    X1, y1 = make(random_state=7)
    X2, y2 = make(random_state=7)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)

    X3, y3 = make(random_state=np.random.RandomState(7))
    np.testing.assert_array_equal(X1, X3)
    np.testing.assert_array_equal(y1, y3)


@pytest.mark.parametrize("make", GENERATOR_FUNCS)
def test_different_seeds_give_different_arrays(make):
    X1, _ = make(random_state=1)
    X2, _ = make(random_state=2)
    assert X1.shape == X2.shape
    assert not np.allclose(X1, X2)


@pytest.mark.parametrize("make", GENERATOR_FUNCS)
def test_seeded_call_leaves_global_numpy_state_alone(make):
    # check_random_state(None) is NumPy's global RandomState singleton.
    global_generator = check_random_state(None)
    before = global_generator.get_state()
    make(random_state=3)
    after = global_generator.get_state()
    assert before[0] == after[0]
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


@pytest.mark.parametrize("make", GENERATOR_FUNCS)
def test_random_state_instance_is_used_and_advanced(make):
    generator = np.random.RandomState(5)
    X1, _ = make(random_state=generator)
    X2, _ = make(random_state=generator)
    # The second call continues the stream, so it gives other points.
    assert not np.allclose(X1, X2)
    X3, _ = make(random_state=np.random.RandomState(5))
    np.testing.assert_array_equal(X1, X3)


@pytest.mark.parametrize("make", GENERATOR_FUNCS)
def test_random_state_none_is_accepted(make):
    X, y = make(n_samples=40, random_state=None)
    _check_xy(X, y, 40)


@pytest.mark.parametrize("make", GENERATOR_FUNCS)
def test_shuffle_permutes_the_unshuffled_points(make):
    X_plain, y_plain = make(n_samples=60, shuffle=False, random_state=4)
    X_mixed, y_mixed = make(n_samples=60, shuffle=True, random_state=4)
    # Unshuffled labels come in blocks, shuffled ones do not.
    assert np.all(np.diff(y_plain) >= 0)
    assert np.any(np.diff(y_mixed) < 0)
    np.testing.assert_array_equal(
        _sorted_rows(X_plain, y_plain), _sorted_rows(X_mixed, y_mixed)
    )


@pytest.mark.parametrize("make", GENERATOR_FUNCS)
def test_shuffle_accepts_numpy_bool(make):
    X1, y1 = make(n_samples=20, shuffle=np.bool_(False), random_state=0)
    X2, y2 = make(n_samples=20, shuffle=False, random_state=0)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("make", GENERATOR_FUNCS)
def test_numpy_integer_n_samples_is_accepted(make):
    X, y = make(n_samples=np.int64(12), random_state=0)
    _check_xy(X, y, 12)
    assert np.bincount(y).sum() == 12


# --------------------------------------------------------------------------
# Parameter validation
# --------------------------------------------------------------------------


@pytest.mark.parametrize("make", GENERATOR_FUNCS)
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n_samples": 2.5}, TypeError, "n_samples must be an integer, got 2.5"),
        ({"n_samples": "10"}, TypeError, "n_samples must be an integer, got '10'"),
        ({"n_samples": True}, TypeError, "n_samples must be an integer, got True"),
        ({"n_samples": -5}, ValueError, "n_samples must be an integer >= "),
        ({"shuffle": "yes"}, TypeError, "shuffle must be True or False, got 'yes'"),
        ({"shuffle": 1}, TypeError, "shuffle must be True or False, got 1"),
        (
            {"random_state": "seed"},
            ValueError,
            "random_state must be None, an int or a numpy.random.RandomState "
            "instance, got 'seed'",
        ),
        (
            {"random_state": 1.5},
            ValueError,
            "random_state must be None, an int or a numpy.random.RandomState "
            "instance, got 1.5",
        ),
    ],
)
def test_common_bad_parameters(make, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make(**kwargs)


@pytest.mark.parametrize(
    "make, kwargs, error, message",
    [
        (make_xor, {"n_samples": 3}, ValueError, "n_samples must be an integer >= 4"),
        (make_xor, {"noise": -0.1}, ValueError, "noise must be a finite number >= 0"),
        (make_xor, {"noise": np.inf}, ValueError, "got inf"),
        (make_xor, {"noise": np.nan}, ValueError, "noise must be a finite"),
        (make_xor, {"noise": "big"}, TypeError, "noise must be a real number"),
        (make_xor, {"noise": None}, TypeError, "noise must be a real number, got None"),
        (
            make_spirals,
            {"n_classes": 1},
            ValueError,
            "n_classes must be an integer >= 2, got 1",
        ),
        (
            make_spirals,
            {"n_classes": 2.0},
            TypeError,
            "n_classes must be an integer, got 2.0",
        ),
        (
            make_spirals,
            {"n_samples": 4, "n_classes": 5},
            ValueError,
            "n_samples must be an integer >= n_classes = 5, got 4",
        ),
        (make_spirals, {"noise": -1}, ValueError, "noise must be a finite number >= 0"),
        (
            make_gaussian_clusters,
            {"n_samples": 3},
            ValueError,
            "n_samples must be an integer >= 4, got 3",
        ),
        (
            make_gaussian_clusters,
            {"offset": -3.5},
            ValueError,
            "offset must be a finite number >= 0, got -3.5",
        ),
        (
            make_gaussian_clusters,
            {"offset": "far"},
            TypeError,
            "offset must be a real number, got 'far'",
        ),
    ],
)
def test_specific_bad_parameters(make, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make(**kwargs)


@pytest.mark.parametrize("make", GENERATOR_FUNCS)
def test_options_are_keyword_only(make):
    with pytest.raises(TypeError):
        make(100, 0.1)


# --------------------------------------------------------------------------
# make_xor
# --------------------------------------------------------------------------


def test_xor_labels_are_xor_of_coordinate_signs_at_low_noise():
    X, y = make_xor(n_samples=2000, noise=0.1, random_state=0)
    expected = (X[:, 0] > 0) ^ (X[:, 1] > 0)
    np.testing.assert_array_equal(y, expected.astype(int))


def test_xor_default_noise_rarely_leaves_the_quadrant():
    X, y = make_xor(n_samples=4000, random_state=0)
    agreement = np.mean(y == ((X[:, 0] > 0) ^ (X[:, 1] > 0)))
    assert agreement > 0.995


def test_xor_without_noise_puts_every_point_on_a_corner():
    X, y = make_xor(n_samples=10, noise=0.0, shuffle=False, random_state=0)
    np.testing.assert_array_equal(np.abs(X), np.ones_like(X))
    # Blob order (1, 1), (-1, -1), (1, -1), (-1, 1) with counts 3, 2, 3, 2.
    expected = np.array(
        [[1, 1]] * 3 + [[-1, -1]] * 2 + [[1, -1]] * 3 + [[-1, 1]] * 2, dtype=float
    )
    np.testing.assert_array_equal(X, expected)
    np.testing.assert_array_equal(y, [0] * 5 + [1] * 5)


def test_xor_blob_centres_and_spread():
    noise = 0.25
    X, y = make_xor(n_samples=8000, noise=noise, shuffle=False, random_state=1)
    # Unshuffled, the blobs come in blocks of 2000 in the documented order.
    centres = [(1, 1), (-1, -1), (1, -1), (-1, 1)]
    for block, centre in enumerate(centres):
        blob = X[2000 * block : 2000 * (block + 1)]
        labels = y[2000 * block : 2000 * (block + 1)]
        np.testing.assert_allclose(blob.mean(axis=0), centre, atol=0.02)
        np.testing.assert_allclose(blob.std(axis=0), noise, rtol=0.05)
        assert np.all(labels == int(centre[0] != centre[1]))


def test_xor_diagonal_quadrants_share_a_label():
    X, y = make_xor(n_samples=400, noise=0.1, random_state=2)
    quadrant = 2 * (X[:, 0] > 0) + (X[:, 1] > 0)
    assert np.bincount(quadrant).tolist() == [100, 100, 100, 100]
    # Diagonally opposite quadrants share a label: the signature of XOR.
    assert set(y[quadrant == 0]) == set(y[quadrant == 3]) == {0}
    assert set(y[quadrant == 1]) == set(y[quadrant == 2]) == {1}


# --------------------------------------------------------------------------
# make_spirals
# --------------------------------------------------------------------------


def _arms(X, y):
    return [X[y == label] for label in np.unique(y)]


@pytest.mark.parametrize("n_classes", [2, 3, 5])
def test_spiral_radius_grows_along_each_arm(n_classes):
    X, y = make_spirals(
        n_samples=301, n_classes=n_classes, shuffle=False, random_state=0
    )
    for arm in _arms(X, y):
        radius = _radius(arm)
        # The noise only turns points, so the radii are exactly linspace(0, 1).
        np.testing.assert_allclose(radius, np.linspace(0, 1, len(arm)), atol=1e-12)
        assert np.all(np.diff(radius) > 0)


@pytest.mark.parametrize("n_classes", [2, 3, 4, 7])
def test_noise_free_spiral_angle_grows_linearly_by_4_2(n_classes):
    X, y = make_spirals(
        n_samples=100 * n_classes,
        n_classes=n_classes,
        noise=0.0,
        shuffle=False,
        random_state=0,
    )
    step = 4.2 if n_classes <= 3 else 2 * np.pi / n_classes
    for label, arm in enumerate(_arms(X, y)):
        # x1 = r sin(t) and x2 = r cos(t), so t = arctan2(x1, x2); skip r = 0.
        angle = np.unwrap(np.arctan2(arm[1:, 0], arm[1:, 1]))
        expected = np.linspace(label * step, label * step + 4.2, len(arm))[1:]
        shift = np.round((expected[0] - angle[0]) / (2 * np.pi)) * 2 * np.pi
        np.testing.assert_allclose(angle + shift, expected, atol=1e-9)
        assert np.all(np.diff(angle) > 0)


def test_two_spiral_arms_are_rotations_of_each_other_by_4_2_radians():
    X, y = make_spirals(n_samples=200, noise=0.0, shuffle=False, random_state=0)
    arm0, arm1 = _arms(X, y)
    c, s = np.cos(4.2), np.sin(4.2)
    # Adding 4.2 to t maps (r sin t, r cos t) to this rotation of the point.
    rotated = np.column_stack(
        [arm0[:, 0] * c + arm0[:, 1] * s, arm0[:, 1] * c - arm0[:, 0] * s]
    )
    np.testing.assert_allclose(rotated, arm1, atol=1e-12)


@pytest.mark.parametrize("n_classes", range(2, 13))
def test_spiral_arms_never_start_in_the_same_direction(n_classes):
    X, y = make_spirals(
        n_samples=10 * n_classes,
        n_classes=n_classes,
        noise=0.0,
        shuffle=False,
        random_state=0,
    )
    # The second point of each arm shows the direction the arm leaves in.
    starts = np.array([np.arctan2(arm[1, 0], arm[1, 1]) for arm in _arms(X, y)])
    gaps = np.abs(starts[:, None] - starts[None, :]) % (2 * np.pi)
    gaps = np.minimum(gaps, 2 * np.pi - gaps)
    off_diagonal = gaps[~np.eye(n_classes, dtype=bool)]
    assert off_diagonal.min() > 0.9 * min(2.0, 2 * np.pi / n_classes)


def test_spiral_labels_follow_arm_order_and_cover_all_classes():
    _, y = make_spirals(n_samples=23, n_classes=4, shuffle=False, random_state=0)
    np.testing.assert_array_equal(np.bincount(y), [6, 6, 6, 5])
    assert np.all(np.diff(y) >= 0)


def test_spirals_reproduce_the_tutorial_points_exactly():
    # Tutorial 003: np.random.seed(42), then for arm j a radius
    # linspace(0, 1, 400) and an angle linspace(4.2 j, 4.2 (j + 1), 400) plus
    # 0.2 times 400 standard normal draws, points (r sin t, r cos t).
    stream = np.random.RandomState(42)
    expected = []
    for j in range(2):
        r = np.linspace(0, 1, 400)
        t = np.linspace(4.2 * j, 4.2 * (j + 1), 400) + stream.randn(400) * 0.2
        expected.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
    X, y = make_spirals(random_state=42, shuffle=False)
    np.testing.assert_array_equal(X, np.vstack(expected))
    np.testing.assert_array_equal(y, np.repeat([0, 1], 400))


def test_spiral_noise_is_angular_with_the_requested_spread():
    kwargs = {"n_samples": 20000, "shuffle": False, "random_state": 3}
    X_clean, _ = make_spirals(noise=0.0, **kwargs)
    X_noisy, y = make_spirals(noise=0.2, **kwargs)
    np.testing.assert_allclose(_radius(X_noisy), _radius(X_clean), atol=1e-12)
    far = _radius(X_clean) > 0.1
    turn = np.arctan2(X_noisy[far, 0], X_noisy[far, 1]) - np.arctan2(
        X_clean[far, 0], X_clean[far, 1]
    )
    turn = (turn + np.pi) % (2 * np.pi) - np.pi
    assert abs(turn.mean()) < 0.01
    assert turn.std() == pytest.approx(0.2, rel=0.03)


# --------------------------------------------------------------------------
# make_gaussian_clusters
# --------------------------------------------------------------------------


def test_cluster_shapes_follow_the_tutorial():
    X, y = make_gaussian_clusters(n_samples=40000, random_state=0)
    X0, X1 = X[y == 0], X[y == 1]
    # Class 0: one blob at the origin, wide sideways (std 2), thin (std 0.5).
    np.testing.assert_allclose(X0.mean(axis=0), [0, 0], atol=0.05)
    np.testing.assert_allclose(X0.std(axis=0), [2.0, 0.5], rtol=0.03)
    # Class 1: two blobs at (0, +-3.5), thin sideways (std 0.5), std 1 upwards.
    top, bottom = X1[X1[:, 1] > 0], X1[X1[:, 1] < 0]
    assert len(top) == pytest.approx(10000, rel=0.01)
    assert len(bottom) == pytest.approx(10000, rel=0.01)
    for blob, centre in ((top, 3.5), (bottom, -3.5)):
        np.testing.assert_allclose(blob.mean(axis=0), [0, centre], atol=0.05)
        np.testing.assert_allclose(blob.std(axis=0), [0.5, 1.0], rtol=0.03)


def test_cluster_class_1_lies_above_and_below_class_0():
    X, y = make_gaussian_clusters(n_samples=1000, shuffle=False, random_state=0)
    class_0, top, bottom = X[:500], X[500:750], X[750:]
    assert np.all(y[:500] == 0) and np.all(y[500:] == 1)
    assert np.median(top[:, 1]) > np.percentile(class_0[:, 1], 99) + 1.5
    assert np.median(bottom[:, 1]) < np.percentile(class_0[:, 1], 1) - 1.5
    # Sideways the classes overlap: class 0 reaches beyond class 1 on both sides.
    assert class_0[:, 0].min() < X[500:, 0].min()
    assert class_0[:, 0].max() > X[500:, 0].max()


def test_cluster_offset_moves_the_class_1_blobs():
    X, _ = make_gaussian_clusters(
        n_samples=8000, offset=10.0, shuffle=False, random_state=0
    )
    assert X[4000:6000, 1].mean() == pytest.approx(10.0, abs=0.1)
    assert X[6000:, 1].mean() == pytest.approx(-10.0, abs=0.1)
    X_zero, _ = make_gaussian_clusters(n_samples=8000, offset=0, random_state=0)
    assert X_zero[:, 1].mean() == pytest.approx(0.0, abs=0.1)


def test_clusters_use_the_tutorial_draw_order():
    # Tutorial 002 draws class 0 (500 x 2), then the top blob (250 x 2), then
    # the bottom blob (250 x 2) with np.random.normal(loc, scale, size).
    stream = np.random.RandomState(11)
    expected = np.vstack(
        [
            stream.normal([0, 0], [2, 0.5], (500, 2)),
            stream.normal([0, 3.5], [0.5, 1], (250, 2)),
            stream.normal([0, -3.5], [0.5, 1], (250, 2)),
        ]
    )
    X, y = make_gaussian_clusters(random_state=11, shuffle=False)
    np.testing.assert_array_equal(X, expected)
    np.testing.assert_array_equal(y, np.repeat([0, 1], 500))


# --------------------------------------------------------------------------
# load_rings
# --------------------------------------------------------------------------

# The table printed by tutorial 001, typed in again independently.
# fmt: off
PRINTED_RING_X = [
    [0.65, 0.00], [0.00, -0.65], [-0.75, -1.29], [1.29, 0.75],
    [-0.46, -0.46], [-1.29, -0.75], [0.00, -1.5], [0.46, 0.46],
    [0.46, -0.46], [-1.29, 0.75], [-0.46, 0.46], [0.00, 0.65],
    [0.75, -1.29], [1.29, -0.75], [-0.65, 0.00], [1.50, 0.00],
    [-1.50, 0.00], [0.75, 1.29], [-0.75, 1.29], [0.00, 1.50],
]
# fmt: on
PRINTED_RING_Y = [0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1]


def test_rings_match_the_printed_points():
    X, y = load_rings()
    _check_xy(X, y, 20)
    np.testing.assert_array_equal(X, PRINTED_RING_X)
    np.testing.assert_array_equal(y, PRINTED_RING_Y)
    assert np.bincount(y).tolist() == [8, 12]


def test_rings_are_separable_by_radius():
    X, y = load_rings()
    radius = _radius(X)
    assert radius[y == 0].max() < radius[y == 1].min()
    np.testing.assert_allclose(radius[y == 0], 0.65, atol=0.001)
    np.testing.assert_allclose(radius[y == 1], 1.5, atol=0.01)


def test_rings_inner_ring_is_enclosed_by_the_outer_ring():
    # Seen from the origin, neither class leaves an angular gap of pi or more,
    # so the convex hulls of both classes contain the origin and therefore
    # meet: no straight line separates the two rings.
    X, y = load_rings()
    for label in (0, 1):
        angles = np.sort(np.arctan2(X[y == label, 1], X[y == label, 0]))
        gaps = np.diff(np.append(angles, angles[0] + 2 * np.pi))
        assert gaps.max() < np.pi


def test_rings_returns_fresh_arrays():
    X, y = load_rings()
    X[:] = 0.0
    y[:] = 7
    X_again, y_again = load_rings()
    np.testing.assert_array_equal(X_again, PRINTED_RING_X)
    np.testing.assert_array_equal(y_again, PRINTED_RING_Y)
    assert not np.shares_memory(X_again, load_rings()[0])


# --------------------------------------------------------------------------
# Property-based tests
# --------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    n_classes=st.integers(min_value=2, max_value=12),
    extra=st.integers(min_value=0, max_value=300),
    noise=st.floats(min_value=0.0, max_value=2.0),
    shuffle=st.booleans(),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_spirals_any_size_gives_right_shapes_and_balance(
    n_classes, extra, noise, shuffle, seed
):
    n_samples = n_classes + extra
    X, y = make_spirals(
        n_samples,
        n_classes=n_classes,
        noise=noise,
        shuffle=shuffle,
        random_state=seed,
    )
    _check_xy(X, y, n_samples)
    counts = np.bincount(y, minlength=n_classes)
    assert len(counts) == n_classes
    assert counts.min() >= 1
    assert counts.max() - counts.min() <= 1
    assert np.all(_radius(X) <= 1 + 1e-12)


@settings(max_examples=60, deadline=None)
@given(
    make=st.sampled_from([make_xor, make_gaussian_clusters]),
    n_samples=st.integers(min_value=4, max_value=500),
    shuffle=st.booleans(),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_binary_generators_any_size_gives_right_shapes_and_balance(
    make, n_samples, shuffle, seed
):
    X, y = make(n_samples, shuffle=shuffle, random_state=seed)
    _check_xy(X, y, n_samples)
    counts = np.bincount(y, minlength=2)
    assert len(counts) == 2
    assert counts[0] - counts[1] in (0, 1)
    # The same seed gives the same points again.
    X_again, y_again = make(n_samples, shuffle=shuffle, random_state=seed)
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(y, y_again)
