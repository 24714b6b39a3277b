"""What the officer's stamping screen needs from the services, in one place.

The screen may not reach the token layer or the database itself. Here it
finds: where a stamped copy goes (never over an existing file), the SHA-256
that binds an approval request to a document, one stamping run that loads the
configured PKCS#11 modules once, optionally has the officer's own token
confirm who is at the desk (:func:`app.admin.auth.login_token`, the same
check as the command line's ``--token``) and then stamps
(:func:`app.stamping.batch.stamp_documents`), and the verification of a
stamped copy against the configured trust roots (and the demo root, as the
command line's ``verify`` does).

A PIN is asked through the caller's :class:`PinHandler`; it is used for one
log-in and never logged or kept.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from app.admin.auth import TokenChallengeSigner, login_token
from app.admin.roles import Actor
from app.admin.tokens import PinEntryCancelled, PinHandler, loaded_tokens
from app.errors import Cancelled, InputError
from app.files import file_sha256 as document_sha256
from app.stamping.batch import Progress, stamp_documents
from app.stamping.service import BatchReport, StampJob
from app.verification import VerificationReport
from app.verification.desk import verify_at_desk
from app.workspace import OpenWorkspace

__all__ = [
    "STAMPED_SUFFIX",
    "document_sha256",
    "stamp_at_desk",
    "stamped_outputs",
    "verify_output",
]

log = logging.getLogger(__name__)

STAMPED_SUFFIX = "-stamped"


def stamped_outputs(
    inputs: Sequence[Path], folder: Path | None = None
) -> tuple[Path, ...]:
    """``NAME-stamped.pdf`` beside each input, or in ``folder``.

    A name already taken on disk, or by an earlier document of the same
    batch, gets ``-2``, ``-3``… so that no file is ever overwritten.
    """
    if folder is not None and not folder.is_dir():
        raise InputError(
            f"{folder}: the output folder does not exist.",
            f"{folder}：输出文件夹不存在。",
        )
    taken: set[Path] = {p.resolve() for p in inputs}
    outputs = []
    for source in inputs:
        where = folder if folder is not None else source.parent
        stem = f"{source.stem}{STAMPED_SUFFIX}"
        candidate = where / f"{stem}.pdf"
        number = 2
        while candidate.exists() or candidate.resolve() in taken:
            candidate = where / f"{stem}-{number}.pdf"
            number += 1
        taken.add(candidate.resolve())
        outputs.append(candidate)
    return tuple(outputs)


def stamp_at_desk(
    opened: OpenWorkspace,
    actor: Actor,
    job: StampJob,
    pin_handler: PinHandler,
    *,
    confirm_token: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> BatchReport:
    """Stamp ``job``; with ``confirm_token`` (a token serial) the officer's
    token first signs a log-in challenge, and the stamping is done as the
    person it proves.

    :raises Cancelled: the officer declined a PIN prompt.
    """
    with loaded_tokens(opened.db) as tokens:
        try:
            if confirm_token is not None:
                token = tokens.find_token(serial=confirm_token)
                signer = TokenChallengeSigner(tokens, token, pin_handler)
                confirmed = login_token(opened.db, actor.name, signer)
                _check_same_person(actor, confirmed)
                actor = confirmed
            return stamp_documents(
                opened, actor, job, tokens, pin_handler, progress, cancel
            )
        except PinEntryCancelled as exc:
            raise Cancelled from exc


def _check_same_person(actor: Actor, confirmed: Actor) -> None:
    if confirmed.person_id != actor.person_id:  # pragma: no cover - login_token
        raise InputError(  # checks the name; kept as a guard
            "The token belongs to someone else.", "该令牌属于其他人员。"
        )


def verify_output(opened: OpenWorkspace, path: Path) -> VerificationReport:
    """Verify a stamped copy offline with what the desk trusts."""
    return verify_at_desk(path, opened, online=False)
