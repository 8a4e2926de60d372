"""The tutorials' experiments: data, networks and settings, as data.

Each :class:`Experiment` is one data set of the four back-propagation
tutorials with the networks the tutorial trains on it, each an
:class:`MLPSetup` holding the tutorial's architecture, initialisation, solver,
learning rate and number of epochs. :mod:`skmlp.cli.demo` runs them.

Examples
--------
>>> from skmlp.cli.experiments import EXPERIMENTS
>>> EXPERIMENTS["clusters"].mlps[1].describe_hidden()
'(5, 3) relu'
"""

from dataclasses import dataclass, field

import numpy as np

from .. import datasets
from ..initializers import Normal, Uniform, VarianceScaling

__all__ = ["SEED", "MLPSetup", "Experiment", "EXPERIMENTS", "QUICK"]

#: Seed of every model and of the test-set draws, fixed before any result was seen.
SEED = 0


@dataclass(frozen=True)
class MLPSetup:
    """One tutorial network: architecture, initialisation and solver.

    Parameters
    ----------
    hidden : tuple of int
        Hidden layer sizes.
    activation : str
        Activation of every hidden layer.
    weight_init : Initializer
        skmlp's initialiser reproducing the tutorial's.
    init_text : str
        The tutorial's initialisation in words.
    batch_size : int or None
        1 for per-sample SGD; None for full-batch gradient descent.
    learning_rate : float
    max_iter : int
        Epochs (full-batch iterations).
    stop_below : float or None, default=None
        Stop once the training loss is below this (tutorial 001).

    Examples
    --------
    >>> from skmlp.cli.demo import EXPERIMENTS
    >>> EXPERIMENTS["spirals"].mlps[0].describe_solver()
    'full-batch GD, lr 1.2'
    """

    hidden: tuple
    activation: str
    weight_init: object
    init_text: str
    batch_size: object
    learning_rate: float
    max_iter: int
    stop_below: object = None

    def describe_hidden(self):
        """Hidden layers and activation, e.g. ``"(4, 3) logistic"``.

        Returns
        -------
        text : str
        """
        sizes = ", ".join(str(h) for h in self.hidden)
        if len(self.hidden) == 1:
            sizes += ","
        return f"({sizes}) {self.activation}"

    def describe_solver(self):
        """The solver in words, e.g. ``"per-sample SGD, lr 0.05"``.

        Returns
        -------
        text : str
        """
        kind = "per-sample SGD" if self.batch_size == 1 else "full-batch GD"
        return f"{kind}, lr {self.learning_rate:g}"

    def params(self, n_samples):
        """Keyword arguments shared by skmlp's and scikit-learn's MLP.

        Plain gradient descent as in the tutorials: no momentum, no L2 penalty,
        no shuffling (the tutorials visit the samples in order) and exactly
        ``max_iter`` epochs (no early stop on a stalled loss).

        Parameters
        ----------
        n_samples : int
            Training-set size, the batch of full-batch gradient descent.

        Returns
        -------
        params : dict
        """
        return dict(
            hidden_layer_sizes=self.hidden,
            activation=self.activation,
            solver="sgd",
            batch_size=n_samples if self.batch_size is None else self.batch_size,
            learning_rate_init=self.learning_rate,
            momentum=0.0,
            alpha=0.0,
            max_iter=self.max_iter,
            shuffle=False,
            tol=0.0,
            n_iter_no_change=np.inf,
            random_state=SEED,
        )


@dataclass(frozen=True)
class Experiment:
    """A tutorial's data set and the networks it trains on it.

    Parameters
    ----------
    name : str
        Short name, used on the command line and in file names.
    title : str
    tutorial : str
        Which tutorial, and what it reports.
    data_text : str
        Where the training and test data come from.
    load : callable
        ``load() -> (X_train, y_train, X_test, y_test)``; the test arrays may
        be None.
    mlps : tuple of MLPSetup
        The tutorial's networks; the last one is drawn in the figures.

    Examples
    --------
    >>> from skmlp.cli.demo import EXPERIMENTS
    >>> EXPERIMENTS["rings"].load()[0].shape
    (20, 2)
    """

    name: str
    title: str
    tutorial: str
    data_text: str
    load: object
    mlps: tuple = field(default_factory=tuple)


def _fresh(make, train_seed, **kwargs):
    """Training set from ``train_seed``; the test set a fresh draw (seed + 1)."""

    def load():
        X, y = make(random_state=train_seed, **kwargs)
        X_test, y_test = make(random_state=train_seed + 1, **kwargs)
        return X, y, X_test, y_test

    return load


def _load_rings():
    X, y = datasets.load_rings()
    return X, y, None, None


def _moons(random_state, n_samples):
    from sklearn.datasets import make_moons

    return make_moons(n_samples, shuffle=True, noise=0.2, random_state=random_state)


_FAN_OUT = VarianceScaling(1.0, mode="fan_out")

EXPERIMENTS = {
    "xor": Experiment(
        "xor",
        "XOR: four gaussian blobs",
        "Tutorial 000 (MLPs with two hidden layers): one hidden layer of 3 "
        "sigmoid units 'has a hard time' on the exclusive-or data; two hidden "
        "layers (4, 3) separate it.",
        "make_xor(200, noise=0.3): a stand-in for the tutorial's CSV file, "
        "which cannot be downloaded. Test set: a fresh draw of 200.",
        _fresh(datasets.make_xor, n_samples=200, train_seed=SEED),
        (
            MLPSetup(
                (3,),
                "logistic",
                Normal(0.1, biases="zeros"),
                "weights N(0, 0.1^2), zero biases",
                1,
                0.05,
                300,
            ),
            MLPSetup(
                (4, 3),
                "logistic",
                _FAN_OUT,
                "weights randn * sqrt(1 / fan_out), zero biases",
                1,
                0.01,
                400,
            ),
        ),
    ),
    "moons": Experiment(
        "moons",
        "Moons",
        "Tutorial 000, 'a few more data sets': make_moons(500, noise=0.2) with "
        "two hidden layers (3, 2); it shows the boundary, no figure.",
        "make_moons(500, noise=0.2, random_state=0), as in the tutorial. "
        "Test set: a fresh draw of 500.",
        _fresh(_moons, n_samples=500, train_seed=SEED),
        (
            MLPSetup(
                (3, 2),
                "logistic",
                _FAN_OUT,
                "weights randn * sqrt(1 / fan_out), zero biases",
                1,
                0.05,
                300,
            ),
        ),
    ),
    "rings": Experiment(
        "rings",
        "Rings: the tutorial's 20 points (inner ring class 0, outer ring class 1)",
        "Tutorial 001 (a 2-3-3-1 sigmoid network by hand): full-batch gradient "
        "descent until the loss is below 0.005; every point classified.",
        "load_rings(): the tutorial's 20 fixed points. There is no test set.",
        _load_rings,
        (
            MLPSetup(
                (3, 3),
                "logistic",
                Uniform(0.0, 1.0, biases="zeros"),
                "weights U(0, 1), zero biases",
                None,
                0.4,
                20000,
                stop_below=0.005,
            ),
        ),
    ),
    "clusters": Experiment(
        "clusters",
        "Gaussian clusters: the 'hard' set",
        "Tutorial 002 (ReLU multi-layer perceptrons): per-sample SGD, lr 0.001, "
        "200 epochs; (2,) reaches 98.9 % training accuracy, (5, 3) 99.7 %.",
        "make_gaussian_clusters(1000, shuffle=False): the tutorial's generator, "
        "class 0 first as in the tutorial. Test set: a fresh draw of 1000.",
        _fresh(
            datasets.make_gaussian_clusters,
            n_samples=1000,
            shuffle=False,
            train_seed=SEED,
        ),
        (
            MLPSetup(
                (2,), "relu", Normal(1.0), "weights and biases N(0, 1)", 1, 0.001, 200
            ),
            MLPSetup(
                (5, 3),
                "relu",
                Normal(0.1),
                "weights and biases N(0, 0.1^2)",
                1,
                0.001,
                200,
            ),
        ),
    ),
    "spirals": Experiment(
        "spirals",
        "Spirals: two interleaved arms",
        "Tutorial 003 (a one-hidden-layer tanh network): full-batch gradient "
        "descent, lr 1.2, 10 000 iterations: 99 % training accuracy, where "
        "logistic regression gets 66 %.",
        "make_spirals(800, random_state=42, shuffle=False): the tutorial's "
        "800 points exactly. Test set: a fresh draw of 800 (seed 43).",
        _fresh(datasets.make_spirals, n_samples=800, shuffle=False, train_seed=42),
        (
            MLPSetup(
                (4,),
                "tanh",
                Normal(0.01, biases="zeros"),
                "weights randn * 0.01, zero biases",
                None,
                1.2,
                10000,
            ),
        ),
    ),
}

#: The data sets ``--quick`` runs: those whose tutorial settings train in seconds.
QUICK = ("xor", "rings", "spirals")
