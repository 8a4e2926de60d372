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

import functools
import math

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

    def training_step(self, inputs, Z, A, zeros, dZ, work, dX):
        """The layer's part of a training step, as two functions with bound arrays.

        :class:`~skmlp._plan.StepPlan` calls this once per batch size and then
        only the two functions, so that everything that depends on shapes
        alone is settled once. This default is built on :meth:`forward` and
        :meth:`backward`; :class:`Dense` overrides it to bind its arrays and
        pick its NumPy calls up front.

        Parameters
        ----------
        inputs : ndarray of shape (n_rows, n_inputs) or None
            The layer below's activations; ``None`` for the first layer, whose
            input is the batch itself.
        Z : ndarray of shape (n_rows, n_units)
        A, zeros, work : ndarray of shape (n_rows, n_units) or None
            Activations (possibly ``Z`` itself, when the activation works in
            place), read-only zeros and derivative work space; ``None`` for
            the output layer.
        dZ : ndarray of shape (n_rows, n_units)
            The delta. Before ``backward`` runs it holds dLoss/dA (a hidden
            layer) or dLoss/dZ (the output layer, from the loss).
        dX : ndarray of shape (n_rows, n_inputs) or None
            Receives dLoss/dA of the layer below; ``None`` for the first layer.

        Returns
        -------
        forward : callable
            ``forward(X) -> output``: ``Z = X @ W + b`` into ``Z``, and for a
            hidden layer ``A`` too; returns ``A``, or ``Z`` for the output layer.
        backward : callable
            ``backward(X)``: turns dLoss/dA into dLoss/dZ (hidden layers),
            writes the parameter gradients, and fills ``dX``. ``X`` is the
            batch, used by the first layer only.

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp.layers import Dense
        >>> layer = Dense(2, 1, None)
        >>> layer.bind([np.array([[1.0], [2.0]]), np.array([0.5])],
        ...            [np.zeros((2, 1)), np.zeros(1)])
        >>> Z, dZ = np.empty((1, 1)), np.empty((1, 1))
        >>> forward, backward = layer.training_step(None, Z, None, None, dZ,
        ...                                         None, None)
        >>> forward(np.array([[1.0, 1.0]]))
        array([[3.5]])
        >>> dZ[:] = 1.0
        >>> backward(np.array([[1.0, 1.0]]))
        >>> layer.grad_W.ravel(), layer.grad_b
        (array([1., 1.]), array([1.]))
        """
        hidden = A is not None

        def forward(X):
            self.forward(X, Z, A)
            return A if hidden else Z

        def backward(X):
            if hidden:
                self.activation._backprop_inplace(Z, A, dZ, work)
            self.backward(X if inputs is None else inputs, dZ, dX)

        return forward, backward


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

    def forward(self, X, Z, A):
        _matmul_into(X, self.W, Z)
        np.add(Z, self.b, out=Z)
        if A is not None:
            self.activation.forward_into(Z, A)

    def training_step(self, inputs, Z, A, zeros, dZ, work, dX):
        # As Layer.training_step, with the arrays bound into the functions
        # and the NumPy route of each operation chosen here, by shape, once.
        layer = self
        W, grad_W = self.W, self.grad_W
        dot = np.dot
        hidden = A is not None

        # Only the first layer's input (the batch) may be sparse, or an array
        # of any layout; the layers above read C-ordered work arrays.
        product = _matmul_into if inputs is None else dot
        add_bias = _bias_adder(Z, self.b)

        def forward(X):
            product(X, W, out=Z)
            add_bias()
            if hidden:
                return layer.activation._forward_inplace(Z, A, zeros)
            return Z

        n_rows = Z.shape[0]
        column_sums = _column_sums(dZ, self.grad_b, self.n_units, n_rows)
        propagate = None if dX is None else _propagate(dZ, W, dX, n_rows)
        bound_T = None if inputs is None else inputs.T

        def backward(X):
            if hidden:
                layer.activation._backprop_inplace(Z, A, dZ, work)
            if bound_T is not None:
                dot(bound_T, dZ, out=grad_W)
            else:
                _matmul_into(X.T, dZ, out=grad_W)
            column_sums()
            if propagate is not None:
                propagate()

        return forward, backward

    def backward(self, X, dZ, dX):
        _matmul_into(X.T, dZ, out=self.grad_W)
        _column_sums(dZ, self.grad_b, self.n_units, dZ.shape[0])()
        if dX is not None:
            _propagate(dZ, self.W, dX, dZ.shape[0])()


def _matmul_into(A, B, out):
    """Write ``A @ B`` into ``out``; ``A`` may be a SciPy sparse matrix.

    A plain ndarray (the usual case) is recognised without SciPy's
    ``issparse`` and multiplied by BLAS straight into ``out``. When it is C- or
    F-contiguous, through ``np.dot``: that makes the same BLAS call as
    ``np.matmul`` (and so gives the same bits) with less of NumPy's own work
    around it. Other layouts (a slice of rows of an F-ordered array, say) go
    through ``np.matmul``, since ``np.dot`` would copy them first, which can
    change the BLAS routine and with it the rounding; so do mixed dtypes.

    Parameters
    ----------
    A : ndarray or sparse matrix of shape (m, k)
    B : ndarray of shape (k, n)
    out : ndarray of shape (m, n)
        C-contiguous.

    Returns
    -------
    out : ndarray of shape (m, n)

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from skmlp.layers import _matmul_into
    >>> out = np.empty((1, 1))
    >>> _matmul_into(sp.csr_matrix([[1.0, 2.0]]), np.array([[3.0], [4.0]]), out)
    array([[11.]])
    """
    if type(A) is np.ndarray:
        # np.dot refuses an `out` of another dtype than the product's (a float32
        # model predicting float64 data casts on the way out); matmul casts.
        if A.flags.forc and A.dtype == B.dtype == out.dtype:
            return np.dot(A, B, out=out)
    elif sp.issparse(A):
        out[...] = A @ B
        return out
    return np.matmul(A, B, out=out)


try:  # einsum without its Python wrapper, which costs as much as the sum here
    from numpy._core.multiarray import c_einsum as _einsum
except ImportError:  # pragma: no cover - other NumPy layouts
    _einsum = np.einsum


def _column_sums(dZ, out, n_units, n_rows):
    """A function writing the column sums of ``dZ`` into ``out``.

    Always the sequential sum over rows that ``np.add.reduce(dZ, axis=0)``
    does on a C-ordered array (scikit-learn's ``sum(delta, axis=0)``), bit for
    bit; for narrow layers through ``einsum``, which skips add.reduce's per-row
    cost.
    """
    if 1 < n_units <= 32 and n_rows > 16:
        return functools.partial(_einsum, "ij->j", dZ, out=out)
    return functools.partial(np.add.reduce, dZ, axis=0, out=out)


def _bias_adder(Z, b):
    """A function adding the row ``b`` to every row of ``Z``, in place.

    Each entry is one rounded sum, whatever the route, so every route gives the
    same bits. NumPy's broadcast add runs one inner loop per row of ``Z``, of
    ``n_units`` elements: for a few units and many rows that loop overhead is
    most of the time. There, ``b`` is first copied into a row of ``k`` copies
    and ``Z`` is added to it as ``n_rows / k`` long rows (``k`` a divisor of
    ``n_rows`` near its square root): about ``2 sqrt(n_rows)`` inner loops
    instead of ``n_rows``.
    """
    n_rows, n_units = Z.shape
    k = _tile_count(n_rows) if 1 < n_units < 16 and Z.flags.c_contiguous else None
    if k is None:
        return functools.partial(np.add, Z, b, out=Z)
    tile = np.empty((k, n_units), dtype=Z.dtype)
    row = tile.reshape(-1)
    blocks = Z.view()
    blocks.shape = (n_rows // k, k * n_units)  # a view: raises rather than copy
    add = np.add

    def add_tiled():
        tile[...] = b
        add(blocks, row, out=blocks)

    return add_tiled


def _tile_count(n_rows):
    """The divisor ``k`` of ``n_rows`` for :func:`_bias_adder`, or None.

    The largest divisor not above ``sqrt(n_rows)``, when it cuts the number of
    inner loops (``n_rows / k + k``) at least by half.
    """
    if n_rows < 64:
        return None
    k = max(d for d in range(1, math.isqrt(n_rows) + 1) if n_rows % d == 0)
    return k if n_rows // k + k <= n_rows // 2 else None


def _propagate(dZ, W, dX, n_rows):
    """A function writing ``dZ @ W.T`` into ``dX``, by the fastest exact route.

    For one unit it is an outer product, one multiplication per entry as in
    the matmul: a broadcast multiply skips BLAS's slow k=1 path. For a few
    columns of many rows the multiply runs column by column (``order="F"``),
    one inner loop per column rather than one of a few elements per row.
    """
    n_inputs, n_units = W.shape
    if n_units > 1:
        return functools.partial(np.dot, dZ, W.T, out=dX)
    if n_inputs < 8 and n_rows >= 64:
        return functools.partial(np.multiply, dZ, W.T, out=dX, order="F")
    return functools.partial(np.multiply, dZ, W.T, out=dX)
