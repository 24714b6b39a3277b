"""Which language the desk speaks: Chinese (zh) or English (en).

``SEALDESK_LANG`` wins; otherwise the usual locale variables decide, and a
Chinese locale (zh_CN, zh_TW, …) gives Chinese.
"""

from __future__ import annotations

import os

__all__ = ["LANGUAGES", "detect_language", "pick"]

LANGUAGES = ("zh", "en")


def detect_language(explicit: str | None = None) -> str:
    for value in (
        explicit,
        os.environ.get("SEALDESK_LANG"),
        os.environ.get("LC_ALL"),
        os.environ.get("LC_MESSAGES"),
        os.environ.get("LANG"),
    ):
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def pick(lang: str, en: str, zh: str) -> str:
    """Choose between the two texts of a message."""
    return zh if lang == "zh" else en
