"""The benchmark workloads: data, estimator settings and the matmuls they do.

Every workload fixes the amount of work: ``tol=0``, ``n_iter_no_change`` equal to
``max_iter`` and no early stopping, so skmlp and scikit-learn run exactly
``max_iter`` epochs each and do the same arithmetic.

A workload belongs to a task, which names the pair of estimators it compares:
W1-W4 are classification (``BackpropMLPClassifier`` against ``MLPClassifier``),
R1-R4 their regression counterparts (``BackpropMLPRegressor`` against
``MLPRegressor``).
"""

from dataclasses import dataclass, field
from importlib import import_module

import numpy as np
from sklearn.datasets import (
    make_classification,
    make_friedman1,
    make_moons,
    make_regression,
)
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skmlp.datasets import make_spirals

__all__ = [
    "Task",
    "CLASSIFICATION",
    "REGRESSION",
    "TASKS",
    "Workload",
    "WORKLOADS",
    "get_workloads",
]


@dataclass(frozen=True)
class Task:
    """What a workload's estimators do, and which skmlp and sklearn pair it is."""

    name: str
    skmlp: str  # estimator class in skmlp
    sklearn: str  # estimator class in sklearn.neural_network
    predict: str  # the prediction method timed
    score: str  # what ``score`` returns

    def estimator_class(self, system):
        """The estimator class of ``system`` ("skmlp" or "sklearn")."""
        if system == "skmlp":
            return getattr(import_module("skmlp"), self.skmlp)
        return getattr(import_module("sklearn.neural_network"), self.sklearn)

    def n_outputs(self, y):
        """Units of the output layer for targets ``y``."""
        if self.name == "regression":
            return 1 if np.ndim(y) == 1 else np.shape(y)[1]
        n_classes = len(np.unique(y))
        return 1 if n_classes == 2 else n_classes


CLASSIFICATION = Task(
    "classification",
    "BackpropMLPClassifier",
    "MLPClassifier",
    "predict_proba",
    "accuracy",
)
REGRESSION = Task("regression", "BackpropMLPRegressor", "MLPRegressor", "predict", "R²")
TASKS = {t.name: t for t in (CLASSIFICATION, REGRESSION)}


@dataclass
class Workload:
    """One benchmark: how to make its data and which settings to fit with."""

    name: str
    title: str
    data: str  # key of _DATA
    n_train: int
    params: dict
    dtype: type = np.float64
    extra: dict = field(default_factory=dict)
    task: Task = CLASSIFICATION

    @property
    def label(self):
        return f"{self.name} {np.dtype(self.dtype).name}"

    def settings(self, max_iter=None):
        """Estimator keyword arguments (shared by skmlp and scikit-learn)."""
        iters = self.params["max_iter"] if max_iter is None else max_iter
        return {
            **self.params,
            "max_iter": iters,
            "tol": 0.0,
            "n_iter_no_change": iters,
            "early_stopping": False,
            "random_state": 0,
        }

    def estimator(self, system, settings):
        """An unfitted estimator of ``system`` ("skmlp" or "sklearn")."""
        return self.task.estimator_class(system)(**settings)

    def make_data(self):
        """(X_train, X_test, y_train, y_test) in the workload's dtype.

        The features are standardised; so are regression targets (with the
        training rows' mean and deviation), in the workload's dtype.
        """
        X, y = _DATA[self.data](self.n_train, **self.extra)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, train_size=self.n_train, random_state=0
        )
        scaler = StandardScaler().fit(X_train)
        X_train = scaler.transform(X_train).astype(self.dtype)
        X_test = scaler.transform(X_test).astype(self.dtype)
        if self.task.name == "regression":
            mean, std = y_train.mean(axis=0), y_train.std(axis=0)
            y_train = ((y_train - mean) / std).astype(self.dtype)
            y_test = ((y_test - mean) / std).astype(self.dtype)
        return X_train, X_test, y_train, y_test

    def layer_units(self, n_features, n_outputs):
        """Units of every layer, input to output."""
        return [n_features, *self.params["hidden_layer_sizes"], n_outputs]

    def batch_sizes(self, n_samples):
        """Row count of every mini-batch of one epoch, as (size, count) pairs."""
        size = self.params.get("batch_size", "auto")
        size = min(200, n_samples) if size == "auto" else min(size, n_samples)
        full, rest = divmod(n_samples, size)
        return [(size, full)] + ([(rest, 1)] if rest else [])


def _moons(n, **_):
    return make_moons(n_samples=n + n // 4, noise=0.2, random_state=0)


def _spirals(n, **_):
    # The training set is the tutorial's 800 points; a second draw is the test set.
    X, y = make_spirals(n, random_state=42)
    X_test, y_test = make_spirals(n // 4, random_state=1)
    return np.vstack([X, X_test]), np.concatenate([y, y_test])


def _classification(n, n_features=20, n_classes=2, n_informative=10, **_):
    return make_classification(
        n_samples=n + n // 4,
        n_features=n_features,
        n_informative=n_informative,
        n_classes=n_classes,
        random_state=0,
    )


def _sine(n, noise=0.1, **_):
    # A 1-D curve: y = sin(x) plus Gaussian noise, x uniform on [-3, 3].
    rng = np.random.RandomState(0)
    m = n + n // 4
    X = rng.uniform(-3.0, 3.0, size=(m, 1))
    return X, np.sin(X[:, 0]) + rng.normal(scale=noise, size=m)


def _friedman(n, n_features=5, **_):
    return make_friedman1(
        n_samples=n + n // 4, n_features=n_features, noise=1.0, random_state=0
    )


def _regression(n, n_features=20, n_informative=10, **_):
    return make_regression(
        n_samples=n + n // 4,
        n_features=n_features,
        n_informative=n_informative,
        noise=10.0,
        random_state=0,
    )


_DATA = {
    "moons": _moons,
    "spirals": _spirals,
    "classification": _classification,
    "sine": _sine,
    "friedman": _friedman,
    "regression": _regression,
}

_W1 = Workload(
    "W1",
    "tiny per-sample SGD: moons n=1000, (4, 3) logistic, batch 1",
    "moons",
    1000,
    {
        "hidden_layer_sizes": (4, 3),
        "activation": "logistic",
        "solver": "sgd",
        "batch_size": 1,
        "momentum": 0.0,
        "learning_rate_init": 0.05,
        "max_iter": 20,
    },
)
_W2 = Workload(
    "W2",
    "full-batch GD: 800 spiral points, (4,) tanh, batch 800",
    "spirals",
    800,
    {
        "hidden_layer_sizes": (4,),
        "activation": "tanh",
        "solver": "sgd",
        "batch_size": 800,
        "momentum": 0.0,
        "learning_rate_init": 1.2,
        "max_iter": 2000,
    },
)


def _w3(dtype):
    return Workload(
        "W3",
        "sklearn defaults: n=20000, 20 features, (100,) relu adam, batch 200",
        "classification",
        20000,
        {
            "hidden_layer_sizes": (100,),
            "activation": "relu",
            "solver": "adam",
            "batch_size": 200,
            "max_iter": 20,
        },
        dtype,
    )


def _w4(dtype):
    return Workload(
        "W4",
        "wide and deep: n=50000, 100 features, 10 classes, (512, 256) relu adam, "
        "batch 256",
        "classification",
        50000,
        {
            "hidden_layer_sizes": (512, 256),
            "activation": "relu",
            "solver": "adam",
            "batch_size": 256,
            "max_iter": 5,
        },
        dtype,
        {"n_features": 100, "n_classes": 10, "n_informative": 20},
    )


# The regression counterparts: the same rows, networks, batches, optimisers,
# epochs and dtypes on regression data (standardised targets, one identity
# output unit, squared error), BackpropMLPRegressor against MLPRegressor.
def _regressor(workload, name, title, data, **params):
    """The regression counterpart of a classification ``workload``."""
    return Workload(
        name,
        title,
        data,
        workload.n_train,
        {**workload.params, **params},
        workload.dtype,
        {k: v for k, v in workload.extra.items() if k != "n_classes"},
        REGRESSION,
    )


_R1 = _regressor(
    _W1,
    "R1",
    "tiny per-sample SGD: 1-D curve sin(x) + noise 0.1, n=1000, (4, 3) logistic, "
    "batch 1",
    "sine",
)
# Friedman's five informative features, and a learning rate that suits them
# (W2's 1.2 trains too, but to a worse fit); the work per step does not depend on it.
_R2 = _regressor(
    _W2,
    "R2",
    "full-batch GD: make_friedman1 n=800, 5 features, (4,) tanh, batch 800",
    "friedman",
    learning_rate_init=0.1,
)


def _r3(dtype):
    return _regressor(
        _w3(dtype),
        "R3",
        "sklearn defaults: make_regression n=20000, 20 features, (100,) relu adam, "
        "batch 200",
        "regression",
    )


def _r4(dtype):
    return _regressor(
        _w4(dtype),
        "R4",
        "wide and deep: make_regression n=50000, 100 features, 1 target, "
        "(512, 256) relu adam, batch 256",
        "regression",
    )


WORKLOADS = {
    w.label: w
    for w in (
        _W1,
        _W2,
        _w3(np.float64),
        _w3(np.float32),
        _w4(np.float64),
        _w4(np.float32),
        _R1,
        _R2,
        _r3(np.float64),
        _r3(np.float32),
        _r4(np.float64),
        _r4(np.float32),
    )
}

# Fewer epochs for ``--quick``: the same per-batch work, a smaller total.
QUICK_ITERS = {"W1": 5, "W2": 500, "W3": 5, "W4": 1}
QUICK_ITERS.update(R1=5, R2=500, R3=5, R4=1)


def get_workloads(names=None, task=None):
    """Workloads whose label or name is in ``names`` (all when None).

    ``task`` ("classification" or "regression") keeps only that task's.
    """
    found = [w for w in WORKLOADS.values() if task is None or w.task.name == task]
    if not names:
        return found
    return [w for w in found if w.label in names or w.name in names]
