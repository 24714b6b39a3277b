"""The one place where the CLI turns errors into a line for the person.

A user-facing error prints one line to standard error and exits 1; a usage
error exits 2; a cancel exits 1 quietly; anything unexpected prints one line
naming the log file and exits 70. Tracebacks appear only with ``--verbose``,
and always in the workspace log file when one is open.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence

import click

from app.cli.context import CliState
from app.errors import USER_ERRORS, Cancelled, user_message
from app.i18n import pick
from app.logs import configure_logging

__all__ = ["EXIT_CANCELLED", "EXIT_ERROR", "EXIT_UNEXPECTED", "run"]

log = logging.getLogger(__name__)

EXIT_ERROR = 1
EXIT_CANCELLED = 1
EXIT_UNEXPECTED = 70


def run(group: click.Group, argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    state = CliState()
    args = list(sys.argv[1:] if argv is None else argv)
    state.verbose = "--verbose" in args or "-v" in args
    configure_logging(state.verbose)
    try:
        group.main(args=args, prog_name="sealdesk", standalone_mode=False, obj=state)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return int(exc.exit_code)
    except (Cancelled, click.Abort):
        click.echo(pick(state.lang, "Cancelled.", "已取消。"), err=True)
        return EXIT_CANCELLED
    except USER_ERRORS as exc:
        log.warning("%s: %s", type(exc).__name__, user_message(exc, "en"))
        _say(state, user_message(exc, state.lang))
        return EXIT_ERROR
    except Exception as exc:
        log.exception("Unexpected failure")
        where = state.log_file or pick(
            state.lang, "run with --verbose", "请加 --verbose 重试"
        )
        _say(
            state,
            pick(
                state.lang,
                f"unexpected error ({type(exc).__name__}); details: {where}",
                f"发生意外错误（{type(exc).__name__}）；详情：{where}",
            ),
        )
        return EXIT_UNEXPECTED
    finally:
        state.close()
    return 0


def _say(state: CliState, message: str) -> None:
    if state.verbose:
        traceback.print_exc(file=sys.stderr)
    click.echo(f"sealdesk: {message}", err=True)
