"""The main window unlocks a workspace without blocking and reports failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.workspace import GivenPassphrase, choose_custody, init_workspace
from tests.support.cli import PASSPHRASE
from widgets.main_window import MainWindow

pytestmark = pytest.mark.gui


def make_window(qtbot: QtBot, root: Path) -> tuple[MainWindow, list[str]]:
    window = MainWindow(root, "en")
    alerts: list[str] = []
    window.alert = alerts.append  # type: ignore[method-assign,assignment]
    qtbot.addWidget(window)
    return window, alerts


def test_opens_a_keyring_workspace(qtbot: QtBot, tmp_path: Path) -> None:
    init_workspace(tmp_path, choose_custody("keyring"), GivenPassphrase(None))
    window, alerts = make_window(qtbot, tmp_path)
    window.open_workspace()
    qtbot.waitUntil(lambda: window.opened is not None, timeout=10_000)
    assert window.message.text() == "Workspace unlocked."
    assert alerts == []


def test_asks_for_the_passphrase(qtbot: QtBot, tmp_path: Path) -> None:
    init_workspace(tmp_path, choose_custody("passphrase"), GivenPassphrase(PASSPHRASE))
    window, alerts = make_window(qtbot, tmp_path)
    window.ask_passphrase = lambda: "wrong passphrase"  # type: ignore[method-assign]
    window.open_workspace()
    qtbot.waitUntil(lambda: bool(alerts), timeout=10_000)
    assert "wrong passphrase" in alerts[0]

    window.ask_passphrase = lambda: PASSPHRASE  # type: ignore[method-assign]
    window.open_workspace()
    qtbot.waitUntil(lambda: window.opened is not None, timeout=10_000)


def test_cancelled_passphrase_is_not_an_error(qtbot: QtBot, tmp_path: Path) -> None:
    init_workspace(tmp_path, choose_custody("passphrase"), GivenPassphrase(PASSPHRASE))
    window, alerts = make_window(qtbot, tmp_path)
    window.ask_passphrase = lambda: None  # type: ignore[method-assign]
    window.open_workspace()
    assert window.message.text() == "Cancelled."
    assert alerts == []


def test_missing_workspace_is_shown(qtbot: QtBot, tmp_path: Path) -> None:
    window, alerts = make_window(qtbot, tmp_path / "none")
    window.open_workspace()
    assert len(alerts) == 1
    assert "No SealDesk workspace" in alerts[0]
