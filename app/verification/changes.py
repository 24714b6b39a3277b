"""Changes after sealing, judged strictly and named for the archivist.

pyHanko's difference analysis (:mod:`pyhanko.sign.diff_analysis`) decides
whether the revisions added after a signature stay within what it
whitelists; its result is then narrowed: the only acceptable changes are
later signatures, DSS/VRI validation data and document timestamps. Filling
any other form field, and everything pyHanko calls suspicious, counts as
"modified after sealing".

pyHanko says *whether* a change is acceptable but only loosely *what*
changed, so the pages, their annotations and their content streams of the
signed revision are compared with the final file here, to name the change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.rw_common import PdfHandler
from pyhanko.sign.diff_analysis import (
    DiffResult,
    ModificationLevel,
    SuspiciousModification,
)
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from app.verification.result import Change, ChangeKind

__all__ = ["changes_after"]

log = logging.getLogger(__name__)

_MAX_DEPTH = 32
_RefKey = tuple[int, int]


def changes_after(
    sig: EmbeddedPdfSignature,
    reader: PdfFileReader,
    later: Mapping[str, ChangeKind],
) -> tuple[Change, ...]:
    """Every change made after ``sig``'s revision was signed.

    ``later`` maps the field names of signatures and document timestamps
    signed in later revisions to their kind. A change whose kind is not
    acceptable means the document was modified after sealing.
    """
    signed = sig.signed_revision
    if signed >= reader.xrefs.total_revisions - 1:
        return ()
    found = [Change(kind, name) for name, kind in later.items()]
    diff = sig.diff_result
    named = _describe(reader, signed, set(later))
    found.extend(named)
    if isinstance(diff, DiffResult):
        found.extend(_judge(diff, later, named))
    elif isinstance(diff, SuspiciousModification) and not named:
        found.append(Change(ChangeKind.OTHER, str(diff)[:300]))
    elif diff is None and not named:
        found.append(Change(ChangeKind.OTHER, "not analysed"))
    return tuple(found)


def _judge(
    diff: DiffResult, later: Mapping[str, ChangeKind], named: list[Change]
) -> list[Change]:
    level = diff.modification_level
    if level <= ModificationLevel.LTA_UPDATES:
        if level is ModificationLevel.LTA_UPDATES and not later:
            return [Change(ChangeKind.VALIDATION_DATA, "DSS")]
        return []
    filled = sorted(
        name for name in diff.changed_form_fields if _leaf(name) not in later
    )
    found = [Change(ChangeKind.FORM_FIELDS, name) for name in filled]
    if level > ModificationLevel.FORM_FILLING and not named:
        found.append(Change(ChangeKind.OTHER, f"modification level {level.name}"))
    return found


def _leaf(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _describe(reader: PdfFileReader, signed: int, later: set[str]) -> list[Change]:
    before = _pages(reader.get_historical_resolver(signed))
    after = _pages(reader)
    found = []
    if len(before) != len(after):
        found.append(
            Change(ChangeKind.PAGES, f"{len(before)} pages became {len(after)}")
        )
    rewritten = _rewritten(reader, signed)
    widgets = _later_widgets(reader, later)
    for number, (old, new) in enumerate(zip(before, after, strict=False), start=1):
        added = _annotations(new) - _annotations(old)
        removed = _annotations(old) - _annotations(new)
        foreign = added - widgets
        if foreign or removed:
            found.append(
                Change(
                    ChangeKind.ANNOTATIONS,
                    f"page {number}: {len(foreign)} added, {len(removed)} removed",
                )
            )
        old_content = _contents(old)
        if old_content != _contents(new) or old_content & rewritten:
            found.append(Change(ChangeKind.CONTENT, f"page {number}"))
    return found


def _pages(handler: PdfHandler) -> list[generic.DictionaryObject]:
    root = handler.root.get("/Pages")
    pages: list[generic.DictionaryObject] = []
    seen: set[int] = set()
    _walk(root, pages, seen, 0)
    return pages


def _walk(
    node: generic.PdfObject | None,
    pages: list[generic.DictionaryObject],
    seen: set[int],
    depth: int,
) -> None:
    node = _deref(node) if node is not None else None
    if not isinstance(node, generic.DictionaryObject) or depth > _MAX_DEPTH:
        return
    if id(node) in seen:
        return
    seen.add(id(node))
    kids = node.get("/Kids")
    if node.get("/Type") == "/Page" or kids is None:
        pages.append(node)
        return
    for kid in _items(kids):
        _walk(kid, pages, seen, depth + 1)


def _items(value: generic.PdfObject) -> Iterator[generic.PdfObject]:
    value = _deref(value)
    if isinstance(value, generic.ArrayObject):
        yield from value


def _deref(value: generic.PdfObject) -> generic.PdfObject:
    return value.get_object()  # type: ignore[no-untyped-call,no-any-return]


def _ref_keys(value: generic.PdfObject | None) -> frozenset[_RefKey]:
    if value is None:
        return frozenset()
    if isinstance(value, generic.IndirectObject):
        keys = {(value.idnum, value.generation)}
        target = _deref(value)
        if isinstance(target, generic.ArrayObject):
            keys |= _ref_keys(target)
        return frozenset(keys)
    if isinstance(value, generic.ArrayObject):
        return frozenset(
            (v.idnum, v.generation)
            for v in value
            if isinstance(v, generic.IndirectObject)
        )
    return frozenset({(-1, id(value))})


def _annotations(page: generic.DictionaryObject) -> frozenset[_RefKey]:
    raw = page.raw_get("/Annots") if "/Annots" in page else None
    if raw is None:
        return frozenset()
    return _ref_keys(raw) - (
        {(raw.idnum, raw.generation)}
        if isinstance(raw, generic.IndirectObject)
        else set()
    )


def _contents(page: generic.DictionaryObject) -> frozenset[_RefKey]:
    raw = page.raw_get("/Contents") if "/Contents" in page else None
    return _ref_keys(raw)


def _rewritten(reader: PdfFileReader, signed: int) -> frozenset[_RefKey]:
    keys: set[_RefKey] = set()
    for revision in range(signed + 1, reader.xrefs.total_revisions):
        keys |= {
            (r.idnum, r.generation)
            for r in reader.xrefs.explicit_refs_in_revision(revision)
        }
    return frozenset(keys)


def _later_widgets(reader: PdfFileReader, later: set[str]) -> frozenset[_RefKey]:
    """The widget annotations of signature fields signed in later revisions."""
    keys: set[_RefKey] = set()
    for name, _, ref in enumerate_sig_fields(reader):
        if str(name) not in later or not isinstance(ref, generic.IndirectObject):
            continue
        keys.add((ref.idnum, ref.generation))
        field = _deref(ref)
        kids = (
            field.get("/Kids") if isinstance(field, generic.DictionaryObject) else None
        )
        if kids is not None:
            keys |= _ref_keys(kids)
    return frozenset(keys)
