"""The installed package is the whole package: a wheel holds every module.

The README's commands install in editable mode, which reads the source tree, so
a module missing from the built wheel (a subpackage left out of the packaging
configuration) would pass every other test and still break ``pip install
skmlp`` for users.
"""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_every_module(tmp_path):
    # Build from a copy: setuptools reuses a build/ directory left in the tree,
    # whose stale files would hide a module the configuration leaves out.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "skmlp", source / "skmlp", ignore=shutil.ignore_patterns("__pycache__")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("skmlp-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        packed = {name for name in archive.namelist() if name.endswith(".py")}
    sources = {
        path.relative_to(ROOT).as_posix() for path in (ROOT / "skmlp").rglob("*.py")
    }
    assert "skmlp/plotting/__init__.py" in sources
    assert sources - packed == set()
    with zipfile.ZipFile(wheel) as archive:
        entry_points = archive.read(
            next(n for n in archive.namelist() if n.endswith("entry_points.txt"))
        ).decode()
    assert "skmlp = skmlp.cli.main:main" in entry_points
