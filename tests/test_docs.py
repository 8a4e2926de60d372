"""The documentation: its code runs, it names every public object, it builds.

* Every ``>>>`` example in the hand-written pages (getting started, user guide)
  runs as a doctest, so the custom activation and initialiser of the user guide,
  the hand-worked backpropagation and the migration examples are tested.
* The API reference lists every name in the ``__all__`` of every module it
  documents.
* ``python -m sphinx -W -b html docs ...`` builds with warnings as errors and
  the gallery executed, and every gallery page shows a figure.

The build needs the ``docs`` tools, which the ``test`` extra installs; without
them the build test fails and says what to install.
"""

import doctest
import importlib
import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUILD_SECONDS = 300

PAGES = sorted(
    [DOCS / "getting_started.rst", *sorted((DOCS / "user_guide").glob("*.rst"))]
)

# Every module the API page documents (``.. automodule::``) must list each name
# of its ``__all__``; a module is added to the page when it lands.
API_MODULES = re.findall(
    r"^\.\. automodule:: (\S+)", (DOCS / "api.rst").read_text(), flags=re.M
)


def _helpers():
    sys.path.insert(0, str(DOCS))
    try:
        return importlib.import_module("_build_helpers")
    finally:
        sys.path.remove(str(DOCS))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_examples_run(page):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    try:
        result = doctest.testfile(
            str(page),
            module_relative=False,
            optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
            raise_on_error=False,
            verbose=False,
        )
    finally:
        plt.close("all")
    assert result.failed == 0, f"{result.failed} example(s) failed in {page.name}"


def _documented_names():
    """Fully qualified names the API page documents (autosummary entries)."""
    text = (DOCS / "api.rst").read_text()
    names, module = set(), None
    for line in text.splitlines():
        current = re.match(r"\.\. currentmodule:: (\S+)", line)
        if current:
            module = current.group(1)
        entry = re.match(r"   ([A-Za-z_]\w*)$", line)
        if entry and module:
            names.add(f"{module}.{entry.group(1)}")
    return names


@pytest.mark.parametrize("module_name", API_MODULES)
def test_api_reference_lists_every_public_name(module_name):
    module = importlib.import_module(module_name)
    documented = _documented_names()
    top_level = importlib.import_module("skmlp")
    missing = []
    for name in getattr(module, "__all__", []):
        if name == "__version__":
            continue
        obj = getattr(module, name)
        exported = name in top_level.__all__ and getattr(top_level, name) is obj
        if f"{module_name}.{name}" not in documented and not (
            exported and f"skmlp.{name}" in documented
        ):
            missing.append(name)
    assert not missing, f"docs/api.rst does not list {module_name}: {missing}"


def test_markdown_tables_become_warning_free_rst():
    from docutils.core import publish_doctree

    markdown = "\n".join(
        [
            "# Benchmarks",
            "",
            "Run `python benchmarks/run.py --quick`; *2 cores*, snake_case_names_",
            "and a | pipe, a [link](https://example.org) and [a file](run.py).",
            "",
            "## Results",
            "",
            "| workload | skmlp (s) | ratio |",
            "|:---|---:|:-:|",
            "| W1 `float32` | 0.41 (0.40-0.43) | **0.21** |",
            "| W2 | | 3 \\| 4 |",
            "| short row |",
            "",
            "- a bullet with `code`",
            "- *another*",
            "",
            "```",
            "python benchmarks/run.py",
            "```",
        ]
    )
    rst = _helpers().markdown_to_rst(markdown)
    doctree = publish_doctree(
        rst, settings_overrides={"report_level": 2, "halt_level": 2}
    )
    text = doctree.astext()
    for shown in ("0.21", "snake_case_names_", "3 | 4", "python benchmarks/run.py"):
        assert shown in text
    assert any(node.tagname == "table" for node in doctree.findall())


def test_docs_build_with_warnings_as_errors(tmp_path):
    missing = [
        name
        for name in (
            "sphinx",
            "numpydoc",
            "sphinx_gallery",
            "pydata_sphinx_theme",
            "sphinx-mathjax-offline",
        )
        if importlib.util.find_spec(name) is None
    ]
    assert not missing, (
        f"Building the docs needs {missing}: install them with "
        "python -m pip install -e '.[docs]' (the 'test' extra includes them)"
    )
    out = tmp_path / "html"
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-q",
        "-b",
        "html",
        "-d",
        str(tmp_path / "doctrees"),
        str(DOCS),
        str(out),
    ]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    start = time.perf_counter()
    proc = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_SECONDS,
    )
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, (
        f"{' '.join(command)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-8000:]}"
    )
    assert seconds < BUILD_SECONDS
    examples = sorted((DOCS / "examples").glob("plot_*.py"))
    assert examples
    for example in examples:
        page = (out / "auto_examples" / f"{example.stem}.html").read_text()
        assert (
            "sphx-glr-single-img" in page
            or "sphx-glr-multi-img" in page
            or ("animation" in page)
        ), f"{example.name} shows no figure"
    assert (out / "api.html").is_file() and (out / "benchmarks.html").is_file()
    assert "BackpropMLPClassifier" in (out / "api.html").read_text()
    # The maths renders offline: MathJax comes from the build, not a CDN.
    assert (out / "_static" / "mathjax" / "tex-chtml.js").is_file()
    page = (out / "user_guide" / "regression.html").read_text()
    scripts = re.findall(r'<script[^>]*src="([^"]*mathjax[^"]*)"', page, flags=re.I)
    assert scripts and all(
        not src.startswith(("http:", "https:", "//")) for src in scripts
    ), scripts
    assert r"\(" in page or "math notranslate" in page  # the page has maths
