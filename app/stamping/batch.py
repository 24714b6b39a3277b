"""Stamping a batch as a pipeline: document N+1 is prepared while N is signed.

:func:`stamp_documents` is the stamping use case (see
:mod:`app.stamping.service` for what happens to each document and why it is
crash safe).

A batch of at least :func:`process_batch` documents whose signatures need no
validation context (B-B and B-T) runs the engine in worker processes
(:mod:`app.stamping.workers`), so that more than one core works on it; this
process checks each document against the policy, has the token sign in
document order, and records and publishes in document order.

A smaller batch, or a B-LT one, runs in threads of this process, where three
steps overlap: one thread checks and prepares document
N+1 (policy, parse, place, digest) while another has the token sign document
N and a third completes and records document N-1 (fill the signature in,
fsync, verify, log, archive, rename). The token is never kept waiting for the
desk's bookkeeping, which matters on a slow token. Documents are still
recorded one at a time and in order. A bad document is reported and skipped;
a token failure stops the batch, and the report then says of every document
whether it was stamped, refused, failed or not attempted.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyhanko_certvalidator import ValidationContext

from app.admin.errors import RefusedError
from app.admin.hsm_pins import StoredPinHandler
from app.admin.policy import UseDecision, check_use
from app.admin.roles import Actor
from app.admin.seals import KeyStore, SealImageData, get_seal, seal_image
from app.errors import InputError
from app.files import file_sha256
from app.stamping import output as out
from app.stamping.checks import part_path
from app.stamping.engine import (
    PreparedStamp,
    complete,
    discard,
    prepare,
    publish,
    sign_prepared,
)
from app.stamping.errors import OutputPathError, StampingError
from app.stamping.request import StampRequest, StampResult
from app.stamping.service import (
    BatchReport,
    DocumentReport,
    Outcome,
    Recording,
    StampJob,
    crash_point,
    drop_note,
    record_stamp,
    recover_pending,
    stamping_lock,
    write_note,
)
from app.stamping.workers import (
    SignerIdentity,
    StampingWorkers,
    Worker,
    stamping_workers,
)
from app.workspace import OpenWorkspace
from hsm.errors import TokenError
from hsm.manager import TokenManager
from hsm.pin import PinHandler
from hsm.signer import TokenSigner

__all__ = ["PROCESS_BATCH_ENV", "Progress", "process_batch", "stamp_documents"]

log = logging.getLogger(__name__)

Progress = Callable[[int, DocumentReport], None]


_AHEAD = 3  # documents checked ahead of the workers
PROCESS_BATCH = 300
"""The smallest batch run in worker processes, unless ``$SEALDESK_PROCESS_BATCH``
says otherwise. On two cores with a SoftHSM2 key, one-page documents go
through the threaded pipeline at ~85-100 a second; worker processes reach
~110 at 500 documents, but their start-up (~1 s where no PIN entry hides it)
makes them slower below ~200. More cores, or heavier documents, move that
point down, hence the variable."""
PROCESS_BATCH_ENV = "SEALDESK_PROCESS_BATCH"


def process_batch() -> int:
    """The batch size from which worker processes are used (see above)."""
    raw = os.environ.get(PROCESS_BATCH_ENV, "").strip()
    if raw:
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value > 0:
            return value
        log.warning("ignoring %s=%r: not a positive number", PROCESS_BATCH_ENV, raw)
    return PROCESS_BATCH


@dataclass(frozen=True)
class _Checked:
    """A document the policy allowed, with its pending note written."""

    index: int
    decision: UseDecision
    note: Path
    request: StampRequest


@dataclass(frozen=True)
class _Admitted:
    """A document the policy allowed, on its way through the engine."""

    index: int
    decision: UseDecision
    note: Path
    prepared: Future[PreparedStamp]


class _TokenStopped(Exception):
    def __init__(self, error: TokenError) -> None:
        super().__init__(error.en)
        self.error = error


def stamp_documents(
    opened: OpenWorkspace,
    actor: Actor,
    job: StampJob,
    tokens: TokenManager,
    usb_pin: PinHandler,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> BatchReport:
    """Stamp every document of ``job``; see the module docs.

    ``usb_pin`` answers for a USB-key seal; an HSM seal's PIN comes from key
    custody. ``progress`` hears of each document as it is settled. Once
    ``cancel`` is set, no further document is started.

    :raises TokenError: the seal's token is absent or the login failed
        (nothing was stamped).
    :raises StampingBusyError: another stamping run holds the workspace.
    """
    with stamping_lock(opened), ExitStack() as stack:
        # Worker processes load their modules while the token is opened
        # (and its PIN typed); they learn the seal once it is.
        workers = (
            stack.enter_context(stamping_workers())
            if len(job.inputs) >= process_batch() and not job.long_term
            else None
        )
        recover_pending(opened)
        return _stamp_locked(
            opened, actor, job, tokens, usb_pin, progress, cancel, workers
        )


def _stamp_locked(
    opened: OpenWorkspace,
    actor: Actor,
    job: StampJob,
    tokens: TokenManager,
    usb_pin: PinHandler,
    progress: Progress | None,
    cancel: threading.Event | None,
    workers: StampingWorkers | None,
) -> BatchReport:
    seal = get_seal(opened.db, job.seal)
    image = seal_image(opened.db, seal.id)
    if image is None:
        raise InputError(
            f"The seal {seal.name} has no image yet; an administrator must "
            "design it first.",
            f"印章“{seal.name}”还没有印模图像，请管理员先设计。",
        )
    hsm = seal.key_store is KeyStore.HSM
    handler = StoredPinHandler(opened, actor) if hsm else usb_pin
    token = tokens.find_token(serial=seal.token_serial)
    with tokens.session(token, handler) as session:
        key = session.find_key(key_id=bytes.fromhex(seal.key_id))
        signer = TokenSigner(session, key)
        rec = Recording(opened, actor, seal, job)
        return _Run(rec, image, signer, progress, cancel).all(workers)


def long_term_context(opened: OpenWorkspace) -> Callable[[], ValidationContext]:
    """For B-LT: what the desk trusts, with fetching of revocation data.

    The roots and CRL files are those a verification at this desk uses
    (:func:`app.verification.desk.desk_trust`), so what is embedded is what
    makes the output verify here; revocation data the desk lacks is fetched.
    """
    from app.verification.desk import desk_trust

    trust = desk_trust(opened.workspace.root, opened)

    def context() -> ValidationContext:
        return ValidationContext(
            trust_roots=list(trust.roots),
            crls=list(trust.crl_files),
            allow_fetching=True,
            revocation_mode="require",
        )

    return context


class _Run:
    """One batch: the reports so far and the steps of each document."""

    def __init__(
        self,
        rec: Recording,
        image: SealImageData,
        signer: TokenSigner,
        progress: Progress | None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.rec = rec
        self.image = image
        self.signer = signer
        self.progress = progress
        self.reports: list[DocumentReport | None] = [None] * len(rec.job.inputs)
        self.waiting = iter(range(len(rec.job.inputs)))
        self.cancel = cancel
        self.long_term_context = (
            long_term_context(rec.opened) if rec.job.long_term else None
        )

    @property
    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def all(self, workers: StampingWorkers | None = None) -> BatchReport:
        """Stamp every document, in ``workers`` if given (see the module docs)."""
        if workers is not None:
            workers.introduce(self._identity())
            try:
                self._in_processes(workers)
            except _TokenStopped as stop:
                return self._stopped(stop.error)
            return self._report()
        with (
            ThreadPoolExecutor(1, thread_name_prefix="stamp-prepare") as pool,
            ThreadPoolExecutor(1, thread_name_prefix="stamp-sign") as signer,
            ThreadPoolExecutor(1, thread_name_prefix="stamp-record") as recorder,
        ):
            try:
                self._pipeline(pool, signer, recorder)
            except _TokenStopped as stop:
                return self._stopped(stop.error)
        return self._report()

    def _report(self) -> BatchReport:
        if any(r is None for r in self.reports):  # only after a cancel
            return self._not_attempted(
                "Stamping was cancelled; the remaining documents were not attempted.",
                "盖章已取消，其余文件未处理。",
            )
        return BatchReport(tuple(r for r in self.reports if r is not None))

    def _pipeline(
        self,
        pool: ThreadPoolExecutor,
        signer: ThreadPoolExecutor,
        recorder: ThreadPoolExecutor,
    ) -> None:
        recording: Future[None] | None = None
        try:
            current = self._admit_next(pool)
            while current is not None:
                if self.cancelled:
                    self._abandon(current)
                    return
                with self._cleanup_on_failure(current):
                    prepared = self._prepared(current)
                if prepared is None:
                    current = self._admit_next(pool)
                    continue
                signing = signer.submit(self._sign, current, prepared)
                following = self._admit_next(pool)  # while the token signs
                try:
                    cms = signing.result()
                except BaseException:
                    if following is not None:
                        self._abandon(following)
                    raise
                if recording is not None:
                    recording.result()  # one at a time, in order; errors surface
                recording = None
                if cms is not None:
                    recording = recorder.submit(self._record, current, prepared, cms)
                current = following
        finally:
            # The document signed last is recorded before the report is made,
            # also when the token stopped the batch.
            if recording is not None:
                recording.result()

    # -- the batch in worker processes ---------------------------------------

    def _identity(self) -> SignerIdentity:
        signer = self.signer
        assert signer.signing_cert is not None
        return SignerIdentity(
            certificate=signer.signing_cert.dump(),
            chain=tuple(c.dump() for c in signer.cert_registry),
            prefer_pss=signer.prefer_pss,
            embed_roots=signer.embed_roots,
            signature_size=signer.estimated_signature_size(),
        )

    def _in_processes(self, workers: StampingWorkers) -> None:
        """Dispatch, sign in order, record in order (see the module docs).

        The policy checks (with their durable notes) run ahead on one thread
        and the recording on another, so their disk waits overlap the
        workers' and the token's work; this thread only passes messages and
        has the token sign.
        """
        order: list[int] = []  # dispatched documents not yet recorded
        unsigned: list[int] = []  # dispatched documents not yet signed
        sent: dict[int, _Checked] = {}
        asked: dict[int, tuple[Worker, bytes, str]] = {}
        finished: dict[int, tuple[Any, ...]] = {}
        stop: list[TokenError] = []
        recordings: list[Future[None]] = []
        with (
            ThreadPoolExecutor(1, thread_name_prefix="stamp-check") as checker,
            ThreadPoolExecutor(1, thread_name_prefix="stamp-record") as recorder,
        ):
            ahead = deque(checker.submit(self._check_next) for _ in range(_AHEAD))
            exhausted = False
            try:
                while True:
                    for worker in workers.idle:
                        if stop or exhausted:
                            break
                        checked = ahead.popleft().result()
                        if checked is None:
                            exhausted = True
                            break
                        ahead.append(checker.submit(self._check_next))
                        sent[checked.index] = checked
                        order.append(checked.index)
                        unsigned.append(checked.index)
                        workers.send(worker, checked.index, checked.request)
                    if not workers.busy:
                        break
                    worker, message = workers.receive()
                    index = message[1]
                    if message[0] == "sign":
                        asked[index] = (worker, message[2], message[3])
                    else:
                        finished[index] = message
                        if index in unsigned:
                            unsigned.remove(index)
                    self._sign_in_order(unsigned, asked, stop)
                    while order and order[0] in finished:
                        first = order.pop(0)
                        recordings.append(
                            recorder.submit(
                                self._settle_finished,
                                sent.pop(first),
                                finished.pop(first),
                            )
                        )
            finally:
                self._unsend(ahead)
                for recording in recordings:
                    recording.result()  # errors surface, in order
        if stop:
            raise _TokenStopped(stop[0])

    def _unsend(self, ahead: deque[Future[_Checked | None]]) -> None:
        """Forget documents checked ahead that were never sent."""
        for future in ahead:
            try:
                checked = future.result()
            except Exception:  # its failure does not matter any more
                log.debug("a check ahead failed", exc_info=True)
                continue
            if checked is not None:
                drop_note(checked.note)

    def _check_next(self) -> _Checked | None:
        """Check the next documents until one is allowed (none once cancelled)."""
        if self.cancelled:
            return None
        for index in self.waiting:
            checked = self._check(index)
            if checked is not None:
                return checked
        return None

    def _sign_in_order(
        self,
        unsigned: list[int],
        asked: dict[int, tuple[Worker, bytes, str]],
        stop: list[TokenError],
    ) -> None:
        """Sign what was asked, never ahead of an earlier document."""
        while unsigned and unsigned[0] in asked:
            index = unsigned.pop(0)
            worker, data, algorithm = asked.pop(index)
            if stop or self.cancelled:
                _reply(worker, ("stop",))
                continue
            try:
                signature = self.signer.sign_raw_now(data, algorithm)
            except TokenError as exc:
                stop.append(exc)
                self._settle(index, Outcome.FAILED, exc.en, exc.zh)
                _reply(worker, ("stop",))
                continue
            _reply(worker, ("signed", signature))

    def _settle_finished(self, checked: _Checked, message: tuple[Any, ...]) -> None:
        kind, index = message[0], checked.index
        source = checked.request.input
        if kind == "done":
            crash_point("after-part")
            self._record_result(checked, message[2])
            return
        drop_note(checked.note)
        if kind == "refused":
            self._settle(index, Outcome.REFUSED, message[2], message[3])
        elif kind == "died":
            self._settle(
                index,
                Outcome.REFUSED,
                f"{source}: the document stopped the stamping process; it was "
                "not stamped.",
                f"{source}：处理该文件时盖章进程意外终止，文件未盖章。",
            )
        elif kind == "error":
            log.error("the stamping worker failed on %s:\n%s", source, message[3])
            raise RuntimeError(f"{source}: stamping failed: {message[2]}")
        # "stopped": left unsettled; the report says it was not attempted.

    # -- steps of one document ---------------------------------------------

    def _admit_next(self, pool: ThreadPoolExecutor) -> _Admitted | None:
        """Check the next documents until one is allowed; start preparing it."""
        checked = self._check_next()
        if checked is None:
            return None
        future = pool.submit(prepare, checked.request, self.signer)
        return _Admitted(checked.index, checked.decision, checked.note, future)

    def _check(self, index: int) -> _Checked | None:
        """Check one document against the policy and note its ``.part``."""
        job = self.rec.job
        source, output = job.inputs[index], job.outputs[index]
        try:
            digest = file_sha256(source)
            decision = check_use(
                self.rec.opened.db,
                self.rec.actor,
                self.rec.seal.id,
                digest,
                job.category,
                job.approval_id,
            )
            request = self._request(source, output, digest)
        except (RefusedError, StampingError, InputError) as exc:
            self._settle(index, Outcome.REFUSED, exc.en, exc.zh)
            return None
        note = write_note(self.rec.opened, output, digest)
        return _Checked(index, decision, note, request)

    def _request(self, source: Path, output: Path, digest: str) -> StampRequest:
        job = self.rec.job
        return StampRequest(
            input=source,
            output=output,
            seal_png=self.image.png,
            seal_width_mm=self.image.width_mm,
            seal_height_mm=self.image.height_mm,
            placement=job.placement,
            reason=job.reason,
            location=job.location,
            level=job.level,
            tsa_url=job.tsa_url,
            validation_context=self.long_term_context,
            expected_sha256=digest,
        )

    def _prepared(self, admitted: _Admitted) -> PreparedStamp | None:
        try:
            prepared = admitted.prepared.result()
        except StampingError as exc:
            drop_note(admitted.note)
            self._settle(admitted.index, Outcome.REFUSED, exc.en, exc.zh)
            return None
        return prepared

    def _sign(self, admitted: _Admitted, prepared: PreparedStamp) -> bytes | None:
        """The token signs; a token failure stops the batch."""
        index = admitted.index
        try:
            return sign_prepared(prepared, self.signer)
        except TokenError as exc:
            drop_note(admitted.note)
            self._settle(index, Outcome.FAILED, exc.en, exc.zh)
            raise _TokenStopped(exc) from exc
        except StampingError as exc:
            drop_note(admitted.note)
            self._settle(index, Outcome.REFUSED, exc.en, exc.zh)
            return None

    def _record(self, admitted: _Admitted, prepared: PreparedStamp, cms: bytes) -> None:
        """Complete, verify, record and publish one signed document."""
        index = admitted.index
        try:
            result = complete(prepared, cms, keep_part=True)
        except StampingError as exc:
            drop_note(admitted.note)
            self._settle(index, Outcome.REFUSED, exc.en, exc.zh)
            return
        except BaseException:
            drop_note(admitted.note)
            raise
        crash_point("after-part")
        self._record_result(
            _Checked(index, admitted.decision, admitted.note, prepared.request),
            result,
        )

    def _record_result(self, checked: _Checked, result: StampResult) -> None:
        """Record a verified ``.part`` file and publish it."""
        index, note = checked.index, checked.note
        part = part_path(checked.request.output)
        try:
            entry = record_stamp(self.rec, checked.decision, result)
        except RefusedError as exc:
            out.discard(None, part)
            drop_note(note)
            self._settle(index, Outcome.REFUSED, exc.en, exc.zh)
            return
        except BaseException:
            out.discard(None, part)
            drop_note(note)
            raise
        crash_point("after-commit")
        try:
            publish(part, checked.request.output)
        except (OutputPathError, OSError) as exc:
            # Recorded but not in place: the note stays, so the next run's
            # recovery moves it once the way is clear.
            en = getattr(exc, "en", str(exc))
            zh = getattr(exc, "zh", str(exc))
            self._settle(index, Outcome.REFUSED, en, zh)
            return
        drop_note(note)
        self._settle(
            index,
            Outcome.STAMPED,
            sha256_before=checked.decision.document_sha256,
            sha256_after=result.sha256_after,
            log_seq=entry.seq,
        )

    # -- bookkeeping ---------------------------------------------------------

    @contextmanager
    def _cleanup_on_failure(self, admitted: _Admitted) -> Iterator[None]:
        try:
            yield
        except BaseException:
            drop_note(admitted.note)
            raise

    def _abandon(self, admitted: _Admitted) -> None:
        """Wait for a preparation that will not be finished; remove its part."""
        try:
            prepared = admitted.prepared.result()
        except Exception:  # its failure does not matter any more
            log.debug("abandoned preparation failed", exc_info=True)
        else:
            discard(prepared)
        drop_note(admitted.note)

    def _settle(
        self,
        index: int,
        outcome: Outcome,
        en: str = "",
        zh: str = "",
        *,
        sha256_before: str | None = None,
        sha256_after: str | None = None,
        log_seq: int | None = None,
    ) -> None:
        job = self.rec.job
        source = job.inputs[index]
        report = DocumentReport(
            source,
            job.outputs[index],
            outcome,
            _unnamed(en, f"{source}: "),
            _unnamed(zh, f"{source}："),
            sha256_before,
            sha256_after,
            log_seq,
        )
        self.reports[index] = report
        if self.progress is not None:
            self.progress(index, report)

    def _stopped(self, error: TokenError) -> BatchReport:
        return self._not_attempted(error.en, error.zh)

    def _not_attempted(self, en: str, zh: str) -> BatchReport:
        job = self.rec.job
        for index, report in enumerate(self.reports):
            if report is None:
                self.reports[index] = DocumentReport(
                    job.inputs[index], job.outputs[index], Outcome.NOT_ATTEMPTED
                )
        done = tuple(r for r in self.reports if r is not None)
        return BatchReport(done, en, zh)


def _reply(worker: Worker, message: tuple[Any, ...]) -> None:
    """Answer a worker's request; a worker that died meanwhile is not answered.

    Its end is noticed where its messages are read, and its document is then
    reported as having stopped the stamping process.
    """
    with suppress(OSError):
        worker.conn.send(message)


def _unnamed(text: str, prefix: str) -> str:
    """The reason without the file name the report line already shows."""
    return text[len(prefix) :] if text.startswith(prefix) else text
