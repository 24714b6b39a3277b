"""Entry points: the ``sealdesk`` CLI with its ``gui`` command, and ``sealdesk-gui``.

This module sits in the top layer because it joins the CLI (from ``app``) with
the desktop window (here). Qt is imported only when the window opens, so the
CLI starts without it.

Opening the window does not import the CLI's command modules, which pull in
the token layer: ``sealdesk gui`` and ``sealdesk-gui`` go through a small
group with the same options that carry over to the window (``--workspace``,
``--lang``, ``--verbose``), and every other command through the full CLI.
The window then starts as fast as Qt and the workspace allow.

Run as ``python -m widgets.entry`` too. With ``SEALDESK_START_MARKER`` set,
the window prints a line and quits as soon as the login dialog is shown (see
:mod:`widgets.main_window`); the cold-start benchmark and test time that.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence

import click

from app.cli.boundary import run
from app.cli.context import CliState
from app.i18n import LANGUAGES

__all__ = ["gui_main", "main"]

_VALUE_OPTIONS = frozenset({"--workspace", "--lang"})


@click.command("gui")
@click.pass_obj
def gui_command(state: CliState) -> None:
    """Open the desktop application."""
    from widgets.application import run_application

    code = run_application(state.root, state.lang, sys.argv[:1])
    if code:
        raise click.exceptions.Exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--workspace", "workspace", metavar="DIR", help="Workspace folder.")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and debug logs.")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of messages.")
@click.option("--passphrase-stdin", is_flag=True, hidden=True, expose_value=False)
@click.pass_context
def _window_group(
    ctx: click.Context, workspace: str | None, verbose: bool, lang: str | None
) -> None:
    """SealDesk 电子印章桌面端."""
    state = ctx.ensure_object(CliState)
    state.workspace_arg = workspace
    state.verbose = state.verbose or verbose
    if lang:
        state.lang = lang


_window_group.add_command(gui_command)


def _command_name(args: Sequence[str]) -> str | None:
    """The first word that is neither an option nor an option's value."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _full_cli() -> click.Group:
    from app.cli.main import cli

    cli.add_command(gui_command)
    return cli


def main(argv: Sequence[str] | None = None) -> None:
    # In the bundled application the stamping worker processes start as this
    # executable; this hands them to multiprocessing instead of the CLI.
    multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if _command_name(args) == "gui" and not {"-h", "--help"} & set(args[:1]):
        sys.exit(run(_window_group, args))
    sys.exit(run(_full_cli(), args))


def gui_main() -> None:
    # Options first (``sealdesk-gui --workspace DIR``), then the command.
    main([*sys.argv[1:], "gui"])


if __name__ == "__main__":
    main()
