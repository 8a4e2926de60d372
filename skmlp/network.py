"""The layer stack: its flat parameter buffer, and its forward and backward steps.

All parameters live in one contiguous vector :attr:`Network.params`. Those the
L2 penalty applies to come first, then the others, each group in layer order:
for a stack of Dense layers that is scikit-learn's packing, every ``W``
(row-major) and then every ``b``. Each layer's parameters are views into it,
and the gradients live in :attr:`Network.grads` with the same layout. An
optimiser step is then a few vector operations whatever the depth, L-BFGS works
on the same vector, and the penalty on one slice.

Training, prediction, :meth:`Network.forward_layers` and the gradient check all
run the layers' steps through one :class:`~skmlp._plan.Plan` per batch size.

Examples
--------
>>> import numpy as np
>>> from skmlp.layers import Dense
>>> from skmlp.losses import SoftmaxLogLoss
>>> from skmlp.network import Network
>>> net = Network([Dense(4, "tanh"), Dense(3, None)], SoftmaxLogLoss(), 2,
...               np.float64)
>>> net.params.shape, [W.shape for W in net.coefs]
((27,), [(2, 4), (4, 3)])
"""

import copy

import numpy as np

from ._plan import Plan
from .layers import Dense

__all__ = ["Network"]

# Rows per chunk when predicting, so memory does not grow with n_samples.
_PREDICT_CHUNK_ELEMENTS = 1 << 20
# Attributes that _bind recreates (not pickled).
_BOUND = ("coefs", "intercepts", "_coef_params", "_coef_grads", "_coef_work", "_plans")


class Network:
    """A stack of layers ending in a loss, over one flat parameter buffer.

    Parameters
    ----------
    layers : list of Layer
        Unbuilt layers, the last one the output layer (a
        :class:`~skmlp.layers.Dense` without activation: the loss owns it).
        The network builds them and owns them.
    loss : Loss
    n_features : int
    dtype : numpy floating dtype

    Attributes
    ----------
    layers : list of Layer
    params : ndarray of shape (n_params,)
    grads : ndarray of shape (n_params,)
        Gradient of the regularised mean loss, same layout as ``params``.
    coefs, intercepts : list of ndarray
        The Dense layers' ``W`` and ``b``: views of ``params``.
    widths : list of int
        ``[n_features, *(output width of each layer)]``.
    layer_units : list of int
        ``[n_features, *(width of each Dense layer)]``, scikit-learn's
        ``layer_units``.
    n_coef_params : int
        Number of penalised parameters, at the start of ``params``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.layers import Dense, Dropout
    >>> from skmlp.losses import BinaryLogLoss
    >>> from skmlp.network import Network
    >>> net = Network([Dense(3), Dropout(0.5), Dense(1, None)], BinaryLogLoss(),
    ...               2, np.float64)
    >>> net.layer_units, net.n_coef_params, net.params.size
    ([2, 3, 1], 9, 13)
    """

    def __init__(self, layers, loss, n_features, dtype):
        self.layers = list(layers)
        self.loss = loss
        self.dtype = np.dtype(dtype)
        self.widths = [int(n_features)]
        for layer in self.layers:
            self.widths.append(int(layer.build(self.widths[-1])))
        entries = self._parameter_entries()
        self.n_coef_params = sum(size for *_, size, penalized in entries if penalized)
        n_params = sum(entry[3] for entry in entries)
        self.params = np.zeros(n_params, dtype=self.dtype)
        self.grads = np.zeros(n_params, dtype=self.dtype)
        self._bind()

    @property
    def dense_layers(self):
        """The :class:`~skmlp.layers.Dense` layers, the output layer last."""
        return [layer for layer in self.layers if isinstance(layer, Dense)]

    @property
    def layer_units(self):
        return [self.widths[0], *(layer.n_outputs for layer in self.dense_layers)]

    # -- buffers --------------------------------------------------------------

    def _parameter_entries(self):
        """``(layer index, parameter index, shape, size, penalized)``, in buffer
        order: the penalised parameters of every layer, then the others."""
        entries = []
        for i, layer in enumerate(self.layers):
            shapes = [
                tuple(int(n) for n in shape) for shape in layer.parameter_shapes()
            ]
            flags = tuple(layer.penalized) or (False,) * len(shapes)
            if len(flags) != len(shapes):
                raise ValueError(
                    f"{layer!r} has {len(shapes)} parameters but its `penalized` "
                    f"has {len(flags)} entries; give one bool per parameter"
                )
            for j, (shape, flag) in enumerate(zip(shapes, flags)):
                entries.append((i, j, shape, int(np.prod(shape)), bool(flag)))
        return [e for e in entries if e[4]] + [e for e in entries if not e[4]]

    def _bind(self):
        """(Re)create every layer's views into ``params`` and ``grads``."""
        params = [[] for _ in self.layers]
        grads = [[] for _ in self.layers]
        start = 0
        for i, j, shape, size, _ in self._parameter_entries():
            params[i].append((j, self.params[start : start + size].reshape(shape)))
            grads[i].append((j, self.grads[start : start + size].reshape(shape)))
            start += size
        for layer, own_params, own_grads in zip(self.layers, params, grads):
            layer.bind(
                [view for _, view in sorted(own_params, key=lambda e: e[0])],
                [view for _, view in sorted(own_grads, key=lambda e: e[0])],
            )
        dense = self.dense_layers
        self.coefs = [layer.W for layer in dense]
        self.intercepts = [layer.b for layer in dense]
        self._coef_params = self.params[: self.n_coef_params]
        self._coef_grads = self.grads[: self.n_coef_params]
        self._coef_work = np.empty(self.n_coef_params, dtype=self.dtype)
        self._plans = {}  # the plans hold the old views

    def set_activations(self, activations):
        """Give the hidden Dense layers new activations (one per layer).

        Parameters
        ----------
        activations : sequence of Activation

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.activations import Tanh
        >>> from skmlp.layers import Dense
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([Dense(3), Dense(1, None)], BinaryLogLoss(), 2, np.float64)
        >>> net.set_activations([Tanh()])
        >>> net.layers[0].activation
        Tanh()
        """
        hidden = self.dense_layers[:-1]
        if len(activations) != len(hidden):
            raise ValueError(
                f"Need one activation per hidden layer: got {len(activations)} "
                f"for {len(hidden)} hidden layers"
            )
        for layer, activation in zip(hidden, activations):
            layer.activation = activation
        self._plans = {}  # which activations work in place decides the arrays

    @property
    def stochastic(self):
        """Whether some layer draws random numbers while training (dropout)."""
        return any(layer.stochastic for layer in self.layers)

    def start_training(self, rng):
        """Give the layers that draw random numbers while training a generator.

        One ``numpy.random.Generator``, seeded from ``rng``, serves them all;
        without such layers ``rng`` is not touched.

        Parameters
        ----------
        rng : numpy.random.RandomState
            The fit's generator.

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.layers import Dense, Dropout
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([Dense(3), Dropout(0.5), Dense(1, None)],
        ...               BinaryLogLoss(), 2, np.float64)
        >>> net.start_training(np.random.RandomState(0))
        >>> type(net.layers[1].rng).__name__
        'Generator'
        """
        stochastic = [layer for layer in self.layers if layer.stochastic]
        if stochastic:
            # One number from the fit's generator seeds the masks' own, which
            # fills preallocated arrays (RandomState cannot).
            generator = np.random.default_rng(rng.randint(np.iinfo(np.int32).max))
            for layer in stochastic:
                layer.rng = generator

    def __getstate__(self):
        state = self.__dict__.copy()
        for key in _BOUND:
            state.pop(key, None)
        # The dtype's name, not the dtype: skops.io does not trust dtype objects.
        state["dtype"] = self.dtype.name
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.dtype = np.dtype(self.dtype)
        self._bind()

    def astype(self, dtype):
        """This network with its parameters in ``dtype`` (itself if they are).

        Parameters
        ----------
        dtype : numpy floating dtype

        Returns
        -------
        network : Network

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.layers import Dense
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([Dense(1, None)], BinaryLogLoss(), 2, np.float32)
        >>> net.astype(np.float64).coefs[0].dtype
        dtype('float64')
        """
        if np.dtype(dtype) == self.dtype:
            return self
        state = copy.deepcopy(self.__getstate__())
        state.update(
            dtype=np.dtype(dtype),
            params=self.params.astype(dtype),
            grads=np.zeros(self.params.size, dtype=dtype),
        )
        other = object.__new__(type(self))
        other.__setstate__(state)
        return other

    def initialize(self, rng):
        """Draw every layer's initial parameters, layer after layer.

        Parameters
        ----------
        rng : numpy.random.RandomState

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.initializers import Zeros
        >>> from skmlp.layers import Dense
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([Dense(3, weight_init=Zeros()), Dense(1, None, Zeros())],
        ...               BinaryLogLoss(), 2, np.float64)
        >>> net.initialize(np.random.RandomState(0))
        >>> float(abs(net.params).sum())
        0.0
        """
        for layer in self.layers:
            values = layer.initial_parameters(rng, self.dtype)
            if len(values) != len(layer.params):
                raise ValueError(
                    f"{layer!r} gave {len(values)} initial parameter arrays; "
                    f"expected {len(layer.params)}"
                )
            for new, view in zip(values, layer.params):
                new = np.asarray(new)
                if new.shape != view.shape:
                    init = getattr(layer, "weight_init", layer)
                    raise ValueError(
                        f"Initializer {init!r} returned an array of shape "
                        f"{new.shape}; expected {view.shape}"
                    )
                view[...] = new

    def set_parameters(self, coefs, intercepts):
        """Copy weights and biases into the flat buffer.

        Parameters
        ----------
        coefs : list of array-like
            ``coefs[i]`` of shape ``(layer_units[i], layer_units[i + 1])``.
        intercepts : list of array-like
            ``intercepts[i]`` of shape ``(layer_units[i + 1],)``.

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.layers import Dense
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([Dense(1), Dense(1, None)], BinaryLogLoss(), 1, np.float64)
        >>> net.set_parameters([[[2.0]], [[3.0]]], [[0.0], [1.0]])
        >>> net.params
        array([2., 3., 0., 1.])
        """
        if len(coefs) != len(self.coefs) or len(intercepts) != len(self.intercepts):
            raise ValueError(
                f"coefs_ and intercepts_ must have {len(self.coefs)} entries each, "
                f"got {len(coefs)} and {len(intercepts)}"
            )
        for name, new, old in [
            *(("coefs_", n, o) for n, o in zip(coefs, self.coefs)),
            *(("intercepts_", n, o) for n, o in zip(intercepts, self.intercepts)),
        ]:
            new = np.asarray(new)
            if new.shape != old.shape:
                raise ValueError(
                    f"{name} entry has shape {new.shape}; expected {old.shape}"
                )
            if new is not old:
                old[...] = new

    # -- passes ---------------------------------------------------------------

    def _plan(self, n_rows):
        """The training :class:`~skmlp._plan.Plan` for batches of ``n_rows``."""
        plan = self._plans.get(n_rows)
        if plan is None:
            plan = self._plans[n_rows] = Plan(self, n_rows, training=True)
        return plan

    def step_function(self, n_rows):
        """:meth:`loss_and_grad` for batches of exactly ``n_rows`` rows.

        The same function with the look-up of the batch size's plan done once,
        for loops that run one batch size many times (full-batch training).

        Parameters
        ----------
        n_rows : int

        Returns
        -------
        loss_and_grad : callable
            ``loss_and_grad(X, Y, sample_weight, alpha) -> loss``.

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.layers import Dense
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([Dense(2, "tanh"), Dense(1, None)], BinaryLogLoss(), 1,
        ...               np.float64)
        >>> X, Y = np.ones((3, 1)), np.ones((3, 1))
        >>> net.step_function(3)(X, Y, None, 0.0) == net.loss_and_grad(X, Y)
        True
        """
        return self._plan(n_rows)

    def loss_and_grad(self, X, Y, sample_weight=None, alpha=0.0):
        """Mean loss of a batch and its gradient, written into :attr:`grads`.

        The loss is ``sum_i w_i l_i / sum_i w_i + alpha / 2 * ||W||^2 / sum_i w_i``,
        scikit-learn's objective (``w_i = 1`` without sample weights), with the
        layers in their training behaviour. A batch whose weights sum to zero
        contributes a zero loss and a zero gradient.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
        Y : ndarray of shape (n_samples, n_outputs)
            Targets (one-hot or indicator) in the network's dtype.
        sample_weight : ndarray of shape (n_samples,) or None
        alpha : float
            L2 penalty.

        Returns
        -------
        loss : float

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.layers import Dense
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([Dense(2, "tanh"), Dense(1, None)], BinaryLogLoss(), 1,
        ...               np.float64)
        >>> round(net.loss_and_grad(np.ones((3, 1)), np.ones((3, 1))), 4)
        0.6931
        """
        plan = self._plans.get(X.shape[0])
        if plan is None:
            plan = self._plan(X.shape[0])
        return plan(X, Y, sample_weight, alpha)

    def forward_layers(self, X):
        """Every Dense layer's pre-activations and activations (prediction).

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)

        Returns
        -------
        Zs : list of ndarray
            ``Zs[i]`` of shape ``(n_samples, layer_units[i + 1])``; the last entry
            holds the output logits.
        As : list of ndarray
            Hidden-layer activations, one per hidden Dense layer, then the
            outputs (probabilities, or predicted values for regression).

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.layers import Dense
        >>> from skmlp.losses import SoftmaxLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([Dense(3), Dense(4, None)], SoftmaxLogLoss(), 2,
        ...               np.float64)
        >>> Zs, As = net.forward_layers(np.ones((5, 2)))
        >>> [Z.shape for Z in Zs], As[-1].sum(axis=1).tolist()
        ([(5, 3), (5, 4)], [1.0, 1.0, 1.0, 1.0, 1.0])
        """
        plan = Plan(self, X.shape[0], training=False, keep_z=True)
        plan.forward(X)
        dense = [
            arrays
            for layer, arrays in zip(self.layers, plan.arrays)
            if isinstance(layer, Dense)
        ]
        Zs = [arrays.Z for arrays in dense]
        As = [arrays.A for arrays in dense[:-1]]
        return Zs, [*As, self.loss.output(Zs[-1])]

    def logits(self, X):
        """Output logits for prediction, computed in chunks of rows.

        Memory beyond the result is one chunk's work arrays, whatever
        ``n_samples``. Each call plans its own arrays, so concurrent calls
        from several threads are safe.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)

        Returns
        -------
        Z : ndarray of shape (n_samples, n_outputs)

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.layers import Dense
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([Dense(3), Dense(1, None)], BinaryLogLoss(), 2, np.float64)
        >>> net.logits(np.ones((4, 2))).shape
        (4, 1)
        """
        n = X.shape[0]
        chunk = max(1, min(n, _PREDICT_CHUNK_ELEMENTS // max(self.widths[1:])))
        out = np.empty((n, self.widths[-1]), dtype=self.dtype)
        plan = None
        for start in range(0, n, chunk):
            stop = min(start + chunk, n)
            if plan is None or plan.n_rows != stop - start:
                plan = Plan(self, stop - start, training=False)
            out[start:stop] = plan.forward(X[start:stop])
        return out

    def objective(self, X, Y, sample_weight=None, alpha=0.0):
        """The training objective of the whole network, as predicting sees it.

        :meth:`loss_and_grad`'s loss over all of ``X`` with every layer in its
        prediction behaviour (no dropout), computed in chunks; no gradient.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
        Y : ndarray of shape (n_samples, n_outputs)
        sample_weight : ndarray of shape (n_samples,) or None
        alpha : float

        Returns
        -------
        loss : float

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.layers import Dense
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([Dense(2, "tanh"), Dense(1, None)], BinaryLogLoss(), 1,
        ...               np.float64)
        >>> X, Y = np.ones((3, 1)), np.ones((3, 1))
        >>> net.objective(X, Y, None, 0.1) == net.loss_and_grad(X, Y, None, 0.1)
        True
        """
        Z = self.logits(X)
        total = self.loss.loss_and_delta(
            Z, Y, sample_weight, np.empty_like(Z), np.empty_like(Z)
        )
        weight = X.shape[0] if sample_weight is None else float(sample_weight.sum())
        coefs = self.params[: self.n_coef_params]
        penalty = 0.5 * alpha * float(np.dot(coefs, coefs))
        return total / weight + penalty / weight
