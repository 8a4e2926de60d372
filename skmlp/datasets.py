"""Small two-dimensional toy data sets for binary and multi-class MLPs.

The functions in this module rebuild, from their published descriptions, the
toy problems used by four back-propagation tutorials that ``skmlp`` takes as
its worked examples:

* :func:`make_xor` -- four gaussian blobs on the corners of a square with
  exclusive-or labels (the "exor" data set of the tutorial on MLPs with two
  hidden layers);
* :func:`load_rings` -- twenty fixed points on two concentric rings (the
  "red and green points" of the tutorial on a 2-3-3-1 sigmoid network);
* :func:`make_gaussian_clusters` -- the "hard" set of one wide horizontal
  gaussian lying between two narrow vertical ones;
* :func:`make_spirals` -- interleaved spiral arms, one arm per class.

The generators follow scikit-learn's conventions for ``sklearn.datasets``
generators: keyword-only options, a ``random_state`` read as
:func:`sklearn.utils.check_random_state` reads it, and a return value
``(X, y)`` with ``X`` a float64 array of shape ``(n_samples, 2)`` and ``y`` an
integer array of shape ``(n_samples,)``.  Every random draw comes from the
generator built from ``random_state``; nothing here calls the functions of
:mod:`numpy.random` directly.  As in scikit-learn, ``random_state=None``
means NumPy's global ``RandomState`` singleton, so pass an int for
reproducible output.
"""

import numbers

import numpy as np

__all__ = [
    "load_rings",
    "make_gaussian_clusters",
    "make_spirals",
    "make_xor",
]

# Angular length, in radians, of every spiral arm (tutorial 003 uses 4.2).
_SPIRAL_SPREAD = 4.2

# The 20 points of the ring tutorial, in the order in which it lists them,
# with their labels (0 = "red", inner ring; 1 = "green", outer ring).
_RING_X = (
    (0.65, 0.00),
    (0.00, -0.65),
    (-0.75, -1.29),
    (1.29, 0.75),
    (-0.46, -0.46),
    (-1.29, -0.75),
    (0.00, -1.50),
    (0.46, 0.46),
    (0.46, -0.46),
    (-1.29, 0.75),
    (-0.46, 0.46),
    (0.00, 0.65),
    (0.75, -1.29),
    (1.29, -0.75),
    (-0.65, 0.00),
    (1.50, 0.00),
    (-1.50, 0.00),
    (0.75, 1.29),
    (-0.75, 1.29),
    (0.00, 1.50),
)
_RING_Y = (0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1)


# --------------------------------------------------------------------------
# Parameter checks.  Each error message names the parameter and shows the
# offending value with repr(), so that a string "10" is told apart from 10.
# --------------------------------------------------------------------------


def _check_int(name, value, minimum, minimum_name=None):
    """Return ``value`` as a Python int after checking it is an int >= minimum.

    ``minimum_name`` names the parameter the lower bound comes from, if any.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, got {value!r} of type {type(value).__name__}"
        )
    if value < minimum:
        bound = f"{minimum_name} = {minimum}" if minimum_name else f"{minimum}"
        raise ValueError(f"{name} must be an integer >= {bound}, got {value!r}")
    return int(value)


def _check_nonnegative(name, value):
    """Return ``value`` as a float after checking it is a finite real >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number, got {value!r} "
            f"of type {type(value).__name__}"
        )
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def _check_bool(name, value):
    """Return ``value`` as a Python bool after checking it is a boolean."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be True or False, got {value!r} "
            f"of type {type(value).__name__}"
        )
    return bool(value)


def _check_random_state(random_state):
    """The RandomState ``random_state`` stands for, with an error naming it.

    scikit-learn's ``check_random_state`` rule, so the same ``random_state``
    draws the same numbers here as in scikit-learn's generators: None (or the
    ``numpy.random`` module) is the RandomState behind NumPy's global functions,
    an int seeds a new one, a RandomState is used as it is.
    """
    if random_state is None or random_state is np.random:
        return np.random.mtrand._rand
    if isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, numbers.Integral):
        try:
            return np.random.RandomState(random_state)
        except ValueError:  # a seed outside [0, 2**32)
            pass
    raise ValueError(
        "random_state must be None, an int or a numpy.random.RandomState "
        f"instance, got {random_state!r}"
    )


def _split_evenly(n, parts):
    """Split ``n`` into ``parts`` counts that differ by at most one.

    The first ``n % parts`` counts get the extra sample.
    """
    base, extra = divmod(n, parts)
    return [base + (i < extra) for i in range(parts)]


def _finish(blocks, labels, shuffle, generator):
    """Stack the per-blob arrays into ``(X, y)`` and shuffle them if asked."""
    X = np.vstack(blocks).astype(np.float64, copy=False)
    y = np.concatenate(
        [
            np.full(len(block), label, dtype=int)
            for block, label in zip(blocks, labels, strict=True)
        ]
    )
    if shuffle:
        order = generator.permutation(len(y))
        X, y = X[order], y[order]
    return X, y


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------


def make_xor(n_samples=200, *, noise=0.3, shuffle=True, random_state=None):
    """Generate four gaussian blobs on the corners of a square with XOR labels.

    The blobs are isotropic gaussians of standard deviation ``noise`` centred
    on ``(1, 1)``, ``(-1, -1)``, ``(1, -1)`` and ``(-1, 1)``.  A point's label
    is the exclusive-or of the two statements "``x1 > 0``" and "``x2 > 0``"
    taken at its blob's centre: the blobs at ``(1, 1)`` and ``(-1, -1)`` form
    class 0, the blobs at ``(1, -1)`` and ``(-1, 1)`` form class 1.  No
    straight line separates the classes, which is what makes this the classic
    example of a problem a single neuron cannot solve but an MLP can.

    This is a stand-in for the "exor" data set of the tutorial on MLPs with
    two hidden layers.  That tutorial reads its points from a CSV file which
    cannot be downloaded here, and its text gives neither the number of
    points, nor the blob centres, nor their spread; it only says that the
    labels are an exclusive-or of the two input features.  The centres at
    ``(+-1, +-1)`` and the default spread are therefore a choice made for
    this package, not values copied from the tutorial.

    Parameters
    ----------
    n_samples : int, default=200
        Total number of points, at least 4.  Class 0 gets
        ``n_samples - n_samples // 2`` points and class 1 gets
        ``n_samples // 2``; each class is split as evenly as possible between
        its two blobs.

    noise : float, default=0.3
        Standard deviation of every blob, along both axes.  Must be >= 0;
        with ``noise=0`` every point sits exactly on a corner.  Up to about
        ``noise=0.3`` almost no point leaves its quadrant (about one point in
        a thousand), so the labels agree with the signs of the coordinates.

    shuffle : bool, default=True
        Whether to shuffle the points.  If False, the points come blob by
        blob in the order ``(1, 1)``, ``(-1, -1)``, ``(1, -1)``, ``(-1, 1)``,
        that is all of class 0 first and then all of class 1.

    random_state : int, RandomState instance or None, default=None
        Seed or generator for the gaussian draws and the shuffle.  Pass an
        int for output that is the same on every call.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), dtype float64
        The coordinates of the points.

    y : ndarray of shape (n_samples,), dtype int
        The label, 0 or 1, of each point.

    See Also
    --------
    make_gaussian_clusters : Another binary problem no line can separate.

    Notes
    -----
    The one trace of the original file in the tutorial is the hand-worked
    gradient step on its first sample: dividing the printed weight gradients
    of the first layer by the printed bias gradients gives that sample as
    about ``(0.536, -0.622)``, and the printed loss and output gradient give
    its label as 0.  Its size fits corners at ``(+-1, +-1)``.  If the
    original blobs are centred on the origin, though, the original labels
    are the opposite of the ones here, which follow the usual XOR truth
    table (label 1 when exactly one coordinate is positive).  For a
    classifier the two labellings are equally hard.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.datasets import make_xor
    >>> X, y = make_xor(n_samples=100, noise=0.1, random_state=0)
    >>> X.shape, X.dtype, y.shape
    ((100, 2), dtype('float64'), (100,))
    >>> np.bincount(y)
    array([50, 50])

    With little noise, the label is 1 exactly when the coordinates have
    opposite signs:

    >>> bool(np.all(y == ((X[:, 0] > 0) ^ (X[:, 1] > 0))))
    True
    """
    n_samples = _check_int("n_samples", n_samples, 4)
    noise = _check_nonnegative("noise", noise)
    shuffle = _check_bool("shuffle", shuffle)
    generator = _check_random_state(random_state)

    n_class_1 = n_samples // 2
    n_class_0 = n_samples - n_class_1
    counts = _split_evenly(n_class_0, 2) + _split_evenly(n_class_1, 2)
    centres = ((1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0))
    labels = (0, 0, 1, 1)

    blocks = [
        generator.normal(loc=centre, scale=noise, size=(count, 2))
        for centre, count in zip(centres, counts, strict=True)
    ]
    return _finish(blocks, labels, shuffle, generator)


def make_spirals(
    n_samples=800, *, n_classes=2, noise=0.2, shuffle=True, random_state=None
):
    """Generate interleaved spiral arms, one arm per class.

    Every arm starts at the origin and winds outwards.  Along arm ``j`` the
    ``i``-th point has radius ``r_i`` and angle ``t_i`` with::

        r_i = i / (m - 1)                       # radius from 0 to 1
        t_i = start_j + 4.2 * r_i + noise * e_i
        x = (r_i * sin(t_i), r_i * cos(t_i))

    where ``m`` is the number of points on the arm and ``e_i`` is a standard
    normal draw; in NumPy terms the radii are ``linspace(0, 1, m)`` and the
    noise-free angles are ``linspace(start_j, start_j + 4.2, m)``.  The noise
    moves points along the circle of their radius only, so every radius is
    exact.  Note the order of the coordinates: the first one is the sine.

    This is the data set of the tutorial that fits a one-hidden-layer tanh
    network on two spirals (its own code adapted from the CS231n notes): 400
    points per arm, an angular span of 4.2 radians per arm, arm ``j``
    starting at angle ``4.2 * j``, and angular noise of standard deviation
    0.2.  Those are the defaults here, and the draws are made in the same
    order, so that ``make_spirals(random_state=42, shuffle=False)`` returns
    exactly the 800 points of that tutorial (which calls
    ``np.random.seed(42)`` before drawing them).

    Starting arm ``j`` at ``4.2 * j`` keeps two or three arms well apart,
    but a fourth arm would start only 0.03 radians from the first one.  So
    for ``n_classes >= 4`` the arms start at evenly spaced angles
    ``start_j = 2 * pi * j / n_classes`` instead; the span of 4.2 radians
    and the radius from 0 to 1 are the same for any number of arms.

    Parameters
    ----------
    n_samples : int, default=800
        Total number of points, at least ``n_classes``.  They are split as
        evenly as possible between the arms: the first
        ``n_samples % n_classes`` arms get one point more than the others.

    n_classes : int, default=2
        Number of arms, which is also the number of classes; at least 2.
        The points of arm ``j`` have label ``j``.

    noise : float, default=0.2
        Standard deviation, in radians, of the gaussian noise added to the
        angle of every point.  Must be >= 0; with ``noise=0`` the points lie
        exactly on the spiral curves.

    shuffle : bool, default=True
        Whether to shuffle the points.  If False, the points come arm by arm
        (label 0 first) and, within an arm, from the centre outwards, which
        is the order of the tutorial.  The shuffle is drawn after the noise,
        so it permutes the same points that ``shuffle=False`` returns.

    random_state : int, RandomState instance or None, default=None
        Seed or generator for the noise and the shuffle.  Pass an int for
        output that is the same on every call.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), dtype float64
        The coordinates of the points.

    y : ndarray of shape (n_samples,), dtype int
        The arm, from 0 to ``n_classes - 1``, of each point.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.datasets import make_spirals
    >>> X, y = make_spirals(random_state=42)
    >>> X.shape, X.dtype, y.shape
    ((800, 2), dtype('float64'), (800,))
    >>> np.bincount(y)
    array([400, 400])

    Without shuffling, each arm runs from the origin out to radius 1:

    >>> X, y = make_spirals(n_samples=7, n_classes=3, shuffle=False,
    ...                     random_state=0)
    >>> y
    array([0, 0, 0, 1, 1, 2, 2])
    >>> np.hypot(X[:, 0], X[:, 1]).round(2)
    array([0. , 0.5, 1. , 0. , 1. , 0. , 1. ])
    """
    n_classes = _check_int("n_classes", n_classes, 2)
    n_samples = _check_int("n_samples", n_samples, n_classes, "n_classes")
    noise = _check_nonnegative("noise", noise)
    shuffle = _check_bool("shuffle", shuffle)
    generator = _check_random_state(random_state)

    if n_classes <= 3:
        step = _SPIRAL_SPREAD
    else:
        step = 2.0 * np.pi / n_classes

    blocks = []
    for arm, count in enumerate(_split_evenly(n_samples, n_classes)):
        start = arm * step
        radius = np.linspace(0.0, 1.0, count)
        angle = np.linspace(start, start + _SPIRAL_SPREAD, count)
        angle = angle + generator.standard_normal(count) * noise
        blocks.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
    return _finish(blocks, range(n_classes), shuffle, generator)


def make_gaussian_clusters(
    n_samples=1000, *, offset=3.5, shuffle=True, random_state=None
):
    """Generate one wide horizontal gaussian between two vertical ones.

    Class 0 is a single gaussian centred on the origin, wide along the first
    axis and thin along the second.  Class 1 is made of two gaussians, one
    above and one below class 0, each thin along the first axis and taller
    along the second.  Logistic regression cannot separate the classes,
    while a small ReLU network can (it needs two decision lines).

    This is the "hard" data set of the tutorial on multi-layer perceptrons
    with ReLU hidden units.  Its values are used unchanged:

    ============  ==============  =====================  ==================
    blob          share           mean                   standard deviation
    ============  ==============  =====================  ==================
    class 0       1/2             ``(0, 0)``             ``(2, 0.5)``
    class 1, top  1/4             ``(0, offset)``        ``(0.5, 1)``
    class 1, low  1/4             ``(0, -offset)``       ``(0.5, 1)``
    ============  ==============  =====================  ==================

    with ``offset=3.5`` by default.  The axes are independent, so the
    covariances are ``diag(4, 0.25)`` for class 0 and ``diag(0.25, 1)`` for
    the two class-1 blobs.  The draws are made in the tutorial's order
    (class 0, then the top blob, then the bottom blob), so with
    ``shuffle=False`` and ``n_samples=1000`` the points equal the tutorial's
    for the same seed of NumPy's legacy generator.

    Parameters
    ----------
    n_samples : int, default=1000
        Total number of points, at least 4.  Class 0 gets
        ``n_samples - n_samples // 2`` points and class 1 gets
        ``n_samples // 2``, of which the top blob gets the larger half.

    offset : float, default=3.5
        Distance from the origin to the centres of the two class-1 blobs,
        which lie at ``(0, offset)`` and ``(0, -offset)``.  Must be >= 0.

    shuffle : bool, default=True
        Whether to shuffle the points.  If False, the points come blob by
        blob: class 0, then the top class-1 blob, then the bottom one.

    random_state : int, RandomState instance or None, default=None
        Seed or generator for the gaussian draws and the shuffle.  Pass an
        int for output that is the same on every call.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), dtype float64
        The coordinates of the points.

    y : ndarray of shape (n_samples,), dtype int
        The label, 0 or 1, of each point.

    See Also
    --------
    make_xor : Another binary problem no line can separate.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.datasets import make_gaussian_clusters
    >>> X, y = make_gaussian_clusters(random_state=0)
    >>> X.shape, X.dtype, y.shape
    ((1000, 2), dtype('float64'), (1000,))
    >>> np.bincount(y)
    array([500, 500])

    Class 0 spreads sideways, class 1 up and down:

    >>> X0, X1 = X[y == 0], X[y == 1]
    >>> bool(X0[:, 0].std() > 3 * X0[:, 1].std())
    True
    >>> int((X1[:, 1] > 0).sum()), int((X1[:, 1] < 0).sum())
    (250, 250)
    """
    n_samples = _check_int("n_samples", n_samples, 4)
    offset = _check_nonnegative("offset", offset)
    shuffle = _check_bool("shuffle", shuffle)
    generator = _check_random_state(random_state)

    n_class_1 = n_samples // 2
    n_top, n_bottom = _split_evenly(n_class_1, 2)
    blobs = (
        ((0.0, 0.0), (2.0, 0.5), n_samples - n_class_1),
        ((0.0, offset), (0.5, 1.0), n_top),
        ((0.0, -offset), (0.5, 1.0), n_bottom),
    )
    blocks = [
        generator.normal(loc=mean, scale=std, size=(count, 2))
        for mean, std, count in blobs
    ]
    return _finish(blocks, (0, 1, 1), shuffle, generator)


def load_rings():
    """Load the 20 fixed points of the two-ring problem.

    Eight points lie on an inner ring of radius about 0.65 (class 0, drawn
    in red in the tutorial) and twelve on an outer ring of radius about 1.5
    (class 1, drawn in green).  The classes are separated by any circle of
    radius between 0.66 and 1.49 around the origin, but not by a line.

    These are the exact coordinates and labels printed by the tutorial that
    trains a 2-3-3-1 sigmoid network by hand, in the same order.  The data
    involves no randomness, so there are no options.

    Returns
    -------
    X : ndarray of shape (20, 2), dtype float64
        The coordinates of the points.  A new array is returned on every
        call, so it may be modified freely.

    y : ndarray of shape (20,), dtype int
        The label of each point: 0 for the inner ring, 1 for the outer ring.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.datasets import load_rings
    >>> X, y = load_rings()
    >>> X.shape, X.dtype, y.shape
    ((20, 2), dtype('float64'), (20,))
    >>> np.bincount(y)
    array([ 8, 12])
    >>> X[:3]
    array([[ 0.65,  0.  ],
           [ 0.  , -0.65],
           [-0.75, -1.29]])
    >>> y[:3]
    array([0, 0, 1])
    >>> radius = np.hypot(X[:, 0], X[:, 1])
    >>> bool(radius[y == 0].max() < radius[y == 1].min())
    True
    """
    return np.array(_RING_X, dtype=np.float64), np.array(_RING_Y, dtype=int)
