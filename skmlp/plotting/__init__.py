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
"""

from ._animation import TrainingAnimation
from ._comparison import BoundaryComparisonDisplay
from ._hidden_units import HiddenUnitsDisplay
from ._loss_curve import LossCurveDisplay

__all__ = [
    "BoundaryComparisonDisplay",
    "HiddenUnitsDisplay",
    "LossCurveDisplay",
    "TrainingAnimation",
]
