"""Pictures of a network: its hidden units, its training, its loss, its rivals.

Display objects in scikit-learn's style. A ``from_*`` classmethod computes
what to draw and calls ``plot``; ``plot(ax=None, ...)`` draws on a new figure
or on the axes you pass, keeps the figure, axes and artists as attributes
ending in ``_``, and returns the display. Nothing here calls ``plt.show()``,
and matplotlib is imported only when something is drawn, so
``import skmlp.plotting`` works without it.

* :class:`HiddenUnitsDisplay`: for a classifier of two input features, one
  panel per hidden unit (where it is active, and the line or curve where its
  pre-activation is zero), plus the network's decision boundary. For a
  regressor of one input feature, each hidden unit's output as a curve over x
  and the prediction as their weighted sum.
* :class:`TrainingAnimation`: the decision boundary (and optionally every
  hidden unit) over the epochs, from :class:`~skmlp.callbacks.WeightSnapshots`
  or by driving ``partial_fit``; saves as a GIF with Pillow.
* :class:`LossCurveDisplay`: training loss per epoch and, with early stopping
  or a validation set, validation loss and validation score (accuracy, a
  regressor's R², or what ``scoring`` names), with the epoch whose weights
  were kept and the epoch training stopped at.
* :class:`BoundaryComparisonDisplay`: two classifiers' decision boundaries on
  the same axes.

scikit-learn's :class:`~sklearn.inspection.DecisionBoundaryDisplay` also works
with :class:`~skmlp.BackpropMLPClassifier`, with every ``response_method``.

One palette: every display draws class ``k`` (``classes_[k]``) in the colour
:data:`CLASS_COLORS` ``[k]`` (class 0 blue, class 1 red, class 2 green, then
matplotlib's tab10 order), whatever the number of classes, and shades a binary
problem's P(class 1) with the ``"RdBu_r"`` colour map, whose blue end is class
0's and red end class 1's. :func:`class_colors` gives the colours of ``n``
classes, to draw your own figures in the same language.

Examples
--------
What each neuron of a 2-4-3-1 network draws on the XOR problem:

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from skmlp import BackpropMLPClassifier
>>> from skmlp.datasets import make_xor
>>> from skmlp.plotting import HiddenUnitsDisplay
>>> X, y = make_xor(200, random_state=0)
>>> clf = BackpropMLPClassifier((4, 3), activation="logistic", solver="lbfgs",
...                             random_state=0).fit(X, y)
>>> display = HiddenUnitsDisplay.from_estimator(clf, X, y)
>>> [ax.get_title() for ax in display.axes_][::3]
['layer 1, unit 1', 'layer 1, unit 4', 'layer 2, unit 3']

The same palette for points drawn by hand, with scikit-learn's
:class:`~sklearn.inspection.DecisionBoundaryDisplay` shading P(class 1):

>>> import matplotlib.pyplot as plt
>>> import numpy as np
>>> from sklearn.inspection import DecisionBoundaryDisplay
>>> from skmlp.plotting import CLASS_COLORS, class_colors
>>> CLASS_COLORS[:2]  # class 0 blue, class 1 red
('#2166ac', '#b2182b')
>>> fig, ax = plt.subplots()
>>> shading = DecisionBoundaryDisplay.from_estimator(
...     clf, X, response_method="predict_proba", cmap="RdBu_r", alpha=0.6, ax=ax)
>>> points = ax.scatter(*X.T, c=np.asarray(class_colors(2))[y], edgecolors="k")
>>> colorbar = fig.colorbar(shading.surface_, ax=ax, label="P(class 1)")
>>> plt.close("all")
"""

from . import _style
from ._animation import TrainingAnimation
from ._comparison import BoundaryComparisonDisplay
from ._hidden_units import HiddenUnitsDisplay
from ._loss_curve import LossCurveDisplay
from ._style import class_colors

#: The colour of each class, as hex strings: class ``k`` (``classes_[k]``) is
#: ``CLASS_COLORS[k]`` in every figure the package draws. Class 0 is blue and
#: class 1 red, the two ends of the ``"RdBu_r"`` map that shades P(class 1);
#: more classes continue in matplotlib's tab10 order (green, orange, purple,
#: ...). Ten colours; :func:`class_colors` repeats them past ten classes.
CLASS_COLORS = _style.CLASS_COLORS

__all__ = [
    "CLASS_COLORS",
    "BoundaryComparisonDisplay",
    "HiddenUnitsDisplay",
    "LossCurveDisplay",
    "TrainingAnimation",
    "class_colors",
]
