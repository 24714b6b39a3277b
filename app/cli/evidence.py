"""``sealdesk sync`` and ``sealdesk evidence``: anchoring and checking evidence.

``sync`` runs the evidence sync worker once, or until nothing is in flight
(``--until-idle``). ``evidence status`` counts leaves by where they are,
``evidence proof`` writes one leaf's bundle, ``evidence verify`` checks a
bundle against a chain node, and ``evidence account`` keeps the chain account
whose key signs the anchors (read from standard input, never from argv).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from app.cli.context import CliState
from app.cli.output import echo_json, echo_pairs, plain
from app.errors import Cancelled, InputError, SealDeskError
from app.evidence.anchor import ChainError, import_account, new_account, stored_address
from app.evidence.sync import (
    SyncReport,
    SyncWorker,
    evidence_bundle,
    evidence_status,
    sync_settings,
)
from app.evidence.verify import EvidenceCheck, Outcome, verify_evidence

__all__ = ["BundleNotValid", "evidence_group", "sync_command"]


class BundleNotValid(SealDeskError):
    """An evidence bundle did not verify."""


def _json_flag(func: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(func)


@click.command("sync")
@click.option(
    "--until-idle",
    is_flag=True,
    help="Repeat until nothing is in flight, retrying an unreachable chain.",
)
@click.option("--flush", is_flag=True, help="Batch every waiting leaf now.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=600.0,
    show_default=True,
    help="With --until-idle: give up after this many seconds.",
)
@_json_flag
@click.pass_obj
def sync_command(
    state: CliState, until_idle: bool, flush: bool, timeout: float, as_json: bool
) -> None:
    """Anchor waiting evidence on the chain (存证上链)."""
    opened = state.open()
    worker = SyncWorker(opened.db, opened.info)

    def retrying(exc: ChainError, delay: float) -> None:
        click.echo(
            state.text(
                f"sealdesk: {exc.en} Retrying in {delay:.1f} s.",
                f"sealdesk: {exc.zh} {delay:.1f} 秒后重试。",
            ),
            err=True,
        )

    if until_idle:
        report = worker.run_until_idle(flush=flush, timeout=timeout, on_retry=retrying)
    else:
        report = worker.run_once(flush=flush)
    _print_report(state, report, as_json)


def _print_report(state: CliState, report: SyncReport, as_json: bool) -> None:
    if as_json:
        echo_json(report)
        return
    echo_pairs(
        [
            (state.text("Batches built", "新建批次"), report.built),
            (state.text("Transactions sent", "发送交易"), report.sent),
            (state.text("Sent again", "重新发送"), report.resent),
            (state.text("Anchored", "已上链"), report.mined),
            (state.text("Confirmed", "已确认"), report.confirmed),
            (state.text("Leaves waiting", "待批存证"), report.waiting),
            (state.text("Batches in flight", "在途批次"), report.in_flight),
        ]
    )


@click.group("evidence")
def evidence_group() -> None:
    """Evidence on the chain (区块链存证): status, proofs, the chain account."""


@evidence_group.command("status")
@_json_flag
@click.pass_obj
def evidence_status_command(state: CliState, as_json: bool) -> None:
    """Count pending, anchored and confirmed evidence; show the last error."""
    report = evidence_status(state.open().db)
    if as_json:
        echo_json(report)
        return
    echo_pairs(
        [
            (state.text("Pending", "待上链"), report.pending),
            (state.text("  not yet batched", "  未成批"), report.waiting),
            (state.text("Anchored", "已上链"), report.anchored),
            (state.text("Confirmed", "已确认"), report.confirmed),
            (state.text("Chain account", "存证链账户"), report.account or "-"),
            (state.text("Last anchor", "最近锚定"), report.last_anchor_tx or "-"),
            (state.text("Last success", "最近成功"), report.last_success_at or "-"),
            (state.text("Last error", "最近错误"), report.last_error or "-"),
            (state.text("Failures in a row", "连续失败"), report.failures),
            (state.text("Next attempt", "下次尝试"), report.next_attempt_at or "-"),
        ]
    )


@evidence_group.command("proof")
@click.argument("leaf", type=click.IntRange(min=1))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the bundle to this file instead of printing it.",
)
@click.pass_obj
def evidence_proof(state: CliState, leaf: int, output: Path | None) -> None:
    """Write the evidence bundle of one leaf: record, proof, transaction."""
    opened = state.open()
    bundle = evidence_bundle(opened.db, opened.info, leaf)
    text = json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    part = output.with_name(output.name + ".part")
    try:
        part.write_text(text, encoding="utf-8")
        os.replace(part, output)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise InputError(
            f"{output}: cannot write the bundle ({exc.strerror}).",
            f"{output}：无法写入存证包（{exc.strerror}）。",
        ) from exc


@evidence_group.command("verify")
@click.argument("bundle", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--rpc-url",
    metavar="URL",
    help="Chain node to ask (default: the workspace's chain.rpc_url).",
)
@click.option(
    "--confirmations",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Confirmations the anchor needs.",
)
@_json_flag
@click.pass_obj
def evidence_verify(
    state: CliState,
    bundle: Path,
    rpc_url: str | None,
    confirmations: int,
    as_json: bool,
) -> None:
    """Check an evidence bundle against the chain."""
    try:
        content = json.loads(bundle.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{bundle}: not a readable JSON file ({exc}).",
            f"{bundle}：不是可读取的 JSON 文件（{exc}）。",
        ) from exc
    url = rpc_url or sync_settings(state.open().db).rpc_url
    if not url:
        raise InputError(
            "Give --rpc-url, or set chain.rpc_url in the workspace.",
            "请提供 --rpc-url，或在工作区设置 chain.rpc_url。",
        )
    check = verify_evidence(content, url, min_confirmations=confirmations)
    _print_check(state, check, as_json)
    if check.outcome is not Outcome.VALID:
        reason = check.reason
        raise BundleNotValid(
            f"The evidence is {check.outcome.value.replace('_', ' ')}: "
            f"{reason.en if reason else ''}",
            f"存证{'无效' if check.outcome is Outcome.INVALID else '无法验证'}："
            f"{reason.zh if reason else ''}",
        )


def _print_check(state: CliState, check: EvidenceCheck, as_json: bool) -> None:
    if as_json:
        echo_json({**plain(check), "valid": check.valid})
        return
    for step in check.steps:
        mark = "ok " if step.ok else "NO "
        click.echo(f"{mark} {state.text(step.en, step.zh)}")
    if check.valid:
        click.echo(state.text("The evidence is valid.", "存证有效。"))


@evidence_group.group("account")
def account_group() -> None:
    """The chain account whose key signs anchors (kept sealed)."""


@account_group.command("show")
@click.pass_obj
def account_show(state: CliState) -> None:
    """Print the chain account's address."""
    address = stored_address(state.open().db)
    click.echo(address or state.text("No chain account.", "没有存证链账户。"))


@account_group.command("new")
@click.pass_obj
def account_new(state: CliState) -> None:
    """Make a fresh chain account; fund it on the chain before syncing."""
    opened = state.open()
    rpc_url = sync_settings(opened.db).rpc_url
    click.echo(new_account(opened.db, opened.info, rpc_url))


@account_group.command("import")
@click.option(
    "--key-stdin",
    is_flag=True,
    help="Read the private key (hex) from standard input (after any passphrase).",
)
@click.pass_obj
def account_import(state: CliState, key_stdin: bool) -> None:
    """Seal an existing private key as the workspace's chain account."""
    opened = state.open()
    if key_stdin:
        key = state.stdin_line("chain account private key", "存证链账户私钥")
    else:
        try:
            key = str(click.prompt(state.text("Private key", "私钥"), hide_input=True))
        except click.Abort as exc:
            raise Cancelled from exc
    rpc_url = sync_settings(opened.db).rpc_url
    click.echo(import_account(opened.db, opened.info, key, rpc_url))
