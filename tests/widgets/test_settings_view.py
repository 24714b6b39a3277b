"""Administrators change settings in the window; everyone else only reads them."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.admin.errors import NotAdministratorError
from app.settings import change_settings, current_settings
from storage.usage_log import LogFilter, query
from tests.widgets.conftest import Desk
from widgets.views.settings import SettingsView

pytestmark = [pytest.mark.gui, pytest.mark.hsm]


def settings_view(qtbot: QtBot, desk: Desk) -> SettingsView:
    view = desk.window.role_tabs["settings"].views["settings"]
    assert isinstance(view, SettingsView)
    qtbot.waitUntil(lambda: view.is_loaded, timeout=20_000)
    return view


def test_administrator_changes_the_tsa_and_removes_a_setting(
    qtbot: QtBot, desk: Desk
) -> None:
    desk.log_in("陈管理", "demo-admin-2026")
    view = settings_view(qtbot, desk)
    assert view.fields["chain.rpc_url"].text() == "http://127.0.0.1:8545"

    view.fields["tsa.url"].setText("http://tsa.example.gov.cn/tsr")
    view.fields["chain.rpc_url"].clear()
    with qtbot.waitSignal(view.saved, timeout=20_000) as saved:
        view.save_button.click()

    assert saved.args[0] == {
        "tsa.url": "http://tsa.example.gov.cn/tsr",
        "chain.rpc_url": None,
    }
    assert desk.window.opened is not None
    stored = current_settings(desk.window.opened.db)
    assert stored["tsa.url"] == "http://tsa.example.gov.cn/tsr"
    assert "chain.rpc_url" not in stored
    (entry,) = query(desk.window.opened.db, LogFilter(action="settings.change"))
    assert entry.actor == desk.window.actor.person_id  # type: ignore[union-attr]
    assert desk.alerts == []


def test_a_value_the_setting_refuses_is_one_message_and_nothing_changes(
    qtbot: QtBot, desk: Desk
) -> None:
    desk.log_in("陈管理", "demo-admin-2026")
    view = settings_view(qtbot, desk)
    view.fields["tsa.url"].setText("http://tsa.example.gov.cn/tsr")
    view.fields["trust.crls"].setText("relative/ca.crl")

    view.save_button.click()
    qtbot.waitUntil(lambda: bool(desk.alerts), timeout=20_000)

    assert "trust.crls" in desk.alerts[0]
    assert desk.window.opened is not None
    assert "tsa.url" not in current_settings(desk.window.opened.db)
    qtbot.waitUntil(view.save_button.isEnabled, timeout=5_000)


def test_others_read_settings_and_the_service_refuses_their_changes(
    qtbot: QtBot, desk: Desk
) -> None:
    desk.log_in("张经办", "demo-officer-2026")
    view = settings_view(qtbot, desk)

    assert view.fields["tsa.url"].isReadOnly()
    assert not view.save_button.isEnabled()
    assert desk.window.opened is not None
    assert desk.window.actor is not None
    with pytest.raises(NotAdministratorError):
        change_settings(desk.window.opened.db, desk.window.actor, {"tsa.url": None})
    refused = query(desk.window.opened.db, LogFilter(action="settings.change.refused"))
    assert len(refused) == 1
