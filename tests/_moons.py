"""The small data set and quiet fit shared by the reliability tests.

Imported by ``test_bad_input.py``, ``test_nothing_lost.py`` and
``test_reproducible.py`` (pytest puts this folder on ``sys.path``).
"""

import warnings

from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning

X, Y = make_moons(120, noise=0.2, random_state=0)


def quiet_fit(clf, *args, **kwargs):
    """``clf.fit`` without the ConvergenceWarning of deliberately short fits."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(*args, **kwargs)
