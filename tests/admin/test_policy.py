"""The use policy: every rule refuses with its own error and a logged refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.admin.approvals import approve, reject, request_approval
from app.admin.auth import login_password
from app.admin.errors import (
    ApprovalDocumentMismatchError,
    ApprovalExpiredError,
    ApprovalMismatchError,
    ApprovalPendingError,
    ApprovalRejectedError,
    ApprovalRequiredError,
    ApprovalReusedError,
    AuditorReadOnlyError,
    CategoryNotAllowedError,
    GrantExpiredError,
    GrantNotYetValidError,
    NoGrantError,
    QuotaExhaustedError,
    RefusedError,
    SealDestroyedError,
    SealRevokedError,
    SealSuspendedError,
)
from app.admin.grants import revoke_grant
from app.admin.people import add_person
from app.admin.policy import check_use, consume, record_use_refusal
from app.admin.roles import Role
from app.admin.seals import destroy_seal, revoke_seal, suspend_seal
from app.errors import SealDeskError
from storage.usage_log import verify_chain
from tests.admin.conftest import (
    DOC_A,
    DOC_B,
    PASSWORD,
    Office,
    assert_refusal_logged,
    later,
)


def use(office: Office, *, doc: str = DOC_A, category: str = "contract", **kw):  # type: ignore[no-untyped-def]
    return check_use(
        office.db,
        office.officer,
        office.seal.name,
        doc,
        category,
        kw.pop("approval_id", None),
        kw.pop("now", None),
        **kw,
    )


def stamp(office: Office, **kw) -> None:  # type: ignore[no-untyped-def]
    """What the stamping service does: check, then consume in its transaction."""
    decision = use(office, **kw)
    with office.db.transaction() as conn:
        consume(conn, decision)


def approved(office: Office, doc: str = DOC_A, **kw) -> str:  # type: ignore[no-untyped-def]
    made = request_approval(
        office.db, office.officer, office.seal.name, doc, "contract", **kw
    )
    return approve(office.db, office.approver, made.id, "同意").id


def test_a_granted_use_is_allowed_and_counted(office: Office) -> None:
    grant = office.grant(quota=3)
    decision = use(office)
    assert (decision.grant_id, decision.quota_left) == (grant.id, 2)
    with office.db.transaction() as conn:
        consume(conn, decision)
    assert use(office).quota_left == 1


def test_expired_grant(office: Office) -> None:
    office.grant(valid_until=later(1))
    with pytest.raises(GrantExpiredError) as caught:
        use(office, now=later(2))
    assert_refusal_logged(office.db, "stamp", "grant-expired")
    assert caught.value.zh
    assert caught.value.en != caught.value.zh


def test_grant_not_yet_valid(office: Office) -> None:
    office.grant(valid_from=later(1), valid_until=later(5))
    with pytest.raises(GrantNotYetValidError):
        use(office)
    assert_refusal_logged(office.db, "stamp", "grant-not-yet-valid")


def test_exhausted_quota(office: Office) -> None:
    office.grant(quota=1)
    stamp(office)
    with pytest.raises(QuotaExhaustedError):
        use(office)
    entry = assert_refusal_logged(office.db, "stamp", "quota-exhausted")
    assert entry.seal_id == office.seal.id
    assert entry.actor == office.officer.person_id
    assert entry.document_sha256 == DOC_A


def test_wrong_category(office: Office) -> None:
    office.grant(categories=("contract",))
    with pytest.raises(CategoryNotAllowedError):
        use(office, category="letter")
    assert_refusal_logged(office.db, "stamp", "category-not-allowed")


def test_no_grant(office: Office) -> None:
    with pytest.raises(NoGrantError):
        use(office)
    assert_refusal_logged(office.db, "stamp", "no-grant")


def test_approval_needed_but_missing(office: Office) -> None:
    office.grant(approval_required=True)
    with pytest.raises(ApprovalRequiredError):
        use(office)
    assert_refusal_logged(office.db, "stamp", "approval-required")


def test_approval_for_another_documents_hash(office: Office) -> None:
    office.grant(approval_required=True)
    approval = approved(office, DOC_A)
    with pytest.raises(ApprovalDocumentMismatchError):
        use(office, doc=DOC_B, approval_id=approval)
    entry = assert_refusal_logged(office.db, "stamp", "approval-other-document")
    assert entry.document_sha256 == DOC_B
    stamp(office, doc=DOC_A, approval_id=approval)  # the right document passes


def test_approval_reused(office: Office) -> None:
    office.grant(approval_required=True)
    approval = approved(office)
    stamp(office, approval_id=approval)
    with pytest.raises(ApprovalReusedError):
        use(office, approval_id=approval)
    assert_refusal_logged(office.db, "stamp", "approval-reused")


def test_approval_cannot_be_spent_twice_by_parallel_stampings(office: Office) -> None:
    office.grant(approval_required=True)
    approval = approved(office)
    first, second = use(office, approval_id=approval), use(office, approval_id=approval)
    with office.db.transaction() as conn:
        consume(conn, first)
    with pytest.raises(ApprovalReusedError) as caught, office.db.transaction() as conn:
        consume(conn, second)
    record_use_refusal(office.db, second, caught.value)
    assert_refusal_logged(office.db, "stamp", "approval-reused")


def test_approval_pending_rejected_and_expired(office: Office) -> None:
    office.grant(approval_required=True)
    pending = request_approval(
        office.db, office.officer, office.seal.name, DOC_A, "contract"
    )
    with pytest.raises(ApprovalPendingError):
        use(office, approval_id=pending.id)
    assert_refusal_logged(office.db, "stamp", "approval-pending")

    reject(office.db, office.approver, pending.id, "请补充合同附件")
    with pytest.raises(ApprovalRejectedError):
        use(office, approval_id=pending.id)
    assert_refusal_logged(office.db, "stamp", "approval-rejected")

    fresh = approved(office)
    with pytest.raises(ApprovalExpiredError):
        use(office, approval_id=fresh, now=later(2))
    assert_refusal_logged(office.db, "stamp", "approval-expired")


def test_approval_binds_category_and_placement(office: Office) -> None:
    office.grant(approval_required=True, categories=("contract", "letter"))
    place = {"page": 1, "x_mm": 120, "y_mm": 40}
    approval = approved(office, placement=place)
    with pytest.raises(ApprovalMismatchError):
        use(office, approval_id=approval, category="letter", placement=place)
    with pytest.raises(ApprovalMismatchError):
        use(office, approval_id=approval, placement={**place, "page": 2})
    assert_refusal_logged(office.db, "stamp", "approval-mismatch")
    use(office, approval_id=approval, placement=dict(reversed(place.items())))


def test_approval_of_another_officer_is_refused(office: Office) -> None:
    office.grant(approval_required=True)
    approval = approved(office)
    add_person(
        office.db, office.admin, "孙经办", roles=[Role.OFFICER], password=PASSWORD
    )
    office.grant(person="孙经办", approval_required=True)
    other = login_password(office.db, "孙经办", PASSWORD)
    with pytest.raises(ApprovalMismatchError):
        check_use(office.db, other, office.seal.id, DOC_A, "contract", approval)
    assert_refusal_logged(office.db, "stamp", "approval-mismatch")


@pytest.mark.parametrize(
    ("change", "error", "rule"),
    [
        (suspend_seal, SealSuspendedError, "seal-suspended"),
        (revoke_seal, SealRevokedError, "seal-revoked"),
        (destroy_seal, SealDestroyedError, "seal-destroyed"),
    ],
)
def test_seal_not_active(
    office: Office, change, error: type[RefusedError], rule: str
) -> None:  # type: ignore[no-untyped-def]
    office.grant()
    use(office)
    change(office.db, office.admin, office.seal.name, "测试")
    with pytest.raises(error):
        use(office)
    assert_refusal_logged(office.db, "stamp", rule)


def test_grants_take_effect_at_once(office: Office) -> None:
    grant = office.grant()
    decision = use(office)
    revoke_grant(office.db, office.admin, grant.id, "调岗")
    with pytest.raises(NoGrantError):
        use(office)
    assert_refusal_logged(office.db, "stamp", "no-grant")
    # A decision taken before the revocation cannot be spent after it.
    with pytest.raises(NoGrantError), office.db.transaction() as conn:
        consume(conn, decision)


def test_suspension_between_check_and_stamping_is_caught(office: Office) -> None:
    office.grant()
    decision = use(office)
    suspend_seal(office.db, office.admin, office.seal.name)
    with pytest.raises(SealSuspendedError), office.db.transaction() as conn:
        consume(conn, decision)


def test_auditor_cannot_stamp(office: Office) -> None:
    with pytest.raises(AuditorReadOnlyError):
        check_use(office.db, office.auditor, office.seal.name, DOC_A, "contract", None)
    assert_refusal_logged(office.db, "stamp", "auditor-read-only")


def test_every_error_is_bilingual_and_the_log_stays_intact(office: Office) -> None:
    office.grant(quota=1, categories=("contract",))
    for attempt in (
        lambda: use(office, category="letter"),
        lambda: use(office, now=later(40)),
    ):
        with pytest.raises(SealDeskError) as caught:
            attempt()
        assert caught.value.en
        assert caught.value.zh
        assert caught.value.en != caught.value.zh
    check = verify_chain(office.db)
    assert check.intact
    assert check.entries > 5


def test_approval_validity_is_configurable(office: Office) -> None:
    office.grant(approval_required=True)
    made = request_approval(
        office.db, office.officer, office.seal.name, DOC_A, "contract"
    )
    approve(office.db, office.approver, made.id, valid_for=timedelta(hours=1))
    use(office, approval_id=made.id, now=later(1 / 48))
    with pytest.raises(ApprovalExpiredError):
        use(office, approval_id=made.id, now=later(1 / 12))
