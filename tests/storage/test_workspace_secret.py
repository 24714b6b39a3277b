"""Workspace-bound keys survive a passphrase recovery, which rekeys the file."""

from __future__ import annotations

from pathlib import Path

from app.workspace import (
    choose_custody,
    init_workspace,
    open_workspace,
    recover_workspace,
)
from storage.workspace_secret import derive_workspace_key
from tests.support.cli import PASSPHRASE


class Answers:
    def __init__(self, passphrase: str, recovery: str = "") -> None:
        self.passphrase_text = passphrase
        self.recovery = recovery

    def passphrase(self, workspace: Path, *, new: bool) -> str:
        return self.passphrase_text

    def recovery_key(self, workspace: Path) -> str:
        return self.recovery


def test_derived_keys_survive_recovery(tmp_path: Path) -> None:
    made = init_workspace(tmp_path, choose_custody("passphrase"), Answers(PASSPHRASE))
    with open_workspace(tmp_path, Answers(PASSPHRASE)) as opened:
        wid = opened.info.workspace_id
        before = derive_workspace_key(opened.db, wid, b"archive")
        other = derive_workspace_key(opened.db, wid, b"pins")
        raw_before = opened.db.secret
    assert before != other
    new = "an entirely new passphrase"
    recover_workspace(tmp_path, Answers(new, made.recovery_key))
    with open_workspace(tmp_path, Answers(new)) as opened:
        assert opened.db.secret != raw_before
        assert derive_workspace_key(opened.db, wid, b"archive") == before
