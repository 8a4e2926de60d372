"""skmlp: a scikit-learn compatible multilayer perceptron you can open up.

Examples
--------
>>> from skmlp import BackpropMLPClassifier
>>> BackpropMLPClassifier().get_params()["hidden_layer_sizes"]
(100,)
"""

from .activations import Activation
from .callbacks import Callback, StopWhenLossBelow, WeightSnapshots
from .classifier import BackpropMLPClassifier
from .gradcheck import check_gradients
from .initializers import Initializer
from .regressor import BackpropMLPRegressor

__version__ = "0.1.0"

__all__ = [
    "Activation",
    "BackpropMLPClassifier",
    "BackpropMLPRegressor",
    "Callback",
    "Initializer",
    "StopWhenLossBelow",
    "WeightSnapshots",
    "check_gradients",
    "__version__",
]
