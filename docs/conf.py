"""Sphinx configuration of the skmlp documentation.

Build with ``python -m sphinx -W -b html docs docs/_build/html``. The gallery in
``docs/examples`` is executed at every build; ``docs/generated`` (API stubs, the
benchmark table, the command's help) and ``docs/auto_examples`` are written by
the build and are not kept in git.
"""

import os
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS))

from _build_helpers import (  # noqa: E402
    write_benchmark_table,
    write_cli_help,
    write_readme_setup,
)

import skmlp  # noqa: E402

project = "skmlp"
author = "the skmlp developers"
copyright = "the skmlp developers"
release = skmlp.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    # MathJax from the package, copied into _static: a local build renders its
    # maths without network access.
    "sphinx-mathjax-offline",
    "sphinx.ext.viewcode",
    "matplotlib.sphinxext.plot_directive",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "generated/*.inc.rst"]
root_doc = "index"
default_role = "literal"
pygments_style = "sphinx"

# -- API reference -----------------------------------------------------------
autosummary_generate = True
autodoc_typehints = "none"
numpydoc_show_class_members = True
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
# Docstrings reference scikit-learn and NumPy objects that have no page here;
# links to pages that exist are made, the others are plain text.
nitpicky = False

# Methods inherited from scikit-learn (``score``, ``get_params``, the metadata
# routing ``set_*_request``...) keep their docstrings, which cross-reference
# scikit-learn's own user guide and glossary. This site has neither, so those
# references are shown as their plain text instead of failing the build.
_SKLEARN_ROLE = re.compile(r":(?:ref|term|doc):`(?:([^`<]*?)\s*<[^`>]*>|([^`]*))`")


def _plain_sklearn_references(app, what, name, obj, options, lines):
    module = getattr(obj, "__module__", "") or ""
    if module.split(".")[0] != "sklearn":
        return
    for i, line in enumerate(lines):
        lines[i] = _SKLEARN_ROLE.sub(lambda m: m.group(1) or m.group(2), line)


def _drop_builtin_type_docstrings(app, what, name, obj, options, lines):
    # A module-level tuple or dict without a docstring of its own would show
    # the docstring of its type ("Built-in immutable sequence...").
    if what == "data" and type(obj).__module__ == "builtins":
        own = " ".join(" ".join(lines).split())
        if own and own == " ".join((type(obj).__doc__ or "").split()):
            lines.clear()


def setup(app):
    app.connect("autodoc-process-docstring", _plain_sklearn_references)
    # Before numpydoc (priority 500) reformats the docstring.
    app.connect(
        "autodoc-process-docstring", _drop_builtin_type_docstrings, priority=100
    )


# -- Figures in the pages (``.. plot::``) ---------------------------------------
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 96)]
plot_rcparams = {"figure.figsize": (5.5, 4.5)}

# -- Gallery -----------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "plot_gallery": "True",
    "doc_module": ("skmlp",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"skmlp": None},
    "matplotlib_animations": (True, "jshtml"),
    "remove_config_comments": True,
    "download_all_examples": False,
    "within_subsection_order": "_build_helpers.GalleryOrder",
    "min_reported_time": 1,
    "show_signature": False,
    # Show what examples print, not the repr of their last expression.
    "capture_repr": (),
}

# -- HTML --------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skmlp {release}"
html_static_path = ["_static"]
html_css_files = ["skmlp.css"]
html_theme_options = {
    "navbar_align": "left",
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "navigation_with_keys": False,
}
html_sidebars = {"index": [], "getting_started": [], "benchmarks": []}
html_show_sourcelink = False

# -- Files the build writes before reading the sources ------------------------
GENERATED = DOCS / "generated"
GENERATED.mkdir(exist_ok=True)
write_benchmark_table(
    ROOT / "benchmarks" / "README.md", GENERATED / "benchmarks.inc.rst"
)
write_cli_help(GENERATED / "cli_help.txt")
write_readme_setup(ROOT / "README.md", GENERATED / "readme_setup.sh")

# Keep example output stable and free of colour codes.
os.environ.setdefault("COLUMNS", "88")
