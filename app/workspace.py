"""Workspace use cases: create, unlock, describe and recover a workspace.

The person is asked for secrets (passphrase, recovery key) through a
:class:`SecretPrompt`; the CLI prompts or reads standard input, the GUI shows
a dialog, tests answer directly.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.errors import Cancelled
from storage.custody import (
    KeyringCustody,
    Passphrase,
    RawKey,
    check_new_passphrase,
    decode_recovery_key,
    derive_passphrase_key,
    encode_recovery_key,
    find_keyring,
)
from storage.database import Database
from storage.errors import RecoveryKeyInvalid, WrongKey
from storage.settings import get_setting, set_setting
from storage.workspace import Custody, Workspace, WorkspaceInfo

__all__ = [
    "GivenPassphrase",
    "InitResult",
    "OpenWorkspace",
    "RecoverResult",
    "SecretPrompt",
    "WorkspaceStatus",
    "choose_custody",
    "describe_workspace",
    "init_workspace",
    "open_workspace",
    "recover_workspace",
    "remove_workspace",
    "workspace_status",
]

log = logging.getLogger(__name__)

# The desk's id in evidence records: the workspace id, kept in the database
# so that services holding only the database can name it.
DEVICE_ID_SETTING = "workspace.device_id"


class SecretPrompt(Protocol):
    """Asks the person for a secret; raises ``Cancelled`` if they decline."""

    def passphrase(self, workspace: Path, *, new: bool) -> str: ...

    def recovery_key(self, workspace: Path) -> str: ...


class GivenPassphrase:
    """A secret prompt answered in advance (GUI dialogs, scripts, tests).

    ``None`` means the person declined: asking raises ``Cancelled``.
    """

    def __init__(self, passphrase: str | None) -> None:
        self._passphrase = passphrase

    def passphrase(self, workspace: Path, *, new: bool) -> str:
        if self._passphrase is None:
            raise Cancelled
        return self._passphrase

    def recovery_key(self, workspace: Path) -> str:
        raise Cancelled


@dataclass(frozen=True)
class InitResult:
    workspace: Path
    workspace_id: str
    custody: Custody
    keyring: str | None
    recovery_key: str
    schema_version: int


@dataclass(frozen=True)
class RecoverResult:
    workspace: Path
    custody: Custody
    new_recovery_key: str | None


@dataclass(frozen=True)
class WorkspaceStatus:
    workspace: Path
    workspace_id: str
    created: str
    custody: Custody
    schema_version: int
    database_bytes: int
    counts: dict[str, int]


@dataclass
class OpenWorkspace:
    """An unlocked workspace; close it when done."""

    workspace: Workspace
    info: WorkspaceInfo
    db: Database

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> OpenWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def choose_custody(requested: str) -> Custody:
    """``auto`` takes an allowed keyring when one runs, else a passphrase."""
    if requested == Custody.PASSPHRASE.value:
        return Custody.PASSPHRASE
    if requested == Custody.KEYRING.value:
        KeyringCustody.require()
        return Custody.KEYRING
    return Custody.KEYRING if find_keyring() is not None else Custody.PASSPHRASE


def init_workspace(root: Path, custody: Custody, prompt: SecretPrompt) -> InitResult:
    """Create the folders and the encrypted database; nothing is left on failure."""
    workspace = Workspace(root)
    keeper = KeyringCustody.require() if custody is Custody.KEYRING else None
    passphrase = None
    if keeper is None:
        passphrase = check_new_passphrase(prompt.passphrase(root, new=True))
    root_existed = root.exists()
    info = workspace.create_folders(custody)
    try:
        recovery = _create_database(workspace, info, keeper, passphrase)
    except BaseException:
        remove_workspace(root, root_existed)
        raise
    log.info("Initialised workspace %s with %s custody", root, custody.value)
    return InitResult(
        workspace=root,
        workspace_id=info.workspace_id,
        custody=custody,
        keyring=None if keeper is None else keeper.name,
        recovery_key=encode_recovery_key(recovery),
        schema_version=_schema_version(workspace.database, recovery),
    )


def _create_database(
    workspace: Workspace,
    info: WorkspaceInfo,
    keeper: KeyringCustody | None,
    passphrase: Passphrase | None,
) -> RawKey:
    if keeper is not None:
        key = RawKey.generate()
        with Database.create(workspace.database, key) as db:
            set_setting(db, DEVICE_ID_SETTING, info.workspace_id)
        keeper.store(info.workspace_id, key)
        return key
    assert passphrase is not None
    with Database.create(workspace.database, passphrase) as db:
        set_setting(db, DEVICE_ID_SETTING, info.workspace_id)
    key = derive_passphrase_key(passphrase, _header(workspace.database))
    # Prove the recovery key before showing it: it must open the file.
    Database.open(workspace.database, key).close()
    return key


def _schema_version(path: Path, key: RawKey) -> int:
    with Database(path, key) as db:
        return db.schema_version


def _header(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(16)


def remove_workspace(root: Path, root_existed: bool) -> None:
    """Undo a workspace creation that failed part-way; keep foreign files."""
    workspace = Workspace(root)
    if not root_existed:
        shutil.rmtree(workspace.root, ignore_errors=True)
        return
    demo_tokens = workspace.root / "demo-tokens"
    for folder in (workspace.archive, workspace.exports, workspace.logs, demo_tokens):
        shutil.rmtree(folder, ignore_errors=True)
    for name in ("sealdesk.db", "sealdesk.db-wal", "sealdesk.db-shm", "workspace.json"):
        (workspace.root / name).unlink(missing_ok=True)


def describe_workspace(root: Path) -> WorkspaceInfo:
    """What the workspace says about itself, read without unlocking it."""
    return Workspace(root).info()


def open_workspace(root: Path, prompt: SecretPrompt) -> OpenWorkspace:
    """Unlock the database with the key from the keyring or a passphrase."""
    workspace = Workspace(root)
    info = workspace.info()
    if info.custody is Custody.KEYRING:
        secret: RawKey | Passphrase = KeyringCustody.require().load(info.workspace_id)
    else:
        secret = Passphrase(prompt.passphrase(root, new=False))
    db = Database.open(workspace.database, secret)
    _point_softhsm_at_workspace(db)
    return OpenWorkspace(workspace, info, db)


def _point_softhsm_at_workspace(db: Database) -> None:
    """SoftHSM2 (demo, tests) reads SOFTHSM2_CONF when its module loads."""
    conf = get_setting(db, "pkcs11.softhsm2_conf")
    if conf and "SOFTHSM2_CONF" not in os.environ:
        os.environ["SOFTHSM2_CONF"] = conf


def recover_workspace(root: Path, prompt: SecretPrompt) -> RecoverResult:
    """Open with the recovery key and put the key back into custody.

    With keyring custody the same key is stored again. With passphrase custody
    the person sets a new passphrase, which changes the recovery key, so the
    new one is returned to be shown.
    """
    workspace = Workspace(root)
    info = workspace.info()
    key = decode_recovery_key(prompt.recovery_key(root))
    try:
        db = Database.open(workspace.database, key)
    except WrongKey as exc:
        raise RecoveryKeyInvalid(
            f"The recovery key does not open {workspace.database}.",
            f"该恢复密钥无法打开 {workspace.database}。",
        ) from exc
    with db:
        if info.custody is Custody.KEYRING:
            KeyringCustody.require().store(info.workspace_id, key)
            log.info("Recovered workspace %s into the keyring", root)
            return RecoverResult(root, info.custody, None)
        passphrase = check_new_passphrase(prompt.passphrase(root, new=True))
        db.rekey(passphrase)
    new_key = derive_passphrase_key(passphrase, _header(workspace.database))
    Database.open(workspace.database, new_key).close()
    log.info("Recovered workspace %s with a new passphrase", root)
    return RecoverResult(root, info.custody, encode_recovery_key(new_key))


def workspace_status(opened: OpenWorkspace) -> WorkspaceStatus:
    ws = opened.workspace
    size = sum(
        os.path.getsize(p)
        for p in (ws.database, Path(f"{ws.database}-wal"))
        if p.exists()
    )
    return WorkspaceStatus(
        workspace=ws.root,
        workspace_id=opened.info.workspace_id,
        created=opened.info.created,
        custody=opened.info.custody,
        schema_version=opened.db.schema_version,
        database_bytes=size,
        counts=opened.db.table_counts(),
    )
