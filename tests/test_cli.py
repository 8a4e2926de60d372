"""The ``skmlp`` command, run as a user runs it: in a subprocess.

``skmlp demo --quick`` runs once for the module (about 30 s); its tables,
files and progress output are checked by several tests. ``skmlp compare``
runs on small CSV files written here, and every kind of bad input is checked
for its one-line message, exit status 1 and no traceback.
"""

import gc
import io
import json
import re
import subprocess
import sys
import time
import warnings
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from skmlp import BackpropMLPClassifier, StopWhenLossBelow
from skmlp.cli.experiments import EXPERIMENTS
from skmlp.cli.report import Progress
from skmlp.datasets import make_spirals, make_xor

PIL = pytest.importorskip("PIL.Image")


def run(*args, code=None, timeout=240):
    """Run ``python -m skmlp ARGS`` (or ``python -c CODE ARGS``)."""
    command = [sys.executable, *(["-c", code] if code else ["-m", "skmlp"]), *args]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False
    )


# --------------------------------------------------------------------------
# Reading the tables back from the printed text
# --------------------------------------------------------------------------

COLUMNS = [
    "model",
    "hidden",
    "solver",
    "epochs",
    "stopped_by",
    "train_acc",
    "test_acc",
    "train_loss",
    "test_loss",
    "fit_s",
    "loss_diff",
]
NUMERIC = ["epochs", "train_acc", "test_acc", "train_loss", "test_loss", "fit_s"]


def parse_tables(stdout):
    """{title: [row dict, ...]} from the demo's printed tables."""
    tables = {}
    for block in re.split(r"\n\s*\n", stdout):
        lines = block.strip("\n").splitlines()
        if len(lines) < 3 or not lines[1].startswith("model"):
            continue
        rows = []
        for line in lines[3:]:
            if line.startswith("  "):
                break
            cells = re.split(r"\s{2,}", line.strip())
            row = dict(zip(COLUMNS, cells, strict=True))
            for key in NUMERIC:
                row[key] = None if row[key] == "n/a" else float(row[key])
            row["loss_diff"] = (
                None if row["loss_diff"] == "-" else float(row["loss_diff"])
            )
            rows.append(row)
        tables[lines[0]] = rows
    return tables


def table(tables, prefix):
    return next(rows for title, rows in tables.items() if title.startswith(prefix))


def within_rounding(shown, value, digits):
    """Whether ``shown`` is ``value`` printed with ``digits`` decimals."""
    return abs(shown - value) <= 0.5 * 10.0**-digits + 1e-9


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("src", "href"):
                self.links.append(value)


def links_of(page):
    parser = _Links()
    parser.feed(Path(page).read_text(encoding="utf-8"))
    return parser.links


# --------------------------------------------------------------------------
# skmlp demo --quick
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def quick_demo(tmp_path_factory):
    """The finished process, its output folder and its wall-clock seconds."""
    out = tmp_path_factory.mktemp("demo") / "skmlp-demo"
    start = time.perf_counter()
    proc = run("demo", "--quick", "--out", str(out))
    return proc, out, time.perf_counter() - start


def test_demo_quick_succeeds_and_prints_a_table_per_data_set(quick_demo):
    proc, _, _ = quick_demo
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    tables = parse_tables(proc.stdout)
    assert [t.split(":")[0] for t in tables] == ["XOR", "Rings", "Spirals"]
    for rows in tables.values():
        models = [row["model"] for row in rows]
        assert models[-1] == "logistic regression"
        assert models.count("skmlp MLP") == models.count("sklearn MLP") >= 1


def test_demo_mlp_beats_logistic_regression_on_spirals_and_xor(quick_demo):
    tables = parse_tables(quick_demo[0].stdout)
    spirals = {row["model"]: row for row in table(tables, "Spirals")}
    mlp, sk_mlp = spirals["skmlp MLP"], spirals["sklearn MLP"]
    logreg = spirals["logistic regression"]
    # Tutorial 003: 99 % for the (4,) tanh network, 66 % for logistic regression.
    assert mlp["hidden"] == "(4,) tanh" and mlp["epochs"] == 10000
    assert mlp["train_acc"] >= 0.97 and mlp["test_acc"] >= 0.95
    assert logreg["train_acc"] < 0.70 and logreg["test_acc"] < 0.70
    assert sk_mlp["test_acc"] > logreg["test_acc"] + 0.2

    xor = table(tables, "XOR")
    # --quick fits only the tutorial's last network, the two-layer one.
    assert [r["hidden"] for r in xor[:-1]] == ["(4, 3) logistic"] * 3
    two_layers, logreg = xor[:-1], xor[-1]
    assert logreg["test_acc"] < 0.65
    for row in two_layers:
        assert row["test_acc"] > 0.9 > logreg["test_acc"] + 0.25
        assert row["test_loss"] < logreg["test_loss"]


#: The rows of ``skmlp demo --quick`` refitted here, outside the demo. XOR's
#: scikit-learn MLP is left out: per-sample SGD, it alone would take 6 s.
REFITS = [
    (name, model)
    for name in ("xor", "rings", "spirals")
    for model in (
        "skmlp MLP",
        "sklearn MLP",
        "skmlp MLP, tutorial init",
        "logistic regression",
    )
    if (name, model) != ("xor", "sklearn MLP")
]


@pytest.mark.parametrize(("name", "model"), REFITS)
def test_demo_reports_the_scores_of_the_model_fitted_directly(quick_demo, name, model):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, log_loss
    from sklearn.neural_network import MLPClassifier

    experiment = EXPERIMENTS[name]
    X, y, X_test, y_test = experiment.load()
    setup = experiment.mlps[-1]  # --quick fits the tutorial's last network
    if model == "logistic regression":
        estimator = LogisticRegression()
    elif model == "sklearn MLP":
        estimator = MLPClassifier(**setup.params(len(y)))
    elif model == "skmlp MLP":
        # Beside scikit-learn's: its initialisation and stopping rule.
        estimator = BackpropMLPClassifier(**setup.params(len(y)), weight_init="auto")
    else:
        stop = [StopWhenLossBelow(setup.stop_below)] if setup.stop_below else []
        estimator = BackpropMLPClassifier(
            **setup.params(len(y)), weight_init=setup.weight_init, callbacks=stop
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.fit(X, y)

    rows = table(parse_tables(quick_demo[0].stdout), experiment.title)
    row = next(row for row in rows if row["model"] == model)
    assert row["epochs"] == np.max(estimator.n_iter_)
    splits = [("train", X, y)]
    if X_test is not None:
        splits.append(("test", X_test, y_test))
    for split, X_, y_ in splits:
        accuracy = accuracy_score(y_, estimator.predict(X_))
        assert within_rounding(row[f"{split}_acc"], accuracy, 3), split
        loss = log_loss(y_, estimator.predict_proba(X_))
        assert within_rounding(row[f"{split}_loss"], loss, 4), split


def test_demo_fit_seconds_are_the_timed_fits(quick_demo):
    proc, _, wall_seconds = quick_demo
    # The progress lines time each fit too, e.g.
    # "[1/3] xor: skmlp MLP (4, 3) logistic: 400 epochs in 1.5 s".
    progress = dict(
        re.findall(r"^\[\d/3\] (.+): \d+ epochs in ([\d.]+) s$", proc.stderr, re.M)
    )
    tables = parse_tables(proc.stdout)
    fit_seconds = {}
    for name, rows in zip(("xor", "rings", "spirals"), tables.values(), strict=True):
        for row in rows:
            label = f"{name}: {row['model']}"
            if row["hidden"] != "-":
                label += f" {row['hidden']}"
                # Hundreds of epochs or more: not done within 10 ms.
                assert row["fit_s"] >= 0.01, label
            fit_seconds[label] = row["fit_s"]
    assert fit_seconds.keys() == progress.keys()
    for label, seconds in fit_seconds.items():
        assert within_rounding(seconds, float(progress[label]), 1), label
    assert sum(fit_seconds.values()) < wall_seconds


def test_demo_prints_a_summary(quick_demo):
    stdout = quick_demo[0].stdout
    summary = stdout.split("Summary: ", 1)[1].splitlines()
    rows = {line.split()[0]: line for line in summary[3:6]}
    assert list(rows) == ["xor", "rings", "spirals"]
    for name in ("xor", "spirals"):
        *_, mlp, sk_mlp, logreg, on = rows[name].split()
        assert on == "test" and float(mlp) > float(logreg) + 0.25
    assert rows["rings"].endswith("train")
    # Each number is the last network's (or the baseline's) row of the table.
    for line, fits in zip(rows.values(), parse_tables(stdout).values(), strict=True):
        *_, mlp, sk_mlp, logreg, on = line.split()
        shown = {"skmlp MLP": mlp, "sklearn MLP": sk_mlp, "logistic regression": logreg}
        last = {row["model"]: row[f"{on}_acc"] for row in fits if row["model"] in shown}
        assert {model: float(text) for model, text in shown.items()} == last


def test_demo_rings_stops_at_the_tutorials_loss(quick_demo):
    rings = table(parse_tables(quick_demo[0].stdout), "Rings")
    mlp = rings[2]
    # Tutorial 001: full-batch GD stops once the loss is below 0.005, 100 %.
    assert mlp["model"] == "skmlp MLP, tutorial init" and mlp["train_acc"] == 1.0
    assert mlp["train_loss"] <= 0.005 and mlp["epochs"] < 20000
    assert mlp["stopped_by"] == f"loss < 0.005 at epoch {mlp['epochs']:.0f}"
    fit = json.loads((quick_demo[1] / "results.json").read_text())["rings"][2]
    assert fit["train_log_loss"] < 0.005
    assert all(row["test_acc"] is None for row in rings)  # 20 points, no test set


def test_demo_results_json_matches_the_tables(quick_demo):
    proc, out, _ = quick_demo
    results = json.loads((out / "results.json").read_text())
    tables = parse_tables(proc.stdout)
    assert list(results) == ["xor", "rings", "spirals"]
    for fits, rows in zip(results.values(), tables.values(), strict=True):
        assert [f["model"] for f in fits] == [r["model"] for r in rows]
        for fit, row in zip(fits, rows):
            assert fit["epochs"] == row["epochs"]
            assert round(fit["train_accuracy"], 3) == row["train_acc"]


def test_demo_writes_figures_that_open(quick_demo):
    _, out, _ = quick_demo
    for name in ("xor", "rings", "spirals"):
        for kind in ("boundary", "hidden_units", "loss"):
            with PIL.open(out / f"{name}_{kind}.png") as image:
                image.verify()
            with PIL.open(out / f"{name}_{kind}.png") as image:
                assert image.format == "PNG" and min(image.size) > 100
        with PIL.open(out / f"{name}_training.gif") as gif:
            assert gif.format == "GIF" and gif.n_frames > 5
            gif.seek(gif.n_frames - 1)
            gif.convert("RGB")


def test_demo_index_html_references_every_file(quick_demo):
    _, out, _ = quick_demo
    links = links_of(out / "index.html")
    files = {p.name for p in out.iterdir()} - {"index.html"}
    assert set(links) == files
    assert all((out / link).is_file() for link in links)
    text = (out / "index.html").read_text(encoding="utf-8")
    assert text.count("<table>") == 4 and "logistic regression" in text  # + summary


def test_demo_progress_is_plain_lines_when_not_a_terminal(quick_demo):
    proc, _, _ = quick_demo
    assert "\r" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert "[3/3] spirals: skmlp MLP (4,) tanh: 10000 epochs in" in proc.stderr
    assert all(line.startswith("[") for line in lines)


def test_progress_draws_a_live_bar_on_a_terminal():
    out = io.StringIO()
    progress = Progress(out, live=True)
    progress.interval = 0.0
    with progress.task("fit", total=4) as task:
        for epoch in range(1, 5):
            task.update(epoch)
        task.summary = "4 epochs"
    text = out.getvalue()
    assert text.count("\r") >= 5 and "[" + "#" * 24 + "] 4/4" in text
    assert text.split("\r")[-1].rstrip() == "fit: 4 epochs" and text.endswith("\n")


def test_demo_without_matplotlib_prints_tables_and_skips_figures(tmp_path):
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from skmlp.cli.main import main; sys.exit(main(sys.argv[1:]))"
    )
    proc = run("demo", "--tutorial", "rings", "--out", str(tmp_path), code=code)
    assert proc.returncode == 0, proc.stderr
    assert "matplotlib is not installed: figures are skipped" in proc.stderr
    assert "figures skipped" in proc.stdout
    assert table(parse_tables(proc.stdout), "Rings")[0]["train_acc"] == 1.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "results.json"]
    assert links_of(tmp_path / "index.html") == ["results.json"]


def test_run_experiment_without_progress_leaves_no_file_open():
    from skmlp.cli.demo import EXPERIMENTS, run_experiment

    rings = EXPERIMENTS["rings"]
    short = replace(rings, mlps=(replace(rings.mlps[0], max_iter=5),))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        run_experiment(short)
        gc.collect()
    leaks = [str(w.message) for w in caught if w.category is ResourceWarning]
    assert leaks == []


def test_demo_unknown_tutorial_is_one_line():
    proc = run("demo", "--tutorial", "mnist")
    assert proc.returncode == 1
    assert proc.stderr == (
        "skmlp demo: error: unknown tutorial 'mnist'; expected one of "
        "xor, moons, rings, clusters, spirals\n"
    )


# --------------------------------------------------------------------------
# skmlp compare
# --------------------------------------------------------------------------


def write_csv(path, header, rows):
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_compare_on_two_features_prints_the_table_and_the_figure(tmp_path):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_validate
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = make_spirals(300, random_state=0)
    arms = np.array(["left", "right"])[y]
    data = write_csv(
        tmp_path / "spirals.csv",
        ["x1", "x2", "arm"],
        [(f"{a:.5f}", f"{b:.5f}", c) for (a, b), c in zip(X, arms)],
    )
    out = tmp_path / "out"
    proc = run("compare", str(data), "--target", "arm", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "300 rows, 2 features, 2 classes; 5-fold stratified" in proc.stdout
    scores = {}
    for line in proc.stdout.splitlines():
        match = re.match(
            r"(skmlp MLP|sklearn MLP|logistic regression)\s+(\S+)\s+"
            r"([\d.]+) ± ([\d.]+)\s+([\d.]+) ± ([\d.]+)",
            line,
        )
        if match:
            scores[match[1]] = [float(v) for v in match.groups()[2:]]
    assert list(scores) == ["skmlp MLP", "sklearn MLP", "logistic regression"]
    assert scores["skmlp MLP"][0] > scores["logistic regression"][0] + 0.15
    assert scores["skmlp MLP"][2] < scores["logistic regression"][2]
    # The same pipelines, cross-validated by scikit-learn on the same folds.
    X_read = np.array([[float(f"{a:.5f}"), float(f"{b:.5f}")] for a, b in X])
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    models = {
        "skmlp MLP": BackpropMLPClassifier(random_state=0),
        "sklearn MLP": MLPClassifier(random_state=0),
        "logistic regression": LogisticRegression(),
    }
    for name, model in models.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            cv = cross_validate(
                make_pipeline(StandardScaler(), model),
                X_read,
                arms,
                cv=folds,
                scoring=("accuracy", "neg_log_loss"),
            )
        accuracy, loss = cv["test_accuracy"], -cv["test_neg_log_loss"]
        expected = [accuracy.mean(), accuracy.std(), loss.mean(), loss.std()]
        for shown, value in zip(scores[name], expected, strict=True):
            assert within_rounding(shown, value, 3), (name, scores[name], expected)
    with PIL.open(out / "boundary.png") as image:
        assert image.format == "PNG"
    assert "\r" not in proc.stderr and "logistic regression: 5-fold CV" in proc.stderr


def test_compare_with_three_features_and_options_writes_no_figure(tmp_path):
    X, y = make_xor(90, random_state=0)
    noise = np.random.RandomState(0).normal(size=90)
    data = write_csv(
        tmp_path / "xor.csv",
        ["a", "b", "noise", "label"],
        [(a, b, n, c) for (a, b), n, c in zip(X, noise, y)],
    )
    proc = run(
        "compare",
        str(data),
        "--target",
        "label",
        "--cv",
        "3",
        "--hidden",
        "16,8",
        "--out",
        str(tmp_path / "out"),
    )
    assert proc.returncode == 0, proc.stderr
    assert "3-fold stratified" in proc.stdout and "(16, 8)" in proc.stdout
    assert not (tmp_path / "out").exists()


BAD_INPUTS = {
    "missing file": (None, [], "no such file: '{path}'"),
    "missing target column": (
        [["a", "b", "y"], [1, 2, "x"], [3, 4, "z"]],
        [],
        "no column 'label' in '{path}'; the columns are: a, b, y",
    ),
    "non-numeric feature": (
        [["size", "colour", "label"], [1, 0.5, "x"], [2, "red", "z"]],
        [],
        "feature column 'colour' is not numeric: line 3 has 'red'",
    ),
    "one class": (
        [["a", "label"], [1, "x"], [2, "x"], [3, "x"]],
        [],
        "the target has only one class ('x' in all 3 rows)",
    ),
    "too few rows per class": (
        [["a", "label"]] + [[i, "x"] for i in range(10)] + [[1, "z"], [2, "z"]],
        [],
        "class 'z' has only 2 rows, fewer than the 5 folds of --cv 5",
    ),
}


@pytest.fixture(scope="module")
def bad_input_runs(tmp_path_factory):
    """Run every bad-input case at once, each in its own process."""
    folder = tmp_path_factory.mktemp("bad")
    procs = {}
    for k, (case, (rows, extra, _)) in enumerate(BAD_INPUTS.items()):
        path = folder / f"case{k}.csv"
        if rows is not None:
            write_csv(path, rows[0], rows[1:])
        target = rows[0][-1] if rows and case != "missing target column" else "label"
        command = [
            sys.executable,
            "-m",
            "skmlp",
            "compare",
            str(path),
            "--target",
            target,
            "--out",
            str(folder / "out"),
            *extra,
        ]
        procs[case] = (
            path,
            subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            ),
        )
    results = {}
    for case, (path, proc) in procs.items():
        stdout, stderr = proc.communicate(timeout=120)
        results[case] = (path, proc.returncode, stdout, stderr)
    return results


#: More bad input, checked in this process through the same entry point.
MORE_BAD_INPUTS = {
    "empty feature value": (
        [["size", "weight", "label"], [1, "", "x"], [2, 3, "z"]],
        [],
        "feature column 'weight' has an empty value on line 2",
    ),
    "too few rows for --cv 3": (
        [["a", "label"]] + [[i, i % 2] for i in range(6)] + [[9, 2], [8, 2]],
        ["--cv", "3"],
        "class 2 has only 2 rows, fewer than the 3 folds of --cv 3",
    ),
    "continuous target as classes": (
        [["a", "price"], [1, 0.5], [2, 1.25]],
        ["--task", "classification"],
        "target column 'price' holds non-integer numbers (e.g. '0.5'); --task "
        "classification needs class labels, not a continuous target (use --task "
        "regression, or leave --task out)",
    ),
    "text target as regression": (
        [["a", "label"], [1, "x"], [2, "z"]],
        ["--task", "regression"],
        "target column 'label' is not numeric: line 2 has 'x'; --task regression "
        "needs a number in every target cell",
    ),
    "too few rows for a regression": (
        [["a", "price"], [1, 0.5], [2, 1.25], [3, 2.5]],
        [],
        "the target has 3 rows, too few for --cv 5: each of the 5 folds needs "
        "at least 2 held-out rows for R²; add rows",
    ),
    "constant regression target": (
        [["a", "price"]] + [[i, 3] for i in range(12)],
        ["--task", "regression"],
        "the target has the same value (3) in all 12 rows; there is nothing to predict",
    ),
}


@pytest.mark.parametrize("case", list(MORE_BAD_INPUTS))
def test_compare_more_bad_input_in_process(case, tmp_path, capsys):
    from skmlp.cli.main import main

    rows, extra, expected = MORE_BAD_INPUTS[case]
    path = write_csv(tmp_path / "data.csv", rows[0], rows[1:])
    status = main(["compare", str(path), "--target", rows[0][-1], *extra])
    captured = capsys.readouterr()
    assert status == 1 and captured.out == ""
    assert captured.err.startswith("skmlp compare: error: " + expected)
    assert captured.err.count("\n") == 1


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_compare_bad_input_is_one_clear_line(case, bad_input_runs):
    path, _, stdout, stderr = bad_input_runs[case]
    expected = BAD_INPUTS[case][2].format(path=path)
    assert stderr.startswith("skmlp compare: error: " + expected), stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert stdout == ""


def test_compare_bad_input_exits_with_status_1(bad_input_runs):
    codes = {case: run_[1] for case, run_ in bad_input_runs.items()}
    assert set(codes.values()) == {1}, codes


def test_main_from_python_leaves_pyplot_alone(tmp_path):
    # The app draws on Agg figures outside pyplot: a session that calls main()
    # keeps its backend and its open figures, and gets no new ones.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    rows = [[f"{a:.4f}", f"{b:.4f}", int(a + b > 0)] for a, b in X]
    path = write_csv(tmp_path / "data.csv", ["a", "b", "y"], rows)
    code = f"""
import matplotlib
matplotlib.use("svg")
import matplotlib.pyplot as plt
plt.figure()
from skmlp.cli.main import main
assert main(["compare", {str(path)!r}, "--target", "y", "--cv", "3",
             "--max-iter", "20", "--out", {str(tmp_path / "cmp")!r}]) == 0
assert main(["demo", "--quick", "--tutorial", "xor",
             "--out", {str(tmp_path / "demo")!r}]) == 0
print(matplotlib.get_backend(), plt.get_fignums())
"""
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "svg [1]"
    assert (tmp_path / "cmp" / "boundary.png").stat().st_size > 1000
    pngs = sorted(p.name for p in (tmp_path / "demo").glob("*.png"))
    gifs = sorted(p.name for p in (tmp_path / "demo").glob("*.gif"))
    assert any("units" in name for name in pngs) and gifs, (pngs, gifs)
