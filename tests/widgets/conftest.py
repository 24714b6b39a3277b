"""A demo workspace for the window tests, built once and copied per test.

Every test starts in English; :class:`Desk` switches the application's
language to the one its window speaks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.demo.workspace import build_demo_workspace
from app.workspace import GivenPassphrase
from tests.support.cli import PASSPHRASE
from widgets.i18n import use_language
from widgets.main_window import MainWindow


def _forget_softhsm_conf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset SOFTHSM2_CONF so the workspace sets it; undo restores the old state.

    Setting before deleting makes the undo remove a value the workspace set.
    """
    monkeypatch.setenv("SOFTHSM2_CONF", "")
    monkeypatch.delenv("SOFTHSM2_CONF")


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> None:
    use_language(qapp, "en")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gui-demo") / "workspace"
    with pytest.MonkeyPatch.context() as monkeypatch:
        _forget_softhsm_conf(monkeypatch)
        build_demo_workspace(root, "passphrase", GivenPassphrase(PASSPHRASE))
    return root


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    _forget_softhsm_conf(monkeypatch)
    target = tmp_path / "workspace"
    shutil.copytree(demo_template, target)
    return target


class Desk:
    """A main window on the demo workspace, with the alerts it showed."""

    def __init__(self, qtbot: QtBot, root: Path, lang: str = "en") -> None:
        self.qtbot = qtbot
        self.alerts: list[str] = []
        app = QApplication.instance()
        assert app is not None
        use_language(app, lang)
        self.window = MainWindow(root, lang)
        self.window.alert = self.alerts.append  # type: ignore[method-assign,assignment]
        self.window.ask_passphrase = lambda: PASSPHRASE  # type: ignore[method-assign]
        qtbot.addWidget(self.window)
        self.window.open_workspace()
        qtbot.waitUntil(lambda: self.window.login_dialog is not None, timeout=20_000)

    def log_in(self, name: str, password: str) -> None:
        dialog = self.window.login_dialog
        assert dialog is not None
        self.qtbot.waitUntil(lambda: dialog.person.count() > 0, timeout=10_000)
        dialog.choose(name)
        dialog.password.setText(password)
        with self.qtbot.waitSignal(dialog.logged_in, timeout=20_000):
            dialog.log_in()


@pytest.fixture
def desk(qtbot: QtBot, demo: Path) -> Desk:
    return Desk(qtbot, demo)
