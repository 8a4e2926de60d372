"""
=======================================================
Activations and initialisers compared, with custom ones
=======================================================

Two experiments on the same spirals. The first trains one architecture with
several activations, among them one written here in a few lines; the second
trains one deep network from several starting points, among them an
initialiser written here, and looks at why the scale of the initial weights
matters. :doc:`/user_guide/extending` explains both extension points.
"""

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.inspection import DecisionBoundaryDisplay

from skmlp import Activation, BackpropMLPClassifier, Initializer, check_gradients
from skmlp.datasets import make_spirals
from skmlp.plotting import class_colors

warnings.filterwarnings("ignore", category=ConvergenceWarning)  # fixed budgets
X, y = make_spirals(400, noise=0.2, random_state=0)


# %%
# A custom activation
# -------------------
# *Softsign*, :math:`g(z) = z / (1 + |z|)`, is shaped like tanh but approaches
# its limits of ±1 much more slowly. An activation is two methods: the function,
# and its derivative, which receives the output ``A`` as well as the input
# ``Z``; here :math:`g'(z) = 1 / (1 + |z|)^2 = (1 - |a|)^2`.
class Softsign(Activation):
    name = "softsign"

    def forward(self, Z):
        return Z / (1.0 + np.abs(Z))

    def derivative(self, Z, A):
        return (1.0 - np.abs(A)) ** 2


# %%
# :func:`~skmlp.check_gradients` compares the gradient that backpropagation
# computes through the new activation with finite differences of the loss. It
# raises an error naming the first parameter where they disagree, so reaching
# the print means the derivative is right.
check = check_gradients(
    BackpropMLPClassifier((8, 8), activation=Softsign(), random_state=0), X, y
)
print(
    f"largest relative error of the backpropagated gradient: "
    f"{check['max_relative_error']:.1e}"
)

# %%
# Activations compared
# --------------------
# Two hidden layers of 16 units, 300 epochs of Adam, the same ``random_state``
# (hence the same initial weights) for each activation.
activations = ["logistic", "tanh", "relu", "elu", "gelu", Softsign()]


def label(activation):
    return activation if isinstance(activation, str) else activation.name


nets = {
    label(act): BackpropMLPClassifier(
        (16, 16),
        activation=act,
        learning_rate_init=0.01,
        max_iter=300,
        random_state=0,
    ).fit(X, y)
    for act in activations
}

fig, ax = plt.subplots(figsize=(6.5, 4))
for name, net in nets.items():
    ax.plot(net.loss_curve_, label=f"{name} (accuracy {net.score(X, y):.2f})")
ax.set(
    xlabel="epoch",
    ylabel="training loss",
    yscale="log",
    title="Two layers of 16 units, six activations",
)
ax.legend()

# %%
# The logistic network is by far the slowest: its slope is at most 1/4, so the
# error signal shrinks at least fourfold in each layer it passes on its way
# down. The others differ mostly in the shape of the boundary they draw: ReLU
# and its smooth cousins (ELU, GELU) build it out of straight pieces, tanh and
# softsign out of smooth curves. Each panel shades the network's probability
# of class 1 (blue: class 0, red: class 1) under the training points, drawn in
# the classes' colours of every skmlp figure.
colors = class_colors(2)
fig, axes = plt.subplots(
    2, 3, figsize=(10, 7), sharex=True, sharey=True, layout="constrained"
)
for ax, (name, net) in zip(axes.flat, nets.items()):
    shading = DecisionBoundaryDisplay.from_estimator(
        net,
        X,
        response_method="predict_proba",
        cmap="RdBu_r",
        levels=np.linspace(0, 1, 11),
        alpha=0.5,
        ax=ax,
        grid_resolution=80,
    )
    for k, color in enumerate(colors):
        ax.scatter(*X[y == k].T, color=color, s=5, label=f"class {k}")
    ax.set_title(f"{name}: accuracy {net.score(X, y):.2f}")
for ax in axes[-1]:
    ax.set_xlabel("$x_1$")
for ax in axes[:, 0]:
    ax.set_ylabel("$x_2$")
fig.suptitle("P(class 1) of each network over the spirals, training points by class")
fig.colorbar(shading.surface_, ax=axes, shrink=0.6, label="P(class 1)")
fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncols=2)


# %%
# A custom initialiser
# --------------------
# An initialiser returns one layer's weights, shape ``(fan_in, fan_out)``, and
# biases, drawing every random number from the ``rng`` it is given, so that
# ``random_state`` makes fits reproducible. *Orthogonal* initialisation takes
# the Q factor of a gaussian matrix: its columns (or rows) are orthonormal, so
# the layer preserves the length of whatever it multiplies.
class Orthogonal(Initializer):
    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, fan_in, fan_out, rng, dtype):
        M = rng.standard_normal((max(fan_in, fan_out), min(fan_in, fan_out)))
        Q, R = np.linalg.qr(M)
        Q *= np.sign(np.diag(R))  # uniform over orthogonal matrices
        W = Q if fan_in >= fan_out else Q.T
        return (self.gain * W).astype(dtype), np.zeros(fan_out, dtype=dtype)


# %%
# How the initial scale travels through a deep network
# ----------------------------------------------------
# Before any training: push the data through six tanh layers of 32 units with
# weights from each initialiser and measure the spread of every layer's
# activations. Weights that are too small make the signal vanish layer by
# layer; weights that are too large saturate tanh at ±1, where its derivative,
# and so the backpropagated delta, is nearly zero. Glorot's and the orthogonal
# scheme keep the scale steady.
from skmlp.initializers import GlorotUniform, Normal  # noqa: E402

initializers = {
    "Normal(std=0.01)": Normal(0.01, biases="zeros"),
    "Normal(std=1)": Normal(1.0, biases="zeros"),
    "glorot_uniform": GlorotUniform(),
    "Orthogonal (custom)": Orthogonal(),
}
widths = [2] + [32] * 6
fig, ax = plt.subplots(figsize=(6.5, 4))
for name, init in initializers.items():
    rng = np.random.RandomState(0)
    A, spread = (X - X.mean(axis=0)) / X.std(axis=0), []
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        W, b = init(fan_in, fan_out, rng, np.float64)
        A = np.tanh(A @ W + b)
        spread.append(A.std())
    ax.plot(range(1, len(spread) + 1), spread, marker="o", label=name)
ax.set(
    xlabel="hidden layer",
    ylabel="std of activations",
    yscale="log",
    title="Six tanh layers of 32 units, before training",
)
ax.legend()

# %%
# Initialisers compared
# ---------------------
# The same deep network trained from each starting point. ``weight_init`` takes
# one initialiser for every layer, or a tuple with one per layer, output layer
# included; the custom one is used exactly like a built-in. A
# :class:`~skmlp.WeightSnapshots` callback keeps a copy of the initial weights,
# to see afterwards how far training moved them.
from skmlp import WeightSnapshots  # noqa: E402

deep, start = {}, {}
for name, init in initializers.items():
    snapshots = WeightSnapshots(every=10**6)  # only the initial weights
    deep[name] = BackpropMLPClassifier(
        (32,) * 6,
        activation="tanh",
        weight_init=init,
        learning_rate_init=0.003,
        max_iter=150,
        callbacks=[snapshots],
        random_state=0,
    ).fit(X, y)
    start[name] = snapshots.coefs[0]

fig, ax = plt.subplots(figsize=(6.5, 4))
for name, net in deep.items():
    ax.plot(net.loss_curve_, label=f"{name} (accuracy {net.score(X, y):.2f})")
ax.set(
    xlabel="epoch",
    ylabel="training loss",
    yscale="log",
    title="Six tanh layers of 32 units, four starting points",
)
ax.legend()

# %%
# From tiny weights the signal has all but vanished by the second layer, and so
# has the gradient: the loss never moves, and training stops once it has not
# improved for ``n_iter_no_change`` epochs. Large weights are the surprise: half
# of the deeper units sit saturated at ±1, yet the loss falls fastest of all.
# The relative change of each layer's weights during training shows why:
print("relative change of the weights, layer by layer")
for name, net in deep.items():
    change = [
        np.linalg.norm(W - W0) / np.linalg.norm(W0)
        for W, W0 in zip(net.coefs_, start[name])
    ]
    print(f"{name:22s}", " ".join(f"{c:5.2f}" for c in change))

# %%
# (The tiny weights of ``Normal(std=0.01)`` did move by a third of their size in
# the dozen epochs it ran, since Adam's steps have a set length whatever the
# gradient, but too little to matter.) With ``Normal(std=1)`` the hidden weights
# hardly change. The saturated layers
# act as a fixed, random encoding of the two input coordinates into nearly
# binary patterns, and on a problem this small the output layer can separate
# the classes from that encoding alone: the network fits the data without
# learning features. With Glorot's or the orthogonal scale, every layer's weights
# move substantially; the network learns its features, which is what depth is
# for on harder problems. Two fits with the same ``random_state`` and the custom
# initialiser end at identical weights, because it draws only from the ``rng``
# it was given:
again = BackpropMLPClassifier(
    (32,) * 6,
    activation="tanh",
    weight_init=Orthogonal(),
    learning_rate_init=0.003,
    max_iter=150,
    random_state=0,
).fit(X, y)
first = deep["Orthogonal (custom)"]
print(all(np.array_equal(a, b) for a, b in zip(first.coefs_, again.coefs_)))
