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

from PySide6.QtCore import QCoreApplication

from app.archive_review import EntryEvidence
from widgets.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from app.verification import SignatureReport, VerificationReport

__all__ = [
    "VERDICT_COLOURS",
    "evidence_html",
    "report_html",
    "signature_rows",
    "verdict_text",
]

_CONTEXT = "widgets.archive.report"
# Anything but "valid" says plainly that validity is not established.
_VERDICT = {
    "valid": QT_TRANSLATE_NOOP("widgets.archive.report", "valid"),
    "invalid": QT_TRANSLATE_NOOP("widgets.archive.report", "INVALID"),
    "indeterminate": QT_TRANSLATE_NOOP(
        "widgets.archive.report", "indeterminate (not confirmed valid)"
    ),
    "cannot verify": QT_TRANSLATE_NOOP(
        "widgets.archive.report", "cannot verify (not confirmed valid)"
    ),
}
VERDICT_COLOURS = {
    "valid": "#1b5e20",
    "invalid": "#b71c1c",
    "indeterminate": "#e65100",
    "cannot verify": "#e65100",
}
Rows = list[tuple[str, str]]


def verdict_text(value: str) -> str:
    """The verdict in the person's language."""
    return QCoreApplication.translate(_CONTEXT, _VERDICT[value])


def signature_rows(sig: SignatureReport) -> Rows:
    """Signer, time, integrity, coverage, changes, trust, revocation, verdict."""

    rows: Rows = [
        (QCoreApplication.translate("widgets.archive.report", "Signature"), sig.field),
        (
            QCoreApplication.translate("widgets.archive.report", "Verdict"),
            verdict_text(sig.verdict.value),
        ),
    ]
    signer = sig.signer
    if signer is not None:
        rows += [
            (
                QCoreApplication.translate("widgets.archive.report", "Signer"),
                signer.name,
            ),
            (
                QCoreApplication.translate("widgets.archive.report", "Organisation"),
                signer.organisation or "-",
            ),
            (
                QCoreApplication.translate(
                    "widgets.archive.report", "Certificate serial"
                ),
                signer.serial,
            ),
            (
                QCoreApplication.translate("widgets.archive.report", "Issuer"),
                signer.issuer,
            ),
        ]
    when = sig.signing_time
    stamp = when.time.isoformat(timespec="seconds") if when.time else "-"
    coverage = sig.coverage.value
    if sig.revision != sig.revisions:
        coverage = f"{coverage} {sig.revision}/{sig.revisions}"
    changes = "; ".join(f"{c.kind.value}: {c.detail}" for c in sig.changes)
    rows += [
        (
            QCoreApplication.translate("widgets.archive.report", "Signing time"),
            f"{stamp} ({when.source.value})",
        ),
        (
            QCoreApplication.translate("widgets.archive.report", "Integrity"),
            QCoreApplication.translate("widgets.archive.report", "intact")
            if sig.intact
            else QCoreApplication.translate("widgets.archive.report", "broken"),
        ),
        (QCoreApplication.translate("widgets.archive.report", "Coverage"), coverage),
        (
            QCoreApplication.translate(
                "widgets.archive.report", "Changes after signing"
            ),
            changes or "-",
        ),
        (
            QCoreApplication.translate("widgets.archive.report", "Trust"),
            sig.trust.value,
        ),
        (
            QCoreApplication.translate("widgets.archive.report", "Revocation"),
            sig.revocation.value,
        ),
    ]
    return rows


def report_html(report: VerificationReport, title: str, lang: str) -> str:
    """The whole report: file, SHA-256, reasons, then each signature."""

    parts = [
        _table(
            [
                (
                    QCoreApplication.translate("widgets.archive.report", "Document"),
                    title,
                ),
                ("SHA-256", report.sha256 or "-"),
                (
                    QCoreApplication.translate("widgets.archive.report", "Checked at"),
                    report.checked_at.isoformat("T", "seconds"),
                ),
            ]
        ),
        _reasons([m.text(lang) for m in report.reasons]),
    ]
    for sig in report.signatures:
        parts.append("<hr/>")
        parts.append(_table(signature_rows(sig)))
        parts.append(_reasons([m.text(lang) for m in sig.reasons]))
    if not report.signatures:
        none_found = QCoreApplication.translate(
            "widgets.archive.report", "No seal was found."
        )
        parts.append(f"<p>{_esc(none_found)}</p>")
    return "".join(parts)


def evidence_html(found: Sequence[EntryEvidence]) -> str:
    """Each evidence leaf: anchored or not, block, time, confirmations."""

    if not found:
        return _esc(
            QCoreApplication.translate(
                "widgets.archive.report",
                "No chain evidence is recorded for this document.",
            )
        )
    parts = []
    for item in found:
        if item.anchored:
            rows = [
                (
                    QCoreApplication.translate("widgets.archive.report", "Evidence"),
                    f"#{item.leaf_id} ({item.kind})",
                ),
                (
                    QCoreApplication.translate("widgets.archive.report", "Anchored"),
                    QCoreApplication.translate("widgets.archive.report", "yes")
                    + f" ({item.state})",
                ),
                (
                    QCoreApplication.translate("widgets.archive.report", "Chain"),
                    str(item.chain_id or "-"),
                ),
                (
                    QCoreApplication.translate("widgets.archive.report", "Block"),
                    str(item.block_number),
                ),
                (
                    QCoreApplication.translate("widgets.archive.report", "Anchored at"),
                    item.anchored_at or "-",
                ),
                (
                    QCoreApplication.translate(
                        "widgets.archive.report", "Confirmations"
                    ),
                    str(item.confirmations),
                ),
                (
                    QCoreApplication.translate("widgets.archive.report", "Transaction"),
                    item.tx_hash or "-",
                ),
            ]
        else:
            rows = [
                (
                    QCoreApplication.translate("widgets.archive.report", "Evidence"),
                    f"#{item.leaf_id} ({item.kind})",
                ),
                (
                    QCoreApplication.translate("widgets.archive.report", "Anchored"),
                    QCoreApplication.translate(
                        "widgets.archive.report", "not yet ({0})"
                    ).format(item.state),
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
