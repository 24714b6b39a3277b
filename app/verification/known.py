"""What the open workspace knows about a verified file and its seals.

A verification (:func:`app.verification.verify_pdf`) needs no workspace. When
one is open, this module adds to its report:

* for each signature, the workspace's seal bound to the signing certificate
  (matched by the certificate's SHA-256): its name and type (公章, 合同专用章…);
* for the file, when the workspace stamped it, where its evidence stands: not
  recorded, not yet anchored (尚未上链), or anchored with the batch root, the
  transaction, its block and confirmations, all read from the evidence tables;
  with ``chain=True`` the evidence bundle is also checked against the chain
  node of ``chain.rpc_url`` (:func:`app.evidence.verify.verify_evidence`).

:func:`workspace_cache` gives the workspace's revocation cache for
:func:`~app.verification.verify_pdf`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import replace

from app.admin.seals import SealType
from app.archive import ArchiveFilter, search
from app.evidence.sync import (
    EvidenceNotAnchored,
    evidence_bundle,
    sync_settings,
)
from app.evidence.verify import EvidenceCheck, verify_evidence
from app.verification.result import (
    ChainCheck,
    EvidenceInfo,
    Message,
    SealInfo,
    SignatureReport,
    VerificationReport,
)
from app.verification.revocation_cache import (
    DEFAULT_MAX_AGE_HOURS,
    MAX_AGE_SETTING,
    RevocationCache,
)
from app.workspace import OpenWorkspace
from storage.database import Database
from storage.outbox import Batch, Leaf, batch, leaf, stored_account
from storage.settings import get_setting

__all__ = [
    "check_on_chain",
    "document_evidence",
    "seal_for_certificate",
    "with_workspace_facts",
    "workspace_cache",
]

log = logging.getLogger(__name__)

_HEX64 = re.compile(r"[0-9a-f]{64}")
_TYPE_EN = {
    SealType.OFFICIAL: "official seal",
    SealType.CONTRACT: "contract seal",
    SealType.FINANCE: "finance seal",
    SealType.LEGAL_REPRESENTATIVE: "legal representative's seal",
    SealType.DEPARTMENT: "department seal",
    SealType.INVOICE: "invoice seal",
}


def workspace_cache(opened: OpenWorkspace) -> RevocationCache:
    """The revocation cache of ``opened`` with its configured maximum age."""
    value = get_setting(opened.db, MAX_AGE_SETTING)
    try:
        hours = DEFAULT_MAX_AGE_HOURS if value is None else max(0, int(value))
    except ValueError:  # only ever set through the checked setting
        hours = DEFAULT_MAX_AGE_HOURS
    return RevocationCache(opened.db, dt.timedelta(hours=hours))


def with_workspace_facts(
    report: VerificationReport, opened: OpenWorkspace | None, *, chain: bool = False
) -> VerificationReport:
    """``report`` with the seals and the evidence that ``opened`` knows.

    Without a workspace the report is returned as it is.
    """
    if opened is None:
        return report
    signatures = tuple(_with_seal(opened.db, s) for s in report.signatures)
    evidence = document_evidence(opened, report.sha256) if report.sha256 else None
    if evidence is not None and chain:
        evidence = replace(evidence, chain_check=check_on_chain(opened, evidence))
    return replace(report, signatures=signatures, evidence=evidence)


def _with_seal(db: Database, sig: SignatureReport) -> SignatureReport:
    if sig.signer is None or not sig.signer.cert_sha256:
        return sig
    return replace(sig, seal=seal_for_certificate(db, sig.signer.cert_sha256))


def seal_for_certificate(db: Database, cert_sha256: str) -> SealInfo | None:
    """The seal bound to the certificate with this fingerprint, if any.

    When several seals were bound to one certificate, an active one is
    preferred, then the newest.
    """
    rows = db.rows(
        "SELECT id, name, type, status FROM seals WHERE cert_sha256 = ? "
        "ORDER BY status = 'active' DESC, created_at DESC LIMIT 1",
        (cert_sha256.lower(),),
    )
    if not rows:
        return None
    row = rows[0]
    kind = SealType(row[2])
    return SealInfo(
        id=str(row[0]),
        name=str(row[1]),
        type=kind.value,
        type_en=_TYPE_EN[kind],
        type_zh=kind.zh,
        status=str(row[3]),
    )


def document_evidence(opened: OpenWorkspace, sha256: str) -> EvidenceInfo | None:
    """Where the evidence of the stamping that produced ``sha256`` stands.

    ``None`` when the workspace neither archived such a stamped document nor
    holds an evidence record naming it.
    """
    if not _HEX64.fullmatch(sha256):
        return None
    found = _stamp_leaf(opened.db, sha256)
    if found is None:
        archived = search(opened.db, ArchiveFilter(sha256=sha256, limit=None))
        if not any(e.sha256 == sha256 for e in archived):
            return None
        return EvidenceInfo(
            recorded=False,
            anchored=False,
            state="none",
            note=Message(
                "No evidence record exists for this document.", "本文件没有存证记录。"
            ),
        )
    item, owner = found
    return _evidence(item, owner)


def _stamp_leaf(db: Database, sha256: str) -> tuple[Leaf, Batch | None] | None:
    """The oldest stamping leaf whose record names ``sha256`` as its result."""
    # Canonical JSON has no spaces, so the pattern finds the field exactly;
    # the parsed record confirms it.
    pattern = f'%"document_sha256_after":"{sha256}"%'
    ids = db.rows(
        "SELECT id FROM evidence_leaves WHERE kind = 'stamp' "
        "AND CAST(record AS TEXT) LIKE ? ORDER BY id",
        (pattern,),
    )
    with db.transaction() as conn:
        for (leaf_id,) in ids:
            item = leaf(conn, int(leaf_id))
            if item is None or not _names(item.record, sha256):
                continue
            owner = None if item.batch_id is None else batch(conn, item.batch_id)
            return item, owner
    return None


def _names(record: bytes, sha256: str) -> bool:
    try:
        data = json.loads(record)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("document_sha256_after") == sha256


def _evidence(item: Leaf, owner: Batch | None) -> EvidenceInfo:
    if owner is None:
        return EvidenceInfo(
            recorded=True,
            anchored=False,
            state="waiting",
            note=_NOT_ANCHORED,
            leaf_id=item.id,
        )
    anchored = owner.block_hash is not None
    if anchored:
        note = Message(
            f"Anchored on the chain in block {owner.block_number} "
            f"(confirmations: {owner.confirmations}).",
            f"已上链：区块 {owner.block_number}（确认数 {owner.confirmations}）。",
        )
    else:
        note = _NOT_ANCHORED
    return EvidenceInfo(
        recorded=True,
        anchored=anchored,
        state=owner.state.value,
        note=note,
        leaf_id=item.id,
        batch_root=owner.root.hex(),
        chain_id=owner.chain_id,
        tx_hash=owner.tx_hash,
        block_number=owner.block_number if anchored else None,
        block_hash=owner.block_hash,
        anchored_at=owner.mined_at if anchored else None,
        confirmations=owner.confirmations if anchored else 0,
        confirmed_at=owner.confirmed_at,
    )


_NOT_ANCHORED = Message(
    "Not yet anchored on the chain; run 'sealdesk sync'.",
    "尚未上链，请运行 sealdesk sync。",
)


def check_on_chain(opened: OpenWorkspace, evidence: EvidenceInfo) -> ChainCheck:
    """Check the document's evidence bundle against the configured chain node."""
    settings = sync_settings(opened.db)
    url = settings.rpc_url
    if url is None:
        return ChainCheck(
            "cannot_verify",
            "",
            Message(
                "No chain node is configured (chain.rpc_url).",
                "未配置区块链节点（chain.rpc_url）。",
            ),
        )
    if evidence.leaf_id is None:
        return ChainCheck("cannot_verify", url, evidence.note)
    try:
        bundle = evidence_bundle(opened.db, opened.info, evidence.leaf_id)
    except EvidenceNotAnchored as exc:
        return ChainCheck("cannot_verify", url, Message(exc.en, exc.zh))
    with opened.db.transaction() as conn:
        account = stored_account(conn)
    check = verify_evidence(
        bundle,
        url,
        min_confirmations=settings.confirmations,
        expected_sender=None if account is None else account.address,
    )
    log.info("evidence of leaf %d on the chain: %s", evidence.leaf_id, check.outcome)
    return _chain_check(check, url)


def _chain_check(check: EvidenceCheck, url: str) -> ChainCheck:
    step = check.reason
    return ChainCheck(
        outcome=check.outcome.value,
        rpc_url=url,
        reason=None if step is None else Message(step.en, step.zh),
        block_number=check.block_number,
        confirmations=check.confirmations,
    )
