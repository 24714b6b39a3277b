"""``sealdesk stamp``: the officer stamps one or more PDFs with a seal.

One placement applies to every document: coordinates (``--page --x --y``, mm
from the top-left of the shown page), a keyword (``--keyword``) or a riding
seal (``--riding``). ``--as`` logs the officer in (see
:mod:`app.cli.admin_common`). Secrets on standard input come one line each:
the workspace passphrase, the officer's password (or login PIN), then, for a
USB-key seal with ``--pin-stdin``, the seal's PIN. An HSM seal's PIN comes
from key custody and is never shown. Several documents are listed and
confirmed first (``--yes`` skips that). Progress goes to standard error, the
per-document report to standard output; the exit code is 0 only when every
document was stamped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from app.admin.approvals import get_approval
from app.admin.roles import Actor
from app.cli.admin_common import acting, authenticate
from app.cli.context import CliState
from app.cli.token import CliPinHandler, resolve_modules
from app.errors import Cancelled, InputError
from app.stamping.batch import stamp_documents
from app.stamping.placement import (
    CoordinatePlacement,
    KeywordPlacement,
    Occurrence,
    Placement,
    RidingPages,
    RidingPlacement,
)
from app.stamping.service import (
    BatchReport,
    DocumentReport,
    Outcome,
    StampJob,
    outputs_for,
    recover_pending,
    stamping_lock,
)
from hsm.errors import PinEntryCancelled
from hsm.manager import TokenManager

__all__ = ["stamp_command"]

_ACTING_META = "sealdesk.acting"  # where acting() keeps its options
_WORDS = {
    Outcome.STAMPED: ("stamped", "已盖章"),
    Outcome.REFUSED: ("refused", "已拒绝"),
    Outcome.FAILED: ("failed", "失败"),
    Outcome.NOT_ATTEMPTED: ("not attempted", "未处理"),
}


class _NotAllStamped(click.ClickException):
    """Exit 1 after the report; the boundary runs click without standalone
    mode, where ``ctx.exit`` codes are lost, so a click exception carries it.
    """

    exit_code = 1

    def __init__(self) -> None:
        super().__init__("")

    def show(self, file: object = None) -> None:
        """The report was printed already."""


def _passphrase_flag(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if value:
        ctx.ensure_object(CliState).passphrase_stdin = True


@click.command("stamp")
@click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
)
@click.option(
    "-o",
    "--output",
    "target",
    required=True,
    type=click.Path(path_type=Path),
    help="Output file, or folder (required for several documents).",
)
@click.option("--seal", required=True, metavar="NAME", help="The seal to apply.")
@acting()
@click.option("--category", metavar="C", help="Document category (e.g. 合同).")
@click.option("--approval", "approval_id", metavar="ID", help="Approval to use.")
@click.option("--page", type=int, help="Page (1-based; -1 is the last page).")
@click.option("--x", "x_mm", type=float, help="Seal centre, mm from the left.")
@click.option("--y", "y_mm", type=float, help="Seal centre, mm from the top.")
@click.option("--keyword", metavar="TEXT", help="Centre the seal on this text.")
@click.option(
    "--occurrence", default="first", help="Keyword hit: first, last, all or K."
)
@click.option("--riding", is_flag=True, help="Riding seal (骑缝章) on the edges.")
@click.option("--pages", "riding_pages", default="all", help="all|odd|even|from:N")
@click.option("--at", "at_mm", type=float, help="Riding seal centre, mm from top.")
@click.option("--tsa", "tsa_url", metavar="URL", help="Time-stamp authority (B-T).")
@click.option(
    "--level",
    type=click.Choice(["B-B", "B-T", "B-LT"]),
    help="PAdES level; default B-T with a TSA (--tsa or tsa.url), else B-B. "
    "B-LT embeds the certificates and revocation data.",
)
@click.option("--reason", help="Reason written into the signature.")
@click.option("--location", help="Location written into the signature.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--passphrase-stdin",
    is_flag=True,
    expose_value=False,
    callback=_passphrase_flag,
    help="Read the workspace passphrase from the first line of standard input.",
)
@click.pass_context
def stamp_command(
    ctx: click.Context,
    inputs: tuple[Path, ...],
    target: Path,
    seal: str,
    category: str | None,
    approval_id: str | None,
    page: int | None,
    x_mm: float | None,
    y_mm: float | None,
    keyword: str | None,
    occurrence: str,
    riding: bool,
    riding_pages: str,
    at_mm: float | None,
    tsa_url: str | None,
    level: str | None,
    reason: str | None,
    location: str | None,
    yes: bool,
) -> None:
    """Stamp PDF documents with a seal (盖章)."""
    state: CliState = ctx.ensure_object(CliState)
    placement = _placement(page, x_mm, y_mm, keyword, occurrence, riding)
    if isinstance(placement, RidingPlacement):
        placement = _riding(riding_pages, at_mm)
    outputs = outputs_for(inputs, target)
    actor = authenticate(ctx, state)
    opened = state.open()
    tsa = None if level == "B-B" else tsa_url or state.setting("tsa.url")
    if level in ("B-T", "B-LT") and not tsa:
        raise click.UsageError(
            state.text(
                f"PAdES {level} needs a time-stamp authority: give --tsa URL or "
                "set tsa.url.",
                f"PAdES {level} 需要时间戳服务：请使用 --tsa URL 或设置 tsa.url。",
            )
        )
    job = StampJob(
        inputs=inputs,
        outputs=outputs,
        seal=seal,
        placement=placement,
        category=_category(state, category, approval_id),
        approval_id=approval_id,
        reason=reason,
        location=location,
        tsa_url=tsa,
        long_term=level == "B-LT",
    )
    if not yes:
        _confirm(state, actor, job)
    _say_recovered(state)
    pin_stdin = bool(ctx.meta.get(_ACTING_META, {}).get("pin_stdin"))
    total = len(inputs)

    def progress(index: int, report: DocumentReport) -> None:
        word = state.text(*_WORDS[report.outcome])
        click.echo(f"[{index + 1}/{total}] {word}: {report.input}", err=True)

    with TokenManager(resolve_modules(ctx, ()), poll_interval=None) as tokens:
        try:
            report = stamp_documents(
                opened, actor, job, tokens, CliPinHandler(ctx, pin_stdin), progress
            )
        except PinEntryCancelled as exc:
            raise Cancelled from exc
    _print_report(state, report)
    if not report.all_stamped:
        raise _NotAllStamped()


def _placement(
    page: int | None,
    x_mm: float | None,
    y_mm: float | None,
    keyword: str | None,
    occurrence: str,
    riding: bool,
) -> Placement:
    coordinates = page is not None or x_mm is not None or y_mm is not None
    if sum((coordinates, keyword is not None, riding)) != 1:
        raise InputError(
            "Give one placement: --page/--x/--y, --keyword or --riding.",
            "请指定一种盖章位置：--page/--x/--y、--keyword 或 --riding。",
        )
    if riding:
        return RidingPlacement()
    if keyword is not None:
        return KeywordPlacement(keyword, _occurrence(occurrence))
    if page is None or x_mm is None or y_mm is None:
        raise InputError(
            "A position needs all of --page, --x and --y.",
            "按坐标盖章需要同时指定 --page、--x 和 --y。",
        )
    return CoordinatePlacement(page, x_mm, y_mm)


def _occurrence(text: str) -> Occurrence | int:
    try:
        return Occurrence(text)
    except ValueError:
        pass
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise InputError(
        f"--occurrence must be first, last, all or a number, not '{text}'.",
        f"--occurrence 应为 first、last、all 或序号，而不是“{text}”。",
    )


def _riding(pages: str, at_mm: float | None) -> RidingPlacement:
    if pages.startswith("from:") and pages[5:].isdigit() and int(pages[5:]) > 0:
        return RidingPlacement(RidingPages.ALL, int(pages[5:]), at_mm)
    try:
        return RidingPlacement(RidingPages(pages), 1, at_mm)
    except ValueError:
        raise InputError(
            f"--pages must be all, odd, even or from:N, not '{pages}'.",
            f"--pages 应为 all、odd、even 或 from:N，而不是“{pages}”。",
        ) from None


def _category(state: CliState, category: str | None, approval_id: str | None) -> str:
    if category is not None:
        return category
    if approval_id is not None:
        return get_approval(state.open().db, approval_id).category
    raise InputError(
        "Name the document category with --category.",
        "请用 --category 指定文件类别。",
    )


def _confirm(state: CliState, actor: Actor, job: StampJob) -> None:
    click.echo(
        state.text(
            f"{actor.name} is about to stamp {len(job.inputs)} document(s) with "
            f"the seal {job.seal} ({job.level.value}):",
            f"{actor.name} 将用印章“{job.seal}”对 {len(job.inputs)} 个文件盖章"
            f"（{job.level.value}）：",
        ),
        err=True,
    )
    for source, output in zip(job.inputs, job.outputs, strict=True):
        click.echo(f"  {source} -> {output}", err=True)
    try:
        go = click.confirm(state.text("Go ahead?", "确认盖章？"), err=True)
    except click.Abort as exc:
        raise Cancelled from exc
    if not go:
        raise Cancelled


def _say_recovered(state: CliState) -> None:
    opened = state.open()
    with stamping_lock(opened):
        recovered = recover_pending(opened)
    for path in recovered.published:
        click.echo(
            state.text(
                f"finished an interrupted stamping: {path}",
                f"已完成一次中断的盖章：{path}",
            ),
            err=True,
        )
    for path in recovered.removed:
        click.echo(
            state.text(
                f"removed an unrecorded partial output: {path}",
                f"已删除未记录的未完成输出：{path}",
            ),
            err=True,
        )


def _print_report(state: CliState, report: BatchReport) -> None:
    for doc in report.documents:
        word = state.text(*_WORDS[doc.outcome])
        if doc.outcome is Outcome.STAMPED:
            click.echo(f"{word}: {doc.input} -> {doc.output}")
        elif doc.outcome is Outcome.NOT_ATTEMPTED:
            click.echo(f"{word}: {doc.input}")
        else:
            click.echo(f"{word}: {doc.input}: {state.text(doc.en, doc.zh)}")
    if report.stopped_en is not None:
        stopped = state.text(report.stopped_en, report.stopped_zh or report.stopped_en)
        click.echo(
            state.text(
                f"sealdesk: the batch stopped: {stopped}",
                f"sealdesk：批量盖章已停止：{stopped}",
            ),
            err=True,
        )
    click.echo(
        state.text(
            f"{report.count(Outcome.STAMPED)} of {len(report.documents)} "
            "document(s) stamped.",
            f"共 {len(report.documents)} 个文件，已盖章 "
            f"{report.count(Outcome.STAMPED)} 个。",
        ),
        err=True,
    )
