"""The one timed fit and the classification scores of ``demo`` and ``compare``.

Both commands time ``fit`` alone (not the scoring), report non-convergence as
data rather than as a warning on the terminal, and score classifiers by
accuracy and log-loss over the same label set.

Examples
--------
>>> from sklearn.linear_model import LogisticRegression
>>> from skmlp.cli.fitting import classification_scores, timed_fit
>>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
>>> model = LogisticRegression()
>>> seconds, converged = timed_fit(model, X, y)
>>> converged, seconds >= 0
(True, True)
>>> classification_scores(model, X, y)["accuracy"]
1.0
"""

import time
import warnings

import numpy as np

__all__ = ["timed_fit", "classification_scores"]


def timed_fit(model, X, y):
    """Fit ``model``; its seconds, and whether it converged.

    A ConvergenceWarning marks the fit as not converged and is not shown;
    any other warning is passed on.

    Parameters
    ----------
    model : estimator
        Fitted in place.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)

    Returns
    -------
    seconds : float
        Wall time of ``model.fit`` alone.
    converged : bool
        False when the fit warned that it did not converge.

    Examples
    --------
    >>> from sklearn.neural_network import MLPClassifier
    >>> from skmlp.cli.fitting import timed_fit
    >>> model = MLPClassifier(max_iter=2, random_state=0)
    >>> timed_fit(model, [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])[1]
    False
    """
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        model.fit(X, y)
        seconds = time.perf_counter() - start
    converged = True
    for w in caught:
        if issubclass(w.category, ConvergenceWarning):
            converged = False
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return seconds, converged


def classification_scores(model, X, y, labels=None):
    """Accuracy and log-loss of a fitted classifier on ``(X, y)``.

    Parameters
    ----------
    model : classifier
        Fitted, with ``predict`` and ``predict_proba``.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    labels : array-like, default=None
        Every class, for the log-loss of a fold that lacks some; None is
        ``model.classes_``.

    Returns
    -------
    scores : dict
        ``"accuracy"`` and ``"log_loss"``, as floats.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skmlp.cli.fitting import classification_scores
    >>> X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    >>> scores = classification_scores(LogisticRegression().fit(X, y), X, y)
    >>> scores["accuracy"], 0 < scores["log_loss"] < 0.7
    (1.0, True)
    """
    from sklearn.metrics import log_loss

    labels = model.classes_ if labels is None else labels
    P = model.predict_proba(X)
    return {
        "accuracy": float(np.mean(model.predict(X) == np.asarray(y))),
        "log_loss": float(log_loss(y, P, labels=labels)),
    }
