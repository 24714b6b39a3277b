"""Entry points: the ``sealdesk`` CLI with its ``gui`` command, and ``sealdesk-gui``.

This module sits in the top layer because it joins the CLI (from ``app``) with
the desktop window (here). Qt is imported only when the window opens, so the
CLI starts without it.
"""

from __future__ import annotations

import sys

import click

from app.cli.boundary import run
from app.cli.context import CliState
from app.cli.main import cli

__all__ = ["gui_main", "main"]


@cli.command("gui")
@click.pass_obj
def gui_command(state: CliState) -> None:
    """Open the desktop application."""
    from widgets.application import run_application

    code = run_application(state.root, state.lang, sys.argv[:1])
    if code:
        raise click.exceptions.Exit(code)


def main() -> None:
    sys.exit(run(cli))


def gui_main() -> None:
    sys.exit(run(cli, ["gui", *sys.argv[1:]]))
