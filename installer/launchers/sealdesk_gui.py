"""Frozen-bundle start of ``sealdesk-gui``: the desktop window."""

from widgets.entry import gui_main

gui_main()
