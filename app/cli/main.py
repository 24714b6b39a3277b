"""The ``sealdesk`` command group and the workspace commands.

Commands are thin: they gather options, call one service, print the result.
Errors travel up to :mod:`app.cli.boundary`.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import click

from app.cli.admin_init import admin_options, init_with_administrator
from app.cli.context import CliPrompt, CliState
from app.cli.output import echo_json, echo_pairs, echo_table
from app.i18n import LANGUAGES
from app.settings import SETTINGS, check_setting, known_setting
from app.workspace import (
    recover_workspace,
    workspace_status,
)
from storage.settings import all_settings, get_setting, set_setting, unset_setting

__all__ = ["cli"]

# Command groups load on first use, so that a command imports pyHanko, web3
# or the token layer only when it needs them.
_LAZY_COMMANDS = {
    "approval": "app.cli.admin_grants:approval_group",
    "archive": "app.cli.archive:archive_group",
    "evidence": "app.cli.evidence:evidence_group",
    "grant": "app.cli.admin_grants:grant_group",
    "log": "app.cli.log:log_group",
    "person": "app.cli.admin_people:person_group",
    "seal": "app.cli.admin_seals:seal_group",
    "stamp": "app.cli.stamp:stamp_command",
    "sync": "app.cli.evidence:sync_command",
    "token": "app.cli.token:token_group",
    "verify": "app.cli.verify:verify_command",
    "verify-package": "app.cli.package:verify_package_command",
}


class LazyGroup(click.Group):
    """A group whose subcommands named in ``lazy`` are imported when used."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self._lazy:
            module, attr = self._lazy[name].split(":")
            command = getattr(importlib.import_module(module), attr)
            self.add_command(command, name)
        return super().get_command(ctx, name)


def _version() -> str:
    try:
        return version("sealdesk")
    except PackageNotFoundError:
        return "0+unknown"


def _set_flag(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if value:
        setattr(ctx.ensure_object(CliState), str(param.name), True)


def passphrase_stdin(func: Any) -> Any:
    return click.option(
        "--passphrase-stdin",
        is_flag=True,
        expose_value=False,
        callback=_set_flag,
        help="Read the workspace passphrase from the first line of standard input.",
    )(func)


def json_flag(func: Any) -> Any:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON for scripts."
    )(func)


@click.group(
    cls=LazyGroup,
    lazy=_LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--workspace",
    "workspace",
    metavar="DIR",
    envvar=None,
    help="Workspace folder (default: $SEALDESK_HOME or the user data folder).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and debug logs.")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of messages.")
@passphrase_stdin
@click.version_option(_version(), "--version", prog_name="sealdesk")
@click.pass_context
def cli(
    ctx: click.Context, workspace: str | None, verbose: bool, lang: str | None
) -> None:
    """SealDesk 电子印章桌面端: electronic seals for official documents."""
    state = ctx.ensure_object(CliState)
    state.workspace_arg = workspace
    state.verbose = state.verbose or verbose
    if lang:
        state.lang = lang


@cli.command()
@click.option(
    "--custody",
    type=click.Choice(["auto", "keyring", "passphrase"]),
    default="auto",
    show_default=True,
    help="Keep the database key in the OS keyring or behind a passphrase.",
)
@click.option(
    "--demo",
    is_flag=True,
    help="Also create demo tokens, people, seals and grants (see README).",
)
@passphrase_stdin
@admin_options
@json_flag
@click.pass_obj
def init(state: CliState, custody: str, demo: bool, as_json: bool) -> None:
    """Create a workspace with an encrypted database."""
    if demo:
        from app.cli.demo import init_demo

        init_demo(state, custody, as_json)
        return
    result = init_with_administrator(state, custody)
    state.attach_log(result.workspace)
    if as_json:
        echo_json(result)
        return
    echo_pairs(
        [
            (state.text("Workspace", "工作区"), result.workspace),
            (
                state.text("Key custody", "密钥保管"),
                result.keyring or state.text("passphrase", "口令"),
            ),
            (state.text("Schema version", "结构版本"), result.schema_version),
        ]
    )
    click.echo()
    click.echo(
        state.text(
            "Recovery key - write it down and keep it safe; it is shown only once:",
            "恢复密钥——请抄写并妥善保管，它只显示这一次：",
        )
    )
    click.echo(f"  {result.recovery_key}")


@cli.command()
@passphrase_stdin
@json_flag
@click.pass_obj
def status(state: CliState, as_json: bool) -> None:
    """Show the workspace, its schema version, key custody and counts."""
    report = workspace_status(state.open())
    if as_json:
        echo_json({**vars(report), "version": _version()})
        return
    echo_pairs(
        [
            ("SealDesk", _version()),
            (state.text("Workspace", "工作区"), report.workspace),
            (state.text("Workspace id", "工作区标识"), report.workspace_id),
            (state.text("Created", "创建时间"), report.created),
            (state.text("Key custody", "密钥保管"), report.custody.value),
            (state.text("Schema version", "结构版本"), report.schema_version),
            (state.text("Database size", "数据库大小"), f"{report.database_bytes} B"),
            *((f"  {name}", count) for name, count in report.counts.items()),
        ]
    )


@cli.command()
@click.option(
    "--recovery-key-stdin",
    is_flag=True,
    expose_value=False,
    callback=_set_flag,
    help="Read the recovery key from standard input.",
)
@passphrase_stdin
@click.pass_obj
def recover(state: CliState) -> None:
    """Reopen the workspace with its recovery key and store the key again."""
    result = recover_workspace(state.root, CliPrompt(state))
    state.attach_log(result.workspace)
    click.echo(state.text("The workspace is unlocked again.", "工作区已恢复。"))
    if result.new_recovery_key:
        click.echo(
            state.text(
                "New recovery key - the old one no longer works; shown only once:",
                "新的恢复密钥——旧的已失效；只显示这一次：",
            )
        )
        click.echo(f"  {result.new_recovery_key}")


@cli.group()
def config() -> None:
    """Read and change workspace settings."""


@config.command("get")
@click.argument("key")
@passphrase_stdin
@click.pass_obj
def config_get(state: CliState, key: str) -> None:
    """Print one setting (empty when unset)."""
    known_setting(key)
    value = get_setting(state.open().db, key)
    click.echo("" if value is None else value)


@config.command("set")
@click.argument("key")
@click.argument("value")
@passphrase_stdin
@click.pass_obj
def config_set(state: CliState, key: str, value: str) -> None:
    """Change one setting."""
    set_setting(state.open().db, key, check_setting(key, value))


@config.command("unset")
@click.argument("key")
@passphrase_stdin
@click.pass_obj
def config_unset(state: CliState, key: str) -> None:
    """Remove one setting."""
    known_setting(key)
    unset_setting(state.open().db, key)


@config.command("list")
@passphrase_stdin
@json_flag
@click.pass_obj
def config_list(state: CliState, as_json: bool) -> None:
    """Show every known setting with its value."""
    values = all_settings(state.open().db)
    if as_json:
        echo_json({key: values.get(key) for key in SETTINGS})
        return
    rows = [
        (key, values.get(key, "-"), state.text(s.en, s.zh))
        for key, s in SETTINGS.items()
    ]
    echo_table(
        [
            state.text("Setting", "设置项"),
            state.text("Value", "取值"),
            state.text("Meaning", "含义"),
        ],
        rows,
    )
