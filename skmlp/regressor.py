"""BackpropMLPRegressor: the scikit-learn regressor."""

from numbers import Real

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils import column_or_1d
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_array, validate_data

from ._base import BaseBackpropMLP
from ._sklearn_callbacks import with_callbacks
from ._validation import training_weights
from .regression_losses import REGRESSION_LOSSES

__all__ = ["BackpropMLPRegressor"]


class BackpropMLPRegressor(RegressorMixin, BaseBackpropMLP):
    """Multilayer perceptron regressor trained by backpropagation.

    A drop-in replacement for :class:`sklearn.neural_network.MLPRegressor`: the
    same parameters, defaults, fitted attributes and, for the same
    ``random_state``, the same initial weights and training. On top of it: the
    robust losses ``"absolute_error"``, ``"huber"`` and ``"quantile"``, per-layer
    activations and weight initialisers, dropout and your own layers, callbacks,
    and the validation loss recorded with early stopping.

    Parameters
    ----------
    loss : {"squared_error", "poisson", "absolute_error", "huber", \
            "quantile"}, default="squared_error"
        The loss minimised; see :mod:`skmlp.regression_losses` for the
        formulas. ``"squared_error"`` (identity output) and ``"poisson"``
        (exponential output, non-negative targets) are scikit-learn's, half the
        squared error and half the Poisson deviance. ``"absolute_error"`` fits
        the conditional median, ``"huber"`` is squared error for residuals up to
        ``huber_delta`` and absolute error beyond, ``"quantile"`` fits the
        ``quantile``.
    hidden_layer_sizes : array-like of shape (n_hidden_layers,), default=(100,)
        Number of units of each hidden layer; ``()`` gives a linear model.
    activation : str, Activation, or tuple of those, default="relu"
        Hidden-layer activation: a key of
        :data:`skmlp.activations.ACTIVATIONS`, an
        :class:`~skmlp.activations.Activation`, or a tuple with one entry per
        hidden layer.
    solver : {"adam", "sgd", "lbfgs"}, default="adam"
        ``"sgd"`` with ``batch_size=1`` is per-sample SGD and with
        ``batch_size >= n_samples`` full-batch gradient descent.
    alpha : float, default=0.0001
        L2 penalty (``alpha / 2 * ||W||^2``, divided by the sum of sample weights
        of the batch, as scikit-learn does).
    batch_size : int or "auto", default="auto"
        ``"auto"`` is ``min(200, n_samples)``.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning-rate schedule of ``"sgd"``.
    learning_rate_init : float, default=0.001
    power_t : float, default=0.5
        Exponent of ``"invscaling"``.
    max_iter : int, default=200
        Epochs for ``"sgd"``/``"adam"``, iterations for ``"lbfgs"``.
    shuffle : bool, default=True
        Shuffle samples every epoch (``"sgd"``/``"adam"``).
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, the shuffling, the validation split and
        the dropout masks.
    tol : float, default=1e-4
    verbose : bool, default=False
        Print the loss after every epoch.
    warm_start : bool, default=False
        Start ``fit`` from the current weights.
    momentum : float, default=0.9
    nesterovs_momentum : bool, default=True
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data and stop when its R² stops
        improving; the best weights are kept.
    validation_fraction : float, default=0.1
    beta_1 : float, default=0.9
    beta_2 : float, default=0.999
    epsilon : float, default=1e-8
        Adam's numerical-stability constant (not Huber's threshold: that is
        ``huber_delta``).
    n_iter_no_change : int, default=10
    max_fun : int, default=15000
        Maximum number of loss evaluations of ``"lbfgs"``.
    weight_init : str, Initializer, or tuple of those, default="auto"
        ``"auto"`` is scikit-learn's scheme and draws the same numbers as
        ``MLPRegressor``; otherwise a key of
        :data:`skmlp.initializers.INITIALIZERS`, an
        :class:`~skmlp.initializers.Initializer`, or a tuple with one entry per
        layer (hidden layers, then the output layer).
    callbacks : list of callables, default=None
        Called after every epoch as ``callback(estimator, record)``; returning
        True stops training. See :mod:`skmlp.callbacks`.
    dropout : float or tuple of float, default=0.0
        Inverted dropout after each hidden layer's activation, each rate in
        [0, 1). Not with ``solver="lbfgs"``.
    layers : list of Layer, default=None
        The hidden stack as layer objects, instead of ``hidden_layer_sizes``,
        ``activation``, ``weight_init`` and ``dropout``, which must then keep
        their defaults. The objects are templates: ``fit`` copies them.
    huber_delta : float, default=1.0
        Threshold of ``loss="huber"``, in the units of ``y``: residuals larger in
        absolute value count linearly. Ignored by the other losses.
    quantile : float or None, default=None
        The quantile ``loss="quantile"`` fits, in (0, 1) (required with that
        loss, as in :class:`~sklearn.ensemble.HistGradientBoostingRegressor`).
        Ignored by the other losses.
    scoring : str, callable or None, default=None
        What early stopping monitors on the validation set: None is R², as
        ``MLPRegressor``; ``"loss"`` is the validation loss (lower is better;
        ``validation_scores_`` then holds its negative, as in
        :class:`~sklearn.ensemble.HistGradientBoostingRegressor`); or any
        scikit-learn scorer name or callable ``scorer(estimator, X, y)``.
    engine : {"numpy", "numba", "auto"}, default="numpy"
        What runs the SGD and Adam steps. ``"numpy"``: NumPy, scikit-learn's
        arithmetic bit for bit. ``"numba"``: the compiled engine (``pip install
        "skmlp[fast]"``), several times faster on small networks; the same
        algorithm, random numbers and stopping rules, with results within
        rounding of NumPy's (see the engine page of the documentation).
        ``"auto"``: the compiled engine when numba is installed and the stack
        is made of built-in layers, activations, initialisers and losses,
        else NumPy. L-BFGS and prediction always run with NumPy; a model
        trained with one engine continues or predicts with the other.

    Attributes
    ----------
    loss_ : float
        Loss at the end of training (with the L2 penalty).
    best_loss_ : float or None
        Lowest training loss (None with early stopping, as in scikit-learn).
    loss_curve_ : list of float
        Loss after every epoch (every iteration for ``"lbfgs"``).
    validation_scores_ : list of float or None
        Validation score (R² unless ``scoring`` says otherwise) per epoch, with
        early stopping or a validation set.
    validation_loss_curve_ : list of float or None
        Validation loss per epoch, with early stopping or a validation set.
    best_validation_score_ : float or None
    t_ : int
        Training samples seen by the stochastic solvers.
    coefs_ : list of ndarray
        ``coefs_[i]`` of shape ``(n_units_i, n_units_i+1)``: views into one flat
        parameter vector.
    intercepts_ : list of ndarray
        ``intercepts_[i]`` of shape ``(n_units_i+1,)``.
    layers_ : list of Layer
        The fitted network's layers, the output layer last.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Only when X has string column names.
    n_iter_ : int
    n_layers_ : int
    n_outputs_ : int
    out_activation_ : {"identity", "exp"}
        ``"exp"`` for ``loss="poisson"``.

    See Also
    --------
    sklearn.neural_network.MLPRegressor : the estimator this one replaces.
    BackpropMLPClassifier : the classifier on the same layer stack.

    Examples
    --------
    >>> import numpy as np
    >>> from skmlp import BackpropMLPRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-3, 3, size=(200, 1))
    >>> y = np.sin(X[:, 0]) + 0.1 * rng.normal(size=200)
    >>> reg = BackpropMLPRegressor(hidden_layer_sizes=(20,), activation="tanh",
    ...                            solver="lbfgs", max_iter=500,
    ...                            random_state=0).fit(X, y)
    >>> bool(reg.score(X, y) > 0.95)
    True
    >>> median = BackpropMLPRegressor(loss="quantile", quantile=0.5,
    ...                               hidden_layer_sizes=(20,), activation="tanh",
    ...                               learning_rate_init=0.01, max_iter=300,
    ...                               random_state=0).fit(X, y)
    >>> median.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints: dict = {
        **BaseBackpropMLP._parameter_constraints,
        "loss": [StrOptions(set(REGRESSION_LOSSES))],
        "huber_delta": [Interval(Real, 0, None, closed="neither")],
        "quantile": [Interval(Real, 0, 1, closed="neither"), None],
    }

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        weight_init="auto",
        callbacks=None,
        dropout=0.0,
        layers=None,
        huber_delta=1.0,
        quantile=None,
        scoring=None,
        engine="numpy",
    ):
        self.loss = loss
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.weight_init = weight_init
        self.callbacks = callbacks
        self.dropout = dropout
        self.layers = layers
        self.huber_delta = huber_delta
        self.quantile = quantile
        self.scoring = scoring
        self.engine = engine

    # -- fitting ----------------------------------------------------------------

    @with_callbacks
    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Fit the model to X and y.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 data keeps float32 weights.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values (non-negative for ``loss="poisson"``).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples.
        X_val : {array-like, sparse matrix} of shape (n_val, n_features), \
                default=None
            A validation set of your own, with ``y_val``: its score and loss
            are recorded every epoch (``validation_scores_``,
            ``validation_loss_curve_``), and early stopping monitors it instead
            of holding out ``validation_fraction`` of the training data. (It
            still draws that split's random numbers, which the shuffling
            follows: the split's own rows, passed as ``X``, ``y``, ``X_val``
            and ``y_val`` in its order, train the same model bit for bit.)
        y_val : array-like of shape (n_val,) or (n_val, n_outputs), default=None
        sample_weight_val : array-like of shape (n_val,), default=None

        Returns
        -------
        self : BackpropMLPRegressor

        Examples
        --------
        >>> from skmlp import BackpropMLPRegressor
        >>> reg = BackpropMLPRegressor(hidden_layer_sizes=(4,), solver="lbfgs",
        ...                            random_state=0)
        >>> reg.fit([[0.0], [1.0], [2.0]], [[0.0, 1.0], [1.0, 0.0], [2.0, 1.0]]
        ...         ).n_outputs_
        2
        """
        self._check_loss_is_a_name()
        self._validate_params()
        return self._fit(
            X,
            y,
            sample_weight,
            incremental=False,
            validation_data=(X_val, y_val, sample_weight_val),
        )

    @available_if(lambda est: est._check_solver())
    @with_callbacks
    def partial_fit(self, X, y, sample_weight=None):
        """Train for one epoch over X and y, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The same number of outputs on every call.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss; None weighs all equally.

        Returns
        -------
        self : BackpropMLPRegressor

        Examples
        --------
        >>> from skmlp import BackpropMLPRegressor
        >>> reg = BackpropMLPRegressor(hidden_layer_sizes=(4,), solver="sgd",
        ...                            random_state=0)
        >>> X, y = [[0.0], [1.0]], [0.5, 1.5]
        >>> len(reg.partial_fit(X, y).partial_fit(X, y).loss_curve_)
        2
        """
        self._check_loss_is_a_name()
        self._validate_params()
        return self._fit(X, y, sample_weight, incremental=True)

    def _check_loss_is_a_name(self):
        if isinstance(self.loss, int | tuple | list):
            raise ValueError(
                f"loss must be one of {sorted(REGRESSION_LOSSES)}, got "
                f"{self.loss!r}. As in MLPRegressor, loss is the first positional "
                "parameter; pass the layer sizes by name: "
                f"BackpropMLPRegressor(hidden_layer_sizes={self.loss!r})"
            )

    def _check_loss_settings(self):
        if self.loss == "quantile" and self.quantile is None:
            raise ValueError(
                "loss='quantile' needs the quantile to fit: pass quantile=q with "
                "q in (0, 1), e.g. quantile=0.5 for the median"
            )

    def _output_loss(self):
        loss = REGRESSION_LOSSES[self.loss]
        if self.loss == "huber":
            return loss(self.huber_delta)
        if self.loss == "quantile":
            return loss(self.quantile)
        return loss()

    def _sample_weights(self, X, y, sample_weight, incremental):
        return training_weights(X, y, sample_weight, None, "continuous", incremental)

    def _validate_training_data(self, X, y, incremental, first_pass, classes):
        self._check_loss_settings()
        y = _numeric_targets(y)
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            y_numeric=True,
            dtype=(np.float64, np.float32),
            reset=first_pass,
        )
        how = None
        if not first_pass:
            how = "partial_fit" if incremental else "warm_start"
            how += " continues training the same outputs"
        Y, y = self._check_targets(y, "y", how)
        return X, Y.astype(X.dtype), y

    def _check_targets(self, y, name, how):
        """``(Y, y)``: the targets as a column matrix, and as given but 1-D for
        one output; ``how`` says why the number of outputs is fixed (None when
        it is not yet fixed)."""
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if self.loss == "poisson" and (y < 0).any():
            raise ValueError(
                f"loss='poisson' needs non-negative targets, but {name} has "
                f"{int((y < 0).sum())} negative values (the smallest is "
                f"{y.min():.6g}); use another loss or shift the targets"
            )
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if how is not None and Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"{name} has {Y.shape[1]} outputs but the model was fitted with "
                f"{self.n_outputs_}; {how}. "
                "Fit a new estimator for a different number of outputs."
            )
        return Y, y

    def _validation_targets(self, y_val):
        y_val = check_array(
            _numeric_targets(y_val, "y_val"),
            ensure_2d=False,
            dtype="numeric",
            input_name="y_val",
        )
        return self._check_targets(
            y_val, "y_val", "a validation set has the training data's outputs"
        )

    def _targets(self, Y):
        return Y[:, 0] if Y.shape[1] == 1 else Y

    def _stratify_by(self, y):
        return None  # as scikit-learn: regression targets are not stratified

    def _validation_scorer(self, Y_val):
        """R² of the held-out rows, as scikit-learn's ``score``."""

        def score(predictions, sample_weight):
            return r2_score(Y_val, predictions, sample_weight=sample_weight)

        return score

    # -- prediction ---------------------------------------------------------

    def predict(self, X):
        """Predict the targets of X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            1-D when the model has one output.

        Examples
        --------
        >>> from skmlp import BackpropMLPRegressor
        >>> reg = BackpropMLPRegressor(hidden_layer_sizes=(3,), solver="lbfgs",
        ...                            random_state=0)
        >>> reg.fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0]).predict([[1.0]]).shape
        (1,)
        """
        Z = self._logits(X)
        predictions = self._network.loss.output(Z, out=Z)
        return predictions[:, 0] if predictions.shape[1] == 1 else predictions

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.positive_only = self.loss == "poisson"
        return tags


def _numeric_targets(y, name="y"):
    """``y`` unchanged, or a clear error when it holds text or objects that
    are not numbers (NumPy string arrays would fail deep inside training)."""
    if y is None or hasattr(y, "tocsr"):
        return y  # validate_data names what is wrong with a missing or sparse y
    if getattr(y, "dtype", None) is None:
        try:
            y = np.asarray(y)
        except ValueError:
            return y  # ragged: validate_data says so
    dtype = y.dtype
    if getattr(dtype, "kind", "f") not in "OUSV":
        return y
    try:
        return np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{name} must hold numbers for regression, but it has dtype {dtype} and "
            f"does not convert to float ({error}). For class labels use "
            "BackpropMLPClassifier."
        ) from None
