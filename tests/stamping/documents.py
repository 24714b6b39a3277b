"""PDF and seal-image factories for the stamping tests.

Documents are written with pyHanko's own writer. Chinese text uses the
standard CID font STSong-Light with the UniGB-UCS2-H encoding (two bytes per
character, the UCS-2 code), so no font file is needed; pdfium maps it back to
Unicode through the Adobe-GB1 tables.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

A4 = (0.0, 0.0, 595.0, 842.0)
SEAL_MM = 42.0


@dataclass(frozen=True)
class Text:
    """Text drawn at ``x``/``y`` (user space, baseline) in ``size`` points.

    Each string of ``pieces`` is its own show operation; with ``objects``
    each piece is also its own BT/ET text object.
    """

    x: float
    y: float
    pieces: Sequence[str]
    size: float = 12.0
    objects: bool = False


@dataclass(frozen=True)
class PageSpec:
    media_box: tuple[float, float, float, float] = A4
    crop_box: tuple[float, float, float, float] | None = None
    rotate: int = 0
    texts: Sequence[Text] = field(default_factory=tuple)


def _hex(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex() + ">"


def _font(writer: PdfFileWriter) -> generic.IndirectObject:
    def num(v: int) -> generic.NumberObject:
        return generic.NumberObject(v)

    descriptor = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/FontDescriptor"),
            pdf_name("/FontName"): pdf_name("/STSong-Light"),
            pdf_name("/Flags"): num(6),
            pdf_name("/FontBBox"): generic.ArrayObject(
                num(v) for v in (-25, -254, 1000, 880)
            ),
            pdf_name("/ItalicAngle"): num(0),
            pdf_name("/Ascent"): num(880),
            pdf_name("/Descent"): num(-120),
            pdf_name("/CapHeight"): num(880),
            pdf_name("/StemV"): num(93),
        }
    )
    cid_font = generic.DictionaryObject(
        {
            pdf_name("/Type"): pdf_name("/Font"),
            pdf_name("/Subtype"): pdf_name("/CIDFontType0"),
            pdf_name("/BaseFont"): pdf_name("/STSong-Light"),
            pdf_name("/CIDSystemInfo"): generic.DictionaryObject(
                {
                    pdf_name("/Registry"): generic.TextStringObject("Adobe"),
                    pdf_name("/Ordering"): generic.TextStringObject("GB1"),
                    pdf_name("/Supplement"): num(4),
                }
            ),
            pdf_name("/FontDescriptor"): writer.add_object(descriptor),
            pdf_name("/DW"): num(1000),
        }
    )
    return writer.add_object(
        generic.DictionaryObject(
            {
                pdf_name("/Type"): pdf_name("/Font"),
                pdf_name("/Subtype"): pdf_name("/Type0"),
                pdf_name("/BaseFont"): pdf_name("/STSong-Light"),
                pdf_name("/Encoding"): pdf_name("/UniGB-UCS2-H"),
                pdf_name("/DescendantFonts"): generic.ArrayObject(
                    [writer.add_object(cid_font)]
                ),
            }
        )
    )


def _content(texts: Sequence[Text]) -> bytes:
    ops = []
    for text in texts:
        if text.objects:
            x = text.x
            for piece in text.pieces:
                ops.append(f"BT /F1 {text.size} Tf {x} {text.y} Td {_hex(piece)} Tj ET")
                x += text.size * len(piece)
        else:
            shows = " ".join(
                f"[{_hex(p)}] TJ" if i % 2 else f"{_hex(p)} Tj"
                for i, p in enumerate(text.pieces)
            )
            ops.append(f"BT /F1 {text.size} Tf {text.x} {text.y} Td {shows} ET")
    ops.append("0 0 1 RG 2 w 50 50 m 200 50 l S")  # some non-text content
    return "\n".join(ops).encode("ascii")


def build_writer(pages: Sequence[PageSpec]) -> PdfFileWriter:
    writer = PdfFileWriter()
    font = _font(writer)
    for spec in pages:
        stream = writer.add_object(
            generic.StreamObject(stream_data=_content(spec.texts))
        )
        resources = generic.DictionaryObject(
            {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): font})}
        )
        page = PageObject(stream, spec.media_box, resources=resources)
        if spec.crop_box is not None:
            page[pdf_name("/CropBox")] = generic.ArrayObject(
                generic.FloatObject(v) for v in spec.crop_box
            )
        if spec.rotate:
            page[pdf_name("/Rotate")] = generic.NumberObject(spec.rotate)
        writer.insert_page(page)
    return writer


def write_pdf(path: Path, pages: Sequence[PageSpec]) -> Path:
    """Write a document with the given pages to ``path``."""
    buffer = io.BytesIO()
    build_writer(pages).write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def simple_pdf(path: Path, count: int = 1) -> Path:
    """``count`` A4 pages with a line of text each."""
    return write_pdf(
        path, [PageSpec(texts=[Text(72, 760, [f"第{i + 1}页"])]) for i in range(count)]
    )


def seal_png(size_px: int = 400, colour: tuple[int, int, int] = (220, 20, 30)) -> bytes:
    """A red ring with a star-ish centre mark on a transparent background."""
    image = Image.new("RGBA", (size_px, size_px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ring = size_px // 14
    draw.ellipse(
        (ring, ring, size_px - ring, size_px - ring),
        outline=(*colour, 255),
        width=ring,
    )
    third = size_px // 3
    draw.rectangle(
        (third + 20, third + 20, 2 * third - 20, 2 * third - 20), fill=(*colour, 255)
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def encrypted_pdf(path: Path, user_password: str, perms: object = None) -> Path:
    """An AES-256 encrypted document; ``perms`` are StandardPermissions."""
    writer = build_writer([PageSpec()])
    kwargs = {} if perms is None else {"perms": perms}
    writer.encrypt("owner-secret", user_password, **kwargs)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path
