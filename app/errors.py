"""The one error hierarchy the desk sees, and how an error becomes a message.

Every error meant for a person carries an English and a Chinese message
(``en``/``zh``). The service layer raises :class:`SealDeskError` subclasses;
the token and storage layers below raise their own bases with the same shape,
because they may not import this package. :data:`USER_ERRORS` names all three
so the CLI and the GUI each turn them into a message in exactly one place.
:class:`Cancelled` is not an error: the person chose to stop.
"""

from __future__ import annotations

from hsm.errors import TokenError
from storage.errors import StorageError

__all__ = [
    "USER_ERRORS",
    "Cancelled",
    "InputError",
    "SealDeskError",
    "SettingError",
    "user_message",
]


class SealDeskError(Exception):
    """Base of the service layer's errors; ``en`` and ``zh`` are shown."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh


class InputError(SealDeskError):
    """A file, argument or answer given by the person is unusable."""


class SettingError(SealDeskError):
    """An unknown setting, or a value the setting does not accept."""


class Cancelled(Exception):
    """The person cancelled a prompt; nothing is reported as failed."""


USER_ERRORS: tuple[type[Exception], ...] = (SealDeskError, TokenError, StorageError)


def user_message(exc: BaseException, lang: str) -> str:
    """The message of a user-facing error in ``lang`` ("zh" or "en")."""
    en = getattr(exc, "en", None) or str(exc)
    zh = getattr(exc, "zh", None) or en
    return str(zh if lang == "zh" else en)
