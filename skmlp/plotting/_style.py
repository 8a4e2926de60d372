"""Colours, colour maps and sizes shared by the displays."""

# Class colours: blue and red for binary problems (the two ends of the RdBu_r
# colour map of P(class 1)), then matplotlib's tab10 order for more classes.
_BINARY_COLORS = ("#2166ac", "#b2182b")
_CLASS_COLORS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
_PROBA_CMAP = "RdBu_r"
_UNIT_CMAP = "PRGn"
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
