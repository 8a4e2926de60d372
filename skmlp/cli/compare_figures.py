"""``skmlp compare``'s figures: decision boundaries and out-of-fold predictions.

Both are skipped, with a message, when matplotlib is not installed.
"""

import os
import warnings

import numpy as np


def _no_matplotlib(figure):
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return (
            f"{figure} figure skipped: matplotlib is not installed "
            "(pip install 'skmlp[plot]')"
        )
    return None


def prediction_figure(y, scores, out, progress):
    """Out-of-fold predictions against the true targets, one panel per model."""
    skipped = _no_matplotlib("Prediction")
    if skipped:
        return skipped
    from .demo_figures import agg_figure

    with progress.task("prediction figure") as task:
        fig = agg_figure(3.6 * len(scores), 3.9, dpi=100)
        axes = fig.subplots(1, len(scores), sharex=True, sharey=True)
        values = np.concatenate([y] + [s["predictions"] for s in scores])
        lo, hi = values.min(), values.max()
        lo, hi = lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)
        for ax, s in zip(np.ravel(axes), scores):
            ax.plot([lo, hi], [lo, hi], color="0.3", linestyle="--", lw=1)
            ax.scatter(s["predictions"], y, s=12, alpha=0.5, edgecolors="none")
            ax.set(xlim=(lo, hi), ylim=(lo, hi))
            ax.set_title(f"{s['model']}: CV R² {np.mean(s['r2']):.3f}", fontsize=10)
            ax.set_xlabel("out-of-fold prediction")
        np.ravel(axes)[0].set_ylabel("true target")
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, "predictions.png")
        fig.savefig(path, dpi=100)
        task.summary = f"wrote {path}"
    return f"Wrote {path} (each row's out-of-fold prediction against its target)"


def boundary_figure(X, y, names, scores, out, progress):
    skipped = _no_matplotlib("Boundary")
    if skipped:
        return skipped
    from sklearn.base import clone

    from .demo_figures import boundary_comparison

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
