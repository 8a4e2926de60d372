"""skmlp against scikit-learn's MLPClassifier and MLPRegressor, side by side.

Usage::

    python benchmarks/run.py            # every workload (about 20 minutes)
    python benchmarks/run.py --quick    # fewer epochs and rows (a few minutes)
    python benchmarks/run.py --only W1 "W4 float32" --readme
    python benchmarks/run.py --task regression --no-predict --no-memory

W1-W4 compare ``BackpropMLPClassifier`` with ``MLPClassifier``, R1-R4 (their
regression counterparts) ``BackpropMLPRegressor`` with ``MLPRegressor``;
``--task`` keeps one of the two. Each workload fits skmlp and scikit-learn
(and, for classification, PyTorch when it is importable) with the same data
and settings and a fixed amount of work (``tol=0``,
``n_iter_no_change=max_iter``, no early stopping). The systems are interleaved
in one process: a warm-up round, then ``--reps`` rounds, each fitting every
system once (in reverse order every other round), so that a slow spell of a
shared machine hits all of them; ratios are taken round by round. The
round also times the workload's matrix products alone (the GEMM limit, see
``gemm.py``). Prediction times ``predict_proba`` (classifiers) or ``predict``
(regressors) on many rows; memory is measured in a fresh process per
measurement (``memory.py``). The final training losses of skmlp and
scikit-learn are compared: in float64 they must agree (to 1e-8, relative), or
the run warns and the table says so.

The tables are printed as Markdown; ``--readme`` also writes them into
``benchmarks/README.md`` under "Latest results".
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gemm import step_flops, time_step_products  # noqa: E402
from workloads import (  # noqa: E402
    CLASSIFICATION,
    QUICK_ITERS,
    TASKS,
    WORKLOADS,
    get_workloads,
)

# The targets: skmlp / sklearn time, and skmlp / GEMM limit.
TARGET_RATIO = {
    "W1 float64": 0.30,
    "W2 float64": 0.25,
    "W3 float64": 0.40,
    "W3 float32": 0.40,
    "W4 float64": 0.80,
    "W4 float32": 0.60,
    "R1 float64": 0.30,
    "R2 float64": 0.25,
    "R3 float64": 0.40,
    "R3 float32": 0.40,
    "R4 float64": 0.80,
}
TARGET_GEMM = {"W4 float64": 1.5, "W4 float32": 1.8}
# Issue 20's targets for the compiled engine (engine="numba"): its time over
# scikit-learn's.
TARGET_NUMBA = {
    "W1 float64": 0.03,
    "W2 float64": 0.10,
    "W3 float64": 0.20,
    "W3 float32": 0.12,
    "W4 float64": 0.60,
    "W4 float32": 0.40,
}
PREDICT_WORKLOADS = ("W3", "W4", "R3", "R4")
# skmlp's float64 training is scikit-learn's, bit for bit up to the order of a
# few sums: final losses further apart than this mean the two did not do the
# same work, and the timing comparison is not a fair one.
LOSS_RTOL_FLOAT64 = 1e-8


# -- systems ---------------------------------------------------------------------


def _fitter(task, system):
    """fit(settings, X, y) of ``system``'s estimator for ``task``.

    ``"skmlp-numba"`` is skmlp with ``engine="numba"``, the compiled engine.
    """
    if system == NUMBA:
        estimator = task.estimator_class("skmlp")

        def fit(settings, X, y):
            return estimator(**settings, engine="numba").fit(X, y)

        return fit
    estimator = task.estimator_class(system)

    def fit(settings, X, y):
        return estimator(**settings).fit(X, y)

    return fit


NUMBA = "skmlp-numba"


def numba_available():
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


_COLD_COMPILE = """
import sys, time, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, {here!r})
from workloads import WORKLOADS
workload = WORKLOADS[{label!r}]
X, _, y, _ = workload.make_data()
settings = workload.settings(1)
cls = workload.task.estimator_class("skmlp")
import numba  # imported before the clock starts, as skmlp imports it lazily
times = []
for engine in ("numba", "numba", "numpy"):
    start = time.perf_counter()
    cls(**settings, engine=engine).fit(X, y)
    times.append(time.perf_counter() - start)
print(times[0] - times[1])
"""


def cold_compile_seconds(label):
    """The compiled engine's first fit of ``label`` on a machine without its
    cache (a fresh ``NUMBA_CACHE_DIR``), less a second fit: the compile time."""
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        out = subprocess.run(
            [sys.executable, "-c", _COLD_COMPILE.format(here=str(HERE), label=label)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "NUMBA_CACHE_DIR": cache},
        )
    return float(out.stdout.strip().splitlines()[-1])


class _TorchModel:
    """A PyTorch MLP trained with the same architecture, optimiser and batches.

    Its initial weights are PyTorch's own, so its loss is close to, not equal to,
    the others'; its time is what it is compared on.
    """

    def __init__(self, settings, X, y):
        import torch

        self.torch = torch
        self.classes_ = np.unique(y)
        dtype = torch.float64 if X.dtype == np.float64 else torch.float32
        sizes = [X.shape[1], *settings["hidden_layer_sizes"], len(self.classes_)]
        act = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}.get(
            settings["activation"], torch.nn.Sigmoid
        )
        layers = []
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(torch.nn.Linear(a, b, dtype=dtype))
            if i < len(sizes) - 2:
                layers.append(act())
        self.net = torch.nn.Sequential(*layers)
        lr = settings.get("learning_rate_init", 0.001)
        if settings["solver"] == "sgd":
            opt = torch.optim.SGD(
                self.net.parameters(), lr=lr, momentum=settings.get("momentum", 0.9)
            )
        else:
            opt = torch.optim.Adam(self.net.parameters(), lr=lr)
        Xt = torch.from_numpy(X)
        yt = torch.from_numpy(np.searchsorted(self.classes_, y))
        n, size = X.shape[0], min(settings["batch_size"], X.shape[0])
        g = torch.Generator().manual_seed(0)
        loss_fn = torch.nn.CrossEntropyLoss()
        for _ in range(settings["max_iter"]):
            order = torch.randperm(n, generator=g)
            total = 0.0
            for start in range(0, n, size):
                idx = order[start : start + size]
                opt.zero_grad()
                loss = loss_fn(self.net(Xt[idx]), yt[idx])
                loss.backward()
                opt.step()
                total += loss.item() * len(idx)
            self.loss_ = total / n

    def score(self, X, y):
        with self.torch.no_grad():
            logits = self.net(self.torch.from_numpy(X)).numpy()
        return float(np.mean(self.classes_[logits.argmax(axis=1)] == y))

    def predict_proba(self, X):
        with self.torch.no_grad():
            logits = self.net(self.torch.from_numpy(X))
            return self.torch.softmax(logits, dim=1).numpy()


def _fit_torch(settings, X, y):
    return _TorchModel(settings, X, y)


def systems(task=CLASSIFICATION):
    """(name, fit function) of every system available here for ``task``."""
    found = [(name, _fitter(task, name)) for name in ("skmlp", "sklearn")]
    if numba_available():
        found.append((NUMBA, _fitter(task, NUMBA)))
    if task is not CLASSIFICATION:  # the PyTorch model is a classifier
        return found
    try:
        import torch  # noqa: F401
    except ImportError:
        pass
    else:
        found.append(("torch", _fit_torch))
    return found


# -- measurements -------------------------------------------------------------------


def _batches_per_epoch(workload, n):
    return sum(count for _, count in workload.batch_sizes(n))


def bench_fit(workload, reps, quick):
    """Interleaved fits of every system, and the GEMM limit, for one workload."""
    X_train, X_test, y_train, y_test = workload.make_data()
    iters = QUICK_ITERS[workload.name] if quick else None
    settings = workload.settings(iters)
    units = workload.layer_units(X_train.shape[1], workload.task.n_outputs(y_train))
    epochs = settings["max_iter"]
    batch_shapes = workload.batch_sizes(X_train.shape[0])
    n_batches = _batches_per_epoch(workload, X_train.shape[0]) * epochs
    found = systems(workload.task)
    times = {name: [] for name, _ in found}
    first_fit = {}
    models = {}
    gemm_times = []
    steps_timed = max(1, min(50, n_batches))
    for rnd in range(1 + reps):
        # Every other round runs the systems in reverse order, so that none of
        # them always follows the same one (and inherits its caches and heat).
        for name, fit in found if rnd % 2 else found[::-1]:
            start = time.perf_counter()
            model = fit(settings, X_train, y_train)
            elapsed = time.perf_counter() - start
            if rnd:
                times[name].append(elapsed)
            else:
                first_fit[name] = elapsed
            models[name] = model
        per_epoch = sum(
            count * time_step_products(units, rows, workload.dtype, steps_timed)
            for rows, count in batch_shapes
        )
        if rnd:
            gemm_times.append(per_epoch * epochs)
    flops = epochs * sum(
        count * step_flops(units, rows) for rows, count in batch_shapes
    )
    gemm = statistics.median(gemm_times)
    losses = {name: float(m.loss_) for name, m in models.items()}
    if not losses_agree(workload, losses):
        print(
            f"WARNING {workload.label}: final losses differ, skmlp "
            f"{losses['skmlp']!r}, sklearn {losses['sklearn']!r}",
            file=sys.stderr,
            flush=True,
        )
    return {
        "gemm_times": gemm_times,
        "workload": workload,
        "epochs": epochs,
        "n_batches": n_batches,
        "times": times,
        "first_fit": first_fit,
        "losses": losses,
        "scores": {name: float(m.score(X_test, y_test)) for name, m in models.items()},
        "gemm_seconds": gemm,
        "gemm_gflops": flops / gemm / 1e9,
        "models": models,
        "X_test": X_test,
    }


def bench_predict(result, rows, reps):
    """Interleaved predictions of the fitted models on ``rows`` rows.

    ``predict_proba`` for classifiers, ``predict`` for regressors.
    """
    X_test = result["X_test"]
    X = np.tile(X_test, (-(-rows // X_test.shape[0]), 1))[:rows].copy()
    times = {name: [] for name in result["models"] if name != NUMBA}
    method = result["workload"].task.predict
    models = [
        (name, getattr(m, method))
        for name, m in result["models"].items()
        if name != NUMBA  # predicts with NumPy, as skmlp does
    ]
    for rnd in range(1 + reps):
        for name, predict in models if rnd % 2 else models[::-1]:
            start = time.perf_counter()
            predict(X)
            elapsed = time.perf_counter() - start
            if rnd:
                times[name].append(elapsed)
    return {"workload": result["workload"], "rows": rows, "times": times}


def bench_memory(label, system, what, rows):
    """One memory measurement, in a fresh Python process."""
    out = subprocess.run(
        [sys.executable, str(HERE / "memory.py"), label, system, what, str(rows)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- report -------------------------------------------------------------------------


def relative_difference(a, b):
    return abs(a - b) / abs(b) if b else abs(a - b)


def losses_agree(workload, losses):
    """Whether skmlp's and scikit-learn's final losses agree (float64 only:
    float32 trajectories drift apart, see the README)."""
    if np.dtype(workload.dtype) != np.float64:
        return True
    rel = relative_difference(losses["skmlp"], losses["sklearn"])
    return rel <= LOSS_RTOL_FLOAT64


def _median_range(values):
    return f"{statistics.median(values):.3g} ({min(values):.3g}-{max(values):.3g})"


def paired_ratios(numerators, denominators):
    """Round-by-round ratios: each pair was timed minutes apart at most.

    The machine's speed drifts from minute to minute on a shared host; a ratio
    of two times taken in the same round cancels most of that drift, where a
    ratio of medians taken over all rounds does not.
    """
    return [a / b for a, b in zip(numerators, denominators)]


def _ratio_cell(ratios, target, suffix=""):
    med = statistics.median(ratios)
    cell = f"{med:.3f}{suffix} ({min(ratios):.3f}-{max(ratios):.3f})"
    if target:
        cell += f" {'≤' if med <= target else 'MISSED ≤'} {target:g}{suffix}"
    return cell


def _fit_table(results):
    torch = any("torch" in r["times"] for r in results)
    head = [
        "workload",
        "epochs",
        "skmlp s, median (min-max)",
        "sklearn s, median (min-max)",
        "ratio skmlp/sklearn, median of rounds (range), target",
        "skmlp µs/batch",
        "sklearn µs/batch",
        "GEMM limit s (GFLOP/s)",
        "skmlp / GEMM limit, median of rounds (range), target",
        "sklearn / GEMM limit",
    ]
    if torch:
        head[4:4] = ["torch s, median (min-max)", "ratio torch/sklearn"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        label = r["workload"].label
        med = {name: statistics.median(t) for name, t in r["times"].items()}
        times = r["times"]
        ratio_cell = _ratio_cell(
            paired_ratios(times["skmlp"], times["sklearn"]), TARGET_RATIO.get(label)
        )
        gemm, gemm_rounds = r["gemm_seconds"], r["gemm_times"]
        over_cell = _ratio_cell(
            paired_ratios(times["skmlp"], gemm_rounds),
            TARGET_GEMM.get(label),
            "x",
        )
        row = [
            label,
            str(r["epochs"]),
            _median_range(r["times"]["skmlp"]),
            _median_range(r["times"]["sklearn"]),
            ratio_cell,
            f"{med['skmlp'] / r['n_batches'] * 1e6:.1f}",
            f"{med['sklearn'] / r['n_batches'] * 1e6:.1f}",
            f"{gemm:.3g} ({r['gemm_gflops']:.1f})",
            over_cell,
            f"{statistics.median(paired_ratios(times['sklearn'], gemm_rounds)):.2f}x",
        ]
        if torch:
            t = r["times"].get("torch")
            row[4:4] = (
                [
                    _median_range(t),
                    f"{statistics.median(paired_ratios(t, times['sklearn'])):.2f}",
                ]
                if t
                else ["n/a", "n/a"]
            )
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _numba_table(results):
    """The compiled engine against scikit-learn and against the NumPy engine."""
    head = [
        "workload",
        "numba s, median (min-max)",
        "ratio numba/sklearn, median of rounds (range), target",
        "ratio numba/NumPy engine, median of rounds (range)",
        "numba µs/batch",
        "numba / GEMM limit",
        "first fit in the process s (cache on disk)",
        "cold compile s (empty cache)",
        "final loss, numba vs NumPy engine (relative)",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        times = r["times"]
        if NUMBA not in times:
            continue
        label = r["workload"].label
        numba_times = times[NUMBA]
        losses = r["losses"]
        cold = r.get("cold_compile")
        row = [
            label,
            _median_range(numba_times),
            _ratio_cell(
                paired_ratios(numba_times, times["sklearn"]), TARGET_NUMBA.get(label)
            ),
            _ratio_cell(paired_ratios(numba_times, times["skmlp"]), None),
            f"{statistics.median(numba_times) / r['n_batches'] * 1e6:.1f}",
            _ratio_cell(paired_ratios(numba_times, r["gemm_times"]), None, "x"),
            f"{r['first_fit'][NUMBA]:.3g}",
            "not measured" if cold is None else f"{cold:.3g}",
            f"{relative_difference(losses[NUMBA], losses['skmlp']):.1e}",
        ]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _score_name(results):
    """What the test-score columns hold: accuracy, R², or both by task."""
    names = {r["workload"].task.score for r in results}
    if len(names) == 1:
        return names.pop()
    return " / ".join(t.score for t in TASKS.values())


def _agreement_table(results):
    score = _score_name(results)
    head = [
        "workload",
        "final loss skmlp",
        "final loss sklearn",
        "relative difference",
        f"test {score} skmlp",
        f"test {score} sklearn",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        a, b = r["losses"]["skmlp"], r["losses"]["sklearn"]
        rel = f"{relative_difference(a, b):.1e}"
        if not losses_agree(r["workload"], r["losses"]):
            rel += " **DIFFER**"
        lines.append(
            f"| {r['workload'].label} | {a:.10f} | {b:.10f} | {rel} | "
            f"{r['scores']['skmlp']:.4f} | {r['scores']['sklearn']:.4f} |"
        )
    return "\n".join(lines)


def _predict_table(predictions):
    head = ["model", "rows", "skmlp s", "sklearn s", "ratio skmlp/sklearn"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for p in predictions:
        ratios = paired_ratios(p["times"]["skmlp"], p["times"]["sklearn"])
        lines.append(
            f"| {p['workload'].label} | {p['rows']:,} | "
            f"{_median_range(p['times']['skmlp'])} | "
            f"{_median_range(p['times']['sklearn'])} | "
            f"{statistics.median(ratios):.2f} |"
        )
    return "\n".join(lines)


def _mb(n):
    return "n/a" if n is None else f"{n / (1 << 20):.0f}"


def _memory_table(memory):
    head = [
        "workload",
        "call",
        "rows",
        "data MB",
        "output MB",
        "skmlp extra RSS MB (NumPy-traced)",
        "sklearn extra RSS MB (NumPy-traced)",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    keys = sorted({(m["workload"], m["what"], m["rows"]) for m in memory})
    for label, what, rows in keys:
        cells = {}
        for m in memory:
            if (m["workload"], m["what"], m["rows"]) == (label, what, rows):
                cells[m["system"]] = m
        any_m = next(iter(cells.values()))
        row = [
            label,
            "fit" if what == "fit" else WORKLOADS[label].task.predict,
            f"{rows:,}",
            _mb(any_m["data_bytes"]),
            _mb(any_m["output_bytes"]) if what == "predict" else "-",
        ]
        for system in ("skmlp", "sklearn"):
            m = cells.get(system)
            row.append(
                "n/a"
                if m is None
                else f"{_mb(m['rss_peak_extra'])} ({_mb(m['traced_peak'])})"
            )
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def machine():
    """CPU, cores, Python, NumPy and BLAS of this machine, as Markdown bullets."""
    import sklearn
    from threadpoolctl import threadpool_info

    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    blas = [
        f"{i.get('internal_api')} {i.get('version')} ({i.get('num_threads')} threads"
        + (f", {i['architecture']}" if i.get("architecture") else "")
        + ")"
        for i in threadpool_info()
        if i.get("user_api") == "blas" and "numpy" in i.get("filepath", "")
    ]
    return "\n".join(
        [
            f"- CPU: {cpu}, {os.cpu_count()} logical cores",
            f"- Python {platform.python_version()}, NumPy {np.__version__}, "
            f"scikit-learn {sklearn.__version__}",
            f"- NumPy's BLAS: {', '.join(blas) or 'unknown'}",
        ]
    )


def report(results, predictions, memory, args):
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    mode = "--quick" if args.quick else "full run"
    parts = [
        f"Run of {when} ({mode}, {args.reps} rounds after a warm-up).",
        "",
        machine(),
        "",
        "### Training",
        "",
        _fit_table(results),
        "",
        "### Same work, same result",
        "",
        _agreement_table(results),
    ]
    if any(NUMBA in r["times"] for r in results):
        parts += [
            "",
            "### The compiled engine",
            "",
            'skmlp with `engine="numba"`, timed in the same rounds. The first fit '
            "in the process loads the compiled code from numba's disk cache; the "
            "cold compile is the first fit's extra time in a fresh process with "
            "an empty cache (a new machine).",
            "",
            _numba_table(results),
        ]
    if predictions:
        parts += ["", "### Prediction", "", _predict_table(predictions)]
    if memory:
        parts += [
            "",
            "### Peak memory",
            "",
            "Memory of the call itself: peak resident size during the call minus "
            "the resident size before it (NumPy's own allocations, from "
            "tracemalloc, in brackets).",
            "",
            _memory_table(memory),
        ]
    return "\n".join(parts) + "\n"


def write_readme(text, path=HERE / "README.md"):
    """Replace the "Latest results" section of the README with ``text``."""
    heading = "## Latest results"
    readme = path.read_text()
    start = readme.index(heading) + len(heading)
    end = readme.find("\n## ", start)
    end = len(readme) if end < 0 else end + 1
    path.write_text(readme[:start] + "\n\n" + text + "\n" + readme[end:])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs and rows")
    parser.add_argument("--reps", type=int, default=7, help="timed rounds (>= 3)")
    parser.add_argument("--only", nargs="*", help="workload names or labels")
    parser.add_argument(
        "--task", choices=sorted(TASKS), help="only classification or regression"
    )
    parser.add_argument("--no-predict", action="store_true")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--readme", action="store_true", help="update README.md")
    parser.add_argument(
        "--no-compile",
        action="store_true",
        help="skip the compiled engine's cold compile times (a fresh process each)",
    )
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    predict_rows = 200_000 if args.quick else 1_000_000
    results, predictions, memory = [], [], []
    # Three phases, so that no measurement disturbs a later one: every fit
    # first, then the predictions (scikit-learn's allocate gigabytes), then the
    # memory measurements (fresh processes that allocate and free gigabytes,
    # after which the host's kernel may be busy reclaiming memory).
    workloads = get_workloads(args.only, args.task)
    if not workloads:
        parser.error("no workload matches --only and --task")
    for workload in workloads:
        print(f"fitting {workload.label} ...", file=sys.stderr, flush=True)
        results.append(bench_fit(workload, args.reps, args.quick))
        if NUMBA in results[-1]["times"] and not args.no_compile:
            print(f"cold compile {workload.label} ...", file=sys.stderr, flush=True)
            results[-1]["cold_compile"] = cold_compile_seconds(workload.label)
    for result in results:
        workload = result["workload"]
        if workload.name in PREDICT_WORKLOADS and not args.no_predict:
            print(f"predicting {workload.label} ...", file=sys.stderr, flush=True)
            predictions.append(bench_predict(result, predict_rows, args.reps))
        result.pop("models")
    for result in results:
        workload = result["workload"]
        if workload.name not in PREDICT_WORKLOADS or args.no_memory:
            continue
        if args.quick and workload.dtype != np.float64:
            continue
        print(f"memory {workload.label} ...", file=sys.stderr, flush=True)
        for system in ("skmlp", "sklearn"):
            memory.append(bench_memory(workload.label, system, "fit", 0))
            for rows in (predict_rows // 4, predict_rows):
                memory.append(bench_memory(workload.label, system, "predict", rows))
    text = report(results, predictions, memory, args)
    print(text)
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()
