"""Administration › Seals: every seal with its state, certificate, token, image.

The administrator creates a seal (:class:`widgets.admin.seal_dialog.CreateSealDialog`)
and suspends, resumes, revokes or destroys the chosen one. Revoking and
destroying are final and asked about first. Each change runs in the
background through :mod:`app.admin.seals`, which checks the role; then the
list is read again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.admin.certs import BoundCertificate, load_certificate
from app.admin.roles import Actor
from app.admin.seals import (
    Seal,
    SealStatus,
    destroy_seal,
    list_seals,
    resume_seal,
    revoke_seal,
    seal_image,
    suspend_seal,
)
from app.workspace import OpenWorkspace
from widgets.admin.confirm import ask_to_confirm
from widgets.admin.seal_dialog import CreateSealDialog
from widgets.views.base import View, fill_table, make_table, short_hash
from widgets.views.labels import key_store_label, seal_status_label, seal_type_label

__all__ = ["SealRow", "SealsView", "seal_pixmap"]

IMAGE_SIZE = 96


@dataclass(frozen=True)
class SealRow:
    seal: Seal
    png: bytes | None
    certificate: BoundCertificate

    @property
    def subject(self) -> str:
        return self.certificate.subject


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


# Which states each change starts from, as the service allows them.
_FROM: dict[str, frozenset[SealStatus]] = {
    "suspend": frozenset({SealStatus.ACTIVE}),
    "resume": frozenset({SealStatus.SUSPENDED}),
    "revoke": frozenset({SealStatus.ACTIVE, SealStatus.SUSPENDED}),
    "destroy": frozenset({SealStatus.ACTIVE, SealStatus.SUSPENDED, SealStatus.REVOKED}),
}
_CHANGE: dict[str, Callable[..., Seal]] = {
    "suspend": suspend_seal,
    "resume": resume_seal,
    "revoke": revoke_seal,
    "destroy": destroy_seal,
}


class SealsView(View):
    """Emits :attr:`changed` with the seal after every change made here."""

    changed = Signal(object)

    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.rows: list[SealRow] = []
        self.create_dialog: CreateSealDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.table = make_table(
            [
                QCoreApplication.translate("SealsView", "Image"),
                QCoreApplication.translate("SealsView", "Name"),
                QCoreApplication.translate("SealsView", "Type"),
                QCoreApplication.translate("SealsView", "Status"),
                QCoreApplication.translate("SealsView", "Valid"),
                QCoreApplication.translate("SealsView", "Key store"),
                QCoreApplication.translate("SealsView", "Token"),
                QCoreApplication.translate("SealsView", "Certificate"),
                QCoreApplication.translate("SealsView", "Certificate valid"),
                QCoreApplication.translate("SealsView", "Certificate SHA-256"),
            ]
        )
        self.table.setIconSize(QSize(IMAGE_SIZE, IMAGE_SIZE))
        self.table.verticalHeader().setDefaultSectionSize(IMAGE_SIZE + 8)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.create_button = QPushButton(
            QCoreApplication.translate("SealsView", "Create seal…")
        )
        self.create_button.clicked.connect(self.open_create_dialog)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(
            QCoreApplication.translate("SealsView", "Reason (written to the usage log)")
        )
        self.buttons = {
            "suspend": QPushButton(QCoreApplication.translate("SealsView", "Suspend")),
            "resume": QPushButton(QCoreApplication.translate("SealsView", "Resume")),
            "revoke": QPushButton(QCoreApplication.translate("SealsView", "Revoke…")),
            "destroy": QPushButton(QCoreApplication.translate("SealsView", "Destroy…")),
        }
        self.buttons["suspend"].clicked.connect(lambda: self.change("suspend"))
        self.buttons["resume"].clicked.connect(lambda: self.change("resume"))
        self.buttons["revoke"].clicked.connect(lambda: self.confirm("revoke"))
        self.buttons["destroy"].clicked.connect(lambda: self.confirm("destroy"))
        row = QHBoxLayout()
        row.addWidget(self.create_button)
        row.addWidget(self.reason, 1)
        for button in self.buttons.values():
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.images: dict[str, QPixmap] = {}
        self._update_buttons()
        self.load()

    def fetch(self) -> list[SealRow]:
        db = self.opened.db
        rows = []
        for seal in list_seals(db):
            image = seal_image(db, seal.id) if seal.has_image else None
            png = None if image is None else image.png
            rows.append(SealRow(seal, png, load_certificate(seal.cert_der)))
        return rows

    def show_data(self, data: list[SealRow]) -> None:
        self.rows = data
        fill_table(
            self.table,
            [
                [
                    "",
                    row.seal.name,
                    seal_type_label(row.seal.type),
                    seal_status_label(row.seal.status),
                    f"{row.seal.valid_from[:10]} – {row.seal.valid_until[:10]}",
                    key_store_label(row.seal.key_store),
                    f"{row.seal.token_label} ({row.seal.token_serial})",
                    row.subject,
                    f"{row.certificate.not_before:%Y-%m-%d} – "
                    f"{row.certificate.not_after:%Y-%m-%d}",
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
                item.setText(QCoreApplication.translate("SealsView", "none"))
            self.table.setItem(r, 0, item)
        self._update_buttons()

    # -- choosing ------------------------------------------------------------

    def select(self, name: str) -> None:
        """Select the row of the seal called ``name``."""
        for r, row in enumerate(self.rows):
            if row.seal.name == name:
                self.table.selectRow(r)
                return
        raise KeyError(name)

    def selected(self) -> Seal | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()].seal

    def _update_buttons(self) -> None:
        seal = self.selected()
        for change, button in self.buttons.items():
            allowed = seal is not None and seal.status in _FROM[change]
            button.setEnabled(allowed and not self.busy)

    # -- changing ------------------------------------------------------------

    def confirm(self, change: str) -> None:
        """Ask before revoking or destroying; both are final."""
        seal = self.selected()
        if seal is None:
            return
        if change == "revoke":
            question = QCoreApplication.translate(
                "SealsView",
                "Revoke seal '{0}'? A revoked seal can never be used again.",
            ).format(seal.name)
        else:
            question = QCoreApplication.translate(
                "SealsView",
                "Record that the key of seal '{0}' is destroyed? "
                "This cannot be undone.",
            ).format(seal.name)
        self.confirm_box = ask_to_confirm(self, question, lambda: self.change(change))

    def change(self, change: str) -> None:
        """Suspend, resume, revoke or destroy the chosen seal, in the background."""
        seal = self.selected()
        if seal is None:
            return
        self.confirm_box = None
        db, actor, reason = self.opened.db, self.actor, self.reason.text().strip()
        act = _CHANGE[change]
        for button in self.buttons.values():
            button.setEnabled(False)
        self.run(
            lambda: act(db, actor, seal.id, reason),
            self._changed,
            lambda _exc: self._update_buttons(),
        )

    def _changed(self, seal: Seal) -> None:
        self.reason.clear()
        self.changed.emit(seal)
        self.load()

    def open_create_dialog(self) -> None:
        dialog = CreateSealDialog(self.opened, self.actor, self.lang, self)
        dialog.failed.connect(self.failed)
        dialog.created.connect(self._created)
        dialog.finished.connect(dialog.deleteLater)
        self.create_dialog = dialog
        dialog.open()

    def _created(self, seal: Seal) -> None:
        self.changed.emit(seal)
        self.load()
