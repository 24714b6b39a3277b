"""Trust root files, and failures inside pyHanko that must not pass as valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn1crypto import pem
from certomancer.registry import ServiceLabel
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.sign.validation.dss import DocumentSecurityStore

from app.stamping import CoordinatePlacement, StampRequest, stamp
from app.verification import (
    Revocation,
    TrustRootError,
    Verdict,
    load_trust_roots,
    verify_pdf,
)
from app.verification import verify as verify_module
from app.verification.trust import load_crls
from tests.stamping.documents import SEAL_MM, simple_pdf
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


def _with_crls_in_dss(pki: TestPki, signed: Path, out: Path) -> Path:
    """Add the CAs' current CRLs to the file's DSS, as an archiver would."""
    registry = pki.arch.service_registry
    crls = [registry.get_crl(ServiceLabel(name)) for name in ("org", "root")]
    out.write_bytes(signed.read_bytes())
    with out.open("r+b") as handle:
        writer = IncrementalPdfFileWriter(handle)
        DocumentSecurityStore.supply_dss_in_writer(
            writer, None, certs=[pki.cert("org"), pki.root], crls=crls
        )
        writer.write_in_place()
    return out


def test_revoked_seal_with_embedded_crl_is_invalid(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    request = StampRequest(
        input=simple_pdf(tmp_path / "in.pdf"),
        output=tmp_path / "revoked.pdf",
        seal_png=seal,
        seal_width_mm=SEAL_MM,
        seal_height_mm=SEAL_MM,
        placement=CoordinatePlacement(1, 50.0, 50.0),
    )
    signed = stamp(request, pki.signer("seal-revoked")).output
    good = stamp_file(pki, seal, simple_pdf(tmp_path / "in2.pdf"), tmp_path / "g.pdf")

    revoked = verify_pdf(
        _with_crls_in_dss(pki, signed, tmp_path / "r2.pdf"), [pki.root], online=False
    )
    fine = verify_pdf(
        _with_crls_in_dss(pki, good, tmp_path / "g2.pdf"), [pki.root], online=False
    )

    assert revoked.verdict is Verdict.INVALID
    assert revoked.signatures[0].revocation is Revocation.REVOKED
    assert fine.verdict is Verdict.VALID, fine.to_json()
    assert fine.signatures[0].revocation is Revocation.GOOD_EMBEDDED


def _crl_files(pki: TestPki, folder: Path) -> list[Path]:
    """The test CAs' current CRLs as files, one PEM and one DER."""
    registry = pki.arch.service_registry
    org = folder / "org.crl"
    org.write_bytes(pem.armor("X509 CRL", registry.get_crl(ServiceLabel("org")).dump()))
    root = folder / "root.crl"
    root.write_bytes(registry.get_crl(ServiceLabel("root")).dump())
    return [org, root]


def test_crl_files_of_the_desk_answer_for_revocation(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    crls = load_crls(_crl_files(pki, tmp_path))
    request = StampRequest(
        input=simple_pdf(tmp_path / "in.pdf"),
        output=tmp_path / "revoked.pdf",
        seal_png=seal,
        seal_width_mm=SEAL_MM,
        seal_height_mm=SEAL_MM,
        placement=CoordinatePlacement(1, 50.0, 50.0),
    )
    revoked = stamp(request, pki.signer("seal-revoked")).output
    good = stamp_file(pki, seal, simple_pdf(tmp_path / "in2.pdf"), tmp_path / "g.pdf")

    bad = verify_pdf(revoked, [pki.root], online=False, crl_files=crls)
    fine = verify_pdf(good, [pki.root], online=False, crl_files=crls)
    without = verify_pdf(good, [pki.root], online=False)

    assert bad.verdict is Verdict.INVALID
    assert bad.signatures[0].revocation is Revocation.REVOKED
    assert fine.verdict is Verdict.VALID, fine.to_json()
    assert fine.signatures[0].revocation is Revocation.GOOD_CRL_FILE
    assert without.verdict is Verdict.INDETERMINATE


@pytest.mark.parametrize("content", [b"", b"not a crl", b"-----BEGIN X509 CRL-----\n"])
def test_unreadable_crl_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "ca.crl"
    path.write_bytes(content)

    with pytest.raises(TrustRootError, match=r"ca\.crl"):
        load_crls([path])
    with pytest.raises(TrustRootError):
        load_crls([tmp_path / "missing.crl"])


def test_each_seal_is_judged_on_its_own_certificate(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    """A second seal by a proven certificate is valid; by a revoked one, not."""

    def again(source: Path, name: str, cert_label: str, x_mm: float) -> Path:
        request = StampRequest(
            input=source,
            output=tmp_path / name,
            seal_png=seal,
            seal_width_mm=SEAL_MM,
            seal_height_mm=SEAL_MM,
            placement=CoordinatePlacement(1, x_mm, 50.0),
        )
        return stamp(request, pki.signer(cert_label)).output

    first = again(simple_pdf(tmp_path / "in.pdf"), "one.pdf", "seal", 50.0)
    twice = again(first, "two.pdf", "seal", 120.0)
    mixed = again(first, "mixed.pdf", "seal-revoked", 120.0)

    same = verify_pdf(
        _with_crls_in_dss(pki, twice, tmp_path / "two-crl.pdf"),
        [pki.root],
        online=False,
    )
    bad = verify_pdf(
        _with_crls_in_dss(pki, mixed, tmp_path / "mixed-crl.pdf"),
        [pki.root],
        online=False,
    )

    assert same.verdict is Verdict.VALID, same.to_json()
    assert [s.revocation for s in same.signatures] == [Revocation.GOOD_EMBEDDED] * 2
    assert bad.verdict is Verdict.INVALID
    assert [s.revocation for s in bad.signatures] == [
        Revocation.GOOD_EMBEDDED,
        Revocation.REVOKED,
    ]
