"""Every corpus PDF gets a verdict or "cannot verify": no crash, no hang.

All of the pyHanko corpus and every fifth qpdf file run in two worker
processes, offline and without trust roots (so nothing may come out valid).
A worker that takes longer than ``PER_FILE_SECONDS`` on one file is killed
and the file counted as a hang; a worker that dies counts as a crash.
"""

from __future__ import annotations

import collections
import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest

from tests.verification import corpus_worker

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
PER_FILE_SECONDS = 30.0
WORKERS = 2
QPDF_EVERY = 5


def _corpus_files() -> list[Path]:
    def pdfs(folder: str) -> list[Path]:
        found = (CORPUS / folder).rglob("*")
        return sorted(p for p in found if p.suffix.lower() == ".pdf")

    return pdfs("pyhanko") + pdfs("qpdf")[::QPDF_EVERY]


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    job: Path | None = None
    started: float = 0.0


def _start() -> _Worker:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=corpus_worker.serve, args=(child,), daemon=True)
    process.start()
    child.close()
    return _Worker(process, parent)


def _run_all(files: list[Path]) -> dict[Path, tuple[str, str, str]]:
    outcomes: dict[Path, tuple[str, str, str]] = {}
    queue = collections.deque(files)
    workers = [_start() for _ in range(WORKERS)]
    try:
        while queue or any(w.job for w in workers):
            for worker in workers:
                if worker.job is None and queue:
                    worker.job = queue.popleft()
                    worker.started = time.monotonic()
                    worker.connection.send(str(worker.job))
            ready = wait([w.connection for w in workers if w.job], timeout=1.0)
            for index, worker in enumerate(workers):
                job = worker.job
                if job is None:
                    continue
                if worker.connection in ready:
                    try:
                        outcomes[job] = worker.connection.recv()
                        worker.job = None
                        continue
                    except EOFError:
                        outcomes[job] = ("failure", "worker crashed", "")
                elif time.monotonic() - worker.started > PER_FILE_SECONDS:
                    outcomes[job] = ("failure", "hang", "")
                else:
                    continue
                worker.process.kill()
                worker.process.join()
                workers[index] = _start()
    finally:
        for worker in workers:
            if worker.process.is_alive():
                worker.connection.send(None)
                worker.process.join(timeout=10)
                worker.process.kill()
    return outcomes


@pytest.mark.slow
def test_corpus_gets_a_verdict_or_cannot_verify() -> None:
    files = _corpus_files()
    assert len(files) > 200, "the shared corpus is missing"

    started = time.monotonic()
    outcomes = _run_all(files)
    seconds = time.monotonic() - started

    counts = collections.Counter(o[:2] for o in outcomes.values())
    print(f"\nverification corpus: {len(files)} files in {seconds:.0f} s")
    for (kind, what), count in sorted(counts.items()):
        print(f"  {kind:8} {what:14} {count}")
    failures = {
        f.name: (what, detail[-800:])
        for f, (kind, what, detail) in outcomes.items()
        if kind == "failure"
    }
    assert len(outcomes) == len(files)
    assert not failures, failures
    assert ("verdict", "valid") not in counts
