"""The verification report and the chain evidence as the archivist reads them.

Pure functions from the report tree (:mod:`app.verification.result`) and the
evidence rows (:mod:`app.archive_review`) to bilingual label/value pairs and
to the small HTML the detail pane shows. Nothing here imports pyHanko: the
report types are named for the type checker only.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.archive_review import EntryEvidence
from app.i18n import pick

if TYPE_CHECKING:
    from app.verification import SignatureReport, VerificationReport

__all__ = [
    "VERDICT_COLOURS",
    "evidence_html",
    "report_html",
    "signature_rows",
    "verdict_text",
]

# Anything but "valid" says plainly that validity is not established.
_VERDICT_ZH = {
    "valid": "有效",
    "invalid": "无效",
    "indeterminate": "无法确定（未能确认有效）",
    "cannot verify": "无法验证（未能确认有效）",
}
_VERDICT_EN = {
    "valid": "valid",
    "invalid": "INVALID",
    "indeterminate": "indeterminate (not confirmed valid)",
    "cannot verify": "cannot verify (not confirmed valid)",
}
VERDICT_COLOURS = {
    "valid": "#1b5e20",
    "invalid": "#b71c1c",
    "indeterminate": "#e65100",
    "cannot verify": "#e65100",
}
Rows = list[tuple[str, str]]


def verdict_text(value: str, lang: str) -> str:
    """The verdict in the person's language."""
    return pick(lang, _VERDICT_EN[value], _VERDICT_ZH[value])


def signature_rows(sig: SignatureReport, lang: str) -> Rows:
    """Signer, time, integrity, coverage, changes, trust, revocation, verdict."""

    def t(en: str, zh: str) -> str:
        return pick(lang, en, zh)

    rows: Rows = [
        (t("Signature", "签名"), sig.field),
        (t("Verdict", "结论"), verdict_text(sig.verdict.value, lang)),
    ]
    signer = sig.signer
    if signer is not None:
        rows += [
            (t("Signer", "签章人"), signer.name),
            (t("Organisation", "单位"), signer.organisation or "-"),
            (t("Certificate serial", "证书序列号"), signer.serial),
            (t("Issuer", "颁发者"), signer.issuer),
        ]
    when = sig.signing_time
    stamp = when.time.isoformat(timespec="seconds") if when.time else "-"
    coverage = sig.coverage.value
    if sig.revision != sig.revisions:
        coverage = f"{coverage} {sig.revision}/{sig.revisions}"
    changes = "; ".join(f"{c.kind.value}: {c.detail}" for c in sig.changes)
    rows += [
        (t("Signing time", "签章时间"), f"{stamp} ({when.source.value})"),
        (
            t("Integrity", "完整性"),
            t("intact", "完好") if sig.intact else t("broken", "已破坏"),
        ),
        (t("Coverage", "覆盖范围"), coverage),
        (t("Changes after signing", "签章后修改"), changes or "-"),
        (t("Trust", "信任"), sig.trust.value),
        (t("Revocation", "吊销状态"), sig.revocation.value),
    ]
    return rows


def report_html(report: VerificationReport, title: str, lang: str) -> str:
    """The whole report: file, SHA-256, reasons, then each signature."""

    def t(en: str, zh: str) -> str:
        return pick(lang, en, zh)

    parts = [
        _table(
            [
                (t("Document", "文件"), title),
                ("SHA-256", report.sha256 or "-"),
                (
                    t("Checked at", "验证时间"),
                    report.checked_at.isoformat("T", "seconds"),
                ),
            ]
        ),
        _reasons([m.text(lang) for m in report.reasons]),
    ]
    for sig in report.signatures:
        parts.append("<hr/>")
        parts.append(_table(signature_rows(sig, lang)))
        parts.append(_reasons([m.text(lang) for m in sig.reasons]))
    if not report.signatures:
        parts.append(f"<p>{_esc(t('No seal was found.', '未发现印章。'))}</p>")
    return "".join(parts)


def evidence_html(found: Sequence[EntryEvidence], lang: str) -> str:
    """Each evidence leaf: anchored or not, block, time, confirmations."""

    def t(en: str, zh: str) -> str:
        return pick(lang, en, zh)

    if not found:
        return _esc(
            t(
                "No chain evidence is recorded for this document.",
                "该文件没有存证记录。",
            )
        )
    parts = []
    for item in found:
        if item.anchored:
            rows = [
                (t("Evidence", "存证"), f"#{item.leaf_id} ({item.kind})"),
                (t("Anchored", "已上链"), t("yes", "是") + f" ({item.state})"),
                (t("Chain", "链 ID"), str(item.chain_id or "-")),
                (t("Block", "区块"), str(item.block_number)),
                (t("Anchored at", "上链时间"), item.anchored_at or "-"),
                (t("Confirmations", "确认数"), str(item.confirmations)),
                (t("Transaction", "交易"), item.tx_hash or "-"),
            ]
        else:
            rows = [
                (t("Evidence", "存证"), f"#{item.leaf_id} ({item.kind})"),
                (
                    t("Anchored", "已上链"),
                    t(f"not yet ({item.state})", f"尚未上链（{item.state}）"),
                ),
            ]
        parts.append(_table(rows))
    return "".join(parts)


def _table(rows: Rows) -> str:
    cells = "".join(
        f"<tr><td><b>{_esc(label)}</b></td><td>{_esc(value)}</td></tr>"
        for label, value in rows
    )
    return f"<table cellspacing='2' cellpadding='2'>{cells}</table>"


def _reasons(lines: Sequence[str]) -> str:
    if not lines:
        return ""
    return "<ul>" + "".join(f"<li>{_esc(line)}</li>" for line in lines) + "</ul>"


def _esc(text: str) -> str:
    return html.escape(text, quote=False)
