"""A drawing surface for one-colour seals, measured in millimetres.

Seal artwork is one ink on a transparent ground, so everything is drawn into a
single coverage mask. The mask is drawn at a multiple of the output size and
box-reduced at the end: Pillow's ring and polygon primitives have no
anti-aliasing of their own.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw

from app.seals.specs import Color, SealImage

__all__ = ["SealCanvas", "encode_png", "px_for_mm"]

_MIN_DRAWN_PX = 1600
_MAX_FACTOR = 4


def px_for_mm(mm: float, dpi: int) -> int:
    """Pixels covering ``mm`` millimetres at ``dpi``."""
    return round(mm / 25.4 * dpi)


class SealCanvas:
    """A coverage mask of ``width_mm`` x ``height_mm`` at ``dpi``."""

    def __init__(self, width_mm: float, height_mm: float, dpi: int) -> None:
        self.width_mm = width_mm
        self.height_mm = height_mm
        self.dpi = dpi
        self.width_px = px_for_mm(width_mm, dpi)
        self.height_px = px_for_mm(height_mm, dpi)
        longest = max(self.width_px, self.height_px)
        self.factor = min(_MAX_FACTOR, max(2, math.ceil(_MIN_DRAWN_PX / longest)))
        size = (self.width_px * self.factor, self.height_px * self.factor)
        self.mask = Image.new("L", size, 0)
        self.draw = ImageDraw.Draw(self.mask)
        self.px_per_mm = size[0] / width_mm

    @property
    def centre(self) -> tuple[float, float]:
        """The centre of the drawn mask, in drawn pixels."""
        return (self.mask.width / 2, self.mask.height / 2)

    def px(self, mm: float) -> float:
        """Drawn pixels covering ``mm`` millimetres."""
        return mm * self.px_per_mm

    def ring(self, border_mm: float) -> None:
        """The border ellipse, touching the canvas edges."""
        box = (0, 0, self.mask.width - 1, self.mask.height - 1)
        width = max(1, round(self.px(border_mm)))
        self.draw.ellipse(box, outline=255, width=width)

    def frame(self, border_mm: float) -> None:
        """The border rectangle, touching the canvas edges."""
        box = (0, 0, self.mask.width - 1, self.mask.height - 1)
        width = max(1, round(self.px(border_mm)))
        self.draw.rectangle(box, outline=255, width=width)

    def star(self, radius_mm: float) -> None:
        """A five-pointed star in the centre, one point upwards."""
        cx, cy = self.centre
        outer = self.px(radius_mm)
        inner = outer * math.cos(math.radians(72)) / math.cos(math.radians(36))
        points = []
        for k in range(10):
            angle = math.radians(-90 + 36 * k)
            r = outer if k % 2 == 0 else inner
            points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
        self.draw.polygon(points, fill=255)

    def to_rgba(self, color: Color) -> Image.Image:
        """The finished seal: ``color`` ink, alpha from the coverage."""
        alpha = self.mask.reduce(self.factor)
        image = Image.new("RGBA", alpha.size, (*color, 0))
        image.putalpha(alpha)
        return image


def encode_png(
    image: Image.Image, width_mm: float, height_mm: float, dpi: int
) -> SealImage:
    """Encode an RGBA seal as PNG with its resolution recorded."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return SealImage(
        png=buffer.getvalue(),
        width_px=image.width,
        height_px=image.height,
        width_mm=width_mm,
        height_mm=height_mm,
        dpi=dpi,
    )
