"""ONNX export of fitted skmlp estimators, through skl2onnx.

Importing this module registers :class:`~skmlp.BackpropMLPClassifier` and
:class:`~skmlp.BackpropMLPRegressor` with skl2onnx, so that
``skl2onnx.to_onnx`` converts them alone or inside a scikit-learn
``Pipeline``, like scikit-learn's own MLPs. ``import skmlp`` does not import
this module: it needs the ``deploy`` extra (``pip install "skmlp[deploy]"``).

The graph is the network itself: ``MatMul`` and ``Add`` for each
:class:`~skmlp.layers.Dense` layer, each activation as the ONNX operator that
computes skmlp's formula, nothing for :class:`~skmlp.layers.Dropout`, then the
output: probabilities (``Sigmoid`` or ``Softmax``) and labels for a
classifier, the predictions (identity or ``Exp``) for a regressor. The graph
computes in float32, or in float64 when its input is declared float64.

Layers and activations are found by their exact class in
:data:`LAYER_CONVERTERS` and :data:`ACTIVATION_CONVERTERS`; one of your own
gets an entry there, a function that writes its operators with a
:class:`GraphBuilder`. Anything else stops the export with a ``TypeError``
naming it.

Examples
--------
>>> import numpy as np
>>> import onnxruntime as ort
>>> from skl2onnx import to_onnx
>>> import skmlp.onnx  # registers the converters
>>> from skmlp import BackpropMLPClassifier
>>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
>>> clf = BackpropMLPClassifier((8,), activation="tanh", solver="lbfgs",
...                             random_state=0).fit(X, ["no", "yes", "yes", "no"])
>>> onx = to_onnx(clf, X[:1].astype(np.float32), options={"zipmap": False})
>>> session = ort.InferenceSession(onx.SerializeToString(),
...                                providers=["CPUExecutionProvider"])
>>> labels, proba = session.run(None, {"X": X.astype(np.float32)})
>>> labels.tolist() == clf.predict(X).tolist()
True
>>> bool(np.allclose(proba, clf.predict_proba(X), atol=1e-5))
True
"""

import numpy as np
from onnx import TensorProto, numpy_helper
from skl2onnx import update_registered_converter
from skl2onnx.common.data_types import (
    DoubleTensorType,
    FloatTensorType,
    Int64TensorType,
    StringTensorType,
)
from skl2onnx.common.utils_classifier import get_label_classes

from . import activations as _activations
from .classifier import BackpropMLPClassifier
from .layers import Dense, Dropout
from .regressor import BackpropMLPRegressor

__all__ = ["ACTIVATION_CONVERTERS", "LAYER_CONVERTERS", "GraphBuilder"]

_GELU_OPSET = 20  # the first opset with the Gelu operator


class GraphBuilder:
    """Where a converter writes its ONNX operators.

    The converters of :data:`ACTIVATION_CONVERTERS` and
    :data:`LAYER_CONVERTERS` receive one, with the name of their input, and
    return the name of their output. Names are strings; each :meth:`node` or
    :meth:`constant` makes a new one.

    Parameters
    ----------
    scope, container : skl2onnx Scope and ModelComponentContainer
        What skl2onnx hands to a converter.
    dtype : {numpy.float32, numpy.float64}
        The precision of the graph.

    Attributes
    ----------
    dtype : numpy.dtype
        Float constants are stored in it, and the operators compute in it.
    opset : int
        The target opset of the ONNX domain: operators newer than it are not
        available.

    Examples
    --------
    A layer of your own that adds a constant, and its converter:

    >>> import numpy as np
    >>> from skl2onnx import to_onnx
    >>> import skmlp.onnx
    >>> from skmlp import BackpropMLPRegressor
    >>> from skmlp.layers import Dense, Layer
    >>> class Shift(Layer):
    ...     def __init__(self, shift=1.0):
    ...         self.shift = shift
    ...     def forward(self, X, training):
    ...         return X + self.shift
    ...     def backward(self, dY):
    ...         return dY
    >>> def shift_to_onnx(layer, graph, X):
    ...     return graph.node("Add", [X, graph.constant(layer.shift)])
    >>> skmlp.onnx.LAYER_CONVERTERS[Shift] = shift_to_onnx
    >>> X, y = np.linspace(-1, 1, 20).reshape(-1, 1), np.linspace(0, 2, 20)
    >>> reg = BackpropMLPRegressor(layers=[Dense(3, "tanh"), Shift(0.5)],
    ...                            solver="lbfgs", random_state=0).fit(X, y)
    >>> onx = to_onnx(reg, X[:1].astype(np.float32))
    >>> [node.op_type for node in onx.graph.node]
    ['MatMul', 'Add', 'Tanh', 'Add', 'MatMul', 'Add', 'Identity']
    """

    def __init__(self, scope, container, dtype):
        self._scope, self._container = scope, container
        self.dtype = np.dtype(dtype)
        self.opset = container.target_opset_any_domain("")

    def node(self, op_type, inputs, **attributes):
        """Add an operator of the ONNX domain; return the name of its output.

        Parameters
        ----------
        op_type : str
            An ONNX operator with one output, e.g. ``"Tanh"``, ``"Mul"``.
        inputs : list of str
            Names of its inputs.
        **attributes
            Its attributes, e.g. ``alpha=0.1`` for ``"LeakyRelu"``.

        Returns
        -------
        output : str
        """
        return self._node(op_type, inputs, None, **attributes)

    def _node(self, op_type, inputs, output, **attributes):
        if output is None:
            output = self._scope.get_unique_variable_name(op_type.lower())
        name = self._scope.get_unique_operator_name(op_type)
        self._container.add_node(op_type, list(inputs), output, name=name, **attributes)
        return output

    def constant(self, value, name="constant"):
        """Store an array in the graph; return its name.

        Parameters
        ----------
        value : array-like
            Floats are stored in :attr:`dtype`, integers and booleans as
            int64, text as strings.
        name : str, default="constant"
            The start of its name in the graph (made unique).

        Returns
        -------
        name : str
        """
        value = np.asarray(value)
        name = self._scope.get_unique_variable_name(name)
        if value.dtype.kind in "USO":
            text = [str(v).encode("utf-8") for v in value.ravel()]
            self._container.add_initializer(
                name, TensorProto.STRING, list(value.shape), text
            )
            return name
        value = value.astype(self.dtype if value.dtype.kind == "f" else np.int64)
        # A TensorProto keeps the bytes of the array (no list of Python floats).
        tensor = numpy_helper.from_array(value, name)
        self._container.add_initializer(name, tensor.data_type, value.shape, tensor)
        return name

    def activation(self, activation, Z, where="activation"):
        """Apply ``activation`` (an :class:`~skmlp.activations.Activation`) to ``Z``.

        Parameters
        ----------
        activation : Activation or None
            None leaves ``Z`` as it is.
        Z : str
            Name of the pre-activations.
        where : str, default="activation"
            What the error names when ``activation`` has no converter.

        Returns
        -------
        A : str

        Raises
        ------
        TypeError
            If the exact class of ``activation`` is not a key of
            :data:`ACTIVATION_CONVERTERS`.
        """
        if activation is None:
            return Z
        return _activation_converter(activation, where)(activation, self, Z)


def _activation_converter(activation, where):
    converter = ACTIVATION_CONVERTERS.get(type(activation))
    if converter is None:
        known = ", ".join(cls.name for cls in ACTIVATION_CONVERTERS)
        name = type(activation).__name__
        raise TypeError(
            f"cannot export {where} ({name}): skmlp.onnx knows the activations "
            f"{known}, by their exact class. Give {name} a converter, a function "
            f"(activation, graph, Z) -> A, in skmlp.onnx.ACTIVATION_CONVERTERS[{name}] "
            "(the user guide's 'Deploying a model' shows one)."
        )
    return converter


# -- activations: skmlp's formulas, as ONNX operators ---------------------------
# onnxruntime runs LeakyRelu, Elu, Softplus, Gelu and Erf in float32 only: a
# float64 graph writes the first three from operators it runs in float64.


def _identity(activation, graph, Z):
    return Z


def _operator(op_type):
    def convert(activation, graph, Z):
        return graph.node(op_type, [Z])

    return convert


def _positive_part(graph, Z, negative):
    """``Z`` where ``Z > 0``, else ``negative``."""
    positive = graph.node("Greater", [Z, graph.constant(0.0)])
    return graph.node("Where", [positive, Z, negative])


def _leaky_relu(activation, graph, Z):
    slope = float(activation.negative_slope)
    if graph.dtype == np.float32:
        return graph.node("LeakyRelu", [Z], alpha=slope)
    return _positive_part(graph, Z, graph.node("Mul", [Z, graph.constant(slope)]))


def _elu(activation, graph, Z):
    alpha = float(activation.alpha)
    if graph.dtype == np.float32:
        return graph.node("Elu", [Z], alpha=alpha)
    exp = graph.node("Exp", [graph.node("Min", [Z, graph.constant(0.0)])])
    expm1 = graph.node("Sub", [exp, graph.constant(1.0)])
    return _positive_part(graph, Z, graph.node("Mul", [expm1, graph.constant(alpha)]))


def _softplus(activation, graph, Z):
    if graph.dtype == np.float32:
        return graph.node("Softplus", [Z])  # onnxruntime's does not overflow
    # log(1 + exp(Z)) = max(Z, 0) + log(1 + exp(-|Z|)), as NumPy's logaddexp
    tail = graph.node("Exp", [graph.node("Neg", [graph.node("Abs", [Z])])])
    log1p = graph.node("Log", [graph.node("Add", [tail, graph.constant(1.0)])])
    return graph.node("Add", [graph.node("Relu", [Z]), log1p])


def _gelu(activation, graph, Z):
    # skmlp's GELU is the exact one, 0.5 Z (1 + erf(Z / sqrt(2))).
    if graph.dtype == np.float32 and graph.opset >= _GELU_OPSET:
        return graph.node("Gelu", [Z])
    scaled = graph.node("Div", [Z, graph.constant(np.sqrt(2.0))])
    if graph.dtype == np.float32:
        erf = graph.node("Erf", [scaled])
    else:  # onnxruntime's Erf is float32 only: about 1e-7 relative error here
        low = graph.node("Cast", [scaled], to=TensorProto.FLOAT)
        erf = graph.node("Cast", [graph.node("Erf", [low])], to=TensorProto.DOUBLE)
    cdf = graph.node("Add", [erf, graph.constant(1.0)])
    half = graph.node("Mul", [Z, graph.constant(0.5)])
    return graph.node("Mul", [half, cdf])


def _swish(activation, graph, Z):
    return graph.node("Mul", [Z, graph.node("Sigmoid", [Z])])


#: Converters of activations, keyed by their exact class (a subclass may
#: compute something else): ``converter(activation, graph, Z) -> A``, with a
#: :class:`GraphBuilder` and the names of ``Z`` and ``A``. Add an entry for an
#: activation of your own.
ACTIVATION_CONVERTERS = {
    _activations.Identity: _identity,
    _activations.Logistic: _operator("Sigmoid"),
    _activations.Tanh: _operator("Tanh"),
    _activations.ReLU: _operator("Relu"),
    _activations.LeakyReLU: _leaky_relu,
    _activations.ELU: _elu,
    _activations.Softplus: _softplus,
    _activations.GELU: _gelu,
    _activations.Swish: _swish,
}


# -- layers --------------------------------------------------------------------


def _dense(layer, graph, X):
    Z = graph.node("MatMul", [X, graph.constant(layer.W, "coefficient")])
    Z = graph.node("Add", [Z, graph.constant(layer.b, "intercept")])
    return graph.activation(layer.activation, Z)


def _dropout(layer, graph, X):
    return X  # inverted dropout passes its input through at prediction


#: Converters of layers, keyed by their exact class:
#: ``converter(layer, graph, X) -> Y``, with a :class:`GraphBuilder` and the
#: names of the layer's input and output. Add an entry for a layer of your own.
LAYER_CONVERTERS = {Dense: _dense, Dropout: _dropout}


def _check_exportable(model):
    """Raise the TypeError naming the first layer or activation without a
    converter, before any of the graph is written."""
    for i, layer in enumerate(model.layers_):
        if type(layer) not in LAYER_CONVERTERS:
            known = ", ".join(cls.__name__ for cls in LAYER_CONVERTERS)
            name = type(layer).__name__
            raise TypeError(
                f"cannot export layers_[{i}] ({name}): skmlp.onnx knows the layers "
                f"{known}, by their exact class. Give {name} a converter, a "
                f"function (layer, graph, X) -> Y, in "
                f"skmlp.onnx.LAYER_CONVERTERS[{name}] (the user guide's 'Deploying "
                "a model' shows one)."
            )
        if type(layer) is Dense and layer.activation is not None:
            _activation_converter(layer.activation, f"layers_[{i}].activation")


def _logits(scope, operator, container):
    """The network's output logits, and the graph they are written in."""
    model = operator.raw_operator
    # Arrays assigned to coefs_/intercepts_ reach the layers as they do for predict.
    model._current_network()
    input_type = operator.inputs[0].type
    double = isinstance(input_type, DoubleTensorType)
    graph = GraphBuilder(scope, container, np.float64 if double else np.float32)
    X = operator.inputs[0].full_name
    if not isinstance(input_type, FloatTensorType | DoubleTensorType):
        X = graph.node("Cast", [X], to=TensorProto.FLOAT)
    for layer in model.layers_:
        X = LAYER_CONVERTERS[type(layer)](layer, graph, X)
    return graph, X


# -- the classifier --------------------------------------------------------------


def _label_values(scope, model):
    """The labels the graph outputs: strings, or int64 as skl2onnx writes
    numbers (scikit-learn's classifiers take no float labels but whole ones)."""
    classes = np.asarray(get_label_classes(scope, model))
    kind = classes.dtype.kind
    if kind in "US" or (kind == "O" and all(isinstance(c, str) for c in classes)):
        return classes.astype(str)
    return classes.astype(np.int64)


def _multilabel(model):
    return model._label_binarizer.y_type_ == "multilabel-indicator"


def _classifier_shapes(operator):
    model = operator.raw_operator
    _check_exportable(model)
    N = operator.inputs[0].get_first_dimension()
    labels = _label_values(operator.scope_inst, model)
    n_classes = len(model.classes_)
    if _multilabel(model):
        operator.outputs[0].type = Int64TensorType([N, n_classes])
    elif labels.dtype.kind == "U":
        operator.outputs[0].type = StringTensorType([N])
    else:
        operator.outputs[0].type = Int64TensorType([N])
    float_type = _float_type(operator)
    operator.outputs[1].type = float_type([N, n_classes])


def _float_type(operator):
    if isinstance(operator.inputs[0].type, DoubleTensorType):
        return DoubleTensorType
    return FloatTensorType


def _convert_classifier(scope, operator, container):
    model = operator.raw_operator
    graph, Z = _logits(scope, operator, container)
    label_out, proba_out = operator.outputs[0].full_name, operator.outputs[1].full_name
    if len(model.classes_) == 1 and not _multilabel(model):
        # predict_proba is all ones, and predict the one class.
        P = graph.node(
            "ConstantOfShape",
            [graph.node("Shape", [Z])],
            value=numpy_helper.from_array(np.ones(1, dtype=graph.dtype)),
        )
    elif model.out_activation_ == "softmax":
        P = graph.node("Softmax", [Z], axis=1)
    elif _multilabel(model):
        P = graph.node("Sigmoid", [Z])
        above = graph.node("Greater", [P, graph.constant(0.5)])
        graph._node("Cast", [above], label_out, to=TensorProto.INT64)
        graph._node("Identity", [P], proba_out)
        return
    else:
        # [1 - p, p] as expit(-z), expit(z), without cancellation, as predict_proba
        negative = graph.node("Sigmoid", [graph.node("Neg", [Z])])
        P = graph.node("Concat", [negative, graph.node("Sigmoid", [Z])], axis=1)
    graph._node("Identity", [P], proba_out)
    index = graph.node("ArgMax", [P], axis=1, keepdims=0)
    labels = graph.constant(_label_values(scope, model), "classes")
    graph._node("Gather", [labels, index], label_out, axis=0)


# -- the regressor ---------------------------------------------------------------


def _regressor_shapes(operator):
    model = operator.raw_operator
    _check_exportable(model)
    N = operator.inputs[0].get_first_dimension()
    operator.outputs[0].type = _float_type(operator)([N, model.n_outputs_])


def _convert_regressor(scope, operator, container):
    model = operator.raw_operator
    graph, Z = _logits(scope, operator, container)
    if model.out_activation_ == "exp":
        Z = graph.node("Exp", [Z])
    elif model.out_activation_ != "identity":
        raise TypeError(
            f"cannot export out_activation_={model.out_activation_!r}: skmlp.onnx "
            "knows 'identity' and 'exp'"
        )
    graph._node("Identity", [Z], operator.outputs[0].full_name)


update_registered_converter(
    BackpropMLPClassifier,
    "SkmlpBackpropMLPClassifier",
    _classifier_shapes,
    _convert_classifier,
    # scikit-learn's MLPClassifier's options: skl2onnx's classifier parser
    # then adds the ZipMap (zipmap=True, the default) or the class labels.
    options={
        "zipmap": [True, False, "columns"],
        "output_class_labels": [False, True],
        "nocl": [True, False],
    },
)
update_registered_converter(
    BackpropMLPRegressor,
    "SkmlpBackpropMLPRegressor",
    _regressor_shapes,
    _convert_regressor,
)
