"""What one CLI invocation carries: options, the open workspace, secrets.

Secrets given on standard input are read one line each, in the order they are
needed: the workspace passphrase (or recovery key) first, a token PIN second.
They are never accepted in argv, where other users could read them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from app.errors import Cancelled, InputError
from app.i18n import detect_language, pick
from app.logs import attach_log_file
from app.workspace import OpenWorkspace, open_workspace
from storage.settings import get_setting
from storage.workspace import Workspace, resolve_location

__all__ = ["CliPrompt", "CliState"]


@dataclass
class CliState:
    """Shared by the group and its commands through ``ctx.obj``."""

    workspace_arg: str | None = None
    verbose: bool = False
    lang: str = field(default_factory=detect_language)
    passphrase_stdin: bool = False
    recovery_key_stdin: bool = False
    log_file: Path | None = None
    _opened: OpenWorkspace | None = None

    @property
    def root(self) -> Path:
        return resolve_location(self.workspace_arg)

    def text(self, en: str, zh: str) -> str:
        return pick(self.lang, en, zh)

    def attach_log(self, root: Path) -> None:
        """Log into the workspace's file, if the workspace has its folder."""
        logs = Workspace(root).logs
        if self.log_file is None and logs.is_dir():
            self.log_file = attach_log_file(logs)

    def open(self) -> OpenWorkspace:
        """Unlock the workspace once per invocation."""
        if self._opened is None:
            self.attach_log(self.root)
            self._opened = open_workspace(self.root, CliPrompt(self))
        return self._opened

    def setting(self, key: str) -> str | None:
        """A workspace setting, or ``None`` when there is no workspace yet."""
        if not Workspace(self.root).exists():
            return None
        return get_setting(self.open().db, key)

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()
            self._opened = None

    def stdin_line(self, what_en: str, what_zh: str) -> str:
        line = sys.stdin.readline()
        if not line:
            raise InputError(
                f"Expected the {what_en} on standard input, but it was empty.",
                f"标准输入中没有{what_zh}。",
            )
        return line.rstrip("\r\n")


class CliPrompt:
    """Answers the service layer's secret requests at the terminal."""

    def __init__(self, state: CliState) -> None:
        self._state = state

    def passphrase(self, workspace: Path, *, new: bool) -> str:
        state = self._state
        if state.passphrase_stdin:
            return state.stdin_line("workspace passphrase", "工作区口令")
        self._require_terminal("--passphrase-stdin")
        label = state.text(
            f"Passphrase for {workspace}"
            if not new
            else f"New passphrase for {workspace}",
            f"{workspace} 的口令" if not new else f"为 {workspace} 设置新口令",
        )
        return self._ask(label, confirm=new)

    def recovery_key(self, workspace: Path) -> str:
        state = self._state
        if state.recovery_key_stdin:
            return state.stdin_line("recovery key", "恢复密钥")
        self._require_terminal("--recovery-key-stdin")
        return self._ask(state.text("Recovery key", "恢复密钥"), confirm=False)

    def _ask(self, label: str, *, confirm: bool) -> str:
        try:
            return str(
                click.prompt(label, hide_input=True, confirmation_prompt=confirm)
            )
        except click.Abort as exc:
            raise Cancelled from exc

    def _require_terminal(self, option: str) -> None:
        if not sys.stdin.isatty():
            raise InputError(
                f"A secret is needed but standard input is not a terminal; "
                f"pass it on standard input with {option}.",
                f"需要输入密码，但标准输入不是终端；请使用 {option} 从标准输入提供。",
            )
