"""The ``skmlp`` command: ``skmlp demo`` and ``skmlp compare``.

A thin front: the work is done by :mod:`skmlp.demo` and :mod:`skmlp.compare`.
Mistakes in the input (a missing file, a bad column, an unknown tutorial) end
with one line on standard error and exit status 1, not a traceback.

Examples
--------
>>> from skmlp.__main__ import build_parser
>>> build_parser().prog
'skmlp'
"""

import argparse
import sys

from . import __version__
from ._report import InputError


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
    >>> from skmlp.__main__ import build_parser
    >>> args = build_parser().parse_args(["compare", "data.csv", "--target", "y"])
    >>> args.command, args.cv, args.hidden, args.task
    ('compare', 5, (100,), 'auto')
    """
    from ._compare_data import MAX_CLASSES, TASKS
    from .demo import EXPERIMENTS, QUICK

    parser = argparse.ArgumentParser(
        prog="skmlp",
        description=(
            "skmlp: a scikit-learn compatible multilayer perceptron you can open "
            "up. Import skmlp.BackpropMLPClassifier in place of "
            "sklearn.neural_network.MLPClassifier, and skmlp.BackpropMLPRegressor "
            "in place of MLPRegressor."
        ),
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
            "standardised too)."
        ),
    )
    compare.add_argument("data", metavar="DATA.csv", help="the CSV file")
    compare.add_argument(
        "--target", metavar="COLUMN", required=True, help="name of the target column"
    )
    compare.add_argument(
        "--cv",
        metavar="K",
        type=_positive_int,
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
    >>> from skmlp.__main__ import main
    >>> main(["compare", "no-such-file.csv", "--target", "y"])
    1
    """
    parser = build_parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        parser.print_help()
        return 0
    _use_file_backend()
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
            )
    except KeyboardInterrupt:
        sys.stderr.write("\nskmlp: interrupted\n")
        return 130
    except (InputError, OSError) as exc:
        message = str(exc) if isinstance(exc, InputError) else _os_error(exc)
        sys.stderr.write(f"skmlp {args.command}: error: {message}\n")
        return 1
    return 0


def _use_file_backend():
    """Draw with Agg: the commands write files and never open a window."""
    try:
        import matplotlib
    except ImportError:
        return
    matplotlib.use("Agg")


if __name__ == "__main__":
    sys.exit(main())
