"""Where the validation data come from, and what early stopping monitors.

A split of ``validation_fraction`` of the training rows (scikit-learn's way), a
validation set passed to ``fit`` (``X_val``, ``y_val``, ``sample_weight_val``),
and ``scoring``: the estimator's own score, the loss, or a scikit-learn scorer.
"""

import math

import numpy as np
from sklearn.metrics import check_scoring
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import validate_data

from ._validation import check_sample_weight

__all__ = ["ValidationSetMixin"]


class ValidationSetMixin:
    """The validation data of the estimators' ``fit``.

    The estimator supplies ``_validation_targets``, ``_targets``,
    ``_stratify_by`` and ``_validation_scorer``.

    Examples
    --------
    >>> from skmlp import BackpropMLPRegressor
    >>> from skmlp._validation_set import ValidationSetMixin
    >>> issubclass(BackpropMLPRegressor, ValidationSetMixin)
    True
    """

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
