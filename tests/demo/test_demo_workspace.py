"""``init --demo`` builds a workspace where every role can do its work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.admin.auth import TokenChallengeSigner, login_password, login_token
from app.admin.errors import ApprovalRequiredError
from app.admin.policy import check_use
from app.admin.roles import Role
from app.demo.workspace import PEOPLE, build_demo_workspace
from app.workspace import GivenPassphrase, open_workspace
from hsm import TokenManager
from storage.usage_log import verify_chain
from tests.support.cli import sealdesk
from tests.support.softhsm import FixedPinHandler

pytestmark = pytest.mark.hsm

DOC = "ab" * 32


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SOFTHSM2_CONF", raising=False)
    build_demo_workspace(tmp_path / "demo", "keyring", GivenPassphrase(None))
    return tmp_path / "demo"


def test_people_seals_and_policy(demo: Path) -> None:
    with open_workspace(demo, GivenPassphrase(None)) as opened:
        db = opened.db
        roles = {p.name: p.roles for p in PEOPLE}
        for person in PEOPLE:
            actor = login_password(db, person.name, person.password)
            assert {r.value for r in actor.roles} == set(roles[person.name])
        officer = login_password(db, "张经办", "demo-officer-2026")
        assert Role.OFFICER in officer.roles
        decision = check_use(db, officer, "合同专用章", DOC, "合同", None)
        assert decision.quota_left == 999  # what is left after this use
        with pytest.raises(ApprovalRequiredError):
            check_use(db, officer, "公章", DOC, "通知", None)
        assert verify_chain(db).intact


def test_officer_logs_in_with_the_usb_key(demo: Path) -> None:
    with open_workspace(demo, GivenPassphrase(None)) as opened:
        module = str(demo / "demo-tokens" / "login.so")
        import shutil

        shutil.copyfile("/usr/lib/softhsm/libsofthsm2.so", module)
        with TokenManager([module], poll_interval=None) as manager:
            token = manager.find_token(label="UKEY-ZHANG")
            signer = TokenChallengeSigner(manager, token, FixedPinHandler("123456"))
            actor = login_token(opened.db, "张经办", signer)
    assert actor.name == "张经办"


def test_cli_prints_the_demo_as_json(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOFTHSM2_CONF", raising=False)
    ws = tmp_path / "ws"
    result = sealdesk(
        capsys, monkeypatch, "--workspace", str(ws), "init", "--demo", "--json"
    )
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert {p["name"] for p in report["people"]} == {p.name for p in PEOPLE}
    assert report["init"]["recovery_key"].startswith("SDRK-")
    assert Path(report["root_certificate"]).is_file()
