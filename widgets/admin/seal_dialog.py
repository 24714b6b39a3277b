"""Create a seal (新建印章): name, type, token key, validity and the seal image.

The tokens present are listed in the background when the dialog opens. The
keys on the chosen token are read in the background too, which needs the
token's PIN: a USB key's PIN is typed here; for a network HSM the PIN kept
in the workspace (:mod:`app.admin.hsm_pins`) is used when the field is left
empty, and a typed HSM PIN can be kept for later. The PIN field is cleared as
soon as the keys are read.

Creating registers the seal (:func:`app.admin.seals.create_seal`) and then
stores its image (:func:`app.admin.seals.set_seal_image`), both as the
logged-in administrator; the services check the role and the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDateTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.admin.certs import BoundCertificate, load_certificate
from app.admin.people import Person, list_people
from app.admin.roles import Actor, Role
from app.admin.seals import (
    KeyStore,
    Seal,
    SealDraft,
    SealType,
    create_seal,
    set_seal_image,
)
from app.admin.tokens import present_tokens, read_token_keys
from app.errors import InputError
from app.seals.errors import SealDesignError
from app.seals.specs import SealSpec
from app.workspace import OpenWorkspace
from widgets.admin.designer import SealDesigner
from widgets.dialog_buttons import ok_cancel_buttons
from widgets.tasks import Task, start_task
from widgets.views.labels import key_store_label, seal_type_label

if TYPE_CHECKING:
    from app.admin.tokens import KeyInfo, TokenInfo

__all__ = ["CreateSealDialog", "TokenKey"]


@dataclass(frozen=True)
class TokenKey:
    """A key read from a token, with its parsed certificate."""

    key: KeyInfo
    certificate: BoundCertificate


class CreateSealDialog(QDialog):
    """Emits :attr:`created` with the new :class:`Seal`, :attr:`failed` on errors."""

    created = Signal(object)
    failed = Signal(object)
    tokens_loaded = Signal()
    keys_loaded = Signal()

    def __init__(
        self,
        opened: OpenWorkspace,
        actor: Actor,
        lang: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.opened = opened
        self.actor = actor
        self.lang = lang
        self.tokens: list[TokenInfo] = []
        self.keys: list[TokenKey] = []
        self._tasks: set[Task] = set()
        self.setWindowTitle(
            QCoreApplication.translate("CreateSealDialog", "Create seal")
        )
        self.name = QLineEdit()
        self.seal_type = QComboBox()
        for kind in SealType:
            self.seal_type.addItem(seal_type_label(kind), kind)
        self.key_store = QComboBox()
        for store in (KeyStore.HSM, KeyStore.USB_KEY):
            self.key_store.addItem(key_store_label(store), store)
        self.key_store.currentIndexChanged.connect(self._store_changed)
        self.token = QComboBox()
        self.token.currentIndexChanged.connect(self._forget_keys)
        self.refresh_tokens = QPushButton(
            QCoreApplication.translate("CreateSealDialog", "Refresh")
        )
        self.refresh_tokens.clicked.connect(self.list_tokens)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.keep_pin = QCheckBox(
            QCoreApplication.translate(
                "CreateSealDialog", "Keep this HSM PIN in the workspace"
            )
        )
        self.read_keys_button = QPushButton(
            QCoreApplication.translate("CreateSealDialog", "Read keys")
        )
        self.read_keys_button.clicked.connect(self.read_keys)
        self.key = QComboBox()
        self.key.currentIndexChanged.connect(self._key_changed)
        self.certificate = QLabel()
        self.certificate.setWordWrap(True)
        self.holder = QComboBox()
        self.holder.addItem(
            QCoreApplication.translate("CreateSealDialog", "(nobody)"), None
        )
        self.certificate_window = QCheckBox(
            QCoreApplication.translate("CreateSealDialog", "The certificate's validity")
        )
        self.certificate_window.setChecked(True)
        self.certificate_window.toggled.connect(self._window_toggled)
        self.valid_from = self._date_edit()
        self.valid_until = self._date_edit()
        self.designer = SealDesigner(lang)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.buttons, self.create_button = ok_cancel_buttons(
            self, self.submit, QCoreApplication.translate("CreateSealDialog", "Create")
        )
        self._build()
        self._store_changed()
        self._window_toggled()
        self._update()
        self.list_tokens()
        self._run(lambda: list_people(opened.db), self._show_people)

    def _date_edit(self) -> QDateTimeEdit:
        edit = QDateTimeEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        edit.setTimeZone(QTimeZone.utc())
        return edit

    def _build(self) -> None:
        token_row = QHBoxLayout()
        token_row.addWidget(self.token, 1)
        token_row.addWidget(self.refresh_tokens)
        pin_row = QHBoxLayout()
        pin_row.addWidget(self.pin, 1)
        pin_row.addWidget(self.read_keys_button)
        window = QHBoxLayout()
        window.addWidget(self.valid_from)
        window.addWidget(QLabel("–"))
        window.addWidget(self.valid_until)
        form = QFormLayout()
        form.addRow(QCoreApplication.translate("CreateSealDialog", "Name"), self.name)
        form.addRow(
            QCoreApplication.translate("CreateSealDialog", "Type"), self.seal_type
        )
        form.addRow(
            QCoreApplication.translate("CreateSealDialog", "Key store"), self.key_store
        )
        form.addRow(QCoreApplication.translate("CreateSealDialog", "Token"), token_row)
        form.addRow(QCoreApplication.translate("CreateSealDialog", "PIN"), pin_row)
        form.addRow("", self.keep_pin)
        form.addRow(QCoreApplication.translate("CreateSealDialog", "Key"), self.key)
        form.addRow(
            QCoreApplication.translate("CreateSealDialog", "Certificate"),
            self.certificate,
        )
        form.addRow(
            QCoreApplication.translate("CreateSealDialog", "Holder (USB key)"),
            self.holder,
        )
        form.addRow(
            QCoreApplication.translate("CreateSealDialog", "Valid"),
            self.certificate_window,
        )
        form.addRow("", window)
        form.addRow(self.note)
        self.form = form
        columns = QHBoxLayout()
        columns.addLayout(form, 1)
        columns.addWidget(self.designer, 1)
        outer = QFormLayout(self)
        outer.addRow(columns)
        outer.addRow(self.buttons)

    def _run(self, work: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        """Background work; a failure leaves through :attr:`failed`."""
        holder: list[Task] = []

        def done(result: Any) -> None:
            self._tasks.difference_update(holder)
            on_done(result)
            self._update()

        def failed(exc: Exception) -> None:
            self._tasks.difference_update(holder)
            self.note.clear()
            self._update()
            self.failed.emit(exc)

        holder.append(start_task(work, done, failed, owner=self))
        self._tasks.update(holder)

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    # -- people --------------------------------------------------------------

    def _show_people(self, people: list[Person]) -> None:
        for p in people:
            if p.active and p.has(Role.OFFICER):
                self.holder.addItem(p.name, p.id)

    # -- tokens and keys -----------------------------------------------------

    def _store_changed(self) -> None:
        hsm = self.key_store.currentData() is KeyStore.HSM
        self.pin.setPlaceholderText(
            QCoreApplication.translate(
                "CreateSealDialog", "Empty: use the kept HSM PIN"
            )
            if hsm
            else QCoreApplication.translate("CreateSealDialog", "PIN of the USB key")
        )
        self.form.setRowVisible(self.keep_pin, hsm)
        self.form.setRowVisible(self.holder, not hsm)

    def list_tokens(self) -> None:
        db = self.opened.db
        self.refresh_tokens.setEnabled(False)
        self.note.setText(
            QCoreApplication.translate("CreateSealDialog", "Looking for tokens…")
        )
        self._run(lambda: present_tokens(db), self._show_tokens)

    def _show_tokens(self, tokens: list[TokenInfo]) -> None:
        self.tokens = tokens
        self.token.clear()
        for t in tokens:
            self.token.addItem(f"{t.label} ({t.serial})", t.serial)
        self.refresh_tokens.setEnabled(True)
        self.note.setText(
            ""
            if tokens
            else QCoreApplication.translate("CreateSealDialog", "No token is present.")
        )
        self.tokens_loaded.emit()

    def choose_token(self, label: str) -> None:
        for index, t in enumerate(self.tokens):
            if t.label == label:
                self.token.setCurrentIndex(index)
                return
        raise KeyError(label)

    def _chosen_token(self) -> TokenInfo | None:
        index = self.token.currentIndex()
        return self.tokens[index] if 0 <= index < len(self.tokens) else None

    def _forget_keys(self) -> None:
        self.keys = []
        self.key.clear()
        self._update()

    def read_keys(self) -> None:
        """Read the chosen token's keys in the background (PIN from the field)."""
        token = self._chosen_token()
        if token is None:
            return
        pin = self.pin.text()
        self.pin.clear()
        hsm = self.key_store.currentData() is KeyStore.HSM
        keep = self.keep_pin.isChecked()
        opened, actor = self.opened, self.actor

        def work() -> list[TokenKey]:
            keys = read_token_keys(opened, actor, token, pin, hsm=hsm, keep_pin=keep)
            return [
                TokenKey(k, load_certificate(k.certificate))
                for k in keys
                if k.certificate is not None
            ]

        self._forget_keys()
        self.note.setText(
            QCoreApplication.translate("CreateSealDialog", "Reading keys…")
        )
        self._run(work, self._show_keys)

    def _show_keys(self, keys: list[TokenKey]) -> None:
        self.keys = keys
        self.key.clear()
        for k in keys:
            self.key.addItem(f"{k.key.label} – {k.certificate.subject}", k.key.label)
        self.note.setText(
            ""
            if keys
            else QCoreApplication.translate(
                "CreateSealDialog", "The token holds no key with a certificate."
            )
        )
        self._key_changed()
        self.keys_loaded.emit()

    def choose_key(self, label: str) -> None:
        index = self.key.findData(label)
        if index < 0:
            raise KeyError(label)
        self.key.setCurrentIndex(index)

    def _chosen_key(self) -> TokenKey | None:
        index = self.key.currentIndex()
        return self.keys[index] if 0 <= index < len(self.keys) else None

    def _key_changed(self) -> None:
        chosen = self._chosen_key()
        if chosen is None:
            self.certificate.clear()
            self._update()
            return
        cert = chosen.certificate
        start, end = cert.not_before, cert.not_after
        self.certificate.setText(
            QCoreApplication.translate(
                "CreateSealDialog", "{0}\nvalid {1:%Y-%m-%d} – {2:%Y-%m-%d}"
            ).format(cert.subject, start, end)
        )
        self.valid_from.setDateTime(
            QDateTime.fromSecsSinceEpoch(int(start.timestamp()), QTimeZone.utc())
        )
        self.valid_until.setDateTime(
            QDateTime.fromSecsSinceEpoch(int(end.timestamp()), QTimeZone.utc())
        )
        self._update()

    def _window_toggled(self) -> None:
        own = not self.certificate_window.isChecked()
        self.valid_from.setEnabled(own)
        self.valid_until.setEnabled(own)

    # -- creating ------------------------------------------------------------

    def _update(self) -> None:
        self.create_button.setEnabled(self._chosen_key() is not None and not self.busy)
        self.read_keys_button.setEnabled(
            self._chosen_token() is not None and not self.busy
        )

    def _window(self) -> tuple[datetime | None, datetime | None]:
        if self.certificate_window.isChecked():
            return None, None
        return (
            _utc(self.valid_from.dateTime()),
            _utc(self.valid_until.dateTime()),
        )

    def draft(self) -> SealDraft:
        chosen = self._chosen_key()
        token = self._chosen_token()
        if chosen is None or token is None:
            raise InputError("Choose a token and a key.", "请选择令牌和密钥。")
        start, end = self._window()
        store = self.key_store.currentData()
        return SealDraft(
            name=self.name.text().strip(),
            type=self.seal_type.currentData(),
            key_store=store,
            token_serial=token.serial,
            token_label=token.label,
            key_id=chosen.key.key_id,
            certificate=chosen.key.certificate or b"",
            key_label=chosen.key.label,
            valid_from=start,
            valid_until=end,
            holder=None if store is KeyStore.HSM else self.holder.currentData(),
        )

    def submit(self) -> None:
        if self.busy:
            return
        try:
            draft = self.draft()
            spec: SealSpec = self.designer.spec()
        except InputError as exc:
            self.failed.emit(exc)
            return
        except SealDesignError as exc:
            self.failed.emit(InputError(exc.en, exc.zh))
            return
        db, actor = self.opened.db, self.actor

        def work() -> Seal:
            seal = create_seal(db, actor, draft)
            return set_seal_image(db, actor, seal.id, spec)

        self.note.setText(QCoreApplication.translate("CreateSealDialog", "Creating…"))
        self._run(work, self._created)

    def _created(self, seal: Seal) -> None:
        self.note.clear()
        self.accept()
        self.created.emit(seal)


def _utc(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)
