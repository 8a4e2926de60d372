"""
==========================================================
XOR with one and two hidden layers: what each neuron draws
==========================================================

Four clouds of points on the corners of a square, labelled by exclusive-or:
opposite corners share a class. No single line separates the classes, so a
network needs hidden units, and each hidden unit of the first layer contributes
exactly one line. This example retells a classic tutorial on MLPs with two
hidden layers: it trains a 2-3-1 and a 2-4-3-1 sigmoid network with per-sample
gradient descent and draws, next to each network's decision boundary, the region
where every hidden neuron is active.
"""

# %%
import warnings

from sklearn.exceptions import ConvergenceWarning

from skmlp import BackpropMLPClassifier
from skmlp.datasets import make_xor
from skmlp.initializers import Normal, VarianceScaling
from skmlp.plotting import HiddenUnitsDisplay, LossCurveDisplay

warnings.filterwarnings("ignore", category=ConvergenceWarning)  # fixed epochs
X, y = make_xor(200, noise=0.3, random_state=0)

# %%
# Two networks, trained one sample at a time
# ------------------------------------------
# Both use sigmoid (``"logistic"``) units, ``solver="sgd"`` with
# ``batch_size=1`` and no momentum (an update after every sample), and a fixed
# number of epochs. The tutorial starts the one-layer network from weights drawn
# from :math:`N(0, 0.1^2)`, and the two-layer network from gaussian weights
# scaled by :math:`\sqrt{1 / \text{fan-out}}`, which
# :class:`~skmlp.initializers.VarianceScaling` expresses as ``mode="fan_out"``;
# both with zero biases.
per_sample = dict(
    activation="logistic",
    solver="sgd",
    batch_size=1,
    momentum=0.0,
    tol=0.0,
    random_state=0,
)
one_layer = BackpropMLPClassifier(
    (3,),
    weight_init=Normal(0.1, biases="zeros"),
    learning_rate_init=0.05,
    max_iter=300,
    n_iter_no_change=300,
    **per_sample,
).fit(X, y)
two_layers = BackpropMLPClassifier(
    (4, 3),
    weight_init=VarianceScaling(1.0, mode="fan_out"),
    learning_rate_init=0.01,
    max_iter=400,
    n_iter_no_change=400,
    **per_sample,
).fit(X, y)
for name, model in [("2-3-1", one_layer), ("2-4-3-1", two_layers)]:
    print(
        f"{name}: training accuracy {model.score(X, y):.3f}, "
        f"final loss {model.loss_:.3f}"
    )

# %%
# On these clouds both networks classify every training point. (The tutorial's
# own data, a file that cannot be downloaded here, was harder for the one-layer
# network; :func:`~skmlp.datasets.make_xor` is a stand-in of the same kind.) The
# interesting difference is in *how* they do it.
#
# What each neuron computes
# -------------------------
# :meth:`~skmlp.BackpropMLPClassifier.hidden_activations` returns the output of
# every hidden unit for any input, or with ``pre_activation=True`` its input
# :math:`z = a_\text{prev} W + b`. A sigmoid unit is "on" (output above 1/2)
# exactly where :math:`z > 0`.
# :class:`~skmlp.plotting.HiddenUnitsDisplay` evaluates this on a grid over
# the data and draws one panel per unit: green where the unit is on, purple
# where it is off, and the black line where :math:`z = 0`. For a first-layer
# unit that line is exactly :math:`x W_{:,j} + b_j = 0`; a second-layer unit's
# region can have any shape the first layer's lines combine into. The last
# panel is the network's decision boundary, :math:`P(y=1) = 1/2`.

# %%
# One hidden layer: three lines. Each cuts the plane in two, and the output
# unit combines the "on" and "off" regions into the final boundary, with the
# red class (label 1) in the band between the lines.
display = HiddenUnitsDisplay.from_estimator(one_layer, X, y)
display.figure_.suptitle("2-3-1")

# %%
# Two hidden layers: the four first-layer units again draw straight lines, but
# the three second-layer units respond to combinations of them: regions with
# corners and bends, each already close to a piece of the answer. The output
# unit then only has to combine three well-chosen regions.
display = HiddenUnitsDisplay.from_estimator(two_layers, X, y)
display.figure_.suptitle("2-4-3-1")

# %%
# Only the second layer's units, with ``layer=1`` (0-based, as in ``coefs_``):
display = HiddenUnitsDisplay.from_estimator(two_layers, X, y, layer=1)

# %%
# The loss curves: the two-layer network sits on a plateau for about 200
# epochs before it starts to learn. It uses a learning rate five times smaller,
# and the delta that reaches its first layer has been multiplied by a sigmoid
# derivative, at most 1/4, once more on the way down (see
# :doc:`/user_guide/network`). Once its units have differentiated, it ends
# with the lower loss.
display = LossCurveDisplay.from_estimator(
    one_layer, name="2-3-1, learning rate 0.05", log_scale=True
)
LossCurveDisplay.from_estimator(
    two_layers, ax=display.ax_, name="2-4-3-1, learning rate 0.01", log_scale=True
)
