"""
=========================================================
Two spirals: one hidden layer against logistic regression
=========================================================

Two interleaved spiral arms of 400 points each. Logistic regression can only
draw one straight line through them; a network with a single hidden layer of
four tanh units wraps a boundary around the arms. This retells a classic
notebook (itself built on the CS231n case study) that fits such a network with
full-batch gradient descent and compares it with scikit-learn's
:class:`~sklearn.linear_model.LogisticRegression`.
"""

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.linear_model import LogisticRegression

from skmlp import BackpropMLPClassifier
from skmlp.datasets import make_spirals
from skmlp.initializers import Normal

# The notebook's exact 800 points: it seeds NumPy with 42 before drawing them.
X, y = make_spirals(800, random_state=42, shuffle=False)

# %%
# The two models
# --------------
# The network is the notebook's: four tanh units, weights drawn as
# ``randn * 0.01`` with zero biases, and 10 000 steps of plain gradient descent
# on the whole data set with learning rate 1.2. In skmlp terms that is
# ``solver="sgd"`` with ``batch_size=800`` and ``momentum=0``, for exactly
# 10 000 epochs (``tol=0`` and ``n_iter_no_change=10000`` switch off early
# termination).
warnings.filterwarnings("ignore", category=ConvergenceWarning)  # fixed epochs
logistic = LogisticRegression().fit(X, y)
mlp = BackpropMLPClassifier(
    (4,),
    activation="tanh",
    weight_init=Normal(0.01, biases="zeros"),
    solver="sgd",
    batch_size=len(X),
    momentum=0.0,
    learning_rate_init=1.2,
    max_iter=10000,
    tol=0.0,
    n_iter_no_change=10000,
    random_state=0,
).fit(X, y)
print(f"logistic regression: {logistic.score(X, y):.3f}")
print(f"MLP, 4 tanh units:   {mlp.score(X, y):.3f}")

# %%
# The notebook reports 66 % for logistic regression, as here, and 99 % for its
# network. The network's result depends on its random start, which cannot be
# the notebook's own (its weights come from NumPy's global generator after the
# data): from ``random_state`` 0 to 4 this network ends between 98.4 % and
# 99.8 %.

# %%
# Decision boundaries
# -------------------
# The same data, the same plotting call, two estimators: anything with
# ``predict`` or ``predict_proba`` can be drawn by scikit-learn's
# :class:`~sklearn.inspection.DecisionBoundaryDisplay`.
fig, axes = plt.subplots(1, 2, figsize=(10, 4.8), sharey=True)
for ax, model, name in [
    (axes[0], logistic, "logistic regression"),
    (axes[1], mlp, "MLP, one hidden layer of 4 tanh units"),
]:
    DecisionBoundaryDisplay.from_estimator(
        model,
        X,
        response_method="predict_proba",
        cmap="Spectral",
        alpha=0.7,
        ax=ax,
        grid_resolution=200,
    )
    ax.scatter(*X.T, c=y, cmap="Spectral", s=12, edgecolor="white", linewidth=0.4)
    ax.set(title=f"{name}: {model.score(X, y):.0%}", xlabel="$x_1$", aspect="equal")
axes[0].set_ylabel("$x_2$")
fig.tight_layout()

# %%
# Four lines make a spiral
# ------------------------
# Each tanh unit is positive on one side of a line and negative on the other.
# The output unit weighs the four units' values, so the spiral-shaped boundary
# is stitched together from four straight ones, smoothed by the tanh. The
# dashed lines are where each hidden unit's input is zero.
fig, ax = plt.subplots(figsize=(5.5, 5))
DecisionBoundaryDisplay.from_estimator(
    mlp,
    X,
    response_method="predict",
    cmap="Spectral",
    alpha=0.35,
    ax=ax,
    grid_resolution=200,
)
ax.scatter(*X.T, c=y, cmap="Spectral", s=8)
x_line = np.linspace(-1.2, 1.2, 2)
W, b = mlp.coefs_[0], mlp.intercepts_[0]
for j in range(W.shape[1]):
    # unit j is zero on the line W[0, j] x1 + W[1, j] x2 + b[j] = 0
    ax.plot(
        x_line,
        -(W[0, j] * x_line + b[j]) / W[1, j],
        "--",
        lw=1.5,
        label=f"unit {j + 1}",
    )
ax.set(
    xlim=(-1.2, 1.2), ylim=(-1.2, 1.2), aspect="equal", title="the hidden units' lines"
)
ax.legend(loc="lower right", fontsize=8)

# %%
# The loss over the 10 000 gradient steps:
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(mlp.loss_curve_)
ax.set(xlabel="epoch (one gradient step each)", ylabel="training loss", yscale="log")
