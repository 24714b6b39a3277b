"""Key custody of network-HSM PINs: entered once, kept wrapped, used to log in.

An administrator enters an HSM's PIN once; it is stored AES-256-GCM wrapped
(see :mod:`storage.pin_custody` for where the wrapping key lives) and handed
to the token layer through :class:`StoredPinHandler` when a seal on that HSM
is used. Storing and every retrieval are written to the usage log (用印日志);
the PIN itself never is.
"""

from __future__ import annotations

import logging

from app.admin.clock import text_time, utc_now
from app.admin.errors import HsmPinMissingError
from app.admin.journal import recorded
from app.admin.roles import Actor, Role, require_role
from app.workspace import OpenWorkspace
from hsm.pin import PinRequest
from storage.pin_custody import (
    WrappedPin,
    WrappingKey,
    derived_wrapping_key,
    keyring_wrapping_key,
    unwrap_pin,
    wrap_pin,
)
from storage.usage_log import append
from storage.workspace import Custody

__all__ = ["StoredPinHandler", "hsm_pin", "store_hsm_pin"]

log = logging.getLogger(__name__)


def _wrapping_key(opened: OpenWorkspace, *, create: bool) -> WrappingKey:
    workspace_id = opened.info.workspace_id
    if opened.info.custody is Custody.KEYRING:
        return keyring_wrapping_key(workspace_id, create=create)
    return derived_wrapping_key(opened.db, workspace_id)


def store_hsm_pin(
    opened: OpenWorkspace,
    actor: Actor,
    token_serial: str,
    token_label: str,
    pin: str,
) -> None:
    """Keep the PIN of an HSM token, replacing any PIN kept before."""
    key = _wrapping_key(opened, create=True)
    wrapped = wrap_pin(key, opened.info.workspace_id, token_serial, pin)
    where = {"token_serial": token_serial}
    with recorded(opened.db, "hsm_pin.store", actor.person_id, details=where) as conn:
        require_role(conn, actor, Role.ADMINISTRATOR)
        conn.execute(
            "INSERT OR REPLACE INTO hsm_pins (token_serial, token_label, wrapping, "
            "nonce, ciphertext, stored_by, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                token_serial,
                token_label,
                key.kind,
                wrapped.nonce,
                wrapped.ciphertext,
                actor.person_id,
                text_time(utc_now()),
            ),
        )
        append(
            conn,
            "hsm_pin.store",
            actor=actor.person_id,
            details={"token_serial": token_serial, "token_label": token_label},
        )
    log.info("Stored the PIN of HSM token %s", token_serial)


def hsm_pin(opened: OpenWorkspace, actor: Actor, token_serial: str) -> str:
    """The kept PIN of an HSM token, for an officer or administrator."""
    where = {"token_serial": token_serial}
    with recorded(
        opened.db, "hsm_pin.retrieve", actor.person_id, details=where
    ) as conn:
        require_role(conn, actor, Role.OFFICER, Role.ADMINISTRATOR)
        row = conn.execute(
            "SELECT nonce, ciphertext FROM hsm_pins WHERE token_serial = ?",
            (token_serial,),
        ).fetchone()
        if row is None:
            raise HsmPinMissingError(token_serial)
        append(conn, "hsm_pin.retrieve", actor=actor.person_id, details=where)
    key = _wrapping_key(opened, create=False)
    wrapped = WrappedPin(bytes(row[0]), bytes(row[1]))
    return unwrap_pin(key, opened.info.workspace_id, token_serial, wrapped)


class StoredPinHandler:
    """A :class:`hsm.pin.PinHandler` answering with the kept HSM PIN."""

    def __init__(self, opened: OpenWorkspace, actor: Actor) -> None:
        self._opened = opened
        self._actor = actor

    def request_pin(self, request: PinRequest) -> str:
        return hsm_pin(self._opened, self._actor, request.token.serial)
