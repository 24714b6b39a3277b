"""Drawing the square name seal of a legal representative (法定代表人名章).

Four characters fill a 2 x 2 grid; two characters fill two tall columns. The
order is the traditional one: right column first, each column top to bottom.
"""

from __future__ import annotations

from PIL import Image

from app.seals.canvas import SealCanvas
from app.seals.fonts import FontFace
from app.seals.lettering import Lettering, paste_centred
from app.seals.specs import SquareSealSpec

__all__ = ["SquareLayout", "draw_square"]

#: Name seals are cut with heavy strokes; the font's are thickened this much.
_STROKE_WEIGHT = 0.012


class SquareLayout:
    """Sizes of a square seal's parts, in millimetres."""

    def __init__(self, size_mm: float, count: int) -> None:
        self.size = size_mm
        self.border = 0.055 * size_mm
        self.gap = 0.05 * size_mm
        self.gutter = 0.04 * size_mm
        inner = size_mm - 2 * (self.border + self.gap)
        column = (inner - self.gutter) / 2
        self.cell = (column, column if count == 4 else inner)
        self.rows = 2 if count == 4 else 1

    def cell_centres(self) -> list[tuple[float, float]]:
        """Cell centres from the seal's centre, in reading order."""
        width, height = self.cell
        dx = (width + self.gutter) / 2
        if self.rows == 1:
            return [(dx, 0.0), (-dx, 0.0)]
        dy = (height + self.gutter) / 2
        return [(dx, -dy), (dx, dy), (-dx, -dy), (-dx, dy)]


def draw_square(spec: SquareSealSpec, dpi: int, face: FontFace) -> Image.Image:
    """Draw ``spec`` as an RGBA image at ``dpi``."""
    text = spec.characters
    layout = SquareLayout(spec.size_mm, len(text))
    canvas = SealCanvas(spec.size_mm, spec.size_mm, dpi)
    canvas.frame(layout.border)
    width, height = (round(canvas.px(mm)) for mm in layout.cell)
    lettering = Lettering(face, min(width, height), _STROKE_WEIGHT)
    cx, cy = canvas.centre
    for ch, (dx, dy) in zip(text, layout.cell_centres(), strict=True):
        glyph = _fill_cell(lettering, ch, (width, height))
        paste_centred(canvas, glyph, (cx + canvas.px(dx), cy + canvas.px(dy)))
    return canvas.to_rgba(spec.color)


def _fill_cell(lettering: Lettering, ch: str, size: tuple[int, int]) -> Image.Image:
    """The character's em square stretched over the whole cell."""
    cell = lettering.cell(ch)
    em = lettering.font.size
    left = (cell.width - em) // 2
    top = (cell.height - em) // 2
    square = cell.crop((left, top, left + em, top + em))
    return square.resize(size, Image.Resampling.LANCZOS)
