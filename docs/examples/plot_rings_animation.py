"""
====================================================
Twenty points on two rings: watching a network learn
====================================================

Eight points on an inner ring, twelve on an outer one. This is the data set of a
classic tutorial that builds a 2-3-3-1 sigmoid network by hand, trains it with
full-batch gradient descent until the loss falls below 0.005, and animates the
decision boundary along the way. Here the same experiment is a handful of
estimator parameters and a callback, and the animation is drawn from weight
snapshots recorded during training.
"""

# %%
# sphinx_gallery_thumbnail_number = 2
from skmlp import BackpropMLPClassifier, StopWhenLossBelow, WeightSnapshots
from skmlp.datasets import load_rings
from skmlp.initializers import Uniform
from skmlp.plotting import HiddenUnitsDisplay, LossCurveDisplay, TrainingAnimation

X, y = load_rings()

# %%
# The tutorial's settings, as parameters
# --------------------------------------
# * two hidden layers of three sigmoid units: ``hidden_layer_sizes=(3, 3)``,
#   ``activation="logistic"``;
# * weights drawn uniformly from [0, 1) and zero biases:
#   ``weight_init=Uniform(0.0, 1.0, biases="zeros")``;
# * plain full-batch gradient descent with learning rate 0.4:
#   ``solver="sgd"``, ``batch_size=20`` (all the points), ``momentum=0``;
# * train until the loss is below 0.005: a
#   :class:`~skmlp.StopWhenLossBelow` callback, with scikit-learn's own
#   stopping rule switched off (``tol=0``).
#
# A :class:`~skmlp.WeightSnapshots` callback keeps a copy of the weights every
# 250 epochs, and of the initial weights.
snapshots = WeightSnapshots(every=250)
clf = BackpropMLPClassifier(
    (3, 3),
    activation="logistic",
    weight_init=Uniform(0.0, 1.0, biases="zeros"),
    solver="sgd",
    batch_size=len(X),
    momentum=0.0,
    learning_rate_init=0.4,
    max_iter=20000,
    tol=0.0,
    n_iter_no_change=20000,
    callbacks=[StopWhenLossBelow(0.005), snapshots],
    random_state=0,
).fit(X, y)
print(
    f"stopped after {clf.n_iter_} epochs at loss {clf.loss_:.5f}; "
    f"training accuracy {clf.score(X, y):.2f}"
)

# %%
# The loss falls in steps: long plateaus while the sigmoid units, all started
# with positive weights, still compute nearly the same thing, then sudden drops
# as units find their places (here around epochs 1 600 and 3 700), and finally a
# slow creep down to the threshold.
display = LossCurveDisplay.from_estimator(clf, log_scale=True)
display.ax_.axhline(0.005, color="k", linestyle=":")

# %%
# The animation
# -------------
# :class:`~skmlp.plotting.TrainingAnimation` turns the snapshots into frames:
# for each one it evaluates the network with those weights (the estimator
# itself is left alone) and draws its probability of the outer ring over the
# plane, labelled with the epoch and the loss. Press play: the network starts
# out calling everything "outer ring", and the boundary closes around the
# inner points in the steps the loss curve shows. ``animation.save("rings.gif")``
# would write it as a GIF.
animation = TrainingAnimation.from_snapshots(clf, snapshots, X, y, interval=300)
player = animation.animation_  # what the gallery plays

# %%
# The same frames with every hidden unit: the first layer's three lines swing
# into place one after the other, and the drops of the loss curve are the
# moments when one of them does.
with_units = TrainingAnimation.from_snapshots(
    clf, snapshots, X, y, hidden_units=True, grid_resolution=60, interval=300
)
player_units = with_units.animation_

# %%
# The final network
# -----------------
# Every point is on the right side of a closed boundary, as in the tutorial. The
# boundary is a rounded triangle: the first hidden layer has three units, hence
# three straight lines, and the second layer's units fill in the region they
# enclose.
display = HiddenUnitsDisplay.from_estimator(clf, X, y)
