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
>>> from skmlp.compare import compare
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
import time
import warnings

import numpy as np

from ._compare_data import (
    check_folds,
    check_regression_folds,
    check_task,
    detect_task,
    read_table,
    target_for_task,
)
from ._report import InputError, Progress, Table

__all__ = ["load_csv", "compare", "compare_table", "run_compare"]

#: Seed of the fold shuffling and of both MLPs.
SEED = 0


def load_csv(path, target, task="auto"):
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
        ``"auto"`` decides by the rule of :mod:`skmlp.compare` (a non-integer
        number, or more than 20 distinct integers, is continuous).

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
        ``task="regression"``.

    Examples
    --------
    >>> import os, tempfile
    >>> from skmlp.compare import load_csv
    >>> path = os.path.join(tempfile.mkdtemp(), "d.csv")
    >>> _ = open(path, "w").write("a,b,label\\n1,2,cat\\n3,4.5,dog\\n")
    >>> X, y, names = load_csv(path, "label")
    >>> X.tolist(), y.tolist(), names
    ([[1.0, 2.0], [3.0, 4.5]], ['cat', 'dog'], ['a', 'b'])
    >>> load_csv(path, "species")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    skmlp._report.InputError: no column 'species' in ...; the columns are: a, b, label

    A target with a non-integer number is continuous:

    >>> _ = open(path, "w").write("a,price\\n1,0.5\\n3,2\\n")
    >>> load_csv(path, "price")[1].tolist()
    [0.5, 2.0]
    """
    X, y, names, _, _ = _load(path, target, task)
    return X, y, names


def _load(path, target, task):
    """load_csv's values, and the task with the reason ``"auto"`` chose it."""
    check_task(task)
    X, values, lines, names = read_table(path, target)
    y, task, reason = target_for_task(target, values, lines, task)
    return X, y, names, task, reason


def _models(hidden, task="classification"):
    """(name, unfitted pipeline) of the three models compared for ``task``."""
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from .classifier import BackpropMLPClassifier
    from .regressor import BackpropMLPRegressor

    if task == "regression":

        def scaled(model):
            return TransformedTargetRegressor(
                make_pipeline(StandardScaler(), model), transformer=StandardScaler()
            )

        return [
            (
                "skmlp MLP",
                scaled(
                    BackpropMLPRegressor(hidden_layer_sizes=hidden, random_state=SEED)
                ),
            ),
            (
                "sklearn MLP",
                scaled(MLPRegressor(hidden_layer_sizes=hidden, random_state=SEED)),
            ),
            ("ridge regression", scaled(Ridge())),
        ]
    return [
        (
            "skmlp MLP",
            make_pipeline(
                StandardScaler(),
                BackpropMLPClassifier(hidden_layer_sizes=hidden, random_state=SEED),
            ),
        ),
        (
            "sklearn MLP",
            make_pipeline(
                StandardScaler(),
                MLPClassifier(hidden_layer_sizes=hidden, random_state=SEED),
            ),
        ),
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


def compare(X, y, cv=5, hidden=(100,), progress=None, task="auto"):
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

    Returns
    -------
    scores : list of dict
        One per model, with ``"model"``, ``"hidden"``, ``"pipeline"``
        (unfitted) and per-fold arrays ``"fit_seconds"`` and ``"epochs"`` (NaN
        for Ridge, which has none), and for classification ``"accuracy"`` and
        ``"log_loss"``; for regression ``"r2"``, ``"mae"`` and
        ``"predictions"``, each row's out-of-fold prediction.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.compare import compare
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(40, 3)); y = (X[:, 0] > 0).astype(int)
    >>> scores = compare(X, y, cv=2, hidden=(4,))
    >>> scores[2]["accuracy"].shape
    (2,)
    >>> scores = compare(X, 2.0 * X[:, 0], cv=2, hidden=(4,), task="regression")
    >>> scores[2]["model"], bool(scores[2]["r2"].min() > 0.99)
    ('ridge regression', True)
    """
    from sklearn.model_selection import KFold, StratifiedKFold

    task = _resolve_task(y, task)
    if task == "regression":
        y = np.asarray(y, dtype=np.float64)
        check_regression_folds(y, cv)
        splitter = KFold(cv, shuffle=True, random_state=SEED)
    else:
        check_folds(y, cv)
        splitter = StratifiedKFold(cv, shuffle=True, random_state=SEED)
    folds = list(splitter.split(X, y))
    evaluate = _regression_scores if task == "regression" else _class_scores(y)
    results = []
    for name, pipeline in _models(tuple(hidden), task):
        scores = _cross_validate(name, pipeline, X, y, folds, evaluate, progress)
        is_mlp = "MLP" in name
        results.append(
            {"model": name, "hidden": str(tuple(hidden)) if is_mlp else "-", **scores}
        )
    return results


def _class_scores(y):
    from sklearn.metrics import log_loss

    classes = np.unique(y)

    def evaluate(model, X, y):
        P = model.predict_proba(X)
        return {
            "accuracy": np.mean(model.predict(X) == y),
            "log_loss": log_loss(y, P, labels=classes),
        }

    return evaluate


def _regression_scores(model, X, y):
    from sklearn.metrics import mean_absolute_error, r2_score

    predictions = model.predict(X)
    return {
        "r2": r2_score(y, predictions),
        "mae": mean_absolute_error(y, predictions),
        "predictions": predictions,
    }


def _cross_validate(name, pipeline, X, y, folds, evaluate, progress):
    """Fit a clone of ``pipeline`` per fold, timing the fit alone; score it.

    Returns the per-fold arrays of ``evaluate``'s scores, ``fit_seconds`` and
    ``epochs``, ``"pipeline"``, and for regression ``"predictions"``, the
    out-of-fold predictions in the rows' order.
    """
    from sklearn.base import clone
    from sklearn.exceptions import ConvergenceWarning

    cv = len(folds)
    scores = {"fit_seconds": [], "epochs": []}
    out_of_fold = None
    task = progress.task(f"{name}: {cv}-fold CV", total=cv) if progress else None
    with task if task else contextlib.nullcontext():
        for k, (train, test) in enumerate(folds, 1):
            model = clone(pipeline)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                start = time.perf_counter()
                model.fit(X[train], y[train])
                scores["fit_seconds"].append(time.perf_counter() - start)
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


def _decimals(values, significant=4):
    """Decimals that show the smallest of ``values`` with ``significant`` digits."""
    smallest = float(np.min(np.abs(values))) if len(values) else 0.0
    if smallest == 0 or not np.isfinite(smallest):
        return 3
    return int(np.clip(significant - 1 - np.floor(np.log10(smallest)), 0, 8))


def compare_table(scores, title="", plus_minus="±"):
    """The table of :func:`compare`'s results: mean ± std over the folds.

    Parameters
    ----------
    scores : list of dict
        As returned by :func:`compare`, for classification or regression.
    title : str, default=""
    plus_minus : str, default="±"
        Separator of mean and standard deviation; any other than ``"±"`` also
        writes the R² heading as ``"R2"``.

    Returns
    -------
    table : Table
        Columns model, hidden layers, accuracy and log-loss (classification)
        or R² and MAE (regression, MAE with 4 significant digits of the
        smallest), epochs (mean; ``-`` when the model has none) and fit s.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.compare import compare_table
    >>> row = {"model": "m", "hidden": "-", "accuracy": np.array([0.8, 1.0]),
    ...        "log_loss": np.array([0.3, 0.1]), "fit_seconds": np.array([1, 1]),
    ...        "epochs": np.array([3, 5])}
    >>> compare_table([row], plus_minus="+/-").rows[0]
    ['m', '-', '0.900 +/- 0.100', '0.200 +/- 0.100', '4', '1.000 +/- 0.000']
    >>> row = {"model": "r", "hidden": "-", "r2": np.array([0.5, 0.7]),
    ...        "mae": np.array([40.0, 44.5]), "fit_seconds": np.array([1, 1]),
    ...        "epochs": np.array([np.nan, np.nan])}
    >>> table = compare_table([row])
    >>> table.columns[2:4], table.rows[0][2:5]
    (['R²', 'MAE'], ['0.600 ± 0.100', '42.25 ± 2.25', '-'])
    """

    def spread(values, digits=3):
        return f"{np.mean(values):.{digits}f} {plus_minus} {np.std(values):.{digits}f}"

    def epochs(values):
        return "-" if np.isnan(values).any() else f"{np.mean(values):.0f}"

    if scores and "r2" in scores[0]:
        digits = _decimals([np.mean(s["mae"]) for s in scores])
        metrics = [("r2", 3), ("mae", digits)]
        r2 = "R²" if plus_minus == "±" else "R2"
        names = [r2, "MAE"]
    else:
        metrics = [("accuracy", 3), ("log_loss", 3)]
        names = ["accuracy", "log-loss"]
    rows = [
        [
            s["model"],
            s["hidden"],
            *(spread(s[key], digits) for key, digits in metrics),
            epochs(np.asarray(s["epochs"], dtype=np.float64)),
            spread(s["fit_seconds"]),
        ]
        for s in scores
    ]
    columns = ["model", "hidden layers", *names, "epochs", "fit s"]
    return Table(columns, rows, title=title)


def _plus_minus(stream):
    try:
        "±²".encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return "+/-"
    return "±"


def run_compare(
    path,
    target,
    cv=5,
    hidden=(100,),
    out="skmlp-compare",
    stdout=None,
    stderr=None,
    task="auto",
):
    """Run ``skmlp compare``: load, cross-validate, print the table.

    For classification with exactly two feature columns, also fit each
    pipeline on all the data and write their decision boundaries to
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
        See :func:`load_csv`.

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
    >>> from skmlp.compare import run_compare
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
    X, y, names, task, reason = _load(path, target, task)
    if task == "regression":
        check_regression_folds(y, cv)
    else:
        check_folds(y, cv)
    progress = Progress(stderr)
    scores = compare(X, y, cv=cv, hidden=hidden, progress=progress, task=task)
    plus_minus = _plus_minus(stdout)
    if task == "regression":
        table = _regression_table(path, X, y, cv, scores, reason, plus_minus)
    else:
        classes = np.unique(y)
        title = (
            f"{os.fspath(path)}: {len(y)} rows, {X.shape[1]} features, "
            f"{len(classes)} classes; {cv}-fold stratified cross-validation"
        )
        table = compare_table(scores, title, plus_minus)
        table.notes = [
            "Each model is Pipeline(StandardScaler(), model); both MLPs use their "
            "shared defaults (adam, relu, learning rate 0.001, up to 200 epochs), "
            f"random_state={SEED}; fit s is per fold.",
        ]
    stdout.write("\n" + table.to_text() + "\n")
    if task == "regression":
        stdout.write(_prediction_figure(y, scores, out, progress) + "\n")
    elif X.shape[1] == 2:
        stdout.write(_boundary_figure(X, y, names, scores, out, progress) + "\n")
    stdout.flush()
    return scores


def _regression_table(path, X, y, cv, scores, reason, plus_minus):
    title = (
        f"{os.fspath(path)}: {len(y)} rows, {X.shape[1]} features, continuous "
        f"target; {cv}-fold cross-validation"
    )
    table = compare_table(scores, title, plus_minus)
    if reason is None:
        why = "Regression, as --task regression asks."
    elif reason.startswith("non-integer"):
        why = f"Regression, as the target holds {reason}."
    else:
        why = (
            f"Regression, as the target holds {reason}; --task classification "
            "treats them as class labels."
        )
    r2 = "R²" if plus_minus == "±" else "R2"
    table.notes = [
        why,
        "Each model is Pipeline(StandardScaler(), model) inside "
        "TransformedTargetRegressor(transformer=StandardScaler()): features and "
        "target are standardised on each training fold, and predictions mapped "
        "back. Both MLPs use their shared defaults (adam, relu, learning rate "
        f"0.001, up to 200 epochs), random_state={SEED}; Ridge(alpha=1.0).",
        f"{r2} and MAE (in the target's units) on the held-out rows; the same "
        f"shuffled folds (random_state={SEED}) for every model; fit s is per fold.",
    ]
    return table


def _no_matplotlib(figure):
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return (
            f"{figure} figure skipped: matplotlib is not installed "
            "(pip install 'skmlp[plot]')"
        )
    return None


def _prediction_figure(y, scores, out, progress):
    """Out-of-fold predictions against the true targets, one panel per model."""
    skipped = _no_matplotlib("Prediction")
    if skipped:
        return skipped
    import matplotlib.pyplot as plt

    with progress.task("prediction figure") as task:
        fig, axes = plt.subplots(
            1,
            len(scores),
            figsize=(3.6 * len(scores), 3.9),
            sharex=True,
            sharey=True,
            layout="constrained",
        )
        values = np.concatenate([y] + [s["predictions"] for s in scores])
        lo, hi = values.min(), values.max()
        lo, hi = lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)
        for ax, s in zip(np.ravel(axes), scores):
            ax.plot([lo, hi], [lo, hi], color="0.3", linestyle="--", lw=1)
            ax.scatter(s["predictions"], y, s=12, alpha=0.5, edgecolors="none")
            ax.set(xlim=(lo, hi), ylim=(lo, hi))
            ax.set_title(f"{s['model']}: CV R² {np.mean(s['r2']):.3f}", fontsize=10)
            ax.set_xlabel("out-of-fold prediction")
        np.ravel(axes)[0].set_ylabel("true target")
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, "predictions.png")
        fig.savefig(path, dpi=100)
        plt.close(fig)
        task.summary = f"wrote {path}"
    return f"Wrote {path} (each row's out-of-fold prediction against its target)"


def _boundary_figure(X, y, names, scores, out, progress):
    skipped = _no_matplotlib("Boundary")
    if skipped:
        return skipped
    from sklearn.base import clone

    from ._demo_figures import boundary_comparison

    with progress.task("boundary figure") as task:
        fitted = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for s in scores:
                fitted.append((s["model"], clone(s["pipeline"]).fit(X, y)))
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, "boundary.png")
        boundary_comparison(
            fitted,
            X,
            y,
            path,
            feature_names=names,
            accuracies=[float(np.mean(s["accuracy"])) for s in scores],
            score_label="CV accuracy",
        )
        task.summary = f"wrote {path}"
    return f"Wrote {path} (decision boundaries, fitted on all rows)"
