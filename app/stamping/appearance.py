"""The seal as the signature field's widgets: true size, transparent, upright.

One signature field holds every seal image of a stamping as a widget
annotation in its ``/Kids`` (one per keyword hit, one per riding-seal slice).
pyHanko's difference analysis accepts exactly that after an earlier
signature, whereas stamp annotations or new page content would make earlier
signatures look tampered with. Each widget's appearance is a form XObject
that paints the PNG (its alpha channel becomes an ``/SMask``) at the seal's
physical size, with a ``/Matrix`` that turns it upright on rotated pages.
No text is drawn, so no font needs embedding.

A batch stamps the same seal on every document, so the decoded image and its
Flate-encoded image XObjects (colour and alpha mask) are kept per process and
copied into each document's writer; encoding a seal image is otherwise a good
part of preparing a one-page document.
"""

from __future__ import annotations

import functools
import io
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import pil_image
from pyhanko.pdf_utils.writer import BasePdfFileWriter, PdfFileWriter

from app.stamping.errors import PlacementError, SealImageError
from app.stamping.pdfobj import (
    deref,
    dictionary,
    integer,
    numbers,
    page_ref,
    register_annotation,
)
from app.stamping.placement import SealSpot, mm_to_pt, slice_bounds

__all__ = ["SealArt", "add_widget", "load_seal", "paint_spots"]

log = logging.getLogger(__name__)

# Print (4) + Locked (128): the seal prints and cannot be moved in a viewer.
_WIDGET_FLAGS = 132
_MAX_PIXELS = 40_000_000
_ROTATIONS = {
    0: (1, 0, 0, 1),
    90: (0, 1, -1, 0),
    180: (-1, 0, 0, -1),
    270: (0, -1, 1, 0),
}


@dataclass(frozen=True, eq=False)
class SealArt:
    """The decoded seal image and its physical size in points."""

    image: Image.Image
    width_pt: float
    height_pt: float


def load_seal(png: bytes, width_mm: float, height_mm: float, path: Path) -> SealArt:
    """Decode the seal PNG; refuse empty sizes and unreadable images."""
    if not (width_mm > 0 and height_mm > 0):
        raise SealImageError(
            f"{path}: the seal size must be positive, got {width_mm} x {height_mm} mm.",
            f"{path}：印章尺寸必须为正数，当前为 {width_mm} x {height_mm} 毫米。",
            path,
        )
    try:
        return _decoded(png, mm_to_pt(width_mm), mm_to_pt(height_mm))
    except (UnidentifiedImageError, OSError, ValueError, Warning) as exc:
        raise SealImageError(
            f"{path}: the seal image is not a readable PNG ({exc}).",
            f"{path}：印章图像不是可读取的 PNG 图片（{exc}）。",
            path,
        ) from exc


@functools.lru_cache(maxsize=8)
def _decoded(png: bytes, width_pt: float, height_pt: float) -> SealArt:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(png))
        if image.width * image.height > _MAX_PIXELS:
            raise ValueError("seal image has too many pixels")
        image.load()
    rgba = image.convert("RGBA")
    if rgba.getchannel("A").getextrema() == (255, 255):
        rgba = rgba.convert("RGB")  # fully opaque: no mask needed
    return SealArt(rgba, width_pt, height_pt)


@dataclass(frozen=True)
class _EncodedImage:
    """An image XObject's dictionary and its encoded data, for any writer."""

    entries: tuple[tuple[str, generic.PdfObject], ...]
    data: bytes
    mask: _EncodedImage | None


@functools.lru_cache(maxsize=64)
def _encoded(art: SealArt, box: tuple[int, int, int, int] | None) -> _EncodedImage:
    image = art.image if box is None else art.image.crop(box)
    scratch = PdfFileWriter()  # type: ignore[no-untyped-call]
    return _capture(pil_image(image, scratch))


def _capture(ref: generic.IndirectObject) -> _EncodedImage:
    stream = deref(ref)
    assert isinstance(stream, generic.StreamObject)
    mask_ref = stream.get("/SMask")
    mask = _capture(mask_ref) if isinstance(mask_ref, generic.IndirectObject) else None
    entries = tuple((k, v) for k, v in stream.items() if k not in ("/SMask", "/Length"))
    return _EncodedImage(entries, stream.encoded_data, mask)


def _add_image(
    writer: BasePdfFileWriter, image: _EncodedImage
) -> generic.IndirectObject:
    header = dictionary(dict(image.entries))
    if image.mask is not None:
        header[pdf_name("/SMask")] = _add_image(writer, image.mask)
    return writer.add_object(generic.StreamObject(header, encoded_data=image.data))


def piece_sizes(art: SealArt, count: int, path: Path) -> list[tuple[float, float]]:
    """Shown size in points of each of ``count`` riding-seal slices."""
    if count > art.image.width:
        raise PlacementError(
            f"{path}: the seal image is too narrow to cut into {count} slices.",
            f"{path}：印章图像太窄，无法切分为 {count} 份骑缝章。",
            path,
        )
    scale = art.width_pt / art.image.width
    return [
        ((end - start) * scale, art.height_pt)
        for start, end in slice_bounds(art.image.width, count)
    ]


def paint_spots(
    writer: BasePdfFileWriter, art: SealArt, spots: list[SealSpot]
) -> list[generic.IndirectObject]:
    """One appearance XObject per spot; whole-seal spots share one image."""
    whole: generic.IndirectObject | None = None
    appearances = []
    for spot in spots:
        if spot.piece is None:
            if whole is None:
                whole = _add_image(writer, _encoded(art, None))
            image_ref = whole
        else:
            index, count = spot.piece
            start, end = slice_bounds(art.image.width, count)[index]
            box = (start, 0, end, art.image.height)
            image_ref = _add_image(writer, _encoded(art, box))
        appearances.append(_appearance(writer, image_ref, spot))
    return appearances


def _appearance(
    writer: BasePdfFileWriter, image_ref: generic.IndirectObject, spot: SealSpot
) -> generic.IndirectObject:
    width, height = spot.size
    a, b, c, d = _ROTATIONS[spot.rotate]
    stream = generic.StreamObject(
        dictionary(
            {
                "/Type": pdf_name("/XObject"),
                "/Subtype": pdf_name("/Form"),
                "/BBox": numbers((0, 0, width, height)),
                "/Matrix": numbers((a, b, c, d, 0, 0)),
                "/Resources": dictionary(
                    {"/XObject": dictionary({"/Seal": image_ref})}
                ),
            }
        ),
        stream_data=b"q %.4f 0 0 %.4f 0 0 cm /Seal Do Q" % (width, height),
    )
    return writer.add_object(stream)


def add_widget(
    writer: BasePdfFileWriter,
    field_ref: generic.IndirectObject,
    spot: SealSpot,
    appearance: generic.IndirectObject,
    widget: generic.DictionaryObject | None = None,
) -> None:
    """Make ``widget`` (or a new one) show ``appearance`` at ``spot``.

    A new widget is appended to the field's ``/Kids`` and the page's
    ``/Annots``; an existing one (made by pyHanko with the field) is only
    given its rectangle, flags and appearance.

    Widgets get no ``/Parent``, as pyHanko makes them: poppler (22.x) takes a
    kid with ``/Parent`` for a field of its own and reports every seal image
    as an unsigned signature field. Readers find the widgets from the field's
    ``/Kids``.
    """
    page = page_ref(writer, spot.page)
    fresh = widget is None
    if widget is None:
        widget = dictionary(
            {"/Type": pdf_name("/Annot"), "/Subtype": pdf_name("/Widget")}
        )
    widget[pdf_name("/Rect")] = numbers(spot.rect)
    widget[pdf_name("/F")] = integer(_WIDGET_FLAGS)
    widget[pdf_name("/P")] = page
    widget[pdf_name("/AP")] = dictionary({"/N": appearance})
    if fresh:
        widget_ref = writer.add_object(widget)
        field = deref(field_ref)
        assert isinstance(field, generic.DictionaryObject)
        kids = field["/Kids"]
        assert isinstance(kids, generic.ArrayObject)
        kids.append(widget_ref)
        register_annotation(writer, page, widget_ref)
