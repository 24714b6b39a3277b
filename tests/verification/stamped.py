"""Stamping a test document with the test PKI's seal, for verification tests."""

from __future__ import annotations

from pathlib import Path

from app.stamping import CoordinatePlacement, Level, StampRequest, stamp
from tests.stamping.documents import SEAL_MM
from tests.stamping.pki import TestPki


def stamp_file(
    pki: TestPki,
    seal: bytes,
    source: Path,
    output: Path,
    level: Level = Level.B_B,
    x_mm: float = 50.0,
) -> Path:
    """Seal page 1 of ``source`` into ``output``."""
    request = StampRequest(
        input=source,
        output=output,
        seal_png=seal,
        seal_width_mm=SEAL_MM,
        seal_height_mm=SEAL_MM,
        placement=CoordinatePlacement(1, x_mm, 50.0),
        level=level,
        tsa_url=pki.tsa_url if level is not Level.B_B else None,
        validation_context=pki.validation_context if level is Level.B_LT else None,
    )
    return stamp(request, pki.signer()).output
