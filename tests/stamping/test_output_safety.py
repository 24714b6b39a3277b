"""The output is written through a .part file and verified; failures leave nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from certomancer.registry import KeyLabel
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import SimpleSigner

from app.stamping import (
    CoordinatePlacement,
    DocumentChangedError,
    Placement,
    RidingPlacement,
    SigningFailedError,
    StampRequest,
    VerificationFailedError,
    complete,
    discard,
    finish,
    prepare,
    sign_prepared,
    stamp,
)
from tests.stamping.documents import SEAL_MM, simple_pdf
from tests.stamping.inspect_pdf import assert_all_valid
from tests.stamping.pki import TestPki


def _request(source: Path, output: Path, seal: bytes) -> StampRequest:
    return StampRequest(
        input=source,
        output=output,
        seal_png=seal,
        seal_width_mm=SEAL_MM,
        seal_height_mm=SEAL_MM,
        placement=CoordinatePlacement(1, 100, 100),
    )


class RefusingSigner(SimpleSigner):
    """A signer whose key store refuses, as a real one may."""

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            return await super().async_sign_raw(data, digest_algorithm, dry_run)
        raise SigningError("the key store refused to sign")


def _wrong_key_signer(pki: TestPki) -> SimpleSigner:
    """The seal certificate with the TSA's key: signatures cannot verify."""
    honest = pki.signer()
    return SimpleSigner(
        signing_cert=honest.signing_cert,
        signing_key=pki.arch.key_set.get_private_key(KeyLabel("tsa")),
        cert_registry=honest.cert_registry,
    )


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "in.pdf")


def test_failing_signer_leaves_no_output(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    honest = pki.signer()
    signer = RefusingSigner(
        signing_cert=honest.signing_cert,
        signing_key=honest.signing_key,
        cert_registry=honest.cert_registry,
    )
    source = simple_pdf(tmp_path / "in.pdf")

    with pytest.raises(SigningFailedError, match="refused to sign"):
        stamp(_request(source, tmp_path / "o.pdf", seal), signer)

    assert _leftovers(tmp_path) == []


def test_output_failing_verification_is_deleted(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    source = simple_pdf(tmp_path / "in.pdf")

    with pytest.raises(VerificationFailedError) as caught:
        stamp(_request(source, tmp_path / "o.pdf", seal), _wrong_key_signer(pki))

    assert "deleted" in caught.value.en
    assert "已删除" in caught.value.zh
    assert _leftovers(tmp_path) == []


def test_prepare_writes_only_the_part_file_and_discard_removes_it(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    source = simple_pdf(tmp_path / "in.pdf")

    prepared = prepare(_request(source, tmp_path / "o.pdf", seal), pki.signer())

    assert _leftovers(tmp_path) == ["o.pdf.part"]
    assert len(prepared.document_digest) == 32
    discard(prepared)
    assert _leftovers(tmp_path) == []


def test_prepared_documents_can_be_finished_in_any_order(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    signer = pki.signer()
    first = prepare(
        _request(simple_pdf(tmp_path / "in.pdf"), tmp_path / "a.pdf", seal), signer
    )
    second = prepare(
        _request(simple_pdf(tmp_path / "in.pdf"), tmp_path / "b.pdf", seal), signer
    )

    done_b = finish(second, signer)
    done_a = finish(first, signer)

    assert_all_valid(done_a.output, pki)
    assert_all_valid(done_b.output, pki)
    assert _leftovers(tmp_path) == ["a.pdf", "b.pdf"]


def test_finish_with_another_certificate_is_refused(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    source = simple_pdf(tmp_path / "in.pdf")
    prepared = prepare(_request(source, tmp_path / "o.pdf", seal), pki.signer())

    with pytest.raises(SigningFailedError, match="another seal certificate"):
        finish(prepared, pki.signer("seal-expired"))

    assert _leftovers(tmp_path) == []


def test_result_hashes_match_the_files(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    import hashlib

    source = simple_pdf(tmp_path / "in.pdf")

    result = stamp(_request(source, tmp_path / "o.pdf", seal), pki.signer())

    assert result.sha256_before == hashlib.sha256(source.read_bytes()).hexdigest()
    assert result.sha256_after == hashlib.sha256(result.output.read_bytes()).hexdigest()
    assert result.output.read_bytes().startswith(source.read_bytes())


@pytest.mark.parametrize("where", ["original", "update", "signature"])
def test_bytes_changed_on_disk_before_the_check_are_caught(
    tmp_path: Path, pki: TestPki, seal: bytes, where: str
) -> None:
    """The check reads the file back: a byte changed on disk fails it."""
    source = simple_pdf(tmp_path / "in.pdf")
    signer = pki.signer()
    prepared = prepare(_request(source, tmp_path / "o.pdf", seal), signer)
    cms = sign_prepared(prepared, signer)
    size = source.stat().st_size
    hole = prepared.digest.reserved_region_start
    offset = {"original": size // 2, "update": size + 40, "signature": hole + 9}
    if where == "signature":
        # The signature value (the CMS's last bytes in B-B) is changed.
        cms = cms[:-5] + bytes([cms[-5] ^ 1]) + cms[-4:]
    else:
        # The update is still in memory for a document of this size.
        stream = prepared.memory if where == "update" else prepared.stream
        assert stream is not None
        stream.seek(offset[where])
        byte = stream.read(1)
        stream.seek(offset[where])
        stream.write(bytes([byte[0] ^ 1]))

    with pytest.raises(VerificationFailedError):
        complete(prepared, cms)

    assert _leftovers(tmp_path) == []


def test_a_document_changed_after_its_checks_is_refused(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    source = simple_pdf(tmp_path / "in.pdf")
    request = replace(
        _request(source, tmp_path / "o.pdf", seal), expected_sha256="0" * 64
    )

    with pytest.raises(DocumentChangedError, match="changed while"):
        stamp(request, pki.signer())

    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "placement", [CoordinatePlacement(1, 100, 100), RidingPlacement()]
)
def test_a_large_document_is_updated_in_place_in_the_part_file(
    tmp_path: Path,
    pki: TestPki,
    seal: bytes,
    monkeypatch: pytest.MonkeyPatch,
    placement: Placement,
) -> None:
    """Above the in-memory limit the copy on disk is parsed and appended to.

    The signed digest then starts from the hash taken while copying; a
    second seal goes the same way and the first stays valid.
    """
    import hashlib

    from app.stamping import engine

    monkeypatch.setattr(engine, "_IN_MEMORY", 100)
    source = simple_pdf(tmp_path / "in.pdf", count=3)
    request = replace(_request(source, tmp_path / "o.pdf", seal), placement=placement)

    prepared = prepare(request, pki.signer())
    assert prepared.memory is None
    assert prepared.prefix is not None
    result = finish(prepared, pki.signer())
    again = stamp(
        replace(request, input=result.output, output=tmp_path / "o2.pdf"), pki.signer()
    )

    assert len(assert_all_valid(again.output, pki)) == 2
    assert result.sha256_before == hashlib.sha256(source.read_bytes()).hexdigest()
    assert result.sha256_after == hashlib.sha256(result.output.read_bytes()).hexdigest()
    assert again.sha256_before == result.sha256_after
    assert _leftovers(tmp_path) == ["o.pdf", "o2.pdf"]
