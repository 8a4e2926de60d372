"""scikit-learn stays at the edge of the package.

The numeric core (activations, layers, network, optimisers, the training loops,
callbacks, data sets, the gradient check) needs only NumPy and SciPy. The
estimator and the helpers of its scikit-learn contract, the command-line app and
the plotting displays, which take fitted estimators, may import scikit-learn;
``ConvergenceWarning`` reaches the core through ``skmlp/_warnings.py`` alone.
The optional ONNX tools (skl2onnx, onnx, onnxruntime) are imported by
``skmlp/onnx.py`` alone, which ``import skmlp`` does not import.
A new module counts as core until it is added to ``EDGE``.
"""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "skmlp"

EDGE = {
    # The estimators and their scikit-learn contract.
    "_base.py",
    "_validation_set.py",
    "_versions.py",
    "classifier.py",
    "regressor.py",
    "_validation.py",
    "_sklearn_callbacks.py",
    "_warnings.py",
    # The command-line app, a user of the library.
    "__main__.py",
    "compare.py",
    "_compare_figures.py",
    "demo.py",
    "_experiments.py",
    "_report.py",
    "_demo_figures.py",
    # Displays of fitted estimators.
    "plotting/_grid.py",
    # ONNX export of fitted estimators (through skl2onnx, which imports sklearn).
    "onnx.py",
}


def _imported_modules(path):
    """Every module ``path`` imports, at any depth (lazy imports too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def _sklearn_importers():
    return {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if any(name.split(".")[0] == "sklearn" for name in _imported_modules(path))
    }


def test_only_the_edge_imports_sklearn():
    # So the core's ConvergenceWarning comes from skmlp/_warnings.py.
    importers = _sklearn_importers()
    assert "classifier.py" in importers  # the scan sees imports
    assert importers - EDGE == set()


def _importers_of(package):
    return {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if any(name.split(".")[0] == package for name in _imported_modules(path))
    }


def test_only_skmlp_onnx_imports_the_onnx_tools():
    # The deploy extra is optional: nothing else may need it.
    for package in ("skl2onnx", "onnx", "onnxruntime"):
        assert _importers_of(package) <= {"onnx.py"}, package
    assert "onnx.py" in _importers_of("skl2onnx")


def test_import_skmlp_leaves_the_onnx_tools_unimported():
    code = (
        "import sys, skmlp; "
        "loaded = {'skl2onnx', 'onnx', 'onnxruntime'} & set(sys.modules); "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
