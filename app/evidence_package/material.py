"""What a signed PDF carries for checking it later: certificates and revocation data.

The evidence package lays these out as files, so that a court can check the
signer's chain with any tool (OpenSSL, a browser's certificate viewer)
without SealDesk: every certificate in the CMS of each signature (and of the
timestamp tokens inside them) and in the document security store (DSS), as
PEM; and every OCSP response and CRL of the DSS, as DER.

pyHanko reads the PDF and asn1crypto the CMS structures; the DSS arrays are
read straight from the document catalogue so that a DSS pyHanko would not
load as a validation context is still exported as it is.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import cms, pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

__all__ = ["CertificateFile", "SignatureMaterial", "signature_material"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CertificateFile:
    """One certificate: its PEM text, SHA-256 fingerprint and subject."""

    sha256: str
    subject: str
    pem: bytes


@dataclass(frozen=True)
class SignatureMaterial:
    """Certificates (by fingerprint), OCSP responses and CRLs (DER)."""

    certificates: tuple[CertificateFile, ...]
    ocsp_responses: tuple[bytes, ...]
    crls: tuple[bytes, ...]


def signature_material(pdf: bytes) -> SignatureMaterial:
    """Collect the certificates and revocation data the PDF carries."""
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    certs: dict[str, CertificateFile] = {}
    for signed_data in _signed_data(reader):
        for cert in _certificates(signed_data):
            _add(certs, cert)
    dss = _dss(reader)
    for data in _streams(dss, "/Certs"):
        _add(certs, asn1_x509.Certificate.load(data))
    ocsps = tuple(dict.fromkeys(_streams(dss, "/OCSPs")))
    crls = tuple(dict.fromkeys(_streams(dss, "/CRLs")))
    log.debug(
        "Signature material: %d certificates, %d OCSP, %d CRL",
        len(certs),
        len(ocsps),
        len(crls),
    )
    return SignatureMaterial(tuple(certs[k] for k in sorted(certs)), ocsps, crls)


def _signed_data(reader: PdfFileReader) -> Iterator[cms.SignedData]:
    for sig in reader.embedded_signatures:
        yield sig.signed_data
        attrs = sig.signer_info["unsigned_attrs"]
        for attr in attrs if attrs.native is not None else ():
            if attr["type"].native == "signature_time_stamp_token":
                for token in attr["values"]:
                    yield token["content"]


def _certificates(signed_data: cms.SignedData) -> Iterator[asn1_x509.Certificate]:
    for choice in signed_data["certificates"] or ():
        if choice.name == "certificate":
            yield choice.chosen


def _add(certs: dict[str, CertificateFile], cert: asn1_x509.Certificate) -> None:
    der = cert.dump()
    digest = hashlib.sha256(der).hexdigest()
    if digest not in certs:
        certs[digest] = CertificateFile(
            sha256=digest,
            subject=cert.subject.human_friendly,
            pem=pem.armor("CERTIFICATE", der),
        )


def _dss(reader: PdfFileReader) -> generic.DictionaryObject | None:
    found = reader.root.get("/DSS")
    if found is None:
        return None
    dss = found.get_object()
    return dss if isinstance(dss, generic.DictionaryObject) else None


def _streams(dss: generic.DictionaryObject | None, key: str) -> Iterator[bytes]:
    if dss is None or key not in dss:
        return
    for ref in dss[key]:
        stream = ref.get_object()
        if isinstance(stream, generic.StreamObject):
            yield bytes(stream.data)
