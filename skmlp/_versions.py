"""Which skmlp version saved a model, checked when it is loaded.

Like scikit-learn's ``_sklearn_version``: the estimators' state records
``_skmlp_version`` (pickle, joblib and ``skops.io`` alike); loading a model
saved by another version warns, naming both, or refuses a state it cannot use.
"""

import numpy as np
from sklearn.exceptions import InconsistentVersionWarning as _SklearnVersionWarning

from ._warnings import warn

__all__ = ["InconsistentVersionWarning", "VersionedStateMixin"]

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
    >>> from skmlp._versions import InconsistentVersionWarning
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


class VersionedStateMixin:
    """Pickling that records and checks the skmlp version of the state.

    Examples
    --------
    >>> import pickle
    >>> from skmlp import BackpropMLPClassifier
    >>> clf = BackpropMLPClassifier((3,), solver="lbfgs", random_state=0)
    >>> clf = clf.fit([[0.0], [1.0]], [0, 1])
    >>> "_skmlp_version" in clf.__getstate__()
    True
    >>> pickle.loads(pickle.dumps(clf)).coefs_[0].shape
    (1, 3)
    """

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
