"""Finite-difference check of the backpropagated gradient.

Examples
--------
>>> from sklearn.datasets import make_moons
>>> from skmlp import BackpropMLPClassifier, check_gradients
>>> X, y = make_moons(30, random_state=0)
>>> clf = BackpropMLPClassifier((4,), activation="tanh", random_state=0)
>>> result = check_gradients(clf, X, y)
>>> bool(result["max_relative_error"] < 1e-6)
True
"""

import numpy as np

__all__ = ["check_gradients"]


def check_gradients(
    estimator,
    X,
    y,
    sample_weight=None,
    *,
    eps=1e-6,
    rtol=1e-5,
    atol=1e-8,
    max_params=None,
    random_state=0,
):
    """Compare backpropagation with central finite differences.

    The estimator's network is built in float64 (from its current weights when it
    is fitted, from a fresh initialisation otherwise; the estimator itself is not
    modified) and the gradient of the training objective, the regularised
    weighted mean loss (log-loss for the classifier, the ``loss`` of the
    regressor), is compared with
    ``(loss(theta + eps e_k) - loss(theta - eps e_k)) / (2 eps)`` parameter by
    parameter. Use it to check your own activations and layers. Layers that
    draw random numbers while training (dropout) draw the same ones for every
    evaluation, seeded by ``random_state``.

    Parameters
    ----------
    estimator : BackpropMLPClassifier or BackpropMLPRegressor
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), default=None
    eps : float, default=1e-6
        Finite-difference step.
    rtol, atol : float, default=1e-5, 1e-8
        A parameter fails when ``|analytic - numeric| > atol + rtol * max(|analytic|,
        |numeric|)``.
    max_params : int or None, default=None
        Check only this many randomly chosen parameters (all when None).
    random_state : int, default=0
        Chooses the parameters when ``max_params`` is set, and seeds the
        dropout masks.

    Returns
    -------
    result : dict
        ``analytic`` and ``numeric`` (ndarrays of shape (n_checked,)), ``indices``
        into the flat parameter vector, ``max_abs_error``, ``max_relative_error``.

    Raises
    ------
    AssertionError
        If any checked parameter fails, naming the worst one.
    """
    # A new, unfitted estimator of the same settings builds the network. It
    # shares the parameter objects (activations, initialisers) with
    # ``estimator``: building a network only reads them.
    params = estimator.get_params(deep=False)
    model = type(estimator)(**{**params, "warm_start": False})
    X = (
        np.asarray(X, dtype=np.float64)
        if not hasattr(X, "tocsr")
        else X.astype(np.float64)
    )
    net, X, Y, _, sw, _ = model._prepare(X, y, sample_weight, incremental=False)
    fitted = getattr(estimator, "_network", None)
    if fitted is not None and fitted.params.size == net.params.size:
        net.params[...] = fitted.params  # every layer's, not only coefs_
    if hasattr(estimator, "coefs_"):
        net.set_parameters(estimator.coefs_, estimator.intercepts_)
    alpha = model.alpha

    # scikit-learn's squared error reports the mean over outputs but trains on
    # (and backpropagates) their sum: the data term is scaled, the penalty not.
    scale = net.loss.gradient_scale(Y.shape[1])
    weight_sum = X.shape[0] if sw is None else float(sw.sum())
    coefs = net.params[: net.n_coef_params]

    def loss():
        if net.stochastic:  # the same dropout masks for every evaluation
            net.start_training(np.random.RandomState(random_state))
        value = net.loss_and_grad(X, Y, sw, alpha)
        if scale == 1:
            return value
        penalty = 0.5 * alpha * float(np.dot(coefs, coefs)) / weight_sum
        return scale * (value - penalty) + penalty

    loss()
    analytic_all = net.grads.copy()
    theta = net.params
    indices = np.arange(theta.size)
    if max_params is not None and max_params < theta.size:
        rng = np.random.RandomState(random_state)
        indices = np.sort(rng.choice(theta.size, max_params, replace=False))
    numeric = np.empty(indices.size)
    for j, k in enumerate(indices):
        original = theta[k]
        theta[k] = original + eps
        plus = loss()
        theta[k] = original - eps
        minus = loss()
        theta[k] = original
        numeric[j] = (plus - minus) / (2 * eps)
    analytic = analytic_all[indices]
    abs_err = np.abs(analytic - numeric)
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    rel_err = abs_err / np.maximum(scale, np.finfo(float).tiny)
    result = {
        "analytic": analytic,
        "numeric": numeric,
        "indices": indices,
        "max_abs_error": float(abs_err.max(initial=0.0)),
        "max_relative_error": float(np.where(scale > atol, rel_err, 0).max(initial=0)),
    }
    failing = abs_err > atol + rtol * scale
    if failing.any():
        worst = int(np.argmax(np.where(failing, abs_err - rtol * scale, -np.inf)))
        raise AssertionError(
            f"Gradient check failed for {int(failing.sum())} of {indices.size} "
            f"parameters; worst is {_describe(net, int(indices[worst]))}: "
            f"backprop {analytic[worst]!r} vs finite differences {numeric[worst]!r}"
        )
    return result


def _describe(net, k):
    """Name the flat parameter ``k``: ``coefs_[i][r, c]``, ``intercepts_[i][c]``
    or ``layers_[i].params[j][...]`` for a layer of another kind."""
    dense = [i for i, layer in enumerate(net.layers) if hasattr(layer, "W")]
    offset = 0
    for i, j, shape, size, _ in net._parameter_entries():
        if k < offset + size:
            where = tuple(int(n) for n in np.unravel_index(k - offset, shape))
            index = ", ".join(map(str, where))
            if i in dense and j < 2:
                name = ("coefs_", "intercepts_")[j]
                return f"{name}[{dense.index(i)}][{index}]"
            return f"layers_[{i}].params[{j}][{index}]"
        offset += size
    return f"parameter {k}"
