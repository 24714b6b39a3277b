"""The check every output passes before it is handed back: does it verify?

This is the engine's own self-check, not the verification service. It
re-reads the written file with pyHanko's strict reader and asks whether the
new signature is intact (the digest of its byte ranges is the one signed),
cryptographically valid under the seal certificate, and covers the whole
document. For B-T and up it also checks the time-stamp, and when trust roots
were given, trust; those two need pyHanko's full validation with a
certificate path.

A plain B-B stamp without trust roots has no path to build, so the check
stops at integrity, validity and coverage (``validate_sig_integrity``); that
is what decides whether the bytes on disk are the sealed document, at a
fraction of the full validation's cost in a batch.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import NoReturn

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import (
    PdfSignatureStatus,
    SignatureCoverageLevel,
)
from pyhanko_certvalidator import ValidationContext

from app.stamping.errors import VerificationFailedError
from app.stamping.request import Level

__all__ = ["verify_written"]

log = logging.getLogger(__name__)

_COVERAGE_OK = (
    SignatureCoverageLevel.ENTIRE_FILE,
    SignatureCoverageLevel.ENTIRE_REVISION,
)


async def verify_written(
    path: Path,
    field_name: str,
    level: Level,
    context: ValidationContext,
    source: Path,
    judge_trust: bool,
    certificate: x509.Certificate | None = None,
) -> None:
    """Raise :class:`VerificationFailedError` unless the new seal verifies.

    Given the seal ``certificate``, a B-B seal judged without trust roots is
    checked for integrity, validity and coverage only (see the module docs).
    """
    with path.open("rb") as handle:
        reader = PdfFileReader(handle, strict=True)
        found = [
            s for s in reader.embedded_regular_signatures if s.field_name == field_name
        ]
        if len(found) != 1:
            _fail(source, "the new signature is missing")
        if certificate is not None and level is Level.B_B and not judge_trust:
            problem = _integrity_problem(found[0], certificate)
        else:
            status = await async_validate_pdf_signature(
                found[0], signer_validation_context=context
            )
            problem = _problem(status, level, trusted=judge_trust)
        if level is Level.B_LT and "/DSS" not in reader.root:
            problem = problem or "no validation data (DSS) was embedded"
    if problem:
        _fail(source, problem)
    log.debug("output verified: %s", field_name)


def _integrity_problem(
    signature: EmbeddedPdfSignature, certificate: x509.Certificate
) -> str | None:
    if signature.signer_cert.dump() != certificate.dump():
        return "the signature names another certificate"
    if signature.evaluate_signature_coverage() not in _COVERAGE_OK:
        return "the signature does not cover the whole document"
    intact, valid = validate_sig_integrity(
        signature.signer_info,
        signature.signer_cert,
        expected_content_type="data",
        actual_digest=signature.compute_digest(),
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
