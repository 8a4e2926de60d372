"""Files the documentation build writes before Sphinx reads the sources.

* :func:`write_benchmark_table` turns ``benchmarks/README.md`` (headings,
  paragraphs, lists, code blocks and pipe tables) into reStructuredText that the
  benchmarks page includes, so the page always shows the latest table. Every
  character that reStructuredText would read as markup is escaped, so whatever
  the README says, the build does not warn.
* :func:`write_readme_setup` copies the set-up commands of the README, so the
  getting-started page shows the very commands CI runs.
* :func:`write_cli_help` writes the ``skmlp`` command's ``--help`` text (and each
  sub-command's) for the getting-started page.

Both are plain functions of their inputs, tested in ``tests/test_docs.py``.
"""

import argparse
import os
import re
from pathlib import Path

__all__ = [
    "GalleryOrder",
    "markdown_to_rst",
    "write_benchmark_table",
    "write_cli_help",
    "write_readme_setup",
]

_INLINE = re.compile(
    r"(?P<code>(`+)(?P<code_text>.+?)\2)"
    r"|\*\*(?P<bold>[^*]+?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s][^*]*?)\*(?![\w*])"
    r"|!\[(?P<alt>[^\]]*)\]\([^)]*\)"
    r"|\[(?P<link_text>[^\]]+)\]\((?P<url>[^)\s]+)\)"
)
_PLAIN_SPECIAL = re.compile(r"([\\*_`|])")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*([-*+]|\d+[.)])\s+(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")


def _plain(text):
    """Escape text so that reStructuredText shows it as it is."""
    return _PLAIN_SPECIAL.sub(r"\\\1", text)


def _inline(text):
    """Markdown inline markup (code, bold, links, images) as reStructuredText."""
    out, pos = [], 0
    for match in _INLINE.finditer(text):
        out.append(_plain(text[pos : match.start()]))
        pos = match.end()
        if match.group("code") is not None:
            code = match.group("code_text").strip()
            if code and "``" not in code and not code.endswith("\\"):
                out.append(f"\\ ``{code}``\\ ")
            else:
                out.append(_plain(match.group(0)))
        elif match.group("bold") is not None:
            bold = match.group("bold").strip()
            out.append(f"\\ **{_plain(bold)}**\\ " if bold else "")
        elif match.group("em") is not None:
            out.append(f"\\ *{_plain(match.group('em').strip())}*\\ ")
        elif match.group("alt") is not None:
            out.append(_plain(match.group("alt")))
        else:
            label = re.sub(r"[<>`]", "", match.group("link_text")).strip()
            url = match.group("url")
            if label and re.match(r"^[a-z]+://", url):
                out.append(f"\\ `{_plain(label)} <{url}>`__\\ ")
            else:
                out.append(_plain(match.group("link_text")))
    out.append(_plain(text[pos:]))
    return "".join(out).strip()


def _table_cells(line):
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = re.split(r"(?<!\\)\|", line)
    return [c.strip().replace("\\|", "|") for c in cells]


def _list_table(rows):
    header = _table_cells(rows[0])
    width = len(header)
    body = [_table_cells(r) for r in rows[1:] if not _TABLE_RULE.match(r)]
    has_header = len(rows) > 1 and bool(_TABLE_RULE.match(rows[1]))
    if not has_header:
        body = [header, *body]
    lines = [".. list-table::", "   :class: benchmark-table"]
    if has_header:
        lines.append("   :header-rows: 1")
    lines.append("")
    for row in ([header] if has_header else []) + body:
        row = (row + [""] * width)[:width]
        for i, cell in enumerate(row):
            lines.append(f"   {'*' if i == 0 else ' '} - {_inline(cell)}".rstrip())
    return lines


def markdown_to_rst(markdown):
    """Convert a small Markdown document into reStructuredText.

    Headings become rubrics (the page that includes the result has its own
    title), pipe tables become list-tables, fenced code becomes literal blocks,
    list items become bullets and everything else becomes escaped paragraphs.

    Parameters
    ----------
    markdown : str

    Returns
    -------
    rst : str

    Examples
    --------
    >>> print(markdown_to_rst("| a | b_c |\\n|---|---|\\n| `x` | **1.5** |"))
    .. list-table::
       :class: benchmark-table
       :header-rows: 1
    <BLANKLINE>
       * - a
         - b\\_c
       * - \\ ``x``\\
         - \\ **1.5**\\
    <BLANKLINE>
    """
    lines = markdown.splitlines()
    blocks, para, i = [], [], 0

    def flush():
        if para:
            blocks.append([_inline(" ".join(s.strip() for s in para))])
            para.clear()

    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            flush()
            fence = _FENCE.match(line).group(1)
            code = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                code.append(lines[i])
                i += 1
            i += 1
            if any(c.strip() for c in code):
                blocks.append(
                    ["::", ""] + ["   " + c.rstrip() if c.strip() else "" for c in code]
                )
            continue
        if line.lstrip().startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(lines[i])
                i += 1
            blocks.append(_list_table(rows))
            continue
        heading = _HEADING.match(line)
        setext = (
            i + 1 < len(lines)
            and line.strip()
            and not para
            and re.fullmatch(r"\s*(=+|-+)\s*", lines[i + 1])
        )
        if heading or setext:
            flush()
            level = len(heading.group(1)) if heading else 1
            title = heading.group(2) if heading else line.strip()
            if level > 1 or blocks:
                blocks.append([f".. rubric:: {_inline(title)}"])
            i += 2 if setext else 1
            continue
        bullet = _BULLET.match(line)
        if bullet:
            flush()
            blocks.append([f"- {_inline(bullet.group(2))}".rstrip()])
            i += 1
            continue
        if not line.strip():
            flush()
        elif not re.fullmatch(r"\s*(-{3,}|\*{3,}|_{3,})\s*", line):
            para.append(line)
        i += 1
    flush()
    out = []
    for k, block in enumerate(blocks):
        both_bullets = k and all(b[0].startswith("- ") for b in (block, blocks[k - 1]))
        if out and not both_bullets:
            out.append("")
        out.extend(block)
    return "\n".join(out) + "\n"


def write_benchmark_table(readme, target):
    """Write the reStructuredText of ``benchmarks/README.md`` into ``target``.

    When the README does not exist yet, the page says so instead.

    Parameters
    ----------
    readme : path-like
    target : path-like
    """
    readme, target = Path(readme), Path(target)
    if readme.is_file():
        text = markdown_to_rst(readme.read_text(encoding="utf-8"))
    else:
        text = (
            "No benchmark results have been recorded yet: "
            "``benchmarks/README.md`` does not exist in this checkout.\n"
        )
    _write_if_changed(target, text)


def write_readme_setup(readme, target):
    """Write the shell commands of the README's "Set up" section into ``target``.

    Parameters
    ----------
    readme : path-like
    target : path-like
    """
    text = Path(readme).read_text(encoding="utf-8")
    section = text.split("## Set up", 1)[-1].split("\n## ", 1)[0]
    commands = re.findall(r"```(?:bash|sh|console)?\n(.*?)\n```", section, flags=re.S)
    _write_if_changed(Path(target), "\n".join(commands) + "\n")


def write_cli_help(target):
    """Write the ``skmlp`` command's help, and each sub-command's, into ``target``.

    Parameters
    ----------
    target : path-like
    """
    from skmlp.cli.main import build_parser

    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"
    try:
        parser = build_parser()
        parts = ["$ skmlp --help", parser.format_help()]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    parts += [f"$ skmlp {name} --help", sub.format_help()]
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    _write_if_changed(Path(target), "\n".join(parts))


def _write_if_changed(path, text):
    # Rewriting an unchanged file would make Sphinx rebuild the pages using it.
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


class GalleryOrder:
    """Sort key of the gallery: the four tutorials first, in their order.

    sphinx-gallery imports it by name (``"_build_helpers.GalleryOrder"``), calls
    it with the gallery's folder, then with each example's file name.

    Parameters
    ----------
    src_dir : str
        The gallery's folder (unused).
    """

    FIRST = (
        "plot_xor_hidden_units.py",
        "plot_rings_animation.py",
        "plot_gaussian_clusters_relu.py",
        "plot_spirals_vs_logistic.py",
        "plot_grid_search.py",
        "plot_activations_initializers.py",
        "plot_solvers.py",
    )

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        name = os.path.basename(filename)
        rank = self.FIRST.index(name) if name in self.FIRST else len(self.FIRST)
        return f"{rank:03d}{name}"

    def __repr__(self):
        return "GalleryOrder"
