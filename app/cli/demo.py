"""``sealdesk init --demo``: build and describe the demo workspace."""

from __future__ import annotations

import click

from app.cli.admin_init import RememberingPrompt
from app.cli.context import CliPrompt, CliState
from app.cli.output import echo_json, echo_pairs, echo_table
from app.demo.workspace import build_demo_workspace

__all__ = ["init_demo"]


def init_demo(state: CliState, custody: str, as_json: bool) -> None:
    report = build_demo_workspace(
        state.root, custody, RememberingPrompt(CliPrompt(state))
    )
    state.attach_log(report.workspace)
    if as_json:
        echo_json(report)
        return
    echo_pairs(
        [
            (state.text("Workspace", "工作区"), report.workspace),
            (state.text("Organisation", "单位"), report.organisation),
            (state.text("PKCS#11 module", "PKCS#11 模块"), report.module_path),
            (
                state.text("SoftHSM2 configuration", "SoftHSM2 配置"),
                report.softhsm2_conf,
            ),
            (state.text("Trusted root", "信任根证书"), report.root_certificate),
        ]
    )
    click.echo()
    echo_table(
        [
            state.text("Person", "人员"),
            state.text("Roles", "角色"),
            state.text("Password", "密码"),
            state.text("Token", "令牌"),
            "PIN",
        ],
        [
            (
                p.name,
                ",".join(p.roles),
                p.password,
                p.token_label or "-",
                p.token_pin or "-",
            )
            for p in report.people
        ],
    )
    click.echo()
    echo_table(
        [
            state.text("Seal", "印章"),
            state.text("Token", "令牌"),
            state.text("Needs approval", "需审批"),
        ],
        [
            (s.name, s.token_label, "yes" if s.approval_required else "no")
            for s in report.seals
        ],
    )
    click.echo()
    click.echo(
        state.text(
            "Recovery key - write it down and keep it safe; it is shown only once:",
            "恢复密钥——请抄写并妥善保管，它只显示这一次：",
        )
    )
    click.echo(f"  {report.init.recovery_key}")
