"""The main window: unlock the workspace, log a person in, show their tabs.

The workspace opens in the background, then :class:`LoginDialog` asks who is
at the desk, and the person's roles decide the tabs
(:func:`widgets.views.role_tabs`). Every failure of a view or dialog comes
here, to :meth:`MainWindow.show_error`.

The status bar shows the tokens present, the evidence outbox and whether the
chain node answers. A timer starts one background refresh at a time (see
:mod:`app.desk_status`); the token driver and the network are never touched
on the main thread, and only after the login dialog is up.

With the environment variable ``SEALDESK_START_MARKER`` set, the window
prints :data:`START_MARKER` and the heavy libraries already imported as soon
as the login dialog is shown, then quits: the cold-start benchmark and test
measure that moment.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStatusBar,
    QTabWidget,
    QWidget,
)

from app.admin.roles import Actor
from app.desk_status import (
    ChainProbe,
    OutboxSummary,
    TokenScan,
    outbox_summary,
    probe_chain,
    scan_tokens,
)
from app.errors import USER_ERRORS, Cancelled
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

__all__ = ["HEAVY_MODULES", "START_MARKER", "START_MARKER_ENV", "MainWindow"]

log = logging.getLogger(__name__)

START_MARKER_ENV = "SEALDESK_START_MARKER"
START_MARKER = "sealdesk: login shown"
# Libraries that must load only when their work is asked for, never at start.
HEAVY_MODULES = ("pyhanko", "web3", "eth_account", "pypdfium2", "certomancer", "pkcs11")
STATUS_INTERVAL_MS = 2000
# The chain node is asked on every fifth refresh (every ten seconds).
CHAIN_EVERY = 5


@dataclass(frozen=True)
class DeskStatus:
    """One refresh of the status bar; ``chain`` is ``None`` when not asked."""

    tokens: TokenScan
    outbox: OutboxSummary
    chain: ChainProbe | None


def heavy_modules_loaded() -> list[str]:
    return [name for name in HEAVY_MODULES if name in sys.modules]


class MainWindow(QMainWindow):
    status_refreshed = Signal(object)

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
        self.tabs.addTab(
            self.status_page, QCoreApplication.translate("MainWindow", "Workspace")
        )
        self.message = QLabel(
            QCoreApplication.translate("MainWindow", "Opening the workspace…")
        )
        self.status_form.addRow(self.message)
        self.switch_button = QPushButton(
            QCoreApplication.translate("MainWindow", "Switch person")
        )
        self.switch_button.clicked.connect(self.log_out)
        self.switch_button.setVisible(False)
        self.status_form.addRow(self.switch_button)
        self.desk_status: DeskStatus | None = None
        self._status_busy = False
        self._status_rounds = 0
        self.tokens_label = QLabel()
        self.outbox_label = QLabel()
        self.chain_label = QLabel()
        bar = QStatusBar()
        for label in (self.tokens_label, self.outbox_label, self.chain_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)
        self.setStatusBar(bar)
        # Status reads may wait on a token in use; they get a thread of their own.
        self.status_pool = QThreadPool(self)
        self.status_pool.setMaxThreadCount(1)
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_INTERVAL_MS)
        self.status_timer.timeout.connect(self.refresh_status)

    def ask_passphrase(self) -> str | None:
        """Ask on the main thread; tests replace this method."""
        text, ok = QInputDialog.getText(
            self,
            "SealDesk",
            QCoreApplication.translate("MainWindow", "Passphrase for {0}").format(
                self.root
            ),
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
                self.message.setText(
                    QCoreApplication.translate("MainWindow", "Cancelled.")
                )
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
        self.message.setText(
            QCoreApplication.translate("MainWindow", "Workspace unlocked.")
        )
        rows = [
            (
                QCoreApplication.translate("MainWindow", "Workspace"),
                str(report.workspace),
            ),
            (
                QCoreApplication.translate("MainWindow", "Key custody"),
                report.custody.value,
            ),
            (
                QCoreApplication.translate("MainWindow", "Schema version"),
                str(report.schema_version),
            ),
            *((name, str(count)) for name, count in report.counts.items()),
        ]
        for label, value in rows:
            self.status_form.addRow(label, QLabel(value))
        self.start_login()
        QTimer.singleShot(0, self.refresh_status)
        self.status_timer.start()

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
        self.message.setText(
            QCoreApplication.translate("MainWindow", "Nobody is logged in.")
        )
        self.switch_button.setVisible(True)

    def show_login(self, dialog: LoginDialog) -> None:
        """Open the dialog without blocking; tests may replace this method."""
        dialog.open()
        if os.environ.get(START_MARKER_ENV):
            self._announce_start()

    def _announce_start(self) -> None:
        heavy = ",".join(heavy_modules_loaded()) or "-"
        print(f"{START_MARKER} heavy={heavy}", flush=True)
        QTimer.singleShot(0, self._quit_after_start)

    def _quit_after_start(self) -> None:
        self.close()
        QApplication.quit()

    # -- the status bar -------------------------------------------------------

    def refresh_status(self) -> None:
        """Start one background read of the status, unless one is running."""
        opened = self.opened
        if opened is None or self._status_busy:
            return
        self._status_busy = True
        ask_chain = self._status_rounds % CHAIN_EVERY == 0
        self._status_rounds += 1

        def work() -> DeskStatus:
            chain = probe_chain(opened.db) if ask_chain else None
            return DeskStatus(scan_tokens(opened.db), outbox_summary(opened.db), chain)

        start_task(
            work,
            self._status_read,
            self._status_failed,
            owner=self,
            pool=self.status_pool,
        )

    def _status_read(self, status: DeskStatus) -> None:
        self._status_busy = False
        if status.chain is None and self.desk_status is not None:
            status = DeskStatus(status.tokens, status.outbox, self.desk_status.chain)
        self.desk_status = status
        self._show_tokens(status.tokens)
        self._show_outbox(status.outbox)
        if status.chain is not None:
            self._show_chain(status.chain)
        self.status_refreshed.emit(status)

    def _status_failed(self, exc: Exception) -> None:
        self._status_busy = False
        log.warning("Status refresh failed: %s", error_text(exc, "en"))

    def _show_tokens(self, scan: TokenScan) -> None:
        if not scan.known:
            if scan.en:
                self.tokens_label.setText(
                    QCoreApplication.translate("MainWindow", "Tokens: ")
                    + scan.text(self.lang)
                )
            return
        if not scan.tokens:
            none = (
                scan.text(self.lang)
                if scan.en
                else QCoreApplication.translate("MainWindow", "none")
            )
            self.tokens_label.setText(
                QCoreApplication.translate("MainWindow", "Tokens: ") + none
            )
            return
        names = ", ".join(f"{t.label} ({t.serial})" for t in scan.tokens)
        self.tokens_label.setText(
            QCoreApplication.translate("MainWindow", "Tokens: ") + names
        )

    def _show_outbox(self, outbox: OutboxSummary) -> None:
        last = (outbox.last_anchored_at or "")[:19].replace("T", " ")
        if last:
            text = QCoreApplication.translate(
                "MainWindow", "Evidence pending: {0}, last anchored {1}"
            ).format(outbox.pending, last)
        else:
            text = QCoreApplication.translate(
                "MainWindow", "Evidence pending: {0}, nothing anchored yet"
            ).format(outbox.pending)
        self.outbox_label.setText(text)

    def _show_chain(self, chain: ChainProbe) -> None:
        if not chain.configured:
            text, colour = (
                QCoreApplication.translate("MainWindow", "Chain: not set up"),
                "",
            )
        elif chain.wrong_chain:
            text = QCoreApplication.translate(
                "MainWindow", "Chain: wrong network (id {0})"
            ).format(chain.chain_id)
            colour = "#b71c1c"
        elif chain.answers:
            text = QCoreApplication.translate(
                "MainWindow", "Chain: online (id {0})"
            ).format(chain.chain_id)
            colour = "#1b5e20"
        else:
            text, colour = (
                QCoreApplication.translate("MainWindow", "Chain: offline"),
                "#b71c1c",
            )
        self.chain_label.setStyleSheet(f"color: {colour};" if colour else "")
        self.chain_label.setText(text)

    def _logged_in(self, actor: Actor) -> None:
        assert self.opened is not None
        self.actor = actor
        self._drop_login_dialog()
        roles = roles_label(actor.roles)
        self.message.setText(
            QCoreApplication.translate("MainWindow", "Logged in: {0} ({1}).").format(
                actor.name, roles
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
        self.message.setText(QCoreApplication.translate("MainWindow", "Logged out."))
        self.start_login()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, Cancelled):
            self.message.setText(QCoreApplication.translate("MainWindow", "Cancelled."))
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
        self.status_timer.stop()
        if self.opened is not None:
            # Background reads still running hold the database; let them end.
            self.status_pool.waitForDone()
            QThreadPool.globalInstance().waitForDone()
            self.opened.close()
            self.opened = None
        super().closeEvent(event)  # type: ignore[arg-type]
