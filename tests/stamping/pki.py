"""The stamping tests' PKI: certomancer config, served by its animator.

Keys are generated fresh (P-256) for each test session. The animator (TSA,
OCSP, CRLs, certificates) listens on 127.0.0.1 on a port the OS picks; the
WSGI app is bound after the port is known, because the certificates carry
the animator's URLs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import pem, x509
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig, KeyLabel
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from werkzeug.serving import make_server

CONFIG = Path(__file__).resolve().parent / "pki" / "sealdesk-test-pki.yml"
KEYS = ("root", "org", "org-ocsp", "tsa", "seal")


class _LateApp:
    """A WSGI app whose target is set once the server's port is known."""

    def __init__(self) -> None:
        self.target: Any = None

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.target(environ, start_response)


@dataclass(frozen=True)
class TestPki:
    """A running test PKI."""

    __test__ = False

    base_url: str
    arch: Any
    folder: Path

    def cert(self, label: str) -> x509.Certificate:
        """The certificate as a reader of its DER has it, like any signer's.

        certomancer's own objects were built in memory and are encoded again
        on every use, which would make each test signature ~20 ms slower.
        """
        built = self.arch.get_cert(CertLabel(label))
        return x509.Certificate.load(built.dump())

    @property
    def root(self) -> x509.Certificate:
        return self.cert("root")

    @property
    def root_pem(self) -> Path:
        return self.folder / "root.cert.pem"

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/sealdesk/tsa/tsa"

    def signer(self, cert_label: str = "seal") -> SimpleSigner:
        """A software signer for the seal key with the given certificate."""
        key = self.arch.key_set.get_private_key(KeyLabel("seal"))
        chain = SimpleCertificateStore.from_certs([self.root, self.cert("org")])
        return SimpleSigner(
            signing_cert=self.cert(cert_label), signing_key=key, cert_registry=chain
        )

    def validation_context(self, fetching: bool = True) -> ValidationContext:
        """Trusting only the test root; revocation data fetched when needed."""
        return ValidationContext(
            trust_roots=[self.root],
            allow_fetching=fetching,
            revocation_mode="hard-fail" if fetching else "soft-fail",
        )


def _write_keys(folder: Path) -> None:
    for name in KEYS:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        (folder / f"{name}.key.pem").write_bytes(pem)


@contextmanager
def running_pki(folder: Path) -> Iterator[TestPki]:
    """Generate keys, start the animator, yield the PKI, stop the animator."""
    _write_keys(folder)
    late = _LateApp()
    server = make_server("127.0.0.1", 0, late, threaded=True)
    base_url = f"http://127.0.0.1:{server.port}"
    config = CertomancerConfig.from_file(
        str(CONFIG), key_search_dir=str(folder), external_url_prefix=base_url
    )
    late.target = Animator(AnimatorArchStore(config.pki_archs), with_web_ui=False)
    arch = config.get_pki_arch(ArchLabel("sealdesk"))
    pki = TestPki(base_url, arch, folder)
    pki.root_pem.write_bytes(_pem(pki.root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield pki
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def _pem(cert: x509.Certificate) -> bytes:
    return pem.armor("CERTIFICATE", cert.dump())
