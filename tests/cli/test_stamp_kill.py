"""kill -9 at random moments of a batch: each document is all done or not at all.

A batch of 24 documents, in the threaded pipeline and in stamping worker
processes (their threshold lowered to the batch's size with
``SEALDESK_PROCESS_BATCH``), is stamped by the real ``sealdesk`` process,
which is killed with SIGKILL at a moment drawn at random (seeded, so a
failure can be replayed): after the n-th progress line, plus a random
fraction of a document's time. The next run heals what the killed one left
behind. After each round, every output on disk has exactly one usage-log
entry, one evidence leaf and one archive entry, and nothing else does: no
``.part`` file, no entry without its output.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.admin.store import reading
from app.demo.workspace import build_demo_workspace
from app.stamping.batch import PROCESS_BATCH_ENV
from app.workspace import GivenPassphrase, open_workspace
from hsm.provision import SOFTHSM_MODULE
from storage.usage_log import LogFilter, query
from tests.stamping.documents import simple_pdf
from tests.support.batches import WORKER_BATCH
from tests.support.cli import OFFICER_PASSWORD, officer_stamp, sealdesk_process

pytestmark = pytest.mark.hsm

PASSWORD = OFFICER_PASSWORD
ROUNDS = 4
BATCH = WORKER_BATCH


def _command(out: Path, root: Path, docs: list[Path]) -> list[str]:
    script = Path(sys.executable).with_name("sealdesk")
    return [str(script), "--workspace", str(root), *officer_stamp(docs, out)]


def _killed_run(command: list[str], rng: random.Random) -> int:
    """Start the batch, kill it after a random number of settled documents."""
    lines_before_kill = rng.randrange(0, BATCH - 1)
    proc = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None
    assert proc.stderr is not None
    proc.stdin.write(PASSWORD)
    proc.stdin.close()
    seen = 0
    while seen < lines_before_kill:
        line = proc.stderr.readline()
        if not line:
            break  # the batch ended first
        seen += line.startswith("[")
    try:
        # The kill lands somewhere inside the next document's work.
        proc.wait(timeout=rng.uniform(0.0, 0.25))
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    proc.stderr.close()
    return proc.returncode


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _state(root: Path) -> tuple[list[str], int, list[str]]:
    with open_workspace(root, GivenPassphrase(None)) as opened:
        entries = query(opened.db, LogFilter(action="stamp", limit=None))
        with reading(opened.db) as conn:
            leaves = conn.execute(
                "SELECT count(*) FROM evidence_leaves WHERE kind = 'stamp'"
            ).fetchone()[0]
            archived = [
                str(r[0])
                for r in conn.execute(
                    "SELECT sha256 FROM archive_entries WHERE kind = 'stamped'"
                )
            ]
    return sorted(str(e.details["sha256_after"]) for e in entries), leaves, archived


@pytest.mark.parametrize("workers", [False, True], ids=["threads", "processes"])
def test_random_kills_leave_every_document_whole_or_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: bool
) -> None:
    monkeypatch.setenv("SOFTHSM2_CONF", "unset")
    monkeypatch.delenv("SOFTHSM2_CONF")
    root = tmp_path / "demo"
    build_demo_workspace(root, "keyring", GivenPassphrase(None))
    module = tmp_path / "softhsm-copy.so"
    shutil.copyfile(SOFTHSM_MODULE, module)
    monkeypatch.setenv("SEALDESK_PKCS11_MODULES", str(module))
    monkeypatch.setenv(PROCESS_BATCH_ENV, str(BATCH if workers else 1000))
    rng = random.Random(int(os.environ.get("SEALDESK_KILL_SEED", "20261204")))
    outputs: list[Path] = []
    killed_mid_batch = 0

    for n in range(ROUNDS):
        src = tmp_path / f"in{n}"
        src.mkdir()
        docs = [simple_pdf(src / f"doc{i}.pdf") for i in range(BATCH)]
        before = {d: d.read_bytes() for d in docs}
        out = tmp_path / f"out{n}"
        out.mkdir()

        code = _killed_run(_command(out, root, docs), rng)
        killed_mid_batch += code == -signal.SIGKILL
        # The next run finishes or removes what the killed one left.
        heal_src = tmp_path / f"heal{n}"
        heal_src.mkdir()
        heal = simple_pdf(heal_src / "heal.pdf")
        healed = sealdesk_process(*_command(out, root, [heal])[1:], stdin=PASSWORD)
        assert healed.code == 0, healed.err
        outputs += sorted(p for p in out.iterdir())

        assert list(out.glob("*.part")) == [], f"round {n}"
        assert list((root / "pending").glob("*")) == [], f"round {n}"
        assert all(d.read_bytes() == before[d] for d in docs)
        logged, leaves, archived = _state(root)
        on_disk = sorted(_sha256(p) for p in outputs)
        assert logged == on_disk, f"round {n}: log and outputs differ"
        assert leaves == len(on_disk), f"round {n}: evidence leaves differ"
        assert sorted(archived) == on_disk, f"round {n}: archive differs"

    assert killed_mid_batch >= ROUNDS // 2  # the kills did land mid-batch
