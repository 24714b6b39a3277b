"""poppler's ``pdfsig`` as an independent validator, with its own NSS store.

poppler 22.12 (Debian 12) reads NSS's last error code after a *successful*
``CERT_PKIXVerifyCert``; when the path runs through an intermediate CA a
stale code from the path search is left behind and pdfsig prints "Unknown
issue with Certificate or corrupted data." for a chain that NSS itself
(``vfychain -pp -u 4``) accepts. Later poppler releases check the return
value first. :func:`chain_accepted` therefore accepts that one message next
to "Certificate is Trusted."; every definite verdict (unknown or untrusted
issuer, revoked, expired) still fails, and a test shows that a store without
the test root gives "issuer is unknown".
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


def make_nss_db(folder: Path, root_pem: Path) -> str:
    """An NSS database in ``folder`` trusting ``root_pem``; returns its spec."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = f"sql:{folder}"
    subprocess.run(
        ["certutil", "-N", "--empty-password", "-d", spec],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            "certutil",
            "-A",
            "-n",
            "root",
            "-t",
            "CT,C,C",
            "-i",
            str(root_pem),
            "-d",
            spec,
        ],
        check=True,
        capture_output=True,
    )
    return spec


@dataclass(frozen=True)
class PdfsigSignature:
    """One signature as ``pdfsig`` reports it."""

    number: int
    signer: str
    valid: bool
    trusted: bool
    certificate: str
    whole_document: bool
    subfilter: str
    text: str


TRUSTED = "Certificate is Trusted."
POPPLER_22_STALE_ERROR = "Unknown issue with Certificate or corrupted data."


def chain_accepted(signature: PdfsigSignature) -> bool:
    """Whether pdfsig found no definite fault with the signer's chain."""
    return signature.certificate in (TRUSTED, POPPLER_22_STALE_ERROR)


def run_pdfsig(
    pdf: Path, nss: str, ocsp: bool = True, timeout: float = 120
) -> list[PdfsigSignature]:
    """Run pdfsig on ``pdf`` and parse one entry per signature."""
    command = ["pdfsig", "-nssdir", nss]
    if not ocsp:
        command.append("-no-ocsp")
    done = subprocess.run(
        [*command, str(pdf)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    blocks = re.split(r"^Signature #(\d+):\s*$", done.stdout, flags=re.M)
    found = []
    for number, body in zip(blocks[1::2], blocks[2::2], strict=True):
        signer = re.search(r"Signer Certificate Common Name: (.*)", body)
        subfilter = re.search(r"Signature Type: (.*)", body)
        certificate = re.search(r"Certificate Validation: (.*)", body)
        found.append(
            PdfsigSignature(
                number=int(number),
                signer=signer.group(1).strip() if signer else "",
                valid="Signature Validation: Signature is Valid." in body,
                trusted="Certificate Validation: Certificate is Trusted." in body,
                certificate=certificate.group(1).strip() if certificate else "",
                whole_document="Total document signed" in body,
                subfilter=subfilter.group(1).strip() if subfilter else "",
                text=body,
            )
        )
    if not found:
        raise AssertionError(f"pdfsig found no signature:\n{done.stdout}{done.stderr}")
    return found
