"""The training loops and their state: mini-batch epochs for SGD/Adam, and L-BFGS.

The loops know nothing of the estimator. They read a :class:`TrainingSettings`
and record the history and the stopping bookkeeping in a :class:`TrainingState`,
which the estimator keeps across ``partial_fit`` and ``warm_start`` fits and
publishes as its scikit-learn attributes (``loss_curve_``, ``n_iter_``, ...).
After each epoch they call the estimator's ``epoch_end`` hook, if it gave one:
that is where callbacks run, and it publishes the state first so that they see
this epoch. The loops validate nothing: the estimator has checked and converted
every input before calling them.
"""

import functools
import math
from dataclasses import dataclass, field

import numpy as np
import scipy.optimize
import scipy.sparse as sp

from ._warnings import ConvergenceWarning, warn

__all__ = ["TrainingSettings", "TrainingState", "fit_stochastic", "fit_lbfgs"]


@dataclass(frozen=True)
class TrainingSettings:
    """The estimator's settings, as the training loops read them.

    Parameters
    ----------
    alpha : float
        L2 penalty.
    max_iter : int
        Epochs of the stochastic solvers, iterations of L-BFGS.
    tol : float
        Smallest improvement that counts (the gradient tolerance of L-BFGS).
    verbose : bool, default=False
        Print the loss after every epoch.
    batch_size : int, default=200
        Rows per mini-batch, already resolved to at most ``n_samples``.
    shuffle : bool, default=True
        Shuffle the rows every epoch.
    n_iter_no_change : int or float, default=10
        Epochs without improvement before stopping (or adapting the rate).
    incremental : bool, default=False
        One epoch only (``partial_fit``).
    max_fun : int, default=15000
        Loss evaluations allowed to L-BFGS.
    early_stopping : bool, default=True
        With a validation set: stop on it and keep its best epoch's weights
        (True), or only record it (False).

    Examples
    --------
    >>> from skmlp._training import TrainingSettings
    >>> TrainingSettings(alpha=0.0, max_iter=5, tol=1e-4).batch_size
    200
    """

    alpha: float
    max_iter: int
    tol: float
    verbose: bool = False
    batch_size: int = 200
    shuffle: bool = True
    n_iter_no_change: float = 10
    incremental: bool = False
    max_fun: int = 15000
    early_stopping: bool = True


@dataclass(slots=True, eq=False)
class TrainingState:
    """The training history of one model and the bookkeeping of when to stop.

    Each field is the scikit-learn attribute of the same name with a trailing
    underscore (``loss_curve`` is ``loss_curve_``), except the two that only
    the loop needs.

    Parameters
    ----------
    n_iter : int, default=0
        Epochs (L-BFGS iterations) of the current fit.
    t : int, default=0
        Training samples seen by the stochastic solvers, over all fits.
    loss : float or None, default=None
        Loss of the last epoch; None before the first.
    loss_curve : list of float
        Loss after every epoch, over all fits since training from scratch.
    best_loss : float or None, default=inf
        Lowest training loss (None with early stopping, as in scikit-learn).
    validation_scores, validation_loss_curve : list of float or None
        Per epoch with early stopping, None without.
    best_validation_score : float or None, default=None
    no_improvement_count : int, default=0
        Consecutive epochs without an improvement of ``tol``.
    best_params : ndarray of shape (n_params,) or None, default=None
        A copy of the weights of the best validation score, with early stopping.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp._training import TrainingState
    >>> state = TrainingState.start(np.zeros(3), early_stopping=False)
    >>> state.end_epoch(0.5, n_samples=10)
    >>> state.record(learning_rate=0.1)["epoch"], state.t
    (1, 10)
    """

    n_iter: int = 0
    t: int = 0
    loss: float | None = None
    loss_curve: list = field(default_factory=list)
    best_loss: float | None = np.inf
    validation_scores: list | None = None
    validation_loss_curve: list | None = None
    best_validation_score: float | None = None
    no_improvement_count: int = 0
    best_params: np.ndarray | None = None

    # A plain dict of the fields, for pickle and for skops (whose generic
    # loader restores an object from the dict its __getstate__ returned).
    def __getstate__(self):
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state):
        if isinstance(state, tuple):  # pickled before __getstate__: (None, slots)
            state = state[1]
        for name, value in state.items():
            setattr(self, name, value)

    @classmethod
    def start(cls, params, early_stopping):
        """The state of a model about to train from scratch.

        Parameters
        ----------
        params : ndarray of shape (n_params,)
            The initial weights (copied, with early stopping).
        early_stopping : bool

        Returns
        -------
        state : TrainingState
        """
        state = cls()
        if early_stopping:
            state.best_loss = None
            state.start_validation(params)
        return state

    def start_validation(self, params):
        """Begin the early-stopping records, with ``params`` as the best so far.

        Parameters
        ----------
        params : ndarray of shape (n_params,)
        """
        self.validation_scores = []
        self.validation_loss_curve = []
        self.best_validation_score = -np.inf
        self.best_params = params.copy()

    def end_epoch(self, loss, n_samples):
        """Record a completed epoch (an L-BFGS iteration, with ``n_samples=0``).

        Parameters
        ----------
        loss : float
        n_samples : int
            Training samples the epoch saw.
        """
        self.n_iter += 1
        self.loss = loss
        self.t += n_samples
        self.loss_curve.append(loss)

    def count_no_improvement(
        self, validation, tol, params, verbose, early_stopping=True
    ):
        """scikit-learn's rule for counting epochs without improvement.

        Parameters
        ----------
        validation : callable or None
            Returns ``(score, loss)`` on the validation set, recorded; None
            when there is none.
        tol : float
        params : ndarray of shape (n_params,)
            The current weights, copied when the score is the best so far.
        verbose : bool
        early_stopping : bool, default=True
            Judge by the validation score (True) or, when False or without a
            validation set, by the training loss.
        """
        if validation is not None and early_stopping:
            score = self._measure(validation, verbose)
            if score < self.best_validation_score + tol:
                self.no_improvement_count += 1
            else:
                self.no_improvement_count = 0
            if score > self.best_validation_score:
                self.best_validation_score = score
                self.best_params[...] = params
            return
        if validation is not None:
            self.watch(validation, verbose)
        last = self.loss_curve[-1]
        # None after training with early stopping (a warm start may turn it off)
        best_loss = np.inf if self.best_loss is None else self.best_loss
        if last > best_loss - tol:
            self.no_improvement_count += 1
        else:
            self.no_improvement_count = 0
        if last < best_loss:
            self.best_loss = last

    def watch(self, validation, verbose=False):
        """Record the validation set's score and loss, and the best score.

        Only watching: no weights kept and no epochs counted (L-BFGS, or
        training without early stopping).

        Parameters
        ----------
        validation : callable
            Returns ``(score, loss)`` on the validation set.
        verbose : bool, default=False
        """
        score = self._measure(validation, verbose)
        if score > self.best_validation_score:
            self.best_validation_score = score

    def _measure(self, validation, verbose):
        score, loss = validation()
        self.validation_scores.append(score)
        self.validation_loss_curve.append(loss)
        if verbose:
            print(f"Validation score: {score:f}")
        return score

    def record(self, learning_rate):
        """The last epoch as callbacks receive it.

        Parameters
        ----------
        learning_rate : float or None
            The optimizer's current rate (None for L-BFGS).

        Returns
        -------
        record : dict
            ``epoch`` (1-based position in ``loss_curve``), ``loss``,
            ``validation_score``, ``validation_loss``, ``learning_rate``.
        """
        scores, losses = self.validation_scores, self.validation_loss_curve
        return {
            "epoch": len(self.loss_curve),
            "loss": self.loss,
            "validation_score": scores[-1] if scores else None,
            "validation_loss": losses[-1] if losses else None,
            "learning_rate": learning_rate,
        }


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


def _all_finite(x):
    """Whether every entry of the 1-D array ``x`` is finite.

    ``x @ x`` is a sum of non-negative squares: it is finite whenever every entry
    is, and one BLAS call is several times cheaper than ``isfinite(x).all()``.
    Only when it is not (a non-finite entry, or entries beyond 1e154) is the
    exact test run.
    """
    return math.isfinite(x @ x) or bool(np.isfinite(x).all())


class _DivergenceGuard:
    """Warn when the training loss explodes, and stop once it is not finite.

    Run by the stochastic solvers' epoch loop after the callbacks: a learning
    rate that is too large is the usual cause, so the warning names it.

    Parameters
    ----------
    learning_rate_init : float
        Named in the warnings.
    params : ndarray of shape (n_params,)
        The network's flat parameter buffer: one finiteness check over it is
        cheaper than one per coefficient array.
    weights_every : int, default=1
        Check the weights every this many epochs, and at the last; the loss is
        checked every epoch.
    """

    growth = 10.0

    def __init__(self, learning_rate_init, params, weights_every=1):
        self.learning_rate_init = learning_rate_init
        self.params = params
        self.weights_every = weights_every
        self.warned = False

    def check(self, state, last):
        """True when training must stop: the loss or a weight is not finite.

        ``last`` says this epoch ends training anyway, so the weights are
        checked whatever the epoch's number.
        """
        loss, epoch = state.loss, len(state.loss_curve)
        finite_loss = math.isfinite(loss)
        weights = last or epoch % self.weights_every == 0
        if not finite_loss or (weights and not _all_finite(self.params)):
            if finite_loss:
                what = "a weight became infinite or NaN by"
            else:
                what = f"the loss became {loss} at"
            warn(
                f"Training diverged: {what} epoch {epoch}. "
                f"learning_rate_init={self.learning_rate_init!r} is probably too "
                "large; lower it, or scale the data (e.g. StandardScaler).",
                ConvergenceWarning,
            )
            return True
        first_loss = state.loss_curve[0]
        if not self.warned and loss > self.growth * max(first_loss, 1e-3):
            self.warned = True
            warn(
                f"The training loss grew from {first_loss:.4g} to {loss:.4g} "
                f"by epoch {epoch}: learning_rate_init={self.learning_rate_init!r} "
                "is probably too large.",
                ConvergenceWarning,
            )
        return False


def fit_stochastic(
    state,
    net,
    optimizer,
    data,
    settings,
    rng,
    *,
    validation=None,
    epoch_end=None,
    engine=None,
):
    """Mini-batch epochs of ``optimizer`` over the data, scikit-learn's loop.

    Parameters
    ----------
    state : TrainingState
        Updated after every epoch.
    net : Network
    optimizer : Optimizer
    data : tuple
        ``(X, Y, sample_weight)``: X an ndarray or sparse matrix of shape
        (n_samples, n_features), Y an ndarray of shape (n_samples, n_outputs),
        sample_weight an ndarray of shape (n_samples,) or None.
    settings : TrainingSettings
    rng : numpy.random.RandomState
        Shuffles the rows.
    validation : callable, optional
        Returns ``(score, loss)`` on the validation set, recorded every epoch;
        early stopping judges by it when ``settings.early_stopping``.
    epoch_end : callable, optional
        ``epoch_end(record) -> stop``, called after every epoch with
        :meth:`TrainingState.record`; True stops training.
    engine : module, optional
        The compiled engine (:mod:`skmlp._numba_engine`), whose
        ``epoch_function`` runs the epochs' steps; None runs them with NumPy.

    Returns
    -------
    interrupted : bool
        True when a KeyboardInterrupt ended training. The weights are then
        those of the last completed epoch (the best epoch's with early
        stopping), and ``state`` describes them.
    """
    n_samples = data[0].shape[0]
    batches = _Batches(*data, settings.batch_size, settings.shuffle, rng)
    one_batch = settings.batch_size >= n_samples
    params, alpha = net.params, settings.alpha
    if engine is None:
        run_epoch = functools.partial(
            _epoch_loss,
            batches,
            net.step_function(n_samples) if one_batch else net.loss_and_grad,
            alpha,
            optimizer.step,
            params,
            net.grads,
        )
    else:
        run_epoch = engine.epoch_function(net, optimizer, batches, alpha)
    # When an epoch is one step (and checking the weights a good part of its
    # cost) and no hook looks at them, every 8th epoch and the last will do: the
    # loss, checked every epoch, turns non-finite at once in almost every
    # divergence anyway.
    every = 8 if one_batch and epoch_end is None else 1
    guard = _DivergenceGuard(optimizer.learning_rate_init, params, every)
    # An interrupt during an epoch's steps returns to the weights the epoch
    # started from; one after them keeps the completed epoch, which the state
    # already describes.
    epoch_start = params.copy()
    stepping = False
    # With dropout the batches' losses are those of thinned networks: the loss
    # reported (and stopped on) is the whole network's, measured after the epoch.
    whole = net.objective if net.stochastic else None
    state.n_iter = 0
    try:
        for _ in range(settings.max_iter):
            epoch_start[...] = params
            stepping = True
            loss = run_epoch()
            stepping = False
            if whole is not None:
                loss = whole(*data, alpha) * n_samples
            state.end_epoch(loss / n_samples, n_samples)
            if _after_epoch(
                state, settings, optimizer, params, guard, validation, epoch_end
            ):
                break
    except KeyboardInterrupt:
        if stepping:
            params[...] = epoch_start
        interrupted = True
    else:
        interrupted = False
    if validation is not None and settings.early_stopping:
        params[...] = state.best_params
    return interrupted


def _epoch_loss(batches, loss_and_grad, alpha, step, params, grads):
    """One step per batch of an epoch; the sum of batch losses times rows."""
    accumulated = 0.0
    for Xb, Yb, swb in batches.epoch():
        accumulated += loss_and_grad(Xb, Yb, swb, alpha) * Xb.shape[0]
        step(params, grads)
    return accumulated


def _after_epoch(state, settings, optimizer, params, guard, validation, epoch_end):
    """Judge the epoch just recorded and tell the hook; True stops training."""
    verbose = settings.verbose
    if verbose:
        print(f"Iteration {state.n_iter}, loss = {state.loss:.8f}")
    state.count_no_improvement(
        validation, settings.tol, params, verbose, settings.early_stopping
    )
    optimizer.iteration_ends(state.t)
    # Full-batch training ends an epoch after every step: the epoch's record
    # is only built when a hook will read it.
    stop = epoch_end is not None and epoch_end(state.record(optimizer.learning_rate))
    stalled = state.no_improvement_count > settings.n_iter_no_change
    last = stop or settings.incremental or stalled or state.n_iter == settings.max_iter
    stop = guard.check(state, last) or stop
    if stalled:
        judged = validation is not None and settings.early_stopping
        what = "Validation score" if judged else "Training loss"
        message = (
            f"{what} did not improve more than tol={settings.tol:f} for "
            f"{settings.n_iter_no_change} consecutive epochs."
        )
        if optimizer.trigger_stopping(message, verbose):
            return True
        state.no_improvement_count = 0
    if stop or settings.incremental:
        return True
    if state.n_iter == settings.max_iter:
        warn(
            f"Stochastic Optimizer: Maximum iterations ({settings.max_iter}) "
            "reached and the optimization hasn't converged yet.",
            ConvergenceWarning,
        )
    return False


def fit_lbfgs(state, net, data, settings, *, validation=None, epoch_end=None):
    """Minimise the full-batch loss with SciPy's L-BFGS-B.

    ``state.loss_curve`` receives the loss after every iteration (appended to
    it: a warm start continues the curve, as the stochastic solvers' does);
    ``state.n_iter`` counts this fit's iterations.

    Parameters
    ----------
    state : TrainingState
    net : Network
    data : tuple
        ``(X, Y, sample_weight)``, the whole training set.
    settings : TrainingSettings
        Reads ``alpha``, ``max_iter``, ``max_fun``, ``tol`` and ``verbose``.
    validation : callable, optional
        Returns ``(score, loss)`` on a validation set, recorded after every
        iteration (L-BFGS does not stop on it).
    epoch_end : callable, optional
        ``epoch_end(record) -> stop``, called after every iteration; True
        stops training.

    Returns
    -------
    interrupted : bool
        True when a KeyboardInterrupt ended training; the weights are then
        those of the last completed iteration (the starting weights when none
        completed, with ``n_iter`` 0).
    """
    X, Y, sample_weight = data
    alpha, verbose = settings.alpha, settings.verbose
    # The iterate after the last completed iteration: what an interrupt keeps.
    # (A line search evaluates the loss at trial points; those are not kept.)
    last = [net.params.astype(np.float64)]
    stopped_by_hook = []

    def loss_and_grad(theta):
        net.params[...] = theta
        loss = net.loss_and_grad(X, Y, sample_weight, alpha)
        return loss, net.grads.astype(np.float64)

    def after_iteration(intermediate_result):
        last[0] = np.array(intermediate_result.x, copy=True)
        state.end_epoch(float(intermediate_result.fun), n_samples=0)
        if verbose:
            print(f"Iteration {state.n_iter}, loss = {state.loss:.8f}")
        if validation is not None:
            # Measured at the iterate, which the line search may have left.
            trial = net.params.copy()
            net.params[...] = intermediate_result.x
            state.watch(validation, verbose)
            net.params[...] = trial
        if epoch_end is not None and epoch_end(state.record(None)):
            stopped_by_hook.append(True)
            raise StopIteration

    state.n_iter = 0
    try:
        result = scipy.optimize.minimize(
            loss_and_grad,
            last[0],
            method="L-BFGS-B",
            jac=True,
            callback=after_iteration,
            options={
                "maxfun": settings.max_fun,
                "maxiter": settings.max_iter,
                "gtol": settings.tol,
            },
        )
    except KeyboardInterrupt:
        net.params[...] = last[0]
        interrupted = True
    else:
        if result.status != 0 and not stopped_by_hook:
            _warn_not_converged(result, settings)
        state.n_iter = min(int(result.nit), settings.max_iter)
        state.loss = float(result.fun)
        net.params[...] = result.x
        interrupted = False
    if state.loss_curve or state.loss is not None:
        state.best_loss = min(state.loss_curve, default=state.loss)
    return interrupted


def _warn_not_converged(result, settings):
    message = result.message
    if isinstance(message, bytes):
        message = message.decode("latin1")
    warn(
        f"lbfgs failed to converge after {result.nit} iteration(s) "
        f"(status={result.status}):\n{message}.\n\n"
        f"Increase the number of iterations (max_iter={settings.max_iter}) or the "
        f"number of loss evaluations (max_fun={settings.max_fun}) to improve the "
        "convergence, or scale the data.",
        ConvergenceWarning,
    )
