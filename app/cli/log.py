"""``sealdesk log``: check, list and export the usage log (用印日志)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from app.audit import ExportFormat, LogBroken, export_log, list_log, verify_log
from app.cli.context import CliState
from app.cli.output import echo_json, echo_table
from storage.usage_log import LogFilter

__all__ = ["log_group"]


F = TypeVar("F", bound=Callable[..., Any])


def _filters(func: F) -> F:
    for option in reversed(
        (
            click.option("--person", help="Only entries by this person id."),
            click.option("--seal", help="Only entries about this seal id."),
            click.option("--action", help="Only this action, e.g. stamp."),
            click.option("--since", metavar="DATE", help="From this UTC date/time on."),
            click.option("--until", metavar="DATE", help="Before this UTC date/time."),
            click.option(
                "--limit", type=click.IntRange(min=1), default=1000, show_default=True
            ),
        )
    ):
        func = option(func)
    return func


def _filter(given: dict[str, Any]) -> LogFilter:
    return LogFilter(
        actor=given["person"],
        seal_id=given["seal"],
        action=given["action"],
        since=given["since"],
        until=given["until"],
        limit=given["limit"],
    )


@click.group("log")
def log_group() -> None:
    """Check, list and export the usage log (用印日志)."""


@log_group.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def log_verify(state: CliState, as_json: bool) -> None:
    """Recompute the hash chain and name the first broken entry."""
    result = verify_log(state.open().db)
    if as_json:
        echo_json({**vars(result), "intact": result.intact})
    elif result.intact:
        click.echo(
            state.text(
                f"Usage log intact: {result.entries} entries, head {result.head}.",
                f"用印日志完整：共 {result.entries} 条，链头 {result.head}。",
            )
        )
    if not result.intact:
        raise LogBroken(result)


@log_group.command("list")
@_filters
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def log_list(state: CliState, /, as_json: bool, **given: Any) -> None:
    """List entries, newest first."""
    entries = list_log(state.open().db, _filter(given))
    if as_json:
        echo_json(entries)
        return
    echo_table(
        [
            "#",
            state.text("Time", "时间"),
            state.text("Action", "操作"),
            state.text("Person", "人员"),
            state.text("Seal", "印章"),
            state.text("Document SHA-256", "文档摘要"),
        ],
        [
            (
                e.seq,
                e.at,
                e.action,
                e.actor or "-",
                e.seal_id or "-",
                (e.document_sha256 or "-")[:16],
            )
            for e in entries
        ],
    )


@log_group.command("export")
@_filters
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write.",
)
@click.option(
    "--csv", "fmt", flag_value="csv", help="Write CSV (default).", default=True
)
@click.option("--json", "fmt", flag_value="json", help="Write JSON.")
@click.pass_obj
def log_export(state: CliState, /, output: Path, fmt: str, **given: Any) -> None:
    """Export entries to CSV or JSON (oldest first)."""
    export_format = ExportFormat.JSON if fmt == "json" else ExportFormat.CSV
    count = export_log(state.open().db, _filter(given), output, export_format)
    click.echo(
        state.text(
            f"Exported {count} entries to {output}.", f"已导出 {count} 条到 {output}。"
        )
    )
