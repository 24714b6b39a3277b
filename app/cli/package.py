"""``sealdesk verify-package``: check an evidence package (证据包) ZIP.

The ZIP is unpacked into a temporary folder and checked by the functions of
:mod:`app.evidence_package.standalone_verify`, the same code the package's
own ``verify.py`` runs. Exit codes are the script's: 0 every check passed,
1 a check failed (or the ZIP cannot be read), 3 nothing failed but the
evidence is not yet anchored on the chain.
"""

from __future__ import annotations

import json
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import click

from app.cli.context import CliState
from app.errors import SealDeskError
from app.evidence_package import standalone_verify as sv

__all__ = ["PackageUnreadable", "verify_package_command"]

# A package is a PDF and some small files; refuse to unpack anything huge.
_MOST_BYTES = 2 * 1024**3


class PackageUnreadable(SealDeskError):
    """The ZIP is damaged or holds entries no package has."""


class _Outcome(click.ClickException):
    """Ends the command with the check's exit code, the lines being printed.

    The CLI boundary runs click without standalone mode, where ``ctx.exit``
    codes are lost; a click exception carries its code through.
    """

    def __init__(self) -> None:
        super().__init__("")

    def show(self, file: object = None) -> None:
        """Nothing more to say: the checks were printed."""


class _Failed(_Outcome):
    exit_code = sv.EXIT_FAILED


class _NotAnchored(_Outcome):
    exit_code = sv.EXIT_NOT_ANCHORED


@click.command("verify-package")
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rpc", metavar="URL", help="JSON-RPC address of the evidence chain.")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
@click.pass_context
def verify_package_command(
    ctx: click.Context, package: Path, rpc: str | None, as_json: bool
) -> None:
    """Check an evidence package ZIP. Exit 0 valid, 1 failed, 3 not anchored."""
    state = ctx.ensure_object(CliState)
    with tempfile.TemporaryDirectory(prefix="sealdesk-package-") as folder:
        _unpack(package, Path(folder))
        check = sv.verify_folder(Path(folder), rpc)
    if as_json:
        click.echo(json.dumps(check.to_json(), ensure_ascii=False, indent=2))
    else:
        for step in check.steps:
            click.echo(step.line())
        click.echo(_summary(state, check.exit_code))
    if check.exit_code == sv.EXIT_NOT_ANCHORED:
        raise _NotAnchored
    if check.exit_code:
        raise _Failed


def _summary(state: CliState, code: int) -> str:
    if code == sv.EXIT_OK:
        return state.text("Every check passed.", "全部核验通过。")
    if code == sv.EXIT_NOT_ANCHORED:
        return state.text(
            "Not yet anchored on the chain; nothing else failed.",
            "尚未上链；其余核验均未发现问题。",
        )
    return state.text(
        "A check FAILED; do not rely on this package.",
        "核验未通过，不可采信此证据包。",
    )


def _unpack(package: Path, folder: Path) -> None:
    """Extract every entry after checking its name, kind and size."""
    try:
        with zipfile.ZipFile(package) as archive:
            infos = archive.infolist()
            _check_entries(package, infos)
            for info in infos:
                if info.is_dir():
                    continue
                target = folder.joinpath(*PurePosixPath(info.filename).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(info))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise _unreadable(package, str(exc)) from exc
    except (ValueError, NotImplementedError, RuntimeError) as exc:
        raise _unreadable(package, str(exc) or type(exc).__name__) from exc


def _check_entries(package: Path, infos: list[zipfile.ZipInfo]) -> None:
    names: set[str] = set()
    for info in infos:
        name = info.filename
        path = PurePosixPath(name)
        unsafe = (
            path.is_absolute()
            or "\\" in name
            or any(part in ("", ".", "..") for part in name.rstrip("/").split("/"))
            or stat.S_ISLNK(info.external_attr >> 16)
        )
        if unsafe or name in names:
            raise _unreadable(package, f"entry {name!r} is not allowed")
        names.add(name)
    if sum(i.file_size for i in infos) > _MOST_BYTES:
        raise _unreadable(package, "it unpacks to more than 2 GiB")


def _unreadable(package: Path, cause: str) -> PackageUnreadable:
    return PackageUnreadable(
        f"{package} cannot be read as an evidence package ({cause}).",
        f"{package} 无法作为证据包读取（{cause}）。",
    )
