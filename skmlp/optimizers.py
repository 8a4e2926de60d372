"""Stochastic optimisers updating the flat parameter vector in place.

The update rules, and the order of their floating-point operations, are those of
scikit-learn's ``SGDOptimizer`` and ``AdamOptimizer``, so that training follows
``MLPClassifier`` step for step; the work is a handful of in-place vector
operations on preallocated arrays, whatever the network's depth.

Examples
--------
>>> import numpy as np
>>> from skmlp.optimizers import SGD
>>> params = np.array([1.0, 2.0])
>>> opt = SGD(params.size, learning_rate_init=0.1, momentum=0.0)
>>> opt.step(params, np.array([1.0, -1.0]))
>>> params
array([0.9, 2.1])
"""

import numpy as np

from ._scalars import operand

__all__ = ["Optimizer", "SGD", "Adam", "OPTIMIZERS"]

# Adam updates the parameters in chunks of this many bytes per array.
_CHUNK_BYTES = 1 << 18


class Optimizer:
    """Base class: ``step`` updates parameters, epochs may adapt the rate.

    Parameters
    ----------
    n_params : int
        Length of the flat parameter vector.
    learning_rate_init : float

    Attributes
    ----------
    learning_rate : float
        The current learning rate.

    Examples
    --------
    >>> from skmlp.optimizers import Adam
    >>> Adam(3).learning_rate
    0.001
    """

    def __init__(self, n_params, learning_rate_init=0.1, dtype=np.float64):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = float(learning_rate_init)

    def step(self, params, grads):
        """Update ``params`` in place from ``grads``.

        Parameters
        ----------
        params : ndarray of shape (n_params,)
        grads : ndarray of shape (n_params,)
        """
        raise NotImplementedError

    def iteration_ends(self, time_step):
        """Called after each epoch with the number of samples seen so far.

        Parameters
        ----------
        time_step : int
        """

    def trigger_stopping(self, msg, verbose):
        """Decide whether to stop after no improvement; may adapt instead.

        Parameters
        ----------
        msg : str
            Why training would stop, printed when ``verbose``.
        verbose : bool

        Returns
        -------
        stop : bool

        Examples
        --------
        >>> from skmlp.optimizers import Adam
        >>> Adam(1).trigger_stopping("No improvement.", verbose=False)
        True
        """
        if verbose:
            print(msg + " Stopping.")
        return True


class SGD(Optimizer):
    """Stochastic gradient descent with momentum and learning-rate schedules.

    Parameters
    ----------
    n_params : int
    learning_rate_init : float, default=0.1
    lr_schedule : {"constant", "invscaling", "adaptive"}, default="constant"
        ``"invscaling"`` sets the rate to ``learning_rate_init / (t + 1) ** power_t``
        after each epoch, ``t`` being the number of samples seen; ``"adaptive"``
        divides it by 5 each time training stops improving, and stops below 1e-6.
    momentum : float, default=0.9
    nesterov : bool, default=True
    power_t : float, default=0.5
    dtype : numpy dtype, default=np.float64

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.optimizers import SGD
    >>> opt = SGD(1, learning_rate_init=1.0, momentum=0.5, nesterov=False)
    >>> p = np.zeros(1)
    >>> opt.step(p, np.ones(1)); opt.step(p, np.ones(1))
    >>> p
    array([-2.5])
    """

    # Scalars as 0-d arrays, built at the first step. Class defaults, so that an
    # optimizer restored from a pickled state without them builds them too.
    _rate = _rate_operand = _momentum_value = _momentum_operand = None

    def __init__(
        self,
        n_params,
        learning_rate_init=0.1,
        lr_schedule="constant",
        momentum=0.9,
        nesterov=True,
        power_t=0.5,
        dtype=np.float64,
    ):
        super().__init__(n_params, learning_rate_init, dtype)
        self.lr_schedule = lr_schedule
        # A Python float (the same value): a NumPy float64 scalar (from a
        # parameter grid, say) would turn float32 updates into float64 casts.
        self.momentum = float(momentum)
        self.nesterov = nesterov
        self.power_t = power_t
        self.velocity = np.zeros(n_params, dtype=dtype)
        self._scaled_grad = np.zeros(n_params, dtype=dtype)
        self._update = np.zeros(n_params, dtype=dtype)

    def step(self, params, grads):
        # velocity <- momentum * velocity - lr * grad; the update is the velocity,
        # or with Nesterov the look-ahead momentum * velocity - lr * grad.
        # The rate and momentum as 0-d arrays (see skmlp._scalars), rebuilt
        # whenever they change (the schedules change the rate, a callback may
        # change either).
        if self.learning_rate != self._rate:
            self._rate = self.learning_rate
            self._rate_operand = operand(self._rate, params.dtype)
        scaled = np.multiply(grads, self._rate_operand, out=self._scaled_grad)
        if self.momentum == 0:
            params -= scaled
            return
        if self.momentum != self._momentum_value:
            self._momentum_value = self.momentum
            self._momentum_operand = operand(self.momentum, params.dtype)
        momentum = self._momentum_operand
        velocity = self.velocity
        velocity *= momentum
        velocity -= scaled
        if self.nesterov:
            update = np.multiply(velocity, momentum, out=self._update)
            update -= scaled
            params += update
        else:
            params += velocity

    def iteration_ends(self, time_step):
        if self.lr_schedule == "invscaling":
            self.learning_rate = float(
                float(self.learning_rate_init) / (time_step + 1) ** self.power_t
            )

    def trigger_stopping(self, msg, verbose):
        if self.lr_schedule != "adaptive":
            return super().trigger_stopping(msg, verbose)
        if self.learning_rate <= 1e-6:
            if verbose:
                print(msg + " Learning rate too small. Stopping.")
            return True
        self.learning_rate /= 5.0
        if verbose:
            print(msg + f" Setting learning rate to {self.learning_rate:f}")
        return False


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2014).

    Parameters
    ----------
    n_params : int
    learning_rate_init : float, default=0.001
    beta_1 : float, default=0.9
    beta_2 : float, default=0.999
    epsilon : float, default=1e-8
    dtype : numpy dtype, default=np.float64

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.optimizers import Adam
    >>> p = np.zeros(2)
    >>> Adam(2, learning_rate_init=0.1).step(p, np.array([3.0, -0.5]))
    >>> p.round(6)
    array([-0.1,  0.1])
    """

    # Scalars as 0-d arrays, built at the first step (see SGD).
    _constants = _negative_rate = None

    def __init__(
        self,
        n_params,
        learning_rate_init=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        dtype=np.float64,
    ):
        super().__init__(n_params, learning_rate_init, dtype)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.t = 0
        self.first_moment = np.zeros(n_params, dtype=dtype)
        self.second_moment = np.zeros(n_params, dtype=dtype)
        chunk = max(1, min(n_params, _CHUNK_BYTES // np.dtype(dtype).itemsize))
        self._scratch = np.zeros(chunk, dtype=dtype)
        self._update = np.zeros(chunk, dtype=dtype)

    def step(self, params, grads):
        constants, negative_rate = self._advance(params.dtype)
        beta_1, beta_2, keep_1, keep_2, eps = constants
        multiply, sqrt = np.multiply, np.sqrt
        n = params.shape[0]
        chunk = self._scratch.shape[0]
        first, second = self.first_moment, self.second_moment
        scratch, update = self._scratch, self._update
        # The same twelve element-wise passes as scikit-learn's Adam, in the
        # same order for every element, over chunks small enough to stay in
        # the CPU's cache from the first pass to the last (1-3 % faster on a
        # network of 200k weights, measured in training).
        for start in range(0, n, chunk):
            stop = start + chunk
            g, m, v, p = (
                grads[start:stop],
                first[start:stop],
                second[start:stop],
                params[start:stop],
            )
            tmp, upd = scratch[: g.shape[0]], update[: g.shape[0]]
            m *= beta_1
            m += multiply(g, keep_1, out=tmp)
            multiply(g, g, out=tmp)
            tmp *= keep_2
            v *= beta_2
            v += tmp
            sqrt(v, out=tmp)
            tmp += eps
            multiply(m, negative_rate, out=upd)
            upd /= tmp
            p += upd

    def _advance(self, dtype):
        """Count the step and work out its scalars, for either engine.

        Returns
        -------
        constants : list of ndarray of shape ()
            ``beta_1``, ``beta_2``, ``1 - beta_1``, ``1 - beta_2``,
            ``epsilon``, as 0-d arrays of ``dtype``.
        negative_rate : ndarray of shape ()
            ``-learning_rate`` of this step, in ``dtype``.
        """
        self.t += 1
        # Scalars first, as scikit-learn computes them, in the settings' own
        # types (a NumPy float32 beta_2 makes beta_2**t a float32, there and
        # here). Then 0-d arrays of the parameters' dtype for the array passes:
        # NumPy promotes a float32 array times a NumPy float64 scalar to float64
        # (a slow casting loop, and not float32 end to end); for float64 arrays
        # the values, and so every bit, are the same either way.
        lr = (
            self.learning_rate_init
            * np.sqrt(1 - self.beta_2**self.t)
            / (1 - self.beta_1**self.t)
        )
        self.learning_rate = lr = float(lr)
        settings = (self.beta_1, self.beta_2, self.epsilon)
        if (
            self._constants is None
            or self._constants[0] != settings
            or self._negative_rate.dtype != dtype
        ):
            values = (
                float(self.beta_1),
                float(self.beta_2),
                float(1 - self.beta_1),
                float(1 - self.beta_2),
                float(self.epsilon),
            )
            self._constants = (settings, [operand(v, dtype) for v in values])
            self._negative_rate = np.zeros((), dtype=dtype)
        self._negative_rate[()] = -lr
        return self._constants[1], self._negative_rate


OPTIMIZERS = {"sgd": SGD, "adam": Adam}
