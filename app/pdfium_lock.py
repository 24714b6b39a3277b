"""The one lock around every PDFium call SealDesk makes.

PDFium keeps process-wide state and must not be entered from two threads at
once. The officer's window draws pages, a batch finds keywords on its
preparing thread and checks written outputs on its recording thread, so all
of them take this lock. It is re-entrant: a caller holding it may call a
helper that takes it again.
"""

from __future__ import annotations

import threading

__all__ = ["PDFIUM_LOCK"]

PDFIUM_LOCK = threading.RLock()
