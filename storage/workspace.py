"""The workspace folder: where it is, what it holds, and its description file.

A workspace is one folder holding ``sealdesk.db`` (the encrypted database),
``archive/``, ``exports/``, ``logs/`` and ``workspace.json``. The JSON file
describes the workspace (its id and how the database key is kept); it holds no
secret, so it can be read before the database is unlocked.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

import platformdirs

from storage.errors import WorkspaceExists, WorkspaceInvalid, WorkspaceNotFound

__all__ = [
    "HOME_ENV",
    "Custody",
    "Workspace",
    "WorkspaceInfo",
    "default_location",
    "resolve_location",
]

log = logging.getLogger(__name__)

HOME_ENV = "SEALDESK_HOME"
_DESCRIPTION = "workspace.json"
_FORMAT = 1


class Custody(Enum):
    """Where the database key lives."""

    KEYRING = "keyring"
    PASSPHRASE = "passphrase"  # noqa: S105 - a custody kind, not a secret


@dataclass(frozen=True)
class WorkspaceInfo:
    """What ``workspace.json`` says about a workspace."""

    workspace_id: str
    custody: Custody
    created: str


def default_location() -> Path:
    """The per-user data folder the platform recommends for SealDesk."""
    return Path(platformdirs.user_data_dir("SealDesk", appauthor=False))


def resolve_location(explicit: str | os.PathLike[str] | None) -> Path:
    """``--workspace`` wins over ``SEALDESK_HOME``, which wins over the default."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(HOME_ENV)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return default_location()


@dataclass(frozen=True)
class Workspace:
    """Paths of one workspace folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "sealdesk.db"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def description(self) -> Path:
        return self.root / _DESCRIPTION

    def exists(self) -> bool:
        return self.description.is_file() and self.database.is_file()

    def create_folders(self, custody: Custody) -> WorkspaceInfo:
        """Make the folders and the description; the database comes after."""
        if self.description.exists() or self.database.exists():
            raise WorkspaceExists(
                f"A workspace already exists at {self.root}.",
                f"{self.root} 已经是一个工作区。",
            )
        for folder in (self.root, self.archive, self.exports, self.logs):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = WorkspaceInfo(
            workspace_id=str(uuid.uuid4()),
            custody=custody,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self._write_description(info)
        log.info("Created workspace folders at %s", self.root)
        return info

    def info(self) -> WorkspaceInfo:
        """Read ``workspace.json``; a missing workspace is a user error."""
        if not self.exists():
            raise WorkspaceNotFound(
                f"No SealDesk workspace at {self.root} (run 'sealdesk init').",
                f"{self.root} 不是 SealDesk 工作区（请先运行 sealdesk init）。",
            )
        try:
            raw = json.loads(self.description.read_text(encoding="utf-8"))
            if raw["format"] != _FORMAT:
                raise ValueError(f"unknown format {raw['format']!r}")
            return WorkspaceInfo(
                workspace_id=str(uuid.UUID(raw["id"])),
                custody=Custody(raw["custody"]),
                created=str(raw["created"]),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise WorkspaceInvalid(
                f"{self.description}: unreadable workspace description ({exc}).",
                f"{self.description}：工作区描述文件无法读取（{exc}）。",
            ) from exc

    def set_custody(self, custody: Custody) -> WorkspaceInfo:
        """Record a change of key custody, e.g. after a recovery."""
        old = self.info()
        new = WorkspaceInfo(old.workspace_id, custody, old.created)
        self._write_description(new)
        return new

    def _write_description(self, info: WorkspaceInfo) -> None:
        body = {
            "format": _FORMAT,
            "id": info.workspace_id,
            "custody": info.custody.value,
            "created": info.created,
        }
        part = self.description.with_suffix(".json.part")
        with part.open("w", encoding="utf-8") as fh:
            json.dump(body, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        part.replace(self.description)
