"""Certified (DocMDP) documents, made with pyHanko's own signer."""

from __future__ import annotations

from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter

from tests.stamping.pki import TestPki


def certified_pdf(source: Path, target: Path, pki: TestPki, level: MDPPerm) -> Path:
    """``source`` certified by the test seal with DocMDP permission ``level``."""
    meta = signers.PdfSignatureMetadata(
        field_name="Author",
        certify=True,
        docmdp_permissions=level,
        subfilter=SigSeedSubFilter.PADES,
    )
    with source.open("rb") as handle, target.open("wb") as out:
        writer = IncrementalPdfFileWriter(handle)
        signers.PdfSigner(meta, pki.signer()).sign_pdf(writer, output=out)
    return target
