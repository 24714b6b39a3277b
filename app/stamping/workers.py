"""Stamping in worker processes, for batches large enough to pay for them.

Python runs one thread at a time, so the threaded pipeline of
:mod:`app.stamping.batch` keeps about one core busy however many documents
wait. A large batch therefore runs the engine (read, place, build the update,
digest, fill the signature in, fsync, verify) in :data:`WORKERS` worker
processes, one document at a time each, while this process keeps everything
that must stay in one place:

* the token: its session, its PIN and its thread. A worker that needs a
  signature sends the bytes to sign here and waits for the raw signature;
  keys and PINs never leave this process;
* the order: signatures are made strictly in document order, so a token that
  fails at document k has signed exactly the documents before it;
* the policy, the usage log, the archive and the renaming into place.

A worker only ever writes its document's ``.part`` file. If this process
dies, the workers see their pipe close, remove what they were writing and
exit; the pending notes let the next run clean up anything left behind.

``multiprocessing`` is used directly: ``concurrent.futures``' process pool
cannot ask its parent for something (the signature) in the middle of a task.
Workers are started with ``spawn``, never ``fork``, because this process has
threads (the token's, and the window's in the desktop application).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from traceback import format_exc
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.stamping.checks import part_path
from app.stamping.engine import complete, prepare, sign_prepared
from app.stamping.errors import StampingError
from app.stamping.request import StampRequest
from hsm.signer import EncodedAttributesSigner

__all__ = ["WORKERS", "SignerIdentity", "StampingWorkers", "Worker"]

log = logging.getLogger(__name__)

WORKERS = min(4, max(2, os.cpu_count() or 2))
"""One per core, at least two (one waits for the token while the other
works) and at most four (beyond that this process, which records every
document, is the limit)."""
_JOIN_SECONDS = 10.0


@dataclass(frozen=True)
class SignerIdentity:
    """What a worker needs to build signatures the token will complete."""

    certificate: bytes
    chain: tuple[bytes, ...]
    prefer_pss: bool
    embed_roots: bool
    signature_size: int


class _Stopped(Exception):
    """The desk will not sign this document (token failure, cancel, exit)."""


class _DeskSigner(EncodedAttributesSigner):
    """A signer whose raw signatures are made by the desk process's token."""

    def __init__(self, conn: Connection, identity: SignerIdentity) -> None:
        registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]
        registry.register_multiple(
            asn1_x509.Certificate.load(c) for c in identity.chain
        )
        super().__init__(
            prefer_pss=identity.prefer_pss,
            embed_roots=identity.embed_roots,
            signing_cert=asn1_x509.Certificate.load(identity.certificate),
            cert_registry=registry,
        )
        self._conn = conn
        self._size = identity.signature_size
        self.index = -1

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            return bytes(self._size)
        self._conn.send(("sign", self.index, data, digest_algorithm))
        reply = self._conn.recv()
        if not reply or reply[0] != "signed":
            raise _Stopped
        return bytes(reply[1])


def _serve(conn: Connection) -> None:
    """A worker's life: learn the seal, then stamp until told to stop.

    The worker is started before the token login (so that it loads its
    modules while the officer types the PIN); the seal's certificates come
    as the first message.
    """
    # Stray output would break the desk's one-line messages; what goes
    # wrong here reaches the desk as a refusal or an error message.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    try:
        identity = conn.recv()
    except (EOFError, OSError):
        return
    if identity is None:
        return
    signer = _DeskSigner(conn, identity)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, request = message
        signer.index = index
        reply = _stamp_one(signer, index, request)
        try:
            conn.send(reply)
        except OSError:  # the desk process is gone: leave nothing behind
            part_path(request.output).unlink(missing_ok=True)
            return


def _stamp_one(
    signer: _DeskSigner, index: int, request: StampRequest
) -> tuple[Any, ...]:
    try:
        prepared = prepare(request, signer)
        cms = sign_prepared(prepared, signer)
        result = complete(prepared, cms, keep_part=True)
    except _Stopped:
        return ("stopped", index)
    except StampingError as exc:
        return ("refused", index, exc.en, exc.zh)
    except Exception as exc:  # reported to the desk, which fails the batch
        # Logging is off here: the desk writes the traceback to its log file.
        return ("error", index, f"{type(exc).__name__}: {exc}", format_exc())
    return ("done", index, result)


@dataclass(eq=False)
class Worker:
    """One worker process and the document it holds, if any."""

    process: BaseProcess
    conn: Connection
    index: int | None = None
    request: StampRequest | None = field(default=None, repr=False)


class StampingWorkers:
    """The worker processes of one batch (see the module docs)."""

    def __init__(self, count: int = WORKERS) -> None:
        self._identity: SignerIdentity | None = None
        self._context = multiprocessing.get_context("spawn")
        self.workers: list[Worker] = []
        for _ in range(count):
            self.workers.append(self._start())

    def _start(self) -> Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(child,), name="sealdesk-stamping", daemon=True
        )
        process.start()
        child.close()
        if self._identity is not None:
            parent.send(self._identity)
        return Worker(process, parent)

    def introduce(self, identity: SignerIdentity) -> None:
        """Tell every worker whose key signs (once the token is open)."""
        self._identity = identity
        for worker in self.workers:
            worker.conn.send(identity)

    @property
    def idle(self) -> list[Worker]:
        return [w for w in self.workers if w.index is None]

    @property
    def busy(self) -> list[Worker]:
        return [w for w in self.workers if w.index is not None]

    def send(self, worker: Worker, index: int, request: StampRequest) -> None:
        """Give ``worker`` (or its replacement, if it died idle) one document."""
        try:
            worker.conn.send((index, request))
        except OSError:
            worker = self._replace(worker)
            worker.conn.send((index, request))
        worker.index, worker.request = index, request

    def receive(self) -> tuple[Worker, tuple[Any, ...]]:
        """The next message of a busy worker.

        A worker that died is replaced; its document's message is
        ``("died", index)`` and its ``.part`` file is removed.
        """
        busy = {w.conn: w for w in self.busy}
        ready = wait(list(busy))
        worker = busy[ready[0]]  # type: ignore[index]
        try:
            message: tuple[Any, ...] = worker.conn.recv()
        except (EOFError, OSError):
            message = ("died", worker.index)
            self._replace(worker)
        if message[0] != "sign":
            worker.index, worker.request = None, None
        return worker, message

    def _replace(self, worker: Worker) -> Worker:
        log.warning("a stamping worker process ended unexpectedly; starting another")
        if worker.request is not None:
            part_path(worker.request.output).unlink(missing_ok=True)
        worker.conn.close()
        worker.process.join(_JOIN_SECONDS)
        fresh = self._start()
        self.workers[self.workers.index(worker)] = fresh
        return fresh

    def close(self) -> None:
        """Let every worker exit; those that do not are ended."""
        for worker in self.workers:
            with suppress(OSError):
                worker.conn.send(None)
        for worker in self.workers:
            worker.process.join(_JOIN_SECONDS)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(_JOIN_SECONDS)
            worker.conn.close()


@contextmanager
def stamping_workers() -> Iterator[StampingWorkers]:
    """Worker processes for one batch, ended when it is."""
    workers = StampingWorkers()
    try:
        yield workers
    finally:
        workers.close()
