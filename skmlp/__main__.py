"""The ``skmlp`` command.

Examples
--------
>>> from skmlp.__main__ import build_parser
>>> build_parser().prog
'skmlp'
"""

import argparse
import sys

from . import __version__


def build_parser():
    """The command-line parser of ``skmlp``.

    Returns
    -------
    parser : argparse.ArgumentParser

    Examples
    --------
    >>> from skmlp.__main__ import build_parser
    >>> build_parser().parse_args(["--version"]) # doctest: +SKIP
    """
    parser = argparse.ArgumentParser(
        prog="skmlp",
        description=(
            "skmlp: a scikit-learn compatible multilayer perceptron you can open "
            "up. Import skmlp.BackpropMLPClassifier in place of "
            "sklearn.neural_network.MLPClassifier."
        ),
    )
    parser.add_argument("--version", action="version", version=f"skmlp {__version__}")
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
        Exit status.

    Examples
    --------
    >>> from skmlp.__main__ import main
    >>> main([])
    0
    """
    build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
