"""The archivist's screen: search the archive, verify, export (档案管理)."""

from widgets.archive.view import ArchiveView

__all__ = ["ArchiveView"]
