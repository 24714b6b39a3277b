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

from asn1crypto import algos, cms
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.signers import Signer
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
    copy of those bytes: about a fifth of a signature's cost.
    """

    async def signed_attrs(  # type: ignore[no-untyped-def]
        self, *args, **kwargs
    ) -> cms.CMSAttributes:
        built = await super().signed_attrs(*args, **kwargs)
        return cms.CMSAttributes.load(built.dump())


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
