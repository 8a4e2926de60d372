"""``skmlp compare``: does an MLP beat a linear model on your data?

Loads a CSV file (a header row, numeric feature columns, a target column), and
cross-validates three pipelines on the same folds, each scaling the features
with ``StandardScaler()`` before the model.

* Classification (class labels): skmlp's
  :class:`~skmlp.BackpropMLPClassifier`, scikit-learn's
  :class:`~sklearn.neural_network.MLPClassifier` (both with their shared
  defaults: adam, 200 epochs, relu) and
  :class:`~sklearn.linear_model.LogisticRegression`; stratified folds;
  accuracy and log-loss.
* Regression (a continuous target): skmlp's
  :class:`~skmlp.BackpropMLPRegressor`, scikit-learn's
  :class:`~sklearn.neural_network.MLPRegressor` (the same shared defaults) and
  :class:`~sklearn.linear_model.Ridge`; every pipeline also standardises the
  target (:class:`~sklearn.compose.TransformedTargetRegressor`), since the
  MLPs' default learning rate assumes targets of unit scale; shuffled
  :class:`~sklearn.model_selection.KFold`; R² and mean absolute error.

Which of the two is decided by the target unless ``task`` says: a numeric
target with a non-integer value (scikit-learn's ``type_of_target`` is
``"continuous"``) or with more than 20 distinct integers is continuous;
anything else holds class labels. Folds are shuffled with a fixed seed, so
every model sees the same splits, and each fit is timed alone.

Examples
--------
>>> import numpy as np
>>> from skmlp.cli.compare import compare
>>> rng = np.random.RandomState(0)
>>> X = rng.normal(size=(60, 2))
>>> y = np.where(X[:, 0] * X[:, 1] > 0, "same", "opposite")
>>> scores = compare(X, y, cv=3, hidden=(8,))
>>> [s["model"] for s in scores]
['skmlp MLP', 'sklearn MLP', 'logistic regression']
>>> scores = compare(X, X[:, 0] - X[:, 1] ** 2, cv=3, hidden=(8,))
>>> [s["model"] for s in scores], scores[2]["r2"].shape
(['skmlp MLP', 'sklearn MLP', 'ridge regression'], (3,))
"""

import contextlib
import os
import sys
import threading

import numpy as np

from .compare_data import (
    check_folds,
    check_regression_folds,
    check_task,
    detect_task,
    read_table,
    target_for_task,
)
from .compare_figures import boundary_figure, prediction_figure
from .compare_report import MLP_DEFAULTS, compare_table, print_results
from .fitting import classification_scores, timed_fit
from .report import InputError, Progress

__all__ = ["load_csv", "compare", "compare_table", "run_compare"]

#: Seed of the fold shuffling and of both MLPs, unless ``seed`` says.
SEED = 0
#: A fit running longer than this many seconds says so on the progress stream.
SLOW_FIT = 2.0


def load_csv(path, target, task="auto", sep=None, decimal=".", keep_index=False):
    """Read a CSV file into numeric features and a target.

    Parameters
    ----------
    path : str or os.PathLike
        A UTF-8 CSV file whose first row names the columns.
    target : str
        The target column; every other column is a feature and must be
        numeric.
    task : {"auto", "classification", "regression"}, default="auto"
        What the target holds: class labels, or a continuous quantity;
        ``"auto"`` decides by the rule of :mod:`skmlp.cli.compare` (a non-integer
        number, or more than 20 distinct integers, is continuous).
    sep : str or None, default=None
        The delimiter; None detects comma, semicolon or tab from the first
        lines (comma when unclear).
    decimal : {".", ","}, default="."
        The decimal mark of the numbers (``","`` for ``5,1``).
    keep_index : bool, default=False
        Use a row-number column (unnamed, holding exactly 0..n-1 or 1..n, as
        pandas' ``to_csv()`` writes) as a feature; by default such a file is
        refused, since the row order can leak the label.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        For regression, floats; for classification, integer labels if every
        label is an integer, else strings.
    feature_names : list of str

    Raises
    ------
    InputError
        With a one-line message naming the problem: a missing file, a missing
        target column, a non-numeric or missing feature value (naming the
        column and line), rows of the wrong length, a continuous target with
        ``task="classification"``, a non-numeric one with
        ``task="regression"``, a row-number column without ``keep_index``.

    Examples
    --------
    >>> import os, tempfile
    >>> from skmlp.cli.compare import load_csv
    >>> path = os.path.join(tempfile.mkdtemp(), "d.csv")
    >>> _ = open(path, "w").write("a,b,label\\n1,2,cat\\n3,4.5,dog\\n")
    >>> X, y, names = load_csv(path, "label")
    >>> X.tolist(), y.tolist(), names
    ([[1.0, 2.0], [3.0, 4.5]], ['cat', 'dog'], ['a', 'b'])
    >>> load_csv(path, "species")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    skmlp.cli.report.InputError: no column 'species' in ...; the columns are: a, b, ...

    A target with a non-integer number is continuous:

    >>> _ = open(path, "w").write("a,price\\n1,0.5\\n3,2\\n")
    >>> load_csv(path, "price")[1].tolist()
    [0.5, 2.0]
    """
    X, y, names, _, _, _ = _load(path, target, task, sep, decimal, keep_index)
    return X, y, names


def _load(path, target, task, sep=None, decimal=".", keep_index=False):
    """load_csv's values, the task with the reason ``"auto"`` chose it, and the
    delimiter."""
    check_task(task)
    X, values, lines, names, sep = read_table(path, target, sep, decimal, keep_index)
    y, task, reason = target_for_task(target, values, lines, task)
    return X, y, names, task, reason, sep


def _models(hidden, task="classification", seed=SEED, **options):
    """(name, unfitted pipeline) of the three models compared for ``task``.

    Both MLPs get the same ``hidden``, ``seed`` and ``options`` (max_iter,
    solver, activation, alpha), so they train identically.
    """
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from ..classifier import BackpropMLPClassifier
    from ..regressor import BackpropMLPRegressor

    mlp = {
        **MLP_DEFAULTS,
        **options,
        "hidden_layer_sizes": hidden,
        "random_state": seed,
    }
    if task == "regression":

        def scaled(model):
            return TransformedTargetRegressor(
                make_pipeline(StandardScaler(), model), transformer=StandardScaler()
            )

        return [
            (
                "skmlp MLP",
                scaled(BackpropMLPRegressor(**mlp)),
            ),
            ("sklearn MLP", scaled(MLPRegressor(**mlp))),
            ("ridge regression", scaled(Ridge())),
        ]
    return [
        (
            "skmlp MLP",
            make_pipeline(StandardScaler(), BackpropMLPClassifier(**mlp)),
        ),
        ("sklearn MLP", make_pipeline(StandardScaler(), MLPClassifier(**mlp))),
        ("logistic regression", make_pipeline(StandardScaler(), LogisticRegression())),
    ]


def _epochs(model):
    """Epochs (or iterations) of a fitted pipeline's model; NaN if it has none."""
    pipeline = getattr(model, "regressor_", model)
    n_iter = getattr(pipeline[-1], "n_iter_", None)
    return np.nan if n_iter is None else int(np.max(n_iter))


def _resolve_task(y, task):
    """``task``, with ``"auto"`` decided by :func:`detect_task`, checked on y."""
    check_task(task)
    detected, reason = detect_task(y)
    kind = np.asarray(y).dtype.kind
    if task == "regression" and kind not in "iuf":
        raise InputError("regression needs a numeric target, not class labels")
    if task == "classification" and reason == "non-integer numbers":
        raise InputError(
            "the target holds non-integer numbers; classification needs class "
            "labels, not a continuous target"
        )
    return detected if task == "auto" else task


def compare(
    X,
    y,
    cv=5,
    hidden=(100,),
    progress=None,
    task="auto",
    seed=SEED,
    slow_fit=SLOW_FIT,
    **options,
):
    """Cross-validate the three pipelines on the same folds.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    cv : int, default=5
        Number of folds, shuffled with a fixed seed (stratified for
        classification).
    hidden : tuple of int, default=(100,)
        Hidden layer sizes of both MLPs.
    progress : Progress, default=None
        Where to show progress; none when None.
    task : {"auto", "classification", "regression"}, default="auto"
        ``"auto"`` treats a numeric ``y`` with a non-integer value or more
        than 20 distinct values as continuous.
    seed : int, default=0
        Seed of the folds' shuffling and of both MLPs.
    slow_fit : float or None, default=2.0
        With ``progress``, a fit still running after this many seconds writes
        ``"fitting MODEL, fold K/N ..."``; 0 writes it before every fit, None
        never.
    **options
        ``max_iter``, ``solver``, ``activation``, ``alpha`` of both MLPs
        (default :data:`MLP_DEFAULTS`, MLPClassifier's defaults).

    Returns
    -------
    scores : list of dict
        One per model, with ``"model"``, ``"hidden"``, ``"pipeline"``
        (unfitted) and per-fold arrays ``"fit_seconds"``, ``"epochs"`` (NaN
        for Ridge, which has none), ``"converged"`` (False where the fit
        warned with ConvergenceWarning), and for classification ``"accuracy"`` and
        ``"log_loss"``; for regression ``"r2"``, ``"mae"`` and
        ``"predictions"``, each row's out-of-fold prediction.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.cli.compare import compare
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(40, 3)); y = (X[:, 0] > 0).astype(int)
    >>> scores = compare(X, y, cv=2, hidden=(4,), max_iter=3)
    >>> scores[2]["accuracy"].shape, scores[0]["epochs"], scores[0]["converged"]
    ((2,), array([3, 3]), array([False, False]))
    >>> scores = compare(X, 2.0 * X[:, 0], cv=2, hidden=(4,), task="regression")
    >>> scores[2]["model"], bool(scores[2]["r2"].min() > 0.99)
    ('ridge regression', True)
    """
    from sklearn.model_selection import KFold, StratifiedKFold

    task = _resolve_task(y, task)
    if task == "regression":
        y = np.asarray(y, dtype=np.float64)
        check_regression_folds(y, cv)
        splitter = KFold(cv, shuffle=True, random_state=seed)
    else:
        check_folds(y, cv)
        splitter = StratifiedKFold(cv, shuffle=True, random_state=seed)
    folds = list(splitter.split(X, y))
    evaluate = _regression_scores if task == "regression" else _class_scores(y)
    results = []
    for name, pipeline in _models(tuple(hidden), task, seed, **options):
        scores = _cross_validate(
            name, pipeline, X, y, folds, evaluate, progress, slow_fit
        )
        is_mlp = "MLP" in name
        results.append(
            {"model": name, "hidden": str(tuple(hidden)) if is_mlp else "-", **scores}
        )
    return results


def _class_scores(y):
    classes = np.unique(y)

    def evaluate(model, X, y):
        return classification_scores(model, X, y, labels=classes)

    return evaluate


def _regression_scores(model, X, y):
    from sklearn.metrics import mean_absolute_error, r2_score

    predictions = model.predict(X)
    return {
        "r2": r2_score(y, predictions),
        "mae": mean_absolute_error(y, predictions),
        "predictions": predictions,
    }


@contextlib.contextmanager
def _slow_fit_notice(progress, task, text, after):
    """Write ``text`` to the progress stream if the block runs ``after`` s."""
    if progress is None or after is None:
        yield
        return

    def write():
        if progress.live and task is not None:
            task._write(text)
        else:
            progress.message(text)

    if after <= 0:
        write()
        yield
        return
    timer = threading.Timer(after, write)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _cross_validate(name, pipeline, X, y, folds, evaluate, progress, slow_fit):
    """Fit a clone of ``pipeline`` per fold, timing the fit alone; score it.

    Returns the per-fold arrays of ``evaluate``'s scores, ``fit_seconds``,
    ``epochs`` and ``converged``, ``"pipeline"``, and for regression
    ``"predictions"``, the out-of-fold predictions in the rows' order.
    """
    from sklearn.base import clone

    cv = len(folds)
    scores = {"fit_seconds": [], "epochs": [], "converged": []}
    out_of_fold = None
    task = progress.task(f"{name}: {cv}-fold CV", total=cv) if progress else None
    with task if task else contextlib.nullcontext():
        for k, (train, test) in enumerate(folds, 1):
            model = clone(pipeline)
            notice = f"fitting {name}, fold {k}/{cv} ..."
            with _slow_fit_notice(progress, task, notice, slow_fit):
                seconds, converged = timed_fit(model, X[train], y[train])
            scores["fit_seconds"].append(seconds)
            scores["converged"].append(converged)
            fold = evaluate(model, X[test], y[test])
            if "predictions" in fold:
                if out_of_fold is None:
                    out_of_fold = np.full(len(y), np.nan)
                out_of_fold[test] = fold.pop("predictions")
            for key, value in fold.items():
                scores.setdefault(key, []).append(value)
            scores["epochs"].append(_epochs(model))
            if task:
                task.update(k)
        if task:
            metric = "accuracy" if "accuracy" in scores else "r2"
            task.summary = (
                f"{'R2' if metric == 'r2' else metric} "
                f"{np.mean(scores[metric]):.3f} in "
                f"{np.sum(scores['fit_seconds']):.1f} s"
            )
    results = {"pipeline": pipeline}
    results.update((key, np.asarray(value)) for key, value in scores.items())
    if out_of_fold is not None:
        results["predictions"] = out_of_fold
    return results


def run_compare(
    path,
    target,
    cv=5,
    hidden=(100,),
    out="skmlp-compare",
    stdout=None,
    stderr=None,
    task="auto",
    sep=None,
    decimal=".",
    keep_index=False,
    seed=SEED,
    progress=None,
    **options,
):
    """Run ``skmlp compare``: load, cross-validate, print the table.

    Prints how the file was read and the features used, then the table, then
    a warning line per model with folds that did not converge. For
    classification with exactly two feature columns, also fit each pipeline
    on all the data and write their decision boundaries to
    ``out/boundary.png``. For regression, write each model's out-of-fold
    predictions against the true targets to ``out/predictions.png``. Figures
    are skipped, with a message, when matplotlib is not installed.

    Parameters
    ----------
    path : str or os.PathLike
    target : str
    cv : int, default=5
    hidden : tuple of int, default=(100,)
    out : str or os.PathLike, default="skmlp-compare"
    stdout, stderr : file-like, default=None
        Where the table and the progress go.
    task : {"auto", "classification", "regression"}, default="auto"
    sep, decimal, keep_index
        See :func:`load_csv`.
    seed : int, default=0
        Seed of the folds and of both MLPs.
    progress : bool or None, default=None
        True writes a line before every fit; False writes no progress at
        all; None shows progress per model, and a line for any fit running
        longer than :data:`SLOW_FIT` seconds.
    **options
        ``max_iter``, ``solver``, ``activation``, ``alpha`` of both MLPs.

    Returns
    -------
    scores : list of dict
        As returned by :func:`compare`.

    Raises
    ------
    InputError
        For bad input, with a one-line message.

    Examples
    --------
    >>> import io, os, tempfile
    >>> import numpy as np
    >>> from skmlp.cli.compare import run_compare
    >>> d = tempfile.mkdtemp(); path = os.path.join(d, "d.csv")
    >>> X = np.random.RandomState(0).normal(size=(30, 3))
    >>> rows = [",".join(map(str, x)) + (",a" if x[0] > 0 else ",b") for x in X]
    >>> _ = open(path, "w").write("x1,x2,x3,y\\n" + "\\n".join(rows))
    >>> out = io.StringIO()
    >>> _ = run_compare(path, "y", cv=3, hidden=(4,), stdout=out,
    ...                 stderr=io.StringIO())
    >>> "logistic regression" in out.getvalue()
    True
    """
    stdout = sys.stdout if stdout is None else stdout
    X, y, names, task, reason, sep = _load(path, target, task, sep, decimal, keep_index)
    if task == "regression":
        check_regression_folds(y, cv)
    else:
        check_folds(y, cv)
    if progress is False:
        stderr = open(os.devnull, "w")  # noqa: SIM115 (closed below)
    with stderr if progress is False else contextlib.nullcontext():
        shown = Progress(stderr)
        scores = compare(
            X,
            y,
            cv=cv,
            hidden=hidden,
            progress=shown,
            task=task,
            seed=seed,
            slow_fit=0 if progress else SLOW_FIT,
            **options,
        )
        print_results(
            stdout,
            path,
            X,
            y,
            names,
            sep,
            decimal,
            cv,
            scores,
            task,
            reason,
            seed,
            options,
        )
        if task == "regression":
            stdout.write(prediction_figure(y, scores, out, shown) + "\n")
        elif X.shape[1] == 2:
            stdout.write(boundary_figure(X, y, names, scores, out, shown) + "\n")
    stdout.flush()
    return scores
