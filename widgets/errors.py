"""Turning an error into the sentence the person at the desk reads.

:meth:`widgets.main_window.MainWindow.show_error` is the one place that shows
it; views and dialogs only hand their failures up through a signal.
"""

from __future__ import annotations

import logging

from app.errors import USER_ERRORS, user_message
from app.i18n import pick

__all__ = ["error_text"]

log = logging.getLogger(__name__)


def error_text(exc: Exception, lang: str) -> str:
    if isinstance(exc, USER_ERRORS):
        return user_message(exc, lang)
    log.error("Unexpected failure", exc_info=exc)
    name = type(exc).__name__
    return pick(
        lang,
        f"Unexpected error ({name}); see the log file.",
        f"发生意外错误（{name}），详见日志文件。",
    )
