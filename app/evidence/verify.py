"""Checking an evidence bundle against the chain, with only a JSON-RPC address.

A bundle (see ``docs/evidence.md``) carries one evidence record, its RFC 9162
inclusion proof and the anchor transaction's reference. :func:`verify_evidence`

1. recomputes the leaf from the record (RFC 8785, then SHA-256 with 0x00);
2. checks the inclusion proof against the batch root;
3. fetches the transaction and compares the root, workspace and usage-log
   head it carries; checks its block is the chain's block at that height,
   that it succeeded, and how many confirmations it has.

The outcome is ``valid`` only when every step held. A proof or a value that
does not match is ``invalid``; anything that cannot be checked (a node that
does not answer, another chain, a malformed bundle, too few confirmations) is
``cannot verify``, never ``valid``.

The JSON-RPC client, the anchor decoder and the chain scan here use the
standard library only (``urllib``), and the Merkle check is
:func:`app.evidence.merkle.verify_inclusion`, itself standard-library code,
so this checking core can be copied into a standalone verifier next to the
``rfc8785`` package. The anchor layout is decoded here independently of the
encoder in :mod:`app.evidence.anchor`; a test holds the two together.
"""

from __future__ import annotations

import hashlib
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from app.evidence.canonical import canonical_json
from app.evidence.errors import EvidenceError
from app.evidence.merkle import leaf_hash, verify_inclusion

__all__ = [
    "ANCHOR_MAGIC",
    "ANCHOR_SIZE",
    "ANCHOR_VERSION",
    "BUNDLE_FORMAT",
    "AnchorData",
    "ChainAnchor",
    "CheckStep",
    "EvidenceCheck",
    "JsonRpc",
    "Outcome",
    "RpcError",
    "decode_anchor",
    "find_anchors",
    "verify_evidence",
    "workspace_hash",
]

log = logging.getLogger(__name__)

BUNDLE_FORMAT = "sealdesk-evidence-bundle/1"
ANCHOR_MAGIC = b"SDEV"
ANCHOR_VERSION = 1
# magic(4) version(1) workspace(32) root(32) log seq(8, big-endian) log head(32)
ANCHOR_SIZE = 4 + 1 + 32 + 32 + 8 + 32


class RpcError(Exception):
    """A JSON-RPC call failed; ``unreachable`` when no answer came at all."""

    def __init__(self, message: str, *, unreachable: bool) -> None:
        super().__init__(message)
        self.unreachable = unreachable


class JsonRpc:
    """A minimal Ethereum JSON-RPC client over HTTP(S)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.timeout = timeout
        self._next_id = 0

    def call(self, method: str, *params: object) -> Any:
        """Return the call's ``result``; raise :class:`RpcError` otherwise."""
        self._next_id += 1
        body = json.dumps(
            {"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params}
        ).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked
            self.url, data=body, headers={"Content-Type": "application/json"}
        )
        if not self.url.startswith(("http://", "https://")):
            raise RpcError(f"{self.url} is not an http(s) address", unreachable=True)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                reply = json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            raise RpcError(f"{method}: HTTP {exc.code}", unreachable=False) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise RpcError(f"{method}: {exc}", unreachable=True) from exc
        except ValueError as exc:
            raise RpcError(
                f"{method}: the answer is not JSON", unreachable=False
            ) from exc
        if not isinstance(reply, dict):
            raise RpcError(f"{method}: unexpected answer", unreachable=False)
        if reply.get("error") is not None:
            error = reply["error"]
            text = error.get("message") if isinstance(error, dict) else error
            raise RpcError(f"{method}: {text}", unreachable=False)
        return reply.get("result")


@dataclass(frozen=True)
class AnchorData:
    """What one anchor transaction's data field says."""

    workspace_hash: bytes
    root: bytes
    log_seq: int
    log_head: bytes


def workspace_hash(workspace_id: str) -> bytes:
    """SHA-256 of the workspace id as written in ``workspace.json``."""
    return hashlib.sha256(workspace_id.encode("utf-8")).digest()


def decode_anchor(data: bytes) -> AnchorData | None:
    """Read an anchor payload; ``None`` if ``data`` is not a SealDesk anchor."""
    if len(data) != ANCHOR_SIZE or not data.startswith(ANCHOR_MAGIC):
        return None
    if data[4] != ANCHOR_VERSION:
        return None
    return AnchorData(
        workspace_hash=data[5:37],
        root=data[37:69],
        log_seq=int.from_bytes(data[69:77], "big"),
        log_head=data[77:109],
    )


class Outcome(Enum):
    VALID = "valid"
    INVALID = "invalid"
    CANNOT_VERIFY = "cannot_verify"


@dataclass(frozen=True)
class CheckStep:
    """One step of a verification and what it found."""

    name: str
    ok: bool
    en: str
    zh: str


@dataclass(frozen=True)
class EvidenceCheck:
    """The result of checking one bundle; ``outcome`` decides."""

    outcome: Outcome
    steps: tuple[CheckStep, ...]
    leaf_hash: str | None = None
    root: str | None = None
    tx_hash: str | None = None
    block_number: int | None = None
    block_time: int | None = None
    confirmations: int | None = None

    @property
    def valid(self) -> bool:
        return self.outcome is Outcome.VALID

    @property
    def reason(self) -> CheckStep | None:
        """The step that decided a negative outcome."""
        return next((s for s in self.steps if not s.ok), None)


class _Stop(Exception):
    def __init__(self, outcome: Outcome, step: CheckStep) -> None:
        super().__init__(step.en)
        self.outcome = outcome
        self.step = step


class _Checker:
    """Walks the steps, collecting what each found."""

    def __init__(self) -> None:
        self.steps: list[CheckStep] = []
        self.found: dict[str, Any] = {}

    def passed(self, name: str, en: str, zh: str) -> None:
        self.steps.append(CheckStep(name, True, en, zh))

    def fail(self, outcome: Outcome, name: str, en: str, zh: str) -> _Stop:
        step = CheckStep(name, False, en, zh)
        self.steps.append(step)
        return _Stop(outcome, step)


def verify_evidence(
    bundle: Mapping[str, Any],
    rpc_url: str,
    *,
    min_confirmations: int = 1,
    expected_sender: str | None = None,
    timeout: float = 10.0,
) -> EvidenceCheck:
    """Check one evidence bundle against the chain at ``rpc_url``.

    ``expected_sender`` is the workspace's chain account as known from
    outside the bundle; without it the bundle's own word is taken for it.
    """
    checker = _Checker()
    try:
        parts = _read_bundle(bundle, checker)
        _check_leaf(parts, checker)
        _check_chain(
            parts,
            JsonRpc(rpc_url, timeout),
            checker,
            min_confirmations,
            expected_sender,
        )
        outcome = Outcome.VALID
    except _Stop as stop:
        outcome = stop.outcome
        log.info("Evidence bundle check: %s (%s)", outcome.value, stop.step.name)
    return EvidenceCheck(outcome=outcome, steps=tuple(checker.steps), **checker.found)


@dataclass(frozen=True)
class _Parts:
    record: Any
    leaf_hash: bytes
    leaf_index: int
    tree_size: int
    path: tuple[bytes, ...]
    root: bytes
    chain_id: int
    tx_hash: str
    block_number: int
    block_hash: str
    sender: str
    to: str
    workspace_id: str
    log_seq: int
    log_head: bytes


def _read_bundle(bundle: Mapping[str, Any], checker: _Checker) -> _Parts:
    try:
        if bundle["format"] != BUNDLE_FORMAT:
            raise ValueError(f"unknown format {bundle['format']!r}")
        inclusion, anchor = bundle["inclusion"], bundle["anchor"]
        parts = _Parts(
            record=bundle["record"],
            leaf_hash=_hex(bundle["leaf_hash"], 32),
            leaf_index=_int(inclusion["leaf_index"]),
            tree_size=_int(inclusion["tree_size"]),
            path=tuple(_hex(h, 32) for h in inclusion["path"]),
            root=_hex(inclusion["root"], 32),
            chain_id=_int(anchor["chain_id"]),
            tx_hash=_hex_text(anchor["tx_hash"], 32),
            block_number=_int(anchor["block_number"]),
            block_hash=_hex_text(anchor["block_hash"], 32),
            sender=_hex_text(anchor["sender"], 20),
            to=_hex_text(anchor["to"], 20),
            workspace_id=str(anchor["workspace_id"]),
            log_seq=_int(anchor["log_seq"]),
            log_head=_hex(anchor["log_head"], 32),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise checker.fail(
            Outcome.CANNOT_VERIFY,
            "bundle",
            f"The evidence bundle is malformed ({exc}).",
            f"存证包格式不正确（{exc}）。",
        ) from exc
    checker.found.update(
        leaf_hash=parts.leaf_hash.hex(), root=parts.root.hex(), tx_hash=parts.tx_hash
    )
    checker.passed("bundle", "The bundle is well formed.", "存证包格式正确。")
    return parts


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{value!r} is not a non-negative integer")
    return value


def _hex(value: object, size: int) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a hex string")
    raw = bytes.fromhex(value.removeprefix("0x"))
    if len(raw) != size:
        raise ValueError(f"{value!r} is not {size} bytes")
    return raw


def _hex_text(value: object, size: int) -> str:
    return "0x" + _hex(value, size).hex()


def _check_leaf(parts: _Parts, checker: _Checker) -> None:
    try:
        computed = leaf_hash(canonical_json(parts.record))
    except EvidenceError as exc:
        raise checker.fail(Outcome.INVALID, "leaf", exc.en, exc.zh) from exc
    if computed != parts.leaf_hash:
        raise checker.fail(
            Outcome.INVALID,
            "leaf",
            f"The record hashes to {computed.hex()}, not to the bundle's leaf "
            f"{parts.leaf_hash.hex()}: the record was changed.",
            f"记录的哈希为 {computed.hex()}，与存证包中的叶子哈希 "
            f"{parts.leaf_hash.hex()} 不符：记录已被改动。",
        )
    _check_log_position(parts, checker)
    try:
        verify_inclusion(
            computed, parts.leaf_index, parts.tree_size, parts.path, parts.root
        )
    except EvidenceError as exc:
        raise checker.fail(Outcome.INVALID, "inclusion", exc.en, exc.zh) from exc
    checker.passed(
        "inclusion",
        f"Leaf {parts.leaf_index} of {parts.tree_size} leads to root "
        f"{parts.root.hex()}.",
        f"第 {parts.leaf_index} 个叶子（共 {parts.tree_size} 个）推算出根哈希 "
        f"{parts.root.hex()}。",
    )


def _check_log_position(parts: _Parts, checker: _Checker) -> None:
    record = parts.record
    seq = record.get("log_seq") if isinstance(record, Mapping) else None
    entry = record.get("log_entry_hash") if isinstance(record, Mapping) else None
    covered = isinstance(seq, int) and seq <= parts.log_seq
    if covered and seq == parts.log_seq:
        covered = entry == parts.log_head.hex()
    if not covered:
        raise checker.fail(
            Outcome.INVALID,
            "log",
            f"The record's usage-log entry ({seq}) is not covered by the anchored "
            f"log head ({parts.log_seq}).",
            f"记录对应的用印日志条目（{seq}）不在锚定的日志链头（{parts.log_seq}）"
            "之内。",
        )
    checker.passed(
        "log",
        f"Usage-log entry {seq} lies within the anchored head {parts.log_seq}.",
        f"用印日志第 {seq} 条位于锚定链头（第 {parts.log_seq} 条）之内。",
    )


def _check_chain(
    parts: _Parts,
    rpc: JsonRpc,
    checker: _Checker,
    min_confirmations: int,
    expected_sender: str | None,
) -> None:
    try:
        tx = _fetch(parts, rpc, checker)
        _check_payload(parts, tx, checker, expected_sender)
        _check_block(parts, rpc, checker, min_confirmations)
    except RpcError as exc:
        raise checker.fail(
            Outcome.CANNOT_VERIFY,
            "chain",
            f"The chain node at {rpc.url} could not be asked ({exc}).",
            f"无法查询 {rpc.url} 的区块链节点（{exc}）。",
        ) from exc
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise checker.fail(
            Outcome.CANNOT_VERIFY,
            "chain",
            f"The chain node at {rpc.url} gave an answer that cannot be read "
            f"({type(exc).__name__}).",
            f"{rpc.url} 的区块链节点返回了无法解读的应答（{type(exc).__name__}）。",
        ) from exc


def _fetch(parts: _Parts, rpc: JsonRpc, checker: _Checker) -> Mapping[str, Any]:
    chain_id = int(rpc.call("eth_chainId"), 16)
    if chain_id != parts.chain_id:
        raise checker.fail(
            Outcome.CANNOT_VERIFY,
            "chain",
            f"The node serves chain {chain_id}; the evidence is on chain "
            f"{parts.chain_id}.",
            f"该节点属于链 {chain_id}，存证位于链 {parts.chain_id}。",
        )
    tx = rpc.call("eth_getTransactionByHash", parts.tx_hash)
    if not isinstance(tx, Mapping):
        raise checker.fail(
            Outcome.CANNOT_VERIFY,
            "transaction",
            f"Chain {chain_id} does not know transaction {parts.tx_hash}.",
            f"链 {chain_id} 上查不到交易 {parts.tx_hash}。",
        )
    checker.passed(
        "transaction",
        f"Transaction {parts.tx_hash} is on chain {chain_id}.",
        f"交易 {parts.tx_hash} 位于链 {chain_id}。",
    )
    return tx


def _check_payload(
    parts: _Parts,
    tx: Mapping[str, Any],
    checker: _Checker,
    expected_sender: str | None,
) -> None:
    data = decode_anchor(bytes.fromhex(str(tx.get("input", "0x")).removeprefix("0x")))
    problems = []
    if data is None:
        problems.append("its data is not a SealDesk anchor")
    else:
        if data.root != parts.root:
            problems.append(f"it anchors root {data.root.hex()}")
        if data.workspace_hash != workspace_hash(parts.workspace_id):
            problems.append("it belongs to another workspace")
        if (data.log_seq, data.log_head) != (parts.log_seq, parts.log_head):
            problems.append(f"it anchors usage-log head {data.log_seq}")
    sender = str(tx.get("from", "")).lower()
    if sender != parts.sender.lower():
        problems.append(f"it was sent by {sender}")
    if expected_sender is not None and sender != expected_sender.lower():
        problems.append(f"it was not sent by the workspace's account {expected_sender}")
    if str(tx.get("to", "")).lower() != parts.to.lower():
        problems.append("it was sent to another address")
    if problems:
        text = "; ".join(problems)
        raise checker.fail(
            Outcome.INVALID,
            "anchor",
            f"The transaction does not anchor this evidence: {text}.",
            f"该交易并未锚定此存证：{text}。",
        )
    checker.passed(
        "anchor",
        "The transaction carries the batch root, the workspace and the usage-log head.",
        "交易载有该批次的根哈希、工作区标识和用印日志链头。",
    )


def _check_block(
    parts: _Parts, rpc: JsonRpc, checker: _Checker, min_confirmations: int
) -> None:
    receipt = rpc.call("eth_getTransactionReceipt", parts.tx_hash)
    if not isinstance(receipt, Mapping) or receipt.get("blockHash") is None:
        raise checker.fail(
            Outcome.CANNOT_VERIFY,
            "block",
            "The transaction is not yet in a block.",
            "该交易尚未打包进区块。",
        )
    block = rpc.call("eth_getBlockByNumber", hex(parts.block_number), False)
    canonical = isinstance(block, Mapping) and block.get("hash") == parts.block_hash
    if receipt.get("blockHash") != parts.block_hash or not canonical:
        raise checker.fail(
            Outcome.INVALID,
            "block",
            f"Block {parts.block_number} of the chain is not block "
            f"{parts.block_hash} that the bundle names.",
            f"链上第 {parts.block_number} 个区块不是存证包所记的区块 "
            f"{parts.block_hash}。",
        )
    if int(str(receipt.get("status", "0x0")), 16) != 1:
        raise checker.fail(
            Outcome.INVALID,
            "block",
            "The anchor transaction failed on the chain.",
            "锚定交易在链上执行失败。",
        )
    assert isinstance(block, Mapping)
    latest = int(rpc.call("eth_blockNumber"), 16)
    confirmations = latest - parts.block_number + 1
    checker.found.update(
        block_number=parts.block_number,
        block_time=int(str(block.get("timestamp", "0x0")), 16),
        confirmations=confirmations,
    )
    if confirmations < min_confirmations:
        raise checker.fail(
            Outcome.CANNOT_VERIFY,
            "confirmations",
            f"The anchor has {confirmations} confirmations; {min_confirmations} "
            "are required.",
            f"锚定交易只有 {confirmations} 个确认，要求 {min_confirmations} 个。",
        )
    checker.passed(
        "block",
        f"Block {parts.block_number} holds the transaction, with {confirmations} "
        "confirmations.",
        f"第 {parts.block_number} 个区块包含该交易，已有 {confirmations} 个确认。",
    )


@dataclass(frozen=True)
class ChainAnchor:
    """A SealDesk anchor transaction found on the chain."""

    tx_hash: str
    block_number: int
    block_hash: str
    sender: str
    data: AnchorData


def find_anchors(
    rpc: JsonRpc,
    *,
    to: str,
    sender: str,
    workspace: bytes,
    from_block: int,
    to_block: int | None = None,
) -> list[ChainAnchor]:
    """Every anchor of one workspace sent by ``sender`` to ``to``, oldest first.

    This reads each block in the range with its transactions: calldata
    anchors leave no event logs to filter on. Start from the newest block the
    caller already trusts to keep the scan short.

    :raises RpcError: if the node does not answer.
    """
    last = int(rpc.call("eth_blockNumber"), 16) if to_block is None else to_block
    found = []
    for number, txs in _blocks(rpc, from_block, last):
        for tx in txs:
            anchor = _as_anchor(tx, number, to, sender, workspace)
            if anchor is not None:
                found.append(anchor)
    return found


def _blocks(
    rpc: JsonRpc, first: int, last: int
) -> Iterator[tuple[int, Sequence[Mapping[str, Any]]]]:
    for number in range(first, last + 1):
        block = rpc.call("eth_getBlockByNumber", hex(number), True)
        if isinstance(block, Mapping):
            yield number, block.get("transactions") or ()


def _as_anchor(
    tx: Mapping[str, Any], number: int, to: str, sender: str, workspace: bytes
) -> ChainAnchor | None:
    if str(tx.get("to") or "").lower() != to.lower():
        return None
    if str(tx.get("from") or "").lower() != sender.lower():
        return None
    data = decode_anchor(bytes.fromhex(str(tx.get("input", "0x")).removeprefix("0x")))
    if data is None or data.workspace_hash != workspace:
        return None
    return ChainAnchor(
        tx_hash=str(tx["hash"]),
        block_number=number,
        block_hash=str(tx.get("blockHash")),
        sender=str(tx["from"]),
        data=data,
    )
