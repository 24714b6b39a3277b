"""Choosing the PKCS#11 mechanism for a signature, and shaping its input/output.

A :class:`SignatureScheme` says what signature the caller wants (RSA PKCS#1
v1.5, RSA-PSS or ECDSA, with a digest). :func:`plan_signature` turns it into a
:class:`MechanismPlan` against the mechanisms the token actually lists:

* the hashed mechanism (``CKM_SHA256_RSA_PKCS``, ``CKM_ECDSA_SHA256``, ...)
  when the token offers it, so the token hashes;
* otherwise the raw one (``CKM_RSA_PKCS``, ``CKM_RSA_PKCS_PSS``, ``CKM_ECDSA``)
  with the hash computed on the host. SoftHSM2 and many USB keys lack
  ``CKM_ECDSA_SHA256``, so this path is common.

ECDSA tokens answer with raw ``r || s``; the plan converts that to the DER
``ECDSA-Sig-Value`` that CMS expects.

Vendor algorithms (SM2 / 国密)
------------------------------
Chinese USB keys sign SM2 with vendor mechanisms (for example a vendor-defined
``CKM_SM3_SM2``, or raw ``CKM_SM2`` over an SM3 hash that includes the signer's
Z value). These are not implemented here. A vendor integration registers a
planner for :attr:`SignatureAlgorithm.SM2` with :func:`register_vendor_planner`;
the planner receives the scheme and the token's mechanism list and returns a
:class:`MechanismPlan` (mechanism number, parameter, host-side pre-hash such as
SM3-with-Z, and post-processing of ``r || s`` to DER) or ``None`` when that token
cannot do it. Registered planners are consulted before the built-in ones.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from asn1crypto import algos, core
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from pkcs11 import MGF, Mechanism

from hsm.errors import MechanismUnsupportedError

__all__ = [
    "MechanismPlan",
    "SignatureAlgorithm",
    "SignatureScheme",
    "VendorPlanner",
    "ecdsa_raw_to_der",
    "plan_signature",
    "register_vendor_planner",
]


class SignatureAlgorithm(enum.Enum):
    """Signature families the layer knows by name."""

    RSA_PKCS1V15 = "rsa_pkcs1v15"
    RSA_PSS = "rsa_pss"
    ECDSA = "ecdsa"
    SM2 = "sm2"  # only through a registered vendor planner, see module docs


@dataclass(frozen=True)
class SignatureScheme:
    """A requested signature: family, digest and (PSS only) salt length."""

    algorithm: SignatureAlgorithm
    digest: str = "sha256"
    salt_length: int | None = None

    def __str__(self) -> str:
        return f"{self.algorithm.value}/{self.digest}"


@dataclass(frozen=True)
class MechanismPlan:
    """How to run one signature on a given token."""

    mechanism: Mechanism | int
    param: Any = None
    prehash: Callable[[bytes], bytes] | None = None
    postprocess: Callable[[bytes], bytes] | None = None

    def prepare(self, data: bytes) -> bytes:
        """Input for C_Sign: the data itself or its host-side hash."""
        return self.prehash(data) if self.prehash is not None else data

    def finish(self, raw: bytes) -> bytes:
        """Signature in the encoding CMS expects."""
        return self.postprocess(raw) if self.postprocess is not None else raw


VendorPlanner = Callable[[SignatureScheme, Collection[int]], MechanismPlan | None]

_vendor_planners: dict[SignatureAlgorithm, VendorPlanner] = {}

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha224": hashes.SHA224,
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
_DIGEST_MECH = {
    "sha224": Mechanism.SHA224,
    "sha256": Mechanism.SHA256,
    "sha384": Mechanism.SHA384,
    "sha512": Mechanism.SHA512,
}
_MGF = {
    "sha224": MGF.SHA224,
    "sha256": MGF.SHA256,
    "sha384": MGF.SHA384,
    "sha512": MGF.SHA512,
}
_HASHED = {
    SignatureAlgorithm.RSA_PKCS1V15: {
        "sha224": Mechanism.SHA224_RSA_PKCS,
        "sha256": Mechanism.SHA256_RSA_PKCS,
        "sha384": Mechanism.SHA384_RSA_PKCS,
        "sha512": Mechanism.SHA512_RSA_PKCS,
    },
    SignatureAlgorithm.RSA_PSS: {
        "sha224": Mechanism.SHA224_RSA_PKCS_PSS,
        "sha256": Mechanism.SHA256_RSA_PKCS_PSS,
        "sha384": Mechanism.SHA384_RSA_PKCS_PSS,
        "sha512": Mechanism.SHA512_RSA_PKCS_PSS,
    },
    SignatureAlgorithm.ECDSA: {
        "sha224": Mechanism.ECDSA_SHA224,
        "sha256": Mechanism.ECDSA_SHA256,
        "sha384": Mechanism.ECDSA_SHA384,
        "sha512": Mechanism.ECDSA_SHA512,
    },
}
_RAW = {
    SignatureAlgorithm.RSA_PKCS1V15: Mechanism.RSA_PKCS,
    SignatureAlgorithm.RSA_PSS: Mechanism.RSA_PKCS_PSS,
    SignatureAlgorithm.ECDSA: Mechanism.ECDSA,
}


def register_vendor_planner(
    algorithm: SignatureAlgorithm, planner: VendorPlanner
) -> None:
    """Let a vendor integration plan ``algorithm`` signatures (see module docs)."""
    _vendor_planners[algorithm] = planner


def ecdsa_raw_to_der(raw: bytes) -> bytes:
    """Convert a PKCS#11 ECDSA signature (``r || s``) to DER ``ECDSA-Sig-Value``."""
    half = len(raw) // 2
    r = int.from_bytes(raw[:half], "big")
    s = int.from_bytes(raw[half:], "big")
    return encode_dss_signature(r, s)


def plan_signature(
    scheme: SignatureScheme, available: Collection[int], token_label: str
) -> MechanismPlan:
    """Pick mechanism, parameter and host-side steps for ``scheme`` on a token.

    :raises MechanismUnsupportedError: the token lists no usable mechanism.
    """
    vendor = _vendor_planners.get(scheme.algorithm)
    plan = vendor(scheme, available) if vendor is not None else None
    if plan is None and scheme.digest in _HASHES:
        plan = _builtin_plan(scheme, available)
    if plan is None:
        raise MechanismUnsupportedError(token_label, str(scheme))
    return plan


def _builtin_plan(
    scheme: SignatureScheme, available: Collection[int]
) -> MechanismPlan | None:
    if scheme.algorithm not in _RAW:
        return None
    hashed = _HASHED[scheme.algorithm][scheme.digest]
    raw = _RAW[scheme.algorithm]
    is_pss = scheme.algorithm is SignatureAlgorithm.RSA_PSS
    param = _pss_param(scheme) if is_pss else None
    post = ecdsa_raw_to_der if scheme.algorithm is SignatureAlgorithm.ECDSA else None
    if hashed in available:
        return MechanismPlan(hashed, param, None, post)
    if raw in available:
        wrap = scheme.algorithm is SignatureAlgorithm.RSA_PKCS1V15
        return MechanismPlan(raw, param, _host_hash(scheme.digest, wrap), post)
    return None


def _pss_param(scheme: SignatureScheme) -> tuple[Mechanism, MGF, int]:
    salt = scheme.salt_length
    if salt is None:
        salt = _HASHES[scheme.digest]().digest_size
    return (_DIGEST_MECH[scheme.digest], _MGF[scheme.digest], salt)


def _host_hash(digest: str, wrap_digest_info: bool) -> Callable[[bytes], bytes]:
    algorithm = _HASHES[digest]

    def prehash(data: bytes) -> bytes:
        h = hashes.Hash(algorithm())
        h.update(data)
        value = h.finalize()
        if not wrap_digest_info:
            return value
        # CKM_RSA_PKCS signs exactly what it is given, so the DigestInfo
        # structure of PKCS#1 v1.5 has to be built on the host.
        info = algos.DigestInfo(
            {
                "digest_algorithm": {"algorithm": digest, "parameters": core.Null()},
                "digest": value,
            }
        )
        return bytes(info.dump())

    return prehash
