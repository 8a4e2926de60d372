"""
=========================================================
Choosing an architecture with a Pipeline and GridSearchCV
=========================================================

``BackpropMLPClassifier`` is an ordinary scikit-learn estimator, so the usual
model-selection tools apply unchanged. This example scales the features in a
:class:`~sklearn.pipeline.Pipeline` and lets
:class:`~sklearn.model_selection.GridSearchCV` choose the hidden layers and the
activations by cross-validation, including per-layer activation tuples, which
``MLPClassifier`` does not have.
"""

# %%
# Three interleaved spirals
# -------------------------
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import BackpropMLPClassifier
from skmlp.datasets import make_spirals
from skmlp.plotting import class_colors

X, y = make_spirals(600, n_classes=3, noise=0.15, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)

# %%
# The search
# ----------
# Parameters of a pipeline step are addressed as ``<step>__<parameter>``. A list
# of grids searches their union: here three sizes crossed with three
# activations, plus two-layer networks whose layers use different activations.
# Every candidate gets the same budget, 300 epochs of Adam, so the search asks
# which network learns these spirals best in a fixed amount of training. (On a
# machine with more cores, ``n_jobs=-1`` runs the 33 fits in parallel processes;
# see :doc:`/user_guide/scaling`.)
warnings.filterwarnings("ignore", category=ConvergenceWarning)  # 300 epochs, always

pipe = make_pipeline(
    StandardScaler(),
    BackpropMLPClassifier(
        learning_rate_init=0.01, max_iter=300, alpha=1e-3, random_state=0
    ),
)
sizes = [(8,), (32,), (32, 16)]
activations = ["logistic", "tanh", "relu"]
grid = [
    {
        "backpropmlpclassifier__hidden_layer_sizes": sizes,
        "backpropmlpclassifier__activation": activations,
    },
    {
        "backpropmlpclassifier__hidden_layer_sizes": [(32, 16)],
        "backpropmlpclassifier__activation": [("relu", "tanh"), ("tanh", "relu")],
    },
]
search = GridSearchCV(pipe, grid, cv=3).fit(X_train, y_train)
print("best:", search.best_params_)
print(
    f"cross-validated accuracy {search.best_score_:.3f}, "
    f"test accuracy {search.score(X_test, y_test):.3f}"
)

# %%
# Every candidate's cross-validated accuracy. Within the same budget, wider and
# deeper networks do better, and logistic units lag behind tanh and ReLU units
# of the same size: their derivative is at most 1/4, so the error signal that
# reaches them, and with it every step, is smaller.
results = search.cv_results_
scores = {
    (
        params["backpropmlpclassifier__hidden_layer_sizes"],
        params["backpropmlpclassifier__activation"],
    ): score
    for params, score in zip(results["params"], results["mean_test_score"])
}
table = np.array([[scores[size, act] for act in activations] for size in sizes])

fig, ax = plt.subplots(figsize=(5.5, 3.5))
image = ax.imshow(table, cmap="viridis", vmin=0.3, vmax=1.0)
ax.set_xticks(range(len(activations)), activations)
ax.set_yticks(range(len(sizes)), [str(s) for s in sizes])
ax.set(
    xlabel="activation",
    ylabel="hidden_layer_sizes",
    title="mean cross-validated accuracy",
)
for (i, j), value in np.ndenumerate(table):
    ax.text(
        j,
        i,
        f"{value:.2f}",
        ha="center",
        va="center",
        color="black" if value > 0.75 else "white",
    )
fig.colorbar(image, ax=ax)
fig.tight_layout()

for combo in [("relu", "tanh"), ("tanh", "relu")]:
    print(f"(32, 16) with {combo}: {scores[(32, 16), combo]:.3f}")

# %%
# The chosen model
# ----------------
# ``best_estimator_`` is the whole pipeline refitted on all the training data, so
# it takes raw coordinates and scales them itself. Each region of the plane is
# shaded in the colour of the class the pipeline predicts there, fading to white
# where its probability is low, and the test points it never saw are drawn in
# their true class's colour: class 0 blue, class 1 red, class 2 green, as in
# every skmlp figure (:func:`~skmlp.plotting.class_colors`).
colors = class_colors(3)
fig, ax = plt.subplots(figsize=(6.5, 5), layout="constrained")
DecisionBoundaryDisplay.from_estimator(
    search.best_estimator_,
    X,
    response_method="predict_proba",
    multiclass_colors=colors,
    alpha=0.5,
    ax=ax,
)
for k, color in enumerate(colors):
    ax.scatter(
        *X_test[y_test == k].T, color=color, edgecolor="k", s=20, label=f"class {k}"
    )
ax.set(
    title="Best pipeline: predicted class (shading) and test points",
    xlabel="$x_1$",
    ylabel="$x_2$",
)
fig.legend(loc="outside right upper")
