"""Cold start: no heavy library is imported before the login dialog shows.

The desktop starts as ``python -m widgets.entry gui`` in a process of its own,
with ``SEALDESK_START_MARKER`` set: when the login dialog is up, the window
prints the marker with the heavy libraries already in ``sys.modules`` and
quits. ``-X importtime`` tells which of our modules pulled one in, so a
failure names the import to make lazy.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.demo.workspace import build_demo_workspace
from app.workspace import GivenPassphrase
from widgets.main_window import HEAVY_MODULES, START_MARKER, START_MARKER_ENV

pytestmark = [pytest.mark.gui, pytest.mark.hsm]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def keyring_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace whose key is in the (private) keyring: no prompt."""
    root = tmp_path_factory.mktemp("cold-start") / "workspace"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SOFTHSM2_CONF", "")
        monkeypatch.delenv("SOFTHSM2_CONF")
        build_demo_workspace(root, "keyring", GivenPassphrase(None))
    return root


def start_gui(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, START_MARKER_ENV: "1", "QT_QPA_PLATFORM": "offscreen"}
    env.pop("SOFTHSM2_CONF", None)
    return subprocess.run(
        [
            *(sys.executable, "-X", "importtime", "-m", "widgets.entry"),
            *("--workspace", str(root), "gui"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def importers(importtime: str, module: str) -> list[str]:
    """Our modules on the import path of ``module``, innermost first."""
    rows = []
    for line in importtime.splitlines():
        if not line.startswith("import time:"):
            continue
        name = line.rsplit("|", 1)[1]
        rows.append((len(name) - len(name.lstrip()), name.strip()))
    for at, (depth, name) in enumerate(rows):
        if name != module:
            continue
        chain, level = [], depth
        for later_depth, later in rows[at + 1 :]:
            if later_depth < level:
                level = later_depth
                if later.split(".")[0] in ("app", "widgets", "hsm", "storage"):
                    chain.append(later)
        return chain
    return []


def test_no_heavy_library_before_the_login_dialog(keyring_demo: Path) -> None:
    done = start_gui(keyring_demo)

    markers = [
        line for line in done.stdout.splitlines() if line.startswith(START_MARKER)
    ]
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(markers) == 1, done.stdout + done.stderr[-2000:]
    heavy = markers[0].split("heavy=", 1)[1]
    loaded = [] if heavy == "-" else heavy.split(",")
    assert set(loaded) <= set(HEAVY_MODULES)
    why = {name: " <- ".join(importers(done.stderr, name)[:4]) for name in loaded}
    assert loaded == [], f"imported before the login dialog: {why}"
