"""``python -m skmlp``: the same as the ``skmlp`` command (:mod:`skmlp.cli`)."""

import sys

from .cli.main import main

if __name__ == "__main__":
    sys.exit(main())
