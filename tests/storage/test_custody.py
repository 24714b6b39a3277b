"""Key custody: recovery keys, the keyring allow-list, the passphrase KDF."""

from __future__ import annotations

from pathlib import Path

import pytest

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
from storage.errors import (
    KeyMissing,
    KeyringRefused,
    PassphraseRejected,
    RecoveryKeyInvalid,
)


def test_recovery_key_round_trip() -> None:
    key = RawKey.generate()
    text = encode_recovery_key(key)
    assert text.startswith("SDRK-")
    assert decode_recovery_key(text) == key
    assert decode_recovery_key(" " + text.lower().replace("-", " ")) == key


@pytest.mark.parametrize("position", [5, 20, 40, -1])
def test_mistyped_recovery_key_is_caught(position: int) -> None:
    for _ in range(20):
        text = encode_recovery_key(RawKey.generate())
        wrong = "A" if text[position] != "A" else "B"
        typo = text[:position] + wrong + text[position:][1:]
        with pytest.raises(RecoveryKeyInvalid):
            decode_recovery_key(typo)
    with pytest.raises(RecoveryKeyInvalid):
        decode_recovery_key("not a key")


def test_raw_key_never_shows_in_repr() -> None:
    key = RawKey.generate()
    assert key.key.hex() not in repr(key)
    assert "secret words" not in repr(Passphrase("secret words"))


def test_derived_key_opens_a_passphrase_database(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    passphrase = Passphrase("a passphrase of some length")
    Database.create(path, passphrase).close()
    key = derive_passphrase_key(passphrase, path.read_bytes()[:16])
    Database.open(path, key).close()


def test_short_passphrase_rejected() -> None:
    with pytest.raises(PassphraseRejected):
        check_new_passphrase("short")


def test_secret_service_is_found() -> None:
    backend = find_keyring()
    assert backend is not None
    assert type(backend).__name__ == "Keyring"
    assert type(backend).__module__ == "keyring.backends.SecretService"


@pytest.mark.parametrize(
    "backend", ["keyring.backends.null.Keyring", "keyring.backends.fail.Keyring"]
)
def test_unsafe_backends_are_refused(
    monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", backend)
    with pytest.raises(KeyringRefused, match="not safe"):
        find_keyring()


def test_keyring_store_load_delete() -> None:
    custody = KeyringCustody.require()
    key = RawKey.generate()
    custody.store("test-workspace", key)
    assert custody.load("test-workspace") == key
    custody.delete("test-workspace")
    with pytest.raises(KeyMissing):
        custody.load("test-workspace")
