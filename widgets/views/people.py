"""Administration › People: who may log in, with which roles and credentials."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from app.admin.people import Person, list_people
from app.admin.roles import Actor
from app.workspace import OpenWorkspace
from widgets.views.base import View, fill_table, make_table, short_hash
from widgets.views.labels import roles_label, yes_no

__all__ = ["PeopleView"]


class PeopleView(View):
    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.table = make_table(
            [
                self.text("Name", "姓名"),
                self.text("Department", "部门"),
                self.text("Roles", "角色"),
                self.text("Active", "启用"),
                self.text("Password", "密码"),
                self.text("Certificate", "证书"),
            ]
        )
        QVBoxLayout(self).addWidget(self.table)
        self.load()

    def fetch(self) -> list[Person]:
        return list_people(self.opened.db)

    def show_data(self, data: list[Person]) -> None:
        lang = self.lang
        fill_table(
            self.table,
            [
                [
                    p.name,
                    p.department,
                    roles_label(p.roles, lang),
                    yes_no(p.active, lang),
                    yes_no(p.has_password, lang),
                    short_hash(p.cert_sha256) or self.text("none", "无"),
                ]
                for p in data
            ],
        )
