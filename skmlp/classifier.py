"""BackpropMLPClassifier: the scikit-learn estimator."""

import numpy as np
from scipy.special import expit
from sklearn.base import ClassifierMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import column_or_1d
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import (
    check_classification_targets,
    type_of_target,
    unique_labels,
)
from sklearn.utils.validation import check_array, validate_data

from . import losses as _losses
from ._base import BaseBackpropMLP
from ._sklearn_callbacks import with_callbacks
from ._validation import (
    check_labels_not_nan,
    training_weights,
)
from ._warnings import warn

__all__ = ["BackpropMLPClassifier"]

_STOCHASTIC_SOLVERS = ("sgd", "adam")


class BackpropMLPClassifier(ClassifierMixin, BaseBackpropMLP):
    """Multilayer perceptron classifier trained by backpropagation.

    A drop-in replacement for :class:`sklearn.neural_network.MLPClassifier`: the
    same parameters, defaults, fitted attributes and, for the same
    ``random_state``, the same initial weights and training. On top of it, each
    hidden layer may have its own activation and weight initialiser (a registered
    name or an object you write), sample and class weights work with every
    solver, and the validation loss is recorded with early stopping.

    Parameters
    ----------
    hidden_layer_sizes : array-like of shape (n_hidden_layers,), default=(100,)
        Number of units of each hidden layer; ``()`` gives a linear model.
    activation : str, Activation, or tuple of those, default="relu"
        Hidden-layer activation: a key of
        :data:`skmlp.activations.ACTIVATIONS` (``"identity"``, ``"logistic"``
        or ``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"leaky_relu"``, ``"elu"``,
        ``"softplus"``, ``"gelu"``, ``"swish"``), an
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
        Seeds the weight initialisation, the shuffling and the validation split.
    tol : float, default=1e-4
    verbose : bool, default=False
        Print the loss after every epoch.
    warm_start : bool, default=False
        Start ``fit`` from the current weights.
    momentum : float, default=0.9
    nesterovs_momentum : bool, default=True
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified by class for
        binary targets, as scikit-learn does) and stop
        when the validation accuracy stops improving; the best weights are kept.
    validation_fraction : float, default=0.1
    beta_1 : float, default=0.9
    beta_2 : float, default=0.999
    epsilon : float, default=1e-8
    n_iter_no_change : int, default=10
    max_fun : int, default=15000
        Maximum number of loss evaluations of ``"lbfgs"``.
    weight_init : str, Initializer, or tuple of those, default="auto"
        ``"auto"`` is scikit-learn's scheme (uniform, scaled by fan-in + fan-out)
        and draws the same numbers as ``MLPClassifier``; otherwise a key of
        :data:`skmlp.initializers.INITIALIZERS`, an
        :class:`~skmlp.initializers.Initializer`, or a tuple with one entry per
        layer (hidden layers, then the output layer).
    class_weight : dict, "balanced" or None, default=None
        Weights of classes, multiplied into ``sample_weight``.
    callbacks : list of callables, default=None
        Called after every epoch as ``callback(estimator, record)``; returning
        True stops training. See :mod:`skmlp.callbacks`.
    dropout : float or tuple of float, default=0.0
        Inverted dropout after each hidden layer's activation (one rate per
        hidden layer in a tuple), each in [0, 1): while training, each unit's
        output is zeroed with this probability and the others scaled by
        ``1 / (1 - rate)``. Masks come from ``random_state``. Prediction, the
        validation score and the reported loss use the whole network. Not with
        ``solver="lbfgs"``.
    layers : list of Layer, default=None
        The hidden stack as layer objects (:class:`~skmlp.layers.Dense`,
        :class:`~skmlp.layers.Dropout` or your own
        :class:`~skmlp.layers.Layer`), instead of ``hidden_layer_sizes``,
        ``activation``, ``weight_init`` and ``dropout``, which must then keep
        their defaults. The objects are templates: ``fit`` copies them.
    scoring : str, callable or None, default=None
        What early stopping monitors on the validation set: None is accuracy,
        as ``MLPClassifier``; ``"loss"`` is the validation log-loss (lower is
        better; ``validation_scores_`` then holds its negative, as in
        :class:`~sklearn.ensemble.HistGradientBoostingClassifier`); or any
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
    classes_ : ndarray of shape (n_classes,) or list of ndarray
    loss_ : float
        Loss at the end of training.
    best_loss_ : float or None
        Lowest training loss (None with early stopping, as in scikit-learn).
    loss_curve_ : list of float
        Loss after every epoch (every iteration for ``"lbfgs"``).
    validation_scores_ : list of float or None
        Validation score (accuracy unless ``scoring`` says otherwise) per
        epoch, with early stopping or a validation set.
    validation_loss_curve_ : list of float or None
        Validation log-loss per epoch, with early stopping or a validation set.
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
    out_activation_ : {"logistic", "softmax"}

    See Also
    --------
    sklearn.neural_network.MLPClassifier : the estimator this one replaces.

    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> from skmlp import BackpropMLPClassifier
    >>> X, y = make_moons(200, noise=0.1, random_state=0)
    >>> clf = BackpropMLPClassifier((16, 8), activation=("relu", "tanh"),
    ...                             learning_rate_init=0.01, max_iter=500,
    ...                             random_state=0).fit(X, y)
    >>> bool(clf.score(X, y) > 0.95)
    True
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: dict = {
        **BaseBackpropMLP._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
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
        class_weight=None,
        callbacks=None,
        dropout=0.0,
        layers=None,
        scoring=None,
        engine="numpy",
    ):
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
        self.class_weight = class_weight
        self.callbacks = callbacks
        self.dropout = dropout
        self.layers = layers
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
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a label indicator matrix for multilabel problems.
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
        y_val : array-like of shape (n_val,) or (n_val, n_labels), default=None
            Labels among those of ``y``.
        sample_weight_val : array-like of shape (n_val,), default=None

        Returns
        -------
        self : BackpropMLPClassifier

        Examples
        --------
        >>> from skmlp import BackpropMLPClassifier
        >>> clf = BackpropMLPClassifier((4,), solver="lbfgs", random_state=0)
        >>> clf.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]).n_layers_
        3
        """
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
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Train for one epoch over X and y, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sample in the loss; None weighs all equally.
        classes : array-like of shape (n_classes,), default=None
            All classes that can appear; required on the first call. The
            order of these two arguments is scikit-learn's.

        Returns
        -------
        self : BackpropMLPClassifier

        Examples
        --------
        >>> from skmlp import BackpropMLPClassifier
        >>> clf = BackpropMLPClassifier((4,), solver="sgd", random_state=0)
        >>> X, y = [[0.0], [1.0]], ["a", "b"]
        >>> clf = clf.partial_fit(X, y, classes=["a", "b"]).partial_fit(X, y)
        >>> len(clf.loss_curve_)
        2
        """
        self._validate_params()
        if not hasattr(self, "classes_") and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def _output_loss(self):
        """Softmax for multiclass targets, logistic units otherwise."""
        multiclass = self._label_binarizer.y_type_ == "multiclass"
        return _losses.get("softmax" if multiclass else "logistic")

    def _sample_weights(self, X, y, sample_weight, incremental):
        return training_weights(
            X,
            y,
            sample_weight,
            self.class_weight,
            self._label_binarizer.y_type_,
            incremental,
        )

    def _validate_training_data(self, X, y, incremental, first_pass, classes):
        check_labels_not_nan(y)
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            dtype=(np.float64, np.float32),
            reset=first_pass,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            warn(
                "A column-vector y was passed when a 1d array was expected. "
                "Please change the shape of y to (n_samples,), for example "
                "using ravel().",
                DataConversionWarning,
            )
            y = column_or_1d(y)
        check_classification_targets(y)
        if incremental and not hasattr(self, "classes_"):
            # The first partial_fit: the classes come from its argument (or
            # from y's columns for a multilabel indicator matrix).
            self._label_binarizer = LabelBinarizer()
            if type_of_target(y).startswith("multilabel"):
                self._label_binarizer.fit(y)
            else:
                self._label_binarizer.fit(column_or_1d(np.asarray(classes)))
            self.classes_ = self._label_binarizer.classes_
        elif (
            incremental
            and classes is not None
            and not np.array_equal(unique_labels(classes), self.classes_)
        ):
            raise ValueError(
                f"`classes={np.asarray(classes)!r}` is not the same as on the first "
                f"call to partial_fit, which was {self.classes_!r}"
            )
        if not incremental and (first_pass or not hasattr(self, "classes_")):
            self._label_binarizer = LabelBinarizer().fit(y)
            self.classes_ = self._label_binarizer.classes_
        else:
            classes = unique_labels(y)
            if self.warm_start and not incremental:
                if set(classes) != set(self.classes_):
                    raise ValueError(
                        "warm_start can only be used where `y` has the same "
                        "classes as in the previous call to fit. Previously "
                        f"got {self.classes_}, `y` has {classes}"
                    )
            elif len(np.setdiff1d(classes, self.classes_, assume_unique=True)):
                raise ValueError(
                    "`y` has classes not in `self.classes_`. "
                    f"`self.classes_` has {self.classes_}. `y` has {classes}."
                )
        return X, self._encode(y).astype(X.dtype), y

    def _encode(self, y):
        """The labels as the network's targets: one-hot or indicator columns."""
        if len(self.classes_) == 1 and self._label_binarizer.y_type_ != (
            "multilabel-indicator"
        ):
            return np.ones((y.shape[0], 1))
        return self._label_binarizer.transform(y)

    def _validation_targets(self, y_val):
        check_labels_not_nan(y_val, name="y_val")
        y_val = check_array(y_val, ensure_2d=False, dtype=None, input_name="y_val")
        if self._label_binarizer.y_type_ == "multilabel-indicator":
            if y_val.ndim != 2 or y_val.shape[1] != len(self.classes_):
                raise ValueError(
                    f"y_val must be a label indicator matrix with "
                    f"{len(self.classes_)} columns, like y; got shape {y_val.shape}"
                )
        else:
            y_val = column_or_1d(y_val, warn=True)
            unseen = np.setdiff1d(unique_labels(y_val), self.classes_)
            if len(unseen):
                raise ValueError(
                    f"y_val has classes not in the training data's classes_ "
                    f"{self.classes_}: {unseen}"
                )
        return self._encode(y_val), y_val

    def _targets(self, Y):
        """Labels from encoded targets (the inverse of ``_encode``)."""
        if len(self.classes_) == 1:
            return np.full(Y.shape[0], self.classes_[0])
        return self._label_binarizer.inverse_transform(Y)

    def _stratify_by(self, y):
        # scikit-learn stratifies when there is one output (binary targets):
        # its multiclass targets are one-hot by then, so it does not stratify
        # them, and neither does skmlp, to hold out the same rows.
        return y if self.n_outputs_ == 1 else None

    def _validation_scorer(self, Y_val):
        """Accuracy of the held-out rows from the network's probabilities."""
        y_val = self._targets(Y_val)

        def score(P, sample_weight):
            labels = self._labels_from_proba(P)
            return accuracy_score(y_val, labels, sample_weight=sample_weight)

        return score

    def _labels_from_proba(self, P):
        if self._label_binarizer.y_type_ == "multilabel-indicator":
            return self._label_binarizer.inverse_transform(P)
        if len(self.classes_) == 1:
            return np.full(P.shape[0], self.classes_[0])
        if P.shape[1] == 1:
            return self.classes_[(P[:, 0] > 0.5).astype(int)]
        return self.classes_[np.argmax(P, axis=1)]

    def decision_function(self, X):
        """Output logits: the network's output before its output activation.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            1-D for binary problems (positive means ``classes_[1]``).

        Examples
        --------
        >>> from skmlp import BackpropMLPClassifier
        >>> clf = BackpropMLPClassifier((3,), solver="lbfgs", random_state=0)
        >>> clf.fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]).decision_function(
        ...     [[0.0], [3.0]]).shape
        (2,)
        """
        Z = self._logits(X)
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def predict_proba(self, X):
        """Probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``; rows sum to 1 except for
            multilabel problems (one probability per label).

        Examples
        --------
        >>> from skmlp import BackpropMLPClassifier
        >>> clf = BackpropMLPClassifier((3,), solver="lbfgs", random_state=0)
        >>> P = clf.fit([[0.0], [1.0], [2.0]], ["a", "b", "c"]).predict_proba([[1.0]])
        >>> P.shape, round(float(P.sum()), 6)
        ((1, 3), 1.0)
        """
        Z = self._logits(X)
        if len(self.classes_) == 1:
            return np.ones_like(Z)
        tiny = np.finfo(Z.dtype).tiny
        if self.out_activation_ == "softmax":
            # Probabilities that underflow are reported as the smallest normal
            # float, not exactly 0, so that log(predict_proba) stays finite.
            P = self._network.loss.probabilities(Z, out=Z)
            return np.maximum(P, tiny, out=P)
        if Z.shape[1] == 1 and self._label_binarizer.y_type_ != "multilabel-indicator":
            # expit(-z) rather than 1 - expit(z): no cancellation for large z.
            # Written into the output's columns: no temporaries of its size.
            P = np.empty((Z.shape[0], 2), dtype=Z.dtype)
            np.negative(Z[:, 0], out=P[:, 0])
            expit(P[:, 0], out=P[:, 0])
            expit(Z[:, 0], out=P[:, 1])
        else:
            P = expit(Z, out=Z)
        # Logistic outputs stay strictly inside (0, 1), as a probability of a
        # positive class should, instead of rounding to exactly 0 or 1.
        return np.clip(
            P, np.finfo(P.dtype).tiny, np.nextafter(P.dtype.type(1), 0), out=P
        )

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Probabilities are accurate down to the smallest normal float (they are
        computed from the logits without cancellation), so the logarithm is
        finite.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp import BackpropMLPClassifier
        >>> clf = BackpropMLPClassifier((3,), solver="lbfgs", random_state=0)
        >>> clf = clf.fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
        >>> bool(np.allclose(np.exp(clf.predict_log_proba([[1.5]])),
        ...                  clf.predict_proba([[1.5]])))
        True
        """
        P = self.predict_proba(X)
        return np.log(P, out=P)

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_labels)
            The class of highest probability (an indicator matrix for multilabel
            problems).

        Examples
        --------
        >>> from skmlp import BackpropMLPClassifier
        >>> clf = BackpropMLPClassifier((3,), solver="lbfgs", random_state=0)
        >>> clf.fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]).predict([[0.0], [3.0]])
        array([0, 1])
        """
        Z = self._logits(X)
        return self._labels_from_proba(self._network.loss.probabilities(Z, out=Z))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_label = True
        return tags
