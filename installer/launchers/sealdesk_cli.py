"""Frozen-bundle start of ``sealdesk``: the command line (with ``gui``)."""

from widgets.entry import main

main()
