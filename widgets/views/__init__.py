"""The role views, and which of them a logged-in person sees.

The role decides the tabs: administrators get Administration (seals, people,
grants), approvers Approvals, officers My seals, auditors Audit; everyone gets
Settings. The services check every role again, so a tab is a convenience and
never the guard.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTabWidget, QWidget

from app.admin.roles import Actor, Role
from app.workspace import OpenWorkspace
from widgets.views.approvals import ApprovalsView
from widgets.views.audit import AuditView
from widgets.views.base import View
from widgets.views.grants import GrantsView
from widgets.views.officer import officer_tab
from widgets.views.people import PeopleView
from widgets.views.seals import SealsView
from widgets.views.settings import SettingsView

__all__ = ["RoleTab", "role_tabs"]


@dataclass(frozen=True)
class RoleTab:
    """One top-level tab: its key, its title and the views inside it."""

    key: str
    title: str
    widget: QWidget
    views: dict[str, View]


def role_tabs(opened: OpenWorkspace, actor: Actor, lang: str) -> list[RoleTab]:
    def single(key: str, view: View, title: str) -> RoleTab:
        return RoleTab(key, title, view, {key: view})

    tabs = []
    if Role.OFFICER in actor.roles:
        inner, views = officer_tab(opened, actor, lang)
        view: View = views["officer"]
        title = QCoreApplication.translate("widgets.views", "Stamping")
        tabs.append(RoleTab("officer", title, inner, views))
    if Role.APPROVER in actor.roles:
        view = ApprovalsView(opened, actor, lang)
        title = QCoreApplication.translate("widgets.views", "Approvals")
        tabs.append(single("approvals", view, title))
    if Role.ADMINISTRATOR in actor.roles:
        tabs.append(_administration(opened, actor, lang))
    if Role.ARCHIVIST in actor.roles:
        from widgets.archive import ArchiveView

        view = ArchiveView(opened, actor, lang)
        title = QCoreApplication.translate("widgets.views", "Archive")
        tabs.append(single("archive", view, title))
    if Role.AUDITOR in actor.roles:
        view = AuditView(opened, actor, lang)
        title = QCoreApplication.translate("widgets.views", "Audit")
        tabs.append(single("audit", view, title))
    view = SettingsView(opened, actor, lang)
    title = QCoreApplication.translate("widgets.views", "Settings")
    tabs.append(single("settings", view, title))
    return tabs


def _administration(opened: OpenWorkspace, actor: Actor, lang: str) -> RoleTab:
    views: dict[str, View] = {
        "seals": SealsView(opened, actor, lang),
        "people": PeopleView(opened, actor, lang),
        "grants": GrantsView(opened, actor, lang),
    }
    # A new seal or person appears in the grants' filters and dialog.
    for source in ("seals", "people"):
        views[source].changed.connect(views["grants"].load)  # type: ignore[attr-defined]
    inner = QTabWidget()
    inner.addTab(views["seals"], QCoreApplication.translate("widgets.views", "Seals"))
    inner.addTab(views["people"], QCoreApplication.translate("widgets.views", "People"))
    inner.addTab(views["grants"], QCoreApplication.translate("widgets.views", "Grants"))
    return RoleTab(
        "administration",
        QCoreApplication.translate("widgets.views", "Administration"),
        inner,
        views,
    )
