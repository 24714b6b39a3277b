"""The workspace's revocation cache: OCSP responses and CRLs kept between checks.

Verifying a seal online fetches OCSP responses and CRLs for the signer's
chain. They are kept in the workspace database so that a later verification
reuses them while they are fresh and, when the network is away, still has
them once they are stale. An entry is *stale* once the time passes its
``nextUpdate`` (or, for an OCSP response without one, half an hour after its
``thisUpdate``, as pyhanko-certvalidator takes it) or once it is older than
the ``revocation.max_age_hours`` setting (default 24).

The cache keys and the window of each entry are read from the DER with
asn1crypto; pyhanko-certvalidator does all the checking of the data itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from asn1crypto import crl, ocsp, x509

from storage.database import Database
from storage.revocation_cache import CacheRow, cache_rows, put_rows

__all__ = [
    "DEFAULT_MAX_AGE_HOURS",
    "MAX_AGE_SETTING",
    "CachedRevinfo",
    "RevocationCache",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_AGE_HOURS = 24
MAX_AGE_SETTING = "revocation.max_age_hours"
#: pyhanko-certvalidator's validity for revocation data without nextUpdate.
_NO_NEXT_UPDATE = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class CachedRevinfo:
    """One cached OCSP response or CRL, parsed."""

    key: str
    fetched_at: dt.datetime
    this_update: dt.datetime | None
    next_update: dt.datetime | None
    ocsp: ocsp.OCSPResponse | None = field(default=None, repr=False)
    crl: crl.CertificateList | None = field(default=None, repr=False)

    @property
    def usable_until(self) -> dt.datetime | None:
        """The last moment the data itself says it may be relied on."""
        if self.next_update is not None:
            return self.next_update
        if self.this_update is not None:
            return self.this_update + _NO_NEXT_UPDATE
        return None

    def stale_since(
        self, now: dt.datetime, max_age: dt.timedelta
    ) -> dt.datetime | None:
        """When the entry became stale, or ``None`` while it is fresh."""
        limits = [self.fetched_at + max_age]
        if self.usable_until is not None:
            limits.append(self.usable_until)
        since = min(limits)
        return since if since <= now else None

    def answers_for(self, certs: Iterable[x509.Certificate]) -> bool:
        """Whether the entry can tell the status of one of ``certs``."""
        if self.ocsp is not None:
            cert_id = _cert_id(self.ocsp)
            if cert_id is None:
                return False
            algo = cert_id["hash_algorithm"]["algorithm"].native
            name_hash = bytes(cert_id["issuer_name_hash"].native)
            serial = cert_id["serial_number"].native
            return any(
                c.serial_number == serial
                and hashlib.new(algo, c.issuer.dump()).digest() == name_hash
                for c in certs
            )
        if self.crl is not None:
            issuer = self.crl.issuer.sha256
            return any(c.issuer.sha256 == issuer for c in certs)
        return False


class RevocationCache:
    """Revocation data in one workspace database."""

    def __init__(self, db: Database, max_age: dt.timedelta) -> None:
        self._db = db
        self.max_age = max_age

    def entries(self) -> list[CachedRevinfo]:
        """Every entry that can still be parsed."""
        found = []
        for row in cache_rows(self._db):
            try:
                found.append(_parsed(row))
            except (ValueError, TypeError, KeyError):
                log.warning("revocation cache entry %s cannot be read", row.key)
        return found

    def store(
        self,
        ocsps: Iterable[ocsp.OCSPResponse],
        crls: Iterable[crl.CertificateList],
        fetched_at: dt.datetime,
    ) -> int:
        """Keep what was fetched; return how many entries were written."""
        rows = [r for r in (_ocsp_row(o, fetched_at) for o in ocsps) if r]
        rows += [r for r in (_crl_row(c, fetched_at) for c in crls) if r]
        put_rows(self._db, rows)
        log.debug("%d revocation entries cached", len(rows))
        return len(rows)


def _text(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _time(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _single(response: ocsp.OCSPResponse) -> ocsp.SingleResponse | None:
    if response["response_status"].native != "successful":
        return None
    basic = response["response_bytes"]["response"].parsed
    responses = basic["tbs_response_data"]["responses"]
    return responses[0] if len(responses) else None


def _cert_id(response: ocsp.OCSPResponse) -> ocsp.CertId | None:
    single = _single(response)
    return None if single is None else single["cert_id"]


def _ocsp_row(response: ocsp.OCSPResponse, fetched_at: dt.datetime) -> CacheRow | None:
    try:
        single = _single(response)
        if single is None:
            return None
        cert_id = single["cert_id"]
        key = (
            f"ocsp:{cert_id['hash_algorithm']['algorithm'].native}:"
            f"{bytes(cert_id['issuer_name_hash'].native).hex()}:"
            f"{cert_id['serial_number'].native:x}"
        )
        return CacheRow(
            key,
            "ocsp",
            response.dump(),
            str(_text(fetched_at)),
            _text(single["this_update"].native),
            _text(single["next_update"].native),
        )
    except (ValueError, TypeError, KeyError):
        log.warning("a fetched OCSP response cannot be cached", exc_info=True)
        return None


def _crl_row(
    certificate_list: crl.CertificateList, fetched_at: dt.datetime
) -> CacheRow | None:
    try:
        tbs = certificate_list["tbs_cert_list"]
        point = certificate_list.issuing_distribution_point_value
        where = ""
        if point is not None and point["distribution_point"].name == "full_name":
            where = ",".join(str(n.native) for n in point["distribution_point"].chosen)
        key = f"crl:{certificate_list.issuer.sha256.hex()}:{where}"
        return CacheRow(
            key,
            "crl",
            certificate_list.dump(),
            str(_text(fetched_at)),
            _text(tbs["this_update"].native),
            _text(tbs["next_update"].native),
        )
    except (ValueError, TypeError, KeyError):
        log.warning("a fetched CRL cannot be cached", exc_info=True)
        return None


def _parsed(row: CacheRow) -> CachedRevinfo:
    fetched_at = _time(row.fetched_at)
    assert fetched_at is not None
    response = certificate_list = None
    if row.kind == "ocsp":
        response = ocsp.OCSPResponse.load(row.der)
        response["response_status"].native  # noqa: B018 - reads the DER now
    else:
        certificate_list = crl.CertificateList.load(row.der)
        certificate_list["tbs_cert_list"]["this_update"].native  # noqa: B018
    return CachedRevinfo(
        key=row.key,
        fetched_at=fetched_at,
        this_update=_time(row.this_update),
        next_update=_time(row.next_update),
        ocsp=response,
        crl=certificate_list,
    )
