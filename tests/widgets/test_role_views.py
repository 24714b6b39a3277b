"""Logged-in people see their role's views, and those views do their work."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.admin.approvals import ApprovalStatus, get_approval, request_approval
from app.admin.auth import login_password
from app.approval_documents import request_with_document
from app.audit import ChainCheck
from app.workspace import GivenPassphrase, open_workspace
from storage.usage_log import LogFilter, query
from tests.stamping.documents import simple_pdf
from tests.support.cli import PASSPHRASE
from tests.widgets.conftest import Desk
from widgets.views.approvals import ApprovalsView
from widgets.views.audit import AuditView
from widgets.views.base import View
from widgets.views.officer import OfficerView
from widgets.views.seals import SealsView

pytestmark = [pytest.mark.gui, pytest.mark.hsm]

DOC = "cd" * 32


def loaded(qtbot: QtBot, view: View) -> None:
    qtbot.waitUntil(lambda: view.is_loaded, timeout=20_000)


def column(view: View, col: int) -> list[str]:
    table = view.table  # type: ignore[attr-defined]
    return [table.item(r, col).text() for r in range(table.rowCount())]


@pytest.fixture
def pending(demo: Path) -> str:
    """A request by the officer to use 公章 on one notice, not yet decided."""
    with open_workspace(demo, GivenPassphrase(PASSPHRASE)) as opened:
        officer = login_password(opened.db, "张经办", "demo-officer-2026")
        approval = request_approval(
            opened.db,
            officer,
            "公章",
            DOC,
            "通知",
            title="关于开展安全检查的通知",
            reason="对外发文",
        )
    return approval.id


def test_approver_approves_a_pending_request(
    qtbot: QtBot, pending: str, desk: Desk
) -> None:
    desk.log_in("李审批", "demo-approver-2026")
    tabs = desk.window.role_tabs
    assert set(tabs) == {"approvals", "settings"}
    view = tabs["approvals"].views["approvals"]
    assert isinstance(view, ApprovalsView)
    loaded(qtbot, view)
    assert column(view, 3) == ["关于开展安全检查的通知"]
    assert column(view, 1) == ["张经办"]

    view.comment.setText("同意")
    with qtbot.waitSignal(view.decided, timeout=20_000) as decided:
        view.approve_button.click()
    assert decided.args[0].status is ApprovalStatus.APPROVED
    qtbot.waitUntil(lambda: view.table.rowCount() == 0, timeout=20_000)

    assert desk.window.opened is not None
    stored = get_approval(desk.window.opened.db, pending)
    assert stored.status is ApprovalStatus.APPROVED
    assert stored.comment == "同意"
    assert desk.alerts == []


def test_approver_sees_the_first_page_of_the_requested_document(
    qtbot: QtBot, demo: Path, desk: Desk, tmp_path: Path
) -> None:
    document = simple_pdf(tmp_path / "通知.pdf", count=3)
    with open_workspace(demo, GivenPassphrase(PASSPHRASE)) as opened:
        officer = login_password(opened.db, "张经办", "demo-officer-2026")
        request_with_document(opened, officer, "公章", document, "通知")

    desk.log_in("李审批", "demo-approver-2026")
    view = desk.window.role_tabs["approvals"].views["approvals"]
    assert isinstance(view, ApprovalsView)
    with qtbot.waitSignal(view.previewed, timeout=30_000) as shown:
        loaded(qtbot, view)

    preview = shown.args[0]
    assert preview is not None
    assert preview.page_count == 3
    pixmap = view.preview.pixmap()
    assert not pixmap.isNull()
    assert pixmap.height() > pixmap.width()  # an upright A4 page
    assert view.preview_caption.text() == "通知.pdf: page 1 of 3"
    assert desk.window.opened is not None
    viewed = query(desk.window.opened.db, LogFilter(action="approval.view"))
    assert [e.actor for e in viewed] == [desk.window.actor.person_id]  # type: ignore[union-attr]
    assert desk.alerts == []


def test_a_rejection_without_reason_is_refused_on_screen(
    qtbot: QtBot, pending: str, desk: Desk
) -> None:
    desk.log_in("李审批", "demo-approver-2026")
    view = desk.window.role_tabs["approvals"].views["approvals"]
    assert isinstance(view, ApprovalsView)
    loaded(qtbot, view)

    view.reject_button.click()
    qtbot.waitUntil(lambda: bool(desk.alerts), timeout=20_000)
    assert "Say why" in desk.alerts[0]
    qtbot.waitUntil(view.reject_button.isEnabled, timeout=5_000)
    assert desk.window.opened is not None
    assert get_approval(desk.window.opened.db, pending).status is (
        ApprovalStatus.PENDING
    )


def test_administrator_sees_both_seals_with_images(qtbot: QtBot, desk: Desk) -> None:
    desk.log_in("陈管理", "demo-admin-2026")
    tab = desk.window.role_tabs["administration"]
    assert set(tab.views) == {"seals", "people", "grants"}
    view = tab.views["seals"]
    assert isinstance(view, SealsView)
    loaded(qtbot, view)

    assert sorted(column(view, 1)) == ["公章", "合同专用章"]
    assert set(view.images) == {"公章", "合同专用章"}
    assert all(not p.isNull() for p in view.images.values())
    for row in range(view.table.rowCount()):
        item = view.table.item(row, 0)
        assert item is not None
        assert not item.icon().isNull()

    people = tab.views["people"]
    loaded(qtbot, people)
    assert len(column(people, 0)) == 5
    grants = tab.views["grants"]
    loaded(qtbot, grants)
    assert column(grants, 0) == ["张经办", "张经办"]


def test_auditor_checks_the_chain(qtbot: QtBot, desk: Desk) -> None:
    desk.log_in("赵审计", "demo-auditor-2026")
    tabs = desk.window.role_tabs
    assert set(tabs) == {"audit", "settings"}
    view = tabs["audit"].views["audit"]
    assert isinstance(view, AuditView)
    loaded(qtbot, view)
    assert view.table.rowCount() > 10

    with qtbot.waitSignal(view.checked, timeout=30_000) as checked:
        view.check_button.click()
    result = checked.args[0]
    assert isinstance(result, ChainCheck)
    assert result.intact
    assert view.check_result.text().startswith("Chain intact")

    view.action.setText("auth.login")
    view.person.setText("赵审计")
    view.search_button.click()
    qtbot.waitUntil(lambda: view.is_loaded, timeout=20_000)
    assert column(view, 2) == ["auth.login"]
    assert column(view, 3) == ["赵审计"]


def test_officer_sees_own_seals_but_not_administration(
    qtbot: QtBot, pending: str, desk: Desk
) -> None:
    desk.log_in("张经办", "demo-officer-2026")
    tabs = desk.window.role_tabs
    assert set(tabs) == {"officer", "settings"}
    titles = [desk.window.tabs.tabText(i) for i in range(desk.window.tabs.count())]
    assert "Administration" not in titles
    view = tabs["officer"].views["officer"]
    assert isinstance(view, OfficerView)
    loaded(qtbot, view)

    by_seal = {row.seal.name: row for row in view.seals}
    assert set(by_seal) == {"公章", "合同专用章"}
    assert by_seal["公章"].latest is not None
    assert by_seal["公章"].latest.status is ApprovalStatus.PENDING
    assert by_seal["合同专用章"].latest is None
    assert column(view, 4) == ["1000", "1000"]
    assert sorted(column(view, 7)) == ["None requested", "Pending"]


def test_wrong_password_shows_an_error_and_no_tabs(qtbot: QtBot, desk: Desk) -> None:
    dialog = desk.window.login_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.person.count() == 5, timeout=10_000)
    dialog.choose("陈管理")
    dialog.password.setText("not the password")
    dialog.log_in()
    qtbot.waitUntil(lambda: bool(desk.alerts), timeout=20_000)
    assert desk.window.role_tabs == {}
    assert desk.window.tabs.count() == 1
    assert dialog.password.text() == ""


def test_switching_person_replaces_the_tabs(qtbot: QtBot, desk: Desk) -> None:
    desk.log_in("陈管理", "demo-admin-2026")
    assert "administration" in desk.window.role_tabs
    desk.window.switch_button.click()
    assert desk.window.role_tabs == {}
    qtbot.waitUntil(lambda: desk.window.login_dialog is not None, timeout=5_000)
    desk.log_in("赵审计", "demo-auditor-2026")
    assert set(desk.window.role_tabs) == {"audit", "settings"}


def test_views_speak_chinese(qtbot: QtBot, demo: Path) -> None:
    desk = Desk(qtbot, demo, "zh")
    desk.log_in("陈管理", "demo-admin-2026")
    titles = [desk.window.tabs.tabText(i) for i in range(desk.window.tabs.count())]
    assert titles == ["工作区", "印章管理", "设置"]
    view = desk.window.role_tabs["administration"].views["seals"]
    loaded(qtbot, view)
    assert column(view, 3) == ["启用", "启用"]


def test_cancelled_login_can_be_tried_again(qtbot: QtBot, desk: Desk) -> None:
    dialog = desk.window.login_dialog
    assert dialog is not None
    dialog.reject()
    assert desk.window.login_dialog is None
    assert desk.window.message.text() == "Nobody is logged in."
    desk.window.switch_button.click()
    qtbot.waitUntil(lambda: desk.window.login_dialog is not None, timeout=5_000)
    desk.log_in("李审批", "demo-approver-2026")
    assert "approvals" in desk.window.role_tabs
    assert desk.alerts == []


def test_auditor_exports_the_filtered_log(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    desk.log_in("赵审计", "demo-auditor-2026")
    view = desk.window.role_tabs["audit"].views["audit"]
    assert isinstance(view, AuditView)
    loaded(qtbot, view)
    target = tmp_path / "logins.csv"
    view.ask_export_path = lambda: target  # type: ignore[method-assign]
    view.action.setText("auth.login")

    with qtbot.waitSignal(view.exported, timeout=20_000):
        view.export_button.click()
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("seq,at,action")
    assert len(lines) > 1
    assert all(",auth.login," in line for line in lines[1:])
