"""``sealdesk person|seal|grant|approval`` and ``init --admin`` at the desk."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.support.cli import PASSPHRASE, Result, sealdesk
from tests.support.pki import TestPki, issue_end_entity, make_pki
from tests.support.softhsm import (
    KeySpec,
    SoftHsmEnv,
    TokenSpec,
    activate,
    build_tokens,
    create_softhsm_env,
    module_copy,
)

ADMIN_PW = "admin password one"
PW = "a long test password"
Run = pytest.CaptureFixture[str]


@pytest.fixture(scope="module")
def pki() -> TestPki:
    return make_pki("SealDesk CLI Test")


@pytest.fixture
def cli(capsys: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    ws = str(tmp_path / "ws")

    def call(*args: str, stdin: str = "") -> Result:
        return sealdesk(capsys, monkeypatch, "--workspace", ws, *args, stdin=stdin)

    return call


def one_line(result: Result) -> str:
    assert result.code == 1, result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def as_admin(*args: str) -> tuple[str, ...]:
    return (*args, "--as", "王管理", "--password-stdin")


def cert_file(tmp_path: Path, pki: TestPki, name: str) -> Path:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = issue_end_entity(pki, key.public_key(), name)
    path = tmp_path / f"{name}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


@pytest.fixture
def office(cli, tmp_path: Path, pki: TestPki):  # type: ignore[no-untyped-def]
    made = cli(
        "init", "--admin", "王管理", "--password-stdin", "--json", stdin=ADMIN_PW + "\n"
    )
    assert made.code == 0, made.err
    for name, role in (
        ("李审批", "approver"),
        ("张经办", "officer"),
        ("赵审计", "auditor"),
    ):
        added = cli(
            *as_admin("person", "add", name, "--role", role, "--with-password"),
            stdin=f"{ADMIN_PW}\n{PW}\n",
        )
        assert added.code == 0, added.err
    created = cli(
        *as_admin(
            "seal",
            "create",
            "合同专用章",
            "--type",
            "contract",
            "--token-serial",
            "0001",
            "--token-label",
            "SEAL-USB",
            "--key-id",
            "01",
            "--cert",
            str(cert_file(tmp_path, pki, "seal")),
            "--json",
        ),
        stdin=ADMIN_PW + "\n",
    )
    assert created.code == 0, created.err
    return cli


def test_init_creates_the_first_administrator(cli) -> None:  # type: ignore[no-untyped-def]
    made = cli("init", "--admin", "王管理", "--password-stdin", stdin=ADMIN_PW + "\n")
    assert made.code == 0, made.err
    people = json.loads(cli("person", "list", "--json").out)
    assert [(p["name"], p["roles"]) for p in people] == [("王管理", ["administrator"])]
    log = json.loads(cli("log", "list", "--json").out)
    assert log[0]["action"] == "person.add"
    assert log[0]["details"]["first_administrator"] is True


def test_init_with_passphrase_reads_passphrase_then_password(cli) -> None:  # type: ignore[no-untyped-def]
    made = cli(
        "--passphrase-stdin",
        "init",
        "--custody",
        "passphrase",
        "--admin",
        "王管理",
        "--password-stdin",
        stdin=f"{PASSPHRASE}\n{ADMIN_PW}\n",
    )
    assert made.code == 0, made.err
    added = cli(
        "--passphrase-stdin",
        *as_admin("person", "add", "张经办", "--role", "officer", "--with-password"),
        stdin=f"{PASSPHRASE}\n{ADMIN_PW}\n{PW}\n",
    )
    assert added.code == 0, added.err
    assert "张经办" in added.out


def test_wrong_password_is_one_line(office) -> None:  # type: ignore[no-untyped-def]
    result = office(
        "person", "add", "某人", "--as", "王管理", "--password-stdin", stdin="nope\n"
    )
    assert "Login failed" in one_line(result)


def test_stamping_approval_flow(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    granted = office(
        *as_admin(
            "grant",
            "add",
            "张经办",
            "合同专用章",
            "--until",
            "2099-01-01",
            "--quota",
            "5",
            "--category",
            "contract",
            "--approval",
            "--approver",
            "李审批",
            "--json",
        ),
        stdin=ADMIN_PW + "\n",
    )
    assert granted.code == 0, granted.err
    assert json.loads(granted.out)[0]["quota"] == 5

    document = tmp_path / "合同.pdf"
    document.write_bytes(b"%PDF-1.7 a contract")
    requested = office(
        "approval",
        "request",
        "合同专用章",
        "--document",
        str(document),
        "--category",
        "contract",
        "--as",
        "张经办",
        "--password-stdin",
        "--json",
        stdin=PW + "\n",
    )
    assert requested.code == 0, requested.err
    approval = json.loads(requested.out)[0]
    assert approval["status"] == "pending"
    assert approval["document_title"] == "合同.pdf"

    approved = office(
        "approval",
        "approve",
        approval["id"],
        "--comment",
        "同意",
        "--as",
        "李审批",
        "--password-stdin",
        stdin=PW + "\n",
    )
    assert approved.code == 0, approved.err
    listed = json.loads(
        office("approval", "list", "--json", "--status", "approved").out
    )
    assert [a["id"] for a in listed] == [approval["id"]]

    again = office(
        "approval",
        "reject",
        approval["id"],
        "--comment",
        "晚了",
        "--as",
        "李审批",
        "--password-stdin",
        stdin=PW + "\n",
    )
    assert "already approved" in one_line(again)


def test_refusals_are_one_line_and_logged(office) -> None:  # type: ignore[no-untyped-def]
    result = office(
        "grant",
        "add",
        "张经办",
        "合同专用章",
        "--until",
        "2099-01-01",
        "--as",
        "李审批",
        "--password-stdin",
        stdin=PW + "\n",
    )
    assert "only an administrator" in one_line(result)
    refused = json.loads(
        office("log", "list", "--json", "--action", "grant.add.refused").out
    )
    assert refused[0]["details"]["rule"] == "not-administrator"

    auditor = office(
        "seal",
        "suspend",
        "合同专用章",
        "--as",
        "赵审计",
        "--password-stdin",
        stdin=PW + "\n",
    )
    assert "auditor" in one_line(auditor)
    shown = json.loads(office("seal", "show", "合同专用章", "--json").out)
    assert shown["status"] == "active"


def test_seal_lifecycle_and_image(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for command in ("suspend", "resume", "revoke"):
        done = office(
            *as_admin("seal", command, "合同专用章", "--reason", "测试"),
            stdin=ADMIN_PW + "\n",
        )
        assert done.code == 0, done.err
    again = office(*as_admin("seal", "resume", "合同专用章"), stdin=ADMIN_PW + "\n")
    assert "revoked" in one_line(again)

    seals = json.loads(office("seal", "list", "--json").out)
    assert seals[0]["status"] == "revoked"


def test_seal_image_design_and_export(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "seal.png"
    designed = office(
        *as_admin(
            "seal",
            "image",
            "合同专用章",
            "--shape",
            "round",
            "--text",
            "某某市人民政府办公室",
            "--bottom-line",
            "合同专用章",
            "--export",
            str(out),
        ),
        stdin=ADMIN_PW + "\n",
    )
    assert designed.code == 0, designed.err
    assert out.read_bytes().startswith(b"\x89PNG")


def test_person_commands(office, tmp_path: Path, pki: TestPki) -> None:  # type: ignore[no-untyped-def]
    bound = office(
        *as_admin(
            "person",
            "bind-cert",
            "张经办",
            "--cert",
            str(cert_file(tmp_path, pki, "p")),
        ),
        stdin=ADMIN_PW + "\n",
    )
    assert bound.code == 0, bound.err
    shown = json.loads(office("person", "show", "张经办", "--json").out)
    assert shown["cert_sha256"]
    assert shown["has_password"]
    changed = office(
        "person",
        "set-password",
        "张经办",
        "--as",
        "张经办",
        "--password-stdin",
        stdin=f"{PW}\nanother long password\n",
    )
    assert changed.code == 0, changed.err
    table = office("person", "list")
    assert "张经办" in table.out
    assert "password+token" in table.out


# -- token log-in ---------------------------------------------------------------

TOKEN_PIN = "135790"


@pytest.fixture(scope="module")
def softhsm(
    tmp_path_factory: pytest.TempPathFactory, pki: TestPki
) -> Iterator[SoftHsmEnv]:
    env = create_softhsm_env(tmp_path_factory.mktemp("cli-softhsm"))
    previous = activate(env)
    spec = TokenSpec("OFFICER-KEY", (KeySpec("me", b"\x51", "ec"),), user_pin=TOKEN_PIN)
    build_tokens(env, (spec,), pki)
    yield env
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@pytest.mark.hsm
def test_token_login_from_the_command_line(  # type: ignore[no-untyped-def]
    office, softhsm: SoftHsmEnv, tmp_path: Path
) -> None:
    cert = softhsm.keys["OFFICER-KEY"][0].certificate
    path = tmp_path / "officer.der"
    path.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    assert (
        office(
            *as_admin("person", "bind-cert", "张经办", "--cert", str(path)),
            stdin=ADMIN_PW + "\n",
        ).code
        == 0
    )
    module = module_copy(softhsm, "cli-login")
    login = (
        "--as",
        "张经办",
        "--token",
        "OFFICER-KEY",
        "--module",
        module,
        "--pin-stdin",
    )
    office(
        *as_admin("grant", "add", "张经办", "合同专用章", "--until", "2099-01-01"),
        stdin=ADMIN_PW + "\n",
    )
    ok = office(
        "approval",
        "request",
        "合同专用章",
        "--sha256",
        "c" * 64,
        "--category",
        "x",
        *login,
        stdin=TOKEN_PIN + "\n",
    )
    assert ok.code == 0, ok.err
    wrong = office(
        "approval",
        "request",
        "合同专用章",
        "--sha256",
        "d" * 64,
        "--category",
        "x",
        *login,
        stdin="000000\n",
    )
    assert "PIN" in one_line(wrong)
    logins = json.loads(office("log", "list", "--json", "--action", "auth.login").out)
    assert logins[0]["details"] == {"method": "token"}
