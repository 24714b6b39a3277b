"""Cold start of the desktop: process start to the login dialog on screen.

The desk runs as ``python -m widgets.entry --workspace DIR gui`` on the
offscreen platform with ``SEALDESK_START_MARKER`` set, so the window prints a
marker line and quits as soon as the login dialog is shown. The time is taken
from just before the process is started to the moment the marker line is
read. The workspace is a demo workspace whose key is in a private keyring
(its own D-Bus session and gnome-keyring, as in the tests), so no passphrase
prompt waits for a person.

The baseline, measured in the same run and the same way, is a bare PySide6
script that shows an empty ``QWidget``: the floor any Qt window pays for the
interpreter, Qt and the platform plugin. Target: the login dialog within
0.8 s (median). The heavy libraries already imported at the marker are
printed too; there should be none.

Set ``SEALDESK_BENCH_GUI_RUNS`` to change the number of runs (default 7).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.demo.workspace import build_demo_workspace
from app.workspace import GivenPassphrase
from tests.support.secret_service import start_secret_service
from widgets.main_window import START_MARKER, START_MARKER_ENV

REPO = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("SEALDESK_BENCH_GUI_RUNS", "7"))
TARGET_SECONDS = 0.8
TIMEOUT_SECONDS = 120
BARE = f"""
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
window = QWidget()
window.show()
print({START_MARKER!r} + " heavy=-", flush=True)
"""


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Seconds from start to the marker line, and that line."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if line.startswith(START_MARKER):
                elapsed = time.perf_counter() - started
                process.wait(TIMEOUT_SECONDS)
                return elapsed, line.strip()
        process.wait(TIMEOUT_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    raise RuntimeError(
        f"{command[:4]} ended (code {process.returncode}) without marker"
    )


def _series(command: list[str], env: dict[str, str]) -> tuple[list[float], str]:
    _timed(command, env)  # warm the file cache once, like a second start of the day
    times, line = [], ""
    for _ in range(RUNS):
        elapsed, line = _timed(command, env)
        times.append(elapsed)
    return times, line


def _line(name: str, times: list[float]) -> None:
    print(
        f"{name:34s} median {statistics.median(times):6.3f} s   "
        f"min {min(times):6.3f} s   max {max(times):6.3f} s   ({len(times)} runs)"
    )


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="sealdesk-bench-gui-") as folder:
        service = start_secret_service(Path(folder) / "keyring")
        saved = dict(os.environ)
        try:
            os.environ.update(service.env)
            os.environ.pop("SOFTHSM2_CONF", None)
            root = Path(folder) / "workspace"
            build_demo_workspace(root, "keyring", GivenPassphrase(None))
            env = {
                **os.environ,
                START_MARKER_ENV: "1",
                "QT_QPA_PLATFORM": "offscreen",
                "SEALDESK_LANG": "zh",
            }
            env.pop("SOFTHSM2_CONF", None)
            desk = [sys.executable, "-m", "widgets.entry"]
            desk += ["--workspace", str(root), "gui"]
            gui, marker = _series(desk, env)
            bare, _ = _series([sys.executable, "-c", BARE], env)
        finally:
            os.environ.clear()
            os.environ.update(saved)
            service.stop()
    _line("login dialog shown (SealDesk)", gui)
    _line("empty QWidget shown (baseline)", bare)
    ratio = statistics.median(gui) / statistics.median(bare)
    verdict = "within" if statistics.median(gui) <= TARGET_SECONDS else "OVER"
    print(f"ratio SealDesk / baseline: {ratio:.2f}x")
    print(f"target {TARGET_SECONDS:.1f} s: {verdict}")
    print(f"heavy libraries at the marker: {marker.split('heavy=', 1)[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
