"""
==========================================
Huber loss: a fit that outliers pull less
==========================================

Squared error estimates the conditional *mean*, and a mean follows outliers:
every point pulls on the fit in proportion to its residual. The Huber loss is
squared error for residuals up to ``huber_delta`` and grows only linearly
beyond, so a point far from the curve pulls with a force of at most
``huber_delta``. Here about 15 % of the targets are shifted upwards by 3 to 6; the
squared-error network moves up towards them, the Huber and absolute-error
networks stay near the true curve. See :doc:`/user_guide/regression` for the
formulas and how to choose ``huber_delta``.
"""

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning

from skmlp import BackpropMLPRegressor

warnings.filterwarnings("ignore", category=ConvergenceWarning)  # fixed epochs


def true_function(x):
    return np.sin(2 * x)


rng = np.random.RandomState(0)
x = rng.uniform(-2, 2, 400)
y = true_function(x) + 0.2 * rng.normal(size=x.size)
outlier = rng.rand(x.size) < 0.15
y[outlier] += rng.uniform(3, 6, outlier.sum())
X = x.reshape(-1, 1)
print(f"{outlier.sum()} of {x.size} targets are outliers")

# %%
# Four losses, one network
# ------------------------
# Each network has one tanh layer of 32 units and trains for exactly 1,000
# epochs of Adam from the same initial weights. The inliers' noise has a
# standard deviation of 0.2; ``huber_delta`` is in the units of ``y``, and
# 0.3, about one and a half times the noise, treats nearly every inlier
# quadratically and every outlier linearly. The default, 1.0, puts the
# threshold at five times the noise here: better than squared error, but each
# outlier still pulls with a force of up to 1.
losses = {
    "squared error": dict(loss="squared_error"),
    "Huber, huber_delta=1.0": dict(loss="huber", huber_delta=1.0),
    "Huber, huber_delta=0.3": dict(loss="huber", huber_delta=0.3),
    "absolute error": dict(loss="absolute_error"),
}
grid = np.linspace(-2, 2, 500).reshape(-1, 1)
fits, errors = {}, {}
for name, loss in losses.items():
    model = BackpropMLPRegressor(
        **loss,
        hidden_layer_sizes=(32,),
        activation="tanh",
        learning_rate_init=0.01,
        max_iter=1000,
        tol=0.0,
        n_iter_no_change=1000,
        random_state=0,
    ).fit(X, y)
    fits[name] = model.predict(grid)
    # Root-mean-square distance to the true function, on an even grid.
    errors[name] = np.sqrt(np.mean((fits[name] - true_function(grid[:, 0])) ** 2))

# %%
# Distance to the true function
# -----------------------------
# The outliers (a share of about 0.15, shifted by 4.5 on average) add about
# :math:`0.15 \times 4.5 \approx 0.7` to the mean of the targets, and the
# squared-error fit, a conditional mean, is shifted by about that much.
# Huber's error is a fraction of it, and smaller with the smaller threshold;
# the absolute error, whose minimiser is the conditional median, is as robust
# as Huber with a small threshold.
print("loss                      RMS error to sin(2x)")
for name, error in errors.items():
    print(f"{name:<25} {error:>8.3f}")
print(
    "squared error / Huber (0.3): "
    f"{errors['squared error'] / errors['Huber, huber_delta=0.3']:.1f} times"
)

# %%
# The fits
# --------
fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
ax.scatter(x[~outlier], y[~outlier], s=8, color="0.55", label="inliers")
ax.scatter(x[outlier], y[outlier], s=12, color="tab:red", marker="x", label="outliers")
ax.plot(grid[:, 0], true_function(grid[:, 0]), "k--", lw=1.5, label="true sin(2x)")
for (name, fit), color in zip(fits.items(), ["C0", "C1", "C2", "C4"]):
    ax.plot(grid[:, 0], fit, color=color, lw=2, label=f"{name}: RMS {errors[name]:.2f}")
ax.set_xlabel("$x$")
ax.set_ylabel("$y$")
ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize="small")
plt.show()
