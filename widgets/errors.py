"""Turning an error into the sentence the person at the desk reads.

:meth:`widgets.main_window.MainWindow.show_error` is the one place that shows
it; views and dialogs only hand their failures up through a signal.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from app.errors import USER_ERRORS, user_message

__all__ = ["error_text"]

log = logging.getLogger(__name__)


def error_text(exc: Exception, lang: str) -> str:
    if isinstance(exc, USER_ERRORS):
        return user_message(exc, lang)
    log.error("Unexpected failure", exc_info=exc)
    name = type(exc).__name__
    return QCoreApplication.translate(
        "widgets.errors", "Unexpected error ({0}); see the log file."
    ).format(name)
