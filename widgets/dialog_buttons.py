"""The OK / Cancel row every SealDesk dialog ends with.

The OK button carries the dialog's own verb ("Log in", "Grant", "Stamp");
Cancel is the same everywhere and is translated once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

__all__ = ["ok_cancel_buttons"]


def ok_cancel_buttons(
    dialog: QDialog, on_ok: Callable[[], object], ok_text: str | None = None
) -> tuple[QDialogButtonBox, QPushButton]:
    """The button row and its OK button; Cancel rejects ``dialog``."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    if ok_text is not None:
        ok.setText(ok_text)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    cancel.setText(QCoreApplication.translate("Dialogs", "Cancel"))
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok
