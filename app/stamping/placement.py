"""Where a seal goes: the three placements and the page geometry behind them.

Positions given by the officer are measured on the page **as it is shown**:
``x_mm``/``y_mm`` run from the top-left corner of the visible page (the
CropBox, after the page's ``/Rotate``) to the centre of the seal. PDF user
space has its origin at the bottom-left of the unrotated MediaBox, so every
position is turned into user space here, once, and everything downstream
(widgets, appearance streams) works in user space.

A riding seal (骑缝章) is cut into one vertical slice per chosen page; slice
``i`` sits against the right edge of the ``i``-th chosen page, so that the
pages laid side by side show the whole seal.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = [
    "MM_TO_PT",
    "CoordinatePlacement",
    "KeywordPlacement",
    "Occurrence",
    "PageFrame",
    "Placement",
    "RidingPages",
    "RidingPlacement",
    "SealSpot",
    "choose_riding_pages",
    "mm_to_pt",
    "slice_bounds",
]

MM_TO_PT = 72 / 25.4


def mm_to_pt(mm: float) -> float:
    """Millimetres to PDF points (1/72 inch)."""
    return mm * MM_TO_PT


class Occurrence(enum.Enum):
    """Which hits of a keyword receive a seal."""

    FIRST = "first"
    LAST = "last"
    ALL = "all"


class RidingPages(enum.Enum):
    """Which pages a riding seal spans."""

    ALL = "all"
    ODD = "odd"
    EVEN = "even"


@dataclass(frozen=True)
class CoordinatePlacement:
    """A seal centred ``x_mm``/``y_mm`` from the top-left of a shown page.

    ``page`` is 1-based; negative numbers count from the end (-1 = last page).
    """

    page: int
    x_mm: float
    y_mm: float


@dataclass(frozen=True)
class KeywordPlacement:
    """A seal centred on a piece of text, e.g. 盖章处.

    ``occurrence`` is first, last, all, or the 1-based number of the hit in
    reading order through the whole document.
    """

    text: str
    occurrence: Occurrence | int = Occurrence.FIRST


@dataclass(frozen=True)
class RidingPlacement:
    """A riding seal (骑缝章) across the right edges of the chosen pages.

    ``pages`` picks all, odd or even pages, counting from ``first_page``
    (1-based) on. ``y_mm`` is the seal centre's distance from the top of each
    shown page; ``None`` centres it vertically.
    """

    pages: RidingPages = RidingPages.ALL
    first_page: int = 1
    y_mm: float | None = None


Placement = CoordinatePlacement | KeywordPlacement | RidingPlacement


@dataclass(frozen=True)
class PageFrame:
    """A page's visible box (user space) and its display rotation."""

    index: int
    box: tuple[float, float, float, float]
    rotate: int

    @property
    def shown_size(self) -> tuple[float, float]:
        """Width and height of the page as shown, in points."""
        width = self.box[2] - self.box[0]
        height = self.box[3] - self.box[1]
        return (height, width) if self.rotate in (90, 270) else (width, height)

    def to_user(self, dx: float, dy: float) -> tuple[float, float]:
        """User-space point of ``dx``/``dy`` points from the shown top-left."""
        llx, lly, urx, ury = self.box
        if self.rotate == 90:
            return llx + dy, lly + dx
        if self.rotate == 180:
            return urx - dx, lly + dy
        if self.rotate == 270:
            return urx - dy, ury - dx
        return llx + dx, ury - dy


@dataclass(frozen=True)
class SealSpot:
    """One seal image (or slice) on one page, centred at a user-space point.

    ``size`` is the width and height as shown (upright on the rotated page);
    ``piece`` is ``(i, k)`` for the i-th of k riding-seal slices, else None.
    """

    page: int
    centre: tuple[float, float]
    size: tuple[float, float]
    rotate: int
    piece: tuple[int, int] | None = None

    @property
    def rect(self) -> tuple[float, float, float, float]:
        """The widget rectangle in user space."""
        width, height = self.size
        if self.rotate in (90, 270):
            width, height = height, width
        cx, cy = self.centre
        return (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def slice_bounds(width_px: int, count: int) -> list[tuple[int, int]]:
    """Pixel columns ``[start, end)`` of ``count`` near-equal vertical slices."""
    edges = [round(i * width_px / count) for i in range(count + 1)]
    return [(edges[i], edges[i + 1]) for i in range(count)]


def choose_riding_pages(placement: RidingPlacement, page_count: int) -> list[int]:
    """0-based indexes of the pages a riding seal spans, in order."""
    chosen = []
    for number in range(max(placement.first_page, 1), page_count + 1):
        if placement.pages is RidingPages.ODD and number % 2 == 0:
            continue
        if placement.pages is RidingPages.EVEN and number % 2 == 1:
            continue
        chosen.append(number - 1)
    return chosen
