"""HSM PINs are kept wrapped: in no column, readable only with the custody key."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.admin.errors import AuditorReadOnlyError, HsmPinMissingError
from app.admin.hsm_pins import hsm_pin, store_hsm_pin
from app.workspace import GivenPassphrase, init_workspace, open_workspace
from storage.custody import SERVICE, find_keyring
from storage.database import Database
from storage.pin_custody import PinUnwrapFailed
from storage.workspace import Custody
from tests.admin.conftest import Office, assert_refusal_logged, make_office
from tests.support.pki import TestPki

PIN = "hsm-pin-778899"
PASSPHRASE = "a passphrase for the pin test"


def plaintext_anywhere(db: Database, secret: str) -> list[str]:
    """Every table.column of the decrypted database whose value holds ``secret``."""
    found = []
    needle = secret.encode()
    tables = [
        r[0] for r in db.rows("SELECT name FROM sqlite_master WHERE type='table'")
    ]
    for table in tables:
        with db.reader() as conn:
            cursor = conn.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            names = [d[0] for d in cursor.description]
            for row in cursor:
                for name, value in zip(names, row, strict=True):
                    text = value if isinstance(value, bytes) else str(value).encode()
                    if needle in text:
                        found.append(f"{table}.{name}")
    return found


def file_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.glob("sealdesk.db*"))


def test_pin_is_kept_wrapped_under_keyring_custody(office: Office) -> None:
    store_hsm_pin(office.opened, office.admin, "HSM-0001", "ORG-HSM", PIN)
    assert hsm_pin(office.opened, office.officer, "HSM-0001") == PIN

    assert plaintext_anywhere(office.db, PIN) == []
    assert PIN.encode() not in file_bytes(office.opened.workspace.root)
    kind, size = office.db.rows("SELECT wrapping, length(ciphertext) FROM hsm_pins")[0]
    assert kind == "keyring"
    assert size == len(PIN) + 16  # AES-GCM: the text plus its tag
    backend = find_keyring()
    assert backend is not None
    entry = f"hsm-pin-key:{office.opened.info.workspace_id}"
    assert backend.get_password(SERVICE, entry) is not None

    actions = office.db.rows("SELECT action FROM usage_log")
    assert ("hsm_pin.store",) in actions
    assert ("hsm_pin.retrieve",) in actions


def test_pin_is_kept_wrapped_under_passphrase_custody(
    tmp_path: Path, pki: TestPki
) -> None:
    root = tmp_path / "ws"
    init_workspace(root, Custody.PASSPHRASE, GivenPassphrase(PASSPHRASE))
    with open_workspace(root, GivenPassphrase(PASSPHRASE)) as opened:
        office = make_office(opened, pki)
        store_hsm_pin(opened, office.admin, "HSM-0002", "ORG-HSM", PIN)
        kind = opened.db.scalar("SELECT wrapping FROM hsm_pins")
        assert kind == "derived"
        assert plaintext_anywhere(opened.db, PIN) == []
    assert PIN.encode() not in file_bytes(root)
    with open_workspace(root, GivenPassphrase(PASSPHRASE)) as reopened:
        assert hsm_pin(reopened, office.officer, "HSM-0002") == PIN


def test_a_moved_row_does_not_open(office: Office) -> None:
    store_hsm_pin(office.opened, office.admin, "HSM-A", "A", PIN)
    with office.db.transaction() as conn:
        conn.execute("UPDATE hsm_pins SET token_serial = 'HSM-B'")
    with pytest.raises(PinUnwrapFailed):
        hsm_pin(office.opened, office.officer, "HSM-B")


def test_only_administrators_store_and_auditors_never_read(office: Office) -> None:
    with pytest.raises(AuditorReadOnlyError):
        store_hsm_pin(office.opened, office.auditor, "HSM-1", "H", PIN)
    assert_refusal_logged(office.db, "hsm_pin.store", "auditor-read-only")
    store_hsm_pin(office.opened, office.admin, "HSM-1", "H", PIN)
    with pytest.raises(AuditorReadOnlyError):
        hsm_pin(office.opened, office.auditor, "HSM-1")
    assert_refusal_logged(office.db, "hsm_pin.retrieve", "auditor-read-only")
    with pytest.raises(HsmPinMissingError):
        hsm_pin(office.opened, office.officer, "HSM-unknown")
