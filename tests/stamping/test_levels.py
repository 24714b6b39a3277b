"""PAdES levels: B-T carries a TSA time-stamp, B-LT also embeds revocation data."""

from __future__ import annotations

import io
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore

from app.stamping import CoordinatePlacement, Level, StampRequest, stamp
from tests.stamping.documents import SEAL_MM, simple_pdf
from tests.stamping.inspect_pdf import assert_all_valid
from tests.stamping.pdfsig import chain_accepted, run_pdfsig
from tests.stamping.pki import TestPki


def _request(
    source: Path, output: Path, seal: bytes, pki: TestPki, level: Level
) -> StampRequest:
    return StampRequest(
        input=source,
        output=output,
        seal_png=seal,
        seal_width_mm=SEAL_MM,
        seal_height_mm=SEAL_MM,
        placement=CoordinatePlacement(1, 100, 100),
        level=level,
        tsa_url=pki.tsa_url,
        validation_context=pki.validation_context,
    )


def test_b_t_has_a_trusted_signature_time_stamp(
    tmp_path: Path, pki: TestPki, nss: str, seal: bytes
) -> None:
    source = simple_pdf(tmp_path / "in.pdf")

    result = stamp(
        _request(source, tmp_path / "o.pdf", seal, pki, Level.B_T), pki.signer()
    )

    (status,) = assert_all_valid(result.output, pki)
    stamp_status = status.timestamp_validity
    assert stamp_status is not None
    assert stamp_status.intact
    assert stamp_status.valid
    assert stamp_status.trusted
    assert abs((stamp_status.timestamp - result.signing_time).total_seconds()) < 60
    assert "/DSS" not in PdfFileReader(io.BytesIO(result.output.read_bytes())).root
    (checked,) = run_pdfsig(result.output, nss)
    assert checked.valid
    assert chain_accepted(checked), checked.certificate


def test_b_lt_embeds_what_an_offline_verifier_needs(
    tmp_path: Path, pki: TestPki, nss: str, seal: bytes
) -> None:
    source = simple_pdf(tmp_path / "in.pdf")

    result = stamp(
        _request(source, tmp_path / "o.pdf", seal, pki, Level.B_LT), pki.signer()
    )

    reader = PdfFileReader(io.BytesIO(result.output.read_bytes()))
    dss = DocumentSecurityStore.read_dss(reader)
    assert dss.ocsps, "no OCSP response embedded"
    assert dss.crls, "no CRL embedded"
    offline = dss.as_validation_context(
        {
            "trust_roots": [pki.root],
            "allow_fetching": False,
            "revocation_mode": "hard-fail",
        }
    )
    (sig,) = reader.embedded_regular_signatures
    status = validate_pdf_signature(sig, offline)
    assert status.bottom_line, status.pretty_print_details()
    assert status.coverage.name == "ENTIRE_REVISION"
    assert status.modification_level.name == "LTA_UPDATES"
    assert status.timestamp_validity is not None
    (checked,) = run_pdfsig(result.output, nss)
    assert checked.valid
    assert chain_accepted(checked), checked.certificate


def test_offline_check_fails_without_embedded_data(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    """The B-LT check above can fail: a B-T file lacks the revocation data."""
    source = simple_pdf(tmp_path / "in.pdf")
    result = stamp(
        _request(source, tmp_path / "o.pdf", seal, pki, Level.B_T), pki.signer()
    )

    reader = PdfFileReader(io.BytesIO(result.output.read_bytes()))
    (sig,) = reader.embedded_regular_signatures
    offline = DocumentSecurityStore(None).as_validation_context(
        {
            "trust_roots": [pki.root],
            "allow_fetching": False,
            "revocation_mode": "hard-fail",
        }
    )
    status = validate_pdf_signature(sig, offline)

    assert not status.trusted
