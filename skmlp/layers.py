"""Layers: the public protocol of the stack, and the built-in Dense and Dropout.

A network is a list of layers. Each one is asked for the same few things: how
wide its output is for a given input width, the shapes of its parameters and
their initial values, and its forward and backward steps. Its parameters and
their gradients are views into the network's two flat buffers, handed to it by
:meth:`Layer.bind`, so every optimiser, L-BFGS and the gradient check work for
a layer without knowing what it is.

Training and prediction run the built-in layers through *planned* steps (see
:mod:`skmlp._plan`): the same operations bound once to preallocated arrays,
with the exact NumPy shortcut for each shape. :meth:`Dense.forward` and
:meth:`Dense.backward` are those same steps on fresh arrays; a layer a user
writes needs only the public methods.

Examples
--------
>>> import numpy as np
>>> from skmlp.layers import Dense
>>> layer = Dense(3, activation="relu")
>>> layer.build(2)
3
>>> layer.parameter_shapes()
[(2, 3), (3,)]
"""

import functools

import numpy as np

from . import activations as _activations
from . import initializers as _initializers
from ._shortcuts import _bias_adder, _column_sums, _matmul_into, _propagate

__all__ = ["Layer", "Dense", "Dropout"]


class Layer:
    """The protocol every layer of the stack follows.

    A layer is a template until the network builds it: :meth:`build` learns
    the input width, :meth:`parameter_shapes` and :meth:`initial_parameters`
    describe the parameters, :meth:`bind` hands over their storage, and then
    :meth:`forward` and :meth:`backward` run for every batch.

    Subclass it and override what your layer needs. A layer without
    parameters (noise, dropout) needs only :meth:`forward` and
    :meth:`backward`; one with parameters also :meth:`build` (when its output
    width differs from its input's), :meth:`parameter_shapes` and
    :meth:`initial_parameters`.

    Attributes
    ----------
    n_inputs, n_outputs : int
        Widths of the input and output, set by :meth:`build`.
    params, grads : list of ndarray
        After :meth:`bind`: views into the network's flat parameter and
        gradient buffers, shaped as :meth:`parameter_shapes`. Write gradients
        into ``grads`` in place (``self.grads[0][...] = ...``).
    rng : numpy.random.Generator
        Set by the network before training when :attr:`stochastic` is True:
        draw every random number of the forward pass from it, so that the
        estimator's ``random_state`` fixes the model.
    stochastic : bool
        Class attribute: whether :meth:`forward` draws random numbers while
        training.
    penalized : tuple of bool
        Class attribute, one entry per parameter: whether the estimator's L2
        penalty ``alpha`` applies to it (weights usually, biases and scales not).

    Examples
    --------
    A layer that adds Gaussian noise while training, and is the identity
    otherwise:

    >>> import numpy as np
    >>> from skmlp.layers import Layer
    >>> class GaussianNoise(Layer):
    ...     stochastic = True
    ...     def __init__(self, std=0.1):
    ...         self.std = std
    ...     def forward(self, X, training):
    ...         if not training:
    ...             return X
    ...         return X + self.rng.normal(0.0, self.std, size=X.shape)
    ...     def backward(self, dY):
    ...         return dY
    >>> noise = GaussianNoise()
    >>> noise.build(3)
    3
    >>> noise.forward(np.ones((1, 3)), training=False)
    array([[1., 1., 1.]])
    """

    stochastic = False
    penalized = ()

    def build(self, n_inputs):
        """Prepare the layer for inputs of width ``n_inputs``.

        Parameters
        ----------
        n_inputs : int

        Returns
        -------
        n_outputs : int
            The width of the layer's output; this default keeps ``n_inputs``.

        Examples
        --------
        >>> from skmlp.layers import Dropout
        >>> Dropout(0.5).build(4)
        4
        """
        self.n_inputs = self.n_outputs = int(n_inputs)
        return self.n_outputs

    def parameter_shapes(self):
        """Shapes of the parameter arrays, in the order of :attr:`params`.

        Returns
        -------
        shapes : list of tuple
            ``[]`` (this default) for a layer without parameters.

        Examples
        --------
        >>> from skmlp.layers import Dense
        >>> layer = Dense(3, activation=None)
        >>> _ = layer.build(2)
        >>> layer.parameter_shapes()
        [(2, 3), (3,)]
        """
        return []

    def initial_parameters(self, rng, dtype):
        """Initial values of the parameters, drawn from ``rng``.

        Parameters
        ----------
        rng : numpy.random.RandomState
            The fit's generator: draw every random number from it.
        dtype : numpy floating dtype

        Returns
        -------
        values : list of ndarray
            Shaped as :meth:`parameter_shapes`; this default gives zeros.

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.initializers import Zeros
        >>> from skmlp.layers import Dense
        >>> layer = Dense(2, activation=None, weight_init=Zeros())
        >>> _ = layer.build(1)
        >>> layer.initial_parameters(np.random.RandomState(0), np.float64)
        [array([[0., 0.]]), array([0., 0.])]
        """
        return [np.zeros(shape, dtype=dtype) for shape in self.parameter_shapes()]

    def bind(self, params, grads):
        """Take views of the flat parameter and gradient buffers.

        Parameters
        ----------
        params, grads : list of ndarray
            Shaped as :meth:`parameter_shapes`.

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.layers import Dense
        >>> layer = Dense(1, activation=None)
        >>> _ = layer.build(1)
        >>> layer.bind([np.ones((1, 1)), np.zeros(1)],
        ...            [np.zeros((1, 1)), np.zeros(1)])
        >>> layer.W
        array([[1.]])
        """
        self.params, self.grads = list(params), list(grads)

    def forward(self, X, training):
        """The layer's output for a batch.

        Keep on ``self`` whatever :meth:`backward` will need (the input, a
        mask); do not modify ``X``.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_inputs)
            (The first layer may receive a SciPy sparse matrix.)
        training : bool
            True while training; prediction, validation scores and the
            reported loss use False.

        Returns
        -------
        Y : ndarray of shape (n_samples, n_outputs)
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement forward(X, training)"
        )

    def backward(self, dY):
        """Gradients, given dLoss/dY of the last :meth:`forward` (training).

        ``dY`` is the gradient of the *summed* (sample-weighted) loss of the
        batch; write the gradient of each parameter into :attr:`grads` (the
        network turns sums into means and adds the penalty).

        Parameters
        ----------
        dY : ndarray of shape (n_samples, n_outputs)
            May be modified.

        Returns
        -------
        dX : ndarray of shape (n_samples, n_inputs)
            dLoss/dX, passed to the layer below.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement backward(dY)")

    def __getstate__(self):
        # The bound views are the network's buffers: it binds them again.
        state = self.__dict__.copy()
        for name in self._bound_attributes:
            state.pop(name, None)
        return state

    _bound_attributes = ("params", "grads", "rng")

    def __repr__(self):
        names = [
            name
            for name in vars(self)
            if not name.startswith("_")
            and name not in (*self._bound_attributes, "n_inputs", "n_outputs")
        ]
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({args})"


class Dense(Layer):
    """A fully connected layer, ``Z = X @ W + b`` and ``A = activation(Z)``.

    Parameters
    ----------
    units : int
        Width of the output.
    activation : str, Activation or None, default="relu"
        A name of :data:`skmlp.activations.ACTIVATIONS` or an
        :class:`~skmlp.activations.Activation`; ``None`` outputs ``Z`` itself
        (the output layer, whose activation belongs to the loss).
    weight_init : str or Initializer, default="auto"
        A name of :data:`skmlp.initializers.INITIALIZERS`, an
        :class:`~skmlp.initializers.Initializer`, or ``"auto"``:
        scikit-learn's scheme for this layer's activation.

    Attributes
    ----------
    W : ndarray of shape (n_inputs, units)
    b : ndarray of shape (units,)
    grad_W, grad_b : ndarray
        Gradients, shaped like ``W`` and ``b``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.layers import Dense
    >>> layer = Dense(1, activation="identity")
    >>> _ = layer.build(2)
    >>> layer.bind([np.array([[1.0], [2.0]]), np.array([0.5])],
    ...            [np.zeros((2, 1)), np.zeros(1)])
    >>> layer.forward(np.array([[1.0, 1.0]]), training=False)
    array([[3.5]])
    """

    penalized = (True, False)
    _bound_attributes = (*Layer._bound_attributes, "W", "b", "grad_W", "grad_b")

    def __init__(self, units, activation="relu", weight_init="auto"):
        self.units = units
        self.activation = activation
        self.weight_init = weight_init

    def build(self, n_inputs):
        self.n_inputs, self.n_outputs = int(n_inputs), int(self.units)
        if self.activation is not None:
            self.activation = _activations.get(self.activation)
        return self.n_outputs

    def parameter_shapes(self):
        return [(self.n_inputs, self.n_outputs), (self.n_outputs,)]

    def initial_parameters(self, rng, dtype):
        init = self.weight_init
        if isinstance(init, str) and init == "auto":
            init = _initializers.auto(getattr(self.activation, "name", "relu"))
        W, b = init(self.n_inputs, self.n_outputs, rng, dtype)
        return [np.asarray(W), np.asarray(b)]

    def bind(self, params, grads):
        super().bind(params, grads)
        self.W, self.b = params
        self.grad_W, self.grad_b = grads

    def forward(self, X, training):
        arrays = self._new_arrays(X.shape[0], self.W.dtype, training, keep_z=True)
        self._cache = (X, arrays)
        return self._planned_forward(None, arrays)(X)

    def backward(self, dY):
        X, arrays = self._cache
        np.copyto(arrays.dY, dY)
        dX = np.empty((dY.shape[0], self.n_inputs), dtype=dY.dtype)
        self._planned_backward(None, arrays, dX)(X)
        return dX

    _bound_attributes = (*_bound_attributes, "_cache")

    # -- planned steps: the same operations, bound to preallocated arrays ------

    def _new_arrays(self, n_rows, dtype, training, keep_z=False):
        """Work arrays for ``n_rows`` rows: a :class:`_Arrays` with ``Z``,
        ``A`` (``Z`` itself when the activation's derivative reads ``A`` alone
        and ``Z`` need not be kept, as scikit-learn does), read-only ``zeros``,
        and for training the delta ``dY`` (dLoss/dA, turned into dLoss/dZ in
        place) and the derivative's ``work``."""
        shape = (n_rows, self.n_outputs)
        Z = np.empty(shape, dtype=dtype)
        arrays = _Arrays(Z=Z, A=None, zeros=None, work=None, dY=None, output=Z)
        if self.activation is not None:
            shared = _activations._kernel(self.activation).in_place and not keep_z
            arrays.A = arrays.output = Z if shared else np.empty(shape, dtype=dtype)
            arrays.zeros = read_only_zeros(Z.size, dtype).reshape(shape)
            if training:
                arrays.work = np.empty(shape, dtype=dtype)
        if training:
            arrays.dY = np.empty(shape, dtype=dtype)
        return arrays

    def _planned_forward(self, inputs, arrays):
        """``forward(X) -> output`` with every array bound.

        ``inputs`` is the layer below's output buffer, or None when the input
        is the batch itself (the first layer: it may be sparse, or an array of
        any layout, and is known only at call time).
        """
        W, Z, A, zeros = self.W, arrays.Z, arrays.A, arrays.zeros
        product = _matmul_into if inputs is None else np.dot
        add_bias = _bias_adder(Z, self.b)
        if self.activation is None:

            def forward(X):
                product(X, W, out=Z)
                add_bias()
                return Z

            return forward
        activate = _activations._kernel(self.activation).forward

        def forward(X):
            product(X, W, out=Z)
            add_bias()
            return activate(Z, A, zeros)

        return forward

    def _planned_backward(self, inputs, arrays, dX):
        """``backward(X)``: ``arrays.dY`` to the gradients and to ``dX``.

        ``X``, the batch, is read only when ``inputs`` is None; ``dX`` is None
        for the first layer of a network (nothing reads it).
        """
        Z, A, dZ, work = arrays.Z, arrays.A, arrays.dY, arrays.work
        grad_W, dot = self.grad_W, np.dot
        n_rows = dZ.shape[0]
        derivative = None
        if self.activation is not None:
            derivative = _activations._kernel(self.activation).backprop
        column_sums = _column_sums(dZ, self.grad_b, self.n_outputs, n_rows)
        propagate = None if dX is None else _propagate(dZ, self.W, dX, n_rows)
        bound_T = None if inputs is None else inputs.T

        def backward(X):
            if derivative is not None:
                derivative(Z, A, dZ, work)
            if bound_T is not None:
                dot(bound_T, dZ, out=grad_W)
            else:
                _matmul_into(X.T, dZ, out=grad_W)
            column_sums()
            if propagate is not None:
                propagate()

        return backward


class Dropout(Layer):
    """Inverted dropout: while training, zero each input with probability ``rate``.

    Kept inputs are scaled by ``1 / (1 - rate)``, so that the expected output
    equals the input and prediction, where the layer passes its input through
    unchanged, needs no rescaling. Masks are drawn from :attr:`rng`, which the
    network derives from the estimator's ``random_state``.

    Parameters
    ----------
    rate : float, default=0.5
        Probability of dropping each input, in [0, 1).

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.layers import Dropout
    >>> layer = Dropout(0.5)
    >>> _ = layer.build(4)
    >>> layer.rng = np.random.default_rng(0)
    >>> layer.forward(np.ones((2, 4)), training=True)
    array([[0., 2., 2., 2.],
           [0., 0., 0., 0.]])
    >>> layer.forward(np.ones((1, 4)), training=False)
    array([[1., 1., 1., 1.]])
    """

    _bound_attributes = (*Layer._bound_attributes, "_arrays")

    def __init__(self, rate=0.5):
        self.rate = rate

    @property
    def stochastic(self):
        return self.rate > 0

    def build(self, n_inputs):
        rate = self.rate
        if isinstance(rate, bool) or not (
            isinstance(rate, int | float | np.number) and 0 <= rate < 1
        ):
            raise ValueError(f"Dropout rate must be a number in [0, 1), got {rate!r}")
        return super().build(n_inputs)

    def forward(self, X, training):
        if not training or not self.rate:
            return X
        self._arrays = self._new_arrays(X.shape[0], X.dtype, training)
        return self._planned_forward(None, self._arrays)(X)

    def backward(self, dY):
        if not self.rate:
            return dY
        return dY * self._arrays.mask

    def _new_arrays(self, n_rows, dtype, training, keep_z=False):
        """``output``, ``mask`` (``scale`` where kept, else 0), ``uniform`` and
        ``dY`` for training; no output (the input passes through) for
        prediction or a rate of 0."""
        shape = (n_rows, self.n_outputs)
        if not training or not self.rate:
            dY = np.empty(shape, dtype=dtype) if training else None
            return _Arrays(output=None, mask=None, uniform=None, dY=dY)
        return _Arrays(
            output=np.empty(shape, dtype=dtype),
            mask=np.empty(shape, dtype=dtype),
            uniform=np.empty(shape, dtype=np.float64),
            dY=np.empty(shape, dtype=dtype),
        )

    def _planned_forward(self, inputs, arrays):
        if arrays.mask is None:
            return _pass_through
        out, mask, uniform = arrays.output, arrays.mask, arrays.uniform
        keep = 1.0 - self.rate
        scale = mask.dtype.type(1.0 / keep)
        layer = self  # its rng is set for each fit, after the plan is made

        def forward(X):
            layer.rng.random(out=uniform)  # in [0, 1): kept where below keep
            np.less(uniform, keep, out=mask, casting="unsafe")
            np.multiply(mask, scale, out=mask)
            return np.multiply(X, mask, out=out)

        return forward

    def _planned_backward(self, inputs, arrays, dX):
        if dX is None:
            return _nothing
        if arrays.mask is None:
            return functools.partial(_copy_into, dX, arrays.dY)
        dY, mask = arrays.dY, arrays.mask

        def backward(X):
            np.multiply(dY, mask, out=dX)

        return backward


def read_only_zeros(size, dtype):
    """A flat read-only array of ``size`` zeros."""
    zeros = np.zeros(size, dtype=dtype)
    zeros.flags.writeable = False
    return zeros


class _Arrays:
    """A layer's work arrays for one batch size, as attributes; ``output`` is
    what the layer above reads (None: the layer passes its input through)."""

    def __init__(self, **arrays):
        self.__dict__.update(arrays)


def _pass_through(X):
    return X


def _nothing(X):
    pass


def _copy_into(dst, src, X):
    np.copyto(dst, src)
