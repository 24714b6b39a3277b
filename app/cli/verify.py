"""``sealdesk verify``: check the seals of a PDF (验章) and print the verdict.

Exit codes: 0 when every seal is valid, 1 when a seal is invalid (tampered,
modified after sealing, revoked), 2 when the verdict is indeterminate
(untrusted root, unknown revocation, no seal) or the file cannot be verified.

Trust roots come from ``--trust``; without it, from the workspace setting
``trust.roots`` and the demo workspace's root, when these exist. CRL files
from ``trust.crls`` (and the demo CAs' CRLs) answer for revocation on a desk
that cannot fetch it; see :mod:`app.verification.desk`.

When the workspace exists (and ``--no-workspace`` is not given) it is opened,
and the report also names the workspace's seal behind each signature and,
for a document stamped here, where its evidence stands (from the evidence
tables; ``--chain`` also checks it against the ``chain.rpc_url`` node).
Revocation data fetched online is kept in the workspace and reused; see
:mod:`app.verification.revocation_cache`.

``--report OUT.pdf`` also writes the verification report (验章报告) as a
bilingual PDF, whatever the verdict; the exit code stays the verdict's. An
existing ``OUT.pdf`` or a folder that cannot take it is refused before the
file is verified.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from app.cli.context import CliState
from app.cli.output import echo_pairs
from app.errors import InputError
from app.verification import (
    SignatureReport,
    TrustRootError,
    VerificationReport,
)
from app.verification.desk import desk_trust, verify_at_desk
from app.verification.report_pdf import write_report_pdf
from app.verification.result import EvidenceInfo
from app.workspace import OpenWorkspace
from storage.workspace import Workspace

__all__ = ["verify_command"]


class _TrustUsageError(click.UsageError):
    """A trust root that cannot be read; exits 2 like any usage error."""


class _VerdictExit(click.ClickException):
    """Ends the command with the verdict's exit code, the report being printed.

    The CLI boundary runs click without standalone mode, where ``ctx.exit``
    codes are lost; a click exception carries its code through.
    """

    def __init__(self) -> None:
        super().__init__("")

    def show(self, file: object = None) -> None:
        """Nothing more to say: the report was printed."""


class _Invalid(_VerdictExit):
    exit_code = 1


class _NotValid(_VerdictExit):
    exit_code = 2


@click.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--trust",
    "trust",
    multiple=True,
    metavar="CERT",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Trusted CA certificate (PEM or DER); may be repeated.",
)
@click.option(
    "--offline", is_flag=True, help="Do not fetch revocation data (OCSP, CRL)."
)
@click.option(
    "--chain",
    is_flag=True,
    help="Also check the document's evidence against the chain (chain.rpc_url).",
)
@click.option(
    "--no-workspace",
    is_flag=True,
    help="Do not open the workspace: no seal names, evidence or revocation cache.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--report",
    "report_pdf",
    metavar="OUT.pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the verification report (验章报告) as a PDF; never overwrites.",
)
@click.pass_context
def verify_command(
    ctx: click.Context,
    file: Path,
    trust: tuple[Path, ...],
    offline: bool,
    chain: bool,
    no_workspace: bool,
    as_json: bool,
    report_pdf: Path | None,
) -> None:
    """Verify the seals of a PDF (验章). Exit 0 valid, 1 invalid, 2 otherwise."""
    state = ctx.ensure_object(CliState)
    if report_pdf is not None:
        _check_report_target(report_pdf)
    opened = _workspace(state, no_workspace)
    try:
        loaded = desk_trust(state.root, opened, trust)
    except TrustRootError as exc:
        raise _TrustUsageError(state.text(exc.en, exc.zh)) from exc
    report = verify_at_desk(file, opened, online=not offline, chain=chain, trust=loaded)
    if as_json:
        click.echo(report.to_json())
    else:
        _print(state, report)
    if report_pdf is not None:
        write_report_pdf(report, file, report_pdf)
        written = state.text(
            f"Report written to {report_pdf}", f"验章报告已写入 {report_pdf}"
        )
        click.echo(written, err=as_json)
    if report.exit_code == 1:
        raise _Invalid
    if report.exit_code:
        raise _NotValid


def _check_report_target(out: Path) -> None:
    """Refuse an existing report file or a missing folder before verifying."""
    if out.exists():
        raise InputError(
            f"{out}: the file already exists; the report is not written over it.",
            f"{out}：文件已存在，验章报告不会覆盖它。",
        )
    folder = out.parent
    if not folder.is_dir():
        raise InputError(
            f"{out}: the folder {folder} does not exist.",
            f"{out}：文件夹 {folder} 不存在。",
        )
    if not os.access(folder, os.W_OK):
        raise InputError(
            f"{out}: the folder {folder} is not writable.",
            f"{out}：文件夹 {folder} 不可写入。",
        )


def _workspace(state: CliState, no_workspace: bool) -> OpenWorkspace | None:
    """The workspace, opened when it exists and is wanted."""
    if no_workspace or not Workspace(state.root).exists():
        return None
    return state.open()


def _print(state: CliState, report: VerificationReport) -> None:
    t = state.text
    echo_pairs(
        [
            (t("File", "文件"), report.file),
            ("SHA-256", report.sha256 or "-"),
            (t("Verdict", "结论"), _verdict(state, report.verdict.value)),
        ]
    )
    for reason in report.reasons:
        click.echo(f"  {reason.text(state.lang)}")
    if report.evidence is not None:
        click.echo()
        _print_evidence(state, report.evidence)
    for sig in report.signatures:
        click.echo()
        _print_signature(state, sig)


def _print_evidence(state: CliState, evidence: EvidenceInfo) -> None:
    t = state.text
    pairs: list[tuple[str, object]] = [
        (
            t("Evidence", "存证"),
            t("anchored", "已上链")
            if evidence.anchored
            else t("not anchored", "尚未上链"),
        ),
        (t("Evidence state", "存证状态"), evidence.state),
    ]
    if evidence.batch_root is not None:
        pairs.append((t("Batch root", "批次根"), evidence.batch_root))
    if evidence.tx_hash is not None:
        pairs.append((t("Transaction", "交易哈希"), evidence.tx_hash))
    if evidence.anchored:
        pairs += [
            (t("Block", "区块"), evidence.block_number),
            (t("Anchored at", "上链时间"), evidence.anchored_at or "-"),
            (t("Confirmations", "确认数"), evidence.confirmations),
        ]
    check = evidence.chain_check
    if check is not None:
        outcome = check.outcome
        if check.reason is not None:
            outcome += f" ({check.reason.text(state.lang)})"
        pairs.append((t("Chain check", "链上核验"), outcome))
    echo_pairs(pairs)
    click.echo(f"  {evidence.note.text(state.lang)}")


def _print_signature(state: CliState, sig: SignatureReport) -> None:
    t = state.text
    signer = sig.signer
    time = sig.signing_time
    pairs: list[tuple[str, object]] = [
        (t("Signature", "签名"), sig.field),
        (t("Verdict", "结论"), _verdict(state, sig.verdict.value)),
    ]
    if sig.seal is not None:
        seal = sig.seal
        pairs.append(
            (
                t("Seal", "印章"),
                t(
                    f"{seal.name} ({seal.type_en}, {seal.type_zh})",
                    f"{seal.name}（{seal.type_zh}）",
                ),
            )
        )
    if signer is not None:
        pairs += [
            (t("Signer", "签章人"), signer.name),
            (t("Organisation", "单位"), signer.organisation or "-"),
            (t("Certificate serial", "证书序列号"), signer.serial),
            (t("Issuer", "颁发者"), signer.issuer),
            (
                t("Signing time", "签章时间"),
                f"{time.time.isoformat() if time.time else '-'} ({time.source.value})",
            ),
            (
                t("Integrity", "完整性"),
                t("intact", "完好") if sig.intact else t("broken", "已破坏"),
            ),
            (
                t("Coverage", "覆盖范围"),
                sig.coverage.value
                if sig.revision == sig.revisions
                else f"{sig.coverage.value} {sig.revision}/{sig.revisions}",
            ),
            (
                t("Changes after signing", "签章后修改"),
                "; ".join(f"{c.kind.value}: {c.detail}" for c in sig.changes) or "-",
            ),
            (t("Trust", "信任"), sig.trust.value),
            (t("Revocation", "吊销状态"), sig.revocation_text.text(state.lang)),
        ]
    echo_pairs(pairs)
    for reason in sig.reasons:
        click.echo(f"  {reason.text(state.lang)}")


def _verdict(state: CliState, value: str) -> str:
    zh = {
        "valid": "有效",
        "invalid": "无效",
        "indeterminate": "无法确定",
        "cannot verify": "无法验证",
    }
    return state.text(value, f"{zh[value]} ({value})")
