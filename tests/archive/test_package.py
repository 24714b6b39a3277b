"""The evidence package: export on the demo desk, check it without SealDesk.

One demo workspace is built per module with a real anvil node: one document
is stamped and anchored, a second one stamped and left unanchored. The
package's ``verify.py`` is run by Debian's system Python (``/usr/bin/python3
-I``, outside the virtual environment, with no PYTHONPATH), so it can only
use the standard library.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import rfc8785

from app.demo.workspace import build_demo_workspace
from app.evidence_package import standalone_verify
from app.evidence_package.export import export_package
from app.workspace import GivenPassphrase, open_workspace
from storage.usage_log import LogFilter, query
from tests.stamping.documents import simple_pdf
from tests.support.anvil import Anvil, running_anvil
from tests.support.cli import (
    OFFICER_PASSWORD,
    Result,
    officer_stamp,
    sealdesk,
    sealdesk_process,
)

pytestmark = [pytest.mark.hsm, pytest.mark.chain, pytest.mark.slow]

SYSTEM_PYTHON = Path("/usr/bin/python3")
ARCHIVIST = ("--as", "王档案", "--password-stdin")
ARCHIVIST_PASSWORD = "demo-archivist-2026\n"


@dataclass(frozen=True)
class Desk:
    root: Path
    node: Anvil
    folder: Path
    anchored_entry: int
    pending_entry: int
    anchored_sha: str


def _cli(root: Path, env: dict[str, str], *args: str, stdin: str = "") -> str:
    result = sealdesk_process("--workspace", str(root), *args, env=env, stdin=stdin)
    assert result.code == 0, result.err
    return result.out


def _stamp(root: Path, env: dict[str, str], doc: Path, out: Path) -> str:
    _cli(
        root,
        env,
        *officer_stamp([doc], out, 150, 200),
        stdin=OFFICER_PASSWORD,
    )
    return hashlib.sha256(out.read_bytes()).hexdigest()


def _entry_id(root: Path, env: dict[str, str], sha: str) -> int:
    found = json.loads(_cli(root, env, "archive", "search", "--sha256", sha, "--json"))
    assert len(found) == 1, found
    return int(found[0]["id"])


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    folder = tmp_path_factory.mktemp("package")
    root = folder / "demo"
    env = {k: v for k, v in os.environ.items() if k != "SOFTHSM2_CONF"}
    saved = os.environ.pop("SOFTHSM2_CONF", None)
    try:
        build_demo_workspace(root, "keyring", GivenPassphrase(None))
    finally:
        if saved is not None:
            os.environ["SOFTHSM2_CONF"] = saved
    with running_anvil(folder / "anvil") as node:
        _cli(root, env, "config", "set", "chain.rpc_url", node.url)
        first = _stamp(
            root, env, simple_pdf(folder / "合同.pdf"), folder / "合同-盖章.pdf"
        )
        _cli(root, env, "sync", "--until-idle", "--flush", "--timeout", "60")
        second = _stamp(
            root, env, simple_pdf(folder / "通知.pdf", 2), folder / "通知-盖章.pdf"
        )
        yield Desk(
            root=root,
            node=node,
            folder=folder,
            anchored_entry=_entry_id(root, env, first),
            pending_entry=_entry_id(root, env, second),
            anchored_sha=first,
        )


def _export(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    desk: Desk,
    entry: int,
    out: Path,
    *extra: str,
) -> Result:
    return sealdesk(
        capsys,
        monkeypatch,
        "--workspace",
        str(desk.root),
        "archive",
        "export",
        str(entry),
        "-o",
        str(out),
        "--offline",
        *ARCHIVIST,
        *extra,
        stdin=ARCHIVIST_PASSWORD,
    )


def _unpack(package: Path, folder: Path) -> Path:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    return folder


def _system_verify(
    folder: Path, *args: str, script: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run verify.py with Debian's Python, isolated from the venv."""
    return subprocess.run(
        [str(SYSTEM_PYTHON), "-I", str(script or folder / "verify.py"), *args],
        cwd=folder,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def anchored_package(desk: Desk, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "证据包.zip"
    env = {k: v for k, v in os.environ.items() if k != "SOFTHSM2_CONF"}
    result = sealdesk_process(
        "--workspace",
        str(desk.root),
        "archive",
        "export",
        str(desk.anchored_entry),
        "-o",
        str(out),
        "--offline",
        "--json",
        *ARCHIVIST,
        env=env,
        stdin=ARCHIVIST_PASSWORD,
    )
    assert result.code == 0, result.err
    summary = json.loads(result.out)
    assert summary["anchored"] is True
    assert summary["document_sha256"] == desk.anchored_sha
    return out


def test_system_python_verifies_the_package_against_the_chain(
    desk: Desk, anchored_package: Path, tmp_path: Path
) -> None:
    assert SYSTEM_PYTHON.is_file(), "Debian's python3 package is required"
    folder = _unpack(anchored_package, tmp_path / "unpacked")
    names = sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
    )
    for required in (
        "README.txt",
        "document.pdf",
        "evidence.json",
        "manifest.json",
        "package-info.json",
        "report.json",
        "report.pdf",
        "usage-log.json",
        "verify.py",
    ):
        assert required in names
    assert any(n.startswith("certificates/") and n.endswith(".pem") for n in names)

    done = _system_verify(folder, "--rpc", desk.node.url)
    assert done.returncode == 0, done.stdout + done.stderr
    steps = json.loads(_system_verify(folder, "--rpc", desk.node.url, "--json").stdout)[
        "steps"
    ]
    passed = {s["name"] for s in steps if s["status"] == "ok"}
    assert passed >= {
        "manifest",
        "files",
        "self",
        "document",
        "log",
        "leaf",
        "inclusion",
        "anchor",
        "block",
    }, steps
    assert all(s["status"] == "ok" for s in steps), steps
    assert "[  OK] Transaction" in done.stdout
    assert "[  OK] Block" in done.stdout
    assert "FAIL" not in done.stdout

    offline = _system_verify(folder)
    assert offline.returncode == 0
    assert "Chain NOT checked" in offline.stdout


def test_every_changed_byte_is_caught(anchored_package: Path, tmp_path: Path) -> None:
    folder = _unpack(anchored_package, tmp_path / "clean")
    names = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    assert len(names) >= 10
    for name in names:
        copy = tmp_path / f"flipped-{len(list(tmp_path.iterdir()))}"
        shutil.copytree(folder, copy)
        target = copy / name
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))
        done = _system_verify(copy)
        assert done.returncode != 0, f"{name}: {done.stdout}"
        # A verify.py that still runs names what it found.
        if name != "verify.py":
            assert "FAIL" in done.stdout, (name, done.stdout)


def test_a_file_added_or_removed_is_caught(
    anchored_package: Path, tmp_path: Path
) -> None:
    extra = _unpack(anchored_package, tmp_path / "extra")
    (extra / "certificates" / "planted.pem").write_text("not a certificate\n")
    done = _system_verify(extra)
    assert done.returncode == 1
    assert "planted.pem" in done.stdout

    missing = _unpack(anchored_package, tmp_path / "missing")
    (missing / "usage-log.json").unlink()
    done = _system_verify(missing)
    assert done.returncode == 1
    assert "usage-log.json" in done.stdout


def test_a_rewritten_manifest_is_caught(anchored_package: Path, tmp_path: Path) -> None:
    """Same content, another layout: the manifest must be byte-for-byte canonical."""
    folder = _unpack(anchored_package, tmp_path / "pretty")
    manifest = folder / "manifest.json"
    manifest.write_text(json.dumps(json.loads(manifest.read_bytes()), indent=1))
    done = _system_verify(folder)
    assert done.returncode == 1
    assert "canonical" in done.stdout


def test_sealdesk_verify_package(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    desk: Desk,
    anchored_package: Path,
    tmp_path: Path,
) -> None:
    good = sealdesk(
        capsys,
        monkeypatch,
        "verify-package",
        str(anchored_package),
        "--rpc",
        desk.node.url,
    )
    assert good.code == 0, good.out + good.err
    assert "[  OK] Block" in good.out

    damaged = tmp_path / "damaged.zip"
    data = bytearray(anchored_package.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    bad = sealdesk(capsys, monkeypatch, "verify-package", str(damaged))
    assert bad.code == 1, bad.out + bad.err
    assert "damaged.zip" in bad.err + bad.out

    # A well-formed ZIP whose content was changed: the manifest catches it.
    rezipped = tmp_path / "rezipped.zip"
    with (
        zipfile.ZipFile(anchored_package) as src,
        zipfile.ZipFile(rezipped, "w") as dst,
    ):
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "README.txt":
                body = body.replace(b"SealDesk", b"Sea1Desk", 1)
            dst.writestr(info, body)
    changed = sealdesk(capsys, monkeypatch, "verify-package", str(rezipped), "--json")
    assert changed.code == 1
    steps = json.loads(changed.out)["steps"]
    assert any(s["status"] == "fail" and "README.txt" in s["en"] for s in steps)


def test_not_anchored_package_exits_3(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    desk: Desk,
    tmp_path: Path,
) -> None:
    out = tmp_path / "pending.zip"
    result = _export(capsys, monkeypatch, desk, desk.pending_entry, out)
    assert result.code == 0, result.err
    assert "not yet anchored" in result.out

    folder = _unpack(out, tmp_path / "pending")
    evidence = json.loads((folder / "evidence.json").read_bytes())
    assert evidence["anchored"] is False
    assert evidence["zh"] == "尚未上链。"
    assert (
        evidence["record"]["document_sha256_after"]
        == hashlib.sha256((folder / "document.pdf").read_bytes()).hexdigest()
    )

    done = _system_verify(folder, "--rpc", desk.node.url)
    assert done.returncode == 3, done.stdout
    assert "not yet anchored" in done.stdout
    assert "尚未上链" in done.stdout
    assert "FAIL" not in done.stdout

    checked = sealdesk(capsys, monkeypatch, "verify-package", str(out))
    assert checked.code == 3
    assert "[WAIT]" in checked.out


def test_export_refuses_an_existing_file(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    desk: Desk,
    tmp_path: Path,
) -> None:
    out = tmp_path / "taken.zip"
    out.write_bytes(b"someone else's file")
    before = _retrievals(desk)
    result = _export(capsys, monkeypatch, desk, desk.anchored_entry, out)
    assert result.code == 1
    assert str(out) in result.err
    assert result.err.count("\n") == 1
    assert out.read_bytes() == b"someone else's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.zip"]
    assert _retrievals(desk) == before


def test_only_archivists_and_administrators_export(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    desk: Desk,
    tmp_path: Path,
) -> None:
    out = tmp_path / "officer.zip"
    result = sealdesk(
        capsys,
        monkeypatch,
        "--workspace",
        str(desk.root),
        "archive",
        "export",
        str(desk.anchored_entry),
        "-o",
        str(out),
        "--as",
        "张经办",
        "--password-stdin",
        stdin="demo-officer-2026\n",
    )
    assert result.code == 1
    assert "archivist" in result.err or "档案管理员" in result.err
    assert not out.exists()


def _retrievals(desk: Desk) -> list[tuple[int, str | None, object]]:
    with open_workspace(desk.root, GivenPassphrase(None)) as opened:
        found = query(opened.db, LogFilter(action="archive.retrieve", limit=None))
    return [(e.seq, e.actor, e.details.get("output")) for e in found]


def test_export_is_logged_as_a_retrieval(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    desk: Desk,
    tmp_path: Path,
) -> None:
    before = _retrievals(desk)
    out = tmp_path / "logged.zip"
    assert _export(capsys, monkeypatch, desk, desk.anchored_entry, out).code == 0
    new = [r for r in _retrievals(desk) if r not in before]
    assert len(new) == 1
    seq, actor, output = new[0]
    assert output == "logged.zip"
    assert actor is not None
    with zipfile.ZipFile(out) as archive:
        extract = json.loads(archive.read("usage-log.json"))
    shipped = {e["seq"]: e for e in extract["entries"]}
    assert shipped[seq]["action"] == "archive.retrieve"
    assert {e["action"] for e in extract["entries"]} >= {"stamp", "archive.retrieve"}


def test_package_without_report_renderer(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build without the report PDF says so in the manifest and still verifies."""
    monkeypatch.setitem(sys.modules, "app.verification.report_pdf", None)
    monkeypatch.delenv("SOFTHSM2_CONF", raising=False)
    out = tmp_path / "no-report.zip"
    with open_workspace(desk.root, GivenPassphrase(None)) as opened:
        summary = export_package(
            opened, desk.anchored_entry, out, actor_id=None, online=False
        )
    assert summary.report_pdf is False
    folder = _unpack(out, tmp_path / "no-report")
    manifest = json.loads((folder / "manifest.json").read_bytes())
    assert "report.pdf" in manifest["omitted"]
    assert not (folder / "report.pdf").exists()
    done = _system_verify(folder)
    assert done.returncode == 0, done.stdout
    assert "report.pdf left out" in done.stdout


def test_verify_script_imports_only_the_standard_library() -> None:
    source = Path(standalone_verify.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


@pytest.mark.parametrize(
    "value",
    [
        {"b": 1, "a": [True, False, None], "€": "x", "\U0001f600": "y", "z": "\u2028"},
        {"record": {"title": '合同\n\t"引号"\\', "n": -(2**53 - 1), "ctl": "\x01"}},
        ["", 0, {"": {}}],
    ],
)
def test_canonical_json_matches_rfc8785(value: object) -> None:
    assert standalone_verify.canonical_json(value) == rfc8785.dumps(value)


@pytest.mark.parametrize("value", [1.5, {"a": 2**53}, "\ud800"])
def test_canonical_json_refuses_what_evidence_never_holds(value: object) -> None:
    with pytest.raises(standalone_verify.CanonicalError):
        standalone_verify.canonical_json(value)


def _forge(folder: Path, name: str, change: Callable[[Any], None]) -> None:
    """Change one JSON file and write a matching manifest, as a forger would."""
    path = folder / name
    value = json.loads(path.read_bytes())
    change(value)
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    files = {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    manifest = json.loads((folder / "manifest.json").read_bytes())
    (folder / "manifest.json").write_bytes(
        standalone_verify.manifest_bytes(files, manifest["omitted"])
    )


def _stamp_entry(extract: Any) -> Any:
    return next(e for e in extract["entries"] if e["action"] == "stamp")


def _set(key: str, value: object) -> Callable[[Any], None]:
    def change(mapping: Any) -> None:
        mapping[key] = value

    return change


FORGERIES: dict[str, tuple[str, Callable[[Any], None], str]] = {
    "log entry edited": (
        "usage-log.json",
        lambda x: _set("actor", "someone-else")(_stamp_entry(x)),
        "does not match its hash",
    ),
    "log entry re-hashed": (
        "usage-log.json",
        lambda x: _stamp_entry(x).update(
            prev_hash="1" * 64,
            entry_hash=standalone_verify.log_entry_hash(
                {**_stamp_entry(x), "prev_hash": "1" * 64}
            ),
        ),
        "does not link",
    ),
    "predecessor dropped": (
        "usage-log.json",
        lambda x: x["predecessors"].clear(),
        "does not link",
    ),
    "evidence record edited": (
        "evidence.json",
        lambda x: _set("officer", "someone-else")(x["record"]),
        "the record was changed",
    ),
    "proof edited": (
        "evidence.json",
        lambda x: _set("leaf_index", x["inclusion"]["leaf_index"] ^ 1)(x["inclusion"]),
        "does not lead to root",
    ),
    "archive hash edited": (
        "package-info.json",
        lambda x: _set("sha256", "0" * 64)(x["archive_entry"]),
        "is not the document named by: archive",
    ),
    "other chain block": (
        "evidence.json",
        lambda x: _set("block_hash", "0x" + "ab" * 32)(x["anchor"]),
        "does not hold the anchor",
    ),
    "other transaction": (
        "evidence.json",
        lambda x: _set("tx_hash", "0x" + "cd" * 32)(x["anchor"]),
        "does not know transaction",
    ),
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_consistent_forgeries_are_caught_by_their_own_check(
    forgery: str, desk: Desk, anchored_package: Path, tmp_path: Path
) -> None:
    name, change, expected = FORGERIES[forgery]
    folder = _unpack(anchored_package, tmp_path / "forged")
    _forge(folder, name, change)
    done = _system_verify(folder, "--rpc", desk.node.url)
    assert done.returncode == 1, done.stdout
    assert "[  OK] All" in done.stdout  # the manifest was made to fit
    failed = [line for line in done.stdout.splitlines() if line.startswith("[FAIL]")]
    assert len(failed) == 1, done.stdout
    assert expected in failed[0], done.stdout
