"""Pre-stamp checks: refuse what cannot or must not be stamped, up front.

Certified documents: a certification signature's DocMDP level P=1 forbids
any change. P=2 and P=3 allow signing, but pyHanko's strict difference
analysis (which SealDesk's verifier uses) only accepts *invisible* new
signature fields after a certification, and a seal is always visible; so a
seal would turn the certification into "cannot verify". Every certified
document is therefore refused, with the reason naming its level.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.crypt.permissions import StandardPermissions
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import read_certification_data

from app.stamping.errors import (
    CertificateValidityError,
    CertifiedDocumentError,
    EncryptedDocumentError,
    OutputPathError,
)

__all__ = [
    "check_certificate",
    "check_document",
    "check_output_path",
    "part_path",
]

log = logging.getLogger(__name__)

_MODIFY = (
    StandardPermissions.ALLOW_MODIFICATION_GENERIC
    | StandardPermissions.ALLOW_ANNOTS_FORM_FILLING
    | StandardPermissions.ALLOW_FORM_FILLING
)


def part_path(output: Path) -> Path:
    """Where the output is written before it is renamed into place."""
    return output.with_name(output.name + ".part")


def check_output_path(source: Path, output: Path, overwrite: bool) -> None:
    """Refuse an output that is the input, exists (unless allowed) or is busy."""
    if output.resolve() == source.resolve() or _same_file(source, output):
        raise OutputPathError(
            f"{source}: the output must be a different file from the input.",
            f"{source}：输出文件不能与输入文件相同。",
            source,
        )
    if output.exists() and not overwrite:
        raise OutputPathError(
            f"{output}: the output file already exists.",
            f"{output}：输出文件已存在。",
            output,
        )
    if not output.parent.is_dir():
        raise OutputPathError(
            f"{output}: the output folder does not exist.",
            f"{output}：输出文件夹不存在。",
            output,
        )
    part = part_path(output)
    if part.exists():
        raise OutputPathError(
            f"{part}: a partial output is in the way; another stamping may be "
            "writing it, or an interrupted one left it (delete it if so).",
            f"{part}：存在未完成的输出文件，可能另一次盖章正在写入，"
            "或上次盖章中断后遗留（如是后者请删除）。",
            output,
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_certificate(
    cert: asn1_x509.Certificate | None, source: Path, now: dt.datetime
) -> None:
    """Refuse a signer without a certificate, or outside its validity."""
    if cert is None:
        raise CertificateValidityError(
            f"{source}: the seal has no certificate.",
            f"{source}：该印章没有证书。",
            source,
        )
    name = cert.subject.human_friendly
    not_before = cert.not_valid_before
    not_after = cert.not_valid_after
    if now < not_before:
        raise CertificateValidityError(
            f"{source}: the seal certificate ({name}) is not valid before "
            f"{not_before:%Y-%m-%d %H:%M} UTC.",
            f"{source}：印章证书（{name}）在 {not_before:%Y-%m-%d %H:%M} UTC "
            "之前尚未生效。",
            source,
        )
    if now > not_after:
        raise CertificateValidityError(
            f"{source}: the seal certificate ({name}) expired on "
            f"{not_after:%Y-%m-%d %H:%M} UTC.",
            f"{source}：印章证书（{name}）已于 {not_after:%Y-%m-%d %H:%M} UTC 过期。",
            source,
        )


def check_document(reader: PdfFileReader, source: Path) -> None:
    """Refuse encrypted documents and documents certified against changes."""
    if reader.encrypted:
        _refuse_encrypted(reader, source)
    certification = read_certification_data(reader)
    if certification is None:
        return
    level = certification.permission
    if level is MDPPerm.NO_CHANGES:
        raise CertifiedDocumentError(
            f"{source}: a certification signature (DocMDP P=1) forbids any change.",
            f"{source}：文档已被认证签名锁定（DocMDP P=1），不允许任何修改。",
            source,
        )
    raise CertifiedDocumentError(
        f"{source}: the document is certified (DocMDP P={level.value}); a new "
        "visible seal after a certification signature does not verify strictly.",
        f"{source}：文档带有认证签名（DocMDP P={level.value}），"
        "在其后加盖可见印章将无法通过严格验证。",
        source,
    )


def _refuse_encrypted(reader: PdfFileReader, source: Path) -> None:
    result = reader.decrypt(b"")
    opened = result.status in (AuthStatus.USER, AuthStatus.OWNER)
    flags = result.permission_flags
    forbidden = isinstance(flags, StandardPermissions) and not flags & _MODIFY
    if opened and forbidden:
        raise EncryptedDocumentError(
            f"{source}: the document's permissions forbid changes.",
            f"{source}：文档权限设置禁止修改。",
            source,
        )
    raise EncryptedDocumentError(
        f"{source}: the document is encrypted; SealDesk stamps only unencrypted PDFs.",
        f"{source}：文档已加密，SealDesk 只能对未加密的 PDF 盖章。",
        source,
    )
