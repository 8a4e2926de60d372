"""The README's promises: two set-up commands, CI runs the second verbatim."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup_commands():
    text = (ROOT / "README.md").read_text()
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", setup, flags=re.S)


def test_readme_has_exactly_two_setup_commands():
    commands = _setup_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert "pip install" in commands[0] and "skmlp" in commands[0]
    assert "[test]" in commands[1] and commands[1].endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    pattern = re.search(r"grep -m1 -E '(.*?)' README.md", ci).group(1)
    matches = [
        line
        for line in (ROOT / "README.md").read_text().splitlines()
        if re.search(pattern, line)
    ]
    assert matches[0] == _setup_commands()[1]


def test_quick_start_runs_and_mlp_wins(tmp_path):
    """Both code blocks of the quick start, in order, as a user would paste them."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2
    code = "import matplotlib\nmatplotlib.use('Agg')\n" + "".join(blocks)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout.split()
    mlp_score, logreg_score = float(out[0]), float(out[1])
    assert mlp_score > 0.95 and logreg_score < 0.9

    from PIL import Image

    with Image.open(tmp_path / "units.png") as units:
        assert units.size[0] > 300
    with Image.open(tmp_path / "training.gif") as gif:
        assert gif.n_frames >= 2
