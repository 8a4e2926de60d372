"""
==========================================================
Quantile regression: a prediction band that widens with x
==========================================================

When the noise grows with the input, a single curve through the middle of the
data says nothing about how far a new point may fall from it. With
``loss="quantile"`` a :class:`~skmlp.BackpropMLPRegressor` fits a chosen
quantile of the conditional distribution of ``y`` instead of its mean: three
networks for the 5 %, 50 % and 95 % quantiles give a median curve and a band
that should hold about 90 % of new points at every ``x``. A squared-error fit
with a band of constant width beside it holds about 90 % overall, but far too
many where the noise is small and far too few where it is large. See
:doc:`/user_guide/regression` for the losses.
"""

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import BackpropMLPRegressor

warnings.filterwarnings("ignore", category=ConvergenceWarning)  # fixed epochs


def true_mean(x):
    return 2 * np.sin(x) + 0.3 * x


def noise_scale(x):
    return 0.1 + 0.25 * x


def make_data(n, rng):
    """``y = 2 sin(x) + 0.3 x`` plus Gaussian noise of standard deviation
    ``0.1 + 0.25 x``: 0.1 at the left edge, 2.6 at the right."""
    x = rng.uniform(0, 10, n)
    y = true_mean(x) + noise_scale(x) * rng.normal(size=n)
    return x.reshape(-1, 1), y


rng = np.random.RandomState(0)
X_train, y_train = make_data(2000, rng)
X_test, y_test = make_data(5000, rng)  # held out: drawn apart, never fitted


# %%
# One network per quantile
# ------------------------
# The pinball loss of quantile :math:`q` charges :math:`q` per unit for a
# prediction below the target and :math:`1 - q` per unit for one above it, so
# its minimiser lies below a fraction :math:`q` of the targets. Each network
# has two tanh layers of 16 units and trains for exactly 500 epochs of Adam
# (``tol=0`` with ``n_iter_no_change=500`` switches off early stopping); the
# scaler in the pipeline puts ``x`` on a unit scale first.
def model(**loss):
    return make_pipeline(
        StandardScaler(),
        BackpropMLPRegressor(
            **loss,
            hidden_layer_sizes=(16, 16),
            activation="tanh",
            learning_rate_init=0.01,
            max_iter=500,
            tol=0.0,
            n_iter_no_change=500,
            random_state=0,
        ),
    )


quantiles = (0.05, 0.5, 0.95)
predicted = {}
for q in quantiles:
    fitted = model(loss="quantile", quantile=q).fit(X_train, y_train)
    predicted[q] = fitted.predict(X_test)
    below = np.mean(y_test <= predicted[q])
    print(f"quantile {q:.2f}: {below:.3f} of the held-out targets lie at or below it")

# %%
# Coverage on held-out data
# -------------------------
# The coverage of the band is the fraction of held-out points between the 0.05
# and the 0.95 curves. Its target is 0.90; 5,000 held-out points measure it to
# about half a percentage point. The curves were fitted to other points, so the
# number tells how the band generalises, not how well it memorised. Over seven
# draws of the data (seeds 0 to 6) it ranged from 0.86 to 0.91, more often
# below 0.90 than above: curves fitted to one sample tend to make a band a
# little too narrow for new points, most of all where the noise is smallest.
lower, median, upper = (predicted[q] for q in quantiles)
inside = (lower <= y_test) & (y_test <= upper)
print(f"coverage of the 0.05-0.95 band on held-out data: {inside.mean():.3f}")
crossed = np.mean((lower > median) | (median > upper))
print(f"held-out points where the fitted quantiles cross: {crossed:.3f}")

# %%
# The same question asked of a squared-error fit
# ----------------------------------------------
# The usual network fits the conditional mean. A band of plus or minus 1.645
# standard deviations of its training residuals (1.645 is the 95 % point of a
# normal distribution) has the same width everywhere. Overall it covers about
# 90 % too; split by the thirds of the range of ``x``, it covers nearly every
# point on the left, where the noise is small, and too few on the right. The
# quantile band covers roughly 90 % in each third.
mean_model = model(loss="squared_error").fit(X_train, y_train)
mean = mean_model.predict(X_test)
half_width = 1.645 * np.std(y_train - mean_model.predict(X_train))
inside_constant = np.abs(y_test - mean) <= half_width
print(f"coverage of the constant band on held-out data: {inside_constant.mean():.3f}")
third = np.digitize(X_test[:, 0], [10 / 3, 20 / 3])
print("x in         quantile band   constant band")
for k, name in enumerate(["[0, 3.3)", "[3.3, 6.7)", "[6.7, 10]"]):
    print(
        f"{name:<12} {inside[third == k].mean():>13.3f}"
        f"   {inside_constant[third == k].mean():>13.3f}"
    )

# %%
# The two bands
# -------------
# The dashed lines are the true 5 % and 95 % quantiles,
# :math:`\mu(x) \pm 1.645 \, \sigma(x)`.
order = np.argsort(X_test[:, 0])
x_sorted = X_test[order, 0]
true_lower = true_mean(x_sorted) - 1.645 * noise_scale(x_sorted)
true_upper = true_mean(x_sorted) + 1.645 * noise_scale(x_sorted)
fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True, layout="constrained")
bands = [
    (
        "quantile loss: 0.05, 0.5, 0.95",
        lower[order],
        median[order],
        upper[order],
        inside.mean(),
    ),
    (
        "squared error ± 1.645 residual sd",
        mean[order] - half_width,
        mean[order],
        mean[order] + half_width,
        inside_constant.mean(),
    ),
]
for ax, (title, low, middle, high, coverage) in zip(axes, bands):
    ax.scatter(X_train[:, 0], y_train, s=4, color="0.6", alpha=0.5, label="training")
    ax.fill_between(x_sorted, low, high, color="tab:blue", alpha=0.25, label="band")
    ax.plot(x_sorted, middle, color="tab:blue", label="median / mean")
    ax.plot(x_sorted, true_lower, "k--", lw=1, label="true 5 % and 95 %")
    ax.plot(x_sorted, true_upper, "k--", lw=1)
    ax.set_title(f"{title}\nheld-out coverage {coverage:.1%}")
    ax.set_xlabel("$x$")
axes[0].set_ylabel("$y$")
axes[0].legend(loc="upper left")
plt.show()
