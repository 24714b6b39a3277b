"""The main window: unlock the workspace, log a person in, show their tabs.

The workspace opens in the background, then :class:`LoginDialog` asks who is
at the desk, and the person's roles decide the tabs
(:func:`widgets.views.role_tabs`). Every failure of a view or dialog comes
here, to :meth:`MainWindow.show_error`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import (
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QWidget,
)

from app.admin.roles import Actor
from app.errors import USER_ERRORS, Cancelled
from app.i18n import pick
from app.workspace import (
    GivenPassphrase,
    OpenWorkspace,
    WorkspaceStatus,
    describe_workspace,
    open_workspace,
    workspace_status,
)
from widgets.errors import error_text
from widgets.login_dialog import LoginDialog
from widgets.tasks import Task, start_task
from widgets.views import RoleTab, role_tabs
from widgets.views.labels import roles_label

__all__ = ["MainWindow"]

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, root: Path, lang: str) -> None:
        super().__init__()
        self.root = root
        self.lang = lang
        self.opened: OpenWorkspace | None = None
        self.actor: Actor | None = None
        self.login_dialog: LoginDialog | None = None
        self.role_tabs: dict[str, RoleTab] = {}
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
        self.switch_button = QPushButton(self.text("Switch person", "切换人员"))
        self.switch_button.clicked.connect(self.log_out)
        self.switch_button.setVisible(False)
        self.status_form.addRow(self.switch_button)

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
            lambda: self._open_and_describe(prompt),
            self._opened,
            self._failed,
            owner=self,
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
        self.start_login()

    def start_login(self) -> None:
        """Ask who is at the desk; the dialog reports back by signal."""
        assert self.opened is not None
        dialog = LoginDialog(self.opened, self.lang, self)
        dialog.logged_in.connect(self._logged_in)
        dialog.failed.connect(self.show_error)
        dialog.rejected.connect(self._login_cancelled)
        self.login_dialog = dialog
        self.show_login(dialog)

    def _drop_login_dialog(self) -> None:
        if self.login_dialog is not None:
            self.login_dialog.deleteLater()
            self.login_dialog = None

    def _login_cancelled(self) -> None:
        self._drop_login_dialog()
        self.message.setText(self.text("Nobody is logged in.", "尚未登录。"))
        self.switch_button.setVisible(True)

    def show_login(self, dialog: LoginDialog) -> None:
        """Open the dialog without blocking; tests may replace this method."""
        dialog.open()

    def _logged_in(self, actor: Actor) -> None:
        assert self.opened is not None
        self.actor = actor
        self._drop_login_dialog()
        roles = roles_label(actor.roles, self.lang)
        self.message.setText(
            self.text(
                f"Logged in: {actor.name} ({roles}).",
                f"已登录：{actor.name}（{roles}）。",
            )
        )
        self.switch_button.setVisible(True)
        for tab in role_tabs(self.opened, actor, self.lang):
            for view in tab.views.values():
                view.failed.connect(self.show_error)
            self.role_tabs[tab.key] = tab
            self.tabs.addTab(tab.widget, tab.title)
        if self.role_tabs:
            self.tabs.setCurrentIndex(1)

    def log_out(self) -> None:
        """Drop the person's tabs and ask who is at the desk now."""
        while self.tabs.count() > 1:
            widget = self.tabs.widget(1)
            self.tabs.removeTab(1)
            if widget is not None:
                widget.deleteLater()
        self.role_tabs = {}
        self.actor = None
        self.switch_button.setVisible(False)
        self.message.setText(self.text("Logged out.", "已退出登录。"))
        self.start_login()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, Cancelled):
            self.message.setText(self.text("Cancelled.", "已取消。"))
            return
        self.show_error(exc)

    def show_error(self, exc: Exception) -> None:
        """The one place the GUI turns an error into a message."""
        text = error_text(exc, self.lang)
        self.message.setText(text)
        self.alert(text)

    def alert(self, text: str) -> None:
        """Show a warning box; tests replace this method."""
        QMessageBox.warning(self, "SealDesk", text)

    def closeEvent(self, event: object) -> None:
        if self.opened is not None:
            # Background reads still running hold the database; let them end.
            QThreadPool.globalInstance().waitForDone()
            self.opened.close()
            self.opened = None
        super().closeEvent(event)  # type: ignore[arg-type]
