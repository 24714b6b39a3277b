"""Every PDF of the shared corpus is stamped and verifies, or is refused cleanly.

Files run in two worker processes; a worker that takes longer than
``PER_FILE_SECONDS`` on one file is killed and the file counted as a hang,
and a worker that dies is counted as a crash. B-B with a software key keeps
the run near a minute and a half on two cores. pyHanko checks every stamped
output (in the worker); poppler's pdfsig checks every tenth, because it adds
a process per file.
"""

from __future__ import annotations

import collections
import multiprocessing
import subprocess
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest
from certomancer.registry import KeyLabel

from tests.stamping import corpus_worker
from tests.stamping.pdfsig import chain_accepted, run_pdfsig
from tests.stamping.pki import TestPki

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
PER_FILE_SECONDS = 60.0
WORKERS = 2
PDFSIG_EVERY = 10


def _corpus_files() -> list[Path]:
    files = []
    for folder in ("qpdf", "pyhanko"):
        files.extend(
            sorted(
                p for p in (CORPUS / folder).rglob("*") if p.suffix.lower() == ".pdf"
            )
        )
    return files


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    job: tuple[Path, Path] | None = None
    started: float = 0.0


@dataclass
class _Tally:
    outcomes: dict[Path, tuple[str, str, str]] = field(default_factory=dict)

    def add(self, source: Path, outcome: tuple[str, str, str]) -> None:
        self.outcomes[source] = outcome


def _start(setup: tuple[bytes, bytes, list[bytes]]) -> _Worker:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(
        target=corpus_worker.serve, args=(child, setup), daemon=True
    )
    process.start()
    child.close()
    return _Worker(process, parent)


def _run_all(
    files: list[Path], out_dir: Path, setup: tuple[bytes, bytes, list[bytes]]
) -> _Tally:
    tally = _Tally()
    queue = collections.deque(
        (f, out_dir / f"{i:04d}.pdf") for i, f in enumerate(files)
    )
    workers = [_start(setup) for _ in range(WORKERS)]
    try:
        while queue or any(w.job for w in workers):
            for worker in workers:
                if worker.job is None and queue:
                    worker.job = queue.popleft()
                    worker.started = time.monotonic()
                    worker.connection.send(tuple(str(p) for p in worker.job))
            ready = wait([w.connection for w in workers if w.job], timeout=1.0)
            for index, worker in enumerate(workers):
                if worker.job is None:
                    continue
                source = worker.job[0]
                if worker.connection in ready:
                    try:
                        tally.add(source, worker.connection.recv())
                        worker.job = None
                        continue
                    except EOFError:
                        tally.add(source, ("failure", "worker crashed", ""))
                elif time.monotonic() - worker.started > PER_FILE_SECONDS:
                    tally.add(source, ("failure", "hang", f">{PER_FILE_SECONDS}s"))
                else:
                    continue
                worker.process.kill()
                worker.process.join()
                workers[index] = _start(setup)
    finally:
        for worker in workers:
            if worker.process.is_alive():
                worker.connection.send(None)
                worker.process.join(timeout=10)
                worker.process.kill()
    return tally


def _pdfsig_hangs_on(source: Path, nss: str) -> bool:
    try:
        subprocess.run(
            ["pdfsig", "-nssdir", nss, "-no-ocsp", str(source)],
            capture_output=True,
            timeout=20,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return True
    return False


@pytest.mark.slow
def test_corpus_is_stamped_or_refused_cleanly(
    tmp_path: Path, pki: TestPki, nss: str
) -> None:
    files = _corpus_files()
    assert len(files) > 700, "the shared corpus is missing"
    setup = (
        pki.arch.key_set.get_private_key(KeyLabel("seal")).dump(),
        pki.cert("seal").dump(),
        [pki.cert("org").dump(), pki.root.dump()],
    )

    started = time.monotonic()
    tally = _run_all(files, tmp_path, setup)
    seconds = time.monotonic() - started

    counts = collections.Counter(
        (kind, reason) for kind, reason, _ in tally.outcomes.values()
    )
    stamped = [f for f in files if tally.outcomes[f][0] == "stamped"]
    outputs = {f: tmp_path / f"{i:04d}.pdf" for i, f in enumerate(files)}
    sample = stamped[::PDFSIG_EVERY]
    pdfsig_bad: list[tuple[str, str]] = []
    pdfsig_hangs: list[str] = []
    for source in sample:
        try:
            last = run_pdfsig(outputs[source], nss, ocsp=False, timeout=30)[-1]
        except subprocess.TimeoutExpired:
            # poppler loops on some damaged inputs; that is only excused when
            # it loops on the unstamped original as well
            if _pdfsig_hangs_on(source, nss):
                pdfsig_hangs.append(source.name)
            else:
                pdfsig_bad.append((source.name, "pdfsig hangs on the output only"))
            continue
        if not (last.valid and last.whole_document and chain_accepted(last)):
            pdfsig_bad.append((source.name, last.text))
    failures = {
        f.name: (reason, detail[-800:])
        for f, (kind, reason, detail) in tally.outcomes.items()
        if kind == "failure"
    }
    print(f"\ncorpus: {len(files)} files in {seconds:.0f} s")
    for (kind, reason), count in sorted(counts.items()):
        print(f"  {kind:9} {reason or '-':14} {count}")
    print(
        f"  pdfsig checked {len(sample)} stamped outputs: {len(pdfsig_bad)} bad, "
        f"{len(pdfsig_hangs)} where pdfsig also hangs on the original {pdfsig_hangs}"
    )
    assert len(tally.outcomes) == len(files)
    assert not failures, failures
    assert not pdfsig_bad, pdfsig_bad
    assert not list(tmp_path.glob("*.part"))
    assert len(list(tmp_path.glob("*.pdf"))) == len(stamped)
