"""A pyHanko signer whose signatures are made on the token's worker thread.

:class:`TokenSigner` plugs a key from an open :class:`~hsm.session.TokenSession`
into pyHanko (PAdES stamping, CMS). It does not open sessions or log in itself:
the batch that owns the login decides how long the PIN is good for. Each
signature is queued to the module's worker and awaited without blocking the
event loop.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from typing import Any

from asn1crypto import algos, cms
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.signers import Signer
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko_certvalidator.registry import SimpleCertificateStore

from hsm.errors import KeyNotFoundError, MechanismUnsupportedError
from hsm.keys import KeyAlgorithm, KeyInfo
from hsm.mechanisms import SignatureAlgorithm, SignatureScheme
from hsm.session import TokenSession, TokenTimeoutError

__all__ = ["EncodedAttributesSigner", "TokenSigner", "scheme_for"]

_FAMILIES = {
    "rsassa_pkcs1v15": SignatureAlgorithm.RSA_PKCS1V15,
    "rsassa_pss": SignatureAlgorithm.RSA_PSS,
    "ecdsa": SignatureAlgorithm.ECDSA,
}


class EncodedAttributesSigner(Signer):
    """A pyHanko signer that keeps its signed attributes in encoded form.

    asn1crypto encodes an object built in memory again every time it is
    written, and pyHanko writes the signed attributes several times per
    signature (to sign them, to place them, to write the container).
    Reading them back once from their encoding makes every later write a
    copy of those bytes.

    Building them is dearer still (asn1crypto constructs and encodes the
    signing-certificate attribute anew each time, a few milliseconds), yet
    for PAdES signatures by one key they differ only in the message digest:
    PAdES puts the signing time in the signature dictionary, not here. So
    the first encoding is kept as a template and later signatures splice
    their digest into it, as long as nothing but content type, message
    digest, signing certificate and algorithm protection was in it. The
    splice is done on the encoding because no library builds attributes
    from a template; it keeps lengths, since digests of one algorithm are
    all the same size.
    """

    _STABLE = frozenset(
        {
            "content_type",
            "message_digest",
            "signing_certificate",
            "signing_certificate_v2",
            "cms_algorithm_protection",
        }
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # (digest algorithm, content type, certificate) -> the encoding
        # before and after the digest, and the digest's length.
        self._attr_templates: dict[tuple[object, ...], tuple[bytes, bytes, int]] = {}

    async def signed_attrs(  # type: ignore[no-untyped-def]
        self,
        data_digest: bytes,
        digest_algorithm: str,
        attr_settings: PdfCMSSignedAttributes | None = None,
        content_type: str = "data",
        use_pades: bool = False,
        timestamper=None,
        dry_run: bool = False,
        is_pdf_sig: bool = True,
    ) -> cms.CMSAttributes:
        key = self._template_key(
            digest_algorithm, attr_settings, content_type, use_pades, dry_run
        )
        template = self._attr_templates.get(key) if key is not None else None
        if template is not None and len(data_digest) == template[2]:
            head, tail, _ = template
            return cms.CMSAttributes.load(head + data_digest + tail)
        built = await super().signed_attrs(
            data_digest,
            digest_algorithm,
            attr_settings,
            content_type=content_type,
            use_pades=use_pades,
            timestamper=timestamper,
            dry_run=dry_run,
            is_pdf_sig=is_pdf_sig,
        )
        encoded = bytes(built.dump())
        attrs = cms.CMSAttributes.load(encoded)
        if (
            key is not None
            and {a["type"].native for a in attrs} <= self._STABLE
            and encoded.count(data_digest) == 1
        ):
            at = encoded.index(data_digest)
            self._attr_templates[key] = (
                encoded[:at],
                encoded[at + len(data_digest) :],
                len(data_digest),
            )
        return attrs

    def _template_key(
        self,
        digest_algorithm: str,
        attr_settings: PdfCMSSignedAttributes | None,
        content_type: str,
        use_pades: bool,
        dry_run: bool,
    ) -> tuple[object, ...] | None:
        """What a template depends on; ``None`` where none may be used."""
        if not use_pades or dry_run or self.signed_attr_prov_spec is not None:
            return None
        if attr_settings is not None and (
            attr_settings.cades_signed_attrs is not None
            or attr_settings.adobe_revinfo_attr is not None
        ):
            return None
        cert = self.signing_cert
        fingerprint = cert.sha256 if cert is not None else None
        return (digest_algorithm.lower(), content_type, fingerprint)


class TokenSigner(EncodedAttributesSigner):
    """pyHanko :class:`~pyhanko.sign.signers.Signer` for a key on a token.

    :param session: the open login batch the key lives in.
    :param key: a key from ``session.keys()``; it must have a certificate.
    :param timeout: seconds to wait for the token per signature (``None``: wait).
    """

    def __init__(
        self,
        session: TokenSession,
        key: KeyInfo,
        *,
        prefer_pss: bool = False,
        embed_roots: bool = True,
        timeout: float | None = None,
    ) -> None:
        if key.certificate is None:
            raise KeyNotFoundError(session.token.label, f"{key.label} (certificate)")
        registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]
        registry.register_multiple(asn1_x509.Certificate.load(c) for c in key.chain)
        super().__init__(
            prefer_pss=prefer_pss,
            embed_roots=embed_roots,
            signing_cert=asn1_x509.Certificate.load(key.certificate),
            cert_registry=registry,
        )
        self._session = session
        self._key = key
        self._timeout = timeout

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        """Sign ``data`` on the token (or return a placeholder for ``dry_run``)."""
        if dry_run:
            return bytes(self.estimated_signature_size())
        future = self._queue(data, digest_algorithm)
        try:
            return await asyncio.wait_for(
                asyncio.wrap_future(future), timeout=self._timeout
            )
        except TimeoutError as exc:
            raise self._timed_out() from exc

    def sign_raw_now(self, data: bytes, digest_algorithm: str) -> bytes:
        """Sign ``data`` on the token, waiting in this thread (no event loop)."""
        future = self._queue(data, digest_algorithm)
        try:
            return future.result(timeout=self._timeout)
        except TimeoutError as exc:
            future.cancel()
            raise self._timed_out() from exc

    def _queue(self, data: bytes, digest_algorithm: str) -> Future[bytes]:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        scheme = scheme_for(mechanism, digest_algorithm, self._session.token.label)
        return self._session.sign_async(self._key, data, scheme)

    def _timed_out(self) -> TokenTimeoutError:
        return TokenTimeoutError(self._session.token.label, self._timeout or 0.0)

    def estimated_signature_size(self) -> int:
        """The length of a raw signature by this key, for sizing the hole."""
        if self._key.algorithm is KeyAlgorithm.RSA:
            return max(self._key.size // 8, 256)
        if self._key.algorithm is KeyAlgorithm.EC:
            coordinate = (self._key.size + 7) // 8
            return 2 * (coordinate + 1) + 8  # DER SEQUENCE of two INTEGERs
        return 512


def scheme_for(
    mechanism: algos.SignedDigestAlgorithm, digest_algorithm: str, token_label: str
) -> SignatureScheme:
    """Translate pyHanko's signature algorithm into a :class:`SignatureScheme`."""
    digest = digest_algorithm.lower()
    family = _FAMILIES.get(str(mechanism.signature_algo))
    if family is None:
        raise MechanismUnsupportedError(token_label, str(mechanism["algorithm"].native))
    if family is not SignatureAlgorithm.RSA_PSS:
        return SignatureScheme(family, digest)
    params = mechanism["parameters"]
    mgf_digest = params["mask_gen_algorithm"]["parameters"]["algorithm"].native
    if digest != params["hash_algorithm"]["algorithm"].native or digest != mgf_digest:
        raise MechanismUnsupportedError(token_label, "rsassa_pss (mixed digests)")
    return SignatureScheme(family, digest, int(params["salt_length"].native))
