"""Administration › Seals: every seal with its state, certificate, token, image."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QTableWidgetItem, QVBoxLayout

from app.admin.certs import load_certificate
from app.admin.roles import Actor
from app.admin.seals import Seal, list_seals, seal_image
from app.workspace import OpenWorkspace
from widgets.views.base import View, fill_table, make_table, short_hash
from widgets.views.labels import key_store_label, seal_status_label, seal_type_label

__all__ = ["SealRow", "SealsView", "seal_pixmap"]

IMAGE_SIZE = 96


@dataclass(frozen=True)
class SealRow:
    seal: Seal
    png: bytes | None
    subject: str


def seal_pixmap(png: bytes | None) -> QPixmap:
    """The seal image scaled for a list; an empty pixmap when there is none."""
    pixmap = QPixmap()
    if png is not None:
        pixmap.loadFromData(png, "PNG")
    if pixmap.isNull():
        return pixmap
    return pixmap.scaled(
        IMAGE_SIZE,
        IMAGE_SIZE,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


class SealsView(View):
    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.table = make_table(
            [
                self.text("Image", "印模"),
                self.text("Name", "名称"),
                self.text("Type", "类型"),
                self.text("Status", "状态"),
                self.text("Valid", "有效期"),
                self.text("Key store", "密钥位置"),
                self.text("Token", "令牌"),
                self.text("Certificate", "证书"),
                self.text("Certificate SHA-256", "证书 SHA-256"),
            ]
        )
        self.table.setIconSize(QSize(IMAGE_SIZE, IMAGE_SIZE))
        self.table.verticalHeader().setDefaultSectionSize(IMAGE_SIZE + 8)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        self.images: dict[str, QPixmap] = {}
        self.load()

    def fetch(self) -> list[SealRow]:
        db = self.opened.db
        rows = []
        for seal in list_seals(db):
            image = seal_image(db, seal.id) if seal.has_image else None
            png = None if image is None else image.png
            subject = load_certificate(seal.cert_der).subject
            rows.append(SealRow(seal, png, subject))
        return rows

    def show_data(self, data: list[SealRow]) -> None:
        lang = self.lang
        fill_table(
            self.table,
            [
                [
                    "",
                    row.seal.name,
                    seal_type_label(row.seal.type, lang),
                    seal_status_label(row.seal.status, lang),
                    f"{row.seal.valid_from[:10]} – {row.seal.valid_until[:10]}",
                    key_store_label(row.seal.key_store, lang),
                    f"{row.seal.token_label} ({row.seal.token_serial})",
                    row.subject,
                    short_hash(row.seal.cert_sha256),
                ]
                for row in data
            ],
        )
        self.images = {}
        for r, row in enumerate(data):
            pixmap = seal_pixmap(row.png)
            self.images[row.seal.name] = pixmap
            item = QTableWidgetItem()
            if not pixmap.isNull():
                item.setIcon(QIcon(pixmap))
            else:
                item.setText(self.text("none", "无"))
            self.table.setItem(r, 0, item)
