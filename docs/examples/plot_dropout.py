"""
=============================================
Dropout against over-fitting a small data set
=============================================

A network far larger than its data (two hidden layers of 256 ReLU units, 80
noisy points of the two moons) learns the noise: its training accuracy
approaches 1 while its accuracy on new points falls behind. Dropout zeroes each
hidden unit's output at random while training, with probability ``dropout``,
so no unit can rely on particular others; prediction uses the whole network.
Here ``dropout=0.5`` gives up some training accuracy and, on average over five
draws of the data, gains on new points.
"""

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.model_selection import train_test_split

from skmlp import BackpropMLPClassifier
from skmlp.plotting import class_colors

warnings.filterwarnings("ignore", category=ConvergenceWarning)  # fixed epochs


def fit(X, y, dropout):
    # 300 epochs exactly (tol=0 and n_iter_no_change=300 switch off stopping).
    return BackpropMLPClassifier(
        (256, 256),
        dropout=dropout,
        learning_rate_init=0.01,
        max_iter=300,
        tol=0.0,
        n_iter_no_change=300,
        random_state=0,
    ).fit(X, y)


# %%
# Five small data sets
# --------------------
# Each draw of 1,080 points is split into 80 for training and 1,000 for testing;
# the same two networks are fitted to each training set.
print("seed  dropout=0 train/test   dropout=0.5 train/test")
scores = {0.0: [], 0.5: []}
first_models = {}  # the networks of the first data set, drawn below
for seed in range(5):
    X, y = make_moons(1080, noise=0.35, random_state=seed)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=80, random_state=seed
    )
    row = []
    for dropout in scores:
        model = fit(X_train, y_train, dropout)
        if seed == 0:
            first_models[dropout] = model
        scores[dropout].append(
            (model.score(X_train, y_train), model.score(X_test, y_test))
        )
        row.append("{:.3f} / {:.3f}".format(*scores[dropout][-1]))
    print(f"{seed:4d}  {row[0]:>20}   {row[1]:>22}")
for dropout, pairs in scores.items():
    train, test = np.mean(pairs, axis=0)
    print(f"dropout={dropout}: mean train {train:.3f}, mean test {test:.3f}")

# %%
# What the two boundaries look like
# ---------------------------------
# On the first data set: without dropout the boundary bends around single
# training points; with it, it stays closer to the moons' shape. The shading is
# each network's probability of class 1, from blue (class 0) to red (class 1),
# and the 80 training points are drawn in the same colours, those of every
# skmlp figure.
X, y = make_moons(1080, noise=0.35, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, train_size=80, random_state=0)
colors = class_colors(2)
fig, axes = plt.subplots(1, 2, figsize=(9, 4.6), sharey=True, layout="constrained")
for ax, (dropout, model) in zip(axes, first_models.items()):
    shading = DecisionBoundaryDisplay.from_estimator(
        model,
        X,
        response_method="predict_proba",
        cmap="RdBu_r",
        levels=np.linspace(0, 1, 11),
        alpha=0.5,
        ax=ax,
        xlabel="$x_1$",
        ylabel="$x_2$" if dropout == 0 else None,
    )
    for label, color in enumerate(colors):
        points = X_train[y_train == label]
        ax.scatter(*points.T, c=color, edgecolor="k", s=25, label=f"class {label}")
    ax.set_title(
        f"dropout={dropout}: P(class 1), training points\n"
        f"accuracy: train {model.score(X_train, y_train):.2f}, "
        f"test {model.score(X_test, y_test):.2f}"
    )
fig.colorbar(shading.surface_, ax=axes, shrink=0.8, label="P(class 1)")
fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
plt.show()
