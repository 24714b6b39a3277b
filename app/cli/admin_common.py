"""What the administration commands share: the acting person and new secrets.

``--as NAME`` names the acting person. They log in by token (``--token
LABEL``, PIN at the prompt or with ``--pin-stdin``) or by password (at the
prompt or with ``--password-stdin``). Secrets on standard input come one line
each, in this order: the workspace passphrase (with ``--passphrase-stdin``),
the acting person's password or PIN, then any new password the command sets.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from app.admin.auth import TokenChallengeSigner, login_password, login_token
from app.admin.roles import Actor
from app.cli.context import CliState
from app.cli.token import CliPinHandler, resolve_modules
from app.errors import Cancelled, InputError
from hsm.errors import PinEntryCancelled
from hsm.manager import TokenManager

__all__ = [
    "acting",
    "acting_name",
    "authenticate",
    "json_option",
    "new_password",
    "read_password",
    "remember_option",
]

F = TypeVar("F", bound=Callable[..., Any])
_META = "sealdesk.acting"

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def remember_option(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    ctx.meta.setdefault(_META, {})[str(param.name)] = value


def acting(*, required: bool = True) -> Callable[[F], F]:
    """Add the options that name and authenticate the acting person."""

    def decorate(func: F) -> F:
        options: list[tuple[tuple[str, ...], dict[str, Any]]] = [
            (
                ("--as", "acting_as"),
                {
                    "metavar": "NAME",
                    "required": required,
                    "help": "The person doing this; they log in first.",
                },
            ),
            (
                ("--password-stdin",),
                {
                    "is_flag": True,
                    "help": "Read passwords from standard input, one line each.",
                },
            ),
            (
                ("--token", "login_token"),
                {
                    "metavar": "LABEL",
                    "help": "Log in with the token of this label, not a password.",
                },
            ),
            (
                ("--pin-stdin",),
                {"is_flag": True, "help": "Read the token PIN from standard input."},
            ),
            (
                ("--module", "login_modules"),
                {
                    "multiple": True,
                    "metavar": "PATH",
                    "help": "PKCS#11 module of the login token (repeatable).",
                },
            ),
        ]
        for decls, extra in reversed(options):
            func = click.option(
                *decls, expose_value=False, callback=remember_option, **extra
            )(func)
        return func

    return decorate


def _given(ctx: click.Context) -> dict[str, Any]:
    given: dict[str, Any] = ctx.meta.get(_META, {})
    return given


def acting_name(ctx: click.Context) -> str | None:
    name = _given(ctx).get("acting_as")
    return None if name is None else str(name)


def authenticate(ctx: click.Context, state: CliState) -> Actor:
    """Open the workspace, then log the ``--as`` person in."""
    given = _given(ctx)
    name = given.get("acting_as")
    if not name:
        raise InputError(
            "Name the acting person with --as NAME.", "请用 --as 指定操作人。"
        )
    db = state.open().db
    label = given.get("login_token")
    if label:
        modules = resolve_modules(ctx, given.get("login_modules") or ())
        handler = CliPinHandler(ctx, bool(given.get("pin_stdin")))
        with TokenManager(modules, poll_interval=None) as manager:
            token = manager.find_token(label=str(label))
            signer = TokenChallengeSigner(manager, token, handler)
            try:
                return login_token(db, str(name), signer)
            except PinEntryCancelled as exc:
                raise Cancelled from exc
    password = read_password(ctx, state, f"Password for {name}", f"{name} 的密码")
    return login_password(db, str(name), password)


def read_password(ctx: click.Context, state: CliState, en: str, zh: str) -> str:
    """An existing password: a stdin line or a hidden prompt."""
    if _given(ctx).get("password_stdin"):
        return state.stdin_line("password", "密码")
    return _prompt(state, state.text(en, zh), confirm=False)


def new_password(ctx: click.Context, state: CliState, en: str, zh: str) -> str:
    """A password being set: a stdin line, or typed twice at a hidden prompt."""
    if _given(ctx).get("password_stdin"):
        return state.stdin_line("new password", "新密码")
    return _prompt(state, state.text(en, zh), confirm=True)


def _prompt(state: CliState, label: str, *, confirm: bool) -> str:
    if not sys.stdin.isatty():
        raise InputError(
            "A password is needed but standard input is not a terminal; "
            "pass it with --password-stdin.",
            "需要输入密码，但标准输入不是终端；请使用 --password-stdin。",
        )
    try:
        return str(click.prompt(label, hide_input=True, confirmation_prompt=confirm))
    except click.Abort as exc:
        raise Cancelled from exc
