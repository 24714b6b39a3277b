"""The seal image designer (印章图像): one entry point for every kind of seal.

:func:`render` turns a spec into a transparent PNG at true physical size.
"""

from __future__ import annotations

import logging

from PIL import Image

from app.seals.canvas import encode_png
from app.seals.errors import SealDesignError
from app.seals.fonts import FontFace, cjk_font
from app.seals.imported import load_imported
from app.seals.oval import draw_oval
from app.seals.round import draw_round
from app.seals.specs import (
    ImportedSealSpec,
    OvalSealSpec,
    RoundSealSpec,
    SealImage,
    SealSpec,
    SquareSealSpec,
)
from app.seals.square import draw_square

__all__ = ["DEFAULT_DPI", "DPI_RANGE", "render"]

log = logging.getLogger(__name__)

DEFAULT_DPI = 600
DPI_RANGE = (72, 1200)


def render(
    spec: SealSpec, dpi: int = DEFAULT_DPI, *, font: FontFace | None = None
) -> SealImage:
    """Render ``spec`` as an RGBA PNG with a transparent background.

    The image is ``round(mm / 25.4 * dpi)`` pixels on each side and records
    ``dpi``, so it prints at the seal's true size. ``font`` overrides the CJK
    font found on this machine.

    :raises SealDesignError: for a spec that cannot be drawn, naming why.
    """
    _check_dpi(dpi)
    if isinstance(spec, ImportedSealSpec):
        image, width_mm, height_mm = load_imported(spec, dpi)
    else:
        image = _draw(spec, dpi, font or cjk_font())
        width_mm, height_mm = _size_mm(spec)
    log.debug("Rendered %s at %d dpi: %dx%d px", type(spec).__name__, dpi, *image.size)
    return encode_png(image, width_mm, height_mm, dpi)


def _draw(
    spec: RoundSealSpec | OvalSealSpec | SquareSealSpec, dpi: int, face: FontFace
) -> Image.Image:
    if isinstance(spec, RoundSealSpec):
        return draw_round(spec, dpi, face)
    if isinstance(spec, OvalSealSpec):
        return draw_oval(spec, dpi, face)
    return draw_square(spec, dpi, face)


def _size_mm(
    spec: RoundSealSpec | OvalSealSpec | SquareSealSpec,
) -> tuple[float, float]:
    if isinstance(spec, RoundSealSpec):
        return (spec.diameter_mm, spec.diameter_mm)
    if isinstance(spec, OvalSealSpec):
        return (spec.width_mm, spec.height_mm)
    return (spec.size_mm, spec.size_mm)


def _check_dpi(dpi: int) -> None:
    low, high = DPI_RANGE
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not low <= dpi <= high:
        raise SealDesignError(
            f"The resolution must be a whole number from {low} to {high} dpi, "
            f"not {dpi!r}.",
            f"分辨率必须是 {low} 到 {high} 之间的整数 dpi，不能是 {dpi!r}。",
        )
