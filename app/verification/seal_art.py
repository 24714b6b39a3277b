"""The seal images a signed PDF shows, taken from its signature widgets.

Each signature field's widgets carry a normal appearance (``/AP /N``), a
form XObject that paints the seal image; the stamping engine writes it as an
image XObject whose alpha channel is a soft mask (``/SMask``). This module
reads those images back, transparency included, as PNG bytes for the
verification report (验章报告) and the evidence package.

The PDF objects are read with pyHanko, which also undoes the stream filters.
The decoded samples are turned into a picture by hand because neither
pyHanko nor pypdfium2 offers it here: pypdfium2 decodes only images placed on
a page's content, not those inside an annotation's appearance stream.
JPEG and JPEG 2000 streams are still handed to Pillow whole.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from app.errors import InputError
from app.stamping.pdfobj import deref

__all__ = ["seal_images"]

log = logging.getLogger(__name__)

#: How deep form XObjects may nest inside an appearance.
_MAX_DEPTH = 4
_MAX_PIXELS = 40_000_000
_MODES = {1: "L", 3: "RGB", 4: "CMYK"}
_WHOLE_FILE_FILTERS = ("/DCTDecode", "/JPXDecode")


def seal_images(document: Path) -> list[tuple[str, bytes]]:
    """``(signature field name, PNG bytes)`` for each signature widget that
    shows an image, in the order of the form's fields.

    A widget whose image cannot be decoded is left out (and logged).

    :raises InputError: when ``document`` cannot be read as a PDF.
    """
    reader = _open(document)
    found: list[tuple[str, bytes]] = []
    try:
        fields = list(enumerate_sig_fields(reader))
    except Exception as exc:  # a broken form only means no seal images
        log.debug("cannot list signature fields of %s: %s", document, exc)
        return found
    for name, _value, field_ref in fields:
        for widget in _widgets(field_ref.get_object()):
            image = _widget_image(widget, str(name))
            if image is not None:
                found.append((str(name), _png(image)))
    return found


def _open(document: Path) -> PdfFileReader:
    try:
        data = document.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{document}: the file cannot be read ({exc.strerror}).",
            f"{document}：无法读取该文件（{exc.strerror}）。",
        ) from exc
    try:
        return PdfFileReader(io.BytesIO(data), strict=False)
    except Exception as exc:  # any parser failure: not a readable PDF
        raise InputError(
            f"{document}: the file is not a readable PDF ({type(exc).__name__}).",
            f"{document}：该文件不是可读取的 PDF（{type(exc).__name__}）。",
        ) from exc


def _widgets(field: generic.DictionaryObject) -> Iterator[generic.DictionaryObject]:
    """The field's widget annotations: its kids without a name, or itself."""
    kids = deref(field.get("/Kids"))
    if kids is None:
        yield field
        return
    for kid_ref in kids:
        kid = kid_ref.get_object()
        if isinstance(kid, generic.DictionaryObject) and "/T" not in kid:
            yield kid


def _widget_image(widget: generic.DictionaryObject, name: str) -> Image.Image | None:
    try:
        normal = widget["/AP"]["/N"]
        if isinstance(normal, generic.DictionaryObject) and not isinstance(
            normal, generic.StreamObject
        ):
            return None  # appearance states belong to checkboxes, not seals
        return _first_image(normal, 0)
    except KeyError:
        return None
    except Exception as exc:  # one undecodable seal must not hide the others
        log.warning("cannot decode the seal image of %s: %s", name, exc)
        return None


def _first_image(xobject: generic.StreamObject, depth: int) -> Image.Image | None:
    """The first image drawn by a form XObject, searching nested forms."""
    if depth > _MAX_DEPTH:
        return None
    resources = deref(xobject.get("/Resources"))
    if not isinstance(resources, generic.DictionaryObject):
        return None
    xobjects = deref(resources.get("/XObject"))
    if not isinstance(xobjects, generic.DictionaryObject):
        return None
    for key in xobjects:
        child = xobjects[key]
        if not isinstance(child, generic.StreamObject):
            continue
        subtype = child.get("/Subtype")
        if subtype == "/Image":
            return _decode_with_mask(child)
        if subtype == "/Form":
            found = _first_image(child, depth + 1)
            if found is not None:
                return found
    return None


def _decode_with_mask(stream: generic.StreamObject) -> Image.Image:
    image = _decode(stream)
    smask = deref(stream.get("/SMask"))
    if isinstance(smask, generic.StreamObject):
        alpha = _decode(smask).convert("L")
        if alpha.size != image.size:
            alpha = alpha.resize(image.size)
        image = image.convert("RGBA")
        image.putalpha(alpha)
    return image


def _decode(stream: generic.StreamObject) -> Image.Image:
    width = int(stream["/Width"])
    height = int(stream["/Height"])
    if width <= 0 or height <= 0 or width * height > _MAX_PIXELS:
        raise ValueError(f"unusable image size {width} x {height}")
    filters = deref(stream.get("/Filter"))
    names = [str(f) for f in (filters if isinstance(filters, list) else [filters])]
    if names and names[-1] in _WHOLE_FILE_FILTERS:
        image = Image.open(io.BytesIO(stream.encoded_data))
        image.load()
        return image
    bits = int(deref(stream.get("/BitsPerComponent", 8)))
    space = deref(stream.get("/ColorSpace", generic.NameObject("/DeviceGray")))
    data = stream.data
    if isinstance(space, list) and space and space[0] == "/Indexed":
        return _indexed(space, width, height, bits, data)
    components = _components(space)
    if bits == 1 and components == 1:
        return Image.frombytes("1", (width, height), data).convert("L")
    if bits != 8:
        raise ValueError(f"{bits} bits per component are not supported")
    return Image.frombytes(_MODES[components], (width, height), data)


def _components(space: object) -> int:
    space = deref(space)
    if space in ("/DeviceGray", "/CalGray", "/G"):
        return 1
    if space in ("/DeviceRGB", "/CalRGB", "/RGB"):
        return 3
    if space in ("/DeviceCMYK", "/CMYK"):
        return 4
    if isinstance(space, list) and space and space[0] == "/ICCBased":
        return int(deref(space[1])["/N"])
    raise ValueError(f"colour space {space} is not supported")


def _indexed(
    space: list[object], width: int, height: int, bits: int, data: bytes
) -> Image.Image:
    if bits != 8 or _components(space[1]) != 3:
        raise ValueError("only 8-bit indexed RGB images are supported")
    lookup = deref(space[3])
    if isinstance(lookup, generic.StreamObject):
        palette = lookup.data
    elif isinstance(lookup, generic.TextStringObject):
        palette = lookup.original_bytes
    else:
        palette = lookup
    if not isinstance(palette, bytes):
        raise ValueError("unreadable palette")
    image = Image.frombytes("P", (width, height), data)
    image.putpalette(palette, rawmode="RGB")
    return image.convert("RGB")


def _png(image: Image.Image) -> bytes:
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
