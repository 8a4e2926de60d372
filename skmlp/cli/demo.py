"""``skmlp demo``: the tutorials' experiments, side by side with scikit-learn.

Each experiment is one data set of the four back-propagation tutorials that
skmlp reproduces, with the network, initialisation, solver, learning rate and
number of epochs the tutorial uses. The demo fits, on the same training data:

* skmlp's :class:`~skmlp.BackpropMLPClassifier` ("skmlp MLP") and
  scikit-learn's :class:`~sklearn.neural_network.MLPClassifier` ("sklearn
  MLP") with the same settings *and* the same initialisation
  (``weight_init="auto"``, scikit-learn's scheme, the same ``random_state``)
  and the same stopping rule, ``max_iter`` epochs: their loss curves coincide,
  and the table gives the largest difference between them;
* skmlp's MLP with the tutorial's own initialisation ("skmlp MLP, tutorial
  init"), which MLPClassifier cannot take, and the tutorial's stopping rule
  (the rings stop once the loss is below a threshold, which MLPClassifier
  cannot do either);
* :class:`~sklearn.linear_model.LogisticRegression` with its defaults, the
  linear baseline the tutorials compare against.

and reports training and test accuracy and log-loss, epochs, the rule that
stopped each fit, and fit time. The
test set is a fresh draw of the same size from the same generator (the ring
tutorial's 20 fixed points have none). ``--quick`` runs three of the data sets,
the last network of each tutorial, and a coarser animation; the training
settings are always the tutorials'. The experiments themselves are defined in
:mod:`skmlp.cli.experiments`.

Examples
--------
>>> from skmlp.cli.demo import EXPERIMENTS
>>> list(EXPERIMENTS)
['xor', 'moons', 'rings', 'clusters', 'spirals']
"""

import io
import json
import os
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ..callbacks import Callback, StopWhenLossBelow, WeightSnapshots
from .experiments import EXPERIMENTS, QUICK, SEED, Experiment, MLPSetup
from .fitting import classification_scores, timed_fit
from .report import InputError, Progress, Table, write_html_page

__all__ = [
    "EXPERIMENTS",
    "QUICK",
    "MLPSetup",
    "Experiment",
    "run_experiment",
    "results_table",
    "summary_table",
    "run_demo",
]


# --------------------------------------------------------------------------
# Fitting
# --------------------------------------------------------------------------


class _EpochProgress(Callback):
    """Moves a progress task forward after every epoch."""

    def __init__(self, task):
        self.task = task

    def on_epoch_end(self, estimator, record):
        self.task.update(record["epoch"])
        return False


@dataclass
class FitResult:
    """One model fitted on one data set: the numbers of a table row."""

    model: str
    hidden: str
    solver: str
    epochs: int
    train_accuracy: float
    test_accuracy: object
    train_log_loss: float
    test_log_loss: object
    fit_seconds: float
    estimator: object = field(repr=False)
    loss_curve: list = field(default_factory=list, repr=False)
    init: str = "-"
    stopped_by: str = "-"
    #: Largest absolute difference, epoch by epoch, between the loss curves of
    #: skmlp's and scikit-learn's MLP on the same settings (on both rows).
    max_loss_curve_difference: object = None

    def as_dict(self):
        """The numbers, for ``results.json``."""
        keys = (
            "model",
            "hidden",
            "solver",
            "init",
            "epochs",
            "stopped_by",
            "max_loss_curve_difference",
            "train_accuracy",
            "test_accuracy",
            "train_log_loss",
            "test_log_loss",
            "fit_seconds",
        )
        return {k: getattr(self, k) for k in keys}


def _stopped_by(estimator, epochs, max_iter, stop_below=None):
    """Which rule ended a fit, e.g. ``"max_iter 400"``.

    Or ``"loss < 0.005 at epoch 5885"`` (a loss threshold), or ``"converged at
    iteration 3"`` (any other early stop, e.g. lbfgs's tolerance).

    Examples
    --------
    >>> from skmlp.cli.demo import _stopped_by
    >>> from sklearn.linear_model import LogisticRegression
    >>> _stopped_by(LogisticRegression().fit([[0], [1]], [0, 1]), 3, 100)
    'converged at iteration 3'
    """
    curve = getattr(estimator, "loss_curve_", None)
    if stop_below is not None and curve and curve[-1] < stop_below:
        return f"loss < {stop_below:g} at epoch {epochs}"
    if epochs >= max_iter:
        return f"max_iter {max_iter}"
    return f"converged at iteration {epochs}"


def _max_difference(a, b):
    """Largest absolute difference of two loss curves over their common epochs."""
    n = min(len(a), len(b))
    if n == 0:
        return None
    return float(np.max(np.abs(np.subtract(a[:n], b[:n]))))


def _score(estimator, X, y):
    """(accuracy, log-loss) on ``(X, y)``, or (None, None) without data."""
    if X is None:
        return None, None
    scores = classification_scores(estimator, X, y)
    return scores["accuracy"], scores["log_loss"]


def _fit(estimator, data, progress, label, total):
    X, y, X_test, y_test = data
    with progress.task(label, total=total) as task:
        if total is not None:
            callbacks = estimator.callbacks
            estimator.set_params(callbacks=[*callbacks, _EpochProgress(task)])
        seconds, _ = timed_fit(estimator, X, y)
        if total is not None:
            estimator.set_params(callbacks=callbacks)
        epochs = int(np.max(estimator.n_iter_))
        task.summary = f"{epochs} epochs in {seconds:.1f} s"
    train = _score(estimator, X, y)
    test = _score(estimator, X_test, y_test)
    return seconds, epochs, train, test


def run_experiment(experiment, progress=None, frames=40, prefix="", last_only=False):
    """Fit skmlp, scikit-learn's MLP and logistic regression on one data set.

    Parameters
    ----------
    experiment : Experiment or str
        One of :data:`EXPERIMENTS` (or its name).
    progress : Progress, default=None
        Where to show progress; a silent one when None.
    frames : int, default=40
        About how many weight snapshots to record of the last skmlp network
        (for the training animation).
    prefix : str, default=""
        Put before every progress label, e.g. ``"[2/5] "``.
    last_only : bool, default=False
        Fit only the last of the tutorial's networks (``--quick``).

    Returns
    -------
    result : dict
        ``"experiment"``, ``"data"`` (the four arrays), ``"fits"`` (list of
        :class:`FitResult`, in table order) and ``"snapshots"``
        (:class:`~skmlp.callbacks.WeightSnapshots` of the last skmlp network).

    Examples
    --------
    >>> from skmlp.cli.demo import run_experiment
    >>> result = run_experiment("rings")
    >>> for f in result["fits"]:
    ...     print(f"{f.model} | {f.epochs} | {f.stopped_by} | {f.train_accuracy}")
    skmlp MLP | 20000 | max_iter 20000 | 1.0
    sklearn MLP | 20000 | max_iter 20000 | 1.0
    skmlp MLP, tutorial init | 5885 | loss < 0.005 at epoch 5885 | 1.0
    logistic regression | 2 | converged at iteration 2 | 0.6

    skmlp's and scikit-learn's MLP, on the same settings and initialisation,
    give the same loss curve:

    >>> result["fits"][0].max_loss_curve_difference < 1e-12
    True

    An experiment of your own, here the spirals with 100 epochs only:

    >>> from dataclasses import replace
    >>> from skmlp.cli.demo import EXPERIMENTS
    >>> spirals = EXPERIMENTS["spirals"]
    >>> short = replace(spirals, mlps=(replace(spirals.mlps[0], max_iter=100),))
    >>> [f.epochs for f in run_experiment(short)["fits"]][:3]
    [100, 100, 100]
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    from ..classifier import BackpropMLPClassifier

    if isinstance(experiment, str):
        experiment = EXPERIMENTS[experiment]
    if progress is None:
        progress = Progress(io.StringIO(), live=False)
    data = experiment.load()
    n_samples = len(data[1])
    fits, snapshots = [], None
    head = f"{prefix}{experiment.name}"
    setups = experiment.mlps[-1:] if last_only else experiment.mlps
    inits = f"auto (scikit-learn's, random_state={SEED})"
    for i, setup in enumerate(setups):
        params = setup.params(n_samples)
        snapshot = []
        if i == len(setups) - 1:
            snapshots = WeightSnapshots(every=max(1, setup.max_iter // frames))
            snapshot.append(snapshots)
        tutorial_stop = []
        if setup.stop_below is not None:
            tutorial_stop.append(StopWhenLossBelow(setup.stop_below))
        # The pair side by side: the same settings, initialisation and
        # stopping rule (max_iter; MLPClassifier cannot stop at a loss).
        # Then the tutorial's initialisation and stopping rule, skmlp only.
        models = [
            (
                "skmlp MLP",
                BackpropMLPClassifier(**params, weight_init="auto", callbacks=snapshot),
                setup.max_iter,
                inits,
                None,
            ),
            ("sklearn MLP", MLPClassifier(**params), None, inits, None),
            (
                "skmlp MLP, tutorial init",
                BackpropMLPClassifier(
                    **params, weight_init=setup.weight_init, callbacks=tutorial_stop
                ),
                setup.max_iter,
                f"the tutorial's: {setup.init_text}",
                setup.stop_below,
            ),
        ]
        pair = []
        for name, estimator, total, init, stop_below in models:
            label = f"{head}: {name} {setup.describe_hidden()}"
            seconds, epochs, train, test = _fit(estimator, data, progress, label, total)
            fit = FitResult(
                name,
                setup.describe_hidden(),
                setup.describe_solver(),
                epochs,
                train[0],
                test[0],
                train[1],
                test[1],
                seconds,
                estimator,
                list(estimator.loss_curve_),
                init=init,
                stopped_by=_stopped_by(estimator, epochs, setup.max_iter, stop_below),
            )
            fits.append(fit)
            if name in ("skmlp MLP", "sklearn MLP"):
                pair.append(fit)
        difference = _max_difference(pair[0].loss_curve, pair[1].loss_curve)
        for fit in pair:
            fit.max_loss_curve_difference = difference
    logreg = LogisticRegression()
    seconds, epochs, train, test = _fit(
        logreg, data, progress, f"{head}: logistic regression", None
    )
    fits.append(
        FitResult(
            "logistic regression",
            "-",
            "lbfgs",
            epochs,
            train[0],
            test[0],
            train[1],
            test[1],
            seconds,
            logreg,
            stopped_by=_stopped_by(logreg, epochs, logreg.max_iter),
        )
    )
    return {
        "experiment": experiment,
        "data": data,
        "fits": fits,
        "snapshots": snapshots,
        "last_only": last_only,
    }


def _fmt(value, digits=3):
    return "n/a" if value is None else f"{value:.{digits}f}"


def _fmt_difference(value):
    return "-" if value is None else f"{value:.1e}"


def results_table(result):
    """The table of one experiment.

    Parameters
    ----------
    result : dict
        As returned by :func:`run_experiment`.

    Returns
    -------
    table : Table
        Columns model, hidden layers, solver, epochs, the rule that stopped
        the fit, train and test accuracy, train and test log-loss, fit
        seconds, and the largest difference between the loss curves of
        skmlp's and scikit-learn's MLP (on both of their rows).

    Examples
    --------
    >>> from dataclasses import replace
    >>> from skmlp.cli.demo import EXPERIMENTS, results_table, run_experiment
    >>> spirals = EXPERIMENTS["spirals"]
    >>> short = replace(spirals, mlps=(replace(spirals.mlps[0], max_iter=100),))
    >>> table = results_table(run_experiment(short))
    >>> table.columns[:5]
    ['model', 'hidden layers', 'solver', 'epochs', 'stopped by']
    >>> [row[0] for row in table.rows]
    ['skmlp MLP', 'sklearn MLP', 'skmlp MLP, tutorial init', 'logistic regression']
    >>> [row[4] for row in table.rows][:3]
    ['max_iter 100', 'max_iter 100', 'max_iter 100']
    """
    experiment = result["experiment"]
    columns = [
        "model",
        "hidden layers",
        "solver",
        "epochs",
        "stopped by",
        "train acc",
        "test acc",
        "train log-loss",
        "test log-loss",
        "fit s",
        "max |loss diff|",
    ]
    rows = [
        [
            f.model,
            f.hidden,
            f.solver,
            f.epochs,
            f.stopped_by,
            _fmt(f.train_accuracy),
            _fmt(f.test_accuracy),
            _fmt(f.train_log_loss, 4),
            _fmt(f.test_log_loss, 4),
            _fmt(f.fit_seconds, 2),
            _fmt_difference(f.max_loss_curve_difference),
        ]
        for f in result["fits"]
    ]
    run = experiment.mlps[-1:] if result.get("last_only") else experiment.mlps
    inits = "; ".join(f"{s.describe_hidden()}: {s.init_text}" for s in run)
    notes = [
        experiment.tutorial,
        f"Data: {experiment.data_text}",
        "skmlp MLP and sklearn MLP: the same settings (no momentum, alpha=0, no "
        "shuffling), the same initialisation (weight_init='auto', scikit-learn's, "
        f"random_state={SEED}) and the same stopping rule; max |loss diff| is "
        "the largest absolute difference between their loss curves, epoch by "
        "epoch.",
        f"skmlp MLP, tutorial init: the tutorial's initialisation ({inits}), "
        "which MLPClassifier cannot take; otherwise the same settings.",
    ]
    if result.get("last_only") and len(experiment.mlps) > 1:
        notes.append(
            f"--quick: only the last network, {experiment.mlps[-1].describe_hidden()}"
            "; run without --quick for all of the tutorial's networks."
        )
    if any(s.stop_below for s in experiment.mlps):
        notes.append(
            "The tutorial stops when the loss drops below its threshold "
            "(StopWhenLossBelow), the rule of the tutorial-init row; "
            "MLPClassifier has no such stop, so skmlp MLP and sklearn MLP both "
            "run max_iter epochs."
        )
    return Table(columns, rows, title=experiment.title, notes=notes)


def summary_table(results):
    """One row per data set: accuracy of the tutorial's last network and the baseline.

    Parameters
    ----------
    results : list of dict
        As returned by :func:`run_experiment`.

    Returns
    -------
    table : Table
        Columns data set, network, then the accuracy of skmlp's MLP,
        scikit-learn's MLP and logistic regression: on the test set, or on
        the training set when there is none (the rings).

    Examples
    --------
    >>> from skmlp.cli.demo import run_experiment, summary_table
    >>> print(summary_table([run_experiment("rings")]).to_text())
    ... # doctest: +NORMALIZE_WHITESPACE
    Summary: accuracy of the tutorial's last network
    data set  network          skmlp MLP  sklearn MLP  logistic regression  on
    --------  ---------------  ---------  -----------  -------------------  -----
    rings     (3, 3) logistic      1.000        1.000                0.600  train
    """
    rows = []
    for result in results:
        fits = result["fits"]
        mlp = [f for f in fits if f.model == "skmlp MLP"][-1]
        sk_mlp = [f for f in fits if f.model == "sklearn MLP"][-1]
        test = fits[-1].test_accuracy is not None
        rows.append(
            [result["experiment"].name, mlp.hidden]
            + [
                _fmt(f.test_accuracy if test else f.train_accuracy)
                for f in (mlp, sk_mlp, fits[-1])
            ]
            + ["test" if test else "train"]
        )
    columns = ["data set", "network", "skmlp MLP", "sklearn MLP"]
    columns += ["logistic regression", "on"]
    return Table(
        columns, rows, title="Summary: accuracy of the tutorial's last network"
    )


# --------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------


def _select(tutorials, quick):
    if not tutorials:
        return list(QUICK if quick else EXPERIMENTS)
    names = []
    for item in tutorials:
        for name in str(item).split(","):
            name = name.strip().lower()
            if name not in EXPERIMENTS:
                raise InputError(
                    f"unknown tutorial {name!r}; expected one of "
                    f"{', '.join(EXPERIMENTS)}"
                )
            if name not in names:
                names.append(name)
    return names


def _have_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def run_demo(out="skmlp-demo", quick=False, tutorials=None, stdout=None, stderr=None):
    """Run the demo: fit, print the tables, write the figures and index.html.

    Parameters
    ----------
    out : str or os.PathLike, default="skmlp-demo"
        Directory to write into (created if needed).
    quick : bool, default=False
        Run only :data:`QUICK` (unless ``tutorials`` is given), only the last
        network of each tutorial, and draw a coarser animation. The training
        settings do not change.
    tutorials : list of str, default=None
        Names of :data:`EXPERIMENTS` to run (entries may be comma-separated);
        all of them (or :data:`QUICK`) when None.
    stdout, stderr : file-like, default=None
        Where tables and progress go; ``sys.stdout`` and ``sys.stderr`` when
        None.

    Returns
    -------
    written : list of str
        Paths of the files written, ``index.html`` last.

    Raises
    ------
    InputError
        If a tutorial name is unknown.

    Examples
    --------
    >>> import io, os, tempfile
    >>> from skmlp.cli.demo import run_demo
    >>> out = tempfile.mkdtemp()
    >>> written = run_demo(out, tutorials=["rings"], stdout=io.StringIO(),
    ...                    stderr=io.StringIO())
    >>> os.path.basename(written[-1])
    'index.html'
    """
    stdout = sys.stdout if stdout is None else stdout
    names = _select(tutorials, quick)
    progress = Progress(stderr)
    os.makedirs(out, exist_ok=True)
    plotting = _have_matplotlib()
    if not plotting:
        progress.message(
            "matplotlib is not installed: figures are skipped (install the plot "
            "extra: pip install 'skmlp[plot]'). Tables follow."
        )
    start = time.perf_counter()
    sections, written, runs = [], [], []
    for k, name in enumerate(names, 1):
        result = run_experiment(
            EXPERIMENTS[name],
            progress,
            frames=20 if quick else 40,
            prefix=f"[{k}/{len(names)}] ",
            last_only=quick,
        )
        table = results_table(result)
        stdout.write("\n" + table.to_text() + "\n\n")
        stdout.flush()
        images = []
        if plotting:
            from .demo_figures import draw_figures

            with progress.task(f"[{k}/{len(names)}] {name}: figures") as task:
                tic = time.perf_counter()
                images = draw_figures(result, out, quick=quick)
                task.summary = (
                    f"{len(images)} files written in {time.perf_counter() - tic:.1f} s"
                )
        written += [os.path.join(out, src) for src, _, _ in images]
        sections.append({"title": table.title, "tables": [table], "images": images})
        runs.append(result)
    summary = summary_table(runs)
    stdout.write("\n" + summary.to_text() + "\n\n")
    json_path = os.path.join(out, "results.json")
    with open(json_path, "w", encoding="utf-8") as f:
        results = {r["experiment"].name: [f.as_dict() for f in r["fits"]] for r in runs}
        json.dump(results, f, indent=2)
    written.append(json_path)
    seconds = time.perf_counter() - start
    index = write_html_page(
        os.path.join(out, "index.html"),
        "skmlp demo",
        "The tutorials' experiments with skmlp's BackpropMLPClassifier, "
        "scikit-learn's MLPClassifier and logistic regression, on the same data. "
        "skmlp MLP and sklearn MLP run the same settings, initialisation and "
        "stopping rule, so their loss curves coincide (max |loss diff| says how "
        "closely); skmlp MLP, tutorial init is skmlp with the tutorial's own "
        "initialisation, which MLPClassifier cannot take. "
        + ("" if plotting else "Figures were skipped: matplotlib is not installed."),
        [{"title": summary.title, "tables": [summary]}, *sections],
        footer=(
            f'Numbers as JSON: <a href="results.json">results.json</a>. '
            f"Run: skmlp demo{' --quick' if quick else ''} "
            f"(data sets: {', '.join(names)}), {seconds:.0f} s."
        ),
    )
    written.append(index)
    skipped = "" if plotting else " (figures skipped: no matplotlib)"
    stdout.write(
        f"Wrote {len(written)} files to {out}{skipped} in {seconds:.0f} s. "
        f"Open {index}\n"
    )
    return written
