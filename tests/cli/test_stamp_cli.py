"""``sealdesk stamp`` at the desk: one document, a batch, and a power cut."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.admin.auth import login_password
from app.admin.grants import GrantDraft, add_grant
from app.admin.seals import (
    KeyStore,
    SealDraft,
    SealType,
    create_seal,
    set_seal_image,
)
from app.demo.workspace import (
    OFFICER_PIN,
    OFFICER_TOKEN,
    ORGANISATION,
    build_demo_workspace,
)
from app.seals.specs import RoundSealSpec
from app.stamping.service import stamping_lock
from app.workspace import GivenPassphrase, open_workspace
from hsm.manager import TokenManager
from hsm.provision import SOFTHSM_MODULE
from storage.usage_log import LogFilter, query
from tests.stamping.documents import simple_pdf
from tests.support.cli import Result, officer_stamp, sealdesk, sealdesk_process
from tests.support.softhsm import FixedPinHandler

pytestmark = pytest.mark.hsm

PASSWORD = "demo-officer-2026\n"
Stamp = Callable[..., Result]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOFTHSM2_CONF", "unset")
    monkeypatch.delenv("SOFTHSM2_CONF")
    ws = tmp_path / "demo"
    build_demo_workspace(ws, "keyring", GivenPassphrase(None))
    module = tmp_path / "softhsm-copy.so"
    shutil.copyfile(SOFTHSM_MODULE, module)
    monkeypatch.setenv("SEALDESK_PKCS11_MODULES", str(module))
    return ws


@pytest.fixture
def stamp(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Stamp:
    def call(*args: str, stdin: str = PASSWORD) -> Result:
        return sealdesk(
            capsys,
            monkeypatch,
            "--workspace",
            str(root),
            "stamp",
            *args,
            "--as",
            "张经办",
            "--password-stdin",
            stdin=stdin,
        )

    return call


def _docs(folder: Path, count: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    return [simple_pdf(folder / f"doc{n}.pdf", count=2) for n in range(count)]


def _stamp_entries(root: Path) -> list[dict[str, object]]:
    with open_workspace(root, GivenPassphrase(None)) as opened:
        entries = query(opened.db, LogFilter(action="stamp", limit=None))
    return [dict(e.details) for e in entries]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_one_document_at_coordinates(stamp: Stamp, tmp_path: Path) -> None:
    (doc,) = _docs(tmp_path / "in", 1)
    output = tmp_path / "stamped.pdf"

    result = stamp(
        str(doc), "-o", str(output), "--seal", "合同专用章", "--category", "合同",
        "--page", "-1", "--x", "150", "--y", "240", "--reason", "同意", "--yes",
    )  # fmt: skip

    assert result.code == 0, result.err
    assert output.is_file()
    assert f"stamped: {doc} -> {output}" in result.out
    assert "[1/1] stamped" in result.err


def test_batch_with_a_bad_file(stamp: Stamp, tmp_path: Path, root: Path) -> None:
    docs = _docs(tmp_path / "in", 5)
    docs[3].write_text("not a pdf")
    out = tmp_path / "out"
    out.mkdir()

    result = stamp(
        *map(str, docs), "-o", str(out), "--seal", "合同专用章",
        "--category", "合同", "--riding", "--yes",
    )  # fmt: skip

    assert result.code == 1
    lines = result.out.strip().splitlines()
    assert len(lines) == 5
    assert sum(line.startswith("stamped: ") for line in lines) == 4
    assert lines[3].startswith(f"refused: {docs[3]}: ")
    assert "not a PDF" in lines[3]
    assert len(list(out.iterdir())) == 4
    entries = _stamp_entries(root)
    assert {e["placement"] for e in entries} == {"riding"}
    assert len(entries) == 4


def test_several_documents_need_a_folder(stamp: Stamp, tmp_path: Path) -> None:
    docs = _docs(tmp_path / "in", 2)
    result = stamp(
        *map(str, docs), "-o", str(tmp_path / "x.pdf"), "--seal", "合同专用章",
        "--category", "合同", "--keyword", "盖章处", "--yes",
    )  # fmt: skip
    assert result.code == 1
    assert "folder" in result.err
    assert not (tmp_path / "x.pdf").exists()


def test_refused_document_gives_one_line_and_exit_1(
    stamp: Stamp, tmp_path: Path
) -> None:
    (doc,) = _docs(tmp_path / "in", 1)
    result = stamp(
        str(doc), "-o", str(tmp_path / "o.pdf"), "--seal", "公章",
        "--category", "通知", "--page", "1", "--x", "100", "--y", "100", "--yes",
    )  # fmt: skip
    assert result.code == 1
    assert result.out.strip().count("\n") == 0
    assert result.out.startswith(f"refused: {doc}: ")
    assert not (tmp_path / "o.pdf").exists()


def _usb_key_seal(root: Path, tmp_path: Path) -> None:
    """An administrator binds a seal to the key on the officer's USB key."""
    module = tmp_path / "setup-copy.so"
    shutil.copyfile(SOFTHSM_MODULE, module)
    with open_workspace(root, GivenPassphrase(None)) as opened:
        admin = login_password(opened.db, "陈管理", "demo-admin-2026")
        with TokenManager([str(module)], poll_interval=None) as tokens:
            token = tokens.find_token(label=OFFICER_TOKEN)
            with tokens.session(token, FixedPinHandler(OFFICER_PIN)) as session:
                key = session.find_key(key_id=b"\x11")
        assert key.certificate is not None
        create_seal(
            opened.db,
            admin,
            SealDraft(
                name="综合科章",
                type=SealType.DEPARTMENT,
                key_store=KeyStore.USB_KEY,
                token_serial=token.serial,
                token_label=OFFICER_TOKEN,
                key_id=b"\x11",
                certificate=key.certificate,
                key_label=key.label,
                holder="张经办",
            ),
        )
        set_seal_image(opened.db, admin, "综合科章", RoundSealSpec(ORGANISATION))
        now = datetime.now(UTC)
        add_grant(
            opened.db,
            admin,
            GrantDraft(
                person="张经办",
                seal="综合科章",
                valid_from=now - timedelta(minutes=5),
                valid_until=now + timedelta(days=1),
            ),
        )


def test_usb_key_seal_takes_its_pin_after_the_password(
    stamp: Stamp, tmp_path: Path, root: Path
) -> None:
    _usb_key_seal(root, tmp_path)
    (doc,) = _docs(tmp_path / "in", 1)
    output = tmp_path / "stamped.pdf"
    args = (
        str(doc), "-o", str(output), "--seal", "综合科章", "--category", "函件",
        "--page", "1", "--x", "100", "--y", "100", "--pin-stdin", "--yes",
    )  # fmt: skip

    wrong = stamp(*args, stdin=PASSWORD + "000000\n")
    assert wrong.code == 1
    assert "incorrect" in wrong.err
    assert not output.exists()

    result = stamp(*args, stdin=PASSWORD + OFFICER_PIN + "\n")
    assert result.code == 0, result.err
    assert output.is_file()


@pytest.mark.parametrize("point", ["after-part", "after-commit"])
def test_power_cut_is_healed_on_the_next_run(
    root: Path, tmp_path: Path, point: str
) -> None:
    first, second = _docs(tmp_path / "in", 2)
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "SEALDESK_CRASH_AT": point}

    def run(doc: Path, extra: dict[str, str]) -> Result:
        return sealdesk_process(
            "--workspace", str(root), *officer_stamp([doc], out),
            env=extra, stdin=PASSWORD,
        )  # fmt: skip

    crashed = run(first, env)
    assert crashed.code == -signal.SIGKILL, crashed.err
    assert f"crash point {point} reached" in crashed.err
    part = out / f"{first.name}.part"
    assert part.is_file()
    assert not (out / first.name).exists()
    logged = len(_stamp_entries(root))
    assert logged == (1 if point == "after-commit" else 0)

    env.pop("SEALDESK_CRASH_AT")
    healed = run(second, env)

    assert healed.code == 0, healed.err
    assert not part.exists()
    entries = _stamp_entries(root)
    stamped = sorted(p.name for p in out.iterdir())
    expected = [first.name, second.name] if logged else [second.name]
    assert stamped == sorted(expected)
    assert sorted(str(e["sha256_after"]) for e in entries) == sorted(
        _sha256(out / name) for name in stamped
    )
    assert ("finished an interrupted" in healed.err) == bool(logged)
    assert ("removed an unrecorded" in healed.err) == (not logged)


def test_second_stamping_run_waits_for_none_and_says_why(
    root: Path, tmp_path: Path
) -> None:
    (doc,) = _docs(tmp_path / "in", 1)
    out = tmp_path / "out"
    out.mkdir()
    with (
        open_workspace(root, GivenPassphrase(None)) as opened,
        stamping_lock(opened),
    ):
        busy = sealdesk_process(
            "--workspace", str(root), *officer_stamp([doc], out), stdin=PASSWORD
        )

    assert busy.code == 1, busy.err
    assert "another stamping run is under way" in busy.err
    assert "Traceback" not in busy.err
    assert list(out.iterdir()) == []
    assert _stamp_entries(root) == []


def test_b_lt_without_a_time_stamp_authority_is_a_usage_error(
    stamp: Stamp, tmp_path: Path
) -> None:
    (doc,) = _docs(tmp_path / "in", 1)
    out = tmp_path / "out.pdf"

    result = stamp(
        str(doc), "-o", str(out), "--seal", "合同专用章", "--category", "合同",
        "--page", "1", "--x", "100", "--y", "100", "--level", "B-LT", "--yes",
    )  # fmt: skip

    assert result.code == 2, result.err
    assert "needs a time-stamp authority" in result.err
    assert not out.exists()
