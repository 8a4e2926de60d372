"""The ``skmlp`` command: ``skmlp demo`` and ``skmlp compare``.

A thin front: the work is done by :mod:`skmlp.cli.demo` and
:mod:`skmlp.cli.compare`. Figures are drawn by Agg outside pyplot, so calling
:func:`main` from Python leaves matplotlib's backend as it was.
Mistakes in the data (a missing file, a bad column, an unknown tutorial) end
with one line on standard error and exit status 1, not a traceback; mistakes
in the command line (an unknown option, a bad option value) exit with status 2,
as argparse does.

Examples
--------
>>> from skmlp.cli.main import build_parser
>>> build_parser().prog
'skmlp'
"""

import argparse
import sys

from .. import __version__
from .report import InputError


def _os_error(exc):
    """One line for a file-system error: what failed, and on which file."""
    reason = exc.strerror or str(exc)
    return f"{reason}: {exc.filename!r}" if exc.filename else reason


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}")
    return value


def _folds(text):
    value = _positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"expected at least 2 folds, got {text!r}")
    return value


def _non_negative_int(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}")
    return value


def _non_negative_float(text):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a finite number >= 0, got {text!r}")
    return value


def _separator(text):
    """A one-character delimiter; ``tab`` or ``\\t`` for a tab."""
    if text.lower() in ("tab", "\\t"):
        return "\t"
    if len(text) != 1 or text in '"\r\n' or text.isalnum():
        raise argparse.ArgumentTypeError(
            f"expected one delimiter character such as , or ; or tab, got {text!r}"
        )
    return text


EXIT_STATUS = (
    "exit status: 0 on success; 1 for a problem with the data (a missing file "
    "or target column, an unparseable value, a row-number column, too few rows "
    "per fold); 2 for a problem with the command line (an unknown option, a "
    "bad --cv, --hidden, --sep or other option value); 130 when interrupted."
)


def _hidden_sizes(text):
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(
            f"expected layer sizes like 100 or 64,32, got {text!r}"
        )
    return sizes


def build_parser():
    """The command-line parser of ``skmlp``.

    Returns
    -------
    parser : argparse.ArgumentParser

    Examples
    --------
    >>> from skmlp.cli.main import build_parser
    >>> args = build_parser().parse_args(["compare", "data.csv", "--target", "y"])
    >>> args.command, args.cv, args.hidden, args.task, args.sep, args.max_iter
    ('compare', 5, (100,), 'auto', None, 200)
    """
    from .compare_data import MAX_CLASSES, TASKS
    from .compare_report import MLP_DEFAULTS
    from .demo import EXPERIMENTS, QUICK

    parser = argparse.ArgumentParser(
        prog="skmlp",
        description=(
            "skmlp: a scikit-learn compatible multilayer perceptron you can open "
            "up. Import skmlp.BackpropMLPClassifier in place of "
            "sklearn.neural_network.MLPClassifier, and skmlp.BackpropMLPRegressor "
            "in place of MLPRegressor."
        ),
        epilog=EXIT_STATUS,
    )
    parser.add_argument("--version", action="version", version=f"skmlp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="run the tutorials' experiments: tables, figures and an index.html",
        description=(
            "Fit skmlp's MLP, scikit-learn's MLPClassifier and logistic "
            "regression on the tutorials' data sets with the tutorials' settings; "
            "print a table per data set and write figures, a training animation "
            "and index.html into DIR."
        ),
    )
    demo.add_argument(
        "--out",
        metavar="DIR",
        default="skmlp-demo",
        help="directory to write into (default: ./skmlp-demo)",
    )
    demo.add_argument(
        "--quick",
        action="store_true",
        help=f"only the fast data sets ({', '.join(QUICK)}), the last network of "
        "each tutorial and a coarser animation; the training settings stay the "
        "tutorials'",
    )
    demo.add_argument(
        "--tutorial",
        metavar="NAME",
        action="append",
        help=f"run only this data set, one of {', '.join(EXPERIMENTS)} "
        "(repeat or separate with commas for several)",
    )

    compare = commands.add_parser(
        "compare",
        help="cross-validate MLPs against a linear model on a CSV file",
        description=(
            "Load a CSV file (header row, numeric feature columns, any target), "
            "and cross-validate StandardScaler + skmlp's MLP, scikit-learn's "
            "MLP and a linear model on the same folds: for class labels "
            "MLPClassifier and logistic regression with stratified folds, for a "
            "continuous target MLPRegressor and ridge regression (the target "
            "standardised too). Prints how the file was read and the features "
            "used, then the table: mean and standard deviation over the folds, "
            "the mean number of epochs and how many folds converged."
        ),
        epilog=EXIT_STATUS,
    )
    compare.add_argument("data", metavar="DATA.csv", help="the CSV file")
    compare.add_argument(
        "--target", metavar="COLUMN", required=True, help="name of the target column"
    )
    compare.add_argument(
        "--sep",
        metavar="CHAR",
        type=_separator,
        help="the delimiter, e.g. ; or tab (default: detected from the first "
        "lines among comma, semicolon and tab; comma when unclear)",
    )
    compare.add_argument(
        "--decimal",
        choices=(".", ","),
        default=".",
        help="the decimal mark of the numbers; use , for files with decimal "
        "commas such as 5,1 (default: .)",
    )
    compare.add_argument(
        "--keep-index",
        action="store_true",
        help="use a row-number column (unnamed, holding exactly 0..n-1 or 1..n, "
        "as pandas' to_csv() writes) as a feature; without this option such a "
        "file is refused, as the row order can leak the target",
    )
    compare.add_argument(
        "--cv",
        metavar="K",
        type=_folds,
        default=5,
        help="number of folds, at least 2; stratified for classification (default: 5)",
    )
    compare.add_argument(
        "--hidden",
        metavar="SIZES",
        type=_hidden_sizes,
        default=(100,),
        help="hidden layer sizes of both MLPs, e.g. 100 or 64,32 (default: 100)",
    )
    compare.add_argument(
        "--max-iter",
        metavar="N",
        type=_positive_int,
        default=MLP_DEFAULTS["max_iter"],
        help="most epochs (iterations for lbfgs) of both MLPs "
        f"(default: {MLP_DEFAULTS['max_iter']})",
    )
    compare.add_argument(
        "--solver",
        choices=("adam", "sgd", "lbfgs"),
        default=MLP_DEFAULTS["solver"],
        help=f"both MLPs' solver (default: {MLP_DEFAULTS['solver']})",
    )
    compare.add_argument(
        "--activation",
        choices=("relu", "tanh", "logistic", "identity"),
        default=MLP_DEFAULTS["activation"],
        help=f"both MLPs' hidden activation (default: {MLP_DEFAULTS['activation']})",
    )
    compare.add_argument(
        "--alpha",
        metavar="A",
        type=_non_negative_float,
        default=MLP_DEFAULTS["alpha"],
        help=f"both MLPs' L2 penalty (default: {MLP_DEFAULTS['alpha']:g})",
    )
    compare.add_argument(
        "--seed",
        metavar="N",
        type=_non_negative_int,
        default=0,
        help="random_state of both MLPs and of the folds' shuffling; both MLPs "
        "always get the same settings and seed, so they train identically "
        "(default: 0)",
    )
    compare.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="--progress writes a line to stderr before every fit; "
        "--no-progress writes none (default: a line per model, and one for any "
        "fit that runs longer than 2 s)",
    )
    compare.add_argument(
        "--out",
        metavar="DIR",
        default="skmlp-compare",
        help="where the figure goes: decision boundaries for classification "
        "with two features, out-of-fold predictions for regression "
        "(default: ./skmlp-compare)",
    )
    compare.add_argument(
        "--task",
        choices=TASKS,
        default="auto",
        help="what the target holds; auto (the default) takes a numeric target "
        f"with a non-integer value or more than {MAX_CLASSES} distinct integers "
        "as continuous (regression), anything else as class labels",
    )
    return parser


def main(argv=None):
    """Run the ``skmlp`` command.

    Parameters
    ----------
    argv : list of str, optional
        Arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    status : int
        Exit status: 0 on success, 1 for bad input, 2 for bad arguments,
        130 when interrupted.

    Examples
    --------
    >>> from skmlp.cli.main import main
    >>> main(["compare", "no-such-file.csv", "--target", "y"])
    1
    """
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.command == "demo":
            from .demo import run_demo

            run_demo(args.out, quick=args.quick, tutorials=args.tutorial)
        else:
            from .compare import run_compare

            run_compare(
                args.data,
                args.target,
                cv=args.cv,
                hidden=args.hidden,
                out=args.out,
                task=args.task,
                sep=args.sep,
                decimal=args.decimal,
                keep_index=args.keep_index,
                seed=args.seed,
                progress=args.progress,
                max_iter=args.max_iter,
                solver=args.solver,
                activation=args.activation,
                alpha=args.alpha,
            )
    except KeyboardInterrupt:
        sys.stderr.write("\nskmlp: interrupted\n")
        return 130
    except (InputError, OSError) as exc:
        message = str(exc) if isinstance(exc, InputError) else _os_error(exc)
        sys.stderr.write(f"skmlp {args.command}: error: {message}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
