"""``sealdesk person``: add people, show them, set passwords, bind certificates."""

from __future__ import annotations

from pathlib import Path

import click

from app.admin.people import (
    Person,
    add_first_administrator,
    add_person,
    bind_certificate,
    get_person,
    list_people,
    set_password,
    set_roles,
)
from app.admin.roles import Role
from app.cli.admin_common import acting, authenticate, json_option, new_password
from app.cli.context import CliState
from app.cli.output import echo_json, echo_pairs, echo_table
from app.errors import InputError

__all__ = ["person_group"]

_ROLE = click.Choice([r.value for r in Role])


@click.group("person")
def person_group() -> None:
    """People, their roles and credentials."""


def _roles(state: CliState, person: Person) -> str:
    return ", ".join(state.text(r.value, r.zh) for r in person.roles) or "-"


def _show(state: CliState, person: Person, as_json: bool) -> None:
    if as_json:
        echo_json(person)
        return
    echo_pairs(
        [
            (state.text("Id", "标识"), person.id),
            (state.text("Name", "姓名"), person.name),
            (state.text("Department", "部门"), person.department or "-"),
            (state.text("Roles", "角色"), _roles(state, person)),
            (
                state.text("Password", "密码"),
                state.text("set", "已设置")
                if person.has_password
                else state.text("none", "无"),
            ),
            (state.text("Certificate SHA-256", "证书指纹"), person.cert_sha256 or "-"),
            (state.text("Created", "创建时间"), person.created_at),
        ]
    )


@person_group.command("add")
@click.argument("name")
@click.option("--department", default="", help="Department (部门).")
@click.option("--role", "roles", multiple=True, type=_ROLE, help="A role (repeatable).")
@click.option("--with-password", is_flag=True, help="Set a password for them.")
@click.option(
    "--first-admin",
    is_flag=True,
    help="Make the first administrator of a workspace that has nobody yet.",
)
@acting(required=False)
@json_option
@click.pass_context
def person_add(
    ctx: click.Context,
    name: str,
    department: str,
    roles: tuple[str, ...],
    with_password: bool,
    first_admin: bool,
    as_json: bool,
) -> None:
    """Add a person (administrators only)."""
    state: CliState = ctx.obj
    if first_admin:
        db = state.open().db
        password = new_password(
            ctx, state, f"New password for {name}", f"为 {name} 设置密码"
        )
        person = add_first_administrator(db, name, password, department=department)
    else:
        actor = authenticate(ctx, state)
        password = None
        if with_password:
            password = new_password(
                ctx, state, f"New password for {name}", f"为 {name} 设置密码"
            )
        person = add_person(
            state.open().db,
            actor,
            name,
            department=department,
            roles=[Role(r) for r in roles],
            password=password,
        )
    _show(state, person, as_json)


@person_group.command("list")
@json_option
@click.pass_obj
def person_list(state: CliState, as_json: bool) -> None:
    """List people with their roles."""
    people = list_people(state.open().db)
    if as_json:
        echo_json(people)
        return
    echo_table(
        [
            state.text("Name", "姓名"),
            state.text("Department", "部门"),
            state.text("Roles", "角色"),
            state.text("Login", "登录方式"),
            state.text("Id", "标识"),
        ],
        [
            (
                p.name,
                p.department or "-",
                _roles(state, p),
                "+".join(
                    m
                    for m, on in (
                        ("password", p.has_password),
                        ("token", p.cert_sha256 is not None),
                    )
                    if on
                )
                or "-",
                p.id,
            )
            for p in people
        ],
    )


@person_group.command("show")
@click.argument("person")
@json_option
@click.pass_obj
def person_show(state: CliState, person: str, as_json: bool) -> None:
    """Show one person."""
    _show(state, get_person(state.open().db, person), as_json)


@person_group.command("roles")
@click.argument("person")
@click.option("--role", "roles", multiple=True, type=_ROLE, help="A role (repeatable).")
@acting()
@json_option
@click.pass_context
def person_roles(
    ctx: click.Context, person: str, roles: tuple[str, ...], as_json: bool
) -> None:
    """Replace a person's roles (administrators only)."""
    state: CliState = ctx.obj
    actor = authenticate(ctx, state)
    changed = set_roles(state.open().db, actor, person, [Role(r) for r in roles])
    _show(state, changed, as_json)


@person_group.command("set-password")
@click.argument("person")
@acting()
@click.pass_context
def person_set_password(ctx: click.Context, person: str) -> None:
    """Set a password: your own, or anyone's as an administrator."""
    state: CliState = ctx.obj
    actor = authenticate(ctx, state)
    password = new_password(
        ctx, state, f"New password for {person}", f"为 {person} 设置新密码"
    )
    changed = set_password(state.open().db, actor, person, password)
    click.echo(
        state.text(
            f"Password of {changed.name} changed.", f"{changed.name} 的密码已更改。"
        )
    )


@person_group.command("bind-cert")
@click.argument("person")
@click.option(
    "--cert",
    "cert_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="Certificate file (PEM or DER) of the person's token key.",
)
@acting()
@json_option
@click.pass_context
def person_bind_cert(
    ctx: click.Context, person: str, cert_path: Path, as_json: bool
) -> None:
    """Bind the certificate that token log-in is checked against."""
    state: CliState = ctx.obj
    actor = authenticate(ctx, state)
    try:
        data = cert_path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{cert_path}: cannot read ({exc.strerror}).",
            f"{cert_path}：无法读取（{exc.strerror}）。",
        ) from exc
    _show(state, bind_certificate(state.open().db, actor, person, data), as_json)
