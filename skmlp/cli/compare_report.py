"""``skmlp compare``'s printed report: what was read, the table, the warnings."""

import os

import numpy as np

from .compare_data import SEP_NAMES
from .report import Table

#: Both MLPs' settings unless told otherwise: MLPClassifier's defaults.
MLP_DEFAULTS = {"max_iter": 200, "solver": "adam", "activation": "relu", "alpha": 1e-4}


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
        smallest), epochs (mean over the folds; ``-`` when the model has
        none), converged (folds without a ConvergenceWarning, e.g. ``5/5``;
        ``-`` when the model has no epochs) and fit s.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.cli.compare import compare_table
    >>> row = {"model": "m", "hidden": "-", "accuracy": np.array([0.8, 1.0]),
    ...        "log_loss": np.array([0.3, 0.1]), "fit_seconds": np.array([1, 1]),
    ...        "epochs": np.array([3, 5]), "converged": np.array([True, False])}
    >>> compare_table([row], plus_minus="+/-").rows[0]
    ['m', '-', '0.900 +/- 0.100', '0.200 +/- 0.100', '4', '1/2', '1.000 +/- 0.000']
    >>> row = {"model": "r", "hidden": "-", "r2": np.array([0.5, 0.7]),
    ...        "mae": np.array([40.0, 44.5]), "fit_seconds": np.array([1, 1]),
    ...        "epochs": np.array([np.nan, np.nan])}
    >>> table = compare_table([row])
    >>> table.columns[2:6], table.rows[0][2:6]
    (['R²', 'MAE', 'epochs (mean)', 'converged'], ['0.600 ± 0.100', '42.25 ± 2.25', '-', '-'])
    """  # noqa: E501

    def spread(values, digits=3):
        return f"{np.mean(values):.{digits}f} {plus_minus} {np.std(values):.{digits}f}"

    def epochs(values):
        return "-" if np.isnan(values).any() else f"{np.mean(values):.0f}"

    def converged(s):
        if np.isnan(np.asarray(s["epochs"], dtype=np.float64)).any():
            return "-"
        flags = s.get("converged")
        if flags is None:
            return "-"
        return f"{int(np.sum(flags))}/{len(flags)}"

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
            converged(s),
            spread(s["fit_seconds"]),
        ]
        for s in scores
    ]
    columns = ["model", "hidden layers", *names, "epochs (mean)", "converged", "fit s"]
    return Table(columns, rows, title=title)


def not_converged(scores, max_iter=MLP_DEFAULTS["max_iter"]):
    """One warning line per model with folds that did not converge.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.cli.compare_report import not_converged
    >>> not_converged([{"model": "m", "converged": np.array([True, False, False])}],
    ...               max_iter=5)  # doctest: +NORMALIZE_WHITESPACE
    ['Warning: m did not converge in folds 2, 3 of 3 (ConvergenceWarning:
      stopped at --max-iter 5 or without improvement); the scores are of
      unfinished training: raise --max-iter or try another --solver']
    """
    lines = []
    for s in scores:
        flags = np.asarray(s.get("converged", []), dtype=bool)
        failed = [str(k) for k, ok in enumerate(flags, 1) if not ok]
        if failed:
            lines.append(
                f"Warning: {s['model']} did not converge in "
                f"fold{'s' if len(failed) > 1 else ''} {', '.join(failed)} of "
                f"{len(flags)} (ConvergenceWarning: stopped at --max-iter "
                f"{max_iter} or without improvement); the scores are of "
                "unfinished training: raise --max-iter or try another --solver"
            )
    return lines


def _plus_minus(stream):
    try:
        "±²".encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return "+/-"
    return "±"


def _feature_line(names, limit=30):
    """``Features used (N, all numeric): a, b, ...``."""
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += f", ... ({len(names) - limit} more)"
    return f"Features used ({len(names)}, all numeric): {shown}"


def _settings(options, seed):
    """The MLPs' settings, in words, for the table's notes."""
    o = {**MLP_DEFAULTS, **options}
    return (
        f"solver {o['solver']}, activation {o['activation']}, alpha {o['alpha']:g}, "
        f"up to {o['max_iter']} epochs, random_state={seed}"
    )


def print_results(
    stdout, path, X, y, names, sep, decimal, cv, scores, task, reason, seed, options
):
    plus_minus = _plus_minus(stdout)
    read = f"Read {os.fspath(path)}: {SEP_NAMES.get(sep, repr(sep))}-separated"
    if decimal != ".":
        read += f", decimal mark {decimal!r}"
    stdout.write(f"\n{read}\n{_feature_line(names)}\n")
    settings = _settings(options, seed)
    if task == "regression":
        table = _regression_table(
            path, X, y, cv, scores, reason, plus_minus, settings, seed
        )
    else:
        classes = np.unique(y)
        title = (
            f"{os.fspath(path)}: {len(y)} rows, {X.shape[1]} features, "
            f"{len(classes)} classes; {cv}-fold stratified cross-validation"
        )
        table = compare_table(scores, title, plus_minus)
        table.notes = [
            "Each model is Pipeline(StandardScaler(), model); both MLPs use the "
            f"same settings ({settings}); epochs is the mean over the folds, "
            "converged counts the folds that ended without a ConvergenceWarning; "
            "fit s is per fold.",
        ]
    stdout.write("\n" + table.to_text() + "\n")
    for line in not_converged(scores, {**MLP_DEFAULTS, **options}["max_iter"]):
        stdout.write(line + "\n")


def _regression_table(path, X, y, cv, scores, reason, plus_minus, settings, seed):
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
        f"back. Both MLPs use the same settings ({settings}); Ridge(alpha=1.0).",
        f"{r2} and MAE (in the target's units) on the held-out rows; the same "
        f"shuffled folds (random_state={seed}) for every model; epochs is the "
        "mean over the folds; fit s is per fold.",
    ]
    return table
