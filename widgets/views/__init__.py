"""The role views, and which of them a logged-in person sees.

The role decides the tabs: administrators get Administration (seals, people,
grants), approvers Approvals, officers My seals, auditors Audit; everyone gets
Settings. The services check every role again, so a tab is a convenience and
never the guard.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QTabWidget, QWidget

from app.admin.roles import Actor, Role
from app.i18n import pick
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
    def title(en: str, zh: str) -> str:
        return pick(lang, en, zh)

    def single(key: str, view: View, en: str, zh: str) -> RoleTab:
        return RoleTab(key, title(en, zh), view, {key: view})

    tabs = []
    if Role.OFFICER in actor.roles:
        inner, views = officer_tab(opened, actor, lang)
        view: View = views["officer"]
        tabs.append(RoleTab("officer", title("Stamping", "盖章"), inner, views))
    if Role.APPROVER in actor.roles:
        view = ApprovalsView(opened, actor, lang)
        tabs.append(single("approvals", view, "Approvals", "用印审批"))
    if Role.ADMINISTRATOR in actor.roles:
        tabs.append(_administration(opened, actor, lang))
    if Role.ARCHIVIST in actor.roles:
        from widgets.archive import ArchiveView

        view = ArchiveView(opened, actor, lang)
        tabs.append(single("archive", view, "Archive", "档案"))
    if Role.AUDITOR in actor.roles:
        view = AuditView(opened, actor, lang)
        tabs.append(single("audit", view, "Audit", "审计"))
    view = SettingsView(opened, actor, lang)
    tabs.append(single("settings", view, "Settings", "设置"))
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
    inner.addTab(views["seals"], pick(lang, "Seals", "印章"))
    inner.addTab(views["people"], pick(lang, "People", "人员"))
    inner.addTab(views["grants"], pick(lang, "Grants", "授权"))
    return RoleTab(
        "administration", pick(lang, "Administration", "印章管理"), inner, views
    )
