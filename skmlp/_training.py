"""The training loops: mini-batch epochs for SGD/Adam, and L-BFGS.

These functions write the training history into the model's scikit-learn
attributes (``loss_curve_``, ``n_iter_``, ``t_``, ``best_loss_``, ...), so it is
visible to callbacks while training runs. They validate nothing: the classifier
has checked and converted every input before calling them.
"""

import numpy as np
import scipy.optimize
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning

from ._warnings import warn

__all__ = ["fit_stochastic", "fit_lbfgs"]


# Rows of shuffled data gathered at once (X, Y and weights together), in elements.
_BLOCK_ELEMENTS = 1 << 16


class _Batches:
    """Yields mini-batches of the rows in a shuffled order, scikit-learn's batches.

    Shuffled rows are gathered a block of whole batches at a time into
    preallocated arrays (one ``np.take`` for many small batches), and each batch
    is a view of the block: memory stays one block whatever ``n_samples``.
    """

    def __init__(self, X, Y, sample_weight, batch_size, shuffle, rng):
        self.X, self.Y, self.sample_weight = X, Y, sample_weight
        self.batch_size, self.shuffle, self.rng = batch_size, shuffle, rng
        n = X.shape[0]
        self.order = np.arange(n)
        size = min(batch_size, n)
        self._dense = not sp.issparse(X)
        row_elements = X.shape[1] + Y.shape[1] + 1
        n_batches = -(-n // size)
        self._block = size * max(
            1, min(n_batches, _BLOCK_ELEMENTS // (size * row_elements))
        )
        if shuffle:
            rows = min(self._block, n)
            if self._dense:
                self._X = np.empty((rows, X.shape[1]), dtype=X.dtype)
            self._Y = np.empty((rows, Y.shape[1]), dtype=Y.dtype)
            if sample_weight is not None:
                self._sw = np.empty(rows, dtype=sample_weight.dtype)

    def epoch(self):
        """The epoch's batches, each ``(X, Y, sample_weight)``, in order.

        When one batch holds every row (full-batch training, where an epoch is
        one step and this is on the hot path) it comes in a tuple rather than
        from a generator.
        """
        if self.batch_size < self.X.shape[0]:
            return self._batches()
        if not self.shuffle:
            return ((self.X, self.Y, self.sample_weight),)
        self.rng.shuffle(self.order)
        return (self._gather(self.order),)

    def _batches(self):
        n, size = self.X.shape[0], self.batch_size
        if not self.shuffle:
            X, Y, sw = self.X, self.Y, self.sample_weight
            for start in range(0, n, size):
                stop = start + size
                yield (
                    X[start:stop],
                    Y[start:stop],
                    None if sw is None else sw[start:stop],
                )
            return
        self.rng.shuffle(self.order)
        for block_start in range(0, n, self._block):
            Xk, Yk, swk = self._gather(
                self.order[block_start : block_start + self._block]
            )
            for start in range(0, Yk.shape[0], size):
                stop = start + size
                yield (
                    Xk[start:stop],
                    Yk[start:stop],
                    None if swk is None else swk[start:stop],
                )

    def _gather(self, idx):
        """Rows ``idx`` of X, Y and the weights, in the block's arrays."""
        m = idx.shape[0]
        whole = m == self._Y.shape[0]  # every block but the last
        # ndarray.take rather than np.take skips a Python wrapper, and
        # mode="clip" skips the bounds check, for which NumPy first gathers
        # into a temporary and then copies it to `out` (three times slower).
        # The indices are a permutation of the rows, so clipping never acts.
        if self._dense:
            out = self._X if whole else self._X[:m]
            X = self.X.take(idx, axis=0, out=out, mode="clip")
        else:
            X = self.X[idx]
        Y = self.Y.take(idx, axis=0, out=self._Y if whole else self._Y[:m], mode="clip")
        sw = self.sample_weight
        if sw is not None:
            sw = sw.take(idx, out=self._sw if whole else self._sw[:m], mode="clip")
        return X, Y, sw


def _epoch_record(model, optimizer_rate):
    scores = model.validation_scores_
    losses = getattr(model, "validation_loss_curve_", None)
    return {
        "epoch": len(model.loss_curve_),
        "loss": model.loss_,
        "validation_score": scores[-1] if scores else None,
        "validation_loss": losses[-1] if losses else None,
        "learning_rate": optimizer_rate,
    }


def run_callbacks(callbacks, model, record):
    """Call every callback; True when any of them asks to stop."""
    stop = False
    for callback in callbacks:
        stop = bool(callback(model, record)) or stop
    return stop


def _update_no_improvement_count(model, net, validation, tol, verbose):
    """scikit-learn's rule for counting epochs without improvement."""
    if validation is not None:
        score, loss = validation()
        model.validation_scores_.append(score)
        model.validation_loss_curve_.append(loss)
        if verbose:
            print(f"Validation score: {score:f}")
        if score < model.best_validation_score_ + tol:
            model._no_improvement_count += 1
        else:
            model._no_improvement_count = 0
        if score > model.best_validation_score_:
            model.best_validation_score_ = score
            model._best_params[...] = net.params
    else:
        last = model.loss_curve_[-1]
        if last > model.best_loss_ - tol:
            model._no_improvement_count += 1
        else:
            model._no_improvement_count = 0
        if last < model.best_loss_:
            model.best_loss_ = last


def fit_stochastic(
    model,
    net,
    optimizer,
    X,
    Y,
    sample_weight,
    *,
    alpha,
    batch_size,
    shuffle,
    max_iter,
    tol,
    n_iter_no_change,
    verbose,
    rng,
    incremental,
    validation=None,
    callbacks=(),
    guard=None,
):
    """Mini-batch epochs of ``optimizer`` over (X, Y), scikit-learn's loop.

    Parameters
    ----------
    model : BackpropMLPClassifier
        Receives the history attributes.
    net : Network
    optimizer : Optimizer
    X : ndarray or sparse matrix of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_outputs)
    sample_weight : ndarray of shape (n_samples,) or None
    alpha, batch_size, shuffle, max_iter, tol, n_iter_no_change, verbose :
        The estimator's settings (``batch_size`` already resolved to an int).
    rng : numpy.random.RandomState
    incremental : bool
        One epoch only (``partial_fit``).
    validation : callable or None
        Returns ``(score, loss)`` on the held-out set; turns on early stopping.
    callbacks : sequence of callable
    guard : object with ``check(model, loss, epoch, weights) -> bool``, optional
        Runs after the callbacks; True stops training (a diverging fit).
        ``weights`` says whether to check the weights too, or the loss alone.

    Returns
    -------
    interrupted : bool
        True when a KeyboardInterrupt ended training. The weights are then
        those of the last completed epoch (the best epoch's with early
        stopping), and ``n_iter_``, ``loss_`` and ``loss_curve_`` describe them.
    """
    n_samples = X.shape[0]
    batches = _Batches(X, Y, sample_weight, batch_size, shuffle, rng)
    epoch_start = net.params.copy()
    model.n_iter_ = 0
    params, grads = net.params, net.grads
    step = optimizer.step
    one_batch = batch_size >= n_samples
    loss_and_grad = net.step_function(n_samples) if one_batch else net.loss_and_grad
    # The guard checks the weights every epoch; when an epoch is one step (and
    # the check a good part of its cost) and no callback looks at the weights,
    # every 8th epoch and at the end. The loss, checked every epoch, turns
    # non-finite at once in almost every divergence anyway.
    weights_every = 8 if one_batch and not callbacks else 1
    # An interrupt during an epoch's steps returns to the weights the epoch
    # started from; one after them keeps the completed epoch, which the history
    # attributes already describe.
    stepping = False
    try:
        for _ in range(max_iter):
            epoch_start[...] = params
            accumulated = 0.0
            stepping = True
            for Xb, Yb, swb in batches.epoch():
                accumulated += loss_and_grad(Xb, Yb, swb, alpha) * Xb.shape[0]
                step(params, grads)
            stepping = False
            model.n_iter_ += 1
            model.loss_ = accumulated / n_samples
            model.t_ += n_samples
            model.loss_curve_.append(model.loss_)
            if verbose:
                print(f"Iteration {model.n_iter_}, loss = {model.loss_:.8f}")
            _update_no_improvement_count(model, net, validation, tol, verbose)
            optimizer.iteration_ends(model.t_)
            # Full-batch training ends an epoch after every step: the epoch's
            # record is only built when a callback will read it.
            stop = bool(callbacks) and run_callbacks(
                callbacks, model, _epoch_record(model, optimizer.learning_rate)
            )
            if guard is not None:
                epoch = len(model.loss_curve_)
                last = (
                    stop
                    or incremental
                    or model.n_iter_ == max_iter
                    or model._no_improvement_count > n_iter_no_change
                )
                weights = last or epoch % weights_every == 0
                stop = guard.check(model, model.loss_, epoch, weights) or stop
            if model._no_improvement_count > n_iter_no_change:
                what = "Validation score" if validation is not None else "Training loss"
                msg = (
                    f"{what} did not improve more than tol={tol:f} for "
                    f"{n_iter_no_change} consecutive epochs."
                )
                if optimizer.trigger_stopping(msg, verbose):
                    break
                model._no_improvement_count = 0
            if stop or incremental:
                break
            if model.n_iter_ == max_iter:
                warn(
                    f"Stochastic Optimizer: Maximum iterations ({max_iter}) "
                    "reached and the optimization hasn't converged yet.",
                    ConvergenceWarning,
                )
    except KeyboardInterrupt:
        if stepping:
            params[...] = epoch_start
        interrupted = True
    else:
        interrupted = False
    if validation is not None:
        params[...] = model._best_params
    return interrupted


def fit_lbfgs(
    model,
    net,
    X,
    Y,
    sample_weight,
    *,
    alpha,
    max_iter,
    max_fun,
    tol,
    verbose,
    callbacks=(),
):
    """Minimise the full-batch loss with SciPy's L-BFGS-B.

    ``loss_curve_`` receives the loss after every iteration (appended to it:
    a warm start continues the curve, as the stochastic solvers' does);
    ``n_iter_`` counts this fit's iterations.

    Parameters
    ----------
    model : BackpropMLPClassifier
    net : Network
    X, Y, sample_weight : arrays
        The whole training set.
    alpha, max_iter, max_fun, tol, verbose : the estimator's settings.
    callbacks : sequence of callable

    Returns
    -------
    interrupted : bool
        True when a KeyboardInterrupt ended training; the weights are then
        those of the last completed iteration (the starting weights when none
        completed, with ``n_iter_`` 0).
    """
    stopped_by_callback = []
    start = net.params.astype(np.float64)
    # The iterate after the last completed iteration: what an interrupt keeps.
    # (A line search evaluates the loss at trial points; those are not kept.)
    last = {"x": start}

    def loss_and_grad(theta):
        net.params[...] = theta
        loss = net.loss_and_grad(X, Y, sample_weight, alpha)
        return loss, net.grads.astype(np.float64)

    def after_iteration(intermediate_result):
        last["x"] = np.array(intermediate_result.x, copy=True)
        model.loss_ = float(intermediate_result.fun)
        model.loss_curve_.append(model.loss_)
        model.n_iter_ += 1
        if verbose:
            print(f"Iteration {model.n_iter_}, loss = {model.loss_:.8f}")
        if run_callbacks(callbacks, model, _epoch_record(model, None)):
            stopped_by_callback.append(True)
            raise StopIteration

    model.n_iter_ = 0
    try:
        result = scipy.optimize.minimize(
            loss_and_grad,
            start,
            method="L-BFGS-B",
            jac=True,
            callback=after_iteration,
            options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol},
        )
    except KeyboardInterrupt:
        net.params[...] = last["x"]
        return True
    if result.status != 0 and not stopped_by_callback:
        message = result.message
        if isinstance(message, bytes):
            message = message.decode("latin1")
        warn(
            f"lbfgs failed to converge after {result.nit} iteration(s) "
            f"(status={result.status}):\n{message}.\n\n"
            f"Increase the number of iterations (max_iter={max_iter}) or the "
            f"number of loss evaluations (max_fun={max_fun}) to improve the "
            "convergence, or scale the data.",
            ConvergenceWarning,
        )
    model.n_iter_ = min(int(result.nit), max_iter)
    model.loss_ = float(result.fun)
    net.params[...] = result.x
    return False
