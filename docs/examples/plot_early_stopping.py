"""
=====================================================
Early stopping three ways: on what, and on which data
=====================================================

Early stopping keeps the weights of the epoch that did best on a validation
set. *Which* epoch that is depends on what is measured (``scoring``) and on
which data. Here the same network, with the same ``random_state``, is stopped
three ways on data whose classes drift mildly over time:

(a) ``early_stopping=True``: accuracy on a random 10 % of the training period
    (``validation_fraction``), scikit-learn's behaviour;
(b) the same split, monitoring the validation *loss* (``scoring="loss"``);
(c) accuracy on a validation set of our own from a *later* period, passed as
    ``fit(X, y, X_val=..., y_val=...)``.

Each model is then tested on the latest period, which none of them saw. See
:ref:`validation-sets` in the user guide for every option.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split

from skmlp import BackpropMLPClassifier
from skmlp.plotting import LossCurveDisplay

# %%
# Data with a time index and a mild drift
# ---------------------------------------
# 2400 observations over 240 days. The first feature creeps upwards and the
# class boundary, a sine curve, shifts its phase as the days pass, so a model
# fitted to the first days is somewhat out of date by the last. The model is
# trained on days 0-119; the later validation set is days 120-167 and the test
# set days 168-239, the "future".


def drifting_data(seed, n=2400, n_days=240, drift=0.8):
    rng = np.random.RandomState(seed)
    day = np.sort(rng.randint(0, n_days, size=n))  # the time index
    shift = drift * day / n_days
    X = rng.normal(size=(n, 2))
    X[:, 0] += shift
    boundary = np.sin(2 * X[:, 0] + 3 * shift)
    y = (X[:, 1] > boundary + 0.4 * rng.normal(size=n)).astype(int)
    train, later, future = day < 120, (day >= 120) & (day < 168), day >= 168
    return (X[train], y[train]), (X[later], y[later]), (X[future], y[future])


(X_train, y_train), (X_later, y_later), (X_test, y_test) = drifting_data(seed=0)
print(f"train {len(X_train)}, later validation {len(X_later)}, test {len(X_test)}")

# %%
# One model, stopped three ways
# -----------------------------
# The settings are identical; only what early stopping watches changes.
common = dict(
    hidden_layer_sizes=(32, 16),
    learning_rate_init=0.01,
    max_iter=500,
    early_stopping=True,
    random_state=0,
)


def fit_three_ways(train, later):
    return {
        "(a) accuracy, random split": BackpropMLPClassifier(**common).fit(*train),
        "(b) loss, random split": BackpropMLPClassifier(**common, scoring="loss").fit(
            *train
        ),
        "(c) accuracy, later period": BackpropMLPClassifier(**common).fit(
            *train, X_val=later[0], y_val=later[1]
        ),
    }


models = fit_three_ways((X_train, y_train), (X_later, y_later))

# %%
# ``n_iter_`` is the epoch at which training stopped, ``n_iter_no_change=10``
# epochs after the best validation score, whose weights the model kept. (With
# ``scoring="loss"``, ``validation_scores_`` holds the *negative* validation
# loss, so the best is still the largest.)
for name, model in models.items():
    kept = int(np.argmax(model.validation_scores_)) + 1
    accuracy = model.score(X_test, y_test)
    loss = log_loss(y_test, model.predict_proba(X_test))
    print(
        f"{name:28s} stopped at epoch {model.n_iter_:3d}, kept epoch {kept:3d}; "
        f"test accuracy {accuracy:.3f}, test log-loss {loss:.3f}"
    )

# %%
# The curves
# ----------
# :class:`~skmlp.plotting.LossCurveDisplay` draws the training loss, the
# validation loss and the validation score (right axis), a dotted line at the
# epoch whose weights were kept and a grey line where training stopped.
fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), layout="constrained")
for ax, (name, model) in zip(axes, models.items()):
    display = LossCurveDisplay.from_estimator(model, ax=ax)
    display.legend_.set_title(name)
plt.show()

# %%
# On the random split (a, b) the validation loss follows the training loss
# down: its rows come from the same days, so fitting those days more closely
# keeps paying off, and the loss, smoother than accuracy, keeps improving
# longest (b stops last). On the later days (c) the validation loss sits well
# above the training loss and stops falling after a few epochs while the
# training loss goes on: what the network learns from then on is partly
# particular to the early days' boundary. Accuracy moves in steps of one
# sample and is noisy on either set, so the epoch each kept is not by itself
# the lesson: what differs is the question asked, how well the model does on
# days it was not trained on.
#
# Over eight draws of the data
# ----------------------------
# One draw is one draw. The same comparison on eight (the first is the one
# above), with one more column, (c'): the later validation set, but training on
# only 90 % of the training days, as (a) and (b) do, the rest held out as their
# split is.
rows = []
for seed in range(8):
    train, later, test = drifting_data(seed)
    fitted = list(fit_three_ways(train, later).values())
    X_90, _, y_90, _ = train_test_split(*train, test_size=0.1, random_state=seed)
    fitted.append(
        BackpropMLPClassifier(**common).fit(X_90, y_90, X_val=later[0], y_val=later[1])
    )
    rows.append([model.score(*test) for model in fitted])
rows = np.array(rows)
print("test accuracy")
print("draw    (a)    (b)    (c)    (c')")
for seed, row in enumerate(rows):
    print(f"{seed:4d}  " + "  ".join(f"{v:.3f}" for v in row))
print("mean  " + "  ".join(f"{v:.3f}" for v in rows.mean(axis=0)))

# %%
# Stopping on the later period (c) tests better than (a) and (b) in every draw
# here, by about two points of accuracy on average, and (c') does as well on
# average (better in some draws, worse in others): the gain comes from choosing
# the epoch by the days nearest the future, not from the 10 % more rows (c)
# trains on. Monitoring the loss (b) does not help on this data. With rows that
# are exchangeable (no time order, no groups, no drift), the random split is
# the right validation set and (a) or (b) is the choice; whenever the data the
# model will meet differ from the data it is trained on, validate on data like
# them with ``X_val`` and ``y_val``.
