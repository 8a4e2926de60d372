"""The ``skmlp`` app: ``skmlp demo`` and ``skmlp compare``.

A user of the library like any other: it imports :mod:`skmlp`'s estimators,
callbacks, data sets and :mod:`skmlp.plotting`, and nothing in the library
imports it. Its modules:

- :mod:`skmlp.cli.main`: the command line (argument parsing, exit codes);
- :mod:`skmlp.cli.demo`, :mod:`skmlp.cli.experiments`,
  :mod:`skmlp.cli.demo_figures`: the tutorials' experiments and their page;
- :mod:`skmlp.cli.compare`, :mod:`skmlp.cli.compare_data`,
  :mod:`skmlp.cli.compare_report`, :mod:`skmlp.cli.compare_figures`: a CSV file
  cross-validated with skmlp, scikit-learn's MLP and a linear model;
- :mod:`skmlp.cli.fitting`: the one timed fit and the scores both commands use;
- :mod:`skmlp.cli.report`: tables, progress lines and the HTML page.

Examples
--------
>>> from skmlp.cli.main import build_parser
>>> sorted(build_parser()._subparsers._group_actions[0].choices)
['compare', 'demo']
"""
