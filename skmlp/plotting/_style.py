"""Colours, colour maps and sizes shared by every figure the package draws.

One palette: class ``k`` (the k-th of ``classes_``) has the colour
``CLASS_COLORS[k]`` in every display and in the app's figures, whatever the
number of classes. Class 0 is blue and class 1 red, the two ends of the
``RdBu_r`` map that shades P(class 1) on binary problems; more classes
continue in matplotlib's tab10 order.
"""

CLASS_COLORS = (
    "#2166ac",  # blue
    "#b2182b",  # red
    "#2ca02c",  # green
    "#ff7f0e",  # orange
    "#9467bd",  # purple
    "#8c564b",  # brown
    "#e377c2",  # pink
    "#7f7f7f",  # grey
    "#bcbd22",  # olive
    "#17becf",  # cyan
)
#: The names of CLASS_COLORS, for titles and captions.
CLASS_COLOR_NAMES = (
    "blue",
    "red",
    "green",
    "orange",
    "purple",
    "brown",
    "pink",
    "grey",
    "olive",
    "cyan",
)
_CLASS_COLORS = CLASS_COLORS
_PROBA_CMAP = "RdBu_r"
_UNIT_CMAP = "PRGn"
# Axis labels when the features have no names.
_AXIS_NAMES = ("x1", "x2")
# Maps are drawn in bands, as by contourf: an even number of them puts a band
# edge on the level that matters (P = 1/2, z = 0), and flat colours keep GIFs
# small (no dithering of smooth gradients).
_N_BANDS = 10
# The maps use the middle 80% of their colour maps (the darkest ends would hide
# the points) mixed with a little white.
_MAP_RANGE = (0.1, 0.9)
_RESPONSE_LIGHTEN = 0.3
_UNIT_LIGHTEN = 0.2
_PANEL_INCHES = 2.6
_MAX_COLUMNS = 6


def class_colors(n_classes):
    """The colour of each of ``n_classes`` classes, in the order of ``classes_``.

    Class ``k`` (``classes_[k]``) is ``CLASS_COLORS[k]``: blue, red, green, then
    matplotlib's tab10 order, whatever the number of classes. Use it to draw
    class points (and a legend) in the colours of the package's displays.

    Parameters
    ----------
    n_classes : int
        The number of classes. Fewer than two still gives two colours, so a
        binary palette can be indexed by 0 and 1.

    Returns
    -------
    colors : list of str
        ``max(n_classes, 2)`` hex colours; past ten classes the palette repeats.

    See Also
    --------
    skmlp.plotting.CLASS_COLORS : The palette itself.

    Examples
    --------
    >>> from skmlp.plotting import class_colors
    >>> class_colors(3)
    ['#2166ac', '#b2182b', '#2ca02c']
    >>> class_colors(1)  # a one-class problem keeps class 0's blue
    ['#2166ac', '#b2182b']
    >>> class_colors(2) == class_colors(3)[:2]
    True
    """
    return [CLASS_COLORS[k % len(CLASS_COLORS)] for k in range(max(n_classes, 2))]
