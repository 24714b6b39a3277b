"""Verifying the seals of a PDF (验章): one report per file.

For each signature pyHanko checks integrity, the CMS signature, coverage and
the changes after signing (see :mod:`app.verification.changes`), with a
validation context holding only the configured trust roots and the
validation data embedded in the file. When the signer is trusted, its chain
is checked for revocation: from embedded data first, then from fresh data in
the workspace's revocation cache when one is given, then online when
allowed (what is fetched goes into the cache), and last from stale cached
data, which leaves the verdict indeterminate. A file that cannot be read,
and any unexpected failure, gives "cannot verify" and never "valid".
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from asn1crypto import crl, ocsp, x509
from pyhanko.pdf_utils.decode_limits import DecodePurpose
from pyhanko.pdf_utils.misc import PdfStrictReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY
from pyhanko.sign.general import find_cms_attribute_iter
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import (
    PdfSignatureStatus,
    SignatureCoverageLevel,
)
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import RevokedError
from pyhanko_certvalidator.policy_decl import NO_REVOCATION, CertRevTrustPolicy

from app.verification.changes import changes_after
from app.verification.parsed import parsed
from app.verification.result import (
    Change,
    ChangeKind,
    Coverage,
    Message,
    Revocation,
    SignatureReport,
    Signer,
    SigningTime,
    TimeSource,
    Trust,
    Verdict,
    VerificationReport,
    combine,
    revocation_message,
)

if TYPE_CHECKING:
    from app.verification.revocation_cache import CachedRevinfo, RevocationCache

__all__ = ["EmbeddedData", "async_verify_pdf", "verify_pdf"]

log = logging.getLogger(__name__)

_COVERAGE = {
    SignatureCoverageLevel.ENTIRE_FILE: Coverage.WHOLE_FILE,
    SignatureCoverageLevel.ENTIRE_REVISION: Coverage.REVISION,
}
_REVOCATION_TIMEOUT = 15
_PROVEN = "proven-chain"


@dataclass(frozen=True)
class _Sources:
    """Where trust and revocation data for a check come from."""

    roots: Sequence[x509.Certificate]
    online: bool
    embedded: EmbeddedData
    cache: RevocationCache | None
    crl_files: tuple[crl.CertificateList, ...] = ()
    # One validation context per revocation mode for all the file's seals:
    # a second seal by the same certificate reuses the first one's paths.
    contexts: dict[str, ValidationContext] = field(default_factory=dict)
    # The chains (DER, root first) that passed with the file's revocation
    # data required.
    proven: set[tuple[bytes, ...]] = field(default_factory=set)

    def context(self, mode: str) -> ValidationContext:
        if mode not in self.contexts:
            if mode == _PROVEN:
                # Path validation as in "require" mode, at the same moment,
                # but without revocation checks (see _validate_embedded).
                self.contexts[mode] = ValidationContext(
                    trust_roots=list(self.roots),
                    other_certs=list(self.embedded.certs),
                    allow_fetching=False,
                    revinfo_policy=CertRevTrustPolicy(NO_REVOCATION),
                    moment=self.context("require").moment,
                )
            else:
                self.contexts[mode] = _context(self.roots, self.embedded, False, mode)
        return self.contexts[mode]


@dataclass(frozen=True)
class _Attempt:
    """One way of establishing revocation status, and what it then shows."""

    good: Revocation
    fetching: bool = False
    extra_ocsps: tuple[ocsp.OCSPResponse, ...] = ()
    extra_crls: tuple[crl.CertificateList, ...] = ()
    moment: dt.datetime | None = None
    stale_since: dt.datetime | None = None


@dataclass(frozen=True)
class EmbeddedData:
    """Certificates and revocation data from the file's DSS."""

    certs: tuple[x509.Certificate, ...] = ()
    ocsps: tuple[ocsp.OCSPResponse, ...] = ()
    crls: tuple[crl.CertificateList, ...] = ()

    @property
    def has_revocation(self) -> bool:
        return bool(self.ocsps or self.crls)


def verify_pdf(
    path: Path,
    trust_roots: Sequence[x509.Certificate] = (),
    online: bool = True,
    cache: RevocationCache | None = None,
    crl_files: Sequence[crl.CertificateList] = (),
) -> VerificationReport:
    """Verify every seal in ``path``; see :func:`async_verify_pdf`."""
    return asyncio.run(async_verify_pdf(path, trust_roots, online, cache, crl_files))


async def async_verify_pdf(
    path: Path,
    trust_roots: Sequence[x509.Certificate] = (),
    online: bool = True,
    cache: RevocationCache | None = None,
    crl_files: Sequence[crl.CertificateList] = (),
) -> VerificationReport:
    """Verify every seal in ``path`` against ``trust_roots``.

    ``online`` allows fetching OCSP responses and CRLs when the file embeds
    none. ``crl_files`` are CRLs the desk was given (an office without
    network access imports its CAs' CRLs); they are tried right after the
    file's own data, and like any CRL count only until their next update.
    With a workspace's revocation ``cache``, fresh cached data is used
    before fetching, what is fetched is kept, and stale cached data is the
    last resort (the verdict is then indeterminate). This function does not
    raise: anything that goes wrong becomes a "cannot verify" verdict with
    its reason.
    """
    checked_at = dt.datetime.now(dt.UTC)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = Message(
            f"The file cannot be opened ({exc.strerror}).",
            f"无法打开文件（{exc.strerror}）。",
        )
        return _unreadable(path, "", checked_at, reason)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        reader, sigs = _open(data)
    except PdfStrictReadError as exc:
        log.debug("ambiguous structure in %s", path, exc_info=True)
        reason = Message(
            f"The PDF structure is ambiguous ({_short(exc)}).",
            f"PDF 结构存在歧义（{_short(exc)}）。",
        )
        return _unreadable(path, sha256, checked_at, reason)
    except Exception as exc:  # any parser failure means "cannot verify"
        log.debug("cannot read %s", path, exc_info=True)
        reason = Message(
            f"The PDF cannot be read ({type(exc).__name__}: {_short(exc)}).",
            f"无法读取该 PDF（{type(exc).__name__}：{_short(exc)}）。",
        )
        return _unreadable(path, sha256, checked_at, reason)

    embedded = _embedded_data(reader, sigs)
    later = _later_fields(sigs)
    sources = _Sources(trust_roots, online, embedded, cache, tuple(crl_files))
    reports = []
    for sig in sigs:
        if sig.sig_object_type != "/Sig":
            continue
        reports.append(await _verify_guarded(sig, reader, sources, later))
    reasons: tuple[Message, ...] = ()
    if not reports:
        reasons = (Message("The file carries no seal.", "该文件没有印章（签名）。"),)
    verdict = combine([r.verdict for r in reports])
    log.info("verified %s: %s", path, verdict.value)
    return VerificationReport(
        str(path), sha256, verdict, tuple(reports), reasons, checked_at
    )


def _unreadable(
    path: Path, sha256: str, checked_at: dt.datetime, reason: Message
) -> VerificationReport:
    return VerificationReport(
        str(path), sha256, Verdict.CANNOT_VERIFY, (), (reason,), checked_at
    )


def _open(data: bytes) -> tuple[PdfFileReader, list[EmbeddedPdfSignature]]:
    reader = PdfFileReader(io.BytesIO(data), strict=True)
    return reader, list(reader.embedded_signatures)


def _embedded_data(
    reader: PdfFileReader, sigs: list[EmbeddedPdfSignature]
) -> EmbeddedData:
    # Decoded here rather than through ``as_validation_context``: that builds
    # a context without trust roots, which loads the system's trust store on
    # every call, only for the three lists read back from it.
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        ocsps = tuple(
            parsed(
                ocsp.OCSPResponse,
                ref.get_object().read_data(DecodePurpose.OCSP_RESPONSE),
            )
            for ref in dss.ocsps
        )
        crls = tuple(
            parsed(crl.CertificateList, ref.get_object().read_data(DecodePurpose.CRL))
            for ref in dss.crls
        )
        copies = _CertCopies(sigs, ocsps)
        certs = tuple(
            parsed(
                x509.Certificate,
                ref.get_object().read_data(DecodePurpose.CERTIFICATE),
                copies.find,
            )
            for ref in dss.certs.values()
        )
        return EmbeddedData(certs, ocsps, crls)
    except Exception:  # a missing or damaged DSS only means no embedded data
        log.debug("no usable DSS", exc_info=True)
        return EmbeddedData()


_Source = TypeVar("_Source", EmbeddedPdfSignature, ocsp.OCSPResponse)


class _CertCopies:
    """The certificates pyHanko reads from the file's signatures, their
    time-stamp tokens and the embedded OCSP responses, by their DER bytes
    (collected when first asked for)."""

    def __init__(
        self,
        sigs: list[EmbeddedPdfSignature],
        ocsps: tuple[ocsp.OCSPResponse, ...],
    ) -> None:
        self._sigs = sigs
        self._ocsps = ocsps
        self._found: dict[bytes, x509.Certificate] | None = None

    def find(self, der: bytes) -> x509.Certificate | None:
        if self._found is None:
            self._found = {}
            for sig in self._sigs:
                self._take(_seal_certs, sig)
                self._take(_token_certs, sig)
            for response in self._ocsps:
                self._take(_responder_certs, response)
        return self._found.get(der)

    def _take(
        self, certs: Callable[[_Source], Iterable[x509.Certificate]], source: _Source
    ) -> None:
        assert self._found is not None
        try:
            for cert in certs(source):
                self._found.setdefault(cert.dump(), cert)
        except Exception:  # pyHanko reports unreadable data when validating
            log.debug("certificates not collected", exc_info=True)


def _seal_certs(sig: EmbeddedPdfSignature) -> list[x509.Certificate]:
    return [sig.signer_cert, *sig.other_embedded_certs]


def _token_certs(sig: EmbeddedPdfSignature) -> Iterator[x509.Certificate]:
    attrs = sig.signer_info["unsigned_attrs"]
    for token in find_cms_attribute_iter(attrs, "signature_time_stamp_token"):
        for choice in token["content"]["certificates"]:
            if choice.name == "certificate":
                yield choice.chosen


def _responder_certs(response: ocsp.OCSPResponse) -> Iterable[x509.Certificate]:
    certs: Iterable[x509.Certificate] = response["response_bytes"]["response"].parsed[
        "certs"
    ]
    return certs


def _later_fields(
    sigs: list[EmbeddedPdfSignature],
) -> dict[int, dict[str, ChangeKind]]:
    """For each signed revision, the signatures made in later revisions."""
    found: dict[int, dict[str, ChangeKind]] = {}
    for sig in sigs:
        found[sig.signed_revision] = {
            str(other.field_name): (
                ChangeKind.DOCUMENT_TIMESTAMP
                if other.sig_object_type == "/DocTimeStamp"
                else ChangeKind.LATER_SIGNATURE
            )
            for other in sigs
            if other.signed_revision > sig.signed_revision
        }
    return found


async def _verify_guarded(
    sig: EmbeddedPdfSignature,
    reader: PdfFileReader,
    sources: _Sources,
    later: dict[int, dict[str, ChangeKind]],
) -> SignatureReport:
    name = _field_name(sig)
    try:
        return await _verify_one(sig, reader, sources, later)
    except Exception as exc:  # never let a surprise pass as a verdict
        log.debug("cannot verify %s", name, exc_info=True)
        return SignatureReport(
            name,
            Verdict.CANNOT_VERIFY,
            (
                Message(
                    f"The signature cannot be checked ({type(exc).__name__}: "
                    f"{_short(exc)}).",
                    f"无法检查该签名（{type(exc).__name__}：{_short(exc)}）。",
                ),
            ),
        )


def _field_name(sig: EmbeddedPdfSignature) -> str:
    try:
        return str(sig.field_name)
    except Exception:  # a nameless field is still reported
        return "?"


async def _verify_one(
    sig: EmbeddedPdfSignature,
    reader: PdfFileReader,
    sources: _Sources,
    later: dict[int, dict[str, ChangeKind]],
) -> SignatureReport:
    embedded = sources.embedded
    # With revocation data in the file, the first pass requires it: a seal
    # that is trusted then is also known not to be revoked, with no second
    # path validation. Otherwise (or when that pass fails for any reason
    # other than a revocation) the soft-fail pass tells trust apart.
    status = None
    if embedded.has_revocation:
        status = await _validate_embedded(sig, sources)
        if not (status.trusted or status.revoked):
            status = None
    revocation_known = status is not None
    if status is None:
        status = await _validate(sig, sources, mode="soft-fail")
    changes = changes_after(sig, reader, later.get(sig.signed_revision, {}))
    trust = Trust.TRUSTED if status.trusted else Trust.UNTRUSTED
    revocation = Revocation.REVOKED if status.revoked else Revocation.NOT_CHECKED
    stale_since = None
    if trust is Trust.TRUSTED:
        if revocation_known:
            revocation = Revocation.GOOD_EMBEDDED
        else:
            revocation, stale_since = await _revocation(sig, sources)
    coverage = (
        _COVERAGE.get(status.coverage, Coverage.PARTIAL)
        if status.coverage is not None
        else Coverage.PARTIAL
    )
    verdict, reasons = _judge(
        status, coverage, changes, trust, (revocation, stale_since)
    )
    return SignatureReport(
        field=_field_name(sig),
        verdict=verdict,
        reasons=reasons,
        signer=_signer(sig.signer_cert),
        signing_time=_signing_time(status),
        intact=bool(status.intact and status.valid),
        coverage=coverage,
        revision=sig.signed_revision + 1,
        revisions=reader.xrefs.total_revisions,
        changes=changes,
        modified_after_sealing=any(not c.kind.acceptable for c in changes),
        trust=trust,
        revocation=revocation,
        revocation_stale_since=stale_since,
    )


async def _validate_embedded(
    sig: EmbeddedPdfSignature, sources: _Sources
) -> PdfSignatureStatus:
    """Validate ``sig`` with the file's revocation data required.

    When an earlier seal in the file passed so, a later seal by the same
    certificate is first validated without revocation checks, with the same
    trust roots and certificates and at the same moment. If that gives one of
    the chains which already passed with revocation required, the status is
    the one a second revocation check would give: the same certificates,
    checked against the same data at the same moment, and the report uses
    nothing of the status that the two checks could set differently (the
    chain found is not reported). Otherwise the seal is validated with
    revocation required like any other.
    """
    signer = _signer_der(sig) if sources.proven else None
    if signer is not None and any(signer in chain for chain in sources.proven):
        status = await _validate(sig, sources, mode=_PROVEN)
        if status.trusted and _chain(status) in sources.proven:
            # What validating with revocation required would have left in
            # that context for the seals after this one.
            registry = sources.context("require").certificate_registry
            registry.register_multiple(sig.other_embedded_certs)
            return status
    status = await _validate(sig, sources, mode="require")
    chain = _chain(status) if status.trusted else None
    if chain:
        sources.proven.add(chain)
    return status


def _signer_der(sig: EmbeddedPdfSignature) -> bytes | None:
    try:
        der: bytes = sig.signer_cert.dump()
    except Exception:  # pyHanko reports an unreadable signer when validating
        return None
    return der


def _chain(status: PdfSignatureStatus) -> tuple[bytes, ...] | None:
    path = status.validation_path
    if path is None:
        return None
    return tuple(cert.dump() for cert in path.iter_certs(include_root=True))


async def _validate(
    sig: EmbeddedPdfSignature, sources: _Sources, mode: str
) -> PdfSignatureStatus:
    return await async_validate_pdf_signature(
        sig,
        signer_validation_context=sources.context(mode),
        ts_validation_context=sources.context("soft-fail"),
        diff_policy=DEFAULT_DIFF_POLICY,
    )


def _context(
    roots: Sequence[x509.Certificate],
    embedded: EmbeddedData,
    fetching: bool,
    mode: str,
    attempt: _Attempt | None = None,
) -> ValidationContext:
    extra = attempt or _Attempt(Revocation.NOT_CHECKED)
    return ValidationContext(
        trust_roots=list(roots),
        other_certs=list(embedded.certs),
        ocsps=[*embedded.ocsps, *extra.extra_ocsps],
        crls=[*embedded.crls, *extra.extra_crls],
        allow_fetching=fetching,
        revocation_mode=mode,
        moment=extra.moment,
        retroactive_revinfo=extra.moment is not None,
    )


async def _revocation(
    sig: EmbeddedPdfSignature, sources: _Sources
) -> tuple[Revocation, dt.datetime | None]:
    """Check the signer's chain with revocation data required.

    The sources are tried in order: the file's own data, fresh cached data,
    the network, stale cached data. The first that settles the status wins.
    """
    intermediates = [*sig.other_embedded_certs, *sources.embedded.certs]
    for attempt in _attempts(sig.signer_cert, intermediates, sources):
        context = _context(
            sources.roots, sources.embedded, attempt.fetching, "require", attempt
        )
        validator = CertificateValidator(
            sig.signer_cert,
            intermediate_certs=intermediates,
            validation_context=context,
        )
        try:
            await asyncio.wait_for(validator.async_validate_path(), _REVOCATION_TIMEOUT)
        except RevokedError:
            return Revocation.REVOKED, None
        except Exception:  # unavailable revocation data: try the next source
            log.debug("revocation not established", exc_info=True)
            continue
        finally:
            if attempt.fetching:
                _keep_fetched(context, sources)
                await context.aclose()  # type: ignore[no-untyped-call]
        return attempt.good, attempt.stale_since
    return Revocation.NOT_CHECKED, None


def _attempts(
    signer: x509.Certificate,
    intermediates: list[x509.Certificate],
    sources: _Sources,
) -> list[_Attempt]:
    attempts = []
    if sources.embedded.has_revocation:
        attempts.append(_Attempt(Revocation.GOOD_EMBEDDED))
    if sources.crl_files:
        attempts.append(
            _Attempt(Revocation.GOOD_CRL_FILE, extra_crls=sources.crl_files)
        )
    fresh: list[CachedRevinfo] = []
    stale: list[tuple[CachedRevinfo, dt.datetime]] = []
    if sources.cache is not None:
        fresh, stale = _cached_for(
            sources.cache, [signer, *intermediates, *sources.roots]
        )
    if fresh:
        attempts.append(_cached_attempt(Revocation.GOOD_CACHED, fresh))
    if sources.online:
        attempts.append(_Attempt(Revocation.GOOD_ONLINE, fetching=True))
    if stale:
        entries = [*fresh, *(entry for entry, _ in stale)]
        moment = min(
            [dt.datetime.now(dt.UTC)]
            + [e.usable_until for e in entries if e.usable_until is not None]
        )
        attempts.append(
            replace(
                _cached_attempt(Revocation.GOOD_CACHED_STALE, entries),
                moment=moment,
                stale_since=min(since for _, since in stale),
            )
        )
    return attempts


def _cached_for(
    cache: RevocationCache, chain: list[x509.Certificate]
) -> tuple[list[CachedRevinfo], list[tuple[CachedRevinfo, dt.datetime]]]:
    """The cached entries for ``chain``: the fresh, and the stale with since when."""
    now = dt.datetime.now(dt.UTC)
    fresh, stale = [], []
    for entry in cache.entries():
        if not entry.answers_for(chain):
            continue
        since = entry.stale_since(now, cache.max_age)
        if since is None:
            fresh.append(entry)
        else:
            stale.append((entry, since))
    return fresh, stale


def _cached_attempt(good: Revocation, entries: list[CachedRevinfo]) -> _Attempt:
    return _Attempt(
        good,
        extra_ocsps=tuple(e.ocsp for e in entries if e.ocsp is not None),
        extra_crls=tuple(e.crl for e in entries if e.crl is not None),
    )


def _keep_fetched(context: ValidationContext, sources: _Sources) -> None:
    """Store in the workspace's cache what the online attempt fetched."""
    if sources.cache is None:
        return
    known = {item.dump() for item in (*sources.embedded.ocsps, *sources.embedded.crls)}
    ocsps = [o for o in context.ocsps if o.dump() not in known]
    crls = [c for c in context.crls if c.dump() not in known]
    try:
        sources.cache.store(ocsps, crls, dt.datetime.now(dt.UTC))
    except Exception:  # a cache that cannot be written never changes a verdict
        log.warning("fetched revocation data cannot be cached", exc_info=True)


def _judge(
    status: PdfSignatureStatus,
    coverage: Coverage,
    changes: tuple[Change, ...],
    trust: Trust,
    revocation_found: tuple[Revocation, dt.datetime | None],
) -> tuple[Verdict, tuple[Message, ...]]:
    revocation, stale_since = revocation_found
    invalid = _invalid_reasons(status, coverage, changes, revocation)
    if invalid:
        return Verdict.INVALID, tuple(invalid)
    unsure = []
    if trust is not Trust.TRUSTED:
        indication = status.trust_problem_indic
        why = (
            getattr(indication, "name", str(indication))
            if indication is not None
            else "no trusted root"
        )
        unsure.append(
            Message(
                f"The seal certificate is not trusted ({why}).",
                f"印章证书不受信任（{why}）。",
            )
        )
    elif revocation is Revocation.NOT_CHECKED:
        unsure.append(
            Message(
                "The revocation status of the seal certificate is unknown.",
                "无法确定印章证书的吊销状态。",
            )
        )
    elif revocation is Revocation.GOOD_CACHED_STALE:
        since = revocation_message(revocation, stale_since)
        unsure.append(
            Message(
                "The revocation status of the seal certificate comes only from "
                f"stored data that is out of date ({since.en}); no current data "
                "could be obtained.",
                f"印章证书的吊销状态仅来自已过期的缓存数据（{since.zh}），"
                "无法获取最新数据。",
            )
        )
    if unsure:
        return Verdict.INDETERMINATE, tuple(unsure)
    return Verdict.VALID, ()


def _invalid_reasons(
    status: PdfSignatureStatus,
    coverage: Coverage,
    changes: tuple[Change, ...],
    revocation: Revocation,
) -> list[Message]:
    reasons = []
    if not (status.intact and status.valid):
        reasons.append(
            Message(
                "The signature does not match the signed bytes.",
                "签名与所签内容不符。",
            )
        )
    if coverage is Coverage.PARTIAL:
        reasons.append(
            Message(
                "The signature does not cover a complete revision of the file.",
                "签名未覆盖文件的完整版本。",
            )
        )
    modified = sorted({c.kind.value for c in changes if not c.kind.acceptable})
    if modified:
        what = ", ".join(modified)
        reasons.append(
            Message(
                f"The document was modified after sealing ({what}).",
                f"盖章后文件被修改（{what}）。",
            )
        )
    if status.docmdp_ok is False:
        reasons.append(
            Message(
                "Changes forbidden by the certifying seal were made.",
                "存在认证签名所禁止的修改。",
            )
        )
    if revocation is Revocation.REVOKED:
        reasons.append(
            Message("The seal certificate has been revoked.", "印章证书已被吊销。")
        )
    return reasons


def _signer(given: x509.Certificate) -> Signer:
    # The object this thread parsed from the same bytes before, if any, has
    # its names decoded already.
    cert = parsed(x509.Certificate, given.dump(), lambda _: given)
    subject = cert.subject.native
    return Signer(
        name=str(subject.get("common_name", "")),
        organisation=str(subject.get("organization_name", "")),
        serial=format(cert.serial_number, "x"),
        issuer=cert.issuer.human_friendly,
        cert_sha256=hashlib.sha256(cert.dump()).hexdigest(),
    )


def _signing_time(status: PdfSignatureStatus) -> SigningTime:
    stamp = status.timestamp_validity
    if stamp is not None and stamp.intact and stamp.valid:
        return SigningTime(stamp.timestamp, TimeSource.TIMESTAMP_AUTHORITY)
    if status.signer_reported_dt is not None:
        return SigningTime(status.signer_reported_dt, TimeSource.LOCAL_CLOCK)
    return SigningTime(None, TimeSource.UNKNOWN)


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]
