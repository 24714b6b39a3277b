"""The evidence package's own verifier: ``python3 verify.py [--rpc URL]``.

This file is copied unchanged into every evidence package (证据包) as
``verify.py``. A court, a lawyer or an auditor runs it in the unpacked folder
with nothing but Python 3.11 or later; it imports only the standard library
and nothing from SealDesk. ``sealdesk verify-package`` imports the same
functions, so both take one code path.

What it checks, each printed as one line in English and Chinese:

1. ``manifest.json`` is byte-for-byte canonical JSON (sorted keys, no
   spaces) of the known format, lists every other file with its SHA-256,
   and no file is missing or extra; every file's hash matches;
2. this script itself matches its entry in the manifest;
3. the signed PDF's SHA-256 equals the archive's hash, the verification
   report's hash and the evidence record's ``document_sha256_after``;
4. every usage-log entry (用印日志) hashes to its recorded hash, and the
   chain links between the entries in the package hold;
5. the evidence record hashes to its leaf (RFC 8785 canonical JSON, then
   SHA-256 with a 0x00 prefix) and the RFC 9162 inclusion proof leads to the
   batch root;
6. with ``--rpc URL``, the anchor transaction fetched by JSON-RPC carries
   that root, the workspace's hash and the usage-log head, succeeded, sits in
   the chain's block at that height, and has at least one confirmation.

Exit codes: 0 every check passed; 1 a check failed; 3 nothing failed but
the evidence is not yet anchored on the chain (尚未上链); 2 bad arguments.

RFC 8785 and the RFC 9162 proof check are written out here rather than taken
from the ``rfc8785`` package or SealDesk's own modules because the script
must run on a bare Python without installing anything. Only the subset of
RFC 8785 that evidence records use is implemented: strings, integers, null,
booleans, arrays and objects. Floats are refused.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "BUNDLE_FORMAT",
    "DOCUMENT",
    "EXIT_FAILED",
    "EXIT_NOT_ANCHORED",
    "EXIT_OK",
    "INFO",
    "MANIFEST",
    "MANIFEST_FORMAT",
    "NOT_ANCHORED_FORMAT",
    "OMITTED_REASONS",
    "PackageCheck",
    "Step",
    "canonical_json",
    "log_entry_hash",
    "main",
    "manifest_bytes",
    "print_check",
    "verify_folder",
]

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "sealdesk-evidence-package/1"
SELF = "verify.py"
DOCUMENT = "document.pdf"
REPORT_JSON = "report.json"
REPORT_PDF = "report.pdf"
USAGE_LOG = "usage-log.json"
USAGE_LOG_FORMAT = "sealdesk-usage-log-extract/1"
EVIDENCE = "evidence.json"
INFO = "package-info.json"
BUNDLE_FORMAT = "sealdesk-evidence-bundle/1"
NOT_ANCHORED_FORMAT = "sealdesk-evidence-not-anchored/1"
GENESIS = "0" * 64
# Files a package may leave out, each only with exactly this reason.
OMITTED_REASONS = {
    REPORT_PDF: "The report PDF could not be made by this SealDesk; report.json "
    "holds the full verification report. / 此版本 SealDesk 无法生成验章报告 PDF；"
    "完整的验章报告见 report.json。"
}
_REQUIRED = (SELF, DOCUMENT, REPORT_JSON, USAGE_LOG, EVIDENCE, INFO, "README.txt")
_ANCHOR_MAGIC = b"SDEV"
_ANCHOR_SIZE = 109
_MAX_SAFE_INT = 2**53 - 1

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_NOT_ANCHORED = 3


class CanonicalError(ValueError):
    """A value that the supported subset of RFC 8785 cannot write."""


class _Fail(Exception):
    """Stops the current group of checks; the failing step is already noted."""


# -- canonical JSON ------------------------------------------------------------


def canonical_json(value: object) -> bytes:
    """RFC 8785 bytes of ``value`` (strings, ints, null, bools, lists, dicts)."""
    return _encode(value).encode("utf-8")


def _encode(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        if abs(value) > _MAX_SAFE_INT:
            raise CanonicalError(f"integer {value} is beyond 2**53 - 1")
        return str(value)
    if isinstance(value, float):
        raise CanonicalError("floats are not accepted in evidence")
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_encode(v) for v in value) + "]"
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise CanonicalError("object keys must be strings")
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(f"{_string(k)}:{_encode(value[k])}" for k in keys) + "}"
    raise CanonicalError(f"{type(value).__name__} is not JSON")


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n"}
_ESCAPES.update({"\f": "\\f", "\r": "\\r"})


def _string(text: str) -> str:
    out = ['"']
    for char in text:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif code < 0x20:
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            raise CanonicalError("a string holds a lone surrogate")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def manifest_bytes(files: Mapping[str, str], omitted: Mapping[str, str]) -> bytes:
    """The one accepted form of ``manifest.json``."""
    return canonical_json(
        {"files": dict(files), "format": MANIFEST_FORMAT, "omitted": dict(omitted)}
    )


def log_entry_hash(entry: Mapping[str, Any]) -> str:
    """A usage-log entry's hash, computed exactly as SealDesk computes it.

    SHA-256 over ``json.dumps`` with sorted keys, no spaces and UTF-8 text of
    the entry's fields, including its sequence number and the previous hash.
    """
    body = {
        "seq": entry["seq"],
        "at": entry["at"],
        "action": entry["action"],
        "actor": entry["actor"],
        "seal_id": entry["seal_id"],
        "document_sha256": entry["document_sha256"],
        "details": entry["details"],
        "prev": entry["prev_hash"],
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _strict_json(data: bytes) -> Any:
    """Parse JSON, refusing floats, NaN and duplicate keys."""

    def no_float(text: str) -> Any:
        raise ValueError(f"number {text} is not an integer")

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise ValueError(f"key {key!r} appears twice")
            result[key] = value
        return result

    return json.loads(
        data.decode("utf-8"),
        parse_float=no_float,
        parse_constant=no_float,
        object_pairs_hook=no_duplicates,
    )


# -- Merkle (RFC 9162) ---------------------------------------------------------


def _leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _root_from_proof(
    leaf: bytes, index: int, size: int, path: Sequence[bytes]
) -> bytes | None:
    """RFC 9162 section 2.1.3.2; ``None`` when the proof has the wrong shape."""
    if index >= size:
        return None
    fn, sn, result = index, size - 1, leaf
    for node in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            result = _node_hash(node, result)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            result = _node_hash(result, node)
        fn >>= 1
        sn >>= 1
    return result if sn == 0 else None


# -- results -------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One check; ``status`` is ``ok``, ``fail``, ``not-anchored`` or ``skipped``."""

    name: str
    status: str
    en: str
    zh: str

    def line(self) -> str:
        mark = {"ok": "OK", "fail": "FAIL", "not-anchored": "WAIT"}.get(
            self.status, "SKIP"
        )
        return f"[{mark:>4}] {self.en} / {self.zh}"


@dataclass
class PackageCheck:
    """Every step of one package check; ``exit_code`` decides."""

    steps: list[Step] = field(default_factory=list)

    def ok(self, name: str, en: str, zh: str) -> None:
        self.steps.append(Step(name, "ok", en, zh))

    def fail(self, name: str, en: str, zh: str) -> _Fail:
        self.steps.append(Step(name, "fail", en, zh))
        return _Fail(en)

    def note(self, name: str, status: str, en: str, zh: str) -> None:
        self.steps.append(Step(name, status, en, zh))

    @property
    def exit_code(self) -> int:
        statuses = {s.status for s in self.steps}
        if "fail" in statuses or not self.steps:
            return EXIT_FAILED
        if "not-anchored" in statuses:
            return EXIT_NOT_ANCHORED
        return EXIT_OK

    def to_json(self) -> dict[str, Any]:
        return {
            "exit_code": self.exit_code,
            "steps": [vars(s) for s in self.steps],
        }


# -- the checks ----------------------------------------------------------------


def verify_folder(
    folder: Path,
    rpc_url: str | None = None,
    *,
    script: Path | None = None,
    timeout: float = 10.0,
    min_confirmations: int = 1,
) -> PackageCheck:
    """Check the unpacked package in ``folder``.

    ``script`` is the running ``verify.py`` when run as a script: its own
    bytes are then held to the manifest too.
    """
    check = PackageCheck()
    try:
        files = _check_manifest(folder, check)
    except _Fail:
        return check
    if script is not None:
        _check_self(script, files, check)
    try:
        info = _read_json(folder, INFO, check)
        evidence = _read_json(folder, EVIDENCE, check)
        entries, predecessors = _read_log(folder, check)
        _check_document(folder, info, evidence, check)
        _check_log(entries, predecessors, info, evidence, check)
        _check_evidence(evidence, check)
        if evidence.get("format") == BUNDLE_FORMAT:
            _check_chain(evidence, rpc_url, check, timeout, min_confirmations)
    except _Fail:
        pass
    # Whatever a damaged or forged file makes go wrong is a failed check,
    # never a traceback that a reader might take for a fault of the tool.
    except Exception as exc:
        check.fail(
            "package",
            f"The package cannot be checked ({type(exc).__name__}: {exc}).",
            f"无法核验此证据包（{type(exc).__name__}：{exc}）。",
        )
    return check


def _check_manifest(folder: Path, check: PackageCheck) -> dict[str, str]:
    path = folder / MANIFEST
    try:
        raw = path.read_bytes()
        manifest = _strict_json(raw)
        files, omitted = manifest["files"], manifest["omitted"]
        if manifest["format"] != MANIFEST_FORMAT or set(manifest) != {
            "files",
            "format",
            "omitted",
        }:
            raise ValueError(f"unknown format {manifest['format']!r}")
        if not isinstance(files, dict) or not isinstance(omitted, dict):
            raise TypeError("files and omitted must be objects")
    except OSError as exc:
        raise check.fail(
            "manifest",
            f"{MANIFEST} cannot be read ({exc.strerror or exc}).",
            f"无法读取 {MANIFEST}（{exc.strerror or exc}）。",
        ) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise check.fail(
            "manifest",
            f"{MANIFEST} is not a valid package manifest ({exc}).",
            f"{MANIFEST} 不是有效的证据包清单（{exc}）。",
        ) from exc
    for name, reason in omitted.items():
        if OMITTED_REASONS.get(name) != reason or name in files:
            raise check.fail(
                "manifest",
                f"{MANIFEST} leaves out {name!r} for a reason it may not give.",
                f"{MANIFEST} 以不被认可的理由省略了 {name!r}。",
            )
    try:
        canonical = manifest_bytes(files, omitted)
    except CanonicalError as exc:
        raise check.fail(
            "manifest", f"{MANIFEST}: {exc}.", f"{MANIFEST}：{exc}。"
        ) from exc
    if canonical != raw:
        raise check.fail(
            "manifest",
            f"{MANIFEST} is not in its canonical form: it was edited.",
            f"{MANIFEST} 不是规范格式：已被改动。",
        )
    check.ok(
        "manifest",
        f"{MANIFEST} is canonical and lists {len(files)} files.",
        f"{MANIFEST} 格式规范，列出 {len(files)} 个文件。",
    )
    for name, reason in omitted.items():
        check.note("omitted", "skipped", f"{name} left out: {reason}", reason)
    _check_files(folder, files, check)
    return dict(files)


def _present_files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() or p.is_symlink()
    } - {MANIFEST}


def _check_files(folder: Path, files: Mapping[str, Any], check: PackageCheck) -> None:
    present = _present_files(folder)
    missing = sorted(set(files) - present) + sorted(set(_REQUIRED) - set(files))
    extra = sorted(present - set(files))
    if missing or extra:
        raise check.fail(
            "files",
            f"Files missing: {', '.join(missing) or '-'}; files not in the "
            f"manifest: {', '.join(extra) or '-'}.",
            f"缺少文件：{'、'.join(missing) or '无'}；清单外的文件："
            f"{'、'.join(extra) or '无'}。",
        )
    bad = []
    for name in sorted(files):
        path = folder / name
        if path.is_symlink() or _sha256_file(path) != files[name]:
            bad.append(name)
    if bad:
        raise check.fail(
            "files",
            f"These files do not match their SHA-256 in the manifest: "
            f"{', '.join(bad)}.",
            f"以下文件与清单中的 SHA-256 不符：{'、'.join(bad)}。",
        )
    check.ok(
        "files",
        f"All {len(files)} files match their SHA-256 in the manifest.",
        f"全部 {len(files)} 个文件与清单中的 SHA-256 相符。",
    )


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _check_self(script: Path, files: Mapping[str, str], check: PackageCheck) -> None:
    if _sha256_file(script) != files.get(SELF):
        check.fail(
            "self",
            f"This {SELF} is not the one listed in the manifest.",
            f"正在运行的 {SELF} 与清单所列不符。",
        )
        return
    check.ok(
        "self",
        f"This {SELF} is the one listed in the manifest.",
        f"正在运行的 {SELF} 与清单所列一致。",
    )


def _read_json(folder: Path, name: str, check: PackageCheck) -> dict[str, Any]:
    try:
        value = _strict_json((folder / name).read_bytes())
        if not isinstance(value, dict):
            raise TypeError("not a JSON object")
    except (OSError, ValueError, TypeError) as exc:
        raise check.fail(
            name, f"{name} cannot be read ({exc}).", f"无法读取 {name}（{exc}）。"
        ) from exc
    return value


def _read_log(
    folder: Path, check: PackageCheck
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    extract = _read_json(folder, USAGE_LOG, check)
    entries = extract.get("entries")
    predecessors = extract.get("predecessors")
    if (
        extract.get("format") != USAGE_LOG_FORMAT
        or not isinstance(entries, list)
        or not isinstance(predecessors, list)
    ):
        raise check.fail(
            "log",
            f"{USAGE_LOG} is not a usage-log extract.",
            f"{USAGE_LOG} 不是用印日志摘录。",
        )
    return entries, predecessors


def _record(evidence: Mapping[str, Any]) -> Mapping[str, Any] | None:
    record = evidence.get("record")
    return record if isinstance(record, Mapping) else None


def _check_document(
    folder: Path,
    info: Mapping[str, Any],
    evidence: Mapping[str, Any],
    check: PackageCheck,
) -> None:
    actual = _sha256_file(folder / DOCUMENT)
    report = _read_json(folder, REPORT_JSON, check)
    archive = info.get("archive_entry")
    claims = {
        "archive": archive.get("sha256") if isinstance(archive, Mapping) else None,
        "report": report.get("sha256"),
    }
    record = _record(evidence)
    if record is not None:
        claims["evidence"] = record.get("document_sha256_after")
    wrong = [name for name, value in claims.items() if value != actual]
    if wrong:
        raise check.fail(
            "document",
            f"{DOCUMENT} (SHA-256 {actual}) is not the document named by: "
            f"{', '.join(wrong)}.",
            f"{DOCUMENT}（SHA-256 {actual}）与以下所记文件不符：{'、'.join(wrong)}。",
        )
    check.ok(
        "document",
        f"{DOCUMENT} has SHA-256 {actual}, as the {' and the '.join(claims)} say.",
        f"{DOCUMENT} 的 SHA-256 为 {actual}，与归档、验章报告"
        f"{'及存证记录' if 'evidence' in claims else ''}所记一致。",
    )


def _check_log(
    entries: Sequence[Any],
    predecessors: Sequence[Any],
    info: Mapping[str, Any],
    evidence: Mapping[str, Any],
    check: PackageCheck,
) -> None:
    archive = info.get("archive_entry")
    hashes = (
        {archive.get("sha256"), archive.get("sha256_before")} - {None}
        if isinstance(archive, Mapping)
        else set()
    )
    ours = _hashed_entries(entries, check)
    for seq, entry in ours.items():
        if entry.get("document_sha256") not in hashes:
            raise check.fail(
                "log",
                f"Usage-log entry {seq} does not belong to this document.",
                f"用印日志第 {seq} 条不属于本文件。",
            )
    before = _hashed_entries(predecessors, check)
    if set(before) & set(ours) or set(before) - {s - 1 for s in ours}:
        raise check.fail(
            "log",
            f"{USAGE_LOG} holds entries that precede none of the document's.",
            f"{USAGE_LOG} 含有与本文件条目无关的前序条目。",
        )
    _check_links(ours, {**before, **ours}, check)
    check.ok(
        "log",
        f"{len(ours)} usage-log entries of this document match their hashes and "
        f"link to the entry before each ({len(before)} of those shipped).",
        f"本文件的 {len(ours)} 条用印日志与其哈希相符，且与各自前一条的链接一致"
        f"（附前序条目 {len(before)} 条）。",
    )
    _check_log_record(ours, evidence, check)


def _hashed_entries(
    entries: Sequence[Any], check: PackageCheck
) -> dict[int, Mapping[str, Any]]:
    """The entries by sequence number, each one's hash recomputed."""
    by_seq: dict[int, Mapping[str, Any]] = {}
    for entry in entries:
        try:
            recomputed = log_entry_hash(entry)
            seq = entry["seq"]
            if not isinstance(seq, int) or seq < 1 or seq in by_seq:
                raise ValueError(f"sequence number {seq!r}")
        except (KeyError, TypeError, ValueError) as exc:
            raise check.fail(
                "log",
                f"A usage-log entry is incomplete or repeated ({exc}).",
                f"用印日志条目不完整或重复（{exc}）。",
            ) from exc
        if recomputed != entry.get("entry_hash"):
            raise check.fail(
                "log",
                f"Usage-log entry {seq} does not match its hash.",
                f"用印日志第 {seq} 条与其哈希不符。",
            )
        by_seq[seq] = entry
    return by_seq


def _check_links(
    ours: Mapping[int, Mapping[str, Any]],
    known: Mapping[int, Mapping[str, Any]],
    check: PackageCheck,
) -> None:
    for seq, entry in sorted(ours.items()):
        before = known.get(seq - 1)
        expected = GENESIS if seq == 1 else (before or {}).get("entry_hash")
        if expected is None or entry.get("prev_hash") != expected:
            raise check.fail(
                "log",
                f"Usage-log entry {seq} does not link to entry {seq - 1}.",
                f"用印日志第 {seq} 条与第 {seq - 1} 条的链接不符。",
            )


def _check_log_record(
    by_seq: Mapping[int, Mapping[str, Any]],
    evidence: Mapping[str, Any],
    check: PackageCheck,
) -> None:
    record = _record(evidence)
    if record is None:
        return
    seq = record.get("log_seq")
    entry = by_seq.get(seq) if isinstance(seq, int) else None
    if entry is None or entry.get("entry_hash") != record.get("log_entry_hash"):
        raise check.fail(
            "log",
            f"The evidence record names usage-log entry {seq}, which is not in "
            f"{USAGE_LOG} with that hash.",
            f"存证记录引用的用印日志第 {seq} 条不在 {USAGE_LOG} 中或哈希不符。",
        )
    check.ok(
        "log",
        f"The evidence record belongs to usage-log entry {seq}.",
        f"存证记录对应用印日志第 {seq} 条。",
    )


def _hex(value: object, size: int) -> bytes:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a hex string")
    raw = bytes.fromhex(value.removeprefix("0x"))
    if len(raw) != size:
        raise ValueError(f"{value!r} is not {size} bytes")
    return raw


def _check_evidence(evidence: Mapping[str, Any], check: PackageCheck) -> None:
    form = evidence.get("format")
    record = _record(evidence)
    if form == NOT_ANCHORED_FORMAT and record is None:
        check.note(
            "evidence",
            "not-anchored",
            "No evidence record exists for this document; nothing is anchored.",
            "本文件没有存证记录，未上链。",
        )
        return
    if form not in (BUNDLE_FORMAT, NOT_ANCHORED_FORMAT) or record is None:
        raise check.fail(
            "evidence",
            f"{EVIDENCE} is not an evidence bundle.",
            f"{EVIDENCE} 不是存证包。",
        )
    try:
        leaf = _leaf_hash(canonical_json(record))
        claimed = _hex(evidence.get("leaf_hash"), 32)
    except (CanonicalError, TypeError, ValueError) as exc:
        raise check.fail(
            "leaf",
            f"The evidence record is unusable ({exc}).",
            f"存证记录不可用（{exc}）。",
        ) from exc
    if leaf != claimed:
        raise check.fail(
            "leaf",
            f"The evidence record hashes to {leaf.hex()}, not to the leaf "
            f"{claimed.hex()}: the record was changed.",
            f"存证记录的哈希为 {leaf.hex()}，与叶子哈希 {claimed.hex()} 不符："
            "记录已被改动。",
        )
    check.ok(
        "leaf",
        f"The evidence record hashes to leaf {leaf.hex()} (RFC 8785).",
        f"存证记录的叶子哈希为 {leaf.hex()}（RFC 8785）。",
    )
    if form == NOT_ANCHORED_FORMAT:
        check.note(
            "evidence",
            "not-anchored",
            "The evidence record is not yet anchored on the chain.",
            "存证记录尚未上链。",
        )
        return
    _check_inclusion(evidence, leaf, check)


def _check_inclusion(
    evidence: Mapping[str, Any], leaf: bytes, check: PackageCheck
) -> None:
    try:
        inclusion, anchor = evidence["inclusion"], evidence["anchor"]
        index, size = int(inclusion["leaf_index"]), int(inclusion["tree_size"])
        path = [_hex(h, 32) for h in inclusion["path"]]
        root = _hex(inclusion["root"], 32)
        record = _record(evidence) or {}
        log_seq, anchored_seq = record["log_seq"], int(anchor["log_seq"])
    except (KeyError, TypeError, ValueError) as exc:
        raise check.fail(
            "inclusion",
            f"The inclusion proof is malformed ({exc}).",
            f"包含证明格式不正确（{exc}）。",
        ) from exc
    if _root_from_proof(leaf, index, size, path) != root:
        raise check.fail(
            "inclusion",
            f"The inclusion proof of leaf {index} of {size} does not lead to root "
            f"{root.hex()}.",
            f"第 {index} 个叶子（共 {size} 个）的包含证明推算不出根哈希 {root.hex()}。",
        )
    check.ok(
        "inclusion",
        f"Leaf {index} of {size} leads to Merkle root {root.hex()} (RFC 9162).",
        f"第 {index} 个叶子（共 {size} 个）推算出默克尔根 {root.hex()}（RFC 9162）。",
    )
    head_ok = isinstance(log_seq, int) and log_seq <= anchored_seq
    if head_ok and log_seq == anchored_seq:
        head_ok = record.get("log_entry_hash") == anchor.get("log_head")
    if not head_ok:
        raise check.fail(
            "inclusion",
            f"Usage-log entry {log_seq} is not covered by the anchored log head "
            f"{anchored_seq}.",
            f"用印日志第 {log_seq} 条不在锚定的日志链头（第 {anchored_seq} 条）之内。",
        )


# -- the chain -----------------------------------------------------------------


class _Rpc:
    def __init__(self, url: str, timeout: float) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"{url} is not an http(s) address")
        self.url, self.timeout, self._id = url, timeout, 0

    def call(self, method: str, *params: object) -> Any:
        self._id += 1
        body = json.dumps(
            {"jsonrpc": "2.0", "id": self._id, "method": method, "params": params}
        ).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            self.url, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
            reply = json.loads(answer.read())
        if not isinstance(reply, dict) or reply.get("error") is not None:
            raise ValueError(f"{method}: {reply.get('error') if reply else reply}")
        return reply.get("result")


def _check_chain(
    evidence: Mapping[str, Any],
    rpc_url: str | None,
    check: PackageCheck,
    timeout: float,
    min_confirmations: int,
) -> None:
    anchor = evidence.get("anchor") or {}
    if rpc_url is None:
        check.note(
            "chain",
            "skipped",
            f"Chain NOT checked: run again with --rpc URL to check transaction "
            f"{anchor.get('tx_hash')} on chain {anchor.get('chain_id')}.",
            f"未核对区块链：请加 --rpc 节点地址 重新运行，以核对链 "
            f"{anchor.get('chain_id')} 上的交易 {anchor.get('tx_hash')}。",
        )
        return
    try:
        rpc = _Rpc(rpc_url, timeout)
        tx = _fetch_transaction(rpc, anchor, check)
        _check_payload(evidence, tx, check)
        _check_block(rpc, anchor, check, min_confirmations)
    except (OSError, urllib.error.URLError, ValueError, TypeError, KeyError) as exc:
        raise check.fail(
            "chain",
            f"The chain node at {rpc_url} could not be asked or gave an answer "
            f"that cannot be read ({exc}).",
            f"无法查询 {rpc_url} 的区块链节点，或其应答无法解读（{exc}）。",
        ) from exc


def _fetch_transaction(
    rpc: _Rpc, anchor: Mapping[str, Any], check: PackageCheck
) -> Mapping[str, Any]:
    chain_id = int(rpc.call("eth_chainId"), 16)
    if chain_id != anchor["chain_id"]:
        raise check.fail(
            "chain",
            f"The node serves chain {chain_id}; the evidence is on chain "
            f"{anchor['chain_id']}.",
            f"该节点属于链 {chain_id}，存证位于链 {anchor['chain_id']}。",
        )
    tx = rpc.call("eth_getTransactionByHash", anchor["tx_hash"])
    if not isinstance(tx, Mapping):
        raise check.fail(
            "chain",
            f"Chain {chain_id} does not know transaction {anchor['tx_hash']}.",
            f"链 {chain_id} 上查不到交易 {anchor['tx_hash']}。",
        )
    return tx


def _check_payload(
    evidence: Mapping[str, Any], tx: Mapping[str, Any], check: PackageCheck
) -> None:
    anchor, inclusion = evidence["anchor"], evidence["inclusion"]
    data = bytes.fromhex(str(tx.get("input", "0x")).removeprefix("0x"))
    workspace = hashlib.sha256(str(anchor["workspace_id"]).encode("utf-8")).digest()
    problems = []
    if len(data) != _ANCHOR_SIZE or data[:5] != _ANCHOR_MAGIC + b"\x01":
        problems.append("its data is not a SealDesk anchor")
    else:
        if data[5:37] != workspace:
            problems.append("it belongs to another workspace")
        if data[37:69] != _hex(inclusion["root"], 32):
            problems.append(f"it anchors root {data[37:69].hex()}")
        seq, head = int.from_bytes(data[69:77], "big"), data[77:109]
        if (seq, head) != (anchor["log_seq"], _hex(anchor["log_head"], 32)):
            problems.append(f"it anchors usage-log head {seq}")
    if str(tx.get("from", "")).lower() != str(anchor["sender"]).lower():
        problems.append(f"it was sent by {tx.get('from')}")
    if str(tx.get("to", "")).lower() != str(anchor["to"]).lower():
        problems.append("it was sent to another address")
    if problems:
        text = "; ".join(problems)
        raise check.fail(
            "anchor",
            f"Transaction {anchor['tx_hash']} does not anchor this evidence: {text}.",
            f"交易 {anchor['tx_hash']} 并未锚定此存证：{text}。",
        )
    check.ok(
        "anchor",
        f"Transaction {anchor['tx_hash']} carries the root, the workspace hash and "
        f"usage-log head {anchor['log_seq']}.",
        f"交易 {anchor['tx_hash']} 载有根哈希、工作区哈希和用印日志链头"
        f"（第 {anchor['log_seq']} 条）。",
    )


def _check_block(
    rpc: _Rpc, anchor: Mapping[str, Any], check: PackageCheck, wanted: int
) -> None:
    number = int(anchor["block_number"])
    receipt = rpc.call("eth_getTransactionReceipt", anchor["tx_hash"])
    block = rpc.call("eth_getBlockByNumber", hex(number), False)
    if (
        not isinstance(receipt, Mapping)
        or not isinstance(block, Mapping)
        or receipt.get("blockHash") != anchor["block_hash"]
        or block.get("hash") != anchor["block_hash"]
    ):
        raise check.fail(
            "block",
            f"Block {number} of the chain does not hold the anchor as the package "
            "says.",
            f"链上第 {number} 个区块与证据包所记不符。",
        )
    if int(str(receipt.get("status", "0x0")), 16) != 1:
        raise check.fail(
            "block", "The anchor transaction failed on the chain.", "锚定交易执行失败。"
        )
    confirmations = int(rpc.call("eth_blockNumber"), 16) - number + 1
    if confirmations < wanted:
        raise check.fail(
            "block",
            f"The anchor has {confirmations} confirmations; {wanted} are required.",
            f"锚定交易只有 {confirmations} 个确认，要求 {wanted} 个。",
        )
    check.ok(
        "block",
        f"Block {number} holds the anchor, with {confirmations} confirmations.",
        f"第 {number} 个区块包含锚定交易，已有 {confirmations} 个确认。",
    )


# -- the script ----------------------------------------------------------------


def _summary(code: int) -> str:
    return {
        EXIT_OK: "RESULT: every check passed. / 结论：全部核验通过。",
        EXIT_NOT_ANCHORED: "RESULT: not yet anchored on the chain; nothing failed. "
        "/ 结论：尚未上链；其余核验均未发现问题。",
    }.get(
        code,
        "RESULT: a check FAILED; do not rely on this package. / "
        "结论：核验未通过，不可采信此证据包。",
    )


def print_check(check: PackageCheck, *, as_json: bool = False) -> None:
    """Print each step as one line, then the result line (or JSON)."""
    if as_json:
        print(json.dumps(check.to_json(), ensure_ascii=False, indent=2))
        return
    for step in check.steps:
        print(step.line())
    print(_summary(check.exit_code))


def main(argv: Sequence[str] | None = None) -> int:
    """Check the package this script sits in; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="verify.py",
        description="Check a SealDesk evidence package. / 核验 SealDesk 证据包。",
    )
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        help="the unpacked package (default: the folder of this script)",
    )
    parser.add_argument("--rpc", metavar="URL", help="JSON-RPC address of the chain")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        # A console that cannot show Chinese must not stop the check.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    script = Path(__file__).resolve()
    folder = args.folder if args.folder is not None else script.parent
    check = verify_folder(folder, args.rpc, script=script)
    print_check(check, as_json=args.json)
    return check.exit_code


if __name__ == "__main__":
    sys.exit(main())
