"""W2's floor: the same NumPy calls as skmlp's training step, written out flat.

W2 is 2,000 full-batch gradient-descent steps of a 2-4-1 tanh network on 800
points. Every array in it is at most 800 x 4, so each NumPy call costs about its
fixed per-call overhead, and the time of a step is mostly the number of calls.
This script runs the NumPy calls of skmlp's step (the same operations in the
same order, so the same bits as scikit-learn: it checks that its final weights
equal both libraries') as one flat loop with no classes, callbacks or checks,
and times it beside skmlp's and scikit-learn's ``fit``. The flat loop is what
pure NumPy can do at scikit-learn's rounding; skmlp's time over it is the cost
of its structure.

Usage::

    python benchmarks/floor_w2.py [--reps 5]
"""

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.special import expit
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workloads import get_workloads  # noqa: E402

from skmlp import BackpropMLPClassifier  # noqa: E402
from skmlp.layers import _einsum as c_einsum  # noqa: E402  (einsum, unwrapped)


def flat_fit(X, y, settings):
    """skmlp's W2 training as one flat loop; returns (loss curve, weights)."""
    # The same start as skmlp's fit: weights and random stream (private helper).
    clf = BackpropMLPClassifier(**settings)
    net, X, Y, _, _, rng = clf._prepare(X, y, None, incremental=False)
    params, grads = net.params, net.grads
    (W1, W2), (b1, b2) = net.coefs, net.intercepts
    (gW1, gW2), (gb1, gb2) = (
        [L.grad_W for L in net.layers],
        [L.grad_b for L in net.layers],
    )
    n, alpha, lr = X.shape[0], float(clf.alpha), float(clf.learning_rate_init)
    n_coef = net.n_coef_params
    coef, coef_grad, coef_work = params[:n_coef], grads[:n_coef], np.empty(n_coef)
    order = np.arange(n)
    Xs, Ys = np.empty_like(X), np.empty_like(Y)
    Z1, Z2 = np.empty((n, 4)), np.empty((n, 1))
    d1, d2, work = np.empty((n, 4)), np.empty((n, 1)), np.empty((n, 4))
    s2, w2 = np.empty((n, 1)), np.empty((n, 1))
    scaled = np.empty_like(params)
    Xs_T, Z1_T, W2_T = Xs.T, Z1.T, W2.T
    # The bias of the 4 hidden units added as 32 rows of 25 copies (see
    # skmlp.layers._bias_adder): the same sums, in 57 inner loops, not 800.
    tile = np.empty((25, 4))
    tile_row, Z1_blocks = tile.reshape(-1), Z1.reshape(32, 100)
    dot, add, mul = np.dot, np.add, np.multiply
    curve = []
    for _ in range(clf.max_iter):
        rng.shuffle(order)
        X.take(order, axis=0, out=Xs, mode="clip")
        Y.take(order, axis=0, out=Ys, mode="clip")
        dot(Xs, W1, out=Z1)
        tile[...] = b1
        add(Z1_blocks, tile_row, out=Z1_blocks)
        np.tanh(Z1, out=Z1)  # A1 over Z1, as skmlp and scikit-learn do
        dot(Z1, W2, out=Z2)
        add(Z2, b2, out=Z2)
        # Loss: log1p(exp(-|z|)) + (max(z, 0) - y z), as skmlp computes it.
        np.maximum(Z2, 0, out=w2)
        np.subtract(w2, mul(Ys, Z2, out=s2), out=w2)
        np.abs(Z2, out=s2)
        np.negative(s2, out=s2)
        np.exp(s2, out=s2)
        np.log1p(s2, out=s2)
        add(s2, w2, out=s2)
        total = float(np.add.reduce(s2[:, 0]))
        expit(Z2, out=d2)
        np.subtract(d2, Ys, out=d2)
        dot(Z1_T, d2, out=gW2)
        np.add.reduce(d2, axis=0, out=gb2)
        mul(d2, W2_T, out=d1, order="F")  # the outer product, column by column
        np.square(Z1, out=work)
        np.subtract(1.0, work, out=work)
        mul(d1, work, out=d1)
        dot(Xs_T, d1, out=gW1)
        c_einsum("ij->j", d1, out=gb1)
        add(coef_grad, mul(coef, alpha, out=coef_work), out=coef_grad)
        penalty = 0.5 * alpha * float(np.dot(coef, coef))
        grads /= n
        np.subtract(params, mul(grads, lr, out=scaled), out=params)
        curve.append(total / n + penalty / n)
    return curve, params.copy()


def _curve_and_weights(model):
    parts = [*model.coefs_, *model.intercepts_]
    return model.loss_curve_, np.concatenate([p.ravel() for p in parts])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5, help="timed rounds")
    args = parser.parse_args(argv)
    workload = next(w for w in get_workloads() if w.label == "W2 float64")
    X, _, y, _ = workload.make_data()
    settings = workload.settings()
    clf = BackpropMLPClassifier(**settings)
    assert clf.solver == "sgd" and clf.momentum == 0 and clf.batch_size >= len(X)
    systems = {
        "flat NumPy loop": lambda: flat_fit(X, y, settings),
        "skmlp": lambda: _curve_and_weights(
            BackpropMLPClassifier(**settings).fit(X, y)
        ),
        "sklearn": lambda: _curve_and_weights(MLPClassifier(**settings).fit(X, y)),
    }
    times = {name: [] for name in systems}
    finals = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for rnd in range(1 + args.reps):
            for name, fit in systems.items() if rnd % 2 else reversed(systems.items()):
                start = time.perf_counter()
                finals[name] = fit()
                if rnd:
                    times[name].append(time.perf_counter() - start)
    weights = {name: w for name, (_, w) in finals.items()}
    if not all(np.array_equal(w, weights["sklearn"]) for w in weights.values()):
        raise AssertionError("the three fits end on different weights")
    losses = {name: curve[-1] for name, (curve, _) in finals.items()}
    # The loss is reported, not trained on; skmlp computes it without
    # scikit-learn's clipping, so the two may differ in the last digits.
    if not np.allclose(list(losses.values()), losses["sklearn"], rtol=1e-12):
        raise AssertionError(f"the final losses differ: {losses}")
    steps = settings["max_iter"]
    print(
        f"W2: {steps} steps; the same final weights in all three, final loss "
        f"{float(losses['skmlp'])!r} (scikit-learn {float(losses['sklearn'])!r})\n"
    )
    print("| system | µs per step, median (min-max) | ratio to sklearn, per round |")
    print("|---|---|---|")
    for name, values in times.items():
        per_step = [v / steps * 1e6 for v in values]
        ratios = [a / b for a, b in zip(values, times["sklearn"])]
        print(
            f"| {name} | {statistics.median(per_step):.1f} "
            f"({min(per_step):.1f}-{max(per_step):.1f}) | "
            f"{statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f}) |"
        )


if __name__ == "__main__":
    main()
