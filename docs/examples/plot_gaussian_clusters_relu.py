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
from skmlp.plotting import class_colors

X, y = make_gaussian_clusters(1000, random_state=0)

# Class 0 blue, class 1 red: the colours of every skmlp figure.
colors = class_colors(2)
fig, ax = plt.subplots(figsize=(6.5, 4.5), layout="constrained")
for k, color in enumerate(colors):
    ax.scatter(*X[y == k].T, color=color, s=10, alpha=0.6, label=f"class {k}")
ax.set(xlabel="$x_1$", ylabel="$x_2$", title="The 1000 points, by class")
fig.legend(loc="outside right upper")

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
# The probability of class 1 over the plane (blue: class 0, red: class 1):
# both networks carve out a band of class 0 around the flat cloud. The first
# draws it with exactly its two units' lines; the second bends it with the
# extra units.
fig, axes = plt.subplots(1, 2, figsize=(10, 4.6), sharey=True, layout="constrained")
for ax, (name, model) in zip(axes, models.items()):
    shading = DecisionBoundaryDisplay.from_estimator(
        model,
        X,
        response_method="predict_proba",
        cmap="RdBu_r",
        levels=np.linspace(0, 1, 11),
        alpha=0.5,
        ax=ax,
    )
    for k, color in enumerate(colors):
        ax.scatter(
            *X[y == k].T, color=color, s=6, edgecolor="k", lw=0.2, label=f"class {k}"
        )
    ax.set(title=f"{name}\nP(class 1) and the training points", xlabel="$x_1$")
axes[0].set_ylabel("$x_2$")
fig.colorbar(shading.surface_, ax=axes, shrink=0.8, label="P(class 1)")
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)

# %%
# Two units are the fewest that can solve this problem, and that leaves no
# slack. Rerun the small network with ``random_state=1``: it settles at about
# 74 % because both of its units end up switched off (ReLU output 0) for every
# point of the upper cloud. For those points the ReLU's derivative is zero, so
# backpropagation sends no error signal to either unit, nothing moves a line
# towards the upper cloud, and the whole cloud stays misclassified. The wider
# network has units to spare.
