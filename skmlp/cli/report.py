"""Plain-text and HTML tables, the HTML report page, and a progress display.

Shared by ``skmlp demo`` and ``skmlp compare``. Nothing here imports matplotlib
or scikit-learn.

Examples
--------
>>> from skmlp.cli.report import Table
>>> print(Table(["model", "accuracy"], [["mlp", "0.990"]]).to_text())
model  accuracy
-----  --------
mlp       0.990
"""

import html
import os
import shutil
import sys
import threading
import time

__all__ = ["InputError", "Table", "Progress", "write_html_page"]


class InputError(ValueError):
    """A mistake in the user's input, reported as one line without a traceback.

    Examples
    --------
    >>> from skmlp.cli.report import InputError
    >>> str(InputError("no such file: 'x.csv'"))
    "no such file: 'x.csv'"
    """


def _is_number(text):
    try:
        float(str(text).split(" ")[0])
    except ValueError:
        return False
    return True


class Table:
    """A small table of strings, printed as text or written as HTML.

    Parameters
    ----------
    columns : list of str
        Column headings.
    rows : list of list
        One list per row, one entry per column; entries are shown with ``str``.
    title : str, default=""
        Printed above the table.
    notes : list of str, default=()
        Printed below the table.

    Examples
    --------
    >>> from skmlp.cli.report import Table
    >>> table = Table(["model", "fit s"], [["a", "0.10"], ["bb", "12.00"]],
    ...               title="Data", notes=["one note"])
    >>> print(table.to_text())
    Data
    model  fit s
    -----  -----
    a       0.10
    bb     12.00
      one note
    >>> "<td>bb</td>" in table.to_html()
    True
    """

    def __init__(self, columns, rows, title="", notes=()):
        self.columns = [str(c) for c in columns]
        self.rows = [[str(v) for v in row] for row in rows]
        self.title = title
        self.notes = list(notes)

    def _numeric(self, j):
        """Whether column ``j`` holds numbers (right-aligned)."""
        cells = [row[j] for row in self.rows if row[j] not in ("", "-", "n/a")]
        return all(_is_number(c) for c in cells) and (
            bool(cells) or any(row[j] == "n/a" for row in self.rows)
        )

    def to_text(self):
        """The table as aligned plain text.

        Returns
        -------
        text : str
        """
        widths = [
            max([len(c)] + [len(row[j]) for row in self.rows])
            for j, c in enumerate(self.columns)
        ]
        numeric = [self._numeric(j) for j in range(len(self.columns))]

        def line(cells):
            parts = [
                cell.rjust(w) if num else cell.ljust(w)
                for cell, w, num in zip(cells, widths, numeric)
            ]
            return "  ".join(parts).rstrip()

        lines = [self.title] if self.title else []
        lines.append(line(self.columns))
        lines.append("  ".join("-" * w for w in widths))
        lines.extend(line(row) for row in self.rows)
        lines.extend(f"  {note}" for note in self.notes)
        return "\n".join(lines)

    def to_html(self):
        """The table as an HTML ``<table>`` (with its notes, if any).

        Returns
        -------
        html : str
        """
        numeric = [self._numeric(j) for j in range(len(self.columns))]
        esc = html.escape
        head = "".join(f"<th>{esc(c)}</th>" for c in self.columns)
        body = []
        for row in self.rows:
            cells = "".join(
                f'<td class="num">{esc(v)}</td>' if num else f"<td>{esc(v)}</td>"
                for v, num in zip(row, numeric)
            )
            body.append(f"<tr>{cells}</tr>")
        parts = [f"<table><thead><tr>{head}</tr></thead><tbody>"]
        parts += body
        parts.append("</tbody></table>")
        if self.notes:
            items = "".join(f"<li>{esc(n)}</li>" for n in self.notes)
            parts.append(f'<ul class="notes">{items}</ul>')
        return "\n".join(parts)


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
       max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
p.lead { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: left; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.notes { color: #555; font-size: 0.88em; margin-top: 0; }
figure { display: inline-block; margin: 0.6em 1.2em 0.6em 0; vertical-align: top; }
figure img { max-width: 100%; border: 1px solid #e4e4e4; }
figcaption { color: #555; font-size: 0.88em; }
footer { color: #777; font-size: 0.85em; margin-top: 3em; }
"""


def write_html_page(path, title, lead, sections, footer=""):
    """Write a self-contained HTML page of tables and images.

    Parameters
    ----------
    path : str or os.PathLike
        File to write.
    title : str
        Page title and heading.
    lead : str
        A sentence under the heading (plain text).
    sections : list of dict
        Each with ``"title"`` (str), ``"tables"`` (list of :class:`Table`),
        ``"text"`` (list of str, optional) and ``"images"`` (list of
        ``(file name relative to the page, caption, width in pixels or None)``).
    footer : str, default=""
        Trusted HTML put at the bottom of the page.

    Returns
    -------
    path : str
        The path written.

    Examples
    --------
    >>> import os, tempfile
    >>> from skmlp.cli.report import Table, write_html_page
    >>> page = os.path.join(tempfile.mkdtemp(), "index.html")
    >>> _ = write_html_page(page, "Demo", "Hello.", [{"title": "XOR",
    ...     "tables": [Table(["a"], [["1"]])], "images": [("x.png", "X", None)]}])
    >>> '<img src="x.png"' in open(page).read()
    True
    """
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="lead">{esc(lead)}</p>',
    ]
    for section in sections:
        parts.append(f"<section><h2>{esc(section['title'])}</h2>")
        parts.extend(f"<p>{esc(t)}</p>" for t in section.get("text", ()))
        parts.extend(table.to_html() for table in section.get("tables", ()))
        for src, caption, width in section.get("images", ()):
            size = f' width="{int(width)}"' if width else ""
            parts.append(
                f'<figure><img src="{esc(src)}" alt="{esc(caption)}"{size}>'
                f"<figcaption>{esc(caption)}</figcaption></figure>"
            )
        parts.append("</section>")
    if footer:
        parts.append(f"<footer>{footer}</footer>")
    parts.append("</body></html>\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))
    return os.fspath(path)


# --------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------


class Progress:
    """Progress of a sequence of tasks, on a terminal or in a log.

    On a terminal (``stream.isatty()``) each task is one line redrawn in place
    with ``\\r``: a bar when the task's length is known, else a spinner and the
    elapsed time. Otherwise each task prints one plain line when it ends, so a
    log or a pipe gets no control characters.

    Parameters
    ----------
    stream : file-like, default=None
        Where to write; ``sys.stderr`` when None.
    live : bool or None, default=None
        Force the terminal (True) or plain (False) display; None asks
        ``stream.isatty()``.
    width : int, default=24
        Characters of the bar.

    Examples
    --------
    >>> import io
    >>> from skmlp.cli.report import Progress
    >>> out = io.StringIO()
    >>> progress = Progress(out)
    >>> with progress.task("fit", total=10) as task:
    ...     task.update(10)
    ...     task.summary = "10 epochs"
    >>> out.getvalue().startswith("fit: 10 epochs")
    True
    """

    interval = 0.1

    def __init__(self, stream=None, live=None, width=24):
        self.stream = sys.stderr if stream is None else stream
        if live is None:
            isatty = getattr(self.stream, "isatty", None)
            live = bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"
        self.live = live
        self.width = width

    def task(self, label, total=None):
        """Start a task; use it as a context manager.

        Parameters
        ----------
        label : str
            What is being done, e.g. ``"spirals: skmlp MLP (4,)"``.
        total : int or None, default=None
            Number of steps, if known; then call ``update(done)``.

        Returns
        -------
        task : _Task
        """
        return _Task(self, label, total)

    def message(self, text):
        """Print one line of text between tasks.

        Parameters
        ----------
        text : str
        """
        self.stream.write(text + "\n")
        self.stream.flush()


class _Task:
    """One task of a :class:`Progress`; see :meth:`Progress.task`."""

    _SPIN = "|/-\\"

    def __init__(self, progress, label, total):
        self.progress, self.label, self.total = progress, label, total
        self.done = 0
        self.summary = ""
        self._start = self._last = time.perf_counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        self._drawn = 0

    def __enter__(self):
        if self.progress.live:
            self._draw()
            if self.total is None:
                self._thread = threading.Thread(target=self._tick, daemon=True)
                self._thread.start()
        return self

    def _tick(self):
        while not self._stop.wait(0.25):
            self._draw()

    def update(self, done):
        """Record that ``done`` steps of ``total`` are finished.

        Redraws at most every 0.1 s, so calling it every epoch costs little.

        Parameters
        ----------
        done : int
        """
        self.done = done
        if self.progress.live:
            now = time.perf_counter()
            if now - self._last >= self.progress.interval:
                self._last = now
                self._draw()

    def _draw(self):
        elapsed = time.perf_counter() - self._start
        if self.total:
            frac = min(self.done / self.total, 1.0)
            filled = int(round(frac * self.progress.width))
            bar = "#" * filled + "." * (self.progress.width - filled)
            state = f"[{bar}] {self.done}/{self.total}"
        else:
            state = self._SPIN[int(elapsed / 0.25) % len(self._SPIN)]
        self._write(f"{self.label}  {state}  {elapsed:5.1f} s")

    def _write(self, text):
        # A line wider than the terminal would wrap, and \r would then redraw
        # only its last part.
        text = text[: max(shutil.get_terminal_size().columns - 1, 20)]
        with self._lock:
            pad = max(self._drawn - len(text), 0)
            self.progress.stream.write("\r" + text + " " * pad)
            self.progress.stream.flush()
            self._drawn = len(text)

    def __exit__(self, exc_type, exc, tb):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        elapsed = time.perf_counter() - self._start
        end = self.summary or f"done in {elapsed:.1f} s"
        if exc_type is not None:
            end = "interrupted" if exc_type is KeyboardInterrupt else "failed"
        text = f"{self.label}: {end}"
        if self.progress.live:
            self._write(text)
            self.progress.stream.write("\n")
            self.progress.stream.flush()
        else:
            self.progress.message(text)
        return False
