"""The workspace commands as a person or a script uses them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.cli import PASSPHRASE, Result, sealdesk, sealdesk_process
from tests.support.secret_service import start_secret_service

Run = pytest.CaptureFixture[str]


def one_clear_line(result: Result) -> str:
    """A failure: non-zero exit, one line on stderr, no traceback."""
    assert result.code != 0
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    return lines[0]


@pytest.fixture
def cli(capsys: Run, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def call(*args: str, stdin: str = "") -> Result:
        return sealdesk(capsys, monkeypatch, *args, stdin=stdin)

    return call


def init_keyring(cli, ws: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    result = cli("--workspace", str(ws), "init", "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_init_creates_the_workspace_in_the_keyring(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = tmp_path / "ws"
    made = init_keyring(cli, ws)
    assert made["custody"] == "keyring"
    assert made["recovery_key"].startswith("SDRK-")
    for name in ("sealdesk.db", "archive", "exports", "logs", "workspace.json"):
        assert (ws / name).exists()
    status = json.loads(cli("--workspace", str(ws), "status", "--json").out)
    assert status["schema_version"] >= 1
    assert status["custody"] == "keyring"
    assert status["counts"]["settings"] == 1  # the desk's device id
    assert status["counts"]["usage_log"] == 0
    assert made["recovery_key"] not in (ws / "workspace.json").read_text()


def test_sealdesk_home_selects_the_workspace(
    cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("SEALDESK_HOME", str(tmp_path / "home"))
    assert cli("init").code == 0
    assert (tmp_path / "home" / "sealdesk.db").is_file()


def test_init_twice_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    init_keyring(cli, tmp_path)
    line = one_clear_line(cli("--workspace", str(tmp_path), "init"))
    assert "already exists" in line


def test_config_set_get_and_refusals(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    init_keyring(cli, tmp_path)
    ws = ("--workspace", str(tmp_path))
    assert cli(*ws, "config", "set", "tsa.url", "http://127.0.0.1:9/tsa").code == 0
    assert cli(*ws, "config", "get", "tsa.url").out.strip() == "http://127.0.0.1:9/tsa"
    assert (
        "unknown setting"
        in one_clear_line(cli(*ws, "config", "set", "no.such", "x")).lower()
    )
    assert "not accepted" in one_clear_line(
        cli(*ws, "config", "set", "chain.id", "minus one")
    )
    listed = json.loads(cli(*ws, "config", "list", "--json").out)
    assert listed["tsa.url"] == "http://127.0.0.1:9/tsa"
    assert cli(*ws, "config", "unset", "tsa.url").code == 0
    assert cli(*ws, "config", "get", "tsa.url").out.strip() == ""


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--version")
    assert result.code == 0
    assert "sealdesk" in result.out


def test_unknown_workspace_is_one_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    line = one_clear_line(cli("--workspace", str(tmp_path / "nowhere"), "status"))
    assert "No SealDesk workspace" in line
    assert str(tmp_path / "nowhere") in line


def test_messages_in_chinese(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    line = one_clear_line(
        cli("--lang", "zh", "--workspace", str(tmp_path / "nowhere"), "status")
    )
    assert "不是 SealDesk 工作区" in line


def test_verbose_adds_the_traceback(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("--verbose", "--workspace", str(tmp_path / "nowhere"), "status")
    assert result.code == 1
    assert "Traceback" in result.err


def test_flipped_bit_is_one_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    init_keyring(cli, tmp_path)
    db = tmp_path / "sealdesk.db"
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0x10
    db.write_bytes(bytes(data))
    line = one_clear_line(cli("--workspace", str(tmp_path), "status"))
    assert "sealdesk.db" in line
    assert "damaged" in line


def test_recover_after_the_keyring_entry_is_lost(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import keyring

    made = init_keyring(cli, tmp_path)
    keyring.delete_password("SealDesk", f"workspace:{made['workspace_id']}")
    ws = ("--workspace", str(tmp_path))
    line = one_clear_line(cli(*ws, "status"))
    assert "sealdesk recover" in line

    wrong = cli(*ws, "recover", "--recovery-key-stdin", stdin="SDRK-AAAAA\n")
    assert "not a valid" in one_clear_line(wrong)
    done = cli(
        *ws, "recover", "--recovery-key-stdin", stdin=made["recovery_key"] + "\n"
    )
    assert done.code == 0, done.err
    assert cli(*ws, "status").code == 0


def test_recovery_key_of_another_workspace_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = init_keyring(cli, tmp_path / "other")
    init_keyring(cli, tmp_path / "mine")
    line = one_clear_line(
        cli(
            "--workspace",
            str(tmp_path / "mine"),
            "recover",
            "--recovery-key-stdin",
            stdin=other["recovery_key"] + "\n",
        )
    )
    assert "does not open" in line


def test_passphrase_workspace_and_its_recovery(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = ("--workspace", str(tmp_path))
    made = cli(
        *ws,
        "init",
        "--custody",
        "passphrase",
        "--passphrase-stdin",
        "--json",
        stdin=PASSPHRASE + "\n",
    )
    assert made.code == 0, made.err
    recovery = json.loads(made.out)["recovery_key"]
    assert cli(*ws, "--passphrase-stdin", "status", stdin=PASSPHRASE + "\n").code == 0
    assert "wrong passphrase" in one_clear_line(
        cli(*ws, "--passphrase-stdin", "status", stdin="not the passphrase\n")
    )

    new = "a brand new passphrase"
    done = cli(
        *ws,
        "recover",
        "--recovery-key-stdin",
        "--passphrase-stdin",
        stdin=f"{recovery}\n{new}\n",
    )
    assert done.code == 0, done.err
    assert "SDRK-" in done.out
    assert cli(*ws, "status", "--passphrase-stdin", stdin=new + "\n").code == 0
    assert cli(*ws, "status", "--passphrase-stdin", stdin=PASSPHRASE + "\n").code == 1


def test_missing_passphrase_on_stdin_is_one_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    line = one_clear_line(
        cli(
            "--workspace",
            str(tmp_path),
            "init",
            "--custody",
            "passphrase",
            "--passphrase-stdin",
        )
    )
    assert "standard input" in line
    assert not (tmp_path / "sealdesk.db").exists()


def test_weak_passphrase_leaves_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = tmp_path / "ws"
    line = one_clear_line(
        cli(
            "--workspace",
            str(ws),
            "init",
            "--custody",
            "passphrase",
            "--passphrase-stdin",
            stdin="short\n",
        )
    )
    assert "at least" in line
    assert not ws.exists()


def test_unsafe_keyring_is_refused(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    line = one_clear_line(cli("--workspace", str(tmp_path / "ws"), "init"))
    assert "not safe" in line
    assert not (tmp_path / "ws").exists()


def test_secrets_never_reach_the_log(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = ("--workspace", str(tmp_path))
    made = cli(
        *ws,
        "init",
        "--custody",
        "passphrase",
        "--passphrase-stdin",
        "--json",
        stdin=PASSPHRASE + "\n",
    )
    recovery = json.loads(made.out)["recovery_key"]
    cli(*ws, "--passphrase-stdin", "status", stdin="wrong passphrase!\n")
    log = "".join(p.read_text() for p in (tmp_path / "logs").iterdir())
    assert "wrong passphrase" in log.lower()  # the failure itself is logged
    for secret in (PASSPHRASE, "wrong passphrase!", recovery):
        assert secret not in log


@pytest.mark.slow
def test_no_keyring_daemon_means_passphrase_and_no_key_file(
    tmp_path: Path, no_keyring_env: dict[str, str]
) -> None:
    ws = tmp_path / "ws"
    made = sealdesk_process(
        "--workspace",
        str(ws),
        "init",
        "--passphrase-stdin",
        "--json",
        env=no_keyring_env,
        stdin=PASSPHRASE + "\n",
    )
    assert made.code == 0, made.err
    info = json.loads(made.out)
    assert info["custody"] == "passphrase"

    from storage.custody import decode_recovery_key

    key = decode_recovery_key(info["recovery_key"]).key
    files = sorted(str(p.relative_to(ws)) for p in ws.rglob("*") if p.is_file())
    assert set(files) <= {
        "sealdesk.db",
        "sealdesk.db-wal",
        "sealdesk.db-shm",
        "workspace.json",
        "logs/sealdesk.log",
    }, files
    for path in ws.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for needle in (
                key,
                key.hex().encode(),
                PASSPHRASE.encode(),
                info["recovery_key"].encode(),
            ):
                assert needle not in data, path

    opened = sealdesk_process(
        "--workspace",
        str(ws),
        "--passphrase-stdin",
        "status",
        env=no_keyring_env,
        stdin=PASSPHRASE + "\n",
    )
    assert opened.code == 0, opened.err


@pytest.mark.slow
def test_workspace_from_someone_elses_keyring(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    made = init_keyring(cli, tmp_path / "ws")
    other = start_secret_service(tmp_path / "other-user")
    try:
        result = sealdesk_process(
            "--workspace", str(tmp_path / "ws"), "status", env=other.env
        )
    finally:
        other.stop()
    line = one_clear_line(result)
    assert made["workspace_id"] in line
    assert "another user" in line


@pytest.mark.slow
def test_console_script_reports_bad_input_without_traceback(tmp_path: Path) -> None:
    result = sealdesk_process(
        "--workspace",
        str(tmp_path / "none"),
        "status",
        env={**os.environ, "SEALDESK_LANG": "zh"},
    )
    assert "不是 SealDesk 工作区" in one_clear_line(result)
