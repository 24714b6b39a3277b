"""The officer's tab: stamping (盖章) and My seals (我的印章).

:func:`officer_tab` puts the stamping screen (:mod:`widgets.stamping`) and
:class:`OfficerView` side by side as inner tabs. My seals is read-only: the
officer's seals with validity, quota and approvals.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QTableWidgetItem, QTabWidget, QVBoxLayout

from app.admin.approvals import Approval, list_approvals
from app.admin.grants import Grant, list_grants
from app.admin.roles import Actor
from app.admin.seals import Seal, list_seals, seal_image
from app.workspace import OpenWorkspace
from widgets.views.base import View, fill_table, make_table
from widgets.views.labels import approval_label, seal_status_label, yes_no
from widgets.views.seals import IMAGE_SIZE, seal_pixmap

__all__ = ["MySeal", "OfficerView", "officer_tab"]


@dataclass(frozen=True)
class MySeal:
    seal: Seal
    grant: Grant
    latest: Approval | None
    png: bytes | None


class OfficerView(View):
    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.seals: list[MySeal] = []
        self.table = make_table(
            [
                QCoreApplication.translate("OfficerView", "Image"),
                QCoreApplication.translate("OfficerView", "Seal"),
                QCoreApplication.translate("OfficerView", "Seal status"),
                QCoreApplication.translate("OfficerView", "Grant valid"),
                QCoreApplication.translate("OfficerView", "Uses left"),
                QCoreApplication.translate("OfficerView", "Categories"),
                QCoreApplication.translate("OfficerView", "Needs approval"),
                QCoreApplication.translate("OfficerView", "Latest approval"),
            ]
        )
        self.table.setIconSize(QSize(IMAGE_SIZE, IMAGE_SIZE))
        self.table.verticalHeader().setDefaultSectionSize(IMAGE_SIZE + 8)
        title = QLabel(
            QCoreApplication.translate("OfficerView", "Seals granted to {0}").format(
                actor.name
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.table)
        self.load()

    def fetch(self) -> list[MySeal]:
        db, me = self.opened.db, self.actor.person_id
        seals = {s.id: s for s in list_seals(db)}
        mine = list_approvals(db, requester=me)  # newest first
        rows = []
        for grant in list_grants(db, person=me):
            seal = seals[grant.seal_id]
            latest = next((a for a in mine if a.seal_id == seal.id), None)
            image = seal_image(db, seal.id) if seal.has_image else None
            png = None if image is None else image.png
            rows.append(MySeal(seal, grant, latest, png))
        return rows

    def show_data(self, data: list[MySeal]) -> None:
        self.seals = data
        fill_table(
            self.table,
            [
                [
                    "",
                    row.seal.name,
                    seal_status_label(row.seal.status),
                    f"{row.grant.valid_from[:10]} – {row.grant.valid_until[:10]}",
                    self._left(row.grant),
                    QCoreApplication.translate("OfficerView", ", ").join(
                        row.grant.categories
                    )
                    or QCoreApplication.translate("OfficerView", "any"),
                    yes_no(row.grant.approval_required),
                    approval_label(None if row.latest is None else row.latest.status),
                ]
                for row in data
            ],
        )
        for r, row in enumerate(data):
            item = QTableWidgetItem()
            pixmap = seal_pixmap(row.png)
            if not pixmap.isNull():
                item.setIcon(QIcon(pixmap))
            self.table.setItem(r, 0, item)

    def _left(self, grant: Grant) -> str:
        left = grant.quota_left
        return (
            QCoreApplication.translate("OfficerView", "unlimited")
            if left is None
            else str(left)
        )


def officer_tab(
    opened: OpenWorkspace, actor: Actor, lang: str
) -> tuple[QTabWidget, dict[str, View]]:
    """The officer's inner tabs and their views (``stamping``, ``officer``).

    The stamping screen is imported here, after log-in: it brings the PDF
    and token libraries, which the login dialog must not wait for.
    """
    from widgets.stamping import StampingView

    views: dict[str, View] = {
        "stamping": StampingView(opened, actor, lang),
        "officer": OfficerView(opened, actor, lang),
    }
    inner = QTabWidget()
    inner.addTab(
        views["stamping"],
        QCoreApplication.translate("widgets.views.officer", "Stamp documents"),
    )
    inner.addTab(
        views["officer"],
        QCoreApplication.translate("widgets.views.officer", "My seals"),
    )
    return inner, views
