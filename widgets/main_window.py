"""The main window. For now it unlocks the workspace and shows its status;
the role screens (seals, stamping, archive, audit) are added to its tabs.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from app.errors import USER_ERRORS, Cancelled, user_message
from app.i18n import pick
from app.workspace import (
    OpenWorkspace,
    WorkspaceStatus,
    describe_workspace,
    open_workspace,
    workspace_status,
)
from widgets.tasks import Task, start_task

__all__ = ["GivenPassphrase", "MainWindow"]

log = logging.getLogger(__name__)


class GivenPassphrase:
    """A secret prompt answered before the background work starts."""

    def __init__(self, passphrase: str | None) -> None:
        self._passphrase = passphrase

    def passphrase(self, workspace: Path, *, new: bool) -> str:
        if self._passphrase is None:
            raise Cancelled
        return self._passphrase

    def recovery_key(self, workspace: Path) -> str:
        raise Cancelled


class MainWindow(QMainWindow):
    def __init__(self, root: Path, lang: str) -> None:
        super().__init__()
        self.root = root
        self.lang = lang
        self.opened: OpenWorkspace | None = None
        self._task: Task | None = None
        self.setWindowTitle("SealDesk 电子印章桌面端")
        self.resize(960, 640)
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        self.status_page = QWidget()
        self.status_form = QFormLayout(self.status_page)
        self.tabs.addTab(self.status_page, self.text("Workspace", "工作区"))
        self.message = QLabel(self.text("Opening the workspace…", "正在打开工作区…"))
        self.status_form.addRow(self.message)

    def text(self, en: str, zh: str) -> str:
        return pick(self.lang, en, zh)

    def ask_passphrase(self) -> str | None:
        """Ask on the main thread; tests replace this method."""
        text, ok = QInputDialog.getText(
            self,
            "SealDesk",
            self.text(f"Passphrase for {self.root}", f"{self.root} 的口令"),
            QLineEdit.EchoMode.Password,
        )
        return text if ok else None

    def open_workspace(self) -> None:
        try:
            info = describe_workspace(self.root)
        except USER_ERRORS as exc:
            self.show_error(exc)
            return
        secret = None
        if info.custody.value == "passphrase":
            secret = self.ask_passphrase()
            if secret is None:
                self.message.setText(self.text("Cancelled.", "已取消。"))
                return
        prompt = GivenPassphrase(secret)
        self._task = start_task(
            lambda: self._open_and_describe(prompt), self._opened, self._failed
        )

    def _open_and_describe(
        self, prompt: GivenPassphrase
    ) -> tuple[OpenWorkspace, WorkspaceStatus]:
        opened = open_workspace(self.root, prompt)
        return opened, workspace_status(opened)

    def _opened(self, result: tuple[OpenWorkspace, WorkspaceStatus]) -> None:
        self.opened, report = result
        self.message.setText(self.text("Workspace unlocked.", "工作区已解锁。"))
        rows = [
            (self.text("Workspace", "工作区"), str(report.workspace)),
            (self.text("Key custody", "密钥保管"), report.custody.value),
            (self.text("Schema version", "结构版本"), str(report.schema_version)),
            *((name, str(count)) for name, count in report.counts.items()),
        ]
        for label, value in rows:
            self.status_form.addRow(label, QLabel(value))

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, Cancelled):
            self.message.setText(self.text("Cancelled.", "已取消。"))
            return
        self.show_error(exc)

    def show_error(self, exc: Exception) -> None:
        """The one place the GUI turns an error into a message."""
        if isinstance(exc, USER_ERRORS):
            text = user_message(exc, self.lang)
        else:
            log.error("Unexpected failure", exc_info=exc)
            text = self.text(
                f"Unexpected error ({type(exc).__name__}); see the log file.",
                f"发生意外错误（{type(exc).__name__}），详见日志文件。",
            )
        self.message.setText(text)
        self.alert(text)

    def alert(self, text: str) -> None:
        """Show a warning box; tests replace this method."""
        QMessageBox.warning(self, "SealDesk", text)

    def closeEvent(self, event: object) -> None:
        if self.opened is not None:
            self.opened.close()
            self.opened = None
        super().closeEvent(event)  # type: ignore[arg-type]
