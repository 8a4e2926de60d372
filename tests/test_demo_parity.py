"""The demo's parity claim, read back from its ``results.json``.

Where ``skmlp demo`` puts skmlp's MLP beside scikit-learn's, both run the same
settings, initialisation and stopping rule, so their loss curves coincide; the
tutorial's own initialisation (which MLPClassifier cannot take) is a row of
its own. Every row names the rule that stopped it. The demo runs once, in
quick mode, through :func:`skmlp.cli.demo.run_demo` (what ``skmlp demo`` calls).
"""

import io
import json
import re

import pytest

from skmlp.cli.demo import run_demo
from skmlp.cli.experiments import EXPERIMENTS, QUICK

PAIR = ("skmlp MLP", "sklearn MLP")
TUTORIAL = "skmlp MLP, tutorial init"


@pytest.fixture(scope="module")
def quick_demo(tmp_path_factory):
    """results.json and the printed tables of ``skmlp demo --quick``."""
    out = tmp_path_factory.mktemp("parity")
    stdout = io.StringIO()
    run_demo(out, quick=True, stdout=stdout, stderr=io.StringIO())
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    page = (out / "index.html").read_text(encoding="utf-8")
    return results, stdout.getvalue(), page


def rows(fits, model):
    return [fit for fit in fits if fit["model"] == model]


def test_every_quick_data_set_is_reported(quick_demo):
    results, _, _ = quick_demo
    assert list(results) == list(QUICK)


@pytest.mark.parametrize("name", QUICK)
def test_skmlp_and_sklearn_loss_curves_coincide(quick_demo, name):
    fits = quick_demo[0][name]
    skmlp, sklearn = (rows(fits, model) for model in PAIR)
    assert len(skmlp) == len(sklearn) == 1  # --quick: the last network only
    skmlp, sklearn = skmlp[0], sklearn[0]
    assert skmlp["hidden"] == sklearn["hidden"]
    assert skmlp["init"] == sklearn["init"]
    assert "auto" in skmlp["init"]
    assert skmlp["epochs"] == sklearn["epochs"] > 0
    assert skmlp["stopped_by"] == sklearn["stopped_by"]
    for fit in (skmlp, sklearn):
        difference = fit["max_loss_curve_difference"]
        assert difference is not None and 0.0 <= difference <= 1e-10
    # The same fitted model, so the same scores to the digits a float keeps.
    assert skmlp["train_log_loss"] == pytest.approx(sklearn["train_log_loss"], 1e-9)
    assert skmlp["train_accuracy"] == sklearn["train_accuracy"]


@pytest.mark.parametrize("name", QUICK)
def test_the_tutorials_initialisation_is_a_row_of_its_own(quick_demo, name):
    fits = quick_demo[0][name]
    [tutorial] = rows(fits, TUTORIAL)
    setup = EXPERIMENTS[name].mlps[-1]
    assert tutorial["hidden"] == setup.describe_hidden()
    assert setup.init_text in tutorial["init"]
    assert "auto" not in tutorial["init"]
    # Not part of the pair: no curve difference is claimed for it.
    assert tutorial["max_loss_curve_difference"] is None
    assert [fit["model"] for fit in fits] == [*PAIR, TUTORIAL, "logistic regression"]


@pytest.mark.parametrize("name", QUICK)
def test_every_row_records_the_rule_that_stopped_it(quick_demo, name):
    fits = quick_demo[0][name]
    setup = EXPERIMENTS[name].mlps[-1]
    for fit in fits:
        rule = fit["stopped_by"]
        match = re.fullmatch(
            r"max_iter (\d+)|loss < ([\d.e-]+) at epoch (\d+)|"
            r"converged at iteration (\d+)",
            rule,
        )
        assert match, (fit["model"], rule)
        if match[1]:
            assert int(match[1]) == fit["epochs"]
        if match[2]:
            assert int(match[3]) == fit["epochs"]
            assert fit["train_log_loss"] < float(match[2])
    for model in PAIR:
        # MLPClassifier cannot stop at a loss, so neither of the pair does.
        assert rows(fits, model)[0]["stopped_by"] == f"max_iter {setup.max_iter}"
    [tutorial] = rows(fits, TUTORIAL)
    if setup.stop_below is None:
        assert tutorial["stopped_by"] == f"max_iter {setup.max_iter}"
    else:
        # The rings: the tutorial's rule stops it early.
        assert tutorial["stopped_by"] == (
            f"loss < {setup.stop_below:g} at epoch {tutorial['epochs']}"
        )
        assert tutorial["epochs"] < setup.max_iter


def test_the_tables_and_the_page_show_the_parity(quick_demo):
    results, stdout, page = quick_demo
    for name in QUICK:
        title = EXPERIMENTS[name].title
        block = stdout.split(title, 1)[1].split("\n\n", 1)[0]
        header = block.splitlines()[1]
        assert "stopped by" in header and "max |loss diff|" in header
        for fit in results[name]:
            line = next(
                line
                for line in block.splitlines()
                if re.match(re.escape(fit["model"]) + r"\s{2}", line)
            )
            assert fit["stopped_by"] in line
            difference = fit["max_loss_curve_difference"]
            if difference is not None:
                assert line.rstrip().endswith(f"{difference:.1e}")
    assert page.count("<th>max |loss diff|</th>") == len(QUICK)
    assert page.count("<td>skmlp MLP, tutorial init</td>") == len(QUICK)
