"""``skmlp compare`` on real files and with its model options.

The files are written here the way people write them: pandas' default
``to_csv()`` (with its unnamed row-number column), semicolons with decimal
commas, tabs, a continuous target. The command runs as a user runs it (a
subprocess) where the exit status or the streams matter, and through
``main()`` in this process for the rest, which is faster. The data are tiny
(60 rows, 3 folds, 4 hidden units) so the whole file runs in seconds.
"""

import io
import re
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from skmlp.cli.compare import compare
from skmlp.cli.report import Progress

MLPS = ["skmlp MLP", "sklearn MLP"]
FAST = ["--cv", "3", "--hidden", "4"]


def run(*args, timeout=120):
    """Run ``python -m skmlp ARGS``."""
    return subprocess.run(
        [sys.executable, "-m", "skmlp", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def in_process(capsys, *args):
    """``main(ARGS)`` in this process: (status, stdout, stderr)."""
    from skmlp.cli.main import main

    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def frame(n=60, seed=0, continuous=False):
    """Three numeric features and a class label (or a continuous target)."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 3)).round(3)
    data = pd.DataFrame(X, columns=["height", "width", "depth"])
    if continuous:
        data["price"] = (2.5 * X[:, 0] - X[:, 1] + 0.1 * rng.normal(size=n)).round(4)
    else:
        data["label"] = np.where(X[:, 0] + X[:, 1] > 0, "big", "small")
    return data


def table_rows(stdout):
    """{model: {column: cell}} of the printed table."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("model  "))
    columns = re.split(r"\s{2,}", lines[start].strip())
    rows = {}
    for line in lines[start + 2 :]:
        if not line.strip() or line.startswith("  "):
            break
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0]] = dict(zip(columns, cells, strict=True))
    return rows


def scores(stdout, metric="accuracy"):
    """{model: (mean, std)} of a metric column."""
    return {
        model: tuple(float(v) for v in row[metric].split(" ± "))
        for model, row in table_rows(stdout).items()
    }


@pytest.fixture
def labelled(tmp_path):
    """The same data as a plain comma-separated file, without an index."""
    path = tmp_path / "plain.csv"
    frame().to_csv(path, index=False)
    return path


# --------------------------------------------------------------------------
# The row-number column of pandas' to_csv()
# --------------------------------------------------------------------------


def test_pandas_default_to_csv_is_refused_naming_the_index_column(tmp_path):
    path = tmp_path / "data.csv"
    frame().to_csv(path)  # pandas' default: an unnamed index column first
    proc = run("compare", str(path), "--target", "label", *FAST)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (
        "skmlp compare: error: column 1 (no name) holds only the row numbers "
        "0..59 (an index, as pandas' to_csv() writes by default), which compare "
        "refuses as a feature: it can leak the row order; drop it "
        "(to_csv(index=False)), or pass --keep-index to use it as a feature\n"
    )


def test_keep_index_uses_the_row_numbers_as_a_feature(tmp_path, labelled):
    path = tmp_path / "data.csv"
    frame().to_csv(path)
    proc = run("compare", str(path), "--target", "label", "--keep-index", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert (
        "Features used (4, all numeric): column 1, height, width, depth\n"
        in proc.stdout
    )
    assert f"{path}: 60 rows, 4 features, 2 classes" in proc.stdout


@pytest.mark.parametrize(
    "name, start",
    [("Unnamed: 0", 0), ("", 1), ("Unnamed: 0", 1)],
)
def test_other_row_number_columns_are_refused(tmp_path, capsys, name, start):
    data = frame()
    data.insert(0, name, np.arange(start, start + len(data)))
    path = tmp_path / "data.csv"
    data.to_csv(path, index=False)
    status, out, err = in_process(capsys, "compare", str(path), "--target", "label")
    assert status == 1 and out == ""
    label = repr(name) if name else "1 (no name)"
    assert err.startswith(
        f"skmlp compare: error: column {label} holds only the row numbers "
        f"{start}..{start + 59} "
    )
    assert "--keep-index" in err


@pytest.mark.parametrize(
    "name, values",
    [
        ("id", np.arange(60)),  # named: the user chose it
        ("", np.arange(60)[::-1]),  # not in order
        ("", np.arange(2, 62)),  # not 0..n-1 or 1..n
    ],
)
def test_columns_that_are_not_row_numbers_stay_features(tmp_path, name, values):
    from skmlp.cli.compare import load_csv

    data = frame()
    data.insert(0, name, values)
    path = tmp_path / "data.csv"
    data.to_csv(path, index=False)
    X, _, names = load_csv(path, "label")
    assert X.shape == (60, 4) and names[0] == (name or "column 1")


# --------------------------------------------------------------------------
# Delimiters and decimal commas
# --------------------------------------------------------------------------


def test_semicolons_with_decimal_commas_need_decimal_comma(tmp_path, labelled):
    path = tmp_path / "european.csv"
    frame().to_csv(path, sep=";", decimal=",", index=False)
    assert "\n1,764;0,4;0,979;big\n" in path.read_text()  # really decimal commas
    status = run("compare", str(path), "--target", "label", *FAST)
    assert status.returncode == 1 and status.stdout == ""
    assert status.stderr == (
        "skmlp compare: error: feature column 'height' is not numeric: line 2 "
        "has '1,764'; decimal commas? use --decimal ,\n"
    )
    proc = run("compare", str(path), "--target", "label", "--decimal", ",", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert f"Read {path}: semicolon-separated, decimal mark ','\n" in proc.stdout
    # The numbers read are the same as from the plain file: the same scores.
    plain = run("compare", str(labelled), "--target", "label", *FAST)
    assert table_rows(proc.stdout) and scores(proc.stdout) == scores(plain.stdout)


def test_tabs_are_detected_and_sep_overrides(tmp_path, labelled, capsys):
    path = tmp_path / "data.tsv"
    frame().to_csv(path, sep="\t", index=False)
    status, out, _ = in_process(
        capsys, "compare", str(path), "--target", "label", *FAST
    )
    assert status == 0
    assert f"Read {path}: tab-separated\n" in out
    assert "Features used (3, all numeric): height, width, depth\n" in out
    status, plain, _ = in_process(
        capsys, "compare", str(labelled), "--target", "label", *FAST
    )
    assert scores(out) == scores(plain)
    # --sep tab says the same; a wrong --sep gets a hint.
    status, out, _ = in_process(
        capsys, "compare", str(path), "--target", "label", "--sep", "tab", *FAST
    )
    assert status == 0 and scores(out) == scores(plain)
    status, out, err = in_process(
        capsys, "compare", str(path), "--target", "label", "--sep", ";", *FAST
    )
    assert status == 1 and out == ""
    assert err.startswith("skmlp compare: error: no column 'label' in ")
    assert err.endswith("(another delimiter? use --sep)\n")


def test_continuous_target_with_decimal_commas_is_a_regression(tmp_path, capsys):
    path = tmp_path / "prices.csv"
    data = frame(continuous=True)
    data.to_csv(path, sep=";", decimal=",", index=False)
    status, out, _ = in_process(
        capsys, "compare", str(path), "--target", "price", "--decimal", ",", *FAST
    )
    assert status == 0
    assert f"{path}: 60 rows, 3 features, continuous target" in out
    rows = table_rows(out)
    assert list(rows) == [*MLPS, "ridge regression"]
    assert list(rows["ridge regression"]) == [
        "model",
        "hidden layers",
        "R²",
        "MAE",
        "epochs (mean)",
        "converged",
        "fit s",
    ]
    assert rows["ridge regression"]["epochs (mean)"] == "-"
    assert rows["ridge regression"]["converged"] == "-"
    # The target's decimal commas were read as numbers: Ridge fits it well.
    assert scores(out, "R²")["ridge regression"][0] > 0.95
    assert "Regression, as the target holds non-integer numbers (e.g. '" in out


# --------------------------------------------------------------------------
# Model options, convergence, progress
# --------------------------------------------------------------------------


def test_max_iter_shows_the_epochs_and_the_folds_not_converged(labelled):
    proc = run("compare", str(labelled), "--target", "label", "--max-iter", "5", *FAST)
    assert proc.returncode == 0, proc.stderr
    rows = table_rows(proc.stdout)
    for model in MLPS:
        assert rows[model]["epochs (mean)"] == "5"
        assert rows[model]["converged"] == "0/3"
        assert (
            f"Warning: {model} did not converge in folds 1, 2, 3 of 3 "
            "(ConvergenceWarning: stopped at --max-iter 5" in proc.stdout
        )
    assert "up to 5 epochs" in proc.stdout
    # The warnings were counted, not printed.
    assert "ConvergenceWarning" not in proc.stderr


def test_converged_folds_are_counted(labelled, capsys):
    status, out, _ = in_process(
        capsys,
        "compare",
        str(labelled),
        "--target",
        "label",
        "--solver",
        "lbfgs",
        "--max-iter",
        "2000",
        *FAST,
    )
    assert status == 0
    rows = table_rows(out)
    assert rows["skmlp MLP"]["converged"] == rows["sklearn MLP"]["converged"] == "3/3"
    assert "did not converge" not in out
    assert rows["logistic regression"]["converged"] == "3/3"


@pytest.mark.parametrize(
    "option, value, note",
    [
        ("--seed", "3", "random_state=3"),
        ("--solver", "sgd", "solver sgd"),
        ("--activation", "tanh", "activation tanh"),
        ("--alpha", "5", "alpha 5"),
    ],
)
def test_each_model_option_changes_both_mlps_alike(
    labelled, capsys, option, value, note
):
    common = ["compare", str(labelled), "--target", "label", "--max-iter", "30"]
    _, default, _ = in_process(capsys, *common, *FAST)
    status, changed, _ = in_process(capsys, *common, option, value, *FAST)
    assert status == 0
    assert note in changed and note not in default
    for out in (default, changed):
        for metric in ("accuracy", "log-loss"):
            mlp = scores(out, metric)
            assert mlp["skmlp MLP"] == mlp["sklearn MLP"]  # still identical
    # The option changed what the MLPs learnt.
    assert (
        scores(changed, "log-loss")["skmlp MLP"]
        != (scores(default, "log-loss")["skmlp MLP"])
    )


def test_progress_lines_name_the_model_and_the_fold(labelled):
    proc = run("compare", str(labelled), "--target", "label", "--progress", *FAST)
    assert proc.returncode == 0, proc.stderr
    for model in [*MLPS, "logistic regression"]:
        for k in (1, 2, 3):
            assert f"fitting {model}, fold {k}/3 ...\n" in proc.stderr
    quiet = run("compare", str(labelled), "--target", "label", "--no-progress", *FAST)
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert table_rows(quiet.stdout)
    default = run("compare", str(labelled), "--target", "label", *FAST)
    assert "fitting" not in default.stderr  # no fit took 2 s
    assert "skmlp MLP: 3-fold CV: accuracy" in default.stderr


def test_a_slow_fit_says_so_while_it_runs():
    from skmlp.cli.compare import _slow_fit_notice

    for after, seconds, expected in [(0.05, 0.5, True), (5.0, 0.01, False)]:
        stream = io.StringIO()
        progress = Progress(stream, live=False)
        with _slow_fit_notice(progress, None, "fitting m, fold 1/3 ...", after):
            time.sleep(seconds)
            shown = stream.getvalue()
        assert (shown == "fitting m, fold 1/3 ...\n") is expected, shown
        time.sleep(0.1)  # the timer was cancelled: nothing comes later
        assert stream.getvalue() == shown


def test_compare_returns_the_converged_folds():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    short = compare(X, y, cv=2, hidden=(4,), max_iter=2)
    assert [s["converged"].tolist() for s in short[:2]] == [[False, False]] * 2
    assert [s["epochs"].tolist() for s in short[:2]] == [[2, 2]] * 2
    long = compare(X, y, cv=2, hidden=(4,), solver="lbfgs", max_iter=5000)
    assert [s["converged"].tolist() for s in long[:2]] == [[True, True]] * 2


# --------------------------------------------------------------------------
# Exit status: 2 for the command line, 1 for the data
# --------------------------------------------------------------------------

USAGE_ERRORS = {
    "--cv 1": (["--cv", "1"], "argument --cv: expected at least 2 folds, got '1'"),
    "--cv x": (["--cv", "x"], "argument --cv: expected an integer, got 'x'"),
    "--hidden 0": (["--hidden", "0"], "argument --hidden: expected layer sizes"),
    "--sep ab": (["--sep", "ab"], "argument --sep: expected one delimiter"),
    "--decimal x": (["--decimal", "x"], "argument --decimal: invalid choice"),
    "--solver": (["--solver", "newton"], "argument --solver: invalid choice"),
    "--alpha": (["--alpha", "-1"], "argument --alpha: expected a finite number"),
    "--max-iter": (["--max-iter", "0"], "argument --max-iter: expected an integer"),
    "--seed": (["--seed", "-2"], "argument --seed: expected an integer >= 0"),
    "unknown option": (["--epochs", "5"], "unrecognized arguments: --epochs 5"),
}


@pytest.mark.parametrize("case", list(USAGE_ERRORS))
def test_usage_errors_exit_with_status_2(case, labelled, capsys):
    from skmlp.cli.main import main

    extra, message = USAGE_ERRORS[case]
    with pytest.raises(SystemExit) as exit_:
        main(["compare", str(labelled), "--target", "label", *extra])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.search(f"skmlp( compare)?: error: {re.escape(message)}", captured.err)


def test_exit_status_2_and_1_from_the_shell(tmp_path, labelled):
    bad_cv = run("compare", str(labelled), "--target", "label", "--cv", "1")
    assert bad_cv.returncode == 2 and "Traceback" not in bad_cv.stderr
    missing = run("compare", str(labelled), "--target", "price")
    assert missing.returncode == 1
    assert missing.stderr.startswith("skmlp compare: error: no column 'price'")
    path = tmp_path / "bad.csv"
    path.write_text("a,b,label\n1,2,x\n3,oops,y\n")
    unparseable = run("compare", str(path), "--target", "label")
    assert unparseable.returncode == 1
    assert "feature column 'b' is not numeric: line 3 has 'oops'" in unparseable.stderr


def test_help_documents_the_options_and_the_exit_status():
    from skmlp.cli.main import build_parser

    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices["compare"]
    text = " ".join(sub.format_help().split())
    for option in (
        "--sep",
        "--decimal",
        "--keep-index",
        "--max-iter",
        "--solver",
        "--activation",
        "--alpha",
        "--seed",
        "--progress",
    ):
        assert option in text
    assert "exit status: 0 on success; 1 for a problem with the data" in text
    assert "2 for a problem with the command line" in text
