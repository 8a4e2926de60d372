"""Layers of the network.

A layer owns no memory of its own: its parameters and their gradients are views
into the network's flat buffers, bound by :meth:`Layer.bind`, and its work arrays
(pre-activations ``Z``, activations ``A``) are handed to it by the network.

Examples
--------
>>> import numpy as np
>>> from skmlp.activations import ReLU
>>> from skmlp.layers import Dense
>>> layer = Dense(2, 3, ReLU())
>>> layer.n_params
9
"""

import numpy as np
import scipy.sparse as sp

__all__ = ["Layer", "Dense"]


class Layer:
    """Interface of a layer in the stack.

    Attributes
    ----------
    n_inputs, n_units : int
        Width of the layer's input and output.
    activation : Activation or None
        ``None`` for the output layer, whose activation belongs to the loss.

    Examples
    --------
    >>> from skmlp.layers import Dense, Layer
    >>> issubclass(Dense, Layer)
    True
    """

    n_inputs = 0
    n_units = 0
    activation = None

    @property
    def parameter_shapes(self):
        """Shapes of the parameter arrays, in buffer order.

        Returns
        -------
        shapes : list of tuple

        Examples
        --------
        >>> from skmlp.layers import Dense
        >>> Dense(2, 3, None).parameter_shapes
        [(2, 3), (3,)]
        """
        raise NotImplementedError

    @property
    def n_params(self):
        """Number of scalar parameters."""
        return sum(int(np.prod(s)) for s in self.parameter_shapes)

    def bind(self, params, grads):
        """Point the layer at views of the flat parameter and gradient buffers.

        Parameters
        ----------
        params : list of ndarray
            Views shaped as :attr:`parameter_shapes`.
        grads : list of ndarray
            Views of the same shapes into the gradient buffer.

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.layers import Dense
        >>> layer = Dense(1, 1, None)
        >>> layer.bind([np.ones((1, 1)), np.zeros(1)], [np.zeros((1, 1)), np.zeros(1)])
        >>> layer.W
        array([[1.]])
        """
        raise NotImplementedError

    def forward(self, X, Z, A):
        """Compute the layer's pre-activations into ``Z`` and activations into ``A``.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_inputs)
        Z : ndarray of shape (n_samples, n_units)
        A : ndarray of shape (n_samples, n_units) or None
            ``None`` for the output layer.
        """
        raise NotImplementedError

    def backward(self, X, dZ, dX):
        """Accumulate parameter gradients and propagate the delta downwards.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_inputs)
            The layer's input in the forward pass.
        dZ : ndarray of shape (n_samples, n_units)
            dLoss/dZ of this layer (already weighted by sample weights).
        dX : ndarray of shape (n_samples, n_inputs) or None
            Receives dLoss/dX; ``None`` for the first layer.
        """
        raise NotImplementedError


class Dense(Layer):
    """A fully connected layer, ``Z = X @ W + b`` and ``A = activation(Z)``.

    Parameters
    ----------
    n_inputs : int
    n_units : int
    activation : Activation or None
        ``None`` for the output layer.

    Attributes
    ----------
    W : ndarray of shape (n_inputs, n_units)
    b : ndarray of shape (n_units,)
    grad_W, grad_b : ndarray
        Gradients of the mean loss, shaped like ``W`` and ``b``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp.activations import Identity
    >>> from skmlp.layers import Dense
    >>> layer = Dense(2, 1, Identity())
    >>> layer.bind([np.array([[1.0], [2.0]]), np.array([0.5])],
    ...            [np.zeros((2, 1)), np.zeros(1)])
    >>> Z = np.empty((1, 1)); A = np.empty((1, 1))
    >>> layer.forward(np.array([[1.0, 1.0]]), Z, A)
    >>> A
    array([[3.5]])
    """

    def __init__(self, n_inputs, n_units, activation):
        self.n_inputs = n_inputs
        self.n_units = n_units
        self.activation = activation

    @property
    def parameter_shapes(self):
        return [(self.n_inputs, self.n_units), (self.n_units,)]

    def bind(self, params, grads):
        self.W, self.b = params
        self.grad_W, self.grad_b = grads

    # The hot loop: every call writes into a preallocated array, and a plain
    # ndarray (the usual case) is recognised without scipy's issparse.

    def forward(self, X, Z, A):
        self.forward_linear(X, Z)
        if A is not None:
            self.activation.forward_into(Z, A)

    def forward_linear(self, X, Z):
        """Write the pre-activations ``X @ W + b`` into ``Z``.

        Parameters
        ----------
        X : ndarray or sparse matrix of shape (n_samples, n_inputs)
        Z : ndarray of shape (n_samples, n_units)

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.layers import Dense
        >>> layer = Dense(2, 1, None)
        >>> layer.bind([np.array([[1.0], [2.0]]), np.array([0.5])],
        ...            [np.zeros((2, 1)), np.zeros(1)])
        >>> Z = np.empty((1, 1))
        >>> layer.forward_linear(np.array([[1.0, 1.0]]), Z)
        >>> Z
        array([[3.5]])
        """
        if type(X) is not np.ndarray and sp.issparse(X):
            Z[...] = X @ self.W
        else:
            np.matmul(X, self.W, out=Z)
        np.add(Z, self.b, out=Z)

    def backward(self, X, dZ, dX):
        if type(X) is not np.ndarray and sp.issparse(X):
            self.grad_W[...] = X.T @ dZ
        else:
            np.matmul(X.T, dZ, out=self.grad_W)
        if 1 < self.n_units <= 32 and dZ.shape[0] > 16:
            # The same sequential sum over rows as add.reduce (bit for bit), but
            # without add.reduce's per-row overhead, which dominates narrow layers.
            np.einsum("ij->j", dZ, out=self.grad_b)
        else:
            np.add.reduce(dZ, axis=0, out=self.grad_b)
        if dX is not None:
            if self.n_units == 1:
                # An outer product: each entry is one product, as in the matmul,
                # but a broadcast multiply skips BLAS's slow k=1 path. For a few
                # columns of many rows, one multiply per column also skips the
                # broadcast's inner loop of a few elements per row.
                if self.n_inputs < 8 and dZ.shape[0] >= 64:
                    for j in range(self.n_inputs):
                        np.multiply(dZ[:, 0], self.W[j, 0], out=dX[:, j])
                else:
                    np.multiply(dZ, self.W.T, out=dX)
            else:
                np.matmul(dZ, self.W.T, out=dX)
