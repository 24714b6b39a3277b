"""The seals the officer may use, as the stamping screen lists them.

Each row shows the seal with its image, the grant's validity window, the
uses left and whether an approval is needed and in what state the officer's
latest request for it is. The rows are read in the background.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QTableWidget

from app.admin.approvals import Approval, list_approvals
from app.admin.grants import Grant, list_grants
from app.admin.roles import Actor
from app.admin.seals import Seal, SealImageData, list_seals, seal_image
from app.workspace import OpenWorkspace
from widgets.views.base import fill_table, make_table
from widgets.views.labels import approval_label, seal_status_label
from widgets.views.seals import seal_pixmap

__all__ = ["UsableSeal", "fill_seal_table", "make_seal_table", "usable_seals"]

_ICON = 48


@dataclass(frozen=True)
class UsableSeal:
    """A seal granted to the officer, with its image and latest request."""

    seal: Seal
    grant: Grant
    image: SealImageData | None
    latest: Approval | None


def usable_seals(opened: OpenWorkspace, actor: Actor) -> list[UsableSeal]:
    """The officer's grants with their seals; runs in the background."""
    db, me = opened.db, actor.person_id
    seals = {s.id: s for s in list_seals(db)}
    mine = list_approvals(db, requester=me)  # newest first
    rows = []
    for grant in list_grants(db, person=me):
        if not grant.live:
            continue
        seal = seals[grant.seal_id]
        latest = next((a for a in mine if a.seal_id == seal.id), None)
        image = seal_image(db, seal.id) if seal.has_image else None
        rows.append(UsableSeal(seal, grant, image, latest))
    return rows


def make_seal_table() -> QTableWidget:
    table = make_table(
        [
            QCoreApplication.translate("widgets.stamping.seal_list", "Seal"),
            QCoreApplication.translate("widgets.stamping.seal_list", "State"),
            QCoreApplication.translate("widgets.stamping.seal_list", "Valid"),
            QCoreApplication.translate("widgets.stamping.seal_list", "Uses left"),
            QCoreApplication.translate("widgets.stamping.seal_list", "Approval"),
        ]
    )
    table.setIconSize(QSize(_ICON, _ICON))
    table.verticalHeader().setDefaultSectionSize(_ICON + 6)
    return table


def fill_seal_table(
    table: QTableWidget, rows: list[UsableSeal], icons: dict[str, QIcon]
) -> None:
    """Fill the rows; ``icons`` caches each seal's decoded image by seal id."""
    fill_table(
        table,
        [
            [
                row.seal.name,
                seal_status_label(row.seal.status),
                f"{row.grant.valid_from[:10]} – {row.grant.valid_until[:10]}",
                _left(row.grant),
                _approval(row),
            ]
            for row in rows
        ],
    )
    for r, row in enumerate(rows):
        item = table.item(r, 0)
        if row.seal.id not in icons:
            pixmap = seal_pixmap(None if row.image is None else row.image.png)
            icons[row.seal.id] = QIcon() if pixmap.isNull() else QIcon(pixmap)
        if item is not None:
            item.setIcon(icons[row.seal.id])


def _left(grant: Grant) -> str:
    left = grant.quota_left
    return (
        QCoreApplication.translate("widgets.stamping.seal_list", "unlimited")
        if left is None
        else str(left)
    )


def _approval(row: UsableSeal) -> str:
    if not row.grant.approval_required:
        return QCoreApplication.translate("widgets.stamping.seal_list", "not needed")
    latest = None if row.latest is None else row.latest.status
    needed = QCoreApplication.translate("widgets.stamping.seal_list", "needed")
    return f"{needed} · {approval_label(latest)}"
