"""scikit-learn stays at the edge of the package.

The numeric core (activations, layers, network, optimisers, the training loops,
callbacks, data sets, the gradient check) needs only NumPy and SciPy. The
estimator and the helpers of its scikit-learn contract, the command-line app and
the plotting displays, which take fitted estimators, may import scikit-learn;
``ConvergenceWarning`` reaches the core through ``skmlp/_warnings.py`` alone.
The optional ONNX tools (skl2onnx, onnx, onnxruntime) are imported by
``skmlp/onnx.py`` alone, which ``import skmlp`` does not import.
The command-line app, ``skmlp/cli/``, is a user of the library like any
other: it may import scikit-learn, and nothing in the library imports it
(``skmlp/__main__.py``, ``python -m skmlp``, is its one door).
A new module counts as core until it is added to ``EDGE`` (or lives in the app).
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
    assert "cli/compare.py" in importers
    app = {name for name in importers if name.startswith("cli/")}
    assert importers - EDGE - app == set()


def _app_importers():
    """Modules outside the app that import it, relatively or by name."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        name = path.relative_to(PACKAGE).as_posix()
        if name.startswith("cli/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                by_name = node.level == 0 and module.startswith("skmlp.cli")
                relative = node.level == 1 and (
                    module.split(".")[0] == "cli"
                    or (not module and any(a.name == "cli" for a in node.names))
                )
                if by_name or relative:
                    found.add(name)
            elif isinstance(node, ast.Import) and any(
                alias.name.startswith("skmlp.cli") for alias in node.names
            ):
                found.add(name)
    return found


def test_the_library_never_imports_the_app():
    assert _app_importers() == {"__main__.py"}
    code = (
        "import sys, skmlp, skmlp.plotting, skmlp.datasets, skmlp.callbacks; "
        "loaded = sorted(m for m in sys.modules if m.startswith('skmlp.cli')); "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


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
