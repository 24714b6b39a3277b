"""Pre-stamp checks and output safety: refusals name the file, leave nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyhanko.pdf_utils.crypt.permissions import StandardPermissions
from pyhanko.sign.fields import MDPPerm

from app.errors import SealDeskError
from app.stamping import (
    CertificateValidityError,
    CertifiedDocumentError,
    CoordinatePlacement,
    EncryptedDocumentError,
    InvalidRequestError,
    Level,
    OutputPathError,
    PlacementError,
    RefusalReason,
    SealImageError,
    StampingError,
    StampRequest,
    UnreadableDocumentError,
    stamp,
)
from tests.stamping.certify import certified_pdf
from tests.stamping.documents import SEAL_MM, encrypted_pdf, simple_pdf
from tests.stamping.pki import TestPki


def _request(source: Path, output: Path, seal: bytes, **kwargs: object) -> StampRequest:
    values: dict[str, object] = {
        "input": source,
        "output": output,
        "seal_png": seal,
        "seal_width_mm": SEAL_MM,
        "seal_height_mm": SEAL_MM,
        "placement": CoordinatePlacement(1, 100, 100),
    }
    values.update(kwargs)
    return StampRequest(**values)  # type: ignore[arg-type]


def _refused(
    request: StampRequest, signer: object, error: type[StampingError]
) -> StampingError:
    with pytest.raises(error) as caught:
        stamp(request, signer)  # type: ignore[arg-type]
    folder = request.output.parent
    kept = request.output.exists() and request.output.samefile(request.input)
    assert kept or not request.output.exists()
    assert not list(folder.glob("*.part"))
    refusal = caught.value
    assert isinstance(refusal, SealDeskError)
    assert str(request.input) in refusal.en
    assert str(request.input) in refusal.zh
    assert refusal.en != refusal.zh
    return refusal


def test_encrypted_document_is_refused(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    source = encrypted_pdf(tmp_path / "locked.pdf", "user-pw")

    refusal = _refused(
        _request(source, tmp_path / "o.pdf", seal), pki.signer(), EncryptedDocumentError
    )

    assert refusal.reason is RefusalReason.ENCRYPTED
    assert "encrypted" in refusal.en
    assert "加密" in refusal.zh


def test_permissions_forbidding_changes_are_named(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    source = encrypted_pdf(
        tmp_path / "readonly.pdf",
        user_password="",
        perms=StandardPermissions.ALLOW_PRINTING,
    )

    refusal = _refused(
        _request(source, tmp_path / "o.pdf", seal), pki.signer(), EncryptedDocumentError
    )

    assert "permissions forbid changes" in refusal.en
    assert "禁止修改" in refusal.zh


@pytest.mark.parametrize(
    ("level", "marker"),
    [
        (MDPPerm.NO_CHANGES, "P=1"),
        (MDPPerm.FILL_FORMS, "P=2"),
        (MDPPerm.ANNOTATE, "P=3"),
    ],
)
def test_certified_document_is_refused(
    tmp_path: Path, pki: TestPki, seal: bytes, level: MDPPerm, marker: str
) -> None:
    source = certified_pdf(
        simple_pdf(tmp_path / "in.pdf"), tmp_path / "certified.pdf", pki, level
    )

    refusal = _refused(
        _request(source, tmp_path / "o.pdf", seal), pki.signer(), CertifiedDocumentError
    )

    assert marker in refusal.en
    assert marker in refusal.zh


@pytest.mark.parametrize(
    "content",
    [b"just some text, no PDF at all\n", b"%PDF-1.7\n1 0 obj << /Type /Catalog", b""],
    ids=["text", "truncated", "empty"],
)
def test_unreadable_file_is_refused(
    tmp_path: Path, pki: TestPki, seal: bytes, content: bytes
) -> None:
    source = tmp_path / "broken.pdf"
    source.write_bytes(content)

    refusal = _refused(
        _request(source, tmp_path / "o.pdf", seal),
        pki.signer(),
        UnreadableDocumentError,
    )

    assert refusal.reason is RefusalReason.UNREADABLE


def test_missing_input_is_refused(tmp_path: Path, pki: TestPki, seal: bytes) -> None:
    _refused(
        _request(tmp_path / "nope.pdf", tmp_path / "o.pdf", seal),
        pki.signer(),
        UnreadableDocumentError,
    )


@pytest.mark.parametrize(
    ("label", "word"),
    [("seal-expired", "expired"), ("seal-future", "not valid before")],
)
def test_certificate_outside_validity_is_refused(
    tmp_path: Path, pki: TestPki, seal: bytes, label: str, word: str
) -> None:
    source = simple_pdf(tmp_path / "in.pdf")

    refusal = _refused(
        _request(source, tmp_path / "o.pdf", seal),
        pki.signer(label),
        CertificateValidityError,
    )

    assert word in refusal.en
    assert "测试办公室公章" in refusal.en


def test_output_may_not_be_the_input(tmp_path: Path, pki: TestPki, seal: bytes) -> None:
    source = simple_pdf(tmp_path / "in.pdf")
    before = source.read_bytes()
    alias = tmp_path / "sub" / ".." / "in.pdf"
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.pdf"
    link.hardlink_to(source)

    for output in (source, alias, link):
        _refused(
            _request(source, output, seal, overwrite=True),
            pki.signer(),
            OutputPathError,
        )

    assert source.read_bytes() == before


def test_existing_output_is_not_overwritten_unless_asked(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    source = simple_pdf(tmp_path / "in.pdf")
    output = tmp_path / "o.pdf"
    output.write_bytes(b"keep me")

    with pytest.raises(OutputPathError):
        stamp(_request(source, output, seal), pki.signer())
    assert output.read_bytes() == b"keep me"

    stamp(_request(source, output, seal, overwrite=True), pki.signer())
    assert output.read_bytes().startswith(b"%PDF")


def test_a_leftover_part_file_blocks_and_is_kept(
    tmp_path: Path, pki: TestPki, seal: bytes
) -> None:
    source = simple_pdf(tmp_path / "in.pdf")
    part = tmp_path / "o.pdf.part"
    part.write_bytes(b"someone else's")

    with pytest.raises(OutputPathError, match="partial output"):
        stamp(_request(source, tmp_path / "o.pdf", seal), pki.signer())
    assert part.read_bytes() == b"someone else's"


@pytest.mark.parametrize(
    ("placement", "message"),
    [
        (CoordinatePlacement(3, 10, 10), "page 3 does not exist"),
        (CoordinatePlacement(0, 10, 10), "page 0 does not exist"),
        (CoordinatePlacement(-2, 10, 10), "page -2 does not exist"),
        (CoordinatePlacement(1, 500, 10), "outside page 1"),
    ],
)
def test_impossible_position_is_refused(
    tmp_path: Path,
    pki: TestPki,
    seal: bytes,
    placement: CoordinatePlacement,
    message: str,
) -> None:
    source = simple_pdf(tmp_path / "in.pdf")

    refusal = _refused(
        _request(source, tmp_path / "o.pdf", seal, placement=placement),
        pki.signer(),
        PlacementError,
    )

    assert message in refusal.en


def test_unusable_seal_image_is_refused(tmp_path: Path, pki: TestPki) -> None:
    source = simple_pdf(tmp_path / "in.pdf")

    _refused(
        _request(source, tmp_path / "o.pdf", b"not a png"), pki.signer(), SealImageError
    )
    _refused(
        _request(source, tmp_path / "o.pdf", b"", seal_width_mm=0.0),
        pki.signer(),
        SealImageError,
    )


def test_time_stamped_levels_need_their_services(tmp_path: Path, seal: bytes) -> None:
    source = tmp_path / "in.pdf"

    with pytest.raises(InvalidRequestError):
        _request(source, tmp_path / "o.pdf", seal, level=Level.B_T)
    with pytest.raises(InvalidRequestError):
        _request(
            source,
            tmp_path / "o.pdf",
            seal,
            level=Level.B_LT,
            tsa_url="http://127.0.0.1:9/",
        )
