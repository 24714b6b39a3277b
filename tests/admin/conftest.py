"""A workspace with an office in it: people in every role and one seal."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from app.admin.auth import login_password
from app.admin.clock import utc_now
from app.admin.grants import Grant, GrantDraft, add_grant
from app.admin.people import add_first_administrator, add_person
from app.admin.roles import Actor, Role
from app.admin.seals import KeyStore, Seal, SealDraft, SealType, create_seal
from app.workspace import (
    GivenPassphrase,
    OpenWorkspace,
    choose_custody,
    init_workspace,
    open_workspace,
)
from storage.database import Database
from storage.usage_log import LogEntry, LogFilter, query
from tests.support.pki import TestPki, issue_end_entity, make_pki

PASSWORD = "a long test password"  # every person's password in these tests
DOC_A = "a" * 64
DOC_B = "b" * 64


@dataclass
class Office:
    opened: OpenWorkspace
    admin: Actor  # administrator and approver; manages the seal
    approver: Actor
    officer: Actor
    auditor: Actor
    seal: Seal

    @property
    def db(self) -> Database:
        return self.opened.db

    def grant(self, **changes: object) -> Grant:
        """Grant the officer the seal; keyword arguments change the defaults."""
        now = utc_now()
        fields: dict[str, object] = {
            "person": self.officer.name,
            "seal": self.seal.name,
            "valid_from": now - timedelta(hours=1),
            "valid_until": now + timedelta(days=30),
        }
        fields.update(changes)
        return add_grant(self.db, self.admin, GrantDraft(**fields))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def pki() -> TestPki:
    return make_pki("SealDesk Admin Test")


def seal_certificate(pki: TestPki, name: str) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = issue_end_entity(pki, key.public_key(), name)
    return cert.public_bytes(serialization.Encoding.DER)


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[OpenWorkspace]:
    root = tmp_path / "ws"
    init_workspace(root, choose_custody("keyring"), GivenPassphrase(None))
    with open_workspace(root, GivenPassphrase(None)) as ws:
        yield ws


def make_office(opened: OpenWorkspace, pki: TestPki) -> Office:
    db = opened.db
    add_first_administrator(db, "王管理", PASSWORD, department="办公室")
    admin = login_password(db, "王管理", PASSWORD)
    # The administrator also approves, so the manager rule can be exercised.
    from app.admin.people import set_roles

    set_roles(db, admin, "王管理", [Role.ADMINISTRATOR, Role.APPROVER])
    for name, roles in (
        ("李审批", [Role.APPROVER]),
        ("张经办", [Role.OFFICER]),
        ("赵审计", [Role.AUDITOR]),
    ):
        add_person(db, admin, name, department="办公室", roles=roles, password=PASSWORD)
    seal = create_seal(
        db,
        admin,
        SealDraft(
            name="合同专用章",
            type=SealType.CONTRACT,
            key_store=KeyStore.USB_KEY,
            token_serial="0001",
            token_label="SEAL-USB",
            key_id=b"\x01",
            certificate=seal_certificate(pki, "合同专用章"),
        ),
    )
    return Office(
        opened=opened,
        admin=login_password(db, "王管理", PASSWORD),
        approver=login_password(db, "李审批", PASSWORD),
        officer=login_password(db, "张经办", PASSWORD),
        auditor=login_password(db, "赵审计", PASSWORD),
        seal=seal,
    )


@pytest.fixture(scope="session")
def office_template(
    tmp_path_factory: pytest.TempPathFactory, pki: TestPki
) -> tuple[Path, Office]:
    """One office built once; each test gets a copy of its folder.

    The copy keeps the workspace id, so the keyring key opens it too.
    """
    root = tmp_path_factory.mktemp("office") / "ws"
    init_workspace(root, choose_custody("keyring"), GivenPassphrase(None))
    with open_workspace(root, GivenPassphrase(None)) as ws:
        template = make_office(ws, pki)
    return root, template


@pytest.fixture
def office(office_template: tuple[Path, Office], tmp_path: Path) -> Iterator[Office]:
    source, template = office_template
    root = tmp_path / "ws"
    shutil.copytree(source, root)
    with open_workspace(root, GivenPassphrase(None)) as ws:
        yield dataclasses.replace(template, opened=ws)


def newest(db: Database) -> LogEntry:
    return query(db, LogFilter(limit=1))[0]


def assert_refusal_logged(db: Database, action: str, rule: str) -> LogEntry:
    """The newest usage-log entry is the refusal of ``action`` by ``rule``."""
    entry = newest(db)
    assert entry.action == f"{action}.refused"
    assert entry.details["rule"] == rule
    return entry


def later(days: float) -> datetime:
    return utc_now() + timedelta(days=days)
