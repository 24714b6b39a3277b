"""The check every output passes before it is handed back: does it verify?

This is the engine's own self-check, not the verification service. It reads
the written file back from disk and asks whether the new signature is intact
(the digest of its byte ranges is the one signed), cryptographically valid
under the seal certificate, and covers the whole document.

Two readers do this, by level:

* A plain B-B seal judged without trust roots has no certificate path to
  build. The file is opened with PDFium, a second PDF engine independent of
  the pyHanko code that wrote it: its cross-reference table must be intact
  (not repaired), and its newest signature must hold exactly the CMS
  signature just made, over a byte range from the start of the file to its
  end. The CMS signature is then checked against the digest read from disk
  (``validate_sig_integrity``). pyHanko's reader would parse the signature's
  hex string one token at a time, which on a one-page batch costs more than
  the signing itself.
* B-T and up, or any check with trust roots, go through pyHanko's full
  validation with a certificate path and the time-stamp.

Either way the file is read from disk once, in one pass that yields three
hashes: the digest of the signed byte ranges (handed to pyHanko, which would
otherwise read the file again for it), the SHA-256 of the whole output, and
the SHA-256 of its first ``original_size`` bytes, the document as it was
before the seal was added.

For a large document the engine hashed those first bytes while copying them
into the ``.part`` file, and the digest that was signed was computed by
reading them back from that file; given that ``prefix`` hash, the pass
starts where the seal's revision starts. Should the bytes on disk differ
from the bytes copied, the signature does not match the digest checked here.
"""

from __future__ import annotations

import ctypes
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from asn1crypto import cms, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
from pyhanko.sign.validation.status import (
    PdfSignatureStatus,
    SignatureCoverageLevel,
)
from pyhanko_certvalidator import ValidationContext

from app.pdfium_lock import PDFIUM_LOCK
from app.stamping.errors import VerificationFailedError
from app.stamping.request import Level

__all__ = ["WrittenDocument", "verify_written"]

log = logging.getLogger(__name__)

_COVERAGE_OK = (
    SignatureCoverageLevel.ENTIRE_FILE,
    SignatureCoverageLevel.ENTIRE_REVISION,
)
_CHUNK = 1 << 20
_Ranges = tuple[int, int, int]  # first length, second start, second length


@dataclass(frozen=True)
class WrittenDocument:
    """The hashes of a verified output, read back from disk.

    ``sha256_before`` is the hash of the document before the new revision,
    or ``None`` when its length was not given.
    """

    sha256_before: str | None
    sha256_after: str


async def verify_written(
    path: Path,
    field_name: str,
    level: Level,
    context: ValidationContext | None,
    source: Path,
    judge_trust: bool,
    certificate: x509.Certificate | None = None,
    original_size: int | None = None,
    signature: bytes | None = None,
    prefix: hashlib._Hash | None = None,
) -> WrittenDocument:
    """Raise :class:`VerificationFailedError` unless the new seal verifies.

    Given the seal ``certificate`` and the CMS ``signature`` just made, a
    B-B seal judged without trust roots is checked by PDFium and
    ``validate_sig_integrity`` (see the module docs). ``original_size`` is
    the length of the document before the seal, and ``prefix`` the SHA-256
    state over those bytes if they were hashed already (see the module
    docs). ``context`` may be ``None`` only for such a B-B seal.
    """
    if (
        certificate is not None
        and signature is not None
        and level is Level.B_B
        and not judge_trust
    ):
        return _lean_check(path, signature, certificate, original_size, source, prefix)
    if context is None:
        raise ValueError("a validation context is needed beyond a plain B-B seal")
    with path.open("rb") as handle:
        reader = PdfFileReader(handle, strict=True)
        found = [
            s for s in reader.embedded_regular_signatures if s.field_name == field_name
        ]
        if len(found) != 1:
            _fail(source, "the new signature is missing")
        embedded = found[0]
        if embedded.evaluate_signature_coverage() not in _COVERAGE_OK:
            _fail(source, "the signature does not cover the whole document")
        ranges = _ranges([int(v) for v in embedded.byte_range], None, source)
        with path.open("rb", buffering=0) as raw:
            written, signed = _hash_once(raw, ranges, original_size, source, prefix)
        if embedded.external_md_algorithm == "sha256":
            # Where pyHanko looks first, so it does not read the file again.
            embedded.external_digests["sha256"] = signed
        status = await async_validate_pdf_signature(
            embedded, signer_validation_context=context
        )
        problem = _problem(status, level, trusted=judge_trust)
        if level is Level.B_LT and "/DSS" not in reader.root:
            problem = problem or "no validation data (DSS) was embedded"
    if problem:
        _fail(source, problem)
    log.debug("output verified: %s", field_name)
    return written


def _lean_check(
    path: Path,
    signature: bytes,
    certificate: x509.Certificate,
    original_size: int | None,
    source: Path,
    prefix: hashlib._Hash | None,
) -> WrittenDocument:
    with path.open("rb", buffering=0) as raw:
        size = raw.seek(0, 2)
        contents, byte_range = _newest_signature(path, size, source)
        if contents[: len(signature)] != signature or any(contents[len(signature) :]):
            _fail(source, "the file does not hold the new signature")
        ranges = _ranges(byte_range, size, source)
        written, signed = _hash_once(raw, ranges, original_size, source, prefix)
    problem = _integrity_problem(signature, certificate, signed)
    if problem:
        _fail(source, problem)
    log.debug("output verified by PDFium and its CMS signature")
    return written


def _newest_signature(path: Path, size: int, source: Path) -> tuple[bytes, list[int]]:
    """The contents and byte range of the signature that reaches the end."""
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            _fail(source, f"PDFium cannot open it ({exc})")
        try:
            raw = document.raw
            if not pdfium_c.FPDF_DocumentHasValidCrossReferenceTable(raw):
                _fail(source, "its cross-reference table is damaged")
            for index in range(pdfium_c.FPDF_GetSignatureCount(raw)):
                handle = pdfium_c.FPDF_GetSignatureObject(raw, index)
                byte_range = _byte_range(handle)
                if len(byte_range) == 4 and byte_range[2] + byte_range[3] == size:
                    return _contents(handle), byte_range
        finally:
            document.close()
    _fail(source, "the new signature is missing")


def _byte_range(handle: object) -> list[int]:
    count = pdfium_c.FPDFSignatureObj_GetByteRange(handle, None, 0)
    values = (ctypes.c_int * max(count, 1))()
    pdfium_c.FPDFSignatureObj_GetByteRange(handle, values, count)
    return list(values[:count])


def _contents(handle: object) -> bytes:
    length = pdfium_c.FPDFSignatureObj_GetContents(handle, None, 0)
    buffer = ctypes.create_string_buffer(max(length, 1))
    pdfium_c.FPDFSignatureObj_GetContents(handle, buffer, length)
    return buffer.raw[:length]


def _ranges(byte_range: list[int], size: int | None, source: Path) -> _Ranges:
    """The signed ranges, which must start at 0 and (given ``size``) reach it."""
    if len(byte_range) != 4 or byte_range[0] != 0:
        _fail(source, "the signature does not cover the whole document")
    _, first_length, second_start, second_length = byte_range
    if not 0 < first_length < second_start or second_length < 0:
        _fail(source, "the signature does not cover the whole document")
    if size is not None and second_start + second_length != size:
        _fail(source, "the signature does not cover the whole document")
    return first_length, second_start, second_length


def _hash_once(
    raw: BinaryIO,
    ranges: _Ranges,
    original_size: int | None,
    source: Path,
    prefix: hashlib._Hash | None = None,
) -> tuple[WrittenDocument, bytes]:
    """Read the file once: the whole and prefix hashes and the signed digest."""
    first_length, second_start, second_length = ranges
    end = raw.seek(0, 2)
    if original_size is not None and not 0 < original_size <= first_length:
        _fail(source, "the new revision does not follow the original document")
    buffer = bytearray(_CHUNK)
    before: hashlib._Hash | None
    if prefix is not None and original_size is not None:
        whole, before = prefix.copy(), prefix.copy()
        _feed(raw, buffer, original_size, first_length, (whole,))
    else:
        whole = hashlib.sha256()
        before = _feed(raw, buffer, 0, first_length, (whole,), mark=original_size)
    signed = whole.copy()
    _feed(raw, buffer, first_length, second_start, (whole,))
    _feed(raw, buffer, second_start, second_start + second_length, (whole, signed))
    _feed(raw, buffer, second_start + second_length, end, (whole,))
    written = WrittenDocument(
        before.hexdigest() if before is not None else None, whole.hexdigest()
    )
    return written, signed.digest()


def _feed(
    raw: BinaryIO,
    buffer: bytearray,
    start: int,
    stop: int,
    hashers: tuple[hashlib._Hash, ...],
    mark: int | None = None,
) -> hashlib._Hash | None:
    """Feed bytes ``start``..``stop`` to every hasher.

    With ``mark`` inside that span, a copy of the first hasher's state at
    offset ``mark`` is returned.
    """
    raw.seek(start)
    marked = None
    view = memoryview(buffer)
    position = start
    while position < stop:
        wanted = min(len(buffer), stop - position)
        if mark is not None and position < mark < position + wanted:
            wanted = mark - position
        count = raw.readinto(view[:wanted])  # type: ignore[attr-defined]
        if not count:
            break
        for hasher in hashers:
            hasher.update(view[:count])
        position += count
        if mark is not None and position == mark and marked is None:
            marked = hashers[0].copy()
    return marked


def _integrity_problem(
    signature: bytes, certificate: x509.Certificate, digest: bytes
) -> str | None:
    signer_info = cms.ContentInfo.load(signature)["content"]["signer_infos"][0]
    sid = signer_info["sid"]
    if sid.name != "issuer_and_serial_number" or (
        sid.chosen["serial_number"].native != certificate.serial_number
        or sid.chosen["issuer"].dump() != certificate.issuer.dump()
    ):
        return "the signature names another certificate"
    intact, valid = validate_sig_integrity(
        signer_info,
        certificate,
        expected_content_type="data",
        actual_digest=digest,
    )
    if not (intact and valid):
        return "the signature does not match the document"
    return None


def _problem(status: PdfSignatureStatus, level: Level, trusted: bool) -> str | None:
    if not (status.intact and status.valid):
        return "the signature does not match the document"
    if status.coverage not in _COVERAGE_OK or status.docmdp_ok is False:
        return "the signature does not cover the whole document"
    if trusted and not status.trusted:
        return "the seal certificate is not trusted"
    if level is not Level.B_B:
        stamp = status.timestamp_validity
        if stamp is None or not (stamp.intact and stamp.valid):
            return "the signature time-stamp is missing or invalid"
        if trusted and not stamp.trusted:
            return "the time-stamp authority is not trusted"
    return None


def _fail(source: Path, problem: str) -> NoReturn:
    raise VerificationFailedError(
        f"{source}: the stamped output did not verify ({problem}); it was deleted.",
        f"{source}：盖章后的文件未通过验证（{problem}），已删除。",
        source,
    )
