"""Documents for the verification tests: signed, then changed in bad ways.

Each tamperer reads a signed file and writes a copy with one incremental
update (or one flipped byte) made with pyHanko's own writer, the way a
forger's PDF editor would append its changes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PageObject

from tests.stamping.documents import A4, PageSpec, Text, build_writer

FIELD = "Amount"


def form_pdf(path: Path) -> Path:
    """One page with a filled text field ``Amount``."""
    writer = build_writer([PageSpec(texts=[Text(72, 760, ["金额"])])])
    page_ref = writer.root["/Pages"]["/Kids"][0]
    field = generic.DictionaryObject(
        {
            pdf_name("/FT"): pdf_name("/Tx"),
            pdf_name("/T"): generic.TextStringObject(FIELD),
            pdf_name("/V"): generic.TextStringObject("100"),
            pdf_name("/Type"): pdf_name("/Annot"),
            pdf_name("/Subtype"): pdf_name("/Widget"),
            pdf_name("/Rect"): generic.ArrayObject(
                generic.NumberObject(v) for v in (300, 700, 400, 720)
            ),
            pdf_name("/P"): page_ref,
        }
    )
    field_ref = writer.add_object(field)
    page_ref.get_object()[pdf_name("/Annots")] = generic.ArrayObject([field_ref])
    writer.root[pdf_name("/AcroForm")] = generic.DictionaryObject(
        {pdf_name("/Fields"): generic.ArrayObject([field_ref])}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _update(
    signed: Path, out: Path, change: Callable[[IncrementalPdfFileWriter], None]
) -> Path:
    buffer = io.BytesIO(signed.read_bytes())
    writer = IncrementalPdfFileWriter(buffer)
    change(writer)
    writer.write_in_place()
    out.write_bytes(buffer.getvalue())
    return out


def _first_page(writer: IncrementalPdfFileWriter) -> generic.IndirectObject:
    ref, _ = writer.find_page_for_modification(0)
    assert isinstance(ref, generic.IndirectObject)
    return ref


def flip_byte(signed: Path, out: Path) -> Path:
    """Change one byte of the page's drawing commands (inside the signed range)."""
    data = bytearray(signed.read_bytes())
    at = data.index(b"0 0 1 RG")
    data[at + 4] = ord("0")
    out.write_bytes(bytes(data))
    return out


def add_annotation(signed: Path, out: Path) -> Path:
    def change(writer: IncrementalPdfFileWriter) -> None:
        page_ref = _first_page(writer)
        page = page_ref.get_object()
        note = writer.add_object(
            generic.DictionaryObject(
                {
                    pdf_name("/Type"): pdf_name("/Annot"),
                    pdf_name("/Subtype"): pdf_name("/Text"),
                    pdf_name("/Rect"): generic.ArrayObject(
                        generic.NumberObject(v) for v in (100, 100, 120, 120)
                    ),
                    pdf_name("/Contents"): generic.TextStringObject("作废"),
                }
            )
        )
        old = page.get("/Annots")
        annots = generic.ArrayObject(list(old) if old is not None else [])
        annots.append(note)
        page[pdf_name("/Annots")] = annots
        writer.mark_update(page_ref)

    return _update(signed, out, change)


def add_page(signed: Path, out: Path) -> Path:
    def change(writer: IncrementalPdfFileWriter) -> None:
        content = writer.add_object(generic.StreamObject(stream_data=b"0 0 m 9 9 l S"))
        writer.insert_page(PageObject(content, A4))

    return _update(signed, out, change)


def change_field(signed: Path, out: Path) -> Path:
    def change(writer: IncrementalPdfFileWriter) -> None:
        fields = writer.root["/AcroForm"]["/Fields"]
        for ref in fields:
            field = ref.get_object()
            if field.get("/T") == FIELD:
                field[pdf_name("/V")] = generic.TextStringObject("999")
                writer.mark_update(ref)

    return _update(signed, out, change)


def overlay_content(signed: Path, out: Path) -> Path:
    def change(writer: IncrementalPdfFileWriter) -> None:
        page_ref = _first_page(writer)
        page = page_ref.get_object()
        extra = writer.add_object(
            generic.StreamObject(stream_data=b"1 0 0 rg 100 400 200 50 re f")
        )
        page[pdf_name("/Contents")] = generic.ArrayObject(
            [page.raw_get("/Contents"), extra]
        )
        writer.mark_update(page_ref)

    return _update(signed, out, change)
