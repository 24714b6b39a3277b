"""The administrator's screens change seals, people and grants through the services.

Everything runs on the demo workspace with its SoftHSM2 tokens: the new seal
is bound to a key read from the demo ORG-HSM partition, its image is drawn by
the seal designer, and every check reads back through the app services.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialogButtonBox,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.admin.auth import login_password
from app.admin.errors import NotAdministratorError
from app.admin.grants import list_grants
from app.admin.people import get_person, list_people
from app.admin.roles import Role
from app.admin.seals import (
    KeyStore,
    SealStatus,
    get_seal,
    seal_image,
    suspend_seal,
)
from app.demo.workspace import HSM_LABEL, HSM_PIN
from tests.widgets.conftest import Desk
from widgets.admin.designer import SealDesigner
from widgets.admin.grant_dialog import AddGrantDialog
from widgets.admin.person_dialogs import AddPersonDialog, RolesDialog
from widgets.admin.seal_dialog import CreateSealDialog
from widgets.views.base import View
from widgets.views.grants import GrantsView
from widgets.views.people import PeopleView
from widgets.views.seals import SealsView

pytestmark = [pytest.mark.gui, pytest.mark.hsm]

NEW_SEAL = "测试专用章"
SCREENSHOT = Path(
    os.environ.get("SEALDESK_SCREENSHOT", "/tmp/sealdesk-create-seal.png")
)
TIMEOUT = 30_000


def loaded(qtbot: QtBot, view: View) -> None:
    qtbot.waitUntil(lambda: view.is_loaded and not view.busy, timeout=TIMEOUT)


def column(view: View, col: int) -> list[str]:
    table = view.table  # type: ignore[attr-defined]
    return [table.item(r, col).text() for r in range(table.rowCount())]


def type_in(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type ``text``: ASCII as key clicks, Chinese as an input method commits it."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def click(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Click a check box on its indicator, where a person clicks it."""
    qtbot.waitUntil(lambda: box.isVisible() and box.isEnabled())
    at = QPoint(box.height() // 2, box.height() // 2)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=at)


def ok_button(buttons: QDialogButtonBox) -> object:
    return buttons.button(QDialogButtonBox.StandardButton.Ok)


def answer_yes(qtbot: QtBot, box: QMessageBox | None) -> None:
    assert box is not None
    qtbot.waitUntil(box.isVisible, timeout=5_000)
    click(qtbot, box.button(QMessageBox.StandardButton.Yes))


def admin_tab(qtbot: QtBot, desk: Desk) -> dict[str, View]:
    desk.log_in("陈管理", "demo-admin-2026")
    views = desk.window.role_tabs["administration"].views
    for view in views.values():
        loaded(qtbot, view)
    return views


def fill_create_dialog(qtbot: QtBot, dialog: CreateSealDialog) -> None:
    """Name, HSM key read with the typed HSM PIN, round seal design."""
    qtbot.waitUntil(lambda: bool(dialog.tokens), timeout=TIMEOUT)
    type_in(qtbot, dialog.name, NEW_SEAL)
    dialog.seal_type.setCurrentIndex(dialog.seal_type.findText("Contract"))
    assert dialog.key_store.currentData() is KeyStore.HSM
    dialog.choose_token(HSM_LABEL)
    type_in(qtbot, dialog.pin, HSM_PIN)
    with qtbot.waitSignal(dialog.keys_loaded, timeout=TIMEOUT):
        click(qtbot, dialog.read_keys_button)
    assert dialog.pin.text() == ""
    assert sorted(k.key.label for k in dialog.keys) == [
        "seal-contract",
        "seal-official",
    ]
    dialog.choose_key("seal-contract")
    assert "合同专用章" in dialog.certificate.text()

    designer = dialog.designer
    designer.choose_template("round")
    with qtbot.waitSignal(designer.preview_ready, timeout=TIMEOUT):
        type_in(qtbot, designer.ring_text, "示例市人民政府办公室")
        type_in(qtbot, designer.bottom_line, "测试专用章")
        type_in(qtbot, designer.code, "1101020001234")


def test_administrator_creates_a_seal_and_grants_it(qtbot: QtBot, desk: Desk) -> None:
    views = admin_tab(qtbot, desk)
    seals = views["seals"]
    assert isinstance(seals, SealsView)
    click(qtbot, seals.create_button)
    dialog = seals.create_dialog
    assert dialog is not None
    fill_create_dialog(qtbot, dialog)

    designer = dialog.designer
    assert not designer.pixmap.isNull()
    assert designer.preview.pixmap() is not None
    assert not designer.preview.pixmap().isNull()
    dpi, ratio = designer.screen_dpi()
    assert designer.image is not None
    expected = round(42 / 25.4 * dpi)
    assert abs(designer.pixmap.width() - expected) <= 1
    assert designer.pixmap.deviceIndependentSize().width() == pytest.approx(
        expected / ratio
    )
    dialog.resize(1100, 620)
    assert dialog.grab().save(str(SCREENSHOT), "PNG")

    with qtbot.waitSignal(seals.changed, timeout=TIMEOUT) as created:
        click(qtbot, ok_button(dialog.buttons))
    assert created.args[0].name == NEW_SEAL
    qtbot.waitUntil(lambda: NEW_SEAL in column(seals, 1), timeout=TIMEOUT)
    assert not seals.images[NEW_SEAL].isNull()

    opened = desk.window.opened
    assert opened is not None
    stored = get_seal(opened.db, NEW_SEAL)
    assert stored.status is SealStatus.ACTIVE
    assert stored.key_store is KeyStore.HSM
    assert stored.key_label == "seal-contract"
    image = seal_image(opened.db, NEW_SEAL)
    assert image is not None
    assert image.width_mm == 42

    grants = views["grants"]
    assert isinstance(grants, GrantsView)
    loaded(qtbot, grants)
    click(qtbot, grants.add_button)
    grant_dialog = grants.add_dialog
    assert isinstance(grant_dialog, AddGrantDialog)
    qtbot.waitUntil(lambda: grant_dialog.seal.count() == 3, timeout=TIMEOUT)
    grant_dialog.choose(grant_dialog.person, "张经办")
    grant_dialog.choose(grant_dialog.seal, NEW_SEAL)
    grant_dialog.quota.setValue(20)
    type_in(qtbot, grant_dialog.categories, "合同、函件")
    tick(qtbot, grant_dialog.approval)
    approver = grant_dialog.approver_boxes[get_person(opened.db, "李审批").id]
    tick(qtbot, approver)
    assert approver.isChecked()
    with qtbot.waitSignal(grants.changed, timeout=TIMEOUT):
        click(qtbot, ok_button(grant_dialog.buttons))
    loaded(qtbot, grants)
    grants.filter_by(seal=NEW_SEAL)
    assert column(grants, 0) == ["张经办"]
    assert column(grants, 3) == ["0 / 20"]

    stored_grants = list_grants(opened.db, seal=NEW_SEAL)
    assert len(stored_grants) == 1
    grant = stored_grants[0]
    assert grant.person_id == get_person(opened.db, "张经办").id
    assert grant.quota == 20
    assert grant.categories == ("函件", "合同")
    assert grant.approval_required
    assert grant.approvers == (get_person(opened.db, "李审批").id,)
    assert desk.alerts == []


def test_suspend_resume_and_revoke_a_seal(qtbot: QtBot, desk: Desk) -> None:
    seals = admin_tab(qtbot, desk)["seals"]
    assert isinstance(seals, SealsView)
    opened = desk.window.opened
    assert opened is not None
    seals.select("合同专用章")
    assert not seals.buttons["resume"].isEnabled()

    type_in(qtbot, seals.reason, "年度检查")
    with qtbot.waitSignal(seals.changed, timeout=TIMEOUT):
        click(qtbot, seals.buttons["suspend"])
    loaded(qtbot, seals)
    assert get_seal(opened.db, "合同专用章").status is SealStatus.SUSPENDED
    assert sorted(column(seals, 3)) == ["Active", "Suspended"]

    seals.select("合同专用章")
    assert seals.buttons["resume"].isEnabled()
    assert not seals.buttons["suspend"].isEnabled()
    with qtbot.waitSignal(seals.changed, timeout=TIMEOUT):
        click(qtbot, seals.buttons["resume"])
    loaded(qtbot, seals)
    assert get_seal(opened.db, "合同专用章").status is SealStatus.ACTIVE

    seals.select("公章")
    click(qtbot, seals.buttons["revoke"])
    box = seals.confirm_box
    assert box is not None
    click(qtbot, box.button(QMessageBox.StandardButton.No))
    assert get_seal(opened.db, "公章").status is SealStatus.ACTIVE

    click(qtbot, seals.buttons["revoke"])
    with qtbot.waitSignal(seals.changed, timeout=TIMEOUT):
        answer_yes(qtbot, seals.confirm_box)
    loaded(qtbot, seals)
    assert get_seal(opened.db, "公章").status is SealStatus.REVOKED
    seals.select("公章")
    assert not seals.buttons["resume"].isEnabled()
    assert not seals.buttons["revoke"].isEnabled()
    assert seals.buttons["destroy"].isEnabled()
    assert desk.alerts == []


def test_a_refused_creation_is_shown_once_and_the_dialog_stays(
    qtbot: QtBot, desk: Desk
) -> None:
    seals = admin_tab(qtbot, desk)["seals"]
    assert isinstance(seals, SealsView)
    click(qtbot, seals.create_button)
    dialog = seals.create_dialog
    assert dialog is not None
    fill_create_dialog(qtbot, dialog)
    dialog.name.setText("公章")
    click(qtbot, ok_button(dialog.buttons))
    qtbot.waitUntil(lambda: bool(desk.alerts), timeout=TIMEOUT)
    assert desk.alerts == ["A seal named '公章' already exists."]
    assert dialog.isVisible()


def test_hsm_keys_read_with_the_kept_pin(qtbot: QtBot, desk: Desk) -> None:
    seals = admin_tab(qtbot, desk)["seals"]
    assert isinstance(seals, SealsView)
    click(qtbot, seals.create_button)
    dialog = seals.create_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: bool(dialog.tokens), timeout=TIMEOUT)
    dialog.choose_token(HSM_LABEL)
    with qtbot.waitSignal(dialog.keys_loaded, timeout=TIMEOUT):
        click(qtbot, dialog.read_keys_button)
    assert len(dialog.keys) == 2


def test_design_problems_show_under_the_preview(qtbot: QtBot) -> None:
    designer = SealDesigner("en")
    qtbot.addWidget(designer)
    designer.show()
    qtbot.waitExposed(designer)
    designer.choose_template("square")
    with qtbot.waitSignal(designer.preview_ready, timeout=TIMEOUT):
        type_in(qtbot, designer.ring_text, "张三丰")
        tick(qtbot, designer.append_yin)
    assert not designer.pixmap.isNull()
    designer.append_yin.setChecked(False)
    qtbot.waitUntil(lambda: designer.pixmap.isNull(), timeout=TIMEOUT)
    assert "2 or 4 characters" in designer.note.text()


def test_administrator_adds_a_person_and_changes_roles(
    qtbot: QtBot, desk: Desk
) -> None:
    people = admin_tab(qtbot, desk)["people"]
    assert isinstance(people, PeopleView)
    opened = desk.window.opened
    assert opened is not None

    click(qtbot, people.add_button)
    dialog = people.dialog
    assert isinstance(dialog, AddPersonDialog)
    type_in(qtbot, dialog.name, "孙新人")
    type_in(qtbot, dialog.department, "综合科")
    tick(qtbot, dialog.roles[Role.OFFICER])
    type_in(qtbot, dialog.password, "new-person-2026")
    type_in(qtbot, dialog.password_again, "new-person-2026")
    with qtbot.waitSignal(people.changed, timeout=TIMEOUT):
        click(qtbot, ok_button(dialog.buttons))
    loaded(qtbot, people)
    assert "孙新人" in column(people, 0)
    person = get_person(opened.db, "孙新人")
    assert person.roles == (Role.OFFICER,)
    assert person.has_password

    people.select("孙新人")
    click(qtbot, people.roles_button)
    roles = people.dialog
    assert isinstance(roles, RolesDialog)
    tick(qtbot, roles.roles[Role.APPROVER])
    with qtbot.waitSignal(people.changed, timeout=TIMEOUT):
        click(qtbot, ok_button(roles.buttons))
    assert set(get_person(opened.db, "孙新人").roles) == {Role.OFFICER, Role.APPROVER}

    # Separation of duties: an auditor may hold no other role.
    loaded(qtbot, people)
    people.select("孙新人")
    click(qtbot, people.roles_button)
    roles = people.dialog
    assert isinstance(roles, RolesDialog)
    tick(qtbot, roles.roles[Role.AUDITOR])
    click(qtbot, ok_button(roles.buttons))
    qtbot.waitUntil(lambda: bool(desk.alerts), timeout=TIMEOUT)
    assert desk.alerts[0].startswith("An auditor cannot also be")
    assert Role.AUDITOR not in get_person(opened.db, "孙新人").roles


def test_grants_filter_by_person_and_revoke(qtbot: QtBot, desk: Desk) -> None:
    grants = admin_tab(qtbot, desk)["grants"]
    assert isinstance(grants, GrantsView)
    opened = desk.window.opened
    assert opened is not None
    grants.filter_by(person="张经办")
    assert sorted(column(grants, 1)) == ["公章", "合同专用章"]
    grants.filter_by(seal="公章", person="张经办")
    assert column(grants, 1) == ["公章"]

    grants.table.selectRow(0)
    click(qtbot, grants.revoke_button)
    with qtbot.waitSignal(grants.changed, timeout=TIMEOUT):
        answer_yes(qtbot, grants.confirm_box)
    loaded(qtbot, grants)
    assert column(grants, 1) == []
    assert [g.seal_id for g in list_grants(opened.db, person="张经办")] == [
        get_seal(opened.db, "合同专用章").id
    ]


def test_non_administrator_cannot_reach_or_use_administration(
    qtbot: QtBot, desk: Desk
) -> None:
    desk.log_in("张经办", "demo-officer-2026")
    assert "administration" not in desk.window.role_tabs
    opened = desk.window.opened
    assert opened is not None

    # Even a seals screen built by hand for the officer is refused by the service.
    officer = login_password(opened.db, "张经办", "demo-officer-2026")
    view = SealsView(opened, officer, "en")
    qtbot.addWidget(view)
    loaded(qtbot, view)
    view.select("合同专用章")
    with qtbot.waitSignal(view.failed, timeout=TIMEOUT) as failed:
        click(qtbot, view.buttons["suspend"])
    assert isinstance(failed.args[0], NotAdministratorError)
    assert get_seal(opened.db, "合同专用章").status is SealStatus.ACTIVE
    with pytest.raises(NotAdministratorError):
        suspend_seal(opened.db, officer, "合同专用章")


def test_a_person_added_with_a_certificate_can_use_token_login(
    qtbot: QtBot, desk: Desk, tmp_path: Path
) -> None:
    people = admin_tab(qtbot, desk)["people"]
    assert isinstance(people, PeopleView)
    opened = desk.window.opened
    assert opened is not None
    cert_file = tmp_path / "person.pem"
    cert_file.write_bytes(self_signed_pem("周证书"))

    click(qtbot, people.add_button)
    dialog = people.dialog
    assert isinstance(dialog, AddPersonDialog)
    type_in(qtbot, dialog.name, "周证书")
    tick(qtbot, dialog.roles[Role.OFFICER])
    type_in(qtbot, dialog.certificate, str(cert_file))
    with qtbot.waitSignal(people.changed, timeout=TIMEOUT):
        click(qtbot, ok_button(dialog.buttons))
    person = get_person(opened.db, "周证书")
    assert person.cert_sha256 is not None
    assert not person.has_password

    # A missing certificate file is named in one message; nobody is added.
    click(qtbot, people.add_button)
    dialog = people.dialog
    assert isinstance(dialog, AddPersonDialog)
    type_in(qtbot, dialog.name, "吴缺证")
    type_in(qtbot, dialog.certificate, str(tmp_path / "missing.pem"))
    click(qtbot, ok_button(dialog.buttons))
    qtbot.waitUntil(lambda: bool(desk.alerts), timeout=TIMEOUT)
    assert desk.alerts == [
        f"{tmp_path / 'missing.pem'}: cannot read (No such file or directory)."
    ]
    assert "吴缺证" not in [p.name for p in list_people(opened.db)]


def self_signed_pem(name: str) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM)


def test_administration_speaks_chinese(qtbot: QtBot, demo: Path) -> None:
    desk = Desk(qtbot, demo, "zh")
    seals = admin_tab(qtbot, desk)["seals"]
    assert isinstance(seals, SealsView)
    assert seals.buttons["revoke"].text() == "吊销…"
    click(qtbot, seals.create_button)
    dialog = seals.create_dialog
    assert dialog is not None
    assert dialog.windowTitle() == "新建印章"
    assert dialog.designer.template.currentText() == "圆形（五角星）"
    qtbot.waitUntil(lambda: bool(dialog.tokens), timeout=TIMEOUT)
    dialog.reject()
