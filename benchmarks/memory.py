"""Peak memory of one fit or one prediction, measured in a fresh process.

``python benchmarks/memory.py WORKLOAD SYSTEM {fit,predict} ROWS`` prints one JSON
line. A prediction is ``predict_proba`` for a classifier and ``predict`` for a
regressor. The data is made first; then the peak resident set size (Linux ``VmHWM``)
is reset through ``/proc/self/clear_refs``, the call runs, and the new peak
minus the resident size just before the call is the call's own memory: its
output plus whatever work arrays it allocates. ``tracemalloc`` gives the same
for NumPy's allocations alone (the ``traced_*`` fields). A fresh process per
measurement keeps one measurement's peak out of the next.
"""

import json
import sys
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workloads import WORKLOADS  # noqa: E402

MB = 1 << 20


def _status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(field)


def _reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def measure(label, system, what, rows):
    """Memory of ``what`` ("fit" or "predict") in bytes, as a dict."""
    workload = WORKLOADS[label]
    X_train, X_test, y_train, _ = workload.make_data()
    # One epoch: memory does not depend on the number of epochs.
    model = workload.estimator(system, workload.settings(max_iter=1))
    if what == "predict":
        model.fit(X_train, y_train)
        reps = -(-rows // X_test.shape[0])
        X = np.tile(X_test, (reps, 1))[:rows].copy()
        predict = getattr(model, workload.task.predict)
        call = lambda: predict(X)  # noqa: E731
    else:
        X = X_train
        rows = X.shape[0]
        call = lambda: model.fit(X_train, y_train)  # noqa: E731
    before = _status("VmRSS")
    exact = _reset_peak()
    result = call()
    peak = _status("VmHWM") if exact else None
    out_bytes = result.nbytes if what == "predict" else 0
    del result
    tracemalloc.start()
    call()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "workload": label,
        "system": system,
        "what": what,
        "rows": rows,
        "data_bytes": int(X.nbytes),
        "output_bytes": int(out_bytes),
        "rss_before": before,
        "rss_peak_extra": None if peak is None else peak - before,
        "traced_peak": traced_peak,
    }


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    label, system, what, rows = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    print(json.dumps(measure(label, system, what, rows)))
