"""The token PIN dialog, asked for from the stamping thread.

The token layer asks for a PIN on the thread that opens the token session,
which for the desk is a background thread. :class:`GuiPinHandler` carries
each request to the main thread through a queued signal, shows
:class:`PinDialog` there without blocking the event loop, and lets the
background thread wait on a :class:`threading.Event` for the answer. Closing
the dialog declines (:class:`PinEntryCancelled`, which the desk reports as
cancelled). The PIN goes straight back to the token layer: it is never
logged, and the field is cleared as soon as it has been read.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)
from shiboken6 import isValid

from app.admin.tokens import PinEntryCancelled, PinRequest, PinWarning
from widgets.dialog_buttons import ok_cancel_buttons

__all__ = ["GuiPinHandler", "PinDialog", "WaitingRequests"]


class PinDialog(QDialog):
    """Asks for the PIN of one token; warns when few attempts are left."""

    def __init__(self, request: PinRequest, lang: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.lang = lang
        label = request.token.label
        self.setWindowTitle(QCoreApplication.translate("PinDialog", "Token PIN"))
        self.setModal(True)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.warning = QLabel(self._warning(request.warning, label))
        self.warning.setVisible(request.must_warn)
        self.warning.setStyleSheet("color: #b00020;")
        self.buttons, _ok = ok_cancel_buttons(
            self, self.accept, QCoreApplication.translate("PinDialog", "OK")
        )
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                QCoreApplication.translate("PinDialog", "PIN for token “{0}”").format(
                    label
                )
            )
        )
        form.addRow(QCoreApplication.translate("PinDialog", "PIN"), self.pin)
        form.addRow(self.warning)
        form.addRow(self.buttons)

    def _warning(self, warning: PinWarning, label: str) -> str:
        if warning is PinWarning.FINAL_TRY:
            return QCoreApplication.translate(
                "PinDialog", "Warning: one wrong PIN now locks token “{0}”."
            ).format(label)
        if warning is PinWarning.COUNT_LOW:
            return QCoreApplication.translate(
                "PinDialog", "Warning: few PIN attempts are left on token “{0}”."
            ).format(label)
        return ""

    def take_pin(self) -> str:
        """The typed PIN; the field is emptied."""
        pin = self.pin.text()
        self.pin.clear()
        return pin


class _Ask:
    """One request on its way to the main thread and its answer back."""

    def __init__(self, request: PinRequest) -> None:
        self.request = request
        self.answered = threading.Event()
        self.pin: str | None = None

    def answer(self, pin: str | None) -> None:
        self.pin = pin or None
        self.answered.set()

    def __repr__(self) -> str:
        return f"_Ask({self.request.token.label!r}, <hidden>)"


class WaitingRequests:
    """The requests not answered yet; a plain object, so that it can still
    decline them while the Qt objects around it are being destroyed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._asks: set[_Ask] = set()

    def add(self, ask: _Ask) -> None:
        with self._lock:
            self._asks.add(ask)

    def discard(self, ask: _Ask) -> None:
        with self._lock:
            self._asks.discard(ask)

    def decline_all(self, *_args: object) -> None:
        with self._lock:
            waiting = list(self._asks)
        for ask in waiting:
            ask.answer(None)


class GuiPinHandler(QObject):
    """A PIN handler for the token layer that asks through :class:`PinDialog`.

    Create it on the main thread; call :meth:`request_pin` from any other.
    :attr:`dialog` is the dialog on screen, if any.
    """

    asked = Signal(object)
    dialog_shown = Signal(object)

    def __init__(self, lang: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.lang = lang
        self._window = parent
        self.dialog: PinDialog | None = None
        self.waiting = WaitingRequests()
        self.asked.connect(self._show)

    def request_pin(self, request: PinRequest) -> str:
        """Called by the token layer on a background thread."""
        if threading.current_thread() is threading.main_thread():
            raise RuntimeError("the PIN must be asked for from a background thread")
        ask = _Ask(request)
        self.waiting.add(ask)
        try:
            self.asked.emit(ask)
            ask.answered.wait()
        finally:
            self.waiting.discard(ask)
        if ask.pin is None:
            raise PinEntryCancelled()
        pin, ask.pin = ask.pin, None
        return pin

    def decline_all(self) -> None:
        """Answer every waiting request as declined (the window is closing)."""
        self.waiting.decline_all()
        if self.dialog is not None and isValid(self.dialog):
            self.dialog.reject()

    def _show(self, ask: _Ask) -> None:
        dialog = PinDialog(ask.request, self.lang, self._window)
        self.dialog = dialog

        def finished(result: int) -> None:
            accepted = result == QDialog.DialogCode.Accepted
            pin = dialog.take_pin() if accepted else None
            ask.answer(pin)
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
        self.dialog_shown.emit(dialog)
