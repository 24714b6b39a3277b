"""What a stamping asks for and what it returns: plain frozen values."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pyhanko_certvalidator import ValidationContext

from app.stamping.errors import InvalidRequestError
from app.stamping.placement import Placement

__all__ = ["Level", "StampRequest", "StampResult", "ValidationContextFactory"]

ValidationContextFactory = Callable[[], ValidationContext]


class Level(enum.Enum):
    """PAdES baseline level of the signature."""

    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"


@dataclass(frozen=True)
class StampRequest:
    """One seal on one document.

    ``seal_png`` is any PNG (alpha is kept); it is drawn at
    ``seal_width_mm`` x ``seal_height_mm``. B-T needs ``tsa_url``; B-LT needs
    ``tsa_url`` and ``validation_context``, a factory that returns a fresh
    :class:`ValidationContext` (trust roots, revocation fetching) each call.
    When given, the written output must also verify as trusted.

    ``expected_sha256`` is the hash the document had when it was checked
    (grant, quota, approval); a document whose bytes differ by the time they
    are sealed is refused and its output removed.
    """

    input: Path
    output: Path
    seal_png: bytes = field(repr=False)
    seal_width_mm: float
    seal_height_mm: float
    placement: Placement
    reason: str | None = None
    location: str | None = None
    level: Level = Level.B_B
    tsa_url: str | None = None
    validation_context: ValidationContextFactory | None = field(
        default=None, compare=False
    )
    overwrite: bool = False
    expected_sha256: str | None = None

    def __post_init__(self) -> None:
        if self.level is not Level.B_B and not self.tsa_url:
            raise InvalidRequestError(
                f"{self.input}: PAdES {self.level.value} needs a time-stamp "
                "authority URL.",
                f"{self.input}：PAdES {self.level.value} 需要时间戳服务地址。",
                self.input,
            )
        if self.level is Level.B_LT and self.validation_context is None:
            raise InvalidRequestError(
                f"{self.input}: PAdES B-LT needs trust roots to collect "
                "revocation data.",
                f"{self.input}：PAdES B-LT 需要配置信任根以收集吊销信息。",
                self.input,
            )


@dataclass(frozen=True)
class StampResult:
    """A written, verified, stamped document.

    ``pages`` are the 1-based pages that carry (part of) the seal.
    """

    output: Path
    sha256_before: str
    sha256_after: str
    page_count: int
    pages: tuple[int, ...]
    signature_field: str
    signing_time: dt.datetime
    level: Level
