"""
================================================
Gaussian clusters: ReLU units and per-sample SGD
================================================

Class 0 is one wide, flat cloud of points; class 1 is two tall clouds, one above
it and one below. No straight line separates them, but two lines do, one on
each side of the flat cloud, and a hidden unit computes one line. This example
trains two small ReLU networks on these clusters (the "hard" data set of a
classic NumPy tutorial, rebuilt by :func:`skmlp.datasets.make_gaussian_clusters`)
with the simplest possible solver: stochastic gradient descent on one sample
at a time, with no momentum.
"""

# %%
# The data
# --------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.linear_model import LogisticRegression

from skmlp import BackpropMLPClassifier
from skmlp.datasets import make_gaussian_clusters
from skmlp.initializers import Normal

X, y = make_gaussian_clusters(1000, random_state=0)

fig, ax = plt.subplots(figsize=(6, 4.5))
ax.scatter(*X[y == 0].T, s=10, alpha=0.6, label="class 0")
ax.scatter(*X[y == 1].T, s=10, alpha=0.6, label="class 1")
ax.set(xlabel="$x_1$", ylabel="$x_2$", title="1000 points, two classes")
ax.legend()

# %%
# A linear model can only cut the plane once, so it cannot do much better than
# predicting the majority side of one line:
print(f"logistic regression: {LogisticRegression().fit(X, y).score(X, y):.3f}")

# %%
# Per-sample SGD
# --------------
# ``solver="sgd"`` with ``batch_size=1`` and ``momentum=0`` updates the weights
# after every single sample: :math:`\theta \leftarrow \theta - \eta \nabla
# \ell_i(\theta)`, 1000 updates per epoch. Two networks are trained this way:
#
# * two ReLU units in one hidden layer, weights and biases drawn from
#   :math:`N(0, 1)`, which is exactly enough for two lines;
# * two hidden layers of 5 and 3 ReLU units, weights and biases drawn from
#   :math:`N(0, 0.1^2)`.
#
# ``tol=0`` together with ``n_iter_no_change=max_iter`` turns off the usual
# stopping rule, so both run the full 100 epochs. A callback scores each network
# on the training set after every epoch (the weights it sees are the live ones).
settings = {
    "2 ReLU units, N(0, 1)": ((2,), Normal(std=1.0)),
    "5 + 3 ReLU units, N(0, 0.1²)": ((5, 3), Normal(std=0.1)),
}
epochs = 100
models, accuracy = {}, {}
for name, (hidden, init) in settings.items():
    history = accuracy[name] = []
    models[name] = BackpropMLPClassifier(
        hidden,
        activation="relu",
        solver="sgd",
        batch_size=1,
        momentum=0.0,
        learning_rate_init=0.001,
        weight_init=init,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs,
        callbacks=[lambda est, record, h=history: h.append(est.score(X, y))],
        random_state=0,
    ).fit(X, y)
    print(f"{name}: training accuracy {models[name].score(X, y):.3f}")

# %%
# How they learned
# ----------------
# The small network improves steadily. The deeper one, started from much smaller
# weights, spends dozens of epochs near chance: with every weight close to zero
# each unit's delta (the error signal of backpropagation) is a product of small
# weights, so every update is tiny until the weights have grown enough for the
# signal to get through. Then it learns in a few epochs and ends slightly
# higher.
fig, ax = plt.subplots(figsize=(6, 4))
for name, history in accuracy.items():
    ax.plot(np.arange(1, epochs + 1), history, label=name)
ax.set(xlabel="epoch", ylabel="training accuracy", ylim=(0.45, 1.01))
ax.legend(loc="lower right")

# %%
# What they learned
# -----------------
# The probability of class 1 over the plane: both networks carve out a band
# around the flat cloud. The first draws it with exactly its two units' lines;
# the second bends it with the extra units.
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, (name, model) in zip(axes, models.items()):
    DecisionBoundaryDisplay.from_estimator(
        model, X, response_method="predict_proba", cmap="RdBu_r", alpha=0.7, ax=ax
    )
    ax.scatter(*X.T, c=y, cmap="RdBu_r", s=6, edgecolor="k", linewidth=0.2)
    ax.set(title=name, xlabel="$x_1$")
axes[0].set_ylabel("$x_2$")
fig.tight_layout()

# %%
# Two units are the fewest that can solve this problem, and that leaves no
# slack. Rerun the small network with ``random_state=1``: it settles at about
# 74 % because both of its units end up switched off (ReLU output 0) for every
# point of the upper cloud. For those points the ReLU's derivative is zero, so
# backpropagation sends no error signal to either unit, nothing moves a line
# towards the upper cloud, and the whole cloud stays misclassified. The wider
# network has units to spare.
