"""The verification report (验章报告) as a bilingual A4 PDF.

``sealdesk verify FILE --report OUT.pdf`` and the evidence package print the
:class:`~app.verification.result.VerificationReport` of a file as one PDF
that a person can read, file and hand on: every label and every reason in
Chinese and English; the file's name, size and SHA-256, the hash also as a
QR code; the overall verdict; and for each signature the seal image it
shows, the signer, the signing time and its source, integrity, coverage,
changes after signing, trust, revocation, its verdict and reasons, and the
workspace's seal (name and type) when the workspace knows it; the document's
evidence on the chain when the workspace stamped it; and when the check was
made.

The page is laid out with fpdf2, which embeds a subset of the CJK font
(TrueType or CFF outlines, collections too), so Chinese text renders and can
be searched and copied. segno computes the QR code, whose modules are drawn
as one vector path. The seal images come from :mod:`app.verification.seal_art`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace as CellStyle
from PIL import Image

from app.errors import InputError
from app.files import fsync_folder, link_into_place
from app.stamping.output import create_part, discard, flush_to_disk
from app.verification.report_font import report_font
from app.verification.result import (
    ChangeKind,
    Coverage,
    EvidenceInfo,
    Message,
    Revocation,
    SignatureReport,
    TimeSource,
    Trust,
    Verdict,
    VerificationReport,
)
from app.verification.seal_art import seal_images

__all__ = ["render_report_pdf", "seal_images", "write_report_pdf"]

log = logging.getLogger(__name__)

_FONT = "cjk"
_MARGIN = 15.0
_CONTENT_W = 180.0
_QR_SIZE = 36.0
#: Light modules around a QR code that scanners need to find it.
_QUIET_ZONE = 4
_SEAL_BOX = 40.0
_LABEL_W = 34.0
_CELL_PAD_X = 1.5
_REASON_H = 10.0
_MIN_SECTION_SPACE = 80.0

_INK = (17, 24, 39)
_MUTED = (90, 98, 112)
_RULE = (200, 204, 212)

_VERDICTS: dict[Verdict, Message] = {
    Verdict.VALID: Message("Valid", "有效"),
    Verdict.INVALID: Message("Invalid", "无效"),
    Verdict.INDETERMINATE: Message("Indeterminate", "无法确定"),
    Verdict.CANNOT_VERIFY: Message("Cannot verify", "无法验证"),
}
_VERDICT_COLOURS: dict[Verdict, tuple[int, int, int]] = {
    Verdict.VALID: (21, 128, 61),
    Verdict.INVALID: (185, 28, 28),
    Verdict.INDETERMINATE: (180, 83, 9),
    Verdict.CANNOT_VERIFY: (75, 85, 99),
}
_TIME_SOURCES: dict[TimeSource, Message] = {
    TimeSource.TIMESTAMP_AUTHORITY: Message("timestamp authority", "时间戳服务机构"),
    TimeSource.LOCAL_CLOCK: Message("signer's local clock", "签章方本地时钟"),
    TimeSource.UNKNOWN: Message("unknown", "未知"),
}
_COVERAGE: dict[Coverage, Message] = {
    Coverage.WHOLE_FILE: Message("whole file", "整个文件"),
    Coverage.REVISION: Message("its revision of the file", "文件的签章时版本"),
    Coverage.PARTIAL: Message("part of the file", "文件的一部分"),
}
_TRUST: dict[Trust, Message] = {
    Trust.TRUSTED: Message("trusted", "可信"),
    Trust.UNTRUSTED: Message("untrusted", "不可信"),
    Trust.NOT_CHECKED: Message("not checked", "未检查"),
}
_REVOCATION: dict[Revocation, Message] = {
    Revocation.GOOD_EMBEDDED: Message(
        "not revoked (embedded data)", "未吊销（文件内嵌数据）"
    ),
    Revocation.GOOD_ONLINE: Message("not revoked (online)", "未吊销（在线查询）"),
    Revocation.GOOD_CRL_FILE: Message(
        "not revoked (CRL file of the desk)", "未吊销（本机 CRL 文件）"
    ),
    Revocation.GOOD_CACHED: Message("not revoked (cached data)", "未吊销（缓存数据）"),
    Revocation.REVOKED: Message("revoked", "已吊销"),
    Revocation.NOT_CHECKED: Message("not checked", "未检查"),
}
_CHANGES: dict[ChangeKind, Message] = {
    ChangeKind.LATER_SIGNATURE: Message("later signature", "后续签章"),
    ChangeKind.VALIDATION_DATA: Message("validation data", "验证数据"),
    ChangeKind.DOCUMENT_TIMESTAMP: Message("document timestamp", "文档时间戳"),
    ChangeKind.FORM_FIELDS: Message("form fields filled", "填写表单域"),
    ChangeKind.ANNOTATIONS: Message("annotations", "注释"),
    ChangeKind.PAGES: Message("pages", "页面"),
    ChangeKind.CONTENT: Message("content", "页面内容"),
    ChangeKind.OTHER: Message("other", "其他"),
}


@dataclass(frozen=True)
class _Row:
    """One line of a table: a bilingual label and its value."""

    label: Message
    value: str
    #: Shrink the value's type so that it stays on one line (for hashes).
    one_line: bool = False


def render_report_pdf(report: VerificationReport, document: Path) -> bytes:
    """The report of ``document`` as the bytes of an A4 PDF.

    ``document`` is the verified file; its name, size and seal images are
    read from it. A file that cannot be read still gets a report.

    :raises ReportFontError: when no CJK font is installed.
    """
    pdf = _ReportPdf(document.name)
    _title(pdf)
    _document_section(pdf, report, document)
    _verdict_section(pdf, report)
    if report.evidence is not None:
        _evidence_section(pdf, report.evidence)
    images = _images_by_field(document)
    for number, signature in enumerate(report.signatures, start=1):
        _signature_section(pdf, number, signature, images.get(signature.field))
    return bytes(pdf.output())


def write_report_pdf(report: VerificationReport, document: Path, out: Path) -> None:
    """Write the report of ``document`` to ``out``, which must not exist.

    The PDF goes to a ``.part`` file beside ``out``, is flushed to disk and
    then linked into place, so ``out`` is either absent or complete and an
    existing file is never replaced.

    :raises InputError: when ``out`` exists or cannot be written.
    :raises ReportFontError: when no CJK font is installed.
    """
    if out.exists():
        raise _exists(out)
    data = render_report_pdf(report, document)
    part = out.with_name(f"{out.name}.{secrets.token_hex(4)}.part")
    stream = None
    try:
        stream = create_part(part)
        stream.write(data)
        flush_to_disk(stream)
        stream.close()
        link_into_place(part, out)
    except FileExistsError as exc:
        raise _exists(out) from exc
    except OSError as exc:
        raise InputError(
            f"{out}: the report cannot be written ({exc.strerror or exc}).",
            f"{out}：无法写入验章报告（{exc.strerror or exc}）。",
        ) from exc
    finally:
        discard(stream, part)
    with contextlib.suppress(OSError):
        fsync_folder(out.parent)
    log.info("verification report written to %s", out)


def _exists(out: Path) -> InputError:
    return InputError(
        f"{out}: the file already exists; the report is not written over it.",
        f"{out}：文件已存在，验章报告不会覆盖它。",
    )


class _ReportPdf(FPDF):
    """An A4 page with the report's font and a bilingual page footer."""

    def __init__(self, file_name: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        face = report_font()
        self.add_font(_FONT, "", str(face.path), collection_font_number=face.index)
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(True, margin=18)
        self.set_title(f"验章报告 Signature verification report: {file_name}")
        self.set_creator("SealDesk")
        self.set_lang("zh-CN")
        self.alias_nb_pages()
        self.add_page()

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(_FONT, size=7.5)
        self.set_text_color(*_MUTED)
        self.cell(
            0,
            5,
            f"SealDesk 电子印章桌面端 · 第 {self.page_no()} 页，共 {{nb}} 页 · "
            f"Page {self.page_no()} of {{nb}}",
            align="C",
        )


def _title(pdf: _ReportPdf) -> None:
    pdf.set_text_color(*_INK)
    pdf.set_font(_FONT, size=22)
    pdf.cell(0, 11, "验章报告", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FONT, size=13)
    pdf.set_text_color(*_MUTED)
    pdf.cell(0, 7, "Signature verification report", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _rule(pdf)


def _rule(pdf: _ReportPdf) -> None:
    pdf.ln(2)
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.3)
    pdf.line(_MARGIN, pdf.get_y(), _MARGIN + _CONTENT_W, pdf.get_y())
    pdf.ln(3)


def _heading(pdf: _ReportPdf, zh: str, en: str) -> None:
    if pdf.will_page_break(_MIN_SECTION_SPACE / 2):
        pdf.add_page()
    pdf.set_text_color(*_INK)
    pdf.set_font(_FONT, size=13)
    pdf.cell(pdf.get_string_width(zh) + 3, 8, zh)
    pdf.set_font(_FONT, size=11)
    pdf.set_text_color(*_MUTED)
    pdf.cell(0, 8, en, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _document_section(
    pdf: _ReportPdf, report: VerificationReport, document: Path
) -> None:
    _heading(pdf, "文件", "Document")
    top = pdf.get_y()
    rows = [
        _Row(Message("File name", "文件名"), document.name),
        _Row(Message("Size", "大小"), _size(document)),
        _Row(Message("SHA-256", "SHA-256"), report.sha256 or "-", one_line=True),
        _Row(Message("Checked at", "核验时间"), _time(report.checked_at)),
    ]
    table_w = _CONTENT_W - _QR_SIZE - 6
    _table(pdf, rows, table_w)
    bottom = pdf.get_y()
    if report.sha256:
        qr_x = _MARGIN + _CONTENT_W - _QR_SIZE
        _qr(pdf, report.sha256, qr_x, top, _QR_SIZE)
        pdf.set_xy(qr_x - 4, top + _QR_SIZE + 1)
        pdf.set_font(_FONT, size=7)
        pdf.set_text_color(*_MUTED)
        pdf.multi_cell(_QR_SIZE + 8, 3.2, "SHA-256 二维码\nSHA-256 QR code", align="C")
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(_MARGIN, bottom)
    _rule(pdf)


def _verdict_section(pdf: _ReportPdf, report: VerificationReport) -> None:
    _heading(pdf, "验章结论", "Overall verdict")
    _verdict_badge(pdf, report.verdict)
    pdf.set_font(_FONT, size=9)
    pdf.set_text_color(*_INK)
    count = len(report.signatures)
    pdf.cell(0, 6, f"签章数量 Signatures: {count}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _reasons(pdf, report.reasons, _CONTENT_W)
    _rule(pdf)


def _evidence_section(pdf: _ReportPdf, evidence: EvidenceInfo) -> None:
    _heading(pdf, "区块链存证", "Evidence on the chain")
    state = (
        Message("anchored", "已上链")
        if evidence.anchored
        else Message("not anchored", "尚未上链")
    )
    rows = [_Row(Message("Status", "状态"), f"{_both(state)} ({evidence.state})")]
    if evidence.batch_root is not None:
        rows.append(
            _Row(Message("Batch root", "批次根"), evidence.batch_root, one_line=True)
        )
    if evidence.tx_hash is not None:
        rows.append(
            _Row(Message("Transaction", "交易哈希"), evidence.tx_hash, one_line=True)
        )
    if evidence.anchored:
        rows += [
            _Row(Message("Block", "区块"), str(evidence.block_number)),
            _Row(Message("Anchored at", "上链时间"), evidence.anchored_at or "-"),
            _Row(Message("Confirmations", "确认数"), str(evidence.confirmations)),
        ]
    check = evidence.chain_check
    if check is not None:
        outcome = check.outcome
        if check.reason is not None:
            outcome += f"\n{check.reason.zh}\n{check.reason.en}"
        rows.append(_Row(Message("Chain check", "链上核验"), outcome))
    rows.append(_Row(Message("Note", "说明"), _both(evidence.note, "\n")))
    _table(pdf, rows, _CONTENT_W)
    _rule(pdf)


def _verdict_badge(pdf: _ReportPdf, verdict: Verdict) -> None:
    text = _VERDICTS.get(verdict, Message(verdict.value, verdict.value))
    colour = _VERDICT_COLOURS.get(verdict, _MUTED)
    pdf.set_fill_color(*colour)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font(_FONT, size=15)
    label = f"{text.zh}  {text.en}"
    width = pdf.get_string_width(label) + 12
    pdf.cell(
        width, 11, label, fill=True, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(2)


def _signature_section(
    pdf: _ReportPdf, number: int, sig: SignatureReport, seal: Image.Image | None
) -> None:
    if pdf.will_page_break(_MIN_SECTION_SPACE):
        pdf.add_page()
    _heading(pdf, f"签章 {number}：{sig.field}", f"Signature {number}: {sig.field}")
    top, top_page = pdf.get_y(), pdf.page
    seal_bottom = _seal_box(pdf, seal, top)
    pdf.set_xy(_MARGIN, top)
    table_w = _CONTENT_W - _SEAL_BOX - 6
    _table(pdf, _signature_rows(sig), table_w, verdict=sig.verdict)
    if sig.reasons:
        pdf.ln(1)
        _reasons(pdf, sig.reasons, table_w)
    end = pdf.get_y()
    if pdf.page == top_page:
        end = max(end, seal_bottom)
    pdf.set_xy(_MARGIN, end)
    _rule(pdf)


def _signature_rows(sig: SignatureReport) -> list[_Row]:
    verdict = _VERDICTS.get(sig.verdict, Message(sig.verdict.value, sig.verdict.value))
    rows = [_Row(Message("Verdict", "结论"), _both(verdict))]
    if sig.seal is not None:
        seal = sig.seal
        rows.append(
            _Row(
                Message("Seal", "印章"),
                f"{seal.name}\n{seal.type_zh} {seal.type_en}",
            )
        )
    signer = sig.signer
    if signer is None:
        return rows
    time = sig.signing_time
    source = _TIME_SOURCES.get(time.source, Message(time.source.value, ""))
    coverage = _both(_COVERAGE.get(sig.coverage, Message(sig.coverage.value, "")))
    if sig.revision != sig.revisions:
        coverage += f"（{sig.revision}/{sig.revisions}）"
    rows += [
        _Row(Message("Signer", "签章人"), signer.name or "-"),
        _Row(Message("Organisation", "单位"), signer.organisation or "-"),
        _Row(Message("Certificate serial", "证书序列号"), signer.serial or "-"),
        _Row(Message("Issuer", "颁发者"), signer.issuer or "-"),
        _Row(
            Message("Signing time", "签章时间"),
            f"{_time(time.time) if time.time else '-'}\n{_both(source)}",
        ),
        _Row(
            Message("Integrity", "完整性"),
            _both(
                Message("intact", "完好") if sig.intact else Message("broken", "已破坏")
            ),
        ),
        _Row(Message("Coverage", "覆盖范围"), coverage),
        _Row(Message("Changes after signing", "签章后修改"), _changes(sig)),
        _Row(
            Message("Trust", "信任"),
            _both(_TRUST.get(sig.trust, _unknown(sig.trust.value))),
        ),
        _Row(
            Message("Revocation", "吊销状态"),
            _both(_REVOCATION.get(sig.revocation, sig.revocation_text)),
        ),
    ]
    return rows


def _changes(sig: SignatureReport) -> str:
    if not sig.changes:
        return _both(Message("none", "无"))
    lines = []
    for change in sig.changes:
        kind = _both(_CHANGES.get(change.kind, _unknown(change.kind.value)))
        lines.append(f"{kind}: {change.detail}" if change.detail else kind)
    return "\n".join(lines)


def _unknown(value: str) -> Message:
    return Message(value, value)


def _both(message: Message, between: str = " ") -> str:
    """Chinese, then English; once when both say the same."""
    if not message.zh or message.zh == message.en:
        return message.en
    return f"{message.zh}{between}{message.en}"


def _table(
    pdf: _ReportPdf, rows: Sequence[_Row], width: float, verdict: Verdict | None = None
) -> None:
    label_style = CellStyle(color=_MUTED, size_pt=8.5)
    value_style = CellStyle(color=_INK, size_pt=9)
    pdf.set_font(_FONT, size=9)
    pdf.set_draw_color(*_RULE)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_line_width(0.2)
    with pdf.table(
        width=width,
        col_widths=(_LABEL_W, width - _LABEL_W),
        align="LEFT",
        first_row_as_headings=False,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        line_height=4.6,
        padding=(1.2, _CELL_PAD_X, 1.2, _CELL_PAD_X),
        text_align=("LEFT", "LEFT"),
    ) as table:
        for index, item in enumerate(rows):
            row = table.row()
            row.cell(_both(item.label, "\n"), style=label_style)
            style = value_style
            if index == 0 and verdict is not None:
                style = CellStyle(color=_VERDICT_COLOURS.get(verdict, _INK), size_pt=10)
            elif item.one_line:
                room = width - _LABEL_W - 2 * _CELL_PAD_X - 1
                style = CellStyle(color=_INK, size_pt=_fitting_size(pdf, item, room))
            row.cell(item.value, style=style)


def _fitting_size(pdf: _ReportPdf, item: _Row, room: float) -> float:
    """The largest type size up to 9 pt at which the value fits ``room``."""
    pdf.set_font(_FONT, size=9)
    needed = pdf.get_string_width(item.value)
    return 9.0 if needed <= room else max(5.0, 9.0 * room / needed)


def _reasons(pdf: _ReportPdf, reasons: Sequence[Message], width: float) -> None:
    if not reasons:
        return
    pdf.set_font(_FONT, size=9)
    pdf.set_text_color(*_INK)
    pdf.cell(width, 5, "原因 Reasons", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for reason in reasons:
        if pdf.will_page_break(_REASON_H):
            pdf.add_page()  # keep both languages of a reason together
        pdf.set_font(_FONT, size=9)
        pdf.set_text_color(*_INK)
        pdf.set_x(_MARGIN + 3)
        pdf.multi_cell(
            width - 3, 4.6, f"• {reason.zh}", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_font(_FONT, size=8.5)
        pdf.set_text_color(*_MUTED)
        pdf.set_x(_MARGIN + 6)
        pdf.multi_cell(width - 6, 4.4, reason.en, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.8)


def _seal_box(pdf: _ReportPdf, image: Image.Image | None, top: float) -> float:
    """Draw the seal image (or a note) at the right; return its bottom."""
    x = _MARGIN + _CONTENT_W - _SEAL_BOX
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.2)
    pdf.rect(x, top, _SEAL_BOX, _SEAL_BOX)
    if image is not None:
        scale = min((_SEAL_BOX - 4) / image.width, (_SEAL_BOX - 4) / image.height)
        w, h = image.width * scale, image.height * scale
        pdf.image(
            image,
            x=x + (_SEAL_BOX - w) / 2,
            y=top + (_SEAL_BOX - h) / 2,
            w=w,
            h=h,
            alt_text="印章图像 Seal image",
        )
        caption = "印章图像\nSeal image"
    else:
        caption = "未找到印章图像\nNo seal image found"
    pdf.set_xy(x, top + _SEAL_BOX + 1)
    pdf.set_font(_FONT, size=7)
    pdf.set_text_color(*_MUTED)
    pdf.multi_cell(_SEAL_BOX, 3.2, caption, align="C")
    return float(pdf.get_y())


def _open_png(seal: bytes) -> Image.Image | None:
    try:
        image = Image.open(io.BytesIO(seal))
        image.load()
    except OSError as exc:
        log.warning("seal image cannot be shown: %s", exc)
        return None
    return image


def _images_by_field(document: Path) -> dict[str, Image.Image]:
    """The seal image of each signature field, by field name.

    A field whose widgets show the same image (a seal at several keyword
    hits) gives that image once; a riding seal (骑缝章), whose widgets show
    slices of equal height, gives the slices joined side by side again.
    """
    try:
        found = seal_images(document)
    except InputError as exc:
        log.info("no seal images from %s: %s", document, exc.en)
        return {}
    pieces: dict[str, list[bytes]] = {}
    for name, png in found:
        if png not in pieces.setdefault(name, []):
            pieces[name].append(png)
    images: dict[str, Image.Image] = {}
    for name, pngs in pieces.items():
        opened = [i for i in map(_open_png, pngs) if i is not None]
        if opened:
            images[name] = _joined(opened)
    return images


def _joined(pieces: list[Image.Image]) -> Image.Image:
    if len(pieces) == 1 or len({p.height for p in pieces}) != 1:
        return pieces[0]
    whole = Image.new("RGBA", (sum(p.width for p in pieces), pieces[0].height))
    x = 0
    for piece in pieces:
        whole.paste(piece.convert("RGBA"), (x, 0))
        x += piece.width
    return whole


def _qr(pdf: _ReportPdf, text: str, x: float, y: float, size: float) -> None:
    """Draw ``text`` as a QR code in a ``size`` square with its quiet zone.

    The dark modules are one filled vector path, so no seams show between
    neighbouring modules at any zoom.
    """
    code = segno.make(text, error="m", micro=False)
    matrix = code.matrix
    module = size / (len(matrix) + 2 * _QUIET_ZONE)
    x += _QUIET_ZONE * module
    y += _QUIET_ZONE * module
    pdf.set_fill_color(0, 0, 0)
    with pdf.new_path() as path:
        path.style.fill_color = "#000000"
        path.style.stroke_color = None
        for row_index, row in enumerate(matrix):
            for start, length in _runs(row):
                path.rectangle(
                    x + start * module, y + row_index * module, length * module, module
                )


def _runs(row: Sequence[int]) -> list[tuple[int, int]]:
    """The runs of dark modules in one row: ``(start, length)``."""
    runs: list[tuple[int, int]] = []
    start = None
    for index, value in enumerate([*row, 0]):
        if value and start is None:
            start = index
        elif not value and start is not None:
            runs.append((start, index - start))
            start = None
    return runs


def _size(document: Path) -> str:
    try:
        size = document.stat().st_size
    except OSError:
        return "-"
    return f"{size:,} 字节 bytes"


def _time(moment: dt.datetime) -> str:
    """UTC, and the desk's local time as well where that differs."""
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    utc = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    local = moment.astimezone()
    if local.utcoffset() == dt.timedelta(0):
        return utc
    offset = local.isoformat()[-6:]  # "+08:00"
    return f"{utc}\n{local.strftime('%Y-%m-%d %H:%M:%S')} (UTC{offset})"
