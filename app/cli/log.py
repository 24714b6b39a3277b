"""``sealdesk log``: check, list and export the usage log (用印日志)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from app.admin.log_filter import resolve_log_filter
from app.audit import ExportFormat, LogBroken, export_log, list_log, verify_log
from app.cli.context import CliState
from app.cli.output import echo_json, echo_table
from app.evidence.sync import LogRolledBack, check_against_chain
from storage.database import Database
from storage.usage_log import LogFilter

__all__ = ["log_group"]


F = TypeVar("F", bound=Callable[..., Any])


def _filters(func: F) -> F:
    for option in reversed(
        (
            click.option("--person", help="Only entries by this person (name or id)."),
            click.option("--seal", help="Only entries about this seal (name or id)."),
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


def _filter(db: Database, given: dict[str, Any]) -> LogFilter:
    """The filter asked for, with person and seal names turned into ids."""
    return resolve_log_filter(
        db,
        LogFilter(
            actor=given["person"],
            seal_id=given["seal"],
            action=given["action"],
            since=given["since"],
            until=given["until"],
            limit=given["limit"],
        ),
    )


@click.group("log")
def log_group() -> None:
    """Check, list and export the usage log (用印日志)."""


@log_group.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--against-chain",
    is_flag=True,
    help="Also compare the log with the heads anchored on the evidence chain, "
    "which reveals a database restored from an older copy.",
)
@click.pass_obj
def log_verify(state: CliState, as_json: bool, against_chain: bool) -> None:
    """Recompute the hash chain and name the first broken entry."""
    opened = state.open()
    result = verify_log(opened.db)
    chain = None
    if against_chain and result.intact:
        chain = check_against_chain(opened.db, opened.info)
    if as_json:
        echo_json({**vars(result), "intact": result.intact, "chain": chain})
    elif result.intact:
        click.echo(
            state.text(
                f"Usage log intact: {result.entries} entries, head {result.head}.",
                f"用印日志完整：共 {result.entries} 条，链头 {result.head}。",
            )
        )
        if chain is not None and not chain.rolled_back:
            click.echo(state.text(chain.en, chain.zh))
    if not result.intact:
        raise LogBroken(result)
    if chain is not None and chain.rolled_back:
        raise LogRolledBack(chain.en, chain.zh)


@log_group.command("list")
@_filters
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def log_list(state: CliState, /, as_json: bool, **given: Any) -> None:
    """List entries, newest first."""
    db = state.open().db
    entries = list_log(db, _filter(db, given))
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
    db = state.open().db
    count = export_log(db, _filter(db, given), output, export_format)
    click.echo(
        state.text(
            f"Exported {count} entries to {output}.", f"已导出 {count} 条到 {output}。"
        )
    )
