"""The benchmark workloads: data, estimator settings and the matmuls they do.

Every workload fixes the amount of work: ``tol=0``, ``n_iter_no_change`` equal to
``max_iter`` and no early stopping, so skmlp and scikit-learn run exactly
``max_iter`` epochs each and do the same arithmetic.
"""

from dataclasses import dataclass, field

import numpy as np
from sklearn.datasets import make_classification, make_moons
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skmlp.datasets import make_spirals

__all__ = ["Workload", "WORKLOADS", "get_workloads"]


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

    def make_data(self):
        """(X_train, X_test, y_train, y_test) in the workload's dtype."""
        X, y = _DATA[self.data](self.n_train, **self.extra)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, train_size=self.n_train, random_state=0
        )
        scaler = StandardScaler().fit(X_train)
        X_train = scaler.transform(X_train).astype(self.dtype)
        X_test = scaler.transform(X_test).astype(self.dtype)
        return X_train, X_test, y_train, y_test

    def layer_units(self, n_features, n_classes):
        outputs = 1 if n_classes == 2 else n_classes
        return [n_features, *self.params["hidden_layer_sizes"], outputs]

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


_DATA = {"moons": _moons, "spirals": _spirals, "classification": _classification}

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


WORKLOADS = {
    w.label: w
    for w in (
        _W1,
        _W2,
        _w3(np.float64),
        _w3(np.float32),
        _w4(np.float64),
        _w4(np.float32),
    )
}

# Fewer epochs for ``--quick``: the same per-batch work, a smaller total.
QUICK_ITERS = {"W1": 5, "W2": 500, "W3": 5, "W4": 1}


def get_workloads(names=None):
    """Workloads whose label or name is in ``names`` (all when None)."""
    if not names:
        return list(WORKLOADS.values())
    return [w for w in WORKLOADS.values() if w.label in names or w.name in names]
