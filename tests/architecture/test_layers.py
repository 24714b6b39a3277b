"""The layer contracts hold, and they do fail when a layer is crossed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = ("app", "widgets", "hsm", "storage")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(tool), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def copy_of_tree(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            REPO / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    return tmp_path


def test_contracts_hold_for_the_tree() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("widgets/__init__.py", "import hsm.errors", "only through app"),
        ("widgets/__init__.py", "import storage.database", "only through app"),
        ("storage/__init__.py", "import hsm.errors", "Layers"),
        ("hsm/__init__.py", "import app.errors", "Layers"),
        ("app/__init__.py", "import PySide6.QtCore", "No Qt below widgets"),
    ],
)
def test_crossing_a_layer_fails(
    copy_of_tree: Path, module: str, line: str, contract: str
) -> None:
    target = copy_of_tree / module
    target.write_text(target.read_text() + f"\n{line}\n")
    result = lint_imports(copy_of_tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    broken = [ln for ln in result.stdout.splitlines() if "BROKEN" in ln]
    assert any(contract in ln for ln in broken), result.stdout
