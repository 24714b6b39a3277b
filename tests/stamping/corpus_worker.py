"""Stamping one corpus file in a worker process, for the corpus harness.

Each worker builds its software signer once from DER bytes handed over by the
parent, then stamps files one by one and reports a plain tuple per file.
"""

from __future__ import annotations

import io
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

from asn1crypto import keys, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.stamping import CoordinatePlacement, StampingError, StampRequest, stamp
from tests.stamping.documents import seal_png

_state: dict[str, object] = {}


def init(key_der: bytes, cert_der: bytes, chain_der: list[bytes]) -> None:
    """Per-worker set-up: the signer and the trust anchor."""
    chain = [x509.Certificate.load(c) for c in chain_der]
    _state["signer"] = SimpleSigner(
        signing_cert=x509.Certificate.load(cert_der),
        signing_key=keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )
    _state["root"] = chain[-1]
    _state["seal"] = seal_png(200)


def _context() -> ValidationContext:
    return ValidationContext(trust_roots=[_state["root"]], allow_fetching=False)


def stamp_file(source: str, output: str) -> tuple[str, str, str]:
    """``("stamped", "", "")``, ``("refused", reason, message)`` or
    ``("failure", type, traceback)``."""
    out = Path(output)
    request = StampRequest(
        input=Path(source),
        output=out,
        seal_png=_state["seal"],  # type: ignore[arg-type]
        seal_width_mm=20.0,
        seal_height_mm=20.0,
        placement=CoordinatePlacement(1, 15.0, 15.0),
        reason="语料测试",
        validation_context=_context,
    )
    try:
        result = stamp(request, _state["signer"])  # type: ignore[arg-type]
    except StampingError as exc:
        leftovers = [p.name for p in out.parent.glob(out.name + "*")]
        if leftovers:
            return ("failure", "left files behind", ", ".join(leftovers))
        return ("refused", exc.reason.value, exc.en)
    except Exception as exc:  # the harness exists to catch these
        return ("failure", type(exc).__name__, traceback.format_exc())
    problem = _independent_check(result.output, result.signature_field)
    if problem:
        return ("failure", "invalid output", problem)
    return ("stamped", _strictness(result.output), "")


def _strictness(output: Path) -> str:
    """Whether pyHanko's strict reader also accepts the output."""
    try:
        reader = PdfFileReader(io.BytesIO(output.read_bytes()), strict=True)
        reader.embedded_regular_signatures[-1].compute_integrity_info()
    except Exception:  # any complaint means "lenient only"
        return "lenient-only"
    return "strict"


def _independent_check(output: Path, field: str) -> str:
    reader = PdfFileReader(io.BytesIO(output.read_bytes()), strict=False)
    sigs = [s for s in reader.embedded_regular_signatures if s.field_name == field]
    if len(sigs) != 1:
        return "signature not found"
    status = validate_pdf_signature(sigs[0], _context())
    if not (status.intact and status.valid and status.trusted):
        return status.summary()
    if status.coverage.name != "ENTIRE_FILE":
        return f"coverage {status.coverage.name}"
    return ""


def serve(connection: Connection, setup: tuple[bytes, bytes, list[bytes]]) -> None:
    """Worker loop: receive ``(source, output)``, answer with the outcome."""
    init(*setup)
    while True:
        job = connection.recv()
        if job is None:
            return
        connection.send(stamp_file(*job))
