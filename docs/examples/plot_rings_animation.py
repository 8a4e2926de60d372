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

# sphinx_gallery_thumbnail_number = 3

# %%
import copy

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

from skmlp import BackpropMLPClassifier, StopWhenLossBelow, WeightSnapshots
from skmlp.datasets import load_rings
from skmlp.initializers import Uniform

X, y = load_rings()
colours = np.array(["#d7301f", "#1a9850"])[y]  # inner ring red, outer green

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
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(np.arange(1, clf.n_iter_ + 1), clf.loss_curve_)
ax.axhline(0.005, color="k", linestyle=":", label="stop below 0.005")
ax.set(xlabel="epoch", ylabel="training loss", yscale="log")
ax.legend()

# %%
# The animation
# -------------
# Each frame sets a copy of the estimator to one snapshot's weights (assigning
# ``coefs_`` and ``intercepts_`` is allowed, exactly as in scikit-learn) and
# draws its probability of the outer ring over the plane. Press play: the
# network starts out calling everything "outer ring", and the boundary closes
# around the inner points in the steps the loss curve shows.
xx, yy = np.meshgrid(np.linspace(-2, 2, 80), np.linspace(-2, 2, 80))
grid = np.c_[xx.ravel(), yy.ravel()]
frame_model = copy.deepcopy(clf)


def probabilities(k):
    frame_model.coefs_ = snapshots.coefs[k]
    frame_model.intercepts_ = snapshots.intercepts[k]
    return frame_model.predict_proba(grid)[:, 1].reshape(xx.shape)


fig, ax = plt.subplots(figsize=(4.5, 4.5))
image = ax.imshow(
    probabilities(0),
    extent=(-2, 2, -2, 2),
    origin="lower",
    cmap="RdYlGn",
    vmin=0,
    vmax=1,
)
ax.scatter(*X.T, c=colours, s=70, edgecolor="white", linewidth=1.5)
label = ax.text(-1.9, 1.75, "", fontsize=11, bbox=dict(facecolor="white", alpha=0.8))
ax.set(xticks=[], yticks=[], title="P(outer ring)")


def update(k):
    image.set_data(probabilities(k))
    label.set_text(f"epoch {snapshots.epochs[k]}")
    return image, label


animation = FuncAnimation(fig, update, frames=len(snapshots.epochs), interval=300)

# %%
# The final network
# -----------------
# Every point is on the right side of a closed boundary, as in the tutorial. The
# boundary is a rounded triangle: the first hidden layer has three units, hence
# three straight lines, and the rest of the network fills in the region they
# enclose.
fig, ax = plt.subplots(figsize=(4.5, 4.5))
ax.imshow(
    clf.predict_proba(grid)[:, 1].reshape(xx.shape),
    extent=(-2, 2, -2, 2),
    origin="lower",
    cmap="RdYlGn",
    vmin=0,
    vmax=1,
)
ax.scatter(*X.T, c=colours, s=70, edgecolor="white", linewidth=1.5)
ax.set(xticks=[], yticks=[], title=f"after {clf.n_iter_} epochs")
