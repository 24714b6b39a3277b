"""A real workspace (keyring custody) for the archive tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.workspace import (
    GivenPassphrase,
    OpenWorkspace,
    choose_custody,
    init_workspace,
    open_workspace,
)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    init_workspace(root, choose_custody("keyring"), GivenPassphrase(None))
    return root


@pytest.fixture
def opened(ws: Path) -> Iterator[OpenWorkspace]:
    with open_workspace(ws, GivenPassphrase(None)) as handle:
        yield handle
