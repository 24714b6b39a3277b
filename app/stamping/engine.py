"""The stamping engine: (PDF, seal image, placement, signer) to a PAdES PDF.

Stamping runs in two halves so a batch can overlap them (document N+1 is
prepared while the token signs document N):

* :func:`prepare` copies the document into ``OUT.part``, reads and checks
  it, places the seal, appends the incremental update with the signature
  field and a reserved hole for the signature, and hashes the signed byte
  ranges. A document of up to 16 MB is read into memory once and worked on
  there: parsing and writing many small objects through a file costs a
  system call each, and in a batch each of those lets another thread take
  the interpreter. A larger one is copied (and hashed on the way, see
  :func:`app.stamping.output.copy_hashing`) and updated in place in the
  ``.part`` file, so memory stays flat whatever its size; the signed digest
  goes on from the copy's hash, so the original is hashed once. It uses
  the signer only for its certificate (and a dry run, which pyHanko signers
  answer without touching the key) to size that hole; for B-T and B-LT it
  also asks the TSA once for a sample token and, for B-LT, fetches the
  revocation data.
* :func:`finish` has the signer sign the digest (on the token thread, for a
  token signer), fills the hole, adds B-LT validation data, fsyncs, verifies
  the ``.part`` file (reading it back once for the signed digest and for the
  hashes of the document before and after) and renames it into place. With
  ``keep_part`` the verified ``.part`` stays where it is and :func:`publish`
  renames it later, so a caller can first record the stamping and only then
  show the output.

:func:`stamp` does both. On any failure no output and no ``.part`` remains.
A :class:`PreparedStamp` that will not be finished must be given to
:func:`discard`.

Documents are read in pyHanko's strict mode, as SealDesk's verifier reads
them: a file whose structure is ambiguous is refused rather than sealed in a
form the verifier would not accept. Malformed documents make pyHanko and
pdfium raise all kinds of built-in exceptions; while the document is read
and the update built, those are turned into :class:`UnreadableDocumentError`
so the desk gets one clear refusal instead of a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import io
import logging
import os
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError, PdfStrictReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import (
    SigFieldSpec,
    SigSeedSubFilter,
    append_signature_field,
    enumerate_sig_fields,
)
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, Signer
from pyhanko.sign.signers.pdf_byterange import (
    PdfByteRangeDigest,
    PreparedByteRangeDigest,
)
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.signers.pdf_signer import (
    PdfSigningSession,
    PdfTBSDocument,
    PostSignInstructions,
    PreSignValidationStatus,
)
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.stamp import NoOpStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import (
    PathError,
    RevokedError,
    ValidationError,
)
from pypdfium2 import PdfiumError

from app.stamping import output as out
from app.stamping.appearance import (
    SealArt,
    add_widget,
    load_seal,
    paint_spots,
    piece_sizes,
)
from app.stamping.checks import (
    check_certificate,
    check_document,
    check_output_path,
    part_path,
)
from app.stamping.errors import (
    CertificateValidityError,
    DocumentChangedError,
    KeywordNotFoundError,
    OutputPathError,
    PlacementError,
    SigningFailedError,
    StampingError,
    UnreadableDocumentError,
)
from app.stamping.keyword import find_text
from app.stamping.pdfobj import deref, inherited, page_ref
from app.stamping.placement import (
    CoordinatePlacement,
    KeywordPlacement,
    Occurrence,
    PageFrame,
    Placement,
    RidingPlacement,
    SealSpot,
    choose_riding_pages,
    mm_to_pt,
)
from app.stamping.request import Level, StampRequest, StampResult
from app.stamping.verify import WrittenDocument, verify_written

__all__ = [
    "PreparedStamp",
    "async_finish",
    "async_prepare",
    "async_stamp",
    "discard",
    "finish",
    "prepare",
    "publish",
    "stamp",
]

log = logging.getLogger(__name__)

_MD = "sha256"
_IN_MEMORY = 16 << 20
_TSA_TIMEOUT = 20
_PARSE_ERRORS: tuple[type[Exception], ...] = (
    PdfError,
    NotImplementedError,
    PdfiumError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    AssertionError,
    RecursionError,
    OverflowError,
    ZeroDivisionError,
    zlib.error,
    struct.error,
)


@dataclass(frozen=True, eq=False)
class PreparedStamp:
    """A document written to its ``.part`` file, waiting for its signature."""

    request: StampRequest
    part: Path
    stream: BinaryIO
    memory: io.BytesIO | None
    digest: PreparedByteRangeDigest
    post_sign: PostSignInstructions | None
    md_algorithm: str
    signing_time: dt.datetime
    certificate: asn1_x509.Certificate
    timestamper: HTTPTimeStamper | None
    signature_field: str
    page_count: int
    pages: tuple[int, ...]
    original_size: int
    prefix: hashlib._Hash | None
    """For a large document, the SHA-256 state over its bytes as copied."""

    @property
    def document_digest(self) -> bytes:
        """The digest the signer will sign over (inside the CMS attributes)."""
        return self.digest.document_digest


def stamp(request: StampRequest, signer: Signer) -> StampResult:
    """Prepare, sign, write and verify in one call (see the module docs)."""
    return asyncio.run(async_stamp(request, signer))


def prepare(request: StampRequest, signer: Signer) -> PreparedStamp:
    """Everything up to the digest; see :func:`async_prepare`."""
    return asyncio.run(async_prepare(request, signer))


def finish(
    prepared: PreparedStamp, signer: Signer, *, keep_part: bool = False
) -> StampResult:
    """Sign, write and verify; see :func:`async_finish`."""
    return asyncio.run(async_finish(prepared, signer, keep_part=keep_part))


async def async_stamp(request: StampRequest, signer: Signer) -> StampResult:
    """Prepare, sign, write and verify in one call (see the module docs)."""
    prepared = await async_prepare(request, signer)
    return await async_finish(prepared, signer)


def discard(prepared: PreparedStamp) -> None:
    """Abandon a prepared stamp: its ``.part`` file is removed."""
    out.discard(prepared.stream, prepared.part)


def publish(part: Path, output: Path) -> None:
    """Rename a ``.part`` kept by ``finish(..., keep_part=True)`` into place.

    :raises OutputPathError: ``output`` appeared in the meantime; the
        ``.part`` file is left for the caller to decide about.
    """
    if output.exists():
        raise OutputPathError(
            f"{output}: the output file already exists.",
            f"{output}：输出文件已存在。",
            output,
        )
    out.commit(part, output)


async def async_prepare(request: StampRequest, signer: Signer) -> PreparedStamp:
    """Check, place and build the update, write ``.part`` and hash it."""
    source = request.input
    check_output_path(source, request.output, request.overwrite)
    check_certificate(signer.signing_cert, source, dt.datetime.now(dt.UTC))
    art = load_seal(
        request.seal_png, request.seal_width_mm, request.seal_height_mm, source
    )
    try:
        handle = source.open("rb")
    except OSError as exc:
        raise UnreadableDocumentError(
            f"{source}: the file cannot be opened ({exc.strerror}).",
            f"{source}：无法打开文件（{exc.strerror}）。",
            source,
        ) from exc
    part = part_path(request.output)
    with handle:
        stream = _create_part(part, source)
        try:
            memory, prefix = _copy_into(handle, stream, part, source)
        except BaseException:
            out.discard(stream, part)
            raise
    try:
        return await _prepare_part(request, signer, art, part, stream, memory, prefix)
    except BaseException:
        out.discard(stream, part)
        raise


async def _prepare_part(
    request: StampRequest,
    signer: Signer,
    art: SealArt,
    part: Path,
    stream: BinaryIO,
    memory: io.BytesIO | None,
    prefix: hashlib._Hash | None,
) -> PreparedStamp:
    """Check and seal the document; the update goes in place after it.

    ``memory`` holds the whole document when it was read into memory;
    otherwise the copy in ``stream`` is worked on.
    """
    source = request.input
    handle: BinaryIO = memory if memory is not None else stream
    original_size = handle.seek(0, io.SEEK_END)
    handle.seek(0)
    with _reading(source):
        _require_pdf_header(handle, source)
        reader = PdfFileReader(handle, strict=True)
        check_document(reader, source)
        writer = IncrementalPdfFileWriter.from_reader(reader)
        page_count = _page_count(writer)
        spots = _resolve(request.placement, writer, page_count, art, source)
        field_name = _free_field_name(writer)
        appearances = paint_spots(writer, art, spots)
        field_ref = _create_field(writer, field_name, spots[0], appearances[0])

    context = _context(request) if request.level is Level.B_LT else None
    timestamper = (
        HTTPTimeStamper(request.tsa_url, timeout=_TSA_TIMEOUT)
        if request.tsa_url and request.level is not Level.B_B
        else None
    )
    pdf_signer = PdfSigner(
        PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm=_MD,
            subfilter=SigSeedSubFilter.PADES,
            reason=request.reason,
            location=request.location,
            embed_validation_info=context is not None,
            validation_context=context,
        ),
        signer,
        timestamper=timestamper,
        stamp_style=NoOpStampStyle(),
    )
    try:
        with _signing(source), _reading(source, disk_errors=True):
            session = pdf_signer.init_signing_session(writer, existing_fields_only=True)
        with _signing(source):
            info = await session.perform_presign_validation(writer)
            reserved = await _reserved_size(session, info, signer, timestamper, context)
        with _signing(source), _reading(source, disk_errors=True):
            tbs = session.prepare_tbs_document(
                validation_info=info, bytes_reserved=reserved
            )
            # pyHanko styles a field with exactly one widget; the other seal
            # images join the field once that is done.
            for spot, appearance in zip(spots[1:], appearances[1:], strict=True):
                add_widget(writer, field_ref, spot, appearance)
    finally:
        if context is not None:
            await context.aclose()  # type: ignore[no-untyped-call]

    with _signing(source), _reading(source, disk_errors=True):
        digest = _digest_after_prefix(
            writer, field_ref, stream, prefix, original_size, source
        )
        if digest is None:
            digest, _ = tbs.digest_tbs_document(in_place=True, chunk_size=out.CHUNK)
    assert signer.signing_cert is not None
    return PreparedStamp(
        request=request,
        part=part,
        stream=stream,
        memory=memory,
        digest=digest,
        post_sign=tbs.post_sign_instructions,
        md_algorithm=tbs.md_algorithm,
        signing_time=session.system_time,
        certificate=signer.signing_cert,
        timestamper=timestamper,
        signature_field=field_name,
        page_count=page_count,
        pages=tuple(sorted({s.page + 1 for s in spots})),
        original_size=original_size,
        prefix=prefix,
    )


def _digest_after_prefix(
    writer: IncrementalPdfFileWriter,
    field_ref: generic.IndirectObject,
    stream: BinaryIO,
    prefix: hashlib._Hash | None,
    original_size: int,
    source: Path,
) -> PreparedByteRangeDigest | None:
    """Write the update in place and digest the signed ranges of a large copy.

    pyHanko would hash the whole file again, though its first part is the
    original document, already hashed while it was copied. This does what
    pyHanko's digesting step does (write the update, fill the
    ``/ByteRange`` in, hash everything but the hole) from that hash on, so
    the original is hashed once. ``None`` (pyHanko then digests as usual)
    when there is no copy-time hash or the signature dictionary is not the
    kind this knows.
    """
    if prefix is None or prefix.name != _MD:
        return None
    field = deref(field_ref)
    value = field.get("/V") if isinstance(field, generic.DictionaryObject) else None
    signature = deref(value) if isinstance(value, generic.IndirectObject) else None
    if not isinstance(signature, PdfByteRangeDigest):
        return None
    writer.digest_aware_write = True
    writer.write_in_place()  # type: ignore[no-untyped-call]
    end = stream.tell()
    start, stop = signature.contents.offsets
    if not original_size <= start < stop <= end:
        raise SigningFailedError(
            f"{source}: the signature was not placed after the original document.",
            f"{source}：签名位置不在原文件内容之后。",
            source,
        )
    signature.byte_range.fill_offsets(stream, start, stop, end)  # type: ignore[no-untyped-call]
    digest = prefix.copy()
    for first, last in ((original_size, start), (stop, end)):  # the update only
        stream.seek(first)
        digest.update(stream.read(last - first))
    return PreparedByteRangeDigest(
        document_digest=digest.digest(),
        reserved_region_start=start,
        reserved_region_end=stop,
    )


# The hole reserved for a B-B signature depends only on the certificate, its
# chain and the digest algorithm, so a batch sizes it once: pyHanko's estimate
# is a complete dry-run signing, as costly as the real one. B-T and B-LT hold a
# time-stamp token and validation data whose size varies, so they are sized
# every time.
_RESERVED_SIZES: dict[tuple[bytes, ...], int] = {}


async def _reserved_size(
    session: PdfSigningSession,
    info: PreSignValidationStatus | None,
    signer: Signer,
    timestamper: HTTPTimeStamper | None,
    context: ValidationContext | None,
) -> int:
    if timestamper is not None or context is not None or info is not None:
        return int(await session.estimate_signature_container_size(info))
    assert signer.signing_cert is not None
    key = (
        signer.signing_cert.dump(),
        *(c.dump() for c in signer.cert_registry),
        _MD.encode(),
    )
    size = _RESERVED_SIZES.get(key)
    if size is None:
        size = int(await session.estimate_signature_container_size(info))
        if len(_RESERVED_SIZES) > 32:
            _RESERVED_SIZES.clear()
        _RESERVED_SIZES[key] = size
    return size


async def async_finish(
    prepared: PreparedStamp, signer: Signer, *, keep_part: bool = False
) -> StampResult:
    """Sign the prepared digest, complete, fsync, verify and rename into place.

    The ``.part`` file is verified before the rename, so a failing
    verification never leaves an output behind. With ``keep_part`` the
    verified ``.part`` file is not renamed; :func:`publish` does that.

    A document whose bytes differ from ``request.expected_sha256`` is
    refused here, once its hash is known from the read-back; its signature
    never leaves the ``.part`` file, which is removed.
    """
    cms = await async_sign_prepared(prepared, signer)
    return await async_complete(prepared, cms, keep_part=keep_part)


def sign_prepared(prepared: PreparedStamp, signer: Signer) -> bytes:
    """The first half of :func:`finish`; see :func:`async_sign_prepared`."""
    return asyncio.run(async_sign_prepared(prepared, signer))


def complete(
    prepared: PreparedStamp, cms: bytes, *, keep_part: bool = False
) -> StampResult:
    """The second half of :func:`finish`; see :func:`async_complete`."""
    return asyncio.run(async_complete(prepared, cms, keep_part=keep_part))


async def async_sign_prepared(prepared: PreparedStamp, signer: Signer) -> bytes:
    """Have the signer sign the prepared digest; the CMS signature's bytes.

    Only the signer works here (the token, and the TSA for B-T and up), so a
    batch can complete the previous document meanwhile. On failure the
    ``.part`` file is removed.
    """
    try:
        _same_certificate(prepared, signer)
        with _signing(prepared.request.input):
            cms = await signer.async_sign(
                prepared.document_digest,
                prepared.md_algorithm,
                use_pades=True,
                timestamper=prepared.timestamper,
                signed_attr_settings=PdfCMSSignedAttributes(
                    signing_time=prepared.signing_time
                ),
            )
            return bytes(cms.dump())
    except BaseException:
        discard(prepared)
        raise


async def async_complete(
    prepared: PreparedStamp, cms: bytes, *, keep_part: bool = False
) -> StampResult:
    """Fill the signature in, fsync, verify and (unless ``keep_part``) rename.

    On failure the ``.part`` file is removed.
    """
    request = prepared.request
    try:
        with _signing(request.input):
            await _complete(prepared, cms)
            _write_update(prepared)
        out.flush_to_disk(prepared.stream)
        prepared.stream.close()
        written = await _verify(prepared, cms)
        sha256_before = written.sha256_before
        assert sha256_before is not None  # the original size was given
        _same_document(request, sha256_before)
        if not keep_part:
            out.commit(prepared.part, request.output)
    except BaseException:
        discard(prepared)
        raise
    log.info(
        "seal %s applied to %s (%s)",
        prepared.signature_field,
        request.output,
        request.level.value,
    )
    return StampResult(
        output=request.output,
        sha256_before=sha256_before,
        sha256_after=written.sha256_after,
        page_count=prepared.page_count,
        pages=prepared.pages,
        signature_field=prepared.signature_field,
        signing_time=prepared.signing_time,
        level=request.level,
    )


async def _complete(prepared: PreparedStamp, cms: bytes) -> None:
    context = _context(prepared.request) if prepared.post_sign else None
    try:
        await PdfTBSDocument.async_finish_signing(
            prepared.memory if prepared.memory is not None else prepared.stream,
            prepared.digest,
            cms,
            post_sign_instr=prepared.post_sign,
            validation_context=context,
        )
    finally:
        if context is not None:
            await context.aclose()  # type: ignore[no-untyped-call]


async def _verify(prepared: PreparedStamp, cms: bytes) -> WrittenDocument:
    request = prepared.request
    factory = request.validation_context
    # A B-B seal judged without trust roots needs no validation context (see
    # app.stamping.verify); building one costs a TLS setup for its fetchers.
    lean = factory is None and request.level is Level.B_B
    # Without trust roots only integrity is judged; anchoring on the seal's
    # own certificate keeps pyHanko from searching (and logging) a path.
    context = (
        None
        if lean
        else factory()
        if factory is not None
        else ValidationContext(trust_roots=[prepared.certificate])
    )
    try:
        with _reading(request.input):
            return await verify_written(
                prepared.part,
                prepared.signature_field,
                request.level,
                context,
                request.input,
                judge_trust=factory is not None,
                certificate=prepared.certificate,
                original_size=prepared.original_size,
                signature=cms,
                prefix=prepared.prefix,
            )
    finally:
        if context is not None:
            await context.aclose()  # type: ignore[no-untyped-call]


def _write_update(prepared: PreparedStamp) -> None:
    """Put the signed update made in memory after the copy in ``.part``."""
    if prepared.memory is None:
        return
    tail = prepared.memory.getbuffer()[prepared.original_size :]
    try:
        prepared.stream.seek(prepared.original_size)
        prepared.stream.write(tail)
        prepared.stream.truncate()
    finally:
        tail.release()


def _same_document(request: StampRequest, sha256_before: str) -> None:
    expected = request.expected_sha256
    if expected is not None and sha256_before != expected:
        source = request.input
        raise DocumentChangedError(
            f"{source}: the document changed while it was being stamped.",
            f"{source}：盖章过程中文件被修改。",
            source,
        )


def _same_certificate(prepared: PreparedStamp, signer: Signer) -> None:
    cert = signer.signing_cert
    if cert is None or (
        cert is not prepared.certificate and cert.dump() != prepared.certificate.dump()
    ):
        source = prepared.request.input
        raise SigningFailedError(
            f"{source}: the document was prepared for another seal certificate.",
            f"{source}：该文件是为另一张印章证书准备的。",
            source,
        )


def _context(request: StampRequest) -> ValidationContext:
    factory = request.validation_context
    assert factory is not None  # guaranteed by StampRequest for B-LT
    return factory()


def _create_part(part: Path, source: Path) -> BinaryIO:
    try:
        return out.create_part(part)
    except OSError as exc:
        raise SigningFailedError(
            f"{source}: cannot create {part} ({exc.strerror}).",
            f"{source}：无法创建 {part}（{exc.strerror}）。",
            source,
        ) from exc


def _copy_into(
    handle: BinaryIO, stream: BinaryIO, part: Path, source: Path
) -> tuple[io.BytesIO | None, hashlib._Hash | None]:
    """Copy the document into ``part``: in memory when it is not large,
    hashed on the way when it is."""
    try:
        if os.fstat(handle.fileno()).st_size > _IN_MEMORY:
            return None, out.copy_hashing(handle, stream)
        memory = io.BytesIO(handle.read(_IN_MEMORY + 1))
        if len(memory.getbuffer()) > _IN_MEMORY:  # it grew meanwhile
            handle.seek(0)
            return None, out.copy_hashing(handle, stream)
        stream.write(memory.getbuffer())
        return memory, None
    except OSError as exc:
        raise SigningFailedError(
            f"{source}: cannot write {part} ({exc.strerror}).",
            f"{source}：无法写入 {part}（{exc.strerror}）。",
            source,
        ) from exc


@contextlib.contextmanager
def _reading(source: Path, disk_errors: bool = False) -> Iterator[None]:
    """Turn a parser's complaint about a malformed document into a refusal.

    ``OSError`` counts as the document's fault (a bad offset makes the parser
    seek before the start of the file) unless ``disk_errors`` says the block
    also writes, where it is left to :func:`_signing`.
    """
    caught: tuple[type[Exception], ...] = (
        _PARSE_ERRORS if disk_errors else (*_PARSE_ERRORS, OSError)
    )
    try:
        yield
    except StampingError:
        raise
    except PdfStrictReadError as exc:
        log.debug("ambiguous structure in %s", source, exc_info=True)
        raise UnreadableDocumentError(
            f"{source}: the PDF has structural errors that make its content "
            f"ambiguous ({_short(exc)}); save it again (e.g. print to PDF) and "
            "stamp the copy.",
            f"{source}：该 PDF 存在结构错误，内容可能有歧义（{_short(exc)}）；"
            "请重新保存（例如打印为 PDF）后对副本盖章。",
            source,
        ) from exc
    except caught as exc:
        log.debug("cannot read %s", source, exc_info=True)
        raise UnreadableDocumentError(
            f"{source}: the PDF cannot be read ({type(exc).__name__}: {_short(exc)}).",
            f"{source}：无法读取该 PDF 文件（{type(exc).__name__}：{_short(exc)}）。",
            source,
        ) from exc


@contextlib.contextmanager
def _signing(source: Path) -> Iterator[None]:
    """Turn pyHanko's signing and time-stamping errors into our own."""
    try:
        yield
    except StampingError:
        raise
    except RevokedError as exc:
        raise CertificateValidityError(
            f"{source}: the seal certificate has been revoked.",
            f"{source}：印章证书已被吊销。",
            source,
        ) from exc
    except (PathError, ValidationError) as exc:
        raise CertificateValidityError(
            f"{source}: the seal certificate could not be validated ({_short(exc)}).",
            f"{source}：无法验证印章证书（{_short(exc)}）。",
            source,
        ) from exc
    except SigningError as exc:
        raise SigningFailedError(
            f"{source}: signing failed ({_short(exc)}).",
            f"{source}：签名失败（{_short(exc)}）。",
            source,
        ) from exc
    except OSError as exc:  # includes pyHanko's TimestampRequestError
        raise SigningFailedError(
            f"{source}: a time-stamp or revocation service, or the disk, "
            f"failed ({_short(exc)}).",
            f"{source}：时间戳服务、吊销信息服务或磁盘出错（{_short(exc)}）。",
            source,
        ) from exc


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]


def _require_pdf_header(handle: BinaryIO, source: Path) -> None:
    # Readers accept a header anywhere in the first 1024 bytes.
    head = handle.read(1024)
    handle.seek(0)
    if b"%PDF-" not in head:
        raise UnreadableDocumentError(
            f"{source}: the file is not a PDF.",
            f"{source}：该文件不是 PDF 文件。",
            source,
        )


def _page_count(writer: IncrementalPdfFileWriter) -> int:
    pages = writer.root["/Pages"]
    assert isinstance(pages, generic.DictionaryObject)
    count = int(pages["/Count"])
    if count < 1:
        raise ValueError("the document has no pages")
    return count


def _frame(writer: IncrementalPdfFileWriter, index: int) -> PageFrame:
    page = deref(page_ref(writer, index))
    box = inherited(page, "/CropBox")
    media = inherited(page, "/MediaBox")
    numbers = [float(v) for v in (box if box is not None else media)]
    if box is not None and media is not None:
        numbers = _intersect(numbers, [float(v) for v in media])
    llx, lly, urx, ury = numbers
    rect = (min(llx, urx), min(lly, ury), max(llx, urx), max(lly, ury))
    if rect[2] - rect[0] <= 0 or rect[3] - rect[1] <= 0:
        raise ValueError("the page has an empty box")
    rotate = inherited(page, "/Rotate")
    angle = int(rotate or 0) % 360
    return PageFrame(index, rect, angle if angle % 90 == 0 else 0)


def _intersect(box: list[float], media: list[float]) -> list[float]:
    a = (min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]))
    b = (min(media[0], media[2]), min(media[1], media[3]), max(media[0], media[2]))
    top_a, top_b = max(box[1], box[3]), max(media[1], media[3])
    merged = [max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(top_a, top_b)]
    empty = merged[2] <= merged[0] or merged[3] <= merged[1]
    return media if empty else merged


def _resolve(
    placement: Placement,
    writer: IncrementalPdfFileWriter,
    page_count: int,
    art: SealArt,
    source: Path,
) -> list[SealSpot]:
    size = (art.width_pt, art.height_pt)
    if isinstance(placement, CoordinatePlacement):
        return [_at_coordinates(placement, writer, page_count, size, source)]
    if isinstance(placement, KeywordPlacement):
        return _at_keyword(placement, writer, size, source)
    return _riding(placement, writer, page_count, art, source)


def _at_coordinates(
    placement: CoordinatePlacement,
    writer: IncrementalPdfFileWriter,
    page_count: int,
    size: tuple[float, float],
    source: Path,
) -> SealSpot:
    number = placement.page
    index = number - 1 if number > 0 else page_count + number
    if number == 0 or not 0 <= index < page_count:
        raise PlacementError(
            f"{source}: page {number} does not exist (the document has "
            f"{page_count} pages).",
            f"{source}：第 {number} 页不存在（文档共 {page_count} 页）。",
            source,
        )
    frame = _frame(writer, index)
    dx, dy = mm_to_pt(placement.x_mm), mm_to_pt(placement.y_mm)
    width, height = frame.shown_size
    if not (0 <= dx <= width and 0 <= dy <= height):
        raise PlacementError(
            f"{source}: the position ({placement.x_mm}, {placement.y_mm}) mm is "
            f"outside page {number}.",
            f"{source}：位置（{placement.x_mm}, {placement.y_mm}）毫米超出"
            f"第 {number} 页范围。",
            source,
        )
    return SealSpot(index, frame.to_user(dx, dy), size, frame.rotate)


def _at_keyword(
    placement: KeywordPlacement,
    writer: IncrementalPdfFileWriter,
    size: tuple[float, float],
    source: Path,
) -> list[SealSpot]:
    hits = find_text(source, placement.text)
    wanted = placement.occurrence
    if isinstance(wanted, int) and not 1 <= wanted <= len(hits):
        hits = []
    if not hits:
        found = "" if not isinstance(wanted, int) else f" (occurrence {wanted})"
        raise KeywordNotFoundError(
            f"{source}: the keyword “{placement.text}”{found} was not found.",
            f"{source}：未找到关键字“{placement.text}”{found}。",
            source,
        )
    if wanted is Occurrence.FIRST:
        hits = hits[:1]
    elif wanted is Occurrence.LAST:
        hits = hits[-1:]
    elif isinstance(wanted, int):
        hits = [hits[wanted - 1]]
    return [
        SealSpot(hit.page, hit.centre, size, _frame(writer, hit.page).rotate)
        for hit in hits
    ]


def _riding(
    placement: RidingPlacement,
    writer: IncrementalPdfFileWriter,
    page_count: int,
    art: SealArt,
    source: Path,
) -> list[SealSpot]:
    chosen = choose_riding_pages(placement, page_count)
    if len(chosen) < 2:
        raise PlacementError(
            f"{source}: a riding seal needs at least two pages; the selection "
            f"gives {len(chosen)}.",
            f"{source}：骑缝章至少需要两页，当前选择了 {len(chosen)} 页。",
            source,
        )
    spots = []
    sizes = piece_sizes(art, len(chosen), source)
    for number, (index, size) in enumerate(zip(chosen, sizes, strict=True)):
        frame = _frame(writer, index)
        width, height = frame.shown_size
        dy = height / 2 if placement.y_mm is None else mm_to_pt(placement.y_mm)
        if not 0 <= dy <= height:
            raise PlacementError(
                f"{source}: {placement.y_mm} mm from the top is outside page "
                f"{index + 1}.",
                f"{source}：距顶部 {placement.y_mm} 毫米超出第 {index + 1} 页范围。",
                source,
            )
        centre = frame.to_user(width - size[0] / 2, dy)
        spots.append(SealSpot(index, centre, size, frame.rotate, (number, len(chosen))))
    return spots


def _free_field_name(writer: IncrementalPdfFileWriter) -> str:
    taken = {name for name, _, _ in enumerate_sig_fields(writer)}
    number = 1
    while f"Seal{number}" in taken:
        number += 1
    return f"Seal{number}"


def _create_field(
    writer: IncrementalPdfFileWriter,
    name: str,
    spot: SealSpot,
    appearance: generic.IndirectObject,
) -> generic.IndirectObject:
    """The signature field, with the first seal image as its one widget."""
    # pyHanko takes whole points here; add_widget sets the exact rectangle.
    llx, lly, urx, ury = (round(v) for v in spot.rect)
    spec = SigFieldSpec(
        name,
        on_page=spot.page,
        box=(llx, lly, max(urx, llx + 1), max(ury, lly + 1)),
        combine_annotation=False,
    )
    append_signature_field(writer, spec)
    ((_, _, field_ref),) = enumerate_sig_fields(writer, with_name=name)
    widget = deref(deref(field_ref)["/Kids"][0])
    add_widget(writer, field_ref, spot, appearance, widget=widget)
    return cast(generic.IndirectObject, field_ref)
