"""``sealdesk archive``: file, search, retrieve and recheck archived documents."""

from __future__ import annotations

from pathlib import Path

import click

from app.admin.log_filter import resolve_log_filter
from app.archive import (
    ArchiveEntry,
    ArchiveFilter,
    ArchiveMetadata,
    EntryKind,
    file_received,
    get,
    recheck,
    search,
)
from app.cli.admin_common import acting, acting_name, authenticate, json_option
from app.cli.context import CliState
from app.cli.output import echo_json, echo_pairs, echo_table
from app.errors import SealDeskError
from storage.usage_log import LogFilter

__all__ = ["ArchiveProblemsFound", "archive_group"]


class ArchiveProblemsFound(SealDeskError):
    """``archive recheck`` found files that are missing, damaged or stray."""


def _actor_id(ctx: click.Context, state: CliState) -> str | None:
    """The ``--as`` person's id once logged in; ``None`` when not given."""
    if acting_name(ctx) is None:
        return None
    return authenticate(ctx, state).person_id


@click.group("archive")
def archive_group() -> None:
    """File, search and retrieve archived documents (归档)."""


@archive_group.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", required=True, help="Title of the document.")
@click.option("--number", "doc_number", help="Document number (文号).")
@click.option("--category", help="Document category.")
@acting(required=False)
@json_option
@click.pass_context
def archive_add(
    ctx: click.Context,
    file: Path,
    title: str,
    doc_number: str | None,
    category: str | None,
    as_json: bool,
) -> None:
    """File a received document in the archive."""
    state: CliState = ctx.obj
    opened = state.open()
    actor = _actor_id(ctx, state)
    metadata = ArchiveMetadata(
        title=title,
        doc_number=doc_number,
        category=category,
        officer_id=actor,
        kind=EntryKind.RECEIVED,
    )
    entry = file_received(opened, actor, file, metadata)
    if as_json:
        echo_json(entry)
        return
    click.echo(
        state.text(
            f"Archived as entry {entry.id} (SHA-256 {entry.sha256}).",
            f"已归档，条目编号 {entry.id}（SHA-256 {entry.sha256}）。",
        )
    )


@archive_group.command("search")
@click.argument("text", required=False)
@click.option("--seal", help="Only documents stamped with this seal (name or id).")
@click.option("--officer", help="Only documents of this officer (name or id).")
@click.option("--since", metavar="DATE", help="From this UTC date/time on.")
@click.option("--until", metavar="DATE", help="Before this UTC date/time.")
@click.option("--sha256", help="The document's SHA-256, before or after stamping.")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@json_option
@click.pass_obj
def archive_search(
    state: CliState,
    text: str | None,
    seal: str | None,
    officer: str | None,
    since: str | None,
    until: str | None,
    sha256: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Search titles and document numbers, newest first."""
    db = state.open().db
    ids = resolve_log_filter(db, LogFilter(actor=officer, seal_id=seal))
    found = search(
        db,
        ArchiveFilter(
            text=text,
            seal_id=ids.seal_id,
            officer_id=ids.actor,
            since=since,
            until=until,
            sha256=sha256,
            limit=limit,
        ),
    )
    if as_json:
        echo_json(found)
        return
    _table(state, found)


def _table(state: CliState, found: list[ArchiveEntry]) -> None:
    echo_table(
        [
            "#",
            state.text("Time", "时间"),
            state.text("Number", "文号"),
            state.text("Title", "标题"),
            state.text("Seal", "印章"),
            state.text("Officer", "经办人"),
            "SHA-256",
        ],
        [
            (
                e.id,
                e.stamped_at,
                e.doc_number or "-",
                e.title,
                e.seal_id or "-",
                e.officer_id or "-",
                e.sha256[:16],
            )
            for e in found
        ],
    )


@archive_group.command("get")
@click.argument("entry_id", metavar="ID", type=click.IntRange(min=1))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write; it must not exist yet.",
)
@acting(required=False)
@click.pass_context
def archive_get(ctx: click.Context, entry_id: int, output: Path) -> None:
    """Check an archived document and write it out; the retrieval is logged."""
    state: CliState = ctx.obj
    opened = state.open()
    entry = get(opened, _actor_id(ctx, state), entry_id, output)
    click.echo(
        state.text(
            f"Entry {entry.id} checked and written to {output}.",
            f"条目 {entry.id} 校验无误，已写入 {output}。",
        )
    )


@archive_group.command("export")
@click.argument("entry_id", metavar="ID", type=click.IntRange(min=1))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The package ZIP to write; it must not exist yet.",
)
@click.option(
    "--offline", is_flag=True, help="Do not fetch revocation data (OCSP, CRL)."
)
@acting(required=True)
@json_option
@click.pass_context
def archive_export(
    ctx: click.Context, entry_id: int, output: Path, offline: bool, as_json: bool
) -> None:
    """Write the evidence package (证据包) of a document; archivists only.

    The package holds the signed PDF, its verification report, certificates,
    revocation data, usage-log entries, the evidence bundle and a standalone
    verify.py. Taking the PDF out is logged as a retrieval.
    """
    # Loaded here: it brings pyHanko, which the other archive commands need not.
    from app.evidence_package.export import check_may_export, export_package

    state: CliState = ctx.obj
    opened = state.open()
    actor = authenticate(ctx, state)
    check_may_export(opened, actor)
    summary = export_package(
        opened, entry_id, output, actor_id=actor.person_id, online=not offline
    )
    if as_json:
        echo_json(summary)
        return
    click.echo(
        state.text(
            f"Evidence package of entry {summary.entry_id} written to {output} "
            f"({len(summary.files)} files).",
            f"条目 {summary.entry_id} 的证据包已写入 {output}"
            f"（{len(summary.files)} 个文件）。",
        )
    )
    if not summary.anchored:
        click.echo(
            state.text(
                "The evidence is not yet anchored on the chain; run 'sealdesk "
                "sync' and export again for a complete package.",
                "存证尚未上链；请运行 sealdesk sync 后重新导出完整的证据包。",
            )
        )


@archive_group.command("recheck")
@json_option
@click.pass_obj
def archive_recheck(state: CliState, as_json: bool) -> None:
    """Decrypt every archived file and check its hash."""
    problems = recheck(state.open())
    if as_json:
        echo_json({"intact": not problems, "problems": problems})
    elif not problems:
        click.echo(state.text("Every archived file is intact.", "所有归档文件完好。"))
    else:
        echo_pairs([(p.kind.value, state.text(p.en, p.zh)) for p in problems])
    if problems:
        raise ArchiveProblemsFound(
            f"The archive recheck found {len(problems)} problem(s).",
            f"归档复核发现 {len(problems)} 个问题。",
        )
