"""``skmlp compare`` on a continuous target: regression, run as a user runs it.

The printed table is read back and checked against scikit-learn's own
``cross_validate`` of the same pipelines on the same folds; the rule that tells
a continuous target from class labels is checked against scikit-learn's
``type_of_target`` and on the edge cases it adds (integer targets with many
distinct values, ``--task``).
"""

import re
import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.utils.multiclass import type_of_target

from skmlp.cli.compare import compare, compare_table, load_csv
from skmlp.cli.compare_data import MAX_CLASSES, detect_task
from skmlp.cli.report import InputError

PIL = pytest.importorskip("PIL.Image")

MODELS = ["skmlp MLP", "sklearn MLP", "ridge regression"]
ROW = re.compile(
    r"(skmlp MLP|sklearn MLP|ridge regression)\s+(\S+)\s+"
    r"(-?[\d.]+) ± ([\d.]+)\s+([\d.]+) ± ([\d.]+)\s+(\d+|-)\s+(?:\d+/\d+|-)\s+"
    r"([\d.]+) ± ([\d.]+)$"
)


def run(*args, code=None, timeout=240):
    """Run ``python -m skmlp ARGS`` (or ``python -c CODE ARGS``)."""
    command = [sys.executable, *(["-c", code] if code else ["-m", "skmlp"]), *args]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False
    )


def write_csv(path, header, rows):
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def within_rounding(shown, value, digits):
    """Whether ``shown`` is ``value`` printed with ``digits`` decimals."""
    return abs(shown - value) <= 0.5 * 10.0**-digits + 1e-9


def parse_rows(stdout):
    """{model: (hidden, r2, r2 std, mae, mae std, epochs, fit s, fit s std)}."""
    rows = {}
    for line in stdout.splitlines():
        match = ROW.match(line)
        if match:
            hidden, *numbers = match.groups()[1:]
            rows[match[1]] = [hidden] + [
                None if v == "-" else float(v) for v in numbers
            ]
    return rows


@pytest.fixture(scope="module")
def diabetes_run(tmp_path_factory):
    """scikit-learn's diabetes data (integer targets, 214 values) as a CSV file."""
    from sklearn.datasets import load_diabetes

    folder = tmp_path_factory.mktemp("diabetes")
    data = load_diabetes(scaled=False)
    path = write_csv(
        folder / "diabetes.csv",
        [*data.feature_names, "progression"],
        [[*(f"{v:g}" for v in x), f"{t:g}"] for x, t in zip(data.data, data.target)],
    )
    out = folder / "out"
    proc = run(
        "compare",
        str(path),
        "--target",
        "progression",
        "--cv",
        "3",
        "--hidden",
        "16",
        "--out",
        str(out),
    )
    return proc, path, out


def test_compare_regression_prints_the_regression_table(diabetes_run):
    proc, path, _ = diabetes_run
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[:2] == [
        f"Read {path}: comma-separated",
        "Features used (10, all numeric): age, sex, bmi, bp, s1, s2, s3, s4, s5, s6",
    ]
    assert lines[3] == (
        f"{path}: 442 rows, 10 features, continuous target; 3-fold cross-validation"
    )
    assert re.split(r"\s{2,}", lines[4]) == [
        "model",
        "hidden layers",
        "R²",
        "MAE",
        "epochs (mean)",
        "converged",
        "fit s",
    ]
    rows = parse_rows(proc.stdout)
    assert list(rows) == MODELS
    assert [row[0] for row in rows.values()] == ["(16,)", "(16,)", "-"]
    assert rows["ridge regression"][5] is None  # no epochs
    notes = "\n".join(line for line in lines if line.startswith("  "))
    assert (
        "Regression, as the target holds 214 distinct integers, more than 20; "
        "--task classification treats them as class labels."
    ) in notes
    assert "TransformedTargetRegressor(transformer=StandardScaler())" in notes
    assert "the same shuffled folds (random_state=0) for every model" in notes
    assert "Both MLPs use the same settings (solver adam, activation relu, " in notes


def test_compare_regression_reports_sklearns_cross_validation(diabetes_run):
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold, cross_validate
    from sklearn.neural_network import MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skmlp import BackpropMLPRegressor

    proc, path, _ = diabetes_run
    rows = parse_rows(proc.stdout)
    X, y, _ = load_csv(path, "progression")
    folds = KFold(3, shuffle=True, random_state=0)
    models = {
        "skmlp MLP": BackpropMLPRegressor(hidden_layer_sizes=(16,), random_state=0),
        "sklearn MLP": MLPRegressor(hidden_layer_sizes=(16,), random_state=0),
        "ridge regression": Ridge(),
    }
    for name, model in models.items():
        pipeline = TransformedTargetRegressor(
            make_pipeline(StandardScaler(), model), transformer=StandardScaler()
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            cv = cross_validate(
                pipeline,
                X,
                y,
                cv=folds,
                scoring=("r2", "neg_mean_absolute_error"),
                return_estimator=True,
            )
        r2, mae = cv["test_r2"], -cv["test_neg_mean_absolute_error"]
        shown = rows[name]
        assert within_rounding(shown[1], r2.mean(), 3), (name, shown, r2)
        assert within_rounding(shown[2], r2.std(), 3), (name, shown, r2)
        # MAE ~ 44: four significant digits, two decimals.
        assert within_rounding(shown[3], mae.mean(), 2), (name, shown, mae)
        assert within_rounding(shown[4], mae.std(), 2), (name, shown, mae)
        if name != "ridge regression":
            epochs = [fitted.regressor_[-1].n_iter_ for fitted in cv["estimator"]]
            assert shown[5] == round(np.mean(epochs))
    # The MLPs learn something; the table is not a column of failures.
    assert rows["skmlp MLP"][1] > 0.3 and rows["ridge regression"][1] > 0.3


def test_compare_regression_times_each_fit_and_writes_the_figure(diabetes_run):
    proc, _, out = diabetes_run
    rows = parse_rows(proc.stdout)
    for name in MODELS:
        summary = re.search(
            rf"^{name}: 3-fold CV: R2 (-?[\d.]+) in ([\d.]+) s$", proc.stderr, re.M
        )
        assert summary, proc.stderr
        assert within_rounding(float(summary[1]), rows[name][1], 3)
        # The progress line sums the same fit times the table averages.
        assert abs(float(summary[2]) - 3 * rows[name][6]) <= 0.05 + 3 * 0.0005
    assert rows["skmlp MLP"][6] > rows["ridge regression"][6]
    assert "prediction figure: wrote" in proc.stderr and "\r" not in proc.stderr
    assert proc.stdout.rstrip().endswith(
        f"Wrote {out / 'predictions.png'} (each row's out-of-fold prediction "
        "against its target)"
    )
    with PIL.open(out / "predictions.png") as image:
        assert image.format == "PNG" and image.size[0] > 2 * image.size[1]


def test_non_integer_target_is_continuous_and_task_overrides(tmp_path):
    rng = np.random.RandomState(0)
    x = rng.uniform(-2, 2, size=40)
    rows = [(f"{a:.3f}", f"{np.sin(a):.2f}") for a in x]
    data = write_csv(tmp_path / "sine.csv", ["x", "y"], rows)
    proc = run("compare", str(data), "--target", "y", "--cv", "2", "--hidden", "4")
    assert proc.returncode == 0, proc.stderr
    assert "40 rows, 1 features, continuous target; 2-fold" in proc.stdout
    example = next(v for _, v in rows if float(v) != int(float(v)))
    assert f"as the target holds non-integer numbers (e.g. '{example}')" in (
        proc.stdout
    )
    assert list(parse_rows(proc.stdout)) == MODELS

    # Integer labels 0-3 are classes unless --task regression says otherwise.
    counts = write_csv(
        tmp_path / "counts.csv",
        ["x", "n"],
        [(f"{a:.3f}", int(a > 0) + int(a > 1) + int(a > -1)) for a in x],
    )
    auto = run("compare", str(counts), "--target", "n", "--cv", "2", "--hidden", "4")
    assert auto.returncode == 0, auto.stderr
    assert "4 classes; 2-fold stratified" in auto.stdout
    forced = run(
        "compare",
        str(counts),
        "--target",
        "n",
        "--cv",
        "2",
        "--hidden",
        "4",
        "--task",
        "regression",
        "--out",
        str(tmp_path / "out"),
    )
    assert forced.returncode == 0, forced.stderr
    assert "continuous target" in forced.stdout
    assert "Regression, as --task regression asks." in forced.stdout
    assert (tmp_path / "out" / "predictions.png").is_file()


def test_many_integers_as_classes_with_task_classification(diabetes_run, capsys):
    from skmlp.cli.main import main

    _, path, _ = diabetes_run
    status = main(
        ["compare", str(path), "--target", "progression", "--task", "classification"]
    )
    captured = capsys.readouterr()
    assert status == 1 and captured.out == ""
    # Now they are classes, and some has a single row.
    assert re.match(
        r"skmlp compare: error: class \d+ has only 1 row, fewer than the 5 folds",
        captured.err,
    )


def test_bad_task_is_an_argument_error():
    proc = run("compare", "data.csv", "--target", "y", "--task", "regresion")
    assert proc.returncode == 2 and proc.stdout == ""
    assert re.search(
        r"argument --task: invalid choice: '?regresion'? \(choose from "
        r"'?auto'?, '?classification'?, '?regression'?\)",
        proc.stderr,
    ), proc.stderr


def test_regression_without_matplotlib_prints_the_table(tmp_path):
    x = np.linspace(0, 1, 20)
    data = write_csv(tmp_path / "d.csv", ["x", "y"], [(a, 2 * a + 0.5) for a in x])
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from skmlp.cli.main import main; sys.exit(main(sys.argv[1:]))"
    )
    out = tmp_path / "out"
    proc = run(
        "compare",
        str(data),
        "--target",
        "y",
        "--hidden",
        "4",
        "--out",
        str(out),
        code=code,
    )
    assert proc.returncode == 0, proc.stderr
    assert list(parse_rows(proc.stdout)) == MODELS
    assert "Prediction figure skipped: matplotlib is not installed" in proc.stdout
    assert not out.exists()


# -- the detection rule and the Python functions -----------------------------------


@pytest.mark.parametrize(
    "y",
    [
        [0.5, 1.0, 2.0],
        [1.0, 2.0, 3.0],
        [0, 1, 1, 0],
        [-1.5, 2.25],
        np.linspace(0, 1, 7),
        np.arange(MAX_CLASSES, dtype=float),
        ["a", "b"],
    ],
)
def test_non_integer_numbers_are_what_sklearn_calls_continuous(y):
    task, _ = detect_task(y)
    assert (task == "regression") == (type_of_target(np.asarray(y)) == "continuous")


def test_more_than_max_classes_integers_are_continuous():
    assert detect_task(np.arange(MAX_CLASSES)) == ("classification", None)
    assert detect_task(np.arange(MAX_CLASSES + 1)) == (
        "regression",
        f"{MAX_CLASSES + 1} distinct integers, more than {MAX_CLASSES}",
    )
    assert detect_task(np.r_[np.arange(MAX_CLASSES), np.nan])[0] == "classification"


def test_compare_regression_in_python():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 2))
    y = X[:, 0] - 0.5 * X[:, 1]
    scores = compare(X, y, cv=3, hidden=(4,))
    assert [s["model"] for s in scores] == MODELS
    for s in scores:
        assert s["r2"].shape == s["mae"].shape == s["fit_seconds"].shape == (3,)
        # Every row predicted once, by the model of the fold that held it out.
        assert s["predictions"].shape == (30,) and np.isfinite(s["predictions"]).all()
    ridge = scores[2]
    assert np.isnan(ridge["epochs"]).all() and ridge["r2"].min() > 0.99
    with pytest.raises(InputError, match="non-integer numbers; classification"):
        compare(X, y, cv=3, task="classification")
    with pytest.raises(InputError, match="regression needs a numeric target"):
        compare(X, np.array(["a", "b"] * 15), cv=3, task="regression")
    with pytest.raises(InputError, match="task must be one of auto, classif"):
        compare(X, y, cv=3, task="ranking")
    table = compare_table(scores, plus_minus="+/-")
    assert table.columns == [
        "model",
        "hidden layers",
        "R2",
        "MAE",
        "epochs (mean)",
        "converged",
        "fit s",
    ]
    assert table.rows[2][4:6] == ["-", "-"]
