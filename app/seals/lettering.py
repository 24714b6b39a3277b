"""Seal lettering: single characters and lines of text placed on a canvas.

Each character is drawn in its own cell and centred on its ink, the way seal
cutters centre characters, then squeezed, rotated and pasted. Pillow has no
text-on-path layout, so text along an arc or ellipse is placed here by
arc length.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from app.seals.canvas import SealCanvas
from app.seals.errors import SealDesignError
from app.seals.fonts import FontFace

__all__ = [
    "ArcFit",
    "Ellipse",
    "Lettering",
    "fit_arc",
    "paste_centred",
    "text_on_ellipse",
]

_NOTDEF_PROBE = "\U0010fffd"
_ELLIPSE_STEPS = 1440


class Lettering:
    """Characters of one font face at one size (``size_px`` = em height).

    ``weight`` thickens every stroke by that share of the em on each side,
    for seals whose cutting is heavier than the font's boldest face.
    """

    def __init__(self, face: FontFace, size_px: float, weight: float = 0.0) -> None:
        self.font = _load_font(face, max(1, round(size_px)))
        self.stroke = round(weight * self.font.size)
        self._notdef = self._draw_cell(_NOTDEF_PROBE).tobytes()

    def advance(self, ch: str) -> float:
        """How far the pen moves after ``ch``, in drawn pixels."""
        return float(self.font.getlength(ch))

    def cell(self, ch: str, x_scale: float = 1.0) -> Image.Image:
        """``ch`` centred in a cell one advance wide, squeezed by ``x_scale``.

        :raises SealDesignError: when the font has no glyph for ``ch``.
        """
        image = self._draw_cell(ch)
        if image.getbbox() is None or image.tobytes() == self._notdef:
            raise SealDesignError(
                f"The seal font cannot draw the character {ch!r}.",
                f"印章字体中没有字符“{ch}”。",
            )
        if x_scale != 1.0:
            width = max(1, round(image.width * x_scale))
            image = image.resize((width, image.height), Image.Resampling.LANCZOS)
        return image

    def paste(
        self,
        canvas: SealCanvas,
        ch: str,
        at: tuple[float, float],
        angle_deg: float = 0.0,
        x_scale: float = 1.0,
    ) -> None:
        """Paste ``ch`` centred on ``at``, turned clockwise by ``angle_deg``."""
        image = self.cell(ch, x_scale)
        if angle_deg:
            image = image.rotate(
                -angle_deg, resample=Image.Resampling.BILINEAR, expand=True
            )
        paste_centred(canvas, image, at)

    def line(self, text: str, tracking: float = 1.0) -> Image.Image:
        """``text`` as one horizontal line, cropped to its ink."""
        cells = [self.cell(ch) for ch in text]
        pitches = [self.advance(ch) * tracking for ch in text]
        width = math.ceil(sum(pitches[:-1]) + cells[-1].width)
        height = max(c.height for c in cells)
        line = Image.new("L", (width, height), 0)
        x = 0.0
        for cell, pitch in zip(cells, pitches, strict=True):
            line.paste(cell, (round(x), (height - cell.height) // 2), cell)
            x += pitch
        box = line.getbbox()
        return line.crop(box) if box else line

    def _draw_cell(self, ch: str) -> Image.Image:
        left, top, right, bottom = self.font.getbbox(
            ch, anchor="ls", stroke_width=self.stroke
        )
        size = self.font.size
        width = max(round(self.advance(ch)), math.ceil(right - left) + 2, 1)
        height = max(round(size * 1.2), math.ceil(bottom - top) + 2)
        image = Image.new("L", (width, height), 0)
        origin = (width / 2 - (left + right) / 2, height / 2 - (top + bottom) / 2)
        ImageDraw.Draw(image).text(
            origin,
            ch,
            font=self.font,
            fill=255,
            anchor="ls",
            stroke_width=self.stroke,
            stroke_fill=255,
        )
        return image


def paste_centred(
    canvas: SealCanvas, image: Image.Image, at: tuple[float, float]
) -> None:
    """Add the coverage ``image`` to the canvas with its centre on ``at``."""
    left = round(at[0] - image.width / 2)
    top = round(at[1] - image.height / 2)
    canvas.mask.paste(255, (left, top, left + image.width, top + image.height), image)


@dataclass(frozen=True)
class ArcFit:
    """How text is spread along a curve: the share of the curve it spans
    and how much each character is squeezed sideways."""

    span_fraction: float
    x_scale: float


def fit_arc(
    pitches: Sequence[float],
    curve_length: float,
    span_fraction: tuple[float, float],
    min_x_scale: float,
) -> ArcFit | None:
    """Spread characters with the wanted ``pitches`` over a curve.

    The span grows from the lower to the upper bound of ``span_fraction``;
    beyond that the characters are squeezed. ``None`` when even squeezed to
    ``min_x_scale`` they do not fit.
    """
    low, high = span_fraction
    wanted = sum(pitches) / curve_length
    if wanted <= high:
        return ArcFit(max(low, wanted), 1.0)
    x_scale = high / wanted
    return ArcFit(high, x_scale) if x_scale >= min_x_scale else None


class Ellipse:
    """An ellipse around the canvas centre, walked clockwise from the top.

    ``t`` is the angle parameter: the point is (a sin t, -a cos t) in screen
    coordinates, so t = 0 is the top and t grows clockwise.
    """

    def __init__(self, canvas: SealCanvas, a_px: float, b_px: float) -> None:
        self.centre = canvas.centre
        self.a = a_px
        self.b = b_px
        self._t = [2 * math.pi * i / _ELLIPSE_STEPS for i in range(_ELLIPSE_STEPS + 1)]
        self._s = [0.0]
        for t0, t1 in zip(self._t, self._t[1:], strict=False):
            x0, y0 = self._offset(t0)
            x1, y1 = self._offset(t1)
            self._s.append(self._s[-1] + math.hypot(x1 - x0, y1 - y0))

    @property
    def length(self) -> float:
        """The perimeter, in drawn pixels."""
        return self._s[-1]

    def point(self, s: float) -> tuple[tuple[float, float], float]:
        """Where the curve is ``s`` along from the top, and the clockwise
        angle of its outward normal there (0 = straight up)."""
        t = self._t_at(s % self.length)
        dx, dy = self._offset(t)
        normal = math.degrees(math.atan2(self.b * math.sin(t), self.a * math.cos(t)))
        return (self.centre[0] + dx, self.centre[1] + dy), normal

    def _offset(self, t: float) -> tuple[float, float]:
        return (self.a * math.sin(t), -self.b * math.cos(t))

    def _t_at(self, s: float) -> float:
        i = min(bisect.bisect_right(self._s, s), len(self._s) - 1)
        s0, s1 = self._s[i - 1], self._s[i]
        share = (s - s0) / (s1 - s0) if s1 > s0 else 0.0
        return self._t[i - 1] + share * (self._t[i] - self._t[i - 1])


def text_on_ellipse(
    canvas: SealCanvas,
    lettering: Lettering,
    text: str,
    curve: Ellipse,
    fit: ArcFit,
    *,
    lower: bool = False,
) -> None:
    """Spread ``text`` evenly along ``curve``, read left to right.

    Upper text is centred on the top with its characters' tops outwards;
    ``lower`` text is centred on the bottom with their tops towards the centre.
    """
    span = fit.span_fraction * curve.length
    slot = span / len(text)
    for i, ch in enumerate(text):
        offset = -span / 2 + slot * (i + 0.5)
        if lower:
            at, normal = curve.point(curve.length / 2 - offset)
            angle = normal - 180
        else:
            at, normal = curve.point(offset)
            angle = normal
        lettering.paste(canvas, ch, at, angle, fit.x_scale)


@functools.lru_cache(maxsize=32)
def _load_font(face: FontFace, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(
            str(face.path), size, index=face.index, layout_engine=ImageFont.Layout.BASIC
        )
    except OSError as exc:
        raise SealDesignError(
            f"The seal font {face.path} cannot be read.",
            f"无法读取印章字体 {face.path}。",
        ) from exc
