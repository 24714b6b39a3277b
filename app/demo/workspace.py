"""``sealdesk init --demo``: a complete workspace to try SealDesk with.

It makes, in one go: the demo PKI; SoftHSM2 tokens (an organisation HSM
partition holding the seal keys, and the officer's USB key); a person for
every role; an official seal 公章 that needs approval and a contract seal
合同专用章 that does not, each with a rendered image; the HSM's PIN in the
workspace's key custody; and the officer's grants. Every credential it sets
is a documented demo value (see README) and is returned so it can be shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from app.admin.auth import login_password
from app.admin.grants import GrantDraft, add_grant
from app.admin.hsm_pins import store_hsm_pin
from app.admin.people import add_first_administrator, add_person, bind_certificate
from app.admin.roles import Role
from app.admin.seals import KeyStore, SealDraft, SealType, create_seal, set_seal_image
from app.demo.pki import make_demo_pki
from app.demo.tokens import DemoKey, DemoToken, MadeKey, build_demo_tokens
from app.evidence.anchor import import_account
from app.seals.specs import RoundSealSpec
from app.workspace import (
    InitResult,
    SecretPrompt,
    choose_custody,
    init_workspace,
    open_workspace,
    remove_workspace,
)
from hsm.provision import SOFTHSM_MODULE
from storage.settings import set_setting

__all__ = ["ORGANISATION", "DemoPerson", "DemoReport", "build_demo_workspace"]

log = logging.getLogger(__name__)

ORGANISATION = "示例市人民政府办公室"
HSM_LABEL = "ORG-HSM"
HSM_PIN = "11223344"
OFFICER_TOKEN = "UKEY-ZHANG"
OFFICER_PIN = "123456"
CATEGORIES = ("通知", "函件", "合同", "会议纪要")
# The local anvil node `make run` starts, and the first of its published
# development accounts (anvil's default mnemonic): demo values only.
CHAIN_URL = "http://127.0.0.1:8545"
CHAIN_ID = "31337"
CHAIN_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"


@dataclass(frozen=True)
class DemoPerson:
    name: str
    department: str
    roles: tuple[str, ...]
    password: str
    token_label: str | None = None
    token_pin: str | None = None


PEOPLE = (
    DemoPerson("陈管理", "办公室", ("administrator",), "demo-admin-2026"),
    DemoPerson("李审批", "办公室", ("approver",), "demo-approver-2026"),
    DemoPerson(
        "张经办",
        "综合科",
        ("officer",),
        "demo-officer-2026",
        OFFICER_TOKEN,
        OFFICER_PIN,
    ),
    DemoPerson("王档案", "档案室", ("archivist",), "demo-archivist-2026"),
    DemoPerson("赵审计", "审计室", ("auditor",), "demo-auditor-2026"),
)


@dataclass(frozen=True)
class DemoSeal:
    name: str
    type: str
    token_label: str
    key_label: str
    approval_required: bool


@dataclass(frozen=True)
class DemoReport:
    workspace: Path
    init: InitResult
    organisation: str
    people: tuple[DemoPerson, ...]
    seals: tuple[DemoSeal, ...]
    tokens: dict[str, str]
    token_pins: dict[str, str]
    module_path: str
    softhsm2_conf: Path
    root_certificate: Path


def build_demo_workspace(root: Path, custody: str, prompt: SecretPrompt) -> DemoReport:
    """Create the workspace at ``root`` and fill it with the demo set-up.

    If any step fails, the half-built workspace is removed again.
    """
    existed = root.exists()
    made_init = init_workspace(root, choose_custody(custody), prompt)
    try:
        return _fill(root, made_init, prompt)
    except BaseException:
        remove_workspace(root, existed)
        raise


def _fill(root: Path, made_init: InitResult, prompt: SecretPrompt) -> DemoReport:
    pki = make_demo_pki(ORGANISATION)
    officer = PEOPLE[2]
    store, keys, serials = build_demo_tokens(
        root / "demo-tokens",
        (
            DemoToken(
                HSM_LABEL,
                HSM_PIN,
                (
                    DemoKey("seal-official", b"\x01", f"{ORGANISATION} 公章", "印章"),
                    DemoKey(
                        "seal-contract", b"\x02", f"{ORGANISATION} 合同专用章", "印章"
                    ),
                ),
            ),
            DemoToken(
                OFFICER_TOKEN,
                OFFICER_PIN,
                (DemoKey("person-zhang", b"\x11", officer.name, officer.department),),
            ),
        ),
        pki,
    )
    root_pem = root / "demo-tokens" / "root-ca.pem"
    root_pem.write_bytes(pki.root.public_bytes(serialization.Encoding.PEM))
    root_crl, org_crl = pki.crls()
    (root / "demo-tokens" / "root-ca.crl").write_bytes(root_crl)
    (root / "demo-tokens" / "org-ca.crl").write_bytes(org_crl)
    seals = (
        DemoSeal("公章", SealType.OFFICIAL.value, HSM_LABEL, "seal-official", True),
        DemoSeal(
            "合同专用章", SealType.CONTRACT.value, HSM_LABEL, "seal-contract", False
        ),
    )

    with open_workspace(root, prompt) as opened:
        db = opened.db
        set_setting(db, "pkcs11.modules", SOFTHSM_MODULE)
        set_setting(db, "pkcs11.softhsm2_conf", str(store.conf))
        set_setting(db, "chain.rpc_url", CHAIN_URL)
        set_setting(db, "chain.id", CHAIN_ID)
        import_account(db, opened.info, CHAIN_DEV_KEY, None)
        admin_spec = PEOPLE[0]
        add_first_administrator(
            db, admin_spec.name, admin_spec.password, department=admin_spec.department
        )
        admin = login_password(db, admin_spec.name, admin_spec.password)
        for person in PEOPLE[1:]:
            add_person(
                db,
                admin,
                person.name,
                department=person.department,
                roles=[Role(r) for r in person.roles],
                password=person.password,
            )
        bind_certificate(db, admin, officer.name, _der(keys["person-zhang"]))
        store_hsm_pin(opened, admin, serials[HSM_LABEL], HSM_LABEL, HSM_PIN)

        now = datetime.now(UTC)
        for seal in seals:
            key = keys[seal.key_label]
            create_seal(
                db,
                admin,
                SealDraft(
                    name=seal.name,
                    type=SealType(seal.type),
                    key_store=KeyStore.HSM,
                    token_serial=serials[seal.token_label],
                    token_label=seal.token_label,
                    key_id=key.key_id,
                    key_label=seal.key_label,
                    certificate=_der(key),
                ),
            )
            bottom = None if seal.type == SealType.OFFICIAL.value else seal.name
            set_seal_image(
                db, admin, seal.name, RoundSealSpec(ORGANISATION, bottom_line=bottom)
            )
            add_grant(
                db,
                admin,
                GrantDraft(
                    person=officer.name,
                    seal=seal.name,
                    valid_from=now - timedelta(minutes=5),
                    valid_until=now + timedelta(days=365),
                    quota=1000,
                    categories=CATEGORIES,
                    approval_required=seal.approval_required,
                    approvers=(PEOPLE[1].name,) if seal.approval_required else (),
                ),
            )
    log.info("Built the demo workspace at %s", root)
    return DemoReport(
        workspace=root,
        init=made_init,
        organisation=ORGANISATION,
        people=PEOPLE,
        seals=seals,
        tokens=serials,
        token_pins={HSM_LABEL: HSM_PIN, OFFICER_TOKEN: OFFICER_PIN},
        module_path=SOFTHSM_MODULE,
        softhsm2_conf=store.conf,
        root_certificate=root_pem,
    )


def _der(key: MadeKey) -> bytes:
    return key.certificate.public_bytes(serialization.Encoding.DER)
