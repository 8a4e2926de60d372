"""What the estimators share: parameters, the fit, training, the network.

:class:`BaseBackpropMLP` holds everything about fitting that does not depend
on what the targets are: checking the settings, building or resuming the layer
stack, running the solvers, publishing the training history as scikit-learn's
attributes, and the hidden layers' outputs. An estimator adds its targets'
validation, its output loss, its validation score and its predictions.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from . import activations as _activations
from . import initializers as _initializers
from ._engine import ENGINES, compiled_engine, resolve
from ._sklearn_callbacks import CallbackSupportMixin, FitReporter
from ._stack import layer_stack, same_stack
from ._training import TrainingSettings, TrainingState, fit_lbfgs, fit_stochastic
from ._validation import RegisteredNames, callback_list
from ._validation_set import ValidationSetMixin
from ._versions import VersionedStateMixin
from ._warnings import warn
from .callbacks import Callback
from .network import Network
from .optimizers import SGD, Adam

__all__ = ["BaseBackpropMLP"]

_STOCHASTIC_SOLVERS = ("sgd", "adam")


class BaseBackpropMLP(
    ValidationSetMixin, VersionedStateMixin, CallbackSupportMixin, BaseEstimator
):
    """Base class of the estimators: fitting, training and the network.

    Subclasses define ``__init__`` with the parameters of
    ``_parameter_constraints`` (and their own), and the hooks
    ``_validate_training_data``, ``_validation_targets``, ``_targets``,
    ``_sample_weights``, ``_output_loss``, ``_stratify_by`` and
    ``_validation_scorer``.

    Examples
    --------
    >>> from skmlp import BackpropMLPClassifier
    >>> from skmlp._base import BaseBackpropMLP
    >>> issubclass(BackpropMLPClassifier, BaseBackpropMLP)
    True
    """

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [
            StrOptions(RegisteredNames(_activations.ACTIVATIONS)),
            _activations.Activation,
            type,
            tuple,
            list,
        ],
        "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "weight_init": [
            StrOptions(RegisteredNames(_initializers.INITIALIZERS, extra={"auto"})),
            _initializers.Initializer,
            type,
            tuple,
            list,
        ],
        "callbacks": [list, tuple, Callback, None],
        "dropout": [Interval(Real, 0, 1, closed="left"), tuple, list],
        "layers": [list, tuple, None],
        "scoring": [StrOptions({"loss"}), str, callable, None],
        "engine": [StrOptions(set(ENGINES))],
    }

    def __setstate__(self, state):
        # Models saved before the engine existed trained with NumPy.
        super().__setstate__({"engine": "numpy", **state})

    def _check_solver(self):
        if self.solver not in _STOCHASTIC_SOLVERS:
            raise AttributeError(
                "partial_fit is only available for stochastic optimizers. "
                f"{self.solver} is not stochastic."
            )
        return True

    def _fit(
        self, X, y, sample_weight, incremental, classes=None, validation_data=None
    ):
        """Train; ``validation_data`` is ``fit``'s ``(X_val, y_val,
        sample_weight_val)``."""
        from_scratch = self._fit_from_scratch(incremental)
        previous = self.__dict__.get("_training_state")
        try:
            interrupted = self._train(
                X, y, sample_weight, incremental, classes, validation_data
            )
        except KeyboardInterrupt:
            # Raised outside the training loops, which handle their own: while
            # the data were checked or the network was built.
            interrupted = True
        if interrupted:
            self._interrupted(from_scratch, previous)
        return self

    def _fit_from_scratch(self, incremental):
        """Whether this fit starts from new weights rather than the current."""
        if incremental:
            return not hasattr(self, "coefs_")
        return not self.warm_start or not hasattr(self, "coefs_")

    def _interrupted(self, from_scratch, previous):
        """Leave a usable model after Ctrl-C, or a clearly unfitted one.

        ``previous`` is the training state the estimator had before this fit:
        a fit from scratch replaces it with a new one.
        """
        state = self.__dict__.get("_training_state")
        if from_scratch and (state is previous or not state.loss_curve):
            # A fit from scratch with no completed epoch has learnt nothing.
            self._forget_fit()
            warn(
                "Training interrupted by user before the first epoch (L-BFGS "
                "iteration) completed; the model is not fitted."
            )
            return
        if hasattr(self, "_optimizer"):
            # Its moments saw steps the weights were rolled back from: a later
            # partial_fit starts the optimizer afresh.
            del self._optimizer
        if self.early_stopping and self.solver != "lbfgs" and self.validation_scores_:
            kept = "its best validation epoch"
        else:
            kept = (
                f"the last completed epoch, epoch {len(state.loss_curve)} of "
                "loss_curve_"
            )
        warn(f"Training interrupted by user; the model keeps the weights of {kept}.")

    def _forget_fit(self):
        """Delete every fitted attribute: the estimator is unfitted again."""
        for name in list(vars(self)):
            if (name.endswith("_") and not name.startswith("__")) or name in (
                "_network",
                "_optimizer",
                "_label_binarizer",
                "_training_state",
            ):
                delattr(self, name)

    def _train(self, X, y, sample_weight, incremental, classes, validation_data):
        """Validate, build or resume, and train; True if interrupted."""
        if self.engine == "numba":
            compiled_engine()  # no numba: say how to install it, before any work
        scorer = self._scorer()
        net, X, Y, y, sample_weight, rng = self._prepare(
            X, y, sample_weight, incremental, classes
        )
        validation = Y_val = None
        if validation_data is not None and any(
            part is not None for part in validation_data
        ):
            X_val, Y_val, y_val, sw_val = self._check_validation_data(
                net, *validation_data
            )
            validation = self._validation(net, X_val, Y_val, y_val, sw_val, scorer)
            if self._training_state.validation_scores is None:
                self._training_state.start_validation(net.params)
                self._publish()
        net.start_training(rng)  # dropout's masks: drawn only if there is dropout
        callbacks = callback_list(self.callbacks)
        n_epochs = 1 if incremental else self.max_iter
        reporter = FitReporter(self, n_epochs, X, y)
        # The reporter only costs time when one of sklearn's callbacks listens,
        # and full-batch training runs the hooks after every step.
        hooks = [*callbacks, reporter] if reporter.listening else [*callbacks]
        for callback in callbacks:
            if isinstance(callback, Callback):
                callback.on_fit_begin(self)
        try:
            # Overflow in a diverging fit is reported once, by the guard and the
            # finite-weights check below, not as a stream of NumPy warnings.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                if self.solver == "lbfgs":
                    interrupted = self._run_lbfgs(
                        net, X, Y, sample_weight, hooks, validation
                    )
                else:
                    interrupted = self._run_stochastic(
                        net,
                        (X, Y, y, sample_weight),
                        rng,
                        incremental,
                        hooks,
                        (validation, Y_val),
                        scorer,
                    )
        finally:
            self._publish()
            for callback in callbacks:
                if isinstance(callback, Callback):
                    callback.on_fit_end(self)
        reporter.finish()
        if not interrupted and not np.isfinite(net.params).all():
            raise ValueError(
                "Solver produced non-finite parameter weights. The input data may"
                " contain large values and need to be preprocessed."
            )
        return interrupted

    def _reconstruction_attributes(self):
        """Copies of the weights: a model frozen at this point of training."""
        return {
            "coefs_": [W.copy() for W in self.coefs_],
            "intercepts_": [b.copy() for b in self.intercepts_],
        }

    def _prepare(self, X, y, sample_weight, incremental, classes=None):
        """Validate the data and build or resume the network; no training.

        ``classes`` is ``partial_fit``'s argument.
        """
        first_pass = self._fit_from_scratch(incremental)
        X, Y, y = self._validate_training_data(X, y, incremental, first_pass, classes)
        sample_weight = self._sample_weights(X, y, sample_weight, incremental)
        rng = check_random_state(self.random_state)
        layers = layer_stack(self.get_params(deep=False), Y.shape[1])
        if first_pass:
            self._initialize(layers, X.shape[1], X.dtype, rng)
        else:
            self._resume(layers, X.shape[1])
        net = self._network
        X = X.astype(net.dtype, copy=False)
        if isinstance(X, np.ndarray) and not (
            X.flags.c_contiguous or X.flags.f_contiguous
        ):
            # A strided view multiplies through NumPy's own loops, which round
            # differently from BLAS: every layout trains the same model.
            X = np.ascontiguousarray(X)
        Y = Y.astype(net.dtype, copy=False)
        if sample_weight is not None:
            sample_weight = sample_weight.astype(net.dtype, copy=False)
        return net, X, Y, y, sample_weight, rng

    def _initialize(self, layers, n_features, dtype, rng):
        loss = self._output_loss()
        net = Network(layers, loss, n_features, dtype)
        net.initialize(rng)
        self._network = net
        self.layers_ = net.layers
        self.coefs_, self.intercepts_ = net.coefs, net.intercepts
        self.n_layers_ = len(net.layer_units)
        self.n_outputs_ = net.layer_units[-1]
        self.out_activation_ = loss.out_activation
        self._training_state = TrainingState.start(net.params, self.early_stopping)
        self._publish()
        if hasattr(self, "_optimizer"):
            del self._optimizer

    def _resume(self, layers, n_features):
        """Continue from the current weights, taking any the user assigned.

        The fitted layers are kept (with any state they hold) when the settings
        describe the same stack; a stack that differs only in what holds no
        parameters (activations, dropout rates) or in the loss replaces them
        around the same parameters.
        """
        net = self._network
        loss = self._output_loss()
        same_loss = type(loss) is type(net.loss) and vars(loss) == vars(net.loss)
        if not same_stack(net.layers, layers) or not same_loss:
            new = Network(layers, loss, n_features, net.dtype)
            if new.layer_units != net.layer_units or new.params.size != net.params.size:
                raise ValueError(
                    f"The network has layer sizes {net.layer_units} but the data "
                    f"and the estimator's settings now need {new.layer_units}; "
                    "warm_start and partial_fit need the same architecture and "
                    "number of features"
                )
            new.params[...] = net.params
            self._network = net = new
            self.layers_ = net.layers
            self.out_activation_ = loss.out_activation
        net.set_parameters(self.coefs_, self.intercepts_)
        self.coefs_, self.intercepts_ = net.coefs, net.intercepts
        state = self._training_state
        if self.early_stopping and state.validation_scores is None:
            state.start_validation(net.params)
            self._publish()

    def _publish(self):
        """Copy the training state into the fitted attributes scikit-learn defines.

        The lists are the state's own, so they grow with it; the numbers are
        copied, and this runs after every epoch when a callback may read them.
        """
        state = self._training_state
        self.n_iter_ = state.n_iter
        self.t_ = state.t
        if state.loss is not None:
            self.loss_ = state.loss
        self.loss_curve_ = state.loss_curve
        self.best_loss_ = state.best_loss
        self.validation_scores_ = state.validation_scores
        self.validation_loss_curve_ = state.validation_loss_curve
        self.best_validation_score_ = state.best_validation_score

    def _epoch_end(self, hooks):
        """The training loops' end-of-epoch call, or None when nothing listens.

        It publishes the state first: callbacks read the estimator's attributes
        (``loss_curve_``, ``n_iter_``, ...) as of the epoch that just ended.
        """
        if not hooks:
            return None

        def epoch_end(record):
            self._publish()
            stop = False
            for hook in hooks:
                stop = bool(hook(self, record)) or stop
            return stop

        return epoch_end

    def _settings(self, **resolved):
        """The settings the training loops read.

        ``resolved`` holds those this fit works out: ``batch_size`` (clipped to
        the data) and ``incremental``.
        """
        return TrainingSettings(
            alpha=float(self.alpha),
            max_iter=self.max_iter,
            tol=self.tol,
            verbose=self.verbose,
            shuffle=self.shuffle,
            n_iter_no_change=self.n_iter_no_change,
            max_fun=self.max_fun,
            early_stopping=self.early_stopping,
            **resolved,
        )

    def _make_optimizer(self, net):
        if self.solver == "sgd":
            return SGD(
                net.params.size,
                self.learning_rate_init,
                self.learning_rate,
                self.momentum,
                self.nesterovs_momentum,
                self.power_t,
                dtype=net.dtype,
            )
        return Adam(
            net.params.size,
            self.learning_rate_init,
            self.beta_1,
            self.beta_2,
            self.epsilon,
            dtype=net.dtype,
        )

    def _run_stochastic(self, net, data, rng, incremental, hooks, validation, scorer):
        """SGD or Adam.

        ``validation`` is ``(validation(), Y_val)`` of ``fit``'s validation
        set, or ``(None, None)``.
        """
        X, Y, y, sample_weight = data
        validation, Y_val = validation
        if not incremental or not hasattr(self, "_optimizer"):
            self._optimizer = self._make_optimizer(net)
        if self.early_stopping and incremental:
            raise ValueError("partial_fit does not support early_stopping=True")
        if self.early_stopping and validation is None:
            X, Y, sample_weight, validation = self._split_validation(
                net, X, Y, y, sample_weight, rng, scorer
            )
        elif self.early_stopping:
            self._draw_split(Y, Y_val, rng)
        return fit_stochastic(
            self._training_state,
            net,
            self._optimizer,
            (X, Y, sample_weight),
            self._settings(
                batch_size=self._batch_size(X.shape[0]), incremental=incremental
            ),
            rng,
            validation=validation,
            epoch_end=self._epoch_end(hooks),
            engine=resolve(self.engine, net),
        )

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warn(
                "Got `batch_size` less than 1 or larger than "
                "sample size. It is going to be clipped"
            )
        return int(np.clip(self.batch_size, 1, n_samples))

    def _run_lbfgs(self, net, X, Y, sample_weight, hooks, validation):
        return fit_lbfgs(
            self._training_state,
            net,
            (X, Y, sample_weight),
            self._settings(),
            validation=validation,
            epoch_end=self._epoch_end(hooks),
        )

    def _prediction_input(self, X):
        """``X`` checked against the fit, and the network in ``X``'s precision."""
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            accept_sparse=["csr", "csc"],
            dtype=(np.float64, np.float32),
            reset=False,
        )
        dtype = np.result_type(X.dtype, self._network.dtype)
        return self._current_network().astype(dtype), X

    def _logits(self, X):
        net, X = self._prediction_input(X)
        with np.errstate(over="ignore", invalid="ignore"):
            Z = net.logits(X)
        if np.isnan(Z).any():
            raise ValueError(
                "The network's outputs overflowed for some rows of X (entries up "
                f"to {np.abs(X).max():.3g} in absolute value); scale the data, "
                "e.g. with StandardScaler, before fitting and predicting."
            )
        return Z

    def _current_network(self):
        """The network, holding any arrays assigned to ``coefs_``/``intercepts_``."""
        net = self._network
        if self.coefs_ is not net.coefs or self.intercepts_ is not net.intercepts:
            net.set_parameters(self.coefs_, self.intercepts_)
            self.coefs_, self.intercepts_ = net.coefs, net.intercepts
        return net

    def hidden_activations(self, X, layer=None, pre_activation=False):
        """Outputs of the hidden layers: what each hidden unit computes for X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        layer : int or None, default=None
            Index of a hidden layer (0 is the first; negative counts from the
            last), or None for all of them.
        pre_activation : bool, default=False
            Return ``Z = A_prev @ W + b`` instead of ``A = activation(Z)``.

        Returns
        -------
        activations : ndarray of shape (n_samples, hidden_layer_sizes[layer]), \
                or list of those when ``layer`` is None

        Examples
        --------
        >>> import numpy as np
        >>> from skmlp import BackpropMLPClassifier
        >>> X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]
        >>> clf = BackpropMLPClassifier((3, 2), activation="tanh", solver="lbfgs",
        ...                             random_state=0).fit(X, y)
        >>> [A.shape for A in clf.hidden_activations(X)]
        [(4, 3), (4, 2)]
        >>> Z = clf.hidden_activations(X, layer=0, pre_activation=True)
        >>> bool(np.allclose(Z, np.asarray(X) @ clf.coefs_[0] + clf.intercepts_[0]))
        True
        """
        net, X = self._prediction_input(X)
        n_hidden = self.n_layers_ - 2
        if layer is not None:
            if not isinstance(layer, Integral | np.integer) or not (
                -n_hidden <= layer < n_hidden
            ):
                raise ValueError(
                    f"layer must be None or an int in [{-n_hidden}, {n_hidden}) "
                    f"for a network with {n_hidden} hidden layers, got {layer!r}"
                )
        Zs, As = net.forward_layers(X)
        chosen = (Zs if pre_activation else As)[:n_hidden]
        return chosen if layer is None else chosen[layer]
