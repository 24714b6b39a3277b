"""Asking before a change that cannot be undone (revoking, destroying).

The question opens without blocking the window; the change runs only when
the administrator answers yes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

__all__ = ["ask_to_confirm"]


def ask_to_confirm(
    parent: QWidget, question: str, on_yes: Callable[[], None]
) -> QMessageBox:
    """Open a yes/no question; ``on_yes`` runs if the answer is yes."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("SealDesk")
    box.setText(question)
    box.setStandardButtons(
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.Yes).setText(
        QCoreApplication.translate("widgets.admin.confirm", "Yes")
    )
    box.button(QMessageBox.StandardButton.No).setText(
        QCoreApplication.translate("widgets.admin.confirm", "No")
    )

    def answered(button: object) -> None:
        if box.standardButton(button) is QMessageBox.StandardButton.Yes:  # type: ignore[arg-type]
            on_yes()
        box.deleteLater()

    box.buttonClicked.connect(answered)
    box.open()
    return box
