"""The window's language: Qt translators for SealDesk's texts and Qt's own.

Every text of the window is written in English in the code and passed through
``QCoreApplication.translate``; ``resources/i18n/sealdesk_<locale>.qm`` holds
the translations (``make translations`` refreshes the ``.ts`` sources from the
code and builds them). Qt's ``qtbase_<locale>.qm`` from PySide6 translates the
standard buttons (OK, Cancel, …). A further language needs a translated
``.ts`` file and an entry in :data:`QT_LOCALES`, no change to the widgets.

Messages from the layers below the window (app errors, setting descriptions)
keep their English/Chinese pairs; views pass their ``lang`` for those.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

__all__ = ["QT_LOCALES", "QT_TRANSLATE_NOOP", "i18n_dir", "use_language"]

# SealDesk's language codes and the Qt locale names of their translations.
# English is the source language and needs no file.
QT_LOCALES = {"zh": "zh_CN"}

log = logging.getLogger(__name__)

_installed: dict[int, list[QTranslator]] = {}


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for translation in ``context``; translate it later.

    ``pyside6-lupdate`` finds the text by this name; PySide6's own function
    of the same name is typed to return ``object``, this one returns the text.
    """
    del context
    return source


def i18n_dir() -> Path:
    """``resources/i18n`` of the source tree or of a PyInstaller bundle."""
    bundle_data = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and isinstance(bundle_data, str):
        base = Path(bundle_data)
    else:
        base = Path(__file__).resolve().parents[1]
    return base / "resources" / "i18n"


def _load(name: str, folder: str | Path) -> QTranslator | None:
    translator = QTranslator()
    return translator if translator.load(name, str(folder)) else None


def use_language(app: QCoreApplication, lang: str) -> None:
    """Speak ``lang`` ("zh" or "en") from now on; replaces the previous language.

    Widgets take their texts when they are built, so a window built before
    the switch keeps its language.
    """
    for translator in _installed.pop(id(app), []):
        app.removeTranslator(translator)
    locale = QT_LOCALES.get(lang)
    if locale is None:
        return
    ours = _load(f"sealdesk_{locale}", i18n_dir())
    if ours is None:
        # A broken installation: the desk stays usable, in English.
        log.error("Translation sealdesk_%s.qm not found in %s", locale, i18n_dir())
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_own = _load(f"qtbase_{locale}", qt_dir)
    translators = [t for t in (ours, qt_own) if t is not None]
    for translator in translators:
        app.installTranslator(translator)
    _installed[id(app)] = translators
