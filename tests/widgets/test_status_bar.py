"""The status bar: tokens come and go live, the outbox count, the chain node."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.admin.auth import login_password
from app.admin.seals import revoke_seal
from app.evidence.sync import evidence_status
from app.workspace import GivenPassphrase, open_workspace
from tests.support.cli import PASSPHRASE
from tests.widgets.conftest import Desk

pytestmark = [pytest.mark.gui, pytest.mark.hsm]

NEW_TOKEN = "UKEY-NEW"


@pytest.fixture
def own_tokens(demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo tokens copied into a token folder this test may change."""
    conf_text = (demo / "demo-tokens" / "softhsm2.conf").read_text()
    (shared,) = (
        line.split("=", 1)[1].strip()
        for line in conf_text.splitlines()
        if line.startswith("directories.tokendir")
    )
    tokens = tmp_path / "tokens"
    shutil.copytree(shared, tokens)
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(
        conf_text.replace(
            f"directories.tokendir = {shared}", f"directories.tokendir = {tokens}"
        )
    )
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    return conf


def softhsm(conf: Path, *args: str) -> None:
    subprocess.run(
        ["softhsm2-util", *args],
        check=True,
        capture_output=True,
        env={"SOFTHSM2_CONF": str(conf), "PATH": "/usr/bin:/bin"},
    )


def test_tokens_appear_and_leave_live(
    qtbot: QtBot, own_tokens: Path, demo: Path
) -> None:
    desk = Desk(qtbot, demo)
    label = desk.window.tokens_label
    qtbot.waitUntil(
        lambda: "ORG-HSM" in label.text() and "UKEY-ZHANG" in label.text(),
        timeout=20_000,
    )
    assert NEW_TOKEN not in label.text()

    softhsm(
        own_tokens, "--init-token", "--free", "--label", NEW_TOKEN,
        "--so-pin", "12345678", "--pin", "654321",
    )  # fmt: skip
    qtbot.waitUntil(lambda: NEW_TOKEN in label.text(), timeout=20_000)
    assert desk.window.desk_status is not None
    serials = {t.label: t.serial for t in desk.window.desk_status.tokens.tokens}
    assert f"{NEW_TOKEN} ({serials[NEW_TOKEN]})" in label.text()

    softhsm(own_tokens, "--delete-token", "--token", NEW_TOKEN)
    qtbot.waitUntil(lambda: NEW_TOKEN not in label.text(), timeout=20_000)
    assert "ORG-HSM" in label.text()
    assert desk.alerts == []


def test_outbox_count_follows_the_evidence_status(
    qtbot: QtBot, demo: Path, desk: Desk
) -> None:
    window = desk.window
    assert window.opened is not None
    before = evidence_status(window.opened.db).pending
    qtbot.waitUntil(
        lambda: f"Evidence pending: {before}," in window.outbox_label.text(),
        timeout=20_000,
    )

    # Revoking a seal is evidence too; the count on the bar follows it.
    with open_workspace(demo, GivenPassphrase(PASSPHRASE)) as opened:
        admin = login_password(opened.db, "陈管理", "demo-admin-2026")
        revoke_seal(opened.db, admin, "公章", "印章停用")
        after = evidence_status(opened.db).pending
    assert after > before
    qtbot.waitUntil(
        lambda: f"Evidence pending: {after}," in window.outbox_label.text(),
        timeout=20_000,
    )
    assert "nothing anchored yet" in window.outbox_label.text()


def test_a_silent_chain_node_shows_offline(qtbot: QtBot, desk: Desk) -> None:
    # The demo points at a local node that is not running in the tests.
    qtbot.waitUntil(lambda: desk.window.chain_label.text() != "", timeout=20_000)
    assert desk.window.chain_label.text() == "Chain: offline"
