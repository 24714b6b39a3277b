"""``sealdesk grant`` and ``sealdesk approval`` (用印审批)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from app.admin.approvals import (
    Approval,
    ApprovalStatus,
    approve,
    list_approvals,
    reject,
    request_approval,
)
from app.admin.clock import parse_time, utc_now
from app.admin.grants import Grant, GrantDraft, add_grant, list_grants, revoke_grant
from app.approval_documents import approval_document, request_with_document
from app.cli.admin_common import acting, authenticate, json_option
from app.cli.context import CliState
from app.cli.output import echo_json, echo_table
from app.errors import InputError

__all__ = ["approval_group", "grant_group"]


@click.group("grant")
def grant_group() -> None:
    """Grants: who may use which seal, when, how often, on what."""


def _grant_rows(state: CliState, grants: list[Grant], as_json: bool) -> None:
    if as_json:
        echo_json(grants)
        return
    echo_table(
        [
            state.text("Grant", "授权"),
            state.text("Person", "人员"),
            state.text("Seal", "印章"),
            state.text("Valid", "有效期"),
            state.text("Used", "已用"),
            state.text("Categories", "文件类别"),
            state.text("Approval", "审批"),
            state.text("State", "状态"),
        ],
        [
            (
                g.id,
                g.person_id,
                g.seal_id,
                f"{g.valid_from[:16]} .. {g.valid_until[:16]}",
                f"{g.used}/{'-' if g.quota is None else g.quota}",
                ",".join(g.categories) or "*",
                state.text("yes", "需要") if g.approval_required else "-",
                state.text("live", "有效")
                if g.live
                else state.text("revoked", "已撤销"),
            )
            for g in grants
        ],
    )


@grant_group.command("add")
@click.argument("person")
@click.argument("seal")
@click.option("--from", "valid_from", metavar="DATE", help="Start (default: now).")
@click.option("--until", "valid_until", metavar="DATE", required=True, help="End.")
@click.option("--quota", type=click.IntRange(min=1), help="Most uses allowed.")
@click.option(
    "--category", "categories", multiple=True, help="Allowed document category."
)
@click.option(
    "--approval/--no-approval",
    "approval_required",
    default=False,
    help="Whether each use needs an approval.",
)
@click.option("--approver", "approvers", multiple=True, metavar="NAME")
@acting()
@json_option
@click.pass_context
def grant_add(
    ctx: click.Context,
    person: str,
    seal: str,
    valid_from: str | None,
    valid_until: str,
    quota: int | None,
    categories: tuple[str, ...],
    approval_required: bool,
    approvers: tuple[str, ...],
    as_json: bool,
) -> None:
    """Grant PERSON the use of SEAL (administrators only)."""
    state: CliState = ctx.obj
    draft = GrantDraft(
        person=person,
        seal=seal,
        valid_from=utc_now() if valid_from is None else parse_time(valid_from),
        valid_until=parse_time(valid_until),
        quota=quota,
        categories=categories,
        approval_required=approval_required,
        approvers=approvers,
    )
    actor = authenticate(ctx, state)
    grant = add_grant(state.open().db, actor, draft)
    _grant_rows(state, [grant], as_json)


@grant_group.command("list")
@click.option("--person", help="Only this person's grants.")
@click.option("--seal", help="Only grants of this seal.")
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked.")
@json_option
@click.pass_obj
def grant_list(
    state: CliState,
    person: str | None,
    seal: str | None,
    include_revoked: bool,
    as_json: bool,
) -> None:
    """List grants (live ones unless --all)."""
    grants = list_grants(
        state.open().db, person=person, seal=seal, include_revoked=include_revoked
    )
    _grant_rows(state, grants, as_json)


@grant_group.command("revoke")
@click.argument("grant_id")
@click.option("--reason", default="", help="Why; written to the usage log.")
@acting()
@json_option
@click.pass_context
def grant_revoke(ctx: click.Context, grant_id: str, reason: str, as_json: bool) -> None:
    """Revoke a grant; it stops working at once."""
    state: CliState = ctx.obj
    actor = authenticate(ctx, state)
    _grant_rows(
        state, [revoke_grant(state.open().db, actor, grant_id, reason)], as_json
    )


@click.group("approval")
def approval_group() -> None:
    """Approvals (用印审批): request, list, approve, reject, read the document."""


def _approval_rows(state: CliState, approvals: list[Approval], as_json: bool) -> None:
    if as_json:
        echo_json(approvals)
        return
    echo_table(
        [
            state.text("Approval", "审批单"),
            state.text("Status", "状态"),
            state.text("Seal", "印章"),
            state.text("Requester", "申请人"),
            state.text("Document SHA-256", "文件摘要"),
            state.text("Category", "类别"),
            state.text("Expires", "到期"),
        ],
        [
            (
                a.id,
                a.status.value,
                a.seal_id,
                a.requester_id,
                a.document_sha256[:16],
                a.category,
                (a.expires_at or "-")[:16],
            )
            for a in approvals
        ],
    )


def _one_document(document: Path | None, sha256: str | None) -> None:
    if (document is None) == (sha256 is None):
        raise InputError(
            "Name the document with --document FILE or --sha256 HEX (one of them).",
            "请用 --document 或 --sha256（二选一）指定文件。",
        )


def _placement(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise InputError(
            "--placement must be a JSON object.", "--placement 必须是 JSON 对象。"
        ) from exc
    if not isinstance(value, dict):
        raise InputError(
            "--placement must be a JSON object.", "--placement 必须是 JSON 对象。"
        )
    return value


@approval_group.command("request")
@click.argument("seal")
@click.option(
    "--document",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The document to be stamped; kept encrypted for the approver.",
)
@click.option("--sha256", help="Or the document's SHA-256.")
@click.option("--category", required=True, help="Document category.")
@click.option("--title", default="", help="Title shown to the approver.")
@click.option("--placement", metavar="JSON", help="Where the seal will go.")
@click.option("--reason", default="", help="Why the seal is needed.")
@acting()
@json_option
@click.pass_context
def approval_request(
    ctx: click.Context,
    seal: str,
    document: Path | None,
    sha256: str | None,
    category: str,
    title: str,
    placement: str | None,
    reason: str,
    as_json: bool,
) -> None:
    """Ask to use SEAL on one document.

    With --document the document is kept (encrypted) so the approver can read
    it; with --sha256 only its hash is bound.
    """
    state: CliState = ctx.obj
    _one_document(document, sha256)
    where = _placement(placement)
    actor = authenticate(ctx, state)
    if document is not None:
        made = request_with_document(
            state.open(),
            actor,
            seal,
            document,
            category,
            title=title or document.name,
            placement=where,
            reason=reason,
        )
    else:
        assert sha256 is not None
        made = request_approval(
            state.open().db,
            actor,
            seal,
            sha256,
            category,
            title=title,
            placement=where,
            reason=reason,
        )
    _approval_rows(state, [made], as_json)


@approval_group.command("document")
@click.argument("approval_id")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the document (must not exist yet).",
)
@acting()
@click.pass_context
def approval_document_command(
    ctx: click.Context, approval_id: str, output: Path
) -> None:
    """Write the document kept for an approval (approvers, administrators and
    the requester); the viewing is logged."""
    state: CliState = ctx.obj
    _refuse_existing(output)
    actor = authenticate(ctx, state)
    with approval_document(state.open(), approval_id, actor=actor) as copy:
        if copy is None:
            raise InputError(
                f"Approval {approval_id} was requested by SHA-256 only; "
                "no document was kept.",
                f"用印审批 {approval_id} 仅以 SHA-256 申请，未保存文件。",
            )
        _write_new(copy, output)
    click.echo(output)


def _refuse_existing(output: Path) -> None:
    if output.exists():
        raise InputError(
            f"{output} already exists; choose another output file.",
            f"{output} 已存在，请另选输出文件。",
        )


def _write_new(copy: Path, output: Path) -> None:
    """Copy to a .part file, sync it, then link it in place: never overwrites."""
    part = output.with_name(f"{output.name}.{secrets.token_hex(4)}.part")
    try:
        with copy.open("rb") as src, part.open("xb") as dst:
            shutil.copyfileobj(src, dst)
            dst.flush()
            os.fsync(dst.fileno())
        os.link(part, output)
    except FileExistsError as exc:
        raise InputError(
            f"{output} already exists; choose another output file.",
            f"{output} 已存在，请另选输出文件。",
        ) from exc
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(
            f"Cannot write {output} ({reason}).", f"无法写入 {output}（{reason}）。"
        ) from exc
    finally:
        part.unlink(missing_ok=True)


@approval_group.command("list")
@click.option(
    "--status", type=click.Choice([s.value for s in ApprovalStatus]), help="Filter."
)
@click.option("--person", help="Only this requester.")
@click.option("--seal", help="Only this seal.")
@json_option
@click.pass_obj
def approval_list(
    state: CliState,
    status: str | None,
    person: str | None,
    seal: str | None,
    as_json: bool,
) -> None:
    """List approvals, newest first."""
    found = list_approvals(
        state.open().db,
        status=None if status is None else ApprovalStatus(status),
        requester=person,
        seal=seal,
    )
    _approval_rows(state, found, as_json)


@approval_group.command("approve")
@click.argument("approval_id")
@click.option("--comment", default="", help="Written to the usage log.")
@click.option(
    "--valid-hours",
    type=click.FloatRange(min=0, min_open=True),
    default=24.0,
    show_default=True,
    help="How long the approval can be used.",
)
@acting()
@json_option
@click.pass_context
def approval_approve(
    ctx: click.Context,
    approval_id: str,
    comment: str,
    valid_hours: float,
    as_json: bool,
) -> None:
    """Approve a request (approvers only, never your own)."""
    state: CliState = ctx.obj
    actor = authenticate(ctx, state)
    decided = approve(
        state.open().db,
        actor,
        approval_id,
        comment,
        valid_for=timedelta(hours=valid_hours),
    )
    _approval_rows(state, [decided], as_json)


@approval_group.command("reject")
@click.argument("approval_id")
@click.option("--comment", required=True, help="Why; written to the usage log.")
@acting()
@json_option
@click.pass_context
def approval_reject(
    ctx: click.Context, approval_id: str, comment: str, as_json: bool
) -> None:
    """Reject a request, saying why."""
    state: CliState = ctx.obj
    actor = authenticate(ctx, state)
    _approval_rows(
        state, [reject(state.open().db, actor, approval_id, comment)], as_json
    )
