"""The layer stack: forward pass, backward pass and the flat parameter buffer.

All weights and biases live in one contiguous vector :attr:`Network.params`, laid
out as scikit-learn packs them: every layer's ``W`` (row-major) first, then every
layer's ``b``. Each layer's ``W`` and ``b`` are views into it, and the gradients
live in :attr:`Network.grads` with the same layout. An optimiser step is then a
few vector operations whatever the depth, and L-BFGS works on the same vector.

Examples
--------
>>> import numpy as np
>>> from skmlp.activations import Tanh
>>> from skmlp.losses import SoftmaxLogLoss
>>> from skmlp.network import Network
>>> net = Network([2, 4, 3], [Tanh()], SoftmaxLogLoss(), np.float64)
>>> net.params.shape, [W.shape for W in net.coefs]
((27,), [(2, 4), (4, 3)])
"""

import numpy as np

from ._plan import Buffers, StepPlan, read_only_zeros
from .layers import Dense, _matmul_into

__all__ = ["Network"]

# Rows per chunk when predicting, so memory does not grow with n_samples.
_PREDICT_CHUNK_ELEMENTS = 1 << 20
# Attributes that _bind recreates (not pickled).
_BOUND_VIEWS = ("_coef_params", "_coef_grads", "_coef_work", "_buffers", "_plans")


class Network:
    """A stack of :class:`~skmlp.layers.Dense` layers ending in a loss.

    Parameters
    ----------
    layer_units : sequence of int
        ``[n_features, hidden_1, ..., hidden_k, n_outputs]``.
    activations : sequence of Activation
        One per hidden layer.
    loss : Loss
        The output loss (it owns the output activation).
    dtype : numpy floating dtype

    Attributes
    ----------
    layers : list of Dense
    params : ndarray of shape (n_params,)
        All weights, then all biases.
    grads : ndarray of shape (n_params,)
        Gradient of the regularised mean loss, same layout as ``params``.
    coefs, intercepts : list of ndarray
        Views of ``params``: ``coefs[i]`` has shape ``(layer_units[i],
        layer_units[i + 1])``.
    n_coef_params : int
        Number of weights (the L2 penalty applies to ``params[:n_coef_params]``).

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import ReLU
    >>> from skmlp.losses import BinaryLogLoss
    >>> from skmlp.network import Network
    >>> net = Network([2, 3, 1], [ReLU()], BinaryLogLoss(), np.float64)
    >>> net.coefs[0][:] = 1.0
    >>> float(net.params[:6].sum())
    6.0
    """

    def __init__(self, layer_units, activations, loss, dtype):
        if len(activations) != len(layer_units) - 2:
            raise ValueError(
                f"Need one activation per hidden layer: got {len(activations)} "
                f"for {len(layer_units) - 2} hidden layers"
            )
        self.layer_units = [int(u) for u in layer_units]
        self.loss = loss
        self.dtype = np.dtype(dtype)
        self.layers = [
            Dense(n_in, n_out, act)
            for n_in, n_out, act in zip(
                self.layer_units[:-1], self.layer_units[1:], [*activations, None]
            )
        ]
        shapes = [layer.parameter_shapes for layer in self.layers]
        self.n_coef_params = sum(int(np.prod(s[0])) for s in shapes)
        n_params = sum(layer.n_params for layer in self.layers)
        self.params = np.zeros(n_params, dtype=self.dtype)
        self.grads = np.zeros(n_params, dtype=self.dtype)
        self._bind()

    # -- buffers --------------------------------------------------------------

    def _bind(self):
        """(Re)create the per-layer views into ``params`` and ``grads``."""
        self.coefs, self.intercepts = self._split(self.params)
        grad_coefs, grad_intercepts = self._split(self.grads)
        self._coef_params = self.params[: self.n_coef_params]
        self._coef_grads = self.grads[: self.n_coef_params]
        self._coef_work = np.empty(self.n_coef_params, dtype=self.dtype)
        for layer, W, b, gW, gb in zip(
            self.layers, self.coefs, self.intercepts, grad_coefs, grad_intercepts
        ):
            layer.bind([W, b], [gW, gb])
        self._forget_plans()  # they hold the old views

    def _forget_plans(self):
        """Drop the step plans and their buffers; they are made again when needed."""
        self._buffers = None
        self._plans = {}

    def set_activations(self, activations):
        """Give the hidden layers new activations (one per hidden layer).

        Parameters
        ----------
        activations : sequence of Activation

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.activations import ReLU, Tanh
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([2, 3, 1], [ReLU()], BinaryLogLoss(), np.float64)
        >>> net.set_activations([Tanh()])
        >>> net.layers[0].activation
        Tanh()
        """
        if len(activations) != len(self.layers) - 1:
            raise ValueError(
                f"Need one activation per hidden layer: got {len(activations)} "
                f"for {len(self.layers) - 1} hidden layers"
            )
        for layer, activation in zip(self.layers, activations):
            layer.activation = activation
        # Which activations work in place decides the buffers' layout.
        self._forget_plans()

    def _split(self, flat):
        coefs, intercepts = [], []
        start = 0
        for layer in self.layers:
            end = start + layer.n_inputs * layer.n_units
            coefs.append(flat[start:end].reshape(layer.n_inputs, layer.n_units))
            start = end
        for layer in self.layers:
            end = start + layer.n_units
            intercepts.append(flat[start:end])
            start = end
        return coefs, intercepts

    def __getstate__(self):
        state = self.__dict__.copy()
        for key in ("coefs", "intercepts", *_BOUND_VIEWS):
            state.pop(key, None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._bind()

    def initialize(self, initializers, rng):
        """Draw every layer's weights and biases, layer after layer.

        Parameters
        ----------
        initializers : sequence of Initializer
            One per layer (hidden layers, then the output layer).
        rng : numpy.random.RandomState

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.activations import ReLU
        >>> from skmlp.initializers import Zeros
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([2, 3, 1], [ReLU()], BinaryLogLoss(), np.float64)
        >>> net.initialize([Zeros(), Zeros()], np.random.RandomState(0))
        >>> float(abs(net.params).sum())
        0.0
        """
        for init, layer, W, b in zip(
            initializers, self.layers, self.coefs, self.intercepts
        ):
            new_W, new_b = init(layer.n_inputs, layer.n_units, rng, self.dtype)
            new_W, new_b = np.asarray(new_W), np.asarray(new_b)
            if new_W.shape != W.shape or new_b.shape != b.shape:
                raise ValueError(
                    f"Initializer {init!r} returned shapes {new_W.shape} and "
                    f"{new_b.shape}; expected {W.shape} and {b.shape}"
                )
            W[...] = new_W
            b[...] = new_b

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
        >>> from skmlp.activations import ReLU
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([1, 1, 1], [ReLU()], BinaryLogLoss(), np.float64)
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
        """The :class:`~skmlp._plan.StepPlan` for batches of ``n_rows`` rows."""
        plan = self._plans.get(n_rows)
        if plan is None:
            buffers = self._buffers
            if buffers is None or buffers.n_rows < n_rows:
                # New, larger buffers: the plans cut from the old ones go too.
                in_place = [layer.activation._in_place for layer in self.layers[:-1]]
                buffers = self._buffers = Buffers(
                    n_rows, self.layer_units[1:], self.dtype, in_place
                )
                self._plans = {}
            plan = self._plans[n_rows] = StepPlan(self, buffers.rows(n_rows))
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
        >>> from skmlp.activations import Tanh
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([1, 2, 1], [Tanh()], BinaryLogLoss(), np.float64)
        >>> X, Y = np.ones((3, 1)), np.ones((3, 1))
        >>> net.step_function(3)(X, Y, None, 0.0) == net.loss_and_grad(X, Y)
        True
        """
        return self._plan(n_rows)

    def loss_and_grad(self, X, Y, sample_weight=None, alpha=0.0):
        """Mean loss of a batch and its gradient, written into :attr:`grads`.

        The loss is ``sum_i w_i l_i / sum_i w_i + alpha / 2 * ||W||^2 / sum_i w_i``,
        scikit-learn's objective (``w_i = 1`` without sample weights). A batch whose
        weights sum to zero contributes a zero loss and a zero gradient.

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
        >>> from skmlp.activations import Tanh
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([1, 2, 1], [Tanh()], BinaryLogLoss(), np.float64)
        >>> round(net.loss_and_grad(np.ones((3, 1)), np.ones((3, 1))), 4)
        0.6931
        """
        plan = self._plans.get(X.shape[0])
        if plan is None:
            plan = self._plan(X.shape[0])
        return plan(X, Y, sample_weight, alpha)

    def forward_layers(self, X, coefs=None, intercepts=None):
        """Every layer's pre-activations and activations.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
        coefs, intercepts : list of ndarray, optional
            Parameters to use instead of the network's own.

        Returns
        -------
        Zs : list of ndarray
            ``Zs[i]`` of shape ``(n_samples, layer_units[i + 1])``; the last entry
            holds the output logits.
        As : list of ndarray
            Hidden-layer activations, one per hidden layer, then the output
            probabilities.

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.activations import ReLU
        >>> from skmlp.losses import SoftmaxLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([2, 3, 4], [ReLU()], SoftmaxLogLoss(), np.float64)
        >>> Zs, As = net.forward_layers(np.ones((5, 2)))
        >>> [Z.shape for Z in Zs], As[-1].sum(axis=1).tolist()
        ([(5, 3), (5, 4)], [1.0, 1.0, 1.0, 1.0, 1.0])
        """
        coefs = self.coefs if coefs is None else coefs
        intercepts = self.intercepts if intercepts is None else intercepts
        Zs, As = [], []
        inputs = X
        for layer, W, b in zip(self.layers, coefs, intercepts):
            Z = np.asarray(inputs @ W) + b
            Zs.append(Z)
            if layer.activation is None:
                As.append(self.loss.probabilities(Z))
            else:
                inputs = layer.activation.forward(Z)
                As.append(inputs)
        return Zs, As

    def logits(self, X, coefs=None, intercepts=None):
        """Output logits, computed in chunks of rows.

        Memory beyond the result is one chunk's work arrays, whatever
        ``n_samples``. Each call allocates its own arrays, so concurrent calls
        from several threads are safe.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
        coefs, intercepts : list of ndarray, optional
            Parameters to use instead of the network's own.

        Returns
        -------
        Z : ndarray of shape (n_samples, n_outputs)

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.activations import ReLU
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([2, 3, 1], [ReLU()], BinaryLogLoss(), np.float64)
        >>> net.logits(np.ones((4, 2))).shape
        (4, 1)
        """
        coefs = self.coefs if coefs is None else coefs
        intercepts = self.intercepts if intercepts is None else intercepts
        n = X.shape[0]
        units = self.layer_units[1:]
        out = np.empty((n, units[-1]), dtype=self.dtype)
        chunk = max(1, min(n, _PREDICT_CHUNK_ELEMENTS // max(units)))
        Z = [np.empty((chunk, u), dtype=self.dtype) for u in units[:-1]]
        # Activations that work in place write A over Z; the others need an A.
        hidden = [
            Zi if layer.activation._in_place else np.empty_like(Zi)
            for Zi, layer in zip(Z, self.layers)
        ]
        zeros = read_only_zeros(chunk * max(units[:-1], default=0), self.dtype)
        for start in range(0, n, chunk):
            stop = min(start + chunk, n)
            m = stop - start
            inputs = X[start:stop]
            for i, layer in enumerate(self.layers):
                last = i == len(self.layers) - 1
                target = out[start:stop] if last else Z[i][:m]
                _matmul_into(inputs, coefs[i], target)
                target += intercepts[i]
                if not last:
                    zero = zeros[: target.size].reshape(target.shape)
                    inputs = layer.activation._forward_inplace(
                        target, hidden[i][:m], zero
                    )
        return out

    def predict_proba(self, X, coefs=None, intercepts=None):
        """Output probabilities (the loss's output activation of the logits).

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_features)
        coefs, intercepts : list of ndarray, optional

        Returns
        -------
        P : ndarray of shape (n_samples, n_outputs)

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.activations import ReLU
        >>> from skmlp.losses import BinaryLogLoss
        >>> from skmlp.network import Network
        >>> net = Network([2, 3, 1], [ReLU()], BinaryLogLoss(), np.float64)
        >>> net.predict_proba(np.ones((2, 2)))
        array([[0.5],
               [0.5]])
        """
        Z = self.logits(X, coefs, intercepts)
        return self.loss.probabilities(Z, out=Z)
