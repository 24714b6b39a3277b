"""``sealdesk seal``: register seals, change their state, design their image."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from app.admin.clock import parse_time
from app.admin.hsm_pins import store_hsm_pin
from app.admin.roles import Actor
from app.admin.seals import (
    KeyStore,
    Seal,
    SealDraft,
    SealType,
    create_seal,
    destroy_seal,
    get_seal,
    list_seals,
    resume_seal,
    revoke_seal,
    seal_image,
    set_seal_image,
    suspend_seal,
)
from app.cli.admin_common import acting, authenticate, json_option
from app.cli.context import CliState
from app.cli.output import echo_json, echo_pairs, echo_table
from app.cli.token import read_pin
from app.errors import Cancelled, InputError
from app.seals.specs import (
    ImportedSealSpec,
    OvalSealSpec,
    RoundSealSpec,
    SealSpec,
    SquareSealSpec,
)
from hsm.errors import PinEntryCancelled
from storage.database import Database

__all__ = ["seal_group"]


@click.group("seal")
def seal_group() -> None:
    """Seals (印章): register, suspend, resume, revoke, destroy, design."""


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read ({exc.strerror}).",
            f"{path}：无法读取（{exc.strerror}）。",
        ) from exc


def _show(state: CliState, seal: Seal, as_json: bool) -> None:
    if as_json:
        echo_json({**vars(seal), "cert_der": None})
        return
    image = (
        f"{seal.image_width_mm:g} x {seal.image_height_mm:g} mm"
        if seal.has_image
        else "-"
    )
    echo_pairs(
        [
            (state.text("Id", "标识"), seal.id),
            (state.text("Name", "名称"), seal.name),
            (state.text("Type", "类型"), state.text(seal.type.value, seal.type.zh)),
            (state.text("Status", "状态"), seal.status.value),
            (state.text("Key store", "密钥载体"), seal.key_store.value),
            (state.text("Token", "令牌"), f"{seal.token_label} ({seal.token_serial})"),
            (state.text("Key", "密钥"), f"{seal.key_label or '-'} id {seal.key_id}"),
            (state.text("Certificate SHA-256", "证书指纹"), seal.cert_sha256),
            (
                state.text("Valid", "有效期"),
                f"{seal.valid_from} .. {seal.valid_until}",
            ),
            (state.text("Managed by", "管理人"), seal.managed_by),
            (state.text("Image", "印模"), image),
        ]
    )


@seal_group.command("create")
@click.argument("name")
@click.option(
    "--type",
    "seal_type",
    type=click.Choice([t.value for t in SealType]),
    required=True,
    help="official 公章, contract 合同专用章, finance 财务专用章, ...",
)
@click.option(
    "--key-store",
    type=click.Choice([k.value for k in KeyStore]),
    default=KeyStore.USB_KEY.value,
    show_default=True,
)
@click.option("--token-serial", required=True, help="Serial number of the token.")
@click.option("--token-label", required=True, help="Label of the token.")
@click.option("--key-id", required=True, metavar="HEX", help="CKA_ID of the key.")
@click.option("--key-label", default="", help="CKA_LABEL of the key.")
@click.option(
    "--cert",
    "cert_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The key's certificate (PEM or DER).",
)
@click.option("--valid-from", metavar="DATE", help="Default: the certificate's.")
@click.option("--valid-until", metavar="DATE", help="Default: the certificate's.")
@click.option("--manager", metavar="NAME", help="Administrator managing the seal.")
@click.option("--holder", metavar="NAME", help="Holder of the USB key.")
@acting()
@json_option
@click.pass_context
def seal_create(
    ctx: click.Context,
    name: str,
    seal_type: str,
    key_store: str,
    token_serial: str,
    token_label: str,
    key_id: str,
    key_label: str,
    cert_path: Path,
    valid_from: str | None,
    valid_until: str | None,
    manager: str | None,
    holder: str | None,
    as_json: bool,
) -> None:
    """Register a seal bound to a token key (administrators only)."""
    state: CliState = ctx.obj
    try:
        key_bytes = bytes.fromhex(key_id)
    except ValueError as exc:
        raise InputError(
            "--key-id must be hexadecimal.", "--key-id 必须是十六进制。"
        ) from exc
    draft = SealDraft(
        name=name,
        type=SealType(seal_type),
        key_store=KeyStore(key_store),
        token_serial=token_serial,
        token_label=token_label,
        key_id=key_bytes,
        certificate=_read(cert_path),
        key_label=key_label,
        valid_from=None if valid_from is None else parse_time(valid_from),
        valid_until=None if valid_until is None else parse_time(valid_until),
        manager=manager,
        holder=holder,
    )
    actor = authenticate(ctx, state)
    _show(state, create_seal(state.open().db, actor, draft), as_json)


@seal_group.command("list")
@json_option
@click.pass_obj
def seal_list(state: CliState, as_json: bool) -> None:
    """List seals."""
    seals = list_seals(state.open().db)
    if as_json:
        echo_json([{**vars(s), "cert_der": None} for s in seals])
        return
    echo_table(
        [
            state.text("Name", "名称"),
            state.text("Type", "类型"),
            state.text("Status", "状态"),
            state.text("Token", "令牌"),
            state.text("Valid until", "有效期至"),
            state.text("Id", "标识"),
        ],
        [
            (
                s.name,
                state.text(s.type.value, s.type.zh),
                s.status.value,
                s.token_label,
                s.valid_until[:10],
                s.id,
            )
            for s in seals
        ],
    )


@seal_group.command("show")
@click.argument("seal")
@json_option
@click.pass_obj
def seal_show(state: CliState, seal: str, as_json: bool) -> None:
    """Show one seal."""
    _show(state, get_seal(state.open().db, seal), as_json)


Change = Callable[[Database, Actor, str, str], Seal]


def _lifecycle(name: str, change: Change, help_text: str) -> None:
    @seal_group.command(name, help=help_text)
    @click.argument("seal")
    @click.option("--reason", default="", help="Why; written to the usage log.")
    @acting()
    @json_option
    @click.pass_context
    def command(ctx: click.Context, seal: str, reason: str, as_json: bool) -> None:
        state: CliState = ctx.obj
        actor = authenticate(ctx, state)
        _show(state, change(state.open().db, actor, seal, reason), as_json)


_lifecycle("suspend", suspend_seal, "Suspend an active seal (can be resumed).")
_lifecycle("resume", resume_seal, "Resume a suspended seal.")
_lifecycle("revoke", revoke_seal, "Revoke a seal for good.")
_lifecycle("destroy", destroy_seal, "Record that a seal's key is destroyed.")


def _spec(
    shape: str,
    text: dict[str, str | None],
    size: tuple[float | None, float | None],
    source: Path | None,
) -> SealSpec:
    width, height = size
    if shape == "import":
        if source is None or width is None:
            raise InputError(
                "Importing needs --file and --width-mm.",
                "导入印模需要 --file 和 --width-mm。",
            )
        return ImportedSealSpec(source, width, height)
    if shape == "square":
        return SquareSealSpec(text["org_name"] or "", bool(text["append_yin"]))
    if shape == "oval":
        return OvalSealSpec(
            text["org_name"] or "",
            text["bottom_line"] or "",
            text["code"],
            width or 40,
            height or 30,
        )
    return RoundSealSpec(
        text["org_name"] or "", text["bottom_line"], text["code"], width or 42
    )


@seal_group.command("image")
@click.argument("seal")
@click.option(
    "--shape",
    type=click.Choice(["round", "oval", "square", "import"]),
    help="Design a new image of this shape.",
)
@click.option("--text", "org_name", help="Organisation name (or the name seal's name).")
@click.option("--bottom-line", help="Horizontal text, e.g. 合同专用章.")
@click.option("--code", help="Seal code (round) or taxpayer number (oval).")
@click.option("--append-yin", is_flag=True, help="Square: add 印 to a 3-char name.")
@click.option("--width-mm", type=float, help="Diameter or width in mm.")
@click.option("--height-mm", type=float, help="Height in mm (oval, import).")
@click.option(
    "--file",
    "source",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="PNG or SVG to import.",
)
@click.option(
    "--export",
    "export_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the stored PNG to this file.",
)
@acting(required=False)
@json_option
@click.pass_context
def seal_image_command(
    ctx: click.Context,
    seal: str,
    shape: str | None,
    org_name: str | None,
    bottom_line: str | None,
    code: str | None,
    append_yin: bool,
    width_mm: float | None,
    height_mm: float | None,
    source: Path | None,
    export_to: Path | None,
    as_json: bool,
) -> None:
    """Design a seal's image with the seal designer, or export it."""
    state: CliState = ctx.obj
    db = state.open().db
    if shape is not None:
        spec = _spec(
            shape,
            {
                "org_name": org_name,
                "bottom_line": bottom_line,
                "code": code,
                "append_yin": "1" if append_yin else None,
            },
            (width_mm, height_mm),
            source,
        )
        actor = authenticate(ctx, state)
        _show(state, set_seal_image(db, actor, seal, spec), as_json)
    if export_to is not None:
        image = seal_image(db, seal)
        if image is None:
            raise InputError(
                f"Seal '{seal}' has no image yet.", f"印章“{seal}”尚无印模。"
            )
        try:
            export_to.write_bytes(image.png)
        except OSError as exc:
            raise InputError(
                f"{export_to}: cannot write ({exc.strerror}).",
                f"{export_to}：无法写入（{exc.strerror}）。",
            ) from exc
        size = f"{image.width_mm:g} x {image.height_mm:g}"
        click.echo(
            state.text(
                f"Wrote {export_to} ({size} mm).",
                f"已写入 {export_to}（{size} 毫米）。",
            )
        )


@seal_group.command("hsm-pin")
@click.option("--token-serial", required=True, help="Serial number of the HSM token.")
@click.option("--token-label", required=True, help="Label of the HSM token.")
@click.option(
    "--hsm-pin-stdin", is_flag=True, help="Read the HSM PIN from standard input."
)
@acting()
@click.pass_context
def seal_hsm_pin(
    ctx: click.Context, token_serial: str, token_label: str, hsm_pin_stdin: bool
) -> None:
    """Keep an HSM's PIN in the workspace's key custody (administrators only)."""
    state: CliState = ctx.obj
    actor = authenticate(ctx, state)
    try:
        pin = read_pin(hsm_pin_stdin, state.text("HSM PIN", "HSM PIN"))
    except PinEntryCancelled as exc:
        raise Cancelled from exc
    store_hsm_pin(state.open(), actor, token_serial, token_label, pin)
    click.echo(
        state.text(
            f"The PIN of HSM token {token_serial} is kept, wrapped.",
            f"HSM 令牌 {token_serial} 的 PIN 已加密保存。",
        )
    )
