"""The Debian package, as an office's administrator would use it.

``make package`` builds the bundle and the ``.deb`` once for this module; the
package is installed with ``dpkg -i``, the installed programs build the demo
desk, stamp and verify a document, the desktop window starts up to its login
window (``SEALDESK_START_MARKER``, see :mod:`widgets.main_window`), and
``dpkg --purge`` must leave nothing behind. Whatever fails, the
package is purged again at the end. Installing needs root, as on CI and the
developers' machines.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.stamping.batch import PROCESS_BATCH_ENV
from tests.stamping.documents import simple_pdf
from tests.support.batches import WORKER_BATCH
from widgets.main_window import START_MARKER, START_MARKER_ENV

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PACKAGE = "sealdesk"
BUNDLE = Path("/opt/sealdesk")
CLI = Path("/usr/bin/sealdesk")
GUI = Path("/usr/bin/sealdesk-gui")
BUILD_TIMEOUT_S = 30 * 60
RUN_TIMEOUT_S = 180
GUI_TIMEOUT_S = 120


def _pyproject_version() -> str:
    with (REPO / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def _debian_version(pep440: str) -> str:
    return re.sub(r"\.?(a|b|rc|dev)(\d+)", r"~\1\2", pep440)


def _run(
    *args: str | Path,
    stdin: str = "",
    env: dict[str, str] | None = None,
    timeout: float = RUN_TIMEOUT_S,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def _installed_version() -> str | None:
    done = _run("dpkg-query", "-W", "-f", "${Status}\t${Version}", PACKAGE)
    status, _, version = done.stdout.partition("\t")
    return version if done.returncode == 0 and "installed" in status else None


def _purge() -> subprocess.CompletedProcess[str]:
    return _run("dpkg", "--purge", PACKAGE)


def _leftovers() -> list[Path]:
    found = [p for p in (BUNDLE,) if p.exists() or p.is_symlink()]
    found += sorted(Path("/usr/bin").glob("sealdesk*"))
    found += [
        p
        for p in (
            Path("/usr/share/applications/sealdesk.desktop"),
            Path("/usr/share/icons/hicolor/256x256/apps/sealdesk.png"),
            Path("/usr/share/icons/hicolor/scalable/apps/sealdesk.svg"),
        )
        if p.exists()
    ]
    return found


@pytest.fixture(scope="module")
def deb() -> Path:
    """The package ``make package`` builds from this source tree."""
    assert os.geteuid() == 0, "installing the .deb with dpkg -i needs root"
    done = subprocess.run(
        ["make", "package"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    version = _debian_version(_pyproject_version())
    path = REPO / "dist" / f"{PACKAGE}_{version}_amd64.deb"
    assert path.is_file(), f"make package did not write {path}"
    return path


@pytest.fixture(scope="module")
def installed(deb: Path) -> Iterator[Path]:
    """The package installed with dpkg -i; purged again whatever happens."""
    assert _installed_version() is None, (
        f"{PACKAGE} is already installed here; remove it (dpkg --purge "
        f"{PACKAGE}) before running this test, which installs and removes it"
    )
    try:
        done = _run("dpkg", "-i", deb)
        assert done.returncode == 0, done.stdout + done.stderr
        yield deb
    finally:
        _purge()


@pytest.fixture
def desk_env(tmp_path: Path) -> dict[str, str]:
    """The test environment (with its Secret Service) for the installed programs."""
    env = dict(os.environ)
    env.pop("SOFTHSM2_CONF", None)
    env.pop("SEALDESK_PKCS11_MODULES", None)
    env["SEALDESK_LANG"] = "en"
    env["HOME"] = str(tmp_path / "home")
    return env


@pytest.fixture
def demo_desk(
    installed: Path, tmp_path: Path, desk_env: dict[str, str]
) -> tuple[Path, dict[str, object]]:
    workspace = tmp_path / "ws"
    done = _run(CLI, "--workspace", workspace, "init", "--demo", "--json", env=desk_env)
    assert done.returncode == 0, done.stderr
    return workspace, json.loads(done.stdout)


def test_package_metadata_and_files(installed: Path) -> None:
    fields = _run("dpkg-deb", "-f", installed, "Version", "Depends").stdout
    assert f"Version: {_debian_version(_pyproject_version())}" in fields
    for needed in ("libxcb-cursor0", "libxkbcommon-x11-0", "fonts-noto-cjk"):
        assert needed in fields
    assert CLI.resolve() == BUNDLE / "sealdesk"
    assert GUI.resolve() == BUNDLE / "sealdesk-gui"
    assert Path("/usr/share/applications/sealdesk.desktop").is_file()
    assert Path("/usr/share/icons/hicolor/256x256/apps/sealdesk.png").is_file()


def test_version_is_the_pyproject_version(installed: Path) -> None:
    done = _run(CLI, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"sealdesk, version {_pyproject_version()}"


def _stamp(
    workspace: Path, documents: list[Path], out: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """The demo officer stamps with the contract seal from his USB key."""
    return _run(
        CLI, "--workspace", workspace, "stamp", *documents, "-o", out,
        "--seal", "合同专用章", "--category", "合同",
        "--page", "1", "--x", "100", "--y", "120",
        "--as", "张经办", "--token", "UKEY-ZHANG", "--pin-stdin", "--yes",
        stdin="123456\n", env=env,
    )  # fmt: skip


def test_demo_desk_stamps_and_verifies(
    demo_desk: tuple[Path, dict[str, object]],
    tmp_path: Path,
    desk_env: dict[str, str],
) -> None:
    workspace, report = demo_desk
    assert report["init"]["recovery_key"].startswith("SDRK-")  # type: ignore[index]
    document = simple_pdf(tmp_path / "notice.pdf", count=1)
    stamped = tmp_path / "notice-stamped.pdf"

    done = _stamp(workspace, [document], stamped, desk_env)
    assert done.returncode == 0, done.stderr
    assert f"stamped: {document} -> {stamped}" in done.stdout

    verified = _run(
        CLI, "--workspace", workspace, "verify", stamped, "--json", "--offline",
        env=desk_env,
    )  # fmt: skip
    # Offline, the demo CAs' CRL files answer for revocation.
    assert verified.returncode == 0, verified.stdout + verified.stderr
    verdict = json.loads(verified.stdout)
    (signature,) = verdict["signatures"]
    assert verdict["verdict"] == "valid"
    assert signature["intact"] is True
    assert signature["trust"].startswith("trusted"), signature
    assert "合同专用章" in json.dumps(signature, ensure_ascii=False)

    # The evidence package, whose verify.py the bundle ships as a data file.
    package = tmp_path / "evidence.zip"
    exported = _run(
        CLI, "--workspace", workspace, "archive", "export", "1", "-o", package,
        "--as", "王档案", "--password-stdin", "--offline",
        stdin="demo-archivist-2026\n", env=desk_env,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    checked = _run(CLI, "verify-package", package, env=desk_env)
    assert checked.returncode == 3, checked.stdout + checked.stderr  # not anchored
    assert "not yet anchored" in checked.stdout + checked.stderr


def test_a_large_batch_runs_in_the_bundles_worker_processes(
    demo_desk: tuple[Path, dict[str, object]],
    tmp_path: Path,
    desk_env: dict[str, str],
) -> None:
    """Worker processes start as the bundled executable (freeze_support)."""
    workspace, _ = demo_desk
    folder = tmp_path / "batch"
    folder.mkdir()
    documents = [simple_pdf(folder / f"d{n:02d}.pdf") for n in range(WORKER_BATCH)]
    out = tmp_path / "batch-out"
    out.mkdir()
    env = {**desk_env, PROCESS_BATCH_ENV: str(WORKER_BATCH)}

    done = _stamp(workspace, documents, out, env)

    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [d.name for d in documents]


def test_font_in_the_bundle_is_used_first(
    installed: Path, tmp_path: Path, desk_env: dict[str, str]
) -> None:
    system_font = _run("fc-match", "-f", "%{file}", "Noto Serif CJK SC:style=Bold")
    assert system_font.returncode == 0, system_font.stderr
    assert system_font.stdout, "fontconfig knows no Noto Serif CJK SC Bold"
    shipped = BUNDLE / "_internal" / "resources" / "fonts" / "ShippedSeal.ttc"
    shipped.symlink_to(system_font.stdout)
    try:
        done = _run(
            CLI, "--verbose", "--workspace", tmp_path / "ws", "init", "--demo",
            "--json", env=desk_env,
        )  # fmt: skip
    finally:
        shipped.unlink()
    assert done.returncode == 0, done.stderr
    assert f"Seal text font: ShippedSeal ({shipped}, face 0)" in done.stderr


def test_desktop_window_reaches_the_login_window(
    demo_desk: tuple[Path, dict[str, object]], desk_env: dict[str, str]
) -> None:
    workspace, _ = demo_desk
    env = {**desk_env, "QT_QPA_PLATFORM": "offscreen", START_MARKER_ENV: "1"}
    # The window prints the marker once the login dialog is shown, then quits.
    done = _run(GUI, "--workspace", workspace, env=env, timeout=GUI_TIMEOUT_S)
    assert done.returncode == 0, done.stdout + done.stderr
    assert any(line.startswith(START_MARKER) for line in done.stdout.splitlines()), (
        done.stdout + done.stderr
    )


def test_purge_leaves_nothing(installed: Path) -> None:
    done = _purge()
    assert done.returncode == 0, done.stdout + done.stderr
    assert _installed_version() is None
    assert _leftovers() == []
