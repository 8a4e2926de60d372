"""What dropout costs: W3 fitted with dropout=0.2 beside dropout=0, paired.

Both fits do the same epochs on the same data (``tol=0``); the ratio of the two
times, taken round by round, is dropout's cost: drawing a mask per step and
hidden layer, applying it forwards and backwards, and measuring the whole
network's loss once per epoch (the loss reported and stopped on). scikit-learn
has no dropout; its W3 time is printed for scale.

    python benchmarks/dropout.py            # 7 rounds
    python benchmarks/dropout.py --reps 3
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
from workloads import get_workloads  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--rate", type=float, default=0.2)
    args = parser.parse_args(argv)

    from sklearn.neural_network import MLPClassifier

    from skmlp import BackpropMLPClassifier

    workload = next(w for w in get_workloads() if w.label == "W3 float64")
    X, X_test, y, y_test = workload.make_data()
    settings = workload.settings()
    fits = {
        "skmlp dropout=0": lambda: BackpropMLPClassifier(**settings),
        f"skmlp dropout={args.rate}": lambda: BackpropMLPClassifier(
            **settings, dropout=args.rate
        ),
        "sklearn": lambda: MLPClassifier(**settings),
    }
    times = {name: [] for name in fits}
    scores = {}
    names = list(fits)
    for rnd in range(1 + args.reps):
        for name in names if rnd % 2 else names[::-1]:
            start = time.perf_counter()
            model = fits[name]().fit(X, y)
            if rnd:
                times[name].append(time.perf_counter() - start)
            scores[name] = model.score(X_test, y_test)
    plain, dropped = times[names[0]], times[names[1]]
    ratios = [d / p for d, p in zip(dropped, plain)]
    print(f"W3 float64, {settings['max_iter']} epochs, {args.reps} rounds")
    print("| fit | median s (min-max) | test accuracy |")
    print("|---|---|---|")
    for name in names:
        t = times[name]
        print(
            f"| {name} | {statistics.median(t):.3g} ({min(t):.3g}-{max(t):.3g}) "
            f"| {scores[name]:.4f} |"
        )
    print(
        f"\ndropout={args.rate} / dropout=0, median of rounds: "
        f"{statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})"
    )
    print(f"NumPy {np.__version__}")


if __name__ == "__main__":
    main()
