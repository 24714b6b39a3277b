"""The officer's stamping screen (盖章): pages, seal placement, PIN, batches."""

from widgets.stamping.view import StampingView

__all__ = ["StampingView"]
