"""``sealdesk token``: list tokens and the signing keys on them.

Modules come from ``--module`` (on the group or the command, repeatable), then
the ``SEALDESK_PKCS11_MODULES`` environment variable (paths joined with
``os.pathsep``), then the workspace setting ``pkcs11.modules``. A PIN is read
from standard input with ``--pin-stdin`` or asked at the terminal with hidden
input; it is never accepted in argv.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from app.cli.output import echo_json, echo_table
from hsm.errors import NoModuleConfiguredError, PinEntryCancelled
from hsm.keys import KeyAlgorithm, KeyInfo
from hsm.manager import TokenManager
from hsm.pin import PinRequest, PinWarning
from hsm.tokens import TokenInfo

__all__ = ["CliPinHandler", "read_pin", "resolve_modules", "token_group"]

MODULES_ENV = "SEALDESK_PKCS11_MODULES"
_META_KEY = "sealdesk.token.modules"

_module_option = click.option(
    "--module",
    "modules",
    multiple=True,
    metavar="PATH",
    help="PKCS#11 module to load (repeatable); overrides the configured ones.",
)
_json_option = click.option("--json", "as_json", is_flag=True, help="JSON output.")


@click.pass_context
def _group_callback(ctx: click.Context, modules: tuple[str, ...]) -> None:
    ctx.meta[_META_KEY] = modules


token_group = click.Group(
    "token",
    help="PKCS#11 tokens (USB keys and HSMs).",
    callback=_group_callback,
    params=[
        click.Option(
            ["--module", "modules"],
            multiple=True,
            metavar="PATH",
            help="PKCS#11 module to load (repeatable); overrides configuration.",
        )
    ],
)


def read_pin(pin_stdin: bool, prompt: str = "PIN") -> str:
    """One PIN: a line from standard input, or a hidden terminal prompt.

    :raises PinEntryCancelled: empty input, end of input or Ctrl-C.
    """
    if pin_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise PinEntryCancelled()
        return line
    try:
        pin = str(click.prompt(prompt, hide_input=True, default="", show_default=False))
    except click.Abort as exc:
        raise PinEntryCancelled() from exc
    if not pin:
        raise PinEntryCancelled()
    return pin


class CliPinHandler:
    """Asks for a token PIN at the terminal or on standard input."""

    def __init__(self, ctx: click.Context, pin_stdin: bool) -> None:
        self._ctx = ctx
        self._pin_stdin = pin_stdin

    def request_pin(self, request: PinRequest) -> str:
        label = request.token.label
        if request.warning is PinWarning.FINAL_TRY:
            click.echo(
                self._text(
                    f"Warning: one wrong PIN now locks token '{label}'.",
                    f"警告：再输错一次 PIN，令牌“{label}”将被锁定。",
                ),
                err=True,
            )
        elif request.warning is PinWarning.COUNT_LOW:
            click.echo(
                self._text(
                    f"Warning: few PIN attempts are left on token '{label}'.",
                    f"警告：令牌“{label}”剩余的 PIN 尝试次数不多。",
                ),
                err=True,
            )
        prompt = self._text(f"PIN for token '{label}'", f"令牌“{label}”的 PIN")
        return read_pin(self._pin_stdin, prompt)

    def _text(self, en: str, zh: str) -> str:
        text = getattr(self._ctx.obj, "text", None)
        return str(text(en, zh)) if callable(text) else en


def resolve_modules(ctx: click.Context, command_modules: Sequence[str]) -> list[str]:
    """Module paths in order of precedence (see module docs).

    :raises NoModuleConfiguredError: none given anywhere.
    """
    if command_modules:
        return list(command_modules)
    group_modules: Sequence[str] = ctx.meta.get(_META_KEY, ())
    if group_modules:
        return list(group_modules)
    from_env = _split(os.environ.get(MODULES_ENV))
    if from_env:
        return from_env
    setting = getattr(ctx.obj, "setting", None)
    if callable(setting):
        configured = _split(setting("pkcs11.modules"))
        if configured:
            return configured
    raise NoModuleConfiguredError()


def _split(value: str | None) -> list[str]:
    return [p for p in (value or "").split(os.pathsep) if p.strip()]


@token_group.command("list")
@_module_option
@_json_option
@click.pass_context
def list_tokens(ctx: click.Context, modules: tuple[str, ...], as_json: bool) -> None:
    """List tokens present in the loaded modules."""
    with TokenManager(resolve_modules(ctx, modules), poll_interval=None) as manager:
        tokens = manager.tokens()
    if as_json:
        echo_json([t.to_json() for t in tokens])
        return
    echo_table(
        ["LABEL", "SERIAL", "MANUFACTURER", "MODEL", "SLOT", "PIN", "MODULE"],
        [_token_row(t) for t in tokens],
    )


@token_group.command("keys")
@_module_option
@click.option("--token", "token_label", metavar="LABEL", help="Only this token.")
@click.option("--pin-stdin", is_flag=True, help="Read the PIN from standard input.")
@_json_option
@click.pass_context
def list_keys(
    ctx: click.Context,
    modules: tuple[str, ...],
    token_label: str | None,
    pin_stdin: bool,
    as_json: bool,
) -> None:
    """List signing keys and their certificates (needs the token PIN)."""
    handler = CliPinHandler(ctx, pin_stdin)
    keys: list[KeyInfo] = []
    with TokenManager(resolve_modules(ctx, modules), poll_interval=None) as manager:
        if token_label is not None:
            tokens = [manager.find_token(label=token_label)]
        else:
            tokens = manager.tokens()
        for token in tokens:
            with manager.session(token, handler) as batch:
                keys.extend(batch.keys())
    if as_json:
        echo_json([k.to_json() for k in keys])
        return
    echo_table(
        ["TOKEN", "LABEL", "ID", "ALGORITHM", "SUBJECT", "VALID UNTIL", "CHAIN"],
        [_key_row(k) for k in keys],
    )


def _token_row(token: TokenInfo) -> list[Any]:
    pin = ",".join(sorted(f.value for f in token.pin_flags)) or "OK"
    return [
        token.label,
        token.serial,
        token.manufacturer,
        token.model,
        token.slot_id,
        pin,
        token.module_path,
    ]


def _key_row(key: KeyInfo) -> list[Any]:
    data = key.to_json()
    if key.algorithm is KeyAlgorithm.EC:
        algorithm = f"EC {key.curve or key.size}"
    else:
        algorithm = f"{key.algorithm.value.upper()}-{key.size}"
    not_after = data["not_after"] or "-"
    return [
        key.token.label,
        key.label,
        data["id"],
        algorithm,
        data["subject"] or "-",
        not_after[:10],
        len(key.chain),
    ]
