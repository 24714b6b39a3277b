"""The error raised when a seal image cannot be designed or rendered."""

from __future__ import annotations

__all__ = ["SealDesignError"]


class SealDesignError(Exception):
    """A seal template or imported seal image that cannot be rendered.

    Carries the message in English (``en``) and Chinese (``zh``) for the
    administrator who designs the seal.
    """

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh
