"""Drawing the oval seal: finance (财务专用章) or invoice (发票专用章).

Proportions follow the 40 x 30 mm invoice seal (1 mm border, name about
4.2 mm high, taxpayer number 3.7 mm high) and scale with the seal's height.
"""

from __future__ import annotations

import math

from PIL import Image

from app.seals.canvas import SealCanvas
from app.seals.errors import SealDesignError
from app.seals.fonts import FontFace
from app.seals.lettering import (
    Ellipse,
    Lettering,
    fit_arc,
    paste_centred,
    text_on_ellipse,
)
from app.seals.specs import OvalSealSpec

__all__ = ["OvalLayout", "draw_oval"]

#: The share of the ellipse the organisation name is spread over.
_NAME_SPAN = (180 / 360, 230 / 360)
_MIN_NAME_X_SCALE = 0.5
_MIN_LINE_X_SCALE = 0.4
_NAME_TRACKING = 1.08
#: Taxpayer numbers are cut in narrow figures (about 1.3 x 3.7 mm).
_TAX_ID_X_SCALE = 0.7


class OvalLayout:
    """Sizes of an oval seal's parts, in millimetres."""

    def __init__(self, width_mm: float, height_mm: float) -> None:
        h = height_mm
        self.a = width_mm / 2
        self.b = height_mm / 2
        self.border = 0.033 * h
        self.gap = 0.017 * h
        self.name_height = 0.14 * h
        self.tax_id_height = 0.123 * h
        self.bottom_height = 0.15 * h
        self.bottom_centre_y = 0.22 * h

    @property
    def name_axes(self) -> tuple[float, float]:
        """The ellipse the name characters are centred on."""
        inset = self.border + self.gap + self.name_height / 2
        return (self.a - inset, self.b - inset)

    @property
    def inner_axes(self) -> tuple[float, float]:
        """The inside of the border, less a gap."""
        inset = self.border + self.gap
        return (self.a - inset, self.b - inset)


def draw_oval(spec: OvalSealSpec, dpi: int, face: FontFace) -> Image.Image:
    """Draw ``spec`` as an RGBA image at ``dpi``.

    :raises SealDesignError: when a line of text does not fit.
    """
    layout = OvalLayout(spec.width_mm, spec.height_mm)
    canvas = SealCanvas(spec.width_mm, spec.height_mm, dpi)
    canvas.ring(layout.border)
    _draw_name(canvas, layout, face, spec.org_name)
    if spec.tax_id is not None:
        _draw_tax_id(canvas, layout, face, spec.tax_id)
    _draw_bottom_line(canvas, layout, face, spec.bottom_line)
    return canvas.to_rgba(spec.color)


def _draw_name(
    canvas: SealCanvas, layout: OvalLayout, face: FontFace, name: str
) -> None:
    lettering = Lettering(face, canvas.px(layout.name_height))
    a, b = layout.name_axes
    curve = Ellipse(canvas, canvas.px(a), canvas.px(b))
    pitches = [lettering.advance(ch) * _NAME_TRACKING for ch in name]
    fit = fit_arc(pitches, curve.length, _NAME_SPAN, _MIN_NAME_X_SCALE)
    if fit is None:
        raise SealDesignError(
            f"The organisation name has too many characters ({len(name)}) "
            "for this oval seal.",
            f"单位名称字数过多（{len(name)} 个），椭圆印章排不下。",
        )
    text_on_ellipse(canvas, lettering, name, curve, fit)


def _draw_tax_id(
    canvas: SealCanvas, layout: OvalLayout, face: FontFace, tax_id: str
) -> None:
    lettering = Lettering(face, canvas.px(layout.tax_id_height))
    line = lettering.line(tax_id)
    narrow = (max(1, round(line.width * _TAX_ID_X_SCALE)), line.height)
    line = line.resize(narrow, Image.Resampling.LANCZOS)
    a, _ = layout.name_axes
    max_width = 2 * (a - layout.name_height / 2 - 2 * layout.gap)
    line = _squeeze(canvas, line, max_width, "taxpayer number", "纳税人识别号")
    paste_centred(canvas, line, canvas.centre)


def _draw_bottom_line(
    canvas: SealCanvas, layout: OvalLayout, face: FontFace, text: str
) -> None:
    lettering = Lettering(face, canvas.px(layout.bottom_height))
    line = lettering.line(text, tracking=1.05)
    a, b = layout.inner_axes
    lowest = layout.bottom_centre_y + layout.bottom_height / 2
    max_width = 2 * a * math.sqrt(max(0.0, 1 - (lowest / b) ** 2))
    line = _squeeze(canvas, line, max_width, "bottom line", "横排文字")
    cx, cy = canvas.centre
    paste_centred(canvas, line, (cx, cy + canvas.px(layout.bottom_centre_y)))


def _squeeze(
    canvas: SealCanvas, line: Image.Image, max_width_mm: float, en: str, zh: str
) -> Image.Image:
    max_width = canvas.px(max_width_mm)
    if line.width <= max_width:
        return line
    if max_width / line.width < _MIN_LINE_X_SCALE:
        raise SealDesignError(
            f"The {en} is too long for this oval seal.",
            f"{zh}过长，椭圆印章排不下。",
        )
    size = (max(1, math.floor(max_width)), line.height)
    return line.resize(size, Image.Resampling.LANCZOS)
