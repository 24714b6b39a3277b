"""What the desk's status bar shows: tokens present, the evidence outbox, the chain.

Each function reads once and returns plain values. The window calls them on
a timer, off its main thread, so each one is allowed to wait on a token
driver or on the network for a short while.

Tokens are listed by :func:`app.admin.tokens.present_tokens`, which loads the
configured PKCS#11 modules only for the time it reads the slot list and takes
turns with token log-in and stamping. A driver that fails to load makes the
listing *unknown* for that round, never empty.

The evidence modules (asyncio, the chain client) are imported inside the
functions: the window imports this module before its first screen shows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.i18n import pick
from hsm.errors import ModuleInUseError, NoModuleConfiguredError, TokenError
from storage.database import Database

__all__ = [
    "ChainProbe",
    "OutboxSummary",
    "TokenScan",
    "TokenSeen",
    "outbox_summary",
    "probe_chain",
    "scan_tokens",
]

log = logging.getLogger(__name__)

CHAIN_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class TokenSeen:
    """One token in a slot: what the person reads on its sticker."""

    label: str
    serial: str


@dataclass(frozen=True)
class TokenScan:
    """The tokens present now; ``known`` is false when a driver was busy.

    ``en``/``zh`` explain an empty or unknown listing (no driver configured,
    a driver that does not load).
    """

    tokens: tuple[TokenSeen, ...]
    known: bool = True
    en: str = ""
    zh: str = ""

    def text(self, lang: str) -> str:
        return pick(lang, self.en, self.zh)


@dataclass(frozen=True)
class OutboxSummary:
    """Evidence not yet on the chain, and when the last batch was anchored."""

    pending: int
    last_anchored_at: str | None
    last_anchor_block: int | None
    last_error: str | None


@dataclass(frozen=True)
class ChainProbe:
    """Whether the evidence chain's node answered ``eth_chainId``."""

    configured: bool
    answers: bool
    chain_id: int | None = None
    expected_chain_id: int | None = None
    reason: str | None = None

    @property
    def wrong_chain(self) -> bool:
        return (
            self.answers
            and self.expected_chain_id is not None
            and self.chain_id != self.expected_chain_id
        )


def scan_tokens(db: Database) -> TokenScan:
    """The tokens present now, through :func:`app.admin.tokens.present_tokens`."""
    # The token library loads here, not when the window starts.
    from app.admin.tokens import present_tokens

    try:
        found = present_tokens(db)
    except NoModuleConfiguredError as exc:
        return TokenScan((), True, exc.en, exc.zh)
    except ModuleInUseError:  # a stamping or log-in holds the driver right now
        return TokenScan((), False)
    except TokenError as exc:
        return TokenScan((), False, exc.en, exc.zh)
    return TokenScan(tuple(TokenSeen(t.label, t.serial) for t in found))


def outbox_summary(db: Database) -> OutboxSummary:
    """Pending evidence (as ``evidence_status`` counts it) and the last anchoring."""
    from app.evidence.sync import evidence_status

    status = evidence_status(db)
    last = db.scalar("SELECT max(mined_at) FROM evidence_batches")
    return OutboxSummary(
        pending=status.pending,
        last_anchored_at=None if last is None else str(last),
        last_anchor_block=status.last_anchor_block,
        last_error=status.last_error,
    )


def probe_chain(db: Database, timeout: float = CHAIN_TIMEOUT_SECONDS) -> ChainProbe:
    """Ask the configured node for its chain id, waiting at most ``timeout``."""
    from app.evidence.sync import sync_settings
    from app.evidence.verify import JsonRpc, RpcError

    settings = sync_settings(db)
    if settings.rpc_url is None:
        return ChainProbe(configured=False, answers=False)
    try:
        answer = JsonRpc(settings.rpc_url, timeout=timeout).call("eth_chainId")
        chain_id = int(str(answer), 16)
    except (RpcError, ValueError) as exc:
        log.debug("chain node did not answer: %s", exc)
        return ChainProbe(
            configured=True,
            answers=False,
            expected_chain_id=settings.chain_id,
            reason=str(exc),
        )
    return ChainProbe(
        configured=True,
        answers=True,
        chain_id=chain_id,
        expected_chain_id=settings.chain_id,
    )
