"""Running the ``sealdesk`` CLI from tests, in-process or as a real process."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.cli.boundary import run
from app.cli.main import cli

__all__ = [
    "OFFICER_PASSWORD",
    "Result",
    "officer_stamp",
    "sealdesk",
    "sealdesk_process",
]

PASSPHRASE = "correct horse battery staple"
# The demo officer's password line, for --password-stdin.
OFFICER_PASSWORD = "demo-officer-2026\n"


def officer_stamp(
    docs: list[Path], out: Path, x_mm: float = 100, y_mm: float = 100
) -> list[str]:
    """``stamp`` arguments: the demo officer seals with the contract seal."""
    return [
        "stamp", *map(str, docs), "-o", str(out),
        "--seal", "合同专用章", "--category", "合同", "--as", "张经办",
        "--password-stdin", "--page", "1", "--x", f"{x_mm:g}", "--y", f"{y_mm:g}",
        "--yes",
    ]  # fmt: skip


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def sealdesk(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str = "",
) -> Result:
    """Run the CLI in this process, the way ``main()`` would."""
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = run(cli, list(args))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def sealdesk_process(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> Result:
    """Run the installed console script as its own process."""
    script = Path(sys.executable).with_name("sealdesk")
    done = subprocess.run(
        [str(script), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env if env is not None else dict(os.environ),
        timeout=120,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)
