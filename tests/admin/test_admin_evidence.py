"""Revoking a seal and changing a grant leave evidence beside their log entry."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from app.admin.grants import GrantDraft, add_grant, revoke_grant
from app.admin.seals import revoke_seal, suspend_seal
from tests.admin.conftest import Office


def _leaves(office: Office) -> list[tuple[str, dict[str, object]]]:
    rows = office.opened.db.rows(
        "SELECT l.kind, l.record, u.entry_hash FROM evidence_leaves l "
        "JOIN usage_log u ON u.seq = l.log_seq ORDER BY l.id"
    )
    found = []
    for kind, record, entry_hash in rows:
        body = json.loads(record)
        assert body["log_entry_hash"] == entry_hash
        found.append((str(kind), body))
    return found


def test_grant_changes_are_queued_as_evidence(office: Office) -> None:
    now = datetime.now(UTC)
    grant = add_grant(
        office.opened.db,
        office.admin,
        GrantDraft("张经办", "合同专用章", now, now + timedelta(days=30), quota=5),
    )
    revoke_grant(office.opened.db, office.admin, grant.id, "调岗")

    leaves = _leaves(office)
    assert [kind for kind, _ in leaves] == ["grant_changed", "grant_changed"]
    assert [body["details"]["change"] for _, body in leaves] == ["added", "revoked"]
    assert leaves[0][1]["device_id"] == office.opened.info.workspace_id


def test_revoked_seal_is_queued_but_a_suspension_is_not(office: Office) -> None:
    suspend_seal(office.opened.db, office.admin, "合同专用章", "检修")
    assert _leaves(office) == []

    revoke_seal(office.opened.db, office.admin, "合同专用章", "遗失")

    ((kind, body),) = _leaves(office)
    assert kind == "seal_revoked"
    assert body["seal_id"] == office.seal.id
    assert body["officer"] == office.admin.person_id
