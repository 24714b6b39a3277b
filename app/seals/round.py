"""Drawing the round official seal (公章).

Proportions follow the common 42 mm company seal (1.2 mm border, 14 mm star,
name characters about 6 mm high) and scale with the diameter.
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
from app.seals.specs import RoundSealSpec

__all__ = ["NAME_SPAN_DEG", "RoundLayout", "draw_round"]

#: The arc the organisation name is spread over, in degrees.
NAME_SPAN_DEG = (210.0, 240.0)

_MIN_NAME_X_SCALE = 0.4
_NAME_TRACKING = 1.08
_CODE_TRACKING = 1.15
_CODE_MARGIN_DEG = 20.0
_MIN_BOTTOM_X_SCALE = 0.5


class RoundLayout:
    """Sizes of a round seal's parts, in millimetres, for one diameter."""

    def __init__(self, diameter_mm: float) -> None:
        d = diameter_mm
        self.radius = d / 2
        self.border = 0.029 * d
        self.gap = 0.02 * d
        self.name_height = 0.15 * d
        self.code_height = 0.045 * d
        self.star_radius = d / 6
        self.bottom_height = 0.11 * d
        self.bottom_centre_y = 0.23 * d

    @property
    def text_outer_radius(self) -> float:
        """Where the outer edge of the ring text runs."""
        return self.radius - self.border - self.gap

    @property
    def name_radius(self) -> float:
        """The circle the name characters are centred on."""
        return self.text_outer_radius - self.name_height / 2

    @property
    def code_radius(self) -> float:
        """The circle the code characters are centred on."""
        return self.text_outer_radius - self.code_height / 2


def draw_round(spec: RoundSealSpec, dpi: int, face: FontFace) -> Image.Image:
    """Draw ``spec`` as an RGBA image at ``dpi``.

    :raises SealDesignError: when a line of text does not fit.
    """
    layout = RoundLayout(spec.diameter_mm)
    canvas = SealCanvas(spec.diameter_mm, spec.diameter_mm, dpi)
    canvas.ring(layout.border)
    canvas.star(layout.star_radius)
    name_span = _draw_name(canvas, layout, face, spec.org_name)
    if spec.code is not None:
        _draw_code(canvas, layout, face, spec.code, name_span)
    if spec.bottom_line is not None:
        _draw_bottom_line(canvas, layout, face, spec.bottom_line)
    return canvas.to_rgba(spec.color)


def _draw_name(
    canvas: SealCanvas, layout: RoundLayout, face: FontFace, name: str
) -> float:
    lettering = Lettering(face, canvas.px(layout.name_height))
    radius = canvas.px(layout.name_radius)
    curve = Ellipse(canvas, radius, radius)
    pitches = [lettering.advance(ch) * _NAME_TRACKING for ch in name]
    low, high = (deg / 360 for deg in NAME_SPAN_DEG)
    fit = fit_arc(pitches, curve.length, (low, high), _MIN_NAME_X_SCALE)
    if fit is None:
        raise SealDesignError(
            f"The organisation name has too many characters ({len(name)}) "
            f"for a {layout.radius * 2:g} mm seal.",
            f"单位名称字数过多（{len(name)} 个），"
            f"{layout.radius * 2:g} 毫米的印章排不下。",
        )
    text_on_ellipse(canvas, lettering, name, curve, fit)
    return fit.span_fraction * 360


def _draw_code(
    canvas: SealCanvas,
    layout: RoundLayout,
    face: FontFace,
    code: str,
    name_span_deg: float,
) -> None:
    lettering = Lettering(face, canvas.px(layout.code_height))
    radius = canvas.px(layout.code_radius)
    curve = Ellipse(canvas, radius, radius)
    free = (360 - name_span_deg - 2 * _CODE_MARGIN_DEG) / 360
    pitches = [lettering.advance(ch) * _CODE_TRACKING for ch in code]
    fit = fit_arc(pitches, curve.length, (0.0, free), 1.0)
    if fit is None:
        raise SealDesignError(
            f"The seal code has too many characters ({len(code)}) to fit "
            "below the organisation name.",
            f"印章编码字数过多（{len(code)} 位），单位名称下方排不下。",
        )
    text_on_ellipse(canvas, lettering, code, curve, fit, lower=True)


def _draw_bottom_line(
    canvas: SealCanvas, layout: RoundLayout, face: FontFace, text: str
) -> None:
    lettering = Lettering(face, canvas.px(layout.bottom_height))
    line = lettering.line(text, tracking=1.05)
    lowest = layout.bottom_centre_y + layout.bottom_height / 2
    limit = layout.text_outer_radius - layout.code_height - layout.gap
    max_width = canvas.px(2 * math.sqrt(limit**2 - lowest**2))
    if line.width > max_width:
        x_scale = max_width / line.width
        if x_scale < _MIN_BOTTOM_X_SCALE:
            raise SealDesignError(
                f"The bottom line has too many characters ({len(text)}).",
                f"横排文字字数过多（{len(text)} 个）。",
            )
        line = line.resize(
            (max(1, math.floor(max_width)), line.height), Image.Resampling.LANCZOS
        )
    cx, cy = canvas.centre
    paste_centred(canvas, line, (cx, cy + canvas.px(layout.bottom_centre_y)))
