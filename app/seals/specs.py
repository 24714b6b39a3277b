"""Plain values describing a seal image: the four kinds of spec and the result.

Each spec checks its own fields when it is made, so an impossible seal (an
empty name, a diameter no seal maker cuts) never reaches the renderer. Whether
the text *fits* is decided by the layout, at render time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from app.seals.errors import SealDesignError

__all__ = [
    "IMPORTED_RANGE_MM",
    "ROUND_DIAMETERS_MM",
    "SEAL_RED",
    "Color",
    "ImportedSealSpec",
    "OvalSealSpec",
    "RoundSealSpec",
    "SealImage",
    "SealSpec",
    "SquareSealSpec",
]

Color: TypeAlias = tuple[int, int, int]

SEAL_RED: Color = (0xE0, 0x10, 0x10)

ROUND_DIAMETERS_MM: tuple[int, ...] = (38, 40, 42, 45, 50, 60)

_OVAL_RANGE_MM = (20.0, 80.0)
_SQUARE_RANGE_MM = (10.0, 40.0)
IMPORTED_RANGE_MM = (5.0, 100.0)
_CODE_MAX_CHARS = 24


@dataclass(frozen=True)
class RoundSealSpec:
    """Round official seal (公章).

    ``org_name`` runs along the upper arc, ``bottom_line`` (for example
    合同专用章) sits horizontally below the star and ``code`` (for example the
    13-digit seal code) runs in small characters along the lower arc.
    """

    org_name: str
    bottom_line: str | None = None
    code: str | None = None
    diameter_mm: float = 42
    color: Color = SEAL_RED

    def __post_init__(self) -> None:
        _check_text(self.org_name, "organisation name", "单位名称")
        _check_optional_text(self.bottom_line, "bottom line", "横排文字")
        _check_code(self.code)
        _check_color(self.color)
        if self.diameter_mm not in ROUND_DIAMETERS_MM:
            allowed = ", ".join(str(d) for d in ROUND_DIAMETERS_MM)
            raise SealDesignError(
                f"A round seal must be {allowed} mm across, not {self.diameter_mm} mm.",
                f"圆形印章直径只能是 {allowed} 毫米，不能是 {self.diameter_mm} 毫米。",
            )


@dataclass(frozen=True)
class OvalSealSpec:
    """Oval seal: finance (财务专用章) or invoice (发票专用章).

    ``org_name`` runs along the upper arc, ``bottom_line`` sits horizontally
    near the bottom and ``tax_id`` (invoice seals) crosses the middle.
    """

    org_name: str
    bottom_line: str
    tax_id: str | None = None
    width_mm: float = 40
    height_mm: float = 30
    color: Color = SEAL_RED

    def __post_init__(self) -> None:
        _check_text(self.org_name, "organisation name", "单位名称")
        _check_text(self.bottom_line, "bottom line", "横排文字")
        _check_color(self.color)
        _check_mm(self.width_mm, _OVAL_RANGE_MM, "oval width", "椭圆宽度")
        _check_mm(self.height_mm, _OVAL_RANGE_MM, "oval height", "椭圆高度")
        if self.height_mm >= self.width_mm:
            raise SealDesignError(
                "An oval seal must be wider than it is tall.",
                "椭圆印章的宽度必须大于高度。",
            )
        if self.tax_id is not None and not _is_tax_id(self.tax_id):
            raise SealDesignError(
                "The taxpayer number must be 15 to 20 digits or capital letters.",
                "纳税人识别号必须是 15 到 20 位数字或大写字母。",
            )


@dataclass(frozen=True)
class SquareSealSpec:
    """Square name seal of a legal representative (法定代表人名章).

    The characters fill a 2 x 2 grid (or two tall columns for a two-character
    name) read in the traditional order: right column first, top to bottom.
    A three-character name needs ``append_yin`` so that 印 fills the fourth
    cell.
    """

    name: str
    append_yin: bool = False
    size_mm: float = 20
    color: Color = SEAL_RED

    def __post_init__(self) -> None:
        _check_text(self.name, "name", "姓名")
        _check_color(self.color)
        _check_mm(self.size_mm, _SQUARE_RANGE_MM, "seal size", "印章边长")
        count = len(self.name)
        if self.append_yin and count != 3:
            raise SealDesignError(
                "印 is added only to a three-character name.",
                "只有三个字的姓名才能加“印”字。",
            )
        if not self.append_yin and count not in (2, 4):
            raise SealDesignError(
                f"A name seal holds 2 or 4 characters, not {count}; "
                "add 印 to a three-character name.",
                f"名章只能排 2 个或 4 个字，不能是 {count} 个；"
                "三个字的姓名请加“印”字。",
            )

    @property
    def characters(self) -> str:
        """The characters as cut into the seal."""
        return self.name + "印" if self.append_yin else self.name


@dataclass(frozen=True)
class ImportedSealSpec:
    """A seal image imported from a PNG or SVG file, shown at true size.

    Without ``height_mm`` the height follows the image's own proportions.
    """

    path: Path
    width_mm: float
    height_mm: float | None = None

    def __post_init__(self) -> None:
        _check_mm(self.width_mm, IMPORTED_RANGE_MM, "image width", "图像宽度")
        if self.height_mm is not None:
            _check_mm(self.height_mm, IMPORTED_RANGE_MM, "image height", "图像高度")


SealSpec: TypeAlias = RoundSealSpec | OvalSealSpec | SquareSealSpec | ImportedSealSpec


@dataclass(frozen=True)
class SealImage:
    """A rendered seal: an RGBA PNG with a transparent background.

    The PNG carries ``dpi`` in its metadata, so it prints at ``width_mm`` by
    ``height_mm``.
    """

    png: bytes = field(repr=False)
    width_px: int
    height_px: int
    width_mm: float
    height_mm: float
    dpi: int

    @property
    def size_px(self) -> tuple[int, int]:
        """Width and height in pixels."""
        return (self.width_px, self.height_px)


def _check_text(text: str, en_what: str, zh_what: str) -> None:
    if not text.strip():
        raise SealDesignError(
            f"The {en_what} is empty.",
            f"{zh_what}不能为空。",
        )
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        raise SealDesignError(
            f"The {en_what} must not contain spaces or control characters.",
            f"{zh_what}不能包含空格或控制字符。",
        )


def _check_optional_text(text: str | None, en_what: str, zh_what: str) -> None:
    if text is not None:
        _check_text(text, en_what, zh_what)


def _check_code(code: str | None) -> None:
    if code is None:
        return
    if not code or len(code) > _CODE_MAX_CHARS or not _is_ascii_alnum(code):
        raise SealDesignError(
            f"The seal code must be 1 to {_CODE_MAX_CHARS} digits or capital letters.",
            f"印章编码必须是 1 到 {_CODE_MAX_CHARS} 位数字或大写字母。",
        )


def _is_tax_id(text: str) -> bool:
    return 15 <= len(text) <= 20 and _is_ascii_alnum(text)


def _is_ascii_alnum(text: str) -> bool:
    return all(ch.isascii() and (ch.isdigit() or ch.isupper()) for ch in text)


def _check_color(color: Color) -> None:
    if len(color) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in color):
        raise SealDesignError(
            f"The ink colour {color!r} is not three values from 0 to 255.",
            f"印色 {color!r} 必须是三个 0 到 255 之间的数值。",
        )


def _check_mm(value: float, bounds: tuple[float, float], en: str, zh: str) -> None:
    low, high = bounds
    if not (math.isfinite(value) and low <= value <= high):
        raise SealDesignError(
            f"The {en} must be between {low:g} and {high:g} mm, not {value} mm.",
            f"{zh}必须在 {low:g} 到 {high:g} 毫米之间，不能是 {value} 毫米。",
        )
