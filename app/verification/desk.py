"""Verifying at the desk: one place that decides what a verification trusts.

``sealdesk verify``, the officer's result banner, the archive view and the
evidence package verify against the same things:

* trust roots: the files given on the command line, or else the
  ``trust.roots`` setting plus, in the demo workspace, its own root
  (``demo-tokens/root-ca.pem``);
* CRL files: the ``trust.crls`` setting plus the demo CAs' CRLs
  (``demo-tokens/*.crl``), for desks that cannot fetch revocation data;
* with a workspace, its revocation cache, and what it knows of the seals and
  of the document's evidence (:mod:`app.verification.known`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import crl, x509

from app.verification.known import with_workspace_facts, workspace_cache
from app.verification.result import VerificationReport
from app.verification.trust import load_crls, load_trust_roots, split_setting
from app.verification.verify import verify_pdf
from app.workspace import OpenWorkspace
from storage.settings import get_setting

__all__ = ["DEMO_FOLDER", "DeskTrust", "desk_trust", "verify_at_desk"]

DEMO_FOLDER = Path("demo-tokens")
_DEMO_ROOT = "root-ca.pem"


@dataclass(frozen=True)
class DeskTrust:
    """The trust roots and CRL files a verification at this desk uses."""

    roots: tuple[x509.Certificate, ...]
    crl_files: tuple[crl.CertificateList, ...]


def desk_trust(
    root: Path, opened: OpenWorkspace | None, given_roots: Sequence[Path] = ()
) -> DeskTrust:
    """What the workspace at ``root`` trusts; ``given_roots`` replace its roots.

    :raises TrustRootError: a configured file cannot be read.
    """

    def setting(key: str) -> list[Path]:
        value = None if opened is None else get_setting(opened.db, key)
        return split_setting(value, os.pathsep)

    demo = root / DEMO_FOLDER
    roots = list(given_roots) or [
        *setting("trust.roots"),
        *([demo / _DEMO_ROOT] if (demo / _DEMO_ROOT).is_file() else []),
    ]
    crls = [*setting("trust.crls"), *sorted(demo.glob("*.crl"))]
    return DeskTrust(load_trust_roots(roots), load_crls(crls))


def verify_at_desk(
    path: Path,
    opened: OpenWorkspace | None,
    *,
    root: Path | None = None,
    given_roots: Sequence[Path] = (),
    online: bool = True,
    chain: bool = False,
    trust: DeskTrust | None = None,
) -> VerificationReport:
    """Verify ``path`` with everything the desk knows (see the module docs).

    ``root`` is the workspace folder when no workspace is open; ``trust``,
    when the caller has loaded it already with :func:`desk_trust`.

    :raises TrustRootError: a configured trust file cannot be read.
    """
    if trust is None:
        folder = root if root is not None else _root_of(opened)
        trust = desk_trust(folder, opened, given_roots)
    report = verify_pdf(
        path,
        trust.roots,
        online=online,
        cache=None if opened is None else workspace_cache(opened),
        crl_files=trust.crl_files,
    )
    return with_workspace_facts(report, opened, chain=chain)


def _root_of(opened: OpenWorkspace | None) -> Path:
    if opened is None:
        raise ValueError("a workspace folder or an open workspace is needed")
    return opened.workspace.root
