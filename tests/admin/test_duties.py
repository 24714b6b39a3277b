"""Separation of duties (三权分立), roles, people, seals and password log-in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlcipher3

from app.admin.approvals import approve, reject, request_approval
from app.admin.auth import login_password
from app.admin.errors import (
    AuditorReadOnlyError,
    LoginFailedError,
    ManagerSoleApproverError,
    NotAdministratorError,
    NotAnApproverError,
    RoleConflictError,
    RoleRequiredError,
    SealTransitionError,
    SelfApprovalError,
)
from app.admin.grants import GrantDraft, add_grant
from app.admin.log_filter import resolve_log_filter
from app.admin.people import (
    add_first_administrator,
    add_person,
    bind_certificate,
    get_person,
    set_password,
    set_roles,
)
from app.admin.roles import Role
from app.admin.seals import (
    SealStatus,
    destroy_seal,
    get_seal,
    resume_seal,
    revoke_seal,
    seal_image,
    set_seal_image,
    suspend_seal,
)
from app.errors import InputError
from app.seals.specs import RoundSealSpec
from storage.usage_log import LogFilter, query
from tests.admin.conftest import (
    DOC_A,
    PASSWORD,
    Office,
    assert_refusal_logged,
    later,
    newest,
    seal_certificate,
)
from tests.support.pki import TestPki


def test_non_administrator_cannot_grant(office: Office) -> None:
    draft = GrantDraft(office.officer.name, office.seal.name, later(-1), later(5))
    with pytest.raises(NotAdministratorError) as caught:
        add_grant(office.db, office.approver, draft)
    assert "李审批" in caught.value.en
    entry = assert_refusal_logged(office.db, "grant.add", "not-administrator")
    assert entry.actor == office.approver.person_id
    assert not query(office.db, LogFilter(action="grant.add"))


def test_self_approval_is_refused(office: Office) -> None:
    set_roles(
        office.db, office.admin, office.officer.name, [Role.OFFICER, Role.APPROVER]
    )
    office.grant(approval_required=True, approvers=(office.approver.name,))
    made = request_approval(office.db, office.officer, office.seal.name, DOC_A, "c")
    with pytest.raises(SelfApprovalError):
        approve(office.db, office.officer, made.id, "我自己同意")
    assert_refusal_logged(office.db, "approval.approve", "self-approval")
    with pytest.raises(SelfApprovalError):
        reject(office.db, office.officer, made.id, "no")
    assert_refusal_logged(office.db, "approval.reject", "self-approval")


def test_grantee_cannot_be_named_approver_of_own_uses(office: Office) -> None:
    set_roles(
        office.db, office.admin, office.officer.name, [Role.OFFICER, Role.APPROVER]
    )
    with pytest.raises(SelfApprovalError):
        office.grant(approval_required=True, approvers=(office.officer.name,))
    assert_refusal_logged(office.db, "grant.add", "self-approval")


def test_manager_cannot_be_the_only_approver(office: Office) -> None:
    assert office.seal.managed_by == office.admin.person_id
    with pytest.raises(ManagerSoleApproverError):
        office.grant(approval_required=True, approvers=(office.admin.name,))
    assert_refusal_logged(office.db, "grant.add", "manager-sole-approver")
    # With a second approver named, the manager may be one of them.
    office.grant(approval_required=True, approvers=(office.admin.name, "李审批"))


def test_manager_cannot_approve_when_left_as_only_approver(office: Office) -> None:
    office.grant(approval_required=True)
    made = request_approval(office.db, office.officer, office.seal.name, DOC_A, "c")
    set_roles(office.db, office.admin, "李审批", [Role.ARCHIVIST])
    with pytest.raises(ManagerSoleApproverError):
        approve(office.db, office.admin, made.id)
    assert_refusal_logged(office.db, "approval.approve", "manager-sole-approver")


def test_only_named_approvers_decide(office: Office) -> None:
    add_person(
        office.db, office.admin, "钱审批", roles=[Role.APPROVER], password=PASSWORD
    )
    office.grant(approval_required=True, approvers=("钱审批",))
    made = request_approval(office.db, office.officer, office.seal.name, DOC_A, "c")
    with pytest.raises(NotAnApproverError):
        approve(office.db, office.approver, made.id)
    assert_refusal_logged(office.db, "approval.approve", "not-an-approver")
    other = login_password(office.db, "钱审批", PASSWORD)
    assert approve(office.db, other, made.id).status.value == "approved"


def test_officer_cannot_approve(office: Office) -> None:
    office.grant(approval_required=True)
    made = request_approval(office.db, office.officer, office.seal.name, DOC_A, "c")
    with pytest.raises(RoleRequiredError):
        approve(office.db, office.officer, made.id)
    assert_refusal_logged(office.db, "approval.approve", "role-required")


def auditor_attempts(office: Office) -> list[tuple[str, Callable[[], object]]]:
    a, db = office.auditor, office.db
    return [
        ("person.add", lambda: add_person(db, a, "新人", roles=[Role.OFFICER])),
        ("person.roles", lambda: set_roles(db, a, "张经办", [Role.APPROVER])),
        ("seal.suspend", lambda: suspend_seal(db, a, office.seal.name)),
        ("seal.revoke", lambda: revoke_seal(db, a, office.seal.name)),
        (
            "grant.add",
            lambda: add_grant(
                db, a, GrantDraft("张经办", office.seal.name, later(-1), later(1))
            ),
        ),
        (
            "approval.request",
            lambda: request_approval(db, a, office.seal.name, DOC_A, "c"),
        ),
    ]


def test_auditors_read_everything_and_change_nothing(office: Office) -> None:
    before = query(office.db, LogFilter(limit=None))
    for action, attempt in auditor_attempts(office):
        with pytest.raises(AuditorReadOnlyError):
            attempt()
        assert_refusal_logged(office.db, action, "auditor-read-only")
    after = query(office.db, LogFilter(limit=None))
    assert all(e.action.endswith(".refused") for e in after[: len(after) - len(before)])
    assert get_seal(office.db, office.seal.name).status is SealStatus.ACTIVE
    assert get_person(office.db, "张经办").roles == (Role.OFFICER,)


def test_auditor_role_cannot_be_combined(office: Office) -> None:
    with pytest.raises(RoleConflictError):
        add_person(office.db, office.admin, "两面", roles=[Role.AUDITOR, Role.OFFICER])
    assert_refusal_logged(office.db, "person.add", "role-conflict")


def test_last_administrator_stays(office: Office) -> None:
    with pytest.raises(RoleConflictError):
        set_roles(office.db, office.admin, office.admin.name, [Role.APPROVER])


def test_role_taken_away_takes_effect_for_a_logged_in_person(office: Office) -> None:
    set_roles(office.db, office.admin, "张经办", [Role.ARCHIVIST])
    with pytest.raises(RoleRequiredError):
        request_approval(office.db, office.officer, office.seal.name, DOC_A, "c")


def test_first_administrator_only_once(office: Office) -> None:
    with pytest.raises(RoleConflictError):
        add_first_administrator(office.db, "篡位者", PASSWORD)


def test_password_login_right_and_wrong(office: Office) -> None:
    actor = login_password(office.db, "张经办", PASSWORD)
    assert actor.roles == frozenset({Role.OFFICER})
    assert newest(office.db).action == "auth.login"
    with pytest.raises(LoginFailedError):
        login_password(office.db, "张经办", PASSWORD + "x")
    entry = assert_refusal_logged(office.db, "auth.login", "login-failed")
    assert PASSWORD not in str(entry.details)
    with pytest.raises(LoginFailedError):
        login_password(office.db, "无此人", PASSWORD)


def test_password_is_stored_as_argon2(office: Office) -> None:
    stored = office.db.scalar(
        "SELECT password_hash FROM credentials WHERE person_id = ?",
        (office.officer.person_id,),
    )
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_set_password_self_or_administrator(office: Office) -> None:
    set_password(office.db, office.officer, "张经办", "my own new password")
    login_password(office.db, "张经办", "my own new password")
    with pytest.raises(NotAdministratorError):
        set_password(office.db, office.officer, "李审批", "taken over password")
    set_password(office.db, office.admin, "李审批", "reset by the admin")
    login_password(office.db, "李审批", "reset by the admin")
    with pytest.raises(InputError):
        set_password(office.db, office.officer, "张经办", "short")


def test_bind_certificate(office: Office, pki: TestPki) -> None:
    cert = seal_certificate(pki, "张经办")
    person = bind_certificate(office.db, office.admin, "张经办", cert)
    assert person.cert_sha256 is not None
    with pytest.raises(InputError):
        bind_certificate(office.db, office.admin, "李审批", cert)
    with pytest.raises(InputError):
        bind_certificate(office.db, office.admin, "李审批", b"not a certificate")


def test_seal_lifecycle(office: Office) -> None:
    db, admin, name = office.db, office.admin, office.seal.name
    assert suspend_seal(db, admin, name, "盘点").status is SealStatus.SUSPENDED
    with pytest.raises(SealTransitionError):
        suspend_seal(db, admin, name)
    assert_refusal_logged(db, "seal.suspend", "seal-transition")
    assert resume_seal(db, admin, name).status is SealStatus.ACTIVE
    assert revoke_seal(db, admin, name, "证书吊销").status is SealStatus.REVOKED
    for final in (resume_seal, suspend_seal, revoke_seal):
        with pytest.raises(SealTransitionError):
            final(db, admin, name, "")
    assert destroy_seal(db, admin, name).status is SealStatus.DESTROYED
    with pytest.raises(SealTransitionError):
        destroy_seal(db, admin, name)
    actions = [e.action for e in query(db, LogFilter(seal_id=office.seal.id))]
    for action in ("seal.create", "seal.suspend", "seal.resume", "seal.revoke"):
        assert action in actions
    assert actions[0] == "seal.destroy.refused"


def test_database_refuses_to_revive_a_revoked_seal(office: Office) -> None:
    revoke_seal(office.db, office.admin, office.seal.name)
    with (
        pytest.raises(sqlcipher3.IntegrityError, match="cannot be reactivated"),
        office.db.transaction() as conn,
    ):
        conn.execute("UPDATE seals SET status = 'active'")


def test_seal_image_is_rendered_and_stored(office: Office) -> None:
    spec = RoundSealSpec("某某市人民政府办公室", "合同专用章")
    seal = set_seal_image(office.db, office.admin, office.seal.name, spec)
    assert seal.has_image
    assert seal.image_width_mm == 42
    image = seal_image(office.db, office.seal.name)
    assert image is not None
    assert image.png.startswith(b"\x89PNG")
    assert newest(office.db).action == "seal.image"


def test_grant_needs_an_officer_and_a_live_seal(office: Office) -> None:
    with pytest.raises(RoleRequiredError):
        office.grant(person="李审批")
    office.grant()
    with pytest.raises(InputError):
        office.grant()


def test_log_filter_accepts_names(office: Office) -> None:
    wanted = resolve_log_filter(
        office.db, LogFilter(actor="王管理", seal_id="合同专用章", limit=None)
    )
    assert (wanted.actor, wanted.seal_id) == (office.admin.person_id, office.seal.id)
    assert [e.action for e in query(office.db, wanted)] == ["seal.create"]
    kept = resolve_log_filter(office.db, LogFilter(actor="person-gone"))
    assert kept.actor == "person-gone"
