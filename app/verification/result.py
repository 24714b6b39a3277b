"""What a verification (验章) finds: a frozen tree of plain values.

The CLI prints it, ``--json`` dumps it, and the verification report
(验章报告) and the evidence package are built from the same tree, so every
judgement carries its reasons in English and Chinese.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ChainCheck",
    "Change",
    "ChangeKind",
    "Coverage",
    "EvidenceInfo",
    "Message",
    "Revocation",
    "SealInfo",
    "SignatureReport",
    "Signer",
    "SigningTime",
    "TimeSource",
    "Trust",
    "Verdict",
    "VerificationReport",
    "combine",
    "revocation_message",
]


class Verdict(enum.Enum):
    """The bottom line for one signature or for the whole file."""

    VALID = "valid"
    INVALID = "invalid"
    INDETERMINATE = "indeterminate"
    CANNOT_VERIFY = "cannot verify"


class TimeSource(enum.Enum):
    """Where the signing time comes from."""

    TIMESTAMP_AUTHORITY = "timestamp authority"
    LOCAL_CLOCK = "local clock"
    UNKNOWN = "unknown"


class Coverage(enum.Enum):
    """What the signed byte ranges cover."""

    WHOLE_FILE = "whole file"
    REVISION = "revision"
    PARTIAL = "partial"


class Trust(enum.Enum):
    """Whether the signer's certificate chains up to a trusted root."""

    TRUSTED = "trusted"
    UNTRUSTED = "untrusted"
    NOT_CHECKED = "not checked"


class Revocation(enum.Enum):
    """The revocation status of the signer's certificate chain."""

    GOOD_EMBEDDED = "good (embedded data)"
    GOOD_ONLINE = "good (online)"
    #: From a CRL file the desk was given (setting ``trust.crls``).
    GOOD_CRL_FILE = "good (CRL file)"
    #: From the workspace's revocation cache, still fresh.
    GOOD_CACHED = "good (cached)"
    #: Only from cached data past its next update or the configured age.
    GOOD_CACHED_STALE = "good (cached, stale)"
    REVOKED = "revoked"
    NOT_CHECKED = "not checked"


class ChangeKind(enum.Enum):
    """One kind of change made after a revision was signed."""

    LATER_SIGNATURE = "later signature"
    VALIDATION_DATA = "validation data"
    DOCUMENT_TIMESTAMP = "document timestamp"
    FORM_FIELDS = "form fields filled"
    ANNOTATIONS = "annotations"
    PAGES = "pages"
    CONTENT = "content"
    OTHER = "other"

    @property
    def acceptable(self) -> bool:
        """Whether this change leaves an earlier seal intact."""
        return self in _ACCEPTABLE


_ACCEPTABLE = frozenset(
    {
        ChangeKind.LATER_SIGNATURE,
        ChangeKind.VALIDATION_DATA,
        ChangeKind.DOCUMENT_TIMESTAMP,
    }
)


@dataclass(frozen=True)
class Message:
    """A sentence for the person, in English and Chinese."""

    en: str
    zh: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Signer:
    """Who sealed: read from the signing certificate."""

    name: str
    organisation: str
    serial: str
    issuer: str
    #: SHA-256 of the signing certificate (DER), lowercase hex.
    cert_sha256: str = ""


@dataclass(frozen=True)
class SealInfo:
    """The workspace's seal bound to the signing certificate.

    ``type`` is the stored value (``official``, ``contract``, …);
    ``type_en``/``type_zh`` are its names (official seal / 公章).
    """

    id: str
    name: str
    type: str
    type_en: str
    type_zh: str
    status: str


@dataclass(frozen=True)
class SigningTime:
    """When the seal was applied, and who vouches for that time."""

    time: dt.datetime | None
    source: TimeSource


@dataclass(frozen=True)
class Change:
    """One change after signing; ``detail`` names what changed."""

    kind: ChangeKind
    detail: str


@dataclass(frozen=True)
class SignatureReport:
    """Everything found about one signature."""

    field: str
    verdict: Verdict
    reasons: tuple[Message, ...]
    signer: Signer | None = None
    signing_time: SigningTime = SigningTime(None, TimeSource.UNKNOWN)
    intact: bool = False
    coverage: Coverage = Coverage.PARTIAL
    revision: int = 0
    revisions: int = 0
    changes: tuple[Change, ...] = ()
    modified_after_sealing: bool = False
    trust: Trust = Trust.NOT_CHECKED
    revocation: Revocation = Revocation.NOT_CHECKED
    #: With :attr:`Revocation.GOOD_CACHED_STALE`: since when the data is stale.
    revocation_stale_since: dt.datetime | None = None
    #: The workspace's seal with this certificate, when a workspace knows it.
    seal: SealInfo | None = None

    @property
    def revocation_text(self) -> Message:
        """The revocation status as a person reads it, stale date included."""
        return revocation_message(self.revocation, self.revocation_stale_since)


@dataclass(frozen=True)
class ChainCheck:
    """What the chain node said about the document's evidence (``--chain``).

    ``outcome`` is ``valid``, ``invalid`` or ``cannot_verify``; ``reason``
    is the step that decided a negative outcome.
    """

    outcome: str
    rpc_url: str
    reason: Message | None = None
    block_number: int | None = None
    confirmations: int | None = None


@dataclass(frozen=True)
class EvidenceInfo:
    """Where the evidence of a stamping done in this workspace stands.

    Read from the workspace's evidence tables; ``state`` is ``none`` without
    a record, ``waiting`` while the record is in no batch, else the batch
    state (built, signed, sent, mined, confirmed). ``anchored`` once the
    batch's transaction is in a block.
    """

    recorded: bool
    anchored: bool
    state: str
    note: Message
    leaf_id: int | None = None
    batch_root: str | None = None
    chain_id: int | None = None
    tx_hash: str | None = None
    block_number: int | None = None
    block_hash: str | None = None
    anchored_at: str | None = None
    confirmations: int = 0
    confirmed_at: str | None = None
    chain_check: ChainCheck | None = None


@dataclass(frozen=True)
class VerificationReport:
    """The verification of one file: its signatures and the overall verdict."""

    file: str
    sha256: str
    verdict: Verdict
    signatures: tuple[SignatureReport, ...]
    reasons: tuple[Message, ...]
    checked_at: dt.datetime
    #: The document's evidence, when the open workspace stamped it.
    evidence: EvidenceInfo | None = None

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values (enums by value, times in ISO 8601)."""
        result = _plain(self)
        assert isinstance(result, dict)
        return result

    def to_json(self) -> str:
        """The report as a JSON document."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @property
    def exit_code(self) -> int:
        """0 valid, 1 invalid, 2 indeterminate or cannot verify."""
        return {Verdict.VALID: 0, Verdict.INVALID: 1}.get(self.verdict, 2)


def revocation_message(
    revocation: Revocation, stale_since: dt.datetime | None = None
) -> Message:
    """A revocation status in both languages."""
    if revocation is Revocation.GOOD_CACHED_STALE:
        since = (
            stale_since.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            if stale_since is not None
            else "?"
        )
        return Message(
            f"good (cached, stale since {since})", f"有效（缓存，已过期，自 {since}）"
        )
    return _REVOCATION_TEXT.get(revocation, Message(revocation.value, revocation.value))


_REVOCATION_TEXT = {
    Revocation.GOOD_EMBEDDED: Message("good (embedded data)", "有效（文件内嵌数据）"),
    Revocation.GOOD_ONLINE: Message("good (online)", "有效（在线查询）"),
    Revocation.GOOD_CRL_FILE: Message("good (CRL file)", "有效（CRL 文件）"),
    Revocation.GOOD_CACHED: Message("good (cached)", "有效（缓存）"),
    Revocation.REVOKED: Message("revoked", "已吊销"),
    Revocation.NOT_CHECKED: Message("not checked", "未检查"),
}


def combine(verdicts: list[Verdict]) -> Verdict:
    """The file's verdict: the worst of its signatures' verdicts."""
    if not verdicts:
        return Verdict.INDETERMINATE
    for worst in (Verdict.INVALID, Verdict.CANNOT_VERIFY, Verdict.INDETERMINATE):
        if worst in verdicts:
            return worst
    return Verdict.VALID


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
