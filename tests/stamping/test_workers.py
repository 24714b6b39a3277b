"""A stamping worker process reports what went wrong in it to the desk."""

from __future__ import annotations

from pathlib import Path

from app.stamping import CoordinatePlacement, StampRequest
from app.stamping.workers import SignerIdentity, stamping_workers
from tests.stamping.documents import SEAL_MM, simple_pdf
from tests.stamping.pki import TestPki


def test_an_unexpected_failure_comes_back_with_its_traceback(
    tmp_path: Path, pki: TestPki
) -> None:
    """Logging is off in a worker, so the traceback travels with the report."""
    cert = pki.cert("seal")
    request = StampRequest(
        input=simple_pdf(tmp_path / "in.pdf"),
        output=tmp_path / "out.pdf",
        seal_png=12345,  # type: ignore[arg-type]  # a fault no check expects
        seal_width_mm=SEAL_MM,
        seal_height_mm=SEAL_MM,
        placement=CoordinatePlacement(1, 100, 100),
    )
    identity = SignerIdentity(
        certificate=cert.dump(),
        chain=(pki.cert("org").dump(), pki.root.dump()),
        prefer_pss=False,
        embed_roots=True,
        signature_size=256,
    )

    with stamping_workers() as workers:
        workers.introduce(identity)
        workers.send(workers.idle[0], 7, request)
        _, message = workers.receive()

    kind, index, summary, trace = message
    assert (kind, index) == ("error", 7)
    assert summary.startswith("TypeError")
    assert "Traceback (most recent call last)" in trace
    assert "load_seal" in trace
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.pdf"]
