"""Trust root files, and failures inside pyHanko that must not pass as valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn1crypto import pem
from pyhanko.pdf_utils.misc import PdfReadError

from app.verification import TrustRootError, Verdict, load_trust_roots, verify_pdf
from app.verification import verify as verify_module
from tests.stamping.documents import simple_pdf
from tests.stamping.pki import TestPki
from tests.verification.stamped import stamp_file


def test_pem_bundle_and_der_files_are_read(tmp_path: Path, pki: TestPki) -> None:
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(
        pem.armor("CERTIFICATE", pki.root.dump())
        + pem.armor("CERTIFICATE", pki.cert("org").dump())
    )
    der = tmp_path / "root.cer"
    der.write_bytes(pki.root.dump())

    roots = load_trust_roots([bundle, der])

    assert [r.dump() for r in roots] == [
        pki.root.dump(),
        pki.cert("org").dump(),
        pki.root.dump(),
    ]


@pytest.mark.parametrize("content", [b"", b"garbage", b"-----BEGIN X-----\n"])
def test_unreadable_trust_root_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "root.pem"
    path.write_bytes(content)

    with pytest.raises(TrustRootError):
        load_trust_roots([path])
    with pytest.raises(TrustRootError):
        load_trust_roots([tmp_path / "missing.pem"])


def test_failure_inside_validation_is_cannot_verify(
    tmp_path: Path, pki: TestPki, seal: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed = stamp_file(pki, seal, simple_pdf(tmp_path / "in.pdf"), tmp_path / "s.pdf")

    async def broken(*args: object, **kwargs: object) -> object:
        raise PdfReadError("damaged object stream")

    monkeypatch.setattr(verify_module, "async_validate_pdf_signature", broken)
    report = verify_pdf(signed, [pki.root])

    (sig,) = report.signatures
    assert sig.verdict is Verdict.CANNOT_VERIFY
    assert "damaged object stream" in sig.reasons[0].en
    assert report.verdict is Verdict.CANNOT_VERIFY
    assert report.exit_code == 2
