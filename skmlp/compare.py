"""``skmlp compare``: does an MLP beat logistic regression on your data?

Loads a CSV file (a header row, numeric feature columns, a target column of
any labels), and cross-validates three pipelines, each
``StandardScaler() -> model``: skmlp's :class:`~skmlp.BackpropMLPClassifier`,
scikit-learn's :class:`~sklearn.neural_network.MLPClassifier` (both with their
shared defaults: adam, 200 epochs, relu) and
:class:`~sklearn.linear_model.LogisticRegression`. Folds are stratified and
shuffled with a fixed seed, so every model sees the same splits.

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
"""

import csv
import math
import os
import sys
import time
import warnings

import numpy as np

from ._report import InputError, Progress, Table

__all__ = ["load_csv", "compare", "compare_table", "run_compare"]

#: Seed of the fold shuffling and of both MLPs.
SEED = 0


def _parse_float(text):
    try:
        return float(text)
    except ValueError:
        return None


def _read_rows(path):
    """Header and data rows of a CSV file; InputError for what can't be read."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError(f"no such file: {path!r}")
    if os.path.isdir(path):
        raise InputError(f"{path!r} is a directory, not a CSV file")
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            rows = [
                (line, [cell.strip() for cell in row])
                for line, row in enumerate(csv.reader(f), 1)
                if any(cell.strip() for cell in row)
            ]
    except UnicodeDecodeError:
        raise InputError(f"{path!r} is not a UTF-8 text (CSV) file") from None
    except csv.Error as exc:
        raise InputError(f"{path!r} is not valid CSV: {exc}") from None
    if not rows:
        raise InputError(f"{path!r} is empty; expected a header row and data rows")
    (_, header), data = rows[0], rows[1:]
    if not data:
        raise InputError(f"{path!r} has a header row but no data rows")
    for line, row in data:
        if len(row) != len(header):
            raise InputError(
                f"line {line} of {path!r} has {len(row)} fields but the header "
                f"has {len(header)}"
            )
    return header, data


def _target_labels(name, values):
    """Integers when every label is an integer, else the strings themselves."""
    numbers = [_parse_float(v) for v in values]
    if all(x is not None and math.isfinite(x) for x in numbers):
        if all(x == int(x) for x in numbers):
            return np.array([int(x) for x in numbers])
        example = next(v for v, x in zip(values, numbers) if x != int(x))
        raise InputError(
            f"target column {name!r} holds non-integer numbers (e.g. {example!r}); "
            "compare needs class labels, not a continuous target"
        )
    return np.array(values, dtype=object).astype(str)


def _bad_feature(header, j, line, text, value):
    """The message for a feature cell that is not a finite number."""
    name = repr(header[j]) if header[j] else f"{j + 1} (no name)"
    if text == "":
        return (
            f"feature column {name} has an empty value on line {line}; compare "
            "needs a number in every feature cell (fill in or drop those rows)"
        )
    if value is None:
        return (
            f"feature column {name} is not numeric: line {line} has {text!r}; "
            f"compare needs numeric features (drop or encode column {name}, or "
            "make it the --target)"
        )
    return (
        f"feature column {name} has the value {text!r} on line {line}; compare "
        "needs finite numbers"
    )


def load_csv(path, target):
    """Read a CSV file into numeric features and class labels.

    Parameters
    ----------
    path : str or os.PathLike
        A UTF-8 CSV file whose first row names the columns.
    target : str
        The column holding the class labels; every other column is a feature
        and must be numeric.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        Integer labels if every label is an integer, else strings.
    feature_names : list of str

    Raises
    ------
    InputError
        With a one-line message naming the problem: a missing file, a missing
        target column, a non-numeric or missing feature value (naming the
        column and line), rows of the wrong length, a continuous target.

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
    """
    header, data = _read_rows(path)
    if target not in header:
        shown = ", ".join(header[:20]) + (", ..." if len(header) > 20 else "")
        raise InputError(
            f"no column {target!r} in {os.fspath(path)!r}; the columns are: {shown}"
        )
    t = header.index(target)
    features = [j for j in range(len(header)) if j != t]
    if not features:
        raise InputError(
            f"{os.fspath(path)!r} has no feature columns besides the target {target!r}"
        )
    X = np.empty((len(data), len(features)))
    for col, j in enumerate(features):
        for i, (line, row) in enumerate(data):
            value = _parse_float(row[j])
            if value is None or not math.isfinite(value):
                raise InputError(_bad_feature(header, j, line, row[j], value))
            X[i, col] = value
    labels = [row[t] for _, row in data]
    for (line, _), label in zip(data, labels):
        if label == "":
            raise InputError(f"target column {target!r} is empty on line {line}")
    return X, _target_labels(target, labels), [header[j] for j in features]


def check_folds(y, cv):
    """Check that stratified ``cv``-fold cross-validation is possible.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
    cv : int

    Raises
    ------
    InputError
        If ``cv < 2``, there are fewer than 2 classes, or a class has fewer
        rows than folds.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.compare import check_folds
    >>> check_folds(np.array(["a"] * 5 + ["b"] * 2), cv=3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    skmlp._report.InputError: class 'b' has only 2 rows, fewer than the 3 folds ...
    """
    if cv < 2:
        raise InputError(f"--cv must be at least 2 folds, got {cv}")
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise InputError(
            f"the target has only one class ({classes[0].item()!r} in all "
            f"{len(y)} rows); a classifier needs at least 2 classes"
        )
    k = int(np.argmin(counts))
    if counts[k] < cv:
        fix = (
            f"use --cv {counts[k]} or add rows"
            if counts[k] >= 2
            else "add rows of that class or remove it"
        )
        raise InputError(
            f"class {classes[k].item()!r} has only {counts[k]} "
            f"row{'s' if counts[k] != 1 else ''}, fewer than the {cv} folds of "
            f"--cv {cv}: stratified cross-validation needs at least one row of "
            f"every class in every fold; {fix}"
        )


def _models(hidden):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from .classifier import BackpropMLPClassifier

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


def compare(X, y, cv=5, hidden=(100,), progress=None):
    """Cross-validate the three pipelines on the same stratified folds.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    cv : int, default=5
        Number of stratified folds (shuffled with a fixed seed).
    hidden : tuple of int, default=(100,)
        Hidden layer sizes of both MLPs.
    progress : Progress, default=None
        Where to show progress; none when None.

    Returns
    -------
    scores : list of dict
        One per model, with ``"model"``, ``"hidden"``, ``"pipeline"`` (unfitted)
        and per-fold arrays ``"accuracy"``, ``"log_loss"``, ``"fit_seconds"``,
        ``"epochs"``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.compare import compare
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(40, 3)); y = (X[:, 0] > 0).astype(int)
    >>> scores = compare(X, y, cv=2, hidden=(4,))
    >>> scores[2]["accuracy"].shape
    (2,)
    """
    from sklearn.base import clone
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import log_loss
    from sklearn.model_selection import StratifiedKFold

    check_folds(y, cv)
    folds = list(StratifiedKFold(cv, shuffle=True, random_state=SEED).split(X, y))
    classes = np.unique(y)
    results = []
    for name, pipeline in _models(tuple(hidden)):
        scores = {"accuracy": [], "log_loss": [], "fit_seconds": [], "epochs": []}
        task = progress.task(f"{name}: {cv}-fold CV", total=cv) if progress else None
        with task if task else _Null():
            for k, (train, test) in enumerate(folds, 1):
                model = clone(pipeline)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    start = time.perf_counter()
                    model.fit(X[train], y[train])
                    scores["fit_seconds"].append(time.perf_counter() - start)
                P = model.predict_proba(X[test])
                scores["accuracy"].append(np.mean(model.predict(X[test]) == y[test]))
                scores["log_loss"].append(log_loss(y[test], P, labels=classes))
                scores["epochs"].append(int(np.max(model[-1].n_iter_)))
                if task:
                    task.update(k)
            if task:
                task.summary = (
                    f"accuracy {np.mean(scores['accuracy']):.3f} in "
                    f"{np.sum(scores['fit_seconds']):.1f} s"
                )
        is_mlp = name != "logistic regression"
        results.append(
            {
                "model": name,
                "hidden": str(tuple(hidden)) if is_mlp else "-",
                "pipeline": pipeline,
                **{key: np.asarray(value) for key, value in scores.items()},
            }
        )
    return results


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def compare_table(scores, title="", plus_minus="±"):
    """The table of :func:`compare`'s results: mean ± std over the folds.

    Parameters
    ----------
    scores : list of dict
        As returned by :func:`compare`.
    title : str, default=""
    plus_minus : str, default="±"
        Separator of mean and standard deviation.

    Returns
    -------
    table : Table

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.compare import compare_table
    >>> row = {"model": "m", "hidden": "-", "accuracy": np.array([0.8, 1.0]),
    ...        "log_loss": np.array([0.3, 0.1]), "fit_seconds": np.array([1, 1]),
    ...        "epochs": np.array([3, 5])}
    >>> compare_table([row], plus_minus="+/-").rows[0]
    ['m', '-', '0.900 +/- 0.100', '0.200 +/- 0.100', '4', '1.000 +/- 0.000']
    """

    def spread(values, digits=3):
        return f"{np.mean(values):.{digits}f} {plus_minus} {np.std(values):.{digits}f}"

    rows = [
        [
            s["model"],
            s["hidden"],
            spread(s["accuracy"]),
            spread(s["log_loss"]),
            f"{np.mean(s['epochs']):.0f}",
            spread(s["fit_seconds"]),
        ]
        for s in scores
    ]
    columns = ["model", "hidden layers", "accuracy", "log-loss", "epochs", "fit s"]
    return Table(columns, rows, title=title)


def _plus_minus(stream):
    try:
        "±".encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return "+/-"
    return "±"


def run_compare(
    path, target, cv=5, hidden=(100,), out="skmlp-compare", stdout=None, stderr=None
):
    """Run ``skmlp compare``: load, cross-validate, print the table.

    With exactly two feature columns, also fit each pipeline on all the data
    and write their decision boundaries to ``out/boundary.png`` (skipped, with
    a message, when matplotlib is not installed).

    Parameters
    ----------
    path : str or os.PathLike
    target : str
    cv : int, default=5
    hidden : tuple of int, default=(100,)
    out : str or os.PathLike, default="skmlp-compare"
    stdout, stderr : file-like, default=None
        Where the table and the progress go.

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
    X, y, names = load_csv(path, target)
    check_folds(y, cv)
    progress = Progress(stderr)
    scores = compare(X, y, cv=cv, hidden=hidden, progress=progress)
    classes = np.unique(y)
    title = (
        f"{os.fspath(path)}: {len(y)} rows, {X.shape[1]} features, "
        f"{len(classes)} classes; {cv}-fold stratified cross-validation"
    )
    table = compare_table(scores, title, _plus_minus(stdout))
    table.notes = [
        "Each model is Pipeline(StandardScaler(), model); both MLPs use their "
        "shared defaults (adam, relu, learning rate 0.001, up to 200 epochs), "
        f"random_state={SEED}; fit s is per fold.",
    ]
    stdout.write("\n" + table.to_text() + "\n")
    if X.shape[1] == 2:
        stdout.write(_boundary_figure(X, y, names, scores, out, progress) + "\n")
    stdout.flush()
    return scores


def _boundary_figure(X, y, names, scores, out, progress):
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return (
            "Boundary figure skipped: matplotlib is not installed "
            "(pip install 'skmlp[plot]')"
        )
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
