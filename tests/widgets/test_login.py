"""Logging in at the window by token: the officer's USB key and its PIN.

The demo officer 张经办 has a SoftHSM2 USB key (UKEY-ZHANG) whose key
matches the certificate bound to them; the token signs the log-in challenge.
"""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.admin.roles import AuthMethod
from app.demo.workspace import OFFICER_PIN, OFFICER_TOKEN
from tests.widgets.conftest import Desk
from widgets.login_dialog import LoginDialog

pytestmark = [pytest.mark.gui, pytest.mark.hsm]

TIMEOUT = 30_000


def token_dialog(qtbot: QtBot, desk: Desk, name: str) -> LoginDialog:
    dialog = desk.window.login_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.person.count() == 5, timeout=TIMEOUT)
    dialog.choose(name)
    with qtbot.waitSignal(dialog.tokens_loaded, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.by_token, Qt.MouseButton.LeftButton)
    assert dialog.password.isHidden()
    assert not dialog.pin.isHidden()
    dialog.choose_token(OFFICER_TOKEN)
    return dialog


def test_officer_logs_in_with_token_and_pin(
    qtbot: QtBot, desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    dialog = token_dialog(qtbot, desk, "张经办")
    assert {t.label for t in dialog.tokens} >= {OFFICER_TOKEN, "ORG-HSM"}
    qtbot.keyClicks(dialog.pin, OFFICER_PIN)
    with qtbot.waitSignal(dialog.logged_in, timeout=TIMEOUT) as logged_in:
        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    actor = logged_in.args[0]
    assert actor.name == "张经办"
    assert actor.method is AuthMethod.TOKEN
    assert set(desk.window.role_tabs) == {"officer", "settings"}
    assert desk.alerts == []
    assert OFFICER_PIN not in caplog.text


def test_wrong_pin_shows_one_error_and_clears_the_field(
    qtbot: QtBot, desk: Desk
) -> None:
    dialog = token_dialog(qtbot, desk, "张经办")
    qtbot.keyClicks(dialog.pin, "000000")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(desk.alerts), timeout=TIMEOUT)
    assert len(desk.alerts) == 1
    assert f"The PIN for token '{OFFICER_TOKEN}' is incorrect." in desk.alerts[0]
    assert dialog.pin.text() == ""
    assert desk.window.role_tabs == {}
    qtbot.waitUntil(dialog.login_button.isEnabled, timeout=TIMEOUT)

    qtbot.keyClicks(dialog.pin, OFFICER_PIN)
    with qtbot.waitSignal(dialog.logged_in, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert "officer" in desk.window.role_tabs


def test_token_login_needs_a_bound_certificate(qtbot: QtBot, desk: Desk) -> None:
    dialog = token_dialog(qtbot, desk, "张经办")
    dialog.choose("李审批")
    assert not dialog.login_button.isEnabled()
    dialog.choose("张经办")
    assert dialog.login_button.isEnabled()


def test_token_login_with_another_persons_token_is_refused(
    qtbot: QtBot, desk: Desk
) -> None:
    """The ORG-HSM holds no key for 张经办's certificate."""
    dialog = token_dialog(qtbot, desk, "张经办")
    dialog.choose_token("ORG-HSM")
    qtbot.keyClicks(dialog.pin, "11223344")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(desk.alerts), timeout=TIMEOUT)
    assert "Login failed" in desk.alerts[0]
    assert desk.window.role_tabs == {}
