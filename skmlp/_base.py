"""What the estimators share: parameters, the fit, training, the network.

:class:`BaseBackpropMLP` holds everything about fitting that does not depend
on what the targets are: checking the settings, building or resuming the layer
stack, running the solvers, publishing the training history as scikit-learn's
attributes, and the hidden layers' outputs. An estimator adds its targets'
validation, its output loss, its validation score and its predictions.
"""

import math
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import InconsistentVersionWarning as _SklearnVersionWarning
from sklearn.metrics import check_scoring
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from . import activations as _activations
from . import initializers as _initializers
from ._sklearn_callbacks import CallbackSupportMixin, FitReporter
from ._stack import layer_stack, same_stack
from ._training import TrainingSettings, TrainingState, fit_lbfgs, fit_stochastic
from ._validation import RegisteredNames, callback_list, check_sample_weight
from ._warnings import warn
from .callbacks import Callback
from .network import Network
from .optimizers import SGD, Adam

__all__ = ["BaseBackpropMLP"]

_STOCHASTIC_SOLVERS = ("sgd", "adam")
# What a fitted model's state must hold, whichever version saved it.
_FITTED_STATE = ("_network", "_training_state", "coefs_", "intercepts_")


def _version_name(version):
    return "(version not recorded)" if version is None else version


class InconsistentVersionWarning(_SklearnVersionWarning):
    """A model saved by another version of skmlp was loaded.

    A subclass of scikit-learn's warning of the same name, so a filter on that
    one covers skmlp's models too.

    Parameters
    ----------
    estimator_name : str
    current_skmlp_version, original_skmlp_version : str

    Examples
    --------
    >>> from skmlp._base import InconsistentVersionWarning
    >>> warning = InconsistentVersionWarning(
    ...     estimator_name="BackpropMLPClassifier",
    ...     current_skmlp_version="0.2.0",
    ...     original_skmlp_version="0.1.0",
    ... )
    >>> print(warning)  # doctest: +NORMALIZE_WHITESPACE
    Loading a BackpropMLPClassifier saved with skmlp 0.1.0 into skmlp 0.2.0:
    it may predict or train differently. Check it, and refit it with skmlp
    0.2.0 if in doubt.
    """

    def __init__(
        self, *, estimator_name, current_skmlp_version, original_skmlp_version
    ):
        UserWarning.__init__(
            self, estimator_name, current_skmlp_version, original_skmlp_version
        )
        self.estimator_name = estimator_name
        self.current_skmlp_version = current_skmlp_version
        self.original_skmlp_version = original_skmlp_version

    def __str__(self):
        return (
            f"Loading a {self.estimator_name} saved with skmlp "
            f"{self.original_skmlp_version} into skmlp "
            f"{self.current_skmlp_version}: it may predict or train "
            f"differently. Check it, and refit it with skmlp "
            f"{self.current_skmlp_version} if in doubt."
        )


class BaseBackpropMLP(CallbackSupportMixin, BaseEstimator):
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
    }

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

    def _scorer(self):
        """What early stopping monitors, checked before any training.

        None for the estimator's own score (accuracy, R²), ``"loss"``, or a
        scikit-learn scorer for a name or callable.
        """
        if self.scoring is None or self.scoring == "loss":
            return self.scoring
        try:
            return check_scoring(self, scoring=self.scoring)
        except ValueError as error:
            raise ValueError(
                f"scoring={self.scoring!r} is not 'loss', None or a scorer "
                f"scikit-learn knows: {error}"
            ) from None

    def _check_validation_data(self, net, X_val, y_val, sample_weight_val):
        """``fit``'s validation set, checked like the training data.

        Returns ``(X_val, Y_val, y_val, sample_weight_val)`` in the network's
        dtype, ``Y_val`` encoded like the training targets and ``y_val`` as
        given (for scorers).
        """
        if X_val is None or y_val is None:
            given = [
                name
                for name, part in zip(
                    ("X_val", "y_val", "sample_weight_val"),
                    (X_val, y_val, sample_weight_val),
                )
                if part is not None
            ]
            raise ValueError(
                f"{' and '.join(given)} passed without "
                f"{'y_val' if X_val is not None else 'X_val'}: a validation set "
                "needs both X_val and y_val"
            )
        try:
            X_val = validate_data(
                self,
                X_val,
                accept_sparse=["csr", "csc"],
                dtype=(np.float64, np.float32),
                reset=False,
            )
        except ValueError as error:
            raise ValueError(f"X_val: {error}") from None
        Y_val, y_val = self._validation_targets(y_val)
        if Y_val.shape[0] != X_val.shape[0]:
            raise ValueError(
                f"X_val has {X_val.shape[0]} rows but y_val has {Y_val.shape[0]}"
            )
        if sample_weight_val is not None:
            try:
                sample_weight_val = check_sample_weight(sample_weight_val, X_val)
            except ValueError as error:
                raise ValueError(f"sample_weight_val: {error}") from None
        dtype = net.dtype
        if sample_weight_val is not None:
            sample_weight_val = sample_weight_val.astype(dtype, copy=False)
        return (
            X_val.astype(dtype, copy=False),
            Y_val.astype(dtype, copy=False),
            y_val,
            sample_weight_val,
        )

    def _validation(self, net, X_val, Y_val, y_val, sw_val, scorer):
        """``validation()``: the validation set's ``(score, loss)`` now.

        The score is what early stopping maximises: the estimator's own
        (``scoring=None``), the negated loss (``"loss"``) or the scorer's.
        """
        own_score = self._validation_scorer(Y_val) if scorer is None else None
        weight = X_val.shape[0] if sw_val is None else float(sw_val.sum())
        scorer_kwargs = {} if sw_val is None else {"sample_weight": sw_val}

        def validation():
            Z = net.logits(X_val)
            scratch, delta = np.empty_like(Z), np.empty_like(Z)
            total = net.loss.loss_and_delta(Z, Y_val, sw_val, delta, scratch)
            loss = total / weight if weight > 0 else np.nan
            outputs = net.loss.output(Z, out=Z)
            if not np.isfinite(outputs).all():
                return np.nan, np.nan
            if scorer is None:
                return float(own_score(outputs, sw_val)), loss
            if scorer == "loss":
                return -loss, loss
            try:
                score = scorer(self, X_val, y_val, **scorer_kwargs)
            except ValueError as error:
                # e.g. a classification metric of a regressor's predictions
                raise ValueError(
                    f"scoring={self.scoring!r} cannot score the validation set: {error}"
                ) from error
            return float(score), loss

        return validation

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
        )

    def _split_validation(self, net, X, Y, y, sample_weight, rng, scorer):
        """Hold out ``validation_fraction`` of the rows, as scikit-learn does.

        Returns the training rows and ``validation()``, which gives the
        held-out rows' ``(score, loss)`` for the current weights.
        """
        n_samples = X.shape[0]
        # train_test_split's rule for a float test_size.
        n_val = math.ceil(self.validation_fraction * n_samples)
        if n_val < 2 or n_val >= n_samples:
            raise ValueError(
                f"validation_fraction={self.validation_fraction!r} holds out "
                f"{n_val} of the {n_samples} training samples for "
                "early_stopping=True; it needs at least 2 for validation and 1 "
                "for training. Use a fraction in (0, 1) that leaves both, or "
                "early_stopping=False."
            )
        arrays = [X, Y] if sample_weight is None else [X, Y, sample_weight]
        stratify = self._stratify_by(y)
        try:
            parts = train_test_split(
                *arrays,
                random_state=rng,
                test_size=self.validation_fraction,
                stratify=stratify,
            )
        except ValueError as error:  # a stratified split the classes cannot fill
            raise ValueError(
                f"early_stopping=True cannot hold out validation_fraction="
                f"{self.validation_fraction!r} of the training data stratified by "
                f"class: {error} Use more data, a larger validation_fraction, or "
                "early_stopping=False."
            ) from error
        X_train, X_val, Y_train, Y_val = parts[:4]
        sw_train, sw_val = (None, None) if sample_weight is None else parts[4:]
        y_val = None if scorer is None or scorer == "loss" else self._targets(Y_val)
        validation = self._validation(net, X_val, Y_val, y_val, sw_val, scorer)
        return X_train, Y_train, sw_train, validation

    def _draw_split(self, Y, Y_val, rng):
        """Draw what the split that ``fit``'s validation set replaces would draw.

        The split and the shuffling share ``rng`` (as in scikit-learn), so a
        validation set drawing nothing would shuffle differently from the
        split it stands for. Drawing a split of as many rows (by the same class
        counts) makes the split's rows, passed as ``X``/``y`` and
        ``X_val``/``y_val`` in the same order, train bit for bit the same model.
        """
        n_samples = Y.shape[0] + Y_val.shape[0]
        n_val = math.ceil(self.validation_fraction * n_samples)
        if n_val < 2 or n_val >= n_samples:
            return  # that split raises before it draws anything
        stratify = self._stratify_by(Y)
        if stratify is not None:
            # The encoded binary targets: the same classes, counts and order.
            stratify = np.concatenate([Y[:, 0], Y_val[:, 0]])
        try:
            train_test_split(
                np.arange(n_samples),
                random_state=rng,
                test_size=self.validation_fraction,
                stratify=stratify,
            )
        except ValueError:
            pass  # classes too small to stratify: that split draws nothing either

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

    # -- persistence ----------------------------------------------------------

    def __getstate__(self):
        # Like scikit-learn's _sklearn_version: the version that saved the
        # model, checked when it is loaded (pickle, joblib and skops.io alike).
        from . import __version__

        return dict(super().__getstate__(), _skmlp_version=__version__)

    def __setstate__(self, state):
        from . import __version__

        state = dict(state)
        saved = state.pop("_skmlp_version", None)
        if saved != __version__:
            self._check_loadable(state, saved, __version__)
            warn(
                InconsistentVersionWarning(
                    estimator_name=type(self).__name__,
                    current_skmlp_version=__version__,
                    original_skmlp_version=_version_name(saved),
                )
            )
        super().__setstate__(state)
        # Pickle stores coefs_ and intercepts_ apart from the network's buffer
        # they were views of: point them at the buffer again when they hold
        # its values (assigned arrays that differ are taken at the next use).
        net = self.__dict__.get("_network")
        if net is not None and all(
            np.array_equal(a, b)
            for a, b in zip(
                [*self.coefs_, *self.intercepts_], [*net.coefs, *net.intercepts]
            )
        ):
            self.coefs_, self.intercepts_ = net.coefs, net.intercepts

    def _check_loadable(self, state, saved, current):
        """Raise, naming both versions, if another version's state is unusable."""
        missing = [name for name in self._get_param_names() if name not in state]
        if "_network" in state or "coefs_" in state:
            missing += [name for name in _FITTED_STATE if name not in state]
        if missing:
            raise ValueError(
                f"This {type(self).__name__} was saved with skmlp "
                f"{_version_name(saved)} and cannot be loaded with skmlp "
                f"{current}: its state has no {missing}. Refit it with skmlp "
                f"{current}, or load it with skmlp {_version_name(saved)}."
            )

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
