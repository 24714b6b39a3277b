"""Parsed certificates, OCSP responses and CRLs, kept between verifications.

Files sealed by the same office embed the same chain and often the same
revocation data. asn1crypto parses a structure lazily and keeps what it has
parsed on the object, so handing the verification of the next file the
object parsed for the previous one (looked up by its exact DER bytes) saves
parsing it again; the object describes exactly the same bytes, so nothing
that is checked changes. Within one file, a certificate in the DSS is
usually also in the seal's signature, which pyHanko parses anyway; the two
then share one object.

Written here because :func:`functools.lru_cache` bounds only the number of
entries (a CRL can be megabytes) and is shared by all threads, whereas
asn1crypto's lazy parsing is not safe to run on one object from two threads
at once: each thread keeps its own memo, bounded by the DER bytes it holds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from asn1crypto import crl, ocsp, x509

__all__ = ["parsed"]

#: DER bytes one thread keeps parsed at most. Parsed, a structure takes many
#: times its DER size, and a large CRL is parsed entry by entry when searched,
#: so large structures are not kept at all.
_BUDGET = 2 * 1024 * 1024
_LARGEST = 256 * 1024

_Parsed = TypeVar("_Parsed", x509.Certificate, ocsp.OCSPResponse, crl.CertificateList)


class _Memo(threading.local):
    def __init__(self) -> None:
        self.entries: OrderedDict[tuple[type, bytes], object] = OrderedDict()
        self.size = 0


_memo = _Memo()


def parsed(
    kind: type[_Parsed],
    der: bytes,
    same: Callable[[bytes], _Parsed | None] | None = None,
) -> _Parsed:
    """``kind.load(der)``, or the object this thread loaded from ``der`` before.

    When the memo has none, ``same(der)`` may give an object already loaded
    from exactly ``der`` (the copy of a certificate in a seal's own
    signature, say), which is then taken instead of loading ``der`` again.
    """
    key = (kind, der)
    entries = _memo.entries
    found = entries.get(key)
    if found is not None:
        entries.move_to_end(key)
        return found
    copy = None if same is None else same(der)
    loaded = copy if copy is not None and copy.dump() == der else kind.load(der)
    if len(der) <= _LARGEST:
        entries[key] = loaded
        _memo.size += len(der)
        while _memo.size > _BUDGET:
            (_, old), _ = entries.popitem(last=False)
            _memo.size -= len(old)
    return loaded
