"""
==========================================
Solvers compared: loss curves side by side
==========================================

The same network, started from the same weights, trained by each solver for the
same number of passes over the data. ``loss_curve_`` records the training loss
after every epoch (after every iteration for L-BFGS, which ``MLPClassifier``
does not record), so the curves can be drawn on one plot. See
:doc:`/user_guide/solvers` for what each solver does.
"""

# %%
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from skmlp import BackpropMLPClassifier

X, y = make_moons(600, noise=0.25, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
n = len(X_train)

# %%
# Five settings, one architecture
# -------------------------------
# Every run uses two tanh layers of 16 and 8 units and ``random_state=0``, hence
# identical initial weights, and exactly 80 epochs: ``tol=0`` and
# ``n_iter_no_change=80`` switch off early termination.
epochs = 80
common = dict(
    hidden_layer_sizes=(16, 8),
    activation="tanh",
    max_iter=epochs,
    tol=0.0,
    n_iter_no_change=epochs,
    random_state=0,
)
solvers = {
    "SGD, one sample per step": dict(
        solver="sgd", batch_size=1, momentum=0.0, learning_rate_init=0.01
    ),
    "SGD, batches of 32, momentum": dict(
        solver="sgd", batch_size=32, learning_rate_init=0.05
    ),
    "full-batch gradient descent": dict(
        solver="sgd", batch_size=n, momentum=0.0, learning_rate_init=0.5
    ),
    "Adam, batches of 32": dict(solver="adam", batch_size=32, learning_rate_init=0.01),
    "L-BFGS": dict(solver="lbfgs"),
}
fitted, seconds = {}, {}
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # every run stops at 80
    for name, settings in solvers.items():
        start = time.perf_counter()
        fitted[name] = BackpropMLPClassifier(**common, **settings).fit(X_train, y_train)
        seconds[name] = time.perf_counter() - start

for name, model in fitted.items():
    print(
        f"{name:30s} final loss {model.loss_:.3f}   "
        f"test accuracy {model.score(X_test, y_test):.3f}   "
        f"{seconds[name]:.2f} s"
    )

# %%
# Loss per epoch
# --------------
# Per epoch, the methods that take many small steps (one sample, or 32 at a
# time) are far ahead of full-batch gradient descent, which takes a single step
# per epoch and is still on its first plateau after 80. L-BFGS also takes one
# step per iteration, but chooses its direction and length from the curvature
# of the loss, and ends lowest. The small-batch curves are jagged: each step
# follows the gradient of a few samples only, and momentum (SGD) or step-size
# adaptation (Adam) occasionally overshoot.
fig, ax = plt.subplots(figsize=(7, 4.5))
for name, model in fitted.items():
    ax.plot(np.arange(1, len(model.loss_curve_) + 1), model.loss_curve_, label=name)
ax.set(
    xlabel="epoch (L-BFGS: iteration)",
    ylabel="training loss",
    yscale="log",
    title="Same network, same start, five solvers",
)
ax.legend()

# %%
# Loss per second
# ---------------
# Epochs are not equally expensive. One-sample SGD makes 450 separate updates per
# epoch, each a handful of small NumPy calls, and pays Python's overhead for
# every one; a full batch is one large matrix product per layer. Drawn against
# wall-clock time (each run's time spread evenly over its epochs), the picture
# changes: mini-batch SGD and Adam reach a loss near 0.12 in a few hundredths of
# a second, one-sample SGD needs more than ten times longer for the same loss,
# and L-BFGS, whose iterations each process the whole training set and may
# evaluate the loss several times, gets lower still, given more time.
fig, ax = plt.subplots(figsize=(7, 4.5))
for name, model in fitted.items():
    curve = model.loss_curve_
    clock = seconds[name] * np.arange(1, len(curve) + 1) / len(curve)
    ax.plot(clock, curve, label=name)
ax.set(xlabel="seconds", ylabel="training loss", yscale="log", xscale="log")
ax.legend()

# %%
# For small data sets L-BFGS is a strong choice with nothing to tune. As the
# data grow, its full-data iterations get expensive and it cannot use
# ``partial_fit``; Adam with mini-batches is then the usual default, and
# one-sample SGD is best kept for reproducing tutorials.
