"""Batch stamping on the demo desk against bare pyHanko on the same token key.

A batch of one-page documents is stamped by the stamping service (policy,
one token login, pipelined preparation, usage log, evidence, archive) with
the demo's contract seal on its SoftHSM2 RSA-2048 key. The baseline signs the
same documents in the same run with pyHanko's own PKCS#11 signer on the same
key, one after the other, with no policy, logging or self-check. A second
figure runs a batch of 20 on a token slowed to 300 ms per signature, against
the 20 × 300 ms floor.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pkcs11
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.pkcs11 import PKCS11Signer

from app.admin.auth import login_password
from app.demo.workspace import HSM_LABEL, HSM_PIN, build_demo_workspace
from app.stamping.batch import stamp_documents
from app.stamping.placement import CoordinatePlacement
from app.stamping.service import StampJob
from app.workspace import GivenPassphrase, open_workspace
from hsm import TokenManager
from hsm.faults import SlowToken, with_faults
from hsm.provision import SOFTHSM_MODULE
from tests.stamping.documents import simple_pdf
from tests.support.softhsm import FixedPinHandler

BATCH = int(os.environ.get("SEALDESK_BENCH_BATCH", "200"))
SLOW_BATCH = 20
SLOW_DELAY = 0.3
PASSPHRASE = "bench passphrase for the demo desk"


def _docs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True)
    return [simple_pdf(folder / f"doc{n:03d}.pdf") for n in range(count)]


def _service_rate(root: Path, docs: list[Path], out: Path, wrap: object) -> float:
    module = str(root / f"module-{out.name}.so")
    shutil.copyfile(SOFTHSM_MODULE, module)
    out.mkdir()
    with open_workspace(root, GivenPassphrase(PASSPHRASE)) as opened:
        officer = login_password(opened.db, "张经办", "demo-officer-2026")
        job = StampJob(
            inputs=tuple(docs),
            outputs=tuple(out / d.name for d in docs),
            seal="合同专用章",
            placement=CoordinatePlacement(1, 150, 200),
            category="合同",
        )
        with TokenManager([module], poll_interval=None, wrap_calls=wrap) as tokens:  # type: ignore[arg-type]
            start = time.perf_counter()
            report = stamp_documents(opened, officer, job, tokens, FixedPinHandler(""))
            elapsed = time.perf_counter() - start
    assert report.all_stamped, report
    return len(docs) / elapsed


def _bare_rate(root: Path, docs: list[Path], out: Path) -> float:
    module = str(root / "module-bare.so")
    shutil.copyfile(SOFTHSM_MODULE, module)
    out.mkdir()
    lib = pkcs11.lib(module)
    try:
        token = lib.get_token(token_label=HSM_LABEL)
        with token.open(user_pin=HSM_PIN) as session:
            signer = PKCS11Signer(
                session, cert_label="seal-contract", key_label="seal-contract"
            )
            meta = signers.PdfSignatureMetadata(field_name="Seal1")
            start = time.perf_counter()
            for doc in docs:
                with doc.open("rb") as src, (out / doc.name).open("wb") as dst:
                    signers.sign_pdf(
                        IncrementalPdfFileWriter(src), meta, signer, output=dst
                    )
            elapsed = time.perf_counter() - start
    finally:
        lib.finalize()
    return len(docs) / elapsed


def main() -> int:
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        root = folder / "desk"
        build_demo_workspace(root, "passphrase", GivenPassphrase(PASSPHRASE))
        os.environ["SOFTHSM2_CONF"] = str(root / "demo-tokens" / "softhsm2.conf")
        docs = _docs(folder / "in", BATCH)
        bare = _bare_rate(folder, docs, folder / "bare")
        ours = _service_rate(root, docs, folder / "batch", None)
        print(
            f"batch of {BATCH} one-page documents: {ours:.1f} docs/s | baseline "
            f"bare pyHanko PKCS#11 signing: {bare:.1f} docs/s | ratio {ours / bare:.2f}"
        )
        slow_docs = _docs(folder / "slow-in", SLOW_BATCH)
        wrap = with_faults(SlowToken(HSM_LABEL, delay=SLOW_DELAY))
        rate = _service_rate(root, slow_docs, folder / "slow", wrap)
        took = SLOW_BATCH / rate
        floor = SLOW_BATCH * SLOW_DELAY
        print(
            f"batch of {SLOW_BATCH} on a {SLOW_DELAY * 1000:.0f} ms token: "
            f"{took:.2f} s | baseline {SLOW_BATCH} x {SLOW_DELAY * 1000:.0f} ms: "
            f"{floor:.2f} s | ratio {took / floor:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
