"""``skmlp compare``'s input: the CSV file, whether its target is continuous,
and whether it can be cross-validated.

Needs only the standard library and NumPy. Every mistake in the input becomes
an :class:`~skmlp.cli.report.InputError` with a one-line message naming the
column and line, or the option to change.

The task: classification or regression
--------------------------------------
With ``task="auto"`` the target column decides (:func:`detect_task`):

* every value a finite number, and one of them not an integer (``0.5``,
  ``151.25``): **regression**. This is scikit-learn's
  :func:`~sklearn.utils.multiclass.type_of_target` ``"continuous"``;
* every value an integer, with more than :data:`MAX_CLASSES` (20) distinct
  values (counts, ages, prices in whole units): **regression**;
* anything else (text labels, or at most 20 distinct integers): **classification**.

``task="classification"`` or ``"regression"`` overrides the rule; a target
that cannot be what was asked for (non-integer numbers as classes, text as a
continuous target) is an error.
"""

import csv
import io
import math
import os
import re

import numpy as np

from .report import InputError

#: An integer target with more distinct values than this is continuous.
MAX_CLASSES = 20
TASKS = ("auto", "classification", "regression")


def _parse_float(text, decimal="."):
    if decimal != ".":
        text = text.replace(decimal, ".")
    try:
        return float(text)
    except ValueError:
        return None


#: Delimiters that :func:`sniff_sep` recognises, in order of preference.
SEPARATORS = (",", ";", "\t")
SEP_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_UNNAMED = re.compile(r"^(Unnamed: \d+)?$")


def sniff_sep(lines):
    """The delimiter of a CSV file, from its first lines; comma if unclear.

    A candidate fits when it splits the header into at least two fields and
    every other line into as many; of those that fit, the one giving the most
    fields wins (a decimal comma inside a semicolon-separated file does not
    split its header, so it loses).

    Parameters
    ----------
    lines : list of str
        The header and a few data lines.

    Returns
    -------
    sep : str

    Examples
    --------
    >>> from skmlp.cli.compare_data import sniff_sep
    >>> sniff_sep(["a;b;y", "5,1;3,5;x", "4,9;3,0;z"])
    ';'
    >>> sniff_sep(["a\\tb\\ty", "1\\t2\\tx"]), sniff_sep(["a,b", "1,2"])
    ('\\t', ',')
    >>> sniff_sep(["a"])
    ','
    """
    best, best_fields = ",", 1
    for sep in SEPARATORS:
        counts = {len(row) for row in csv.reader(lines, delimiter=sep) if row}
        if len(counts) == 1 and (n := counts.pop()) > best_fields:
            best, best_fields = sep, n
    return best


def _read_rows(path, sep=None):
    """Header, data rows and delimiter of a CSV file; InputError for what can't
    be read. ``sep=None`` detects the delimiter with :func:`sniff_sep`."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError(f"no such file: {path!r}")
    if os.path.isdir(path):
        raise InputError(f"{path!r} is a directory, not a CSV file")
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            text = f.read()
        if sep is None:
            head = [line for line in text.splitlines()[:21] if line.strip()]
            sep = sniff_sep(head)
        rows = [
            (line, [cell.strip() for cell in row])
            for line, row in enumerate(
                csv.reader(io.StringIO(text, newline=""), delimiter=sep), 1
            )
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
                f"has {len(header)} (fields separated by "
                f"{SEP_NAMES.get(sep, repr(sep))}; another delimiter? use --sep)"
            )
    return header, data, sep


def column_label(header, j):
    """How messages and the feature list name column ``j``."""
    return repr(header[j]) if header[j] else f"{j + 1} (no name)"


def find_row_numbers(header, data):
    """Columns that only number the rows: unnamed, holding 0..n-1 or 1..n.

    Such a column is what pandas' ``DataFrame.to_csv()`` writes by default
    (header ``""``, or ``"Unnamed: 0"`` once read and written again).

    Examples
    --------
    >>> from skmlp.cli.compare_data import find_row_numbers
    >>> data = [(2, ["0", "5", "a"]), (3, ["1", "6", "b"])]
    >>> find_row_numbers(["", "x", "y"], data), find_row_numbers(["i", "x", "y"], data)
    ([0], [])
    """
    found = []
    n = len(data)
    for j, name in enumerate(header):
        if not _UNNAMED.match(name):
            continue
        values = [row[j] for _, row in data]
        if not all(re.fullmatch(r"\d+", v) for v in values):
            continue
        numbers = [int(v) for v in values]
        if numbers == list(range(n)) or numbers == list(range(1, n + 1)):
            found.append(j)
    return found


def _bad_feature(header, j, line, text, value, decimal="."):
    """The message for a feature cell that is not a finite number."""
    name = column_label(header, j)
    if text == "":
        return (
            f"feature column {name} has an empty value on line {line}; compare "
            "needs a number in every feature cell (fill in or drop those rows)"
        )
    if value is None and decimal == "." and _DECIMAL_COMMA.match(text):
        return (
            f"feature column {name} is not numeric: line {line} has {text!r}; "
            "decimal commas? use --decimal ,"
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


def read_table(path, target, sep=None, decimal=".", keep_index=False):
    """The features, the target's cells and their lines, the feature names.

    Parameters
    ----------
    path : str or os.PathLike
    target : str
    sep : str or None, default=None
        The delimiter; None detects comma, semicolon or tab.
    decimal : {".", ","}, default="."
        The decimal mark of the numbers.
    keep_index : bool, default=False
        Use a row-number column (:func:`find_row_numbers`) as a feature
        instead of refusing the file.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    values : list of str
        The target column's cells, none empty, with ``decimal`` turned into
        ``"."``.
    lines : list of int
        The line of each row in the file.
    feature_names : list of str
        Unnamed columns are called ``"column J"`` (J counting from 1).
    sep : str
        The delimiter used.
    """
    header, data, sep = _read_rows(path, sep)
    if target not in header:
        shown = ", ".join(header[:20]) + (", ..." if len(header) > 20 else "")
        hint = ""
        if len(header) == 1 and any(s in header[0] for s in SEPARATORS if s != sep):
            hint = " (another delimiter? use --sep)"
        raise InputError(
            f"no column {target!r} in {os.fspath(path)!r}; the columns are: "
            f"{shown}{hint}"
        )
    t = header.index(target)
    index = [j for j in find_row_numbers(header, data) if j != t]
    if index and not keep_index:
        j = index[0]
        raise InputError(
            f"column {column_label(header, j)} holds only the row numbers "
            f"{data[0][1][j]}..{data[-1][1][j]} (an index, as pandas' to_csv() "
            "writes by default), which compare refuses as a feature: it can "
            "leak the row order; drop it (to_csv(index=False)), or pass "
            "--keep-index to use it as a feature"
        )
    features = [j for j in range(len(header)) if j != t]
    if not features:
        raise InputError(
            f"{os.fspath(path)!r} has no feature columns besides the target {target!r}"
        )
    X = np.empty((len(data), len(features)))
    for col, j in enumerate(features):
        for i, (line, row) in enumerate(data):
            value = _parse_float(row[j], decimal)
            if value is None or not math.isfinite(value):
                raise InputError(_bad_feature(header, j, line, row[j], value, decimal))
            X[i, col] = value
    values = [row[t] for _, row in data]
    if decimal != ".":
        values = [
            v.replace(decimal, ".") if _parse_float(v, decimal) is not None else v
            for v in values
        ]
    lines = [line for line, _ in data]
    for line, value in zip(lines, values):
        if value == "":
            raise InputError(f"target column {target!r} is empty on line {line}")
    names = [header[j] or f"column {j + 1}" for j in features]
    return X, values, lines, names, sep


def detect_task(y):
    """Classification or regression for a target array, and why.

    Parameters
    ----------
    y : array-like of shape (n_samples,)

    Returns
    -------
    task : {"classification", "regression"}
    reason : str or None
        Why the target is continuous (None for classification).

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.cli.compare_data import detect_task
    >>> detect_task([0.5, 1.0, 2.0])
    ('regression', 'non-integer numbers')
    >>> detect_task(np.arange(30))
    ('regression', '30 distinct integers, more than 20')
    >>> detect_task(["cat", "dog"]), detect_task([0, 1, 1, 2])
    (('classification', None), ('classification', None))
    """
    y = np.asarray(y)
    if y.dtype.kind not in "iuf" or not np.all(np.isfinite(y)):
        return "classification", None
    values = y.astype(np.float64)
    if np.any(values != np.floor(values)):
        return "regression", "non-integer numbers"
    n_distinct = len(np.unique(values))
    if n_distinct > MAX_CLASSES:
        return "regression", f"{n_distinct} distinct integers, more than {MAX_CLASSES}"
    return "classification", None


def check_task(task):
    """InputError unless ``task`` is one of :data:`TASKS`."""
    if task not in TASKS:
        raise InputError(f"task must be one of {', '.join(TASKS)}; got {task!r}")


def target_for_task(name, values, lines, task):
    """The target as class labels or floats, the task, and why it was chosen.

    Parameters
    ----------
    name : str
        The target column's name, for messages.
    values : list of str
        Its cells.
    lines : list of int
        Their lines in the file.
    task : {"auto", "classification", "regression"}

    Returns
    -------
    y : ndarray of shape (n_samples,)
        Floats for regression; for classification integers when every label
        is an integer, else the strings.
    task : {"classification", "regression"}
    reason : str or None
        What made ``"auto"`` choose regression, e.g. ``"non-integer numbers
        (e.g. '0.5')"``; None otherwise.

    Examples
    --------
    >>> from skmlp.cli.compare_data import target_for_task
    >>> y, task, reason = target_for_task("price", ["1", "2.5"], [2, 3], "auto")
    >>> y.tolist(), task, reason
    ([1.0, 2.5], 'regression', "non-integer numbers (e.g. '2.5')")
    >>> target_for_task("price", ["1", "2.5"], [2, 3], "classification")
    Traceback (most recent call last):
    ...
    skmlp.cli.report.InputError: target column 'price' holds non-integer numbers \
(e.g. '2.5'); --task classification needs class labels, not a continuous \
target (use --task regression, or leave --task out)
    """
    check_task(task)
    numbers = [_parse_float(v) for v in values]
    numeric = all(x is not None and math.isfinite(x) for x in numbers)
    fraction = next(
        (v for v, x in zip(values, numbers) if numeric and x != int(x)), None
    )
    if task == "auto":
        task, reason = detect_task(np.array(numbers) if numeric else values)
        if fraction is not None:
            reason = f"non-integer numbers (e.g. {fraction!r})"
    else:
        reason = None
    if task == "regression":
        for line, text, x in zip(lines, values, numbers):
            if x is None:
                raise InputError(
                    f"target column {name!r} is not numeric: line {line} has "
                    f"{text!r}; --task regression needs a number in every "
                    "target cell"
                )
            if not math.isfinite(x):
                raise InputError(
                    f"target column {name!r} has the value {text!r} on line "
                    f"{line}; --task regression needs finite numbers"
                )
        return np.array(numbers, dtype=np.float64), task, reason
    if fraction is not None:
        raise InputError(
            f"target column {name!r} holds non-integer numbers (e.g. "
            f"{fraction!r}); --task classification needs class labels, not a "
            "continuous target (use --task regression, or leave --task out)"
        )
    if numeric:
        return np.array([int(x) for x in numbers]), task, reason
    return np.array(values, dtype=object).astype(str), task, reason


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
    >>> from skmlp.cli.compare import check_folds
    >>> check_folds(np.array(["a"] * 5 + ["b"] * 2), cv=3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    skmlp.cli.report.InputError: class 'b' has only 2 rows, fewer than the 3 folds ...
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


def check_regression_folds(y, cv):
    """Check that ``cv``-fold cross-validation of a regression is possible.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
    cv : int

    Raises
    ------
    InputError
        If ``cv < 2``, a fold would hold out fewer than 2 rows (R² needs two),
        or the target is constant.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.cli.compare import check_regression_folds
    >>> check_regression_folds(np.arange(7.0), cv=5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    skmlp.cli.report.InputError: the target has 7 rows, too few for --cv 5: ...
    """
    if cv < 2:
        raise InputError(f"--cv must be at least 2 folds, got {cv}")
    if len(y) < 2 * cv:
        fix = f"use --cv {len(y) // 2} or add rows" if len(y) >= 4 else "add rows"
        raise InputError(
            f"the target has {len(y)} rows, too few for --cv {cv}: each of the "
            f"{cv} folds needs at least 2 held-out rows for R²; {fix}"
        )
    if np.all(y == y[0]):
        raise InputError(
            f"the target has the same value ({y[0]:g}) in all {len(y)} rows; "
            "there is nothing to predict"
        )
