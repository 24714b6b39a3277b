"""The evidence sync worker (存证上链): outbox leaves to anchored batches.

One pass of :class:`SyncWorker`:

1. asks the node for its chain id (nothing is built while it cannot be reached,
   so a day offline ends in full batches, not in many small ones);
2. moves batches already in flight along: a ``signed`` or ``sent``
   transaction is looked up by its hash and, if the node does not know it,
   the *same* raw transaction is sent again. Its nonce is fixed, so it can
   land only once; this heals a crash between sending and recording;
3. groups waiting leaves into batches, by count (``evidence.batch_size``) and
   by age (``evidence.batch_age_seconds``), builds each RFC 9162 tree and
   stores every leaf's inclusion proof, together with the usage-log head;
4. signs each new batch's anchor, stores the raw transaction and its hash in
   state ``signed``, and only then sends it;
5. records receipts and confirmations (``chain.confirmations``), and, when
   ``tsa.url`` is set, an RFC 3161 timestamp over each root.

Before signing, the account's transaction count on the chain is compared with
the nonces this database has used. A chain that is ahead means that this
database does not know some anchors (it was restored from an older copy, or
the account is used elsewhere); anchoring stops rather than anchor the same
leaves twice.

``SEALDESK_CRASH_AT`` is a test hook: set to ``after-sign``, ``after-send`` or
``after-batch``, the process kills itself (SIGKILL) at that point of the first
batch it reaches, as a power cut would.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
import random
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from app.errors import SealDeskError
from app.evidence.anchor import (
    ANCHOR_ADDRESS,
    AnchorClient,
    ChainError,
    ChainMismatch,
    ChainRejected,
    ChainSigner,
    ChainUnreachable,
    NonceConflict,
    encode_anchor,
    open_account,
)
from app.evidence.merkle import MerkleTree
from app.evidence.verify import (
    BUNDLE_FORMAT,
    JsonRpc,
    RpcError,
    find_anchors,
    workspace_hash,
)
from storage.database import Database
from storage.outbox import (
    Batch,
    BatchState,
    add_batch,
    batch,
    batches,
    batches_in,
    leaf,
    leaf_counts,
    log_head,
    mark_confirmed,
    mark_mined,
    mark_sent,
    mark_signed,
    mark_timestamped,
    mark_unmined,
    next_nonce,
    pending_leaves,
    pending_summary,
    record_failure,
    record_success,
    stored_account,
    sync_state,
)
from storage.settings import get_setting
from storage.usage_log import now
from storage.workspace import WorkspaceInfo

__all__ = [
    "CRASH_ENV",
    "DEFAULT_BATCH_AGE_SECONDS",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_CONFIRMATIONS",
    "ChainHeadCheck",
    "ChainNotConfigured",
    "EvidenceNotAnchored",
    "EvidenceStatus",
    "LogRolledBack",
    "SyncReport",
    "SyncSettings",
    "SyncWorker",
    "backoff_delay",
    "check_against_chain",
    "evidence_bundle",
    "evidence_status",
    "sync_settings",
]

log = logging.getLogger(__name__)

CRASH_ENV = "SEALDESK_CRASH_AT"
DEFAULT_BATCH_SIZE = 1000
DEFAULT_BATCH_AGE_SECONDS = 600
DEFAULT_CONFIRMATIONS = 1
_BACKOFF_FIRST = 1.0
_BACKOFF_MOST = 300.0
_POLL_SECONDS = 2.0


class ChainNotConfigured(SealDeskError):
    """No chain endpoint is set for the workspace."""


class EvidenceNotAnchored(SealDeskError):
    """A proof was asked for a leaf that is unknown or not yet on the chain."""


class LogRolledBack(SealDeskError):
    """The chain holds a usage-log head that the local log does not reach."""


@dataclass(frozen=True)
class SyncSettings:
    rpc_url: str | None
    chain_id: int | None
    confirmations: int
    batch_size: int
    batch_age_seconds: int
    anchor_address: str
    tsa_url: str | None


def sync_settings(db: Database) -> SyncSettings:
    """The workspace's chain and batching settings, with their defaults."""

    def number(key: str, default: int) -> int:
        value = get_setting(db, key)
        return default if value is None else int(value)

    chain_id = get_setting(db, "chain.id")
    return SyncSettings(
        rpc_url=get_setting(db, "chain.rpc_url"),
        chain_id=None if chain_id is None else int(chain_id),
        confirmations=number("chain.confirmations", DEFAULT_CONFIRMATIONS),
        batch_size=number("evidence.batch_size", DEFAULT_BATCH_SIZE),
        batch_age_seconds=number(
            "evidence.batch_age_seconds", DEFAULT_BATCH_AGE_SECONDS
        ),
        anchor_address=(get_setting(db, "chain.contract") or ANCHOR_ADDRESS).lower(),
        tsa_url=get_setting(db, "tsa.url"),
    )


@dataclass(frozen=True)
class SyncReport:
    """What passes did; ``waiting`` and ``in_flight`` are after the last one."""

    built: int = 0
    sent: int = 0
    resent: int = 0
    mined: int = 0
    confirmed: int = 0
    timestamped: int = 0
    waiting: int = 0
    in_flight: int = 0

    def __add__(self, other: SyncReport) -> SyncReport:
        return SyncReport(
            built=self.built + other.built,
            sent=self.sent + other.sent,
            resent=self.resent + other.resent,
            mined=self.mined + other.mined,
            confirmed=self.confirmed + other.confirmed,
            timestamped=self.timestamped + other.timestamped,
            waiting=other.waiting,
            in_flight=other.in_flight,
        )


def backoff_delay(failures: int, jitter: float | None = None) -> float:
    """Seconds to wait after ``failures`` failed attempts in a row.

    Doubles from one second up to five minutes, spread by ±20 % so that many
    desks coming back online do not all ask the node at the same instant.
    """
    base = min(_BACKOFF_MOST, _BACKOFF_FIRST * 2 ** max(0, failures - 1))
    spread = random.uniform(-0.2, 0.2) if jitter is None else jitter  # noqa: S311
    return float(base * (1 + spread))


def _crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) != name:
        return
    sys.stderr.write(f"sealdesk: crash point {name} reached\n")
    sys.stderr.flush()
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _time_text(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class _Pass:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


class SyncWorker:
    """Runs sync passes for one open workspace."""

    def __init__(
        self,
        db: Database,
        info: WorkspaceInfo,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._db = db
        self._info = info
        self._clock = clock
        self._signer: ChainSigner | None = None

    # -- the pass -------------------------------------------------------------

    def run_once(self, *, flush: bool = False) -> SyncReport:
        """One pass; chain errors are recorded for status, then raised.

        :param flush: batch every waiting leaf now, whatever its age.
        """
        settings = sync_settings(self._db)
        if not settings.rpc_url:
            raise ChainNotConfigured(
                "No evidence chain is set; run 'sealdesk config set chain.rpc_url "
                "URL' first.",
                "尚未设置存证链，请先运行 sealdesk config set chain.rpc_url 地址。",
            )
        done = _Pass()
        client = AnchorClient(settings.rpc_url)
        try:
            chain_id = self._chain_id(client, settings)
            self._advance(client, chain_id, settings, done)
            self._form_batches(settings, flush, done)
            self._sign_and_send(client, chain_id, settings, done)
            self._advance(client, chain_id, settings, done)
            self._timestamp(settings, done)
        except ChainError as exc:
            self._failed(exc)
            raise
        finally:
            client.close()
        with self._db.transaction() as conn:
            record_success(conn, now())
        return self._report(done)

    def run_until_idle(
        self,
        *,
        flush: bool = False,
        timeout: float = 600.0,
        wait: Callable[[float], object] = time.sleep,
        on_retry: Callable[[ChainError, float], None] | None = None,
        poll: float = _POLL_SECONDS,
    ) -> SyncReport:
        """Repeat passes until nothing is left in flight, retrying with backoff.

        A sent anchor is looked up again every ``poll`` seconds until it has
        its confirmations. Leaves too young for a batch are left waiting
        (unless ``flush``). Errors no retry can mend (another chain, a nonce
        conflict, no account) are raised at once; an unreachable or refusing
        node is retried until ``timeout`` seconds have passed, then its error
        is raised.
        """
        deadline = time.monotonic() + timeout
        total = SyncReport()
        while True:
            try:
                report = self.run_once(flush=flush)
            except (ChainUnreachable, ChainRejected) as exc:
                delay = backoff_delay(_failures(self._db))
                if time.monotonic() + delay > deadline:
                    raise
                log.warning(
                    "Evidence sync failed (%s); retrying in %.1f s", exc.en, delay
                )
                if on_retry is not None:
                    on_retry(exc, delay)
                wait(delay)
                continue
            total = total + report
            if report.in_flight == 0:
                return total
            if time.monotonic() + poll > deadline:
                return total
            wait(poll)

    # -- steps ----------------------------------------------------------------

    def _chain_id(self, client: AnchorClient, settings: SyncSettings) -> int:
        chain_id = client.chain_id()
        if settings.chain_id is not None and chain_id != settings.chain_id:
            raise ChainMismatch(
                f"The node at {settings.rpc_url} serves chain {chain_id}, but the "
                f"workspace is set to chain {settings.chain_id}.",
                f"{settings.rpc_url} 节点属于链 {chain_id}，而工作区设置的是链 "
                f"{settings.chain_id}。",
            )
        return chain_id

    def _advance(
        self, client: AnchorClient, chain_id: int, settings: SyncSettings, done: _Pass
    ) -> None:
        with self._db.transaction() as conn:
            flying = batches_in(
                conn, BatchState.SIGNED, BatchState.SENT, BatchState.MINED
            )
        if not flying:
            return
        latest = client.block_number()
        for item in flying:
            if item.chain_id != chain_id:
                raise ChainMismatch(
                    f"Batch {item.id} was signed for chain {item.chain_id}, but the "
                    f"node serves chain {chain_id}.",
                    f"第 {item.id} 批存证是为链 {item.chain_id} 签名的，"
                    f"而该节点属于链 {chain_id}。",
                )
            self._advance_one(client, item, latest, settings.confirmations, done)

    def _advance_one(
        self,
        client: AnchorClient,
        item: Batch,
        latest: int,
        required: int,
        done: _Pass,
    ) -> None:
        assert item.tx_hash is not None
        receipt = client.receipt(item.tx_hash)
        if receipt is None:
            if item.state is BatchState.MINED:
                log.warning("Anchor %s left the chain; sending it again", item.tx_hash)
                with self._db.transaction() as conn:
                    mark_unmined(conn, item.id)
            if client.transaction(item.tx_hash) is None:
                self._send(client, item, done, resend=True)
            elif item.state is BatchState.SIGNED:
                with self._db.transaction() as conn:
                    mark_sent(conn, item.id, now())
            return
        if not receipt.succeeded:
            raise ChainRejected(
                f"Anchor transaction {item.tx_hash} failed on the chain.",
                f"锚定交易 {item.tx_hash} 在链上执行失败。",
            )
        confirmations = max(0, latest - receipt.block_number + 1)
        with self._db.transaction() as conn:
            if (
                item.state is not BatchState.MINED
                or item.block_hash != receipt.block_hash
            ):
                mark_mined(
                    conn,
                    item.id,
                    block_number=receipt.block_number,
                    block_hash=receipt.block_hash,
                    confirmations=confirmations,
                    at=now(),
                )
                done.add("mined")
                log.info(
                    "Evidence batch %d (%d leaves) anchored in block %d, tx %s",
                    item.id,
                    item.size,
                    receipt.block_number,
                    item.tx_hash,
                )
            if confirmations >= required:
                mark_confirmed(conn, item.id, confirmations, now())
                done.add("confirmed")

    def _form_batches(self, settings: SyncSettings, flush: bool, done: _Pass) -> None:
        while True:
            with self._db.transaction() as conn:
                waiting, oldest = pending_summary(conn)
                if not waiting or not self._due(settings, flush, waiting, oldest):
                    return
                leaves = pending_leaves(conn, settings.batch_size)
                tree = MerkleTree([item.leaf_hash for item in leaves])
                seq, head = log_head(conn)
                batch_id = add_batch(
                    conn,
                    root=tree.root,
                    leaves=list(
                        zip(
                            [item.id for item in leaves],
                            tree.inclusion_proofs(),
                            strict=True,
                        )
                    ),
                    log_seq=seq,
                    log_head=head,
                    created_at=now(),
                )
            done.add("built")
            log.info(
                "Evidence batch %d built: leaves %d-%d, root %s",
                batch_id,
                leaves[0].id,
                leaves[-1].id,
                tree.root.hex(),
            )
            _crash_point("after-batch")

    def _due(
        self, settings: SyncSettings, flush: bool, waiting: int, oldest: str | None
    ) -> bool:
        if flush or waiting >= settings.batch_size:
            return True
        if oldest is None:
            return False
        age = self._clock() - _parse_time(oldest)
        return age >= timedelta(seconds=settings.batch_age_seconds)

    def _sign_and_send(
        self, client: AnchorClient, chain_id: int, settings: SyncSettings, done: _Pass
    ) -> None:
        with self._db.transaction() as conn:
            built = batches_in(conn, BatchState.BUILT)
        if not built:
            return
        signer = self._account()
        nonce = self._first_nonce(client, signer)
        gas_price = client.gas_price()
        ws = workspace_hash(self._info.workspace_id)
        for item in built:
            data = encode_anchor(
                ws, item.root, item.log_seq, bytes.fromhex(item.log_head)
            )
            signed = signer.sign_anchor(
                nonce=nonce,
                chain_id=chain_id,
                gas_price=gas_price,
                to=settings.anchor_address,
                data=data,
            )
            with self._db.transaction() as conn:
                mark_signed(
                    conn,
                    item.id,
                    sender=signer.address,
                    anchor_to=settings.anchor_address,
                    nonce=nonce,
                    chain_id=chain_id,
                    tx_hash=signed.tx_hash,
                    raw_tx=signed.raw,
                )
                stored = batch(conn, item.id)
            _crash_point("after-sign")
            assert stored is not None
            self._send(client, stored, done, resend=False)
            nonce += 1

    def _first_nonce(self, client: AnchorClient, signer: ChainSigner) -> int:
        with self._db.transaction() as conn:
            expected = next_nonce(conn, signer.address)
            account = stored_account(conn)
        if expected is None and account is not None:
            expected = account.start_nonce
        on_chain = client.nonce(signer.address)
        if expected is None:
            log.warning(
                "First anchor of account %s: taking nonce %d from the chain",
                signer.address,
                on_chain,
            )
            return on_chain
        if on_chain > expected:
            raise NonceConflict(
                f"Chain account {signer.address} has sent {on_chain} transactions, "
                f"but this database knows only {expected}. The database may have "
                "been restored from an older copy, or the account is used "
                "elsewhere; anchoring stops. Run 'sealdesk log verify "
                "--against-chain'.",
                f"存证链账户 {signer.address} 已发送 {on_chain} 笔交易，"
                f"但本数据库只记录了 {expected} 笔。数据库可能被旧副本覆盖，"
                "或该账户在别处使用；已停止锚定。请运行 "
                "sealdesk log verify --against-chain。",
            )
        return expected

    def _send(
        self, client: AnchorClient, item: Batch, done: _Pass, *, resend: bool
    ) -> None:
        assert item.raw_tx is not None
        assert item.tx_hash is not None
        try:
            client.send_raw(item.raw_tx)
        except ChainRejected:
            # "already known" and "nonce too low" are fine when it is ours.
            if client.transaction(item.tx_hash) is None:
                self._nonce_taken(client, item)
                raise
        _crash_point("after-send")
        with self._db.transaction() as conn:
            mark_sent(conn, item.id, now())
        done.add("resent" if resend else "sent")
        log.info(
            "Evidence batch %d %s: tx %s, nonce %s",
            item.id,
            "sent again" if resend else "sent",
            item.tx_hash,
            item.nonce,
        )

    def _nonce_taken(self, client: AnchorClient, item: Batch) -> None:
        assert item.sender is not None
        assert item.nonce is not None
        if client.nonce(item.sender) > item.nonce:
            raise NonceConflict(
                f"Nonce {item.nonce} of account {item.sender} was used by a "
                f"transaction other than anchor {item.tx_hash}; the account is used "
                "elsewhere. Anchoring stops until an administrator looks at it.",
                f"账户 {item.sender} 的 nonce {item.nonce} 已被锚定交易 "
                f"{item.tx_hash} 以外的交易占用，该账户在别处被使用；"
                "在管理员处理前停止锚定。",
            )

    def _account(self) -> ChainSigner:
        if self._signer is None:
            self._signer = open_account(self._db, self._info)
        return self._signer

    def _timestamp(self, settings: SyncSettings, done: _Pass) -> None:
        if not settings.tsa_url:
            return
        with self._db.transaction() as conn:
            todo = [b for b in batches(conn) if b.tsa_token is None]
        for item in todo:
            try:
                token, at = _request_timestamp(settings.tsa_url, item.root)
            # A timestamp is optional: whatever goes wrong, anchoring goes on.
            except Exception as exc:
                log.warning(
                    "No timestamp for evidence batch %d from %s: %s",
                    item.id,
                    settings.tsa_url,
                    type(exc).__name__,
                )
                return
            with self._db.transaction() as conn:
                mark_timestamped(conn, item.id, token, at)
            done.add("timestamped")

    def _failed(self, exc: ChainError) -> None:
        moment = self._clock()
        with self._db.transaction() as conn:
            failures = sync_state(conn).failures + 1
            retry = moment + timedelta(seconds=backoff_delay(failures, 0.0))
            record_failure(conn, exc.en, _time_text(moment), _time_text(retry))
        log.warning("Evidence sync failed: %s", exc.en)

    def _report(self, done: _Pass) -> SyncReport:
        with self._db.transaction() as conn:
            waiting, _ = pending_summary(conn)
            flying = batches_in(
                conn,
                BatchState.BUILT,
                BatchState.SIGNED,
                BatchState.SENT,
                BatchState.MINED,
            )
        counts = done.counts
        return SyncReport(
            built=counts.get("built", 0),
            sent=counts.get("sent", 0),
            resent=counts.get("resent", 0),
            mined=counts.get("mined", 0),
            confirmed=counts.get("confirmed", 0),
            timestamped=counts.get("timestamped", 0),
            waiting=waiting,
            in_flight=len(flying),
        )


def _failures(db: Database) -> int:
    with db.transaction() as conn:
        return sync_state(conn).failures


def _request_timestamp(url: str, root: bytes) -> tuple[bytes, str]:
    """An RFC 3161 token over SHA-256(root), and the time the TSA put in it."""
    import aiohttp
    from pyhanko.sign.timestamps import HTTPTimeStamper

    async def ask() -> Any:
        async with aiohttp.ClientSession() as session:
            stamper = HTTPTimeStamper(url, session=session, timeout=10)
            return await stamper.async_timestamp(
                hashlib.sha256(root).digest(), "sha256"
            )

    token = asyncio.run(ask())
    info = token["content"]["encap_content_info"]["content"].parsed
    when: datetime = info["gen_time"].native
    return bytes(token.dump()), _time_text(when.astimezone(UTC))


# -- status, bundles, the chain's view of the log ------------------------------


@dataclass(frozen=True)
class EvidenceStatus:
    """Counts of leaves by where they are, and the worker's last outcome."""

    pending: int
    anchored: int
    confirmed: int
    waiting: int
    batches: dict[str, int]
    account: str | None
    last_error: str | None
    last_error_at: str | None
    failures: int
    next_attempt_at: str | None
    last_success_at: str | None
    last_anchor_tx: str | None
    last_anchor_block: int | None


def evidence_status(db: Database) -> EvidenceStatus:
    """Where the workspace's evidence stands, read from the database only."""
    with db.transaction() as conn:
        counts = leaf_counts(conn)
        every = batches(conn)
        state = sync_state(conn)
        account = stored_account(conn)
    per_state = {s.value: 0 for s in BatchState}
    for item in every:
        per_state[item.state.value] += 1
    anchored = [b for b in every if b.block_number is not None]
    last = anchored[-1] if anchored else None
    not_on_chain = ("waiting", "built", "signed", "sent")
    return EvidenceStatus(
        pending=sum(counts.get(name, 0) for name in not_on_chain),
        anchored=counts.get("mined", 0),
        confirmed=counts.get("confirmed", 0),
        waiting=counts.get("waiting", 0),
        batches=per_state,
        account=None if account is None else account.address,
        last_error=state.last_error,
        last_error_at=state.last_error_at,
        failures=state.failures,
        next_attempt_at=state.next_attempt_at,
        last_success_at=state.last_success_at,
        last_anchor_tx=None if last is None else last.tx_hash,
        last_anchor_block=None if last is None else last.block_number,
    )


def evidence_bundle(db: Database, info: WorkspaceInfo, leaf_id: int) -> dict[str, Any]:
    """The evidence bundle of one leaf: record, inclusion proof, anchor.

    :raises EvidenceNotAnchored: if the leaf is unknown or its batch is not
        yet in a block.
    """
    with db.transaction() as conn:
        found = leaf(conn, leaf_id)
        owner = (
            None
            if found is None or found.batch_id is None
            else batch(conn, found.batch_id)
        )
    if found is None:
        raise EvidenceNotAnchored(
            f"There is no evidence leaf {leaf_id}.", f"不存在编号为 {leaf_id} 的存证。"
        )
    if owner is None or owner.block_hash is None:
        raise EvidenceNotAnchored(
            f"Evidence leaf {leaf_id} is not yet anchored on the chain; run "
            "'sealdesk sync'.",
            f"存证 {leaf_id} 尚未上链，请运行 sealdesk sync。",
        )
    assert found.proof is not None
    assert found.leaf_index is not None
    timestamp = None
    if owner.tsa_token is not None:
        timestamp = {
            "imprint": "sha256(root)",
            "time": owner.tsa_time,
            "token": base64.b64encode(owner.tsa_token).decode("ascii"),
        }
    return {
        "format": BUNDLE_FORMAT,
        "leaf_id": found.id,
        "record": json.loads(found.record),
        "leaf_hash": found.leaf_hash.hex(),
        "inclusion": {
            "leaf_index": found.leaf_index,
            "tree_size": owner.size,
            "path": [h.hex() for h in found.proof],
            "root": owner.root.hex(),
        },
        "anchor": {
            "chain_id": owner.chain_id,
            "tx_hash": owner.tx_hash,
            "block_number": owner.block_number,
            "block_hash": owner.block_hash,
            "sender": owner.sender,
            "to": owner.anchor_to,
            "workspace_id": info.workspace_id,
            "log_seq": owner.log_seq,
            "log_head": owner.log_head,
        },
        "timestamp": timestamp,
    }


@dataclass(frozen=True)
class ChainHeadCheck:
    """The local usage log compared with the heads anchored on the chain."""

    local_entries: int
    anchors_found: int
    chain_seq: int | None
    chain_head: str | None
    chain_tx: str | None
    rolled_back: bool
    en: str
    zh: str


def check_against_chain(
    db: Database, info: WorkspaceInfo, *, rpc_timeout: float = 10.0
) -> ChainHeadCheck:
    """Find this workspace's anchors on the chain and hold the local log to them.

    The scan starts at the newest block this database knows an anchor in (an
    older copy knows an older block, so newer anchors are still found) or at
    block 0 when it knows none.

    :raises ChainNotConfigured: without ``chain.rpc_url`` or a chain account.
    :raises ChainUnreachable: if the node does not answer.
    """
    settings = sync_settings(db)
    with db.transaction() as conn:
        account = stored_account(conn)
        known = [b for b in batches(conn) if b.block_number is not None]
        local_seq, _ = log_head(conn)
    if not settings.rpc_url or account is None:
        raise ChainNotConfigured(
            "The usage log cannot be compared with the chain: this workspace has "
            "no chain endpoint or no chain account.",
            "无法与区块链比对用印日志：本工作区未设置存证链地址或存证链账户。",
        )
    start = max((b.block_number or 0 for b in known), default=account.start_block or 0)
    targets = {settings.anchor_address, *(b.anchor_to for b in known if b.anchor_to)}
    rpc = JsonRpc(settings.rpc_url, rpc_timeout)
    try:
        found = [
            anchor
            for to in sorted(targets)
            for anchor in find_anchors(
                rpc,
                to=to,
                sender=account.address,
                workspace=workspace_hash(info.workspace_id),
                from_block=start,
            )
        ]
    except RpcError as exc:
        raise ChainUnreachable(
            f"The chain node {settings.rpc_url} cannot be asked ({exc}).",
            f"无法查询区块链节点 {settings.rpc_url}（{exc}）。",
        ) from exc
    heads = [(b.log_seq, b.log_head, b.tx_hash) for b in known]
    heads += [(a.data.log_seq, a.data.log_head.hex(), a.tx_hash) for a in found]
    return _compare_heads(db, local_seq, heads, len(found))


def _compare_heads(
    db: Database,
    local_seq: int,
    heads: list[tuple[int, str, str | None]],
    found: int,
) -> ChainHeadCheck:
    result = ChainHeadCheck(
        local_entries=local_seq,
        anchors_found=found,
        chain_seq=None,
        chain_head=None,
        chain_tx=None,
        rolled_back=False,
        en="No usage-log head of this workspace is anchored yet.",
        zh="本工作区尚无锚定的用印日志链头。",
    )
    for seq, head, tx in sorted(heads):
        result = replace(result, chain_seq=seq, chain_head=head, chain_tx=tx)
        if seq == 0:
            continue
        local = db.scalar("SELECT entry_hash FROM usage_log WHERE seq = ?", (seq,))
        if local is None:
            return replace(
                result,
                rolled_back=True,
                en=f"The chain holds usage-log head {seq} (tx {tx}), but the local "
                f"log has only {local_seq} entries: the database was rolled back to "
                "an older copy.",
                zh=f"链上锚定的用印日志链头为第 {seq} 条（交易 {tx}），而本地日志只有 "
                f"{local_seq} 条：数据库已被回滚到旧副本。",
            )
        if local != head:
            return replace(
                result,
                rolled_back=True,
                en=f"Usage-log entry {seq} differs from the head anchored on the "
                f"chain (tx {tx}): the log was rolled back and rewritten.",
                zh=f"用印日志第 {seq} 条与链上锚定的链头（交易 {tx}）不符："
                "日志已被回滚并改写。",
            )
    if result.chain_seq is not None:
        result = replace(
            result,
            en=f"The local log ({local_seq} entries) reaches the newest head anchored "
            f"on the chain (entry {result.chain_seq}).",
            zh=f"本地日志（{local_seq} 条）包含链上最新锚定的链头（第 "
            f"{result.chain_seq} 条）。",
        )
    return result
