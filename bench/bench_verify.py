"""Verification throughput: ``verify_pdf`` against bare pyHanko validation.

N documents are stamped with the test PKI, each with two seals (the first
B-LT, so revocation data is embedded; the second B-B, so the first seal's
revision goes through difference analysis). Then, in this process and in
the same run, every file is verified by ``app.verification.verify_pdf``
(offline, trusting the test root) and by pyHanko's bare
``validate_pdf_signature`` on each signature with the same trust root.
That baseline checks no revocation at all; a second one gives pyHanko the
file's own DSS data and requires revocation status, as ``verify_pdf`` does
for such files. The figure is files per second, the median of several
rounds.
"""

from __future__ import annotations

import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

from app.stamping import Level
from app.verification import Verdict, verify_pdf
from tests.stamping.documents import seal_png, simple_pdf
from tests.stamping.pki import running_pki
from tests.verification.stamped import stamp_file

FILES = 20
ROUNDS = 3


def _bare(path: Path, root: x509.Certificate) -> None:
    with path.open("rb") as handle:
        reader = PdfFileReader(handle, strict=True)
        for sig in reader.embedded_regular_signatures:
            context = ValidationContext(trust_roots=[root], allow_fetching=False)
            validate_pdf_signature(sig, signer_validation_context=context)


def _bare_with_dss(path: Path, root: x509.Certificate) -> None:
    with path.open("rb") as handle:
        reader = PdfFileReader(handle, strict=True)
        dss = DocumentSecurityStore.read_dss(reader)
        for sig in reader.embedded_regular_signatures:
            context = dss.as_validation_context(
                {
                    "trust_roots": [root],
                    "allow_fetching": False,
                    "revocation_mode": "require",
                }
            )
            validate_pdf_signature(sig, signer_validation_context=context)


def _ours(path: Path, root: x509.Certificate) -> None:
    report = verify_pdf(path, [root], online=False)
    if report.verdict is not Verdict.VALID:
        raise SystemExit(f"{path} did not verify: {report.to_json()}")


def _files_per_second(
    action: Callable[[Path, x509.Certificate], None],
    files: list[Path],
    root: x509.Certificate,
) -> float:
    rates = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for path in files:
            action(path, root)
        rates.append(len(files) / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> int:
    # The test PKI's TSA/OCSP/CRL server logs every request; keep the output
    # to the figures.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with running_pki(folder) as pki:
            seal = seal_png()
            files = []
            for i in range(FILES):
                source = simple_pdf(folder / f"in-{i}.pdf", count=2)
                once = stamp_file(
                    pki, seal, source, folder / f"once-{i}.pdf", level=Level.B_LT
                )
                files.append(
                    stamp_file(pki, seal, once, folder / f"twice-{i}.pdf", x_mm=120)
                )
            _ours(files[0], pki.root)
            _bare(files[0], pki.root)  # warm both paths before timing
            _bare_with_dss(files[0], pki.root)
            ours = _files_per_second(_ours, files, pki.root)
            bare = _files_per_second(_bare, files, pki.root)
            with_dss = _files_per_second(_bare_with_dss, files, pki.root)
    print(
        f"verify throughput ({FILES} files, 2 seals each): {ours:.1f} files/s"
        f" | baseline pyHanko validate_pdf_signature: {bare:.1f} files/s"
        f" | ratio {ours / bare:.2f}"
    )
    print(
        f"verify throughput ({FILES} files, 2 seals each): {ours:.1f} files/s"
        f" | baseline pyHanko with the DSS, revocation required: {with_dss:.1f}"
        f" files/s | ratio {ours / with_dss:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
