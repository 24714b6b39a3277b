"""``sealdesk init --admin NAME``: create the workspace and its first administrator.

The secrets come in the usual order: the workspace passphrase first (asked
once, for passphrase custody), then the administrator's new password. Both
are read before the database is made, so a missing line leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from app.admin.passwords import check_new_password
from app.admin.people import add_first_administrator
from app.cli.admin_common import new_password, remember_option
from app.cli.context import CliPrompt, CliState
from app.workspace import InitResult, choose_custody, init_workspace, open_workspace
from storage.workspace import Custody

__all__ = ["RememberingPrompt", "admin_options", "init_with_administrator"]

F = TypeVar("F", bound=Callable[..., Any])
_META = "sealdesk.init"


def _keep(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    ctx.meta.setdefault(_META, {})[str(param.name)] = value


def admin_options(func: F) -> F:
    """The ``init`` options naming the first administrator."""
    func = click.option(
        "--password-stdin",
        is_flag=True,
        expose_value=False,
        callback=remember_option,
        help="Read the administrator's password from standard input.",
    )(func)
    func = click.option(
        "--admin-department",
        default="",
        expose_value=False,
        callback=_keep,
        help="Department of the first administrator.",
    )(func)
    return click.option(
        "--admin",
        metavar="NAME",
        expose_value=False,
        callback=_keep,
        help="Create the first administrator with this name.",
    )(func)


class RememberingPrompt:
    """Asks for the new passphrase once and gives it again when reopening."""

    def __init__(self, inner: CliPrompt) -> None:
        self._inner = inner
        self._passphrase: str | None = None

    def passphrase(self, workspace: Path, *, new: bool) -> str:
        if self._passphrase is None:
            self._passphrase = self._inner.passphrase(workspace, new=new)
        return self._passphrase

    def recovery_key(self, workspace: Path) -> str:
        return self._inner.recovery_key(workspace)


def init_with_administrator(state: CliState, custody_choice: str) -> InitResult:
    """Create the workspace and, with ``--admin``, its first administrator."""
    ctx = click.get_current_context()
    given = ctx.meta.get(_META, {})
    custody = choose_custody(custody_choice)
    prompt = RememberingPrompt(CliPrompt(state))
    admin = given.get("admin")
    if not admin:
        return init_workspace(state.root, custody, prompt)
    if custody is Custody.PASSPHRASE:
        prompt.passphrase(state.root, new=True)
    password = check_new_password(
        new_password(
            ctx, state, f"New password for {admin}", f"为管理员 {admin} 设置密码"
        )
    )
    result = init_workspace(state.root, custody, prompt)
    with open_workspace(state.root, prompt) as opened:
        add_first_administrator(
            opened.db, str(admin), password, department=str(given["admin_department"])
        )
    return result
