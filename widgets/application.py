"""Starting the desktop application: the QApplication, its language, the window."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication

from widgets.i18n import use_language
from widgets.main_window import MainWindow

__all__ = ["run_application"]


def run_application(root: Path, lang: str, argv: Sequence[str]) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv))
    app.setApplicationName("SealDesk")
    app.setApplicationDisplayName("SealDesk 电子印章桌面端")
    use_language(app, lang)
    window = MainWindow(root, lang)
    window.show()
    window.open_workspace()
    return int(app.exec())
