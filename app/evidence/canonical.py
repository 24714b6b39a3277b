"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) for evidence records.

The leaf hash of an evidence record covers these bytes, so one record must give the
same bytes on every machine and in every later release. The serialisation itself is
done by the PyPI package ``rfc8785``; this module only fixes the accepted input and
turns the package's errors into ours.

Evidence records use only strings, integers, booleans, null, lists and objects with
string keys. Floats are accepted because RFC 8785 defines how to write them, but
records should not carry them: a reader in another language may parse them back to
a different value. Integers must lie within ±(2**53 - 1), the range a JSON number
holds exactly; the library rejects larger ones, as the I-JSON profile that RFC 8785
builds on requires. Lists may be ``list`` or ``tuple`` and objects must be ``dict``;
any other type is rejected.
"""

import logging
from collections.abc import Mapping, Sequence
from typing import TypeAlias

import rfc8785

from app.evidence.errors import CanonicalJsonError

__all__ = ["JsonValue", "canonical_json"]

log = logging.getLogger(__name__)

JsonValue: TypeAlias = (
    bool | int | float | str | Sequence["JsonValue"] | Mapping[str, "JsonValue"] | None
)


def canonical_json(obj: JsonValue) -> bytes:
    """Return the RFC 8785 canonical UTF-8 encoding of ``obj``.

    :raises CanonicalJsonError: if ``obj`` holds a value RFC 8785 cannot encode
        (an integer beyond ±(2**53 - 1), NaN or infinity, a non-string key, a lone
        surrogate, or a type that is not JSON).
    """
    try:
        return rfc8785.dumps(obj)
    except rfc8785.CanonicalizationError as exc:
        # The library's text may quote the offending value; keep it out of the log.
        log.debug("evidence record rejected by canonical JSON: %s", type(exc).__name__)
        raise CanonicalJsonError(
            f"The evidence record cannot be written as canonical JSON: {exc}",
            f"存证记录无法按规范 JSON（RFC 8785）序列化：{exc}",
        ) from exc
