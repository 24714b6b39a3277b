"""Typed shorthands for the few pyHanko object calls the engine makes.

pyHanko's object model (``generic``) is only partly annotated; wrapping the
calls here keeps the rest of the package checked by ``mypy --strict``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.rw_common import PdfHandler, find_inherited_value_in_tree
from pyhanko.pdf_utils.writer import BasePdfFileWriter

__all__ = [
    "deref",
    "dictionary",
    "inherited",
    "integer",
    "numbers",
    "page_ref",
    "register_annotation",
]


def dictionary(items: Mapping[str, generic.PdfObject]) -> generic.DictionaryObject:
    """A PDF dictionary from name strings (with their slash) to objects."""
    made = generic.DictionaryObject()  # type: ignore[no-untyped-call]
    for key, value in items.items():
        made[pdf_name(key)] = value
    return made


def numbers(values: Sequence[float]) -> generic.ArrayObject:
    """A PDF array of reals, rounded to 1/10000 point."""
    return generic.ArrayObject(
        generic.FloatObject(round(v, 4))  # type: ignore[no-untyped-call]
        for v in values
    )


def integer(value: int) -> generic.NumberObject:
    """A PDF integer."""
    return generic.NumberObject(value)  # type: ignore[no-untyped-call]


def page_ref(handler: PdfHandler, index: int) -> generic.IndirectObject:
    """Reference to the page object at 0-based ``index``."""
    found = handler.find_page_for_modification(index)  # type: ignore[no-untyped-call]
    return cast(generic.IndirectObject, found[0])


def deref(obj: Any) -> Any:
    """The object behind an indirect reference (or the object itself)."""
    if isinstance(obj, generic.IndirectObject):
        return obj.get_object()  # type: ignore[no-untyped-call]
    return obj


def inherited(page: generic.DictionaryObject, key: str) -> Any:
    """A page attribute, looked up through the page tree's ``/Parent`` chain."""
    return find_inherited_value_in_tree(  # type: ignore[no-untyped-call]
        page, key, "/Parent"
    )


def register_annotation(
    writer: BasePdfFileWriter,
    page: generic.IndirectObject,
    annotation: generic.IndirectObject,
) -> None:
    """Append ``annotation`` to the page's ``/Annots``."""
    writer.register_annotation(page, annotation)  # type: ignore[no-untyped-call]
