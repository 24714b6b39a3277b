"""The officer's stamping screen (盖章).

The officer opens PDFs (file dialog or drag and drop), picks one of the seals
granted to them, puts the seal on a page — by dragging it at true size, by a
keyword hit, or as a riding seal (骑缝章) — and stamps. Several documents
get the same placement, as with the command line, after a confirmation list.
Stamping runs in the background through :func:`app.officer_desk.stamp_at_desk`;
the token PIN is asked for on the main thread (:mod:`.pin_dialog`); progress
arrives by queued signal and the run can be cancelled between documents.
Each stamped copy is then verified in the background.

A seal that needs approval stamps one document at a time, with an approval
requested for that document's SHA-256 from this screen.

Python's cyclic garbage collector stops every thread while it walks the
heap; before a run the objects that exist are frozen (:func:`gc.freeze`) so
that collections during the run stay short.

pdfium must not run on two threads at once, so the page pictures and the
keyword search wait while a stamping run (which may search keywords itself)
is in progress.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.admin.approvals import (
    Approval,
    ApprovalStatus,
    list_approvals,
)
from app.admin.roles import Actor
from app.admin.tokens import TokenInfo, present_tokens
from app.approval_documents import request_with_document
from app.errors import USER_ERRORS, Cancelled, InputError
from app.officer_desk import (
    document_sha256,
    stamp_at_desk,
    stamped_outputs,
    verify_output,
)
from app.page_preview import (
    KeywordSpot,
    PageImage,
    keyword_spots,
    page_sizes,
    render_page,
)
from app.stamping.placement import (
    CoordinatePlacement,
    KeywordPlacement,
    Placement,
    RidingPages,
    RidingPlacement,
    choose_riding_pages,
)
from app.stamping.service import BatchReport, DocumentReport, StampJob
from app.verification import VerificationReport
from app.workspace import OpenWorkspace
from widgets.i18n import QT_TRANSLATE_NOOP
from widgets.stamping.page_view import PageView, page_qimage
from widgets.stamping.pin_dialog import GuiPinHandler
from widgets.stamping.results import BatchConfirmDialog, ResultBanner
from widgets.stamping.seal_list import (
    UsableSeal,
    fill_seal_table,
    make_seal_table,
    usable_seals,
)
from widgets.tasks import start_task
from widgets.views.base import View
from widgets.views.labels import approval_label

__all__ = ["StampingView"]

T = TypeVar("T")

_THUMB_SCALE = 0.18
_BACKGROUND_NICENESS = 10
_MAX_RENDER_SCALE = 4.0


@dataclass
class OpenDocument:
    path: Path
    sizes: list[tuple[float, float]]
    sha256: str | None = None


@dataclass(frozen=True)
class DeskData:
    seals: list[UsableSeal]
    tokens: list[TokenInfo]


@dataclass
class PlacementChoice:
    """What the officer chose; turned into the app's placement on stamping."""

    mode: str = "none"  # none | position | keyword | riding
    page: int = 1
    x_mm: float = 0.0
    y_mm: float = 0.0
    keyword: str = ""
    occurrence: int = 1
    riding_pages: RidingPages = RidingPages.ALL
    riding_y_mm: float | None = None
    hits: list[KeywordSpot] = field(default_factory=list)


class _Relay(QObject):
    """Carries progress and verification results from the background."""

    progressed = Signal(int, object)
    verified = Signal(int, object)


class _WindowClosing(QObject):
    """Tells the view that its window is about to close."""

    def __init__(self, closing: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._closing = closing

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self._closing()
        return False


class StampingView(View):
    """See the module docs. Signals tell tests and the window what happened."""

    documents_changed = Signal()
    page_shown = Signal(int)
    keyword_found = Signal(object)
    approval_changed = Signal(object)
    stamping_finished = Signal(object)
    verification_done = Signal()

    def __init__(self, opened: OpenWorkspace, actor: Actor, lang: str) -> None:
        super().__init__(opened, actor, lang)
        self.seals: list[UsableSeal] = []
        self.tokens: list[TokenInfo] = []
        self.documents: list[OpenDocument] = []
        self.current: OpenDocument | None = None
        self.page_index = 0
        self.choice = PlacementChoice()
        self.approval: Approval | None = None
        self.stamping = False
        self.cancel_event: threading.Event | None = None
        self.confirm_dialog: BatchConfirmDialog | None = None
        self.last_report: BatchReport | None = None
        self.verifications: dict[int, VerificationReport] = {}
        self._render_serial = 0
        self._picture_pending = False
        self._tokens_listed = False
        self._icons: dict[str, QIcon] = {}
        self._shown_seal: tuple[str, bool] | None = None
        self.relay = _Relay(self)
        self.relay.progressed.connect(self._progressed)
        self.relay.verified.connect(self._verified)
        self.pin_handler = GuiPinHandler(lang, self)
        self.destroyed.connect(self.pin_handler.waiting.decline_all)
        self._closing_watch = _WindowClosing(self._window_closing, self)
        self._watched: QWidget | None = None
        self.setAcceptDrops(True)
        self._build()
        self.load()

    def showEvent(self, event: QShowEvent) -> None:
        """Watch the window: when it closes, a waiting run must not hold it."""
        super().showEvent(event)
        window = self.window()
        if window is not self._watched:
            window.installEventFilter(self._closing_watch)
            self._watched = window

    def _window_closing(self) -> None:
        self.cancel_stamping()
        self.pin_handler.decline_all()

    # -- layout ----------------------------------------------------------------

    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._left_panel())
        splitter.addWidget(self._centre_panel())
        splitter.addWidget(self._right_panel())
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([250, 700, 520])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.banner)

    def _left_panel(self) -> QWidget:
        panel = QWidget()
        box = QVBoxLayout(panel)
        self.open_button = QPushButton(
            QCoreApplication.translate("StampingView", "Open PDFs…")
        )
        self.open_button.clicked.connect(self.choose_documents)
        self.remove_button = QPushButton(
            QCoreApplication.translate("StampingView", "Remove")
        )
        self.remove_button.clicked.connect(self.remove_current)
        self.document_list = QListWidget()
        self.document_list.currentRowChanged.connect(self._document_chosen)
        self.thumbnails = QListWidget()
        self.thumbnails.setViewMode(QListWidget.ViewMode.IconMode)
        self.thumbnails.setMovement(QListWidget.Movement.Static)
        self.thumbnails.setIconSize(QSize(96, 136))
        self.thumbnails.setGridSize(QSize(112, 160))
        self.thumbnails.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.thumbnails.currentRowChanged.connect(self._page_chosen)
        hint = QLabel(
            QCoreApplication.translate("StampingView", "Drop PDF files here.")
        )
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addWidget(self.remove_button)
        box.addLayout(row)
        box.addWidget(QLabel(QCoreApplication.translate("StampingView", "Documents")))
        box.addWidget(self.document_list, 1)
        box.addWidget(QLabel(QCoreApplication.translate("StampingView", "Pages")))
        box.addWidget(self.thumbnails, 2)
        box.addWidget(hint)
        return panel

    def _centre_panel(self) -> QWidget:
        panel = QWidget()
        box = QVBoxLayout(panel)
        self.page_view = PageView()
        self.page_view.setAcceptDrops(False)
        self.page_view.viewport().setAcceptDrops(False)
        self.page_view.seal_moved.connect(self._seal_dragged)
        self.page_view.riding_moved.connect(self._riding_dragged)
        self.zoom_out = QPushButton("−")
        self.zoom_in = QPushButton("+")
        self.true_size = QPushButton(
            QCoreApplication.translate("StampingView", "True size")
        )
        self.zoom_label = QLabel()
        self.zoom_out.clicked.connect(lambda: self.set_zoom(self.page_view.zoom / 1.25))
        self.zoom_in.clicked.connect(lambda: self.set_zoom(self.page_view.zoom * 1.25))
        self.true_size.clicked.connect(lambda: self.set_zoom(1.0))
        self.page_label = QLabel()
        self.position_label = QLabel(
            QCoreApplication.translate("StampingView", "No seal placed yet.")
        )
        tools = QHBoxLayout()
        for widget in (self.zoom_out, self.zoom_label, self.zoom_in, self.true_size):
            tools.addWidget(widget)
        tools.addStretch(1)
        tools.addWidget(self.page_label)
        box.addLayout(tools)
        box.addWidget(self.page_view, 1)
        box.addWidget(self.position_label)
        self._zoom_text()
        return panel

    def _right_panel(self) -> QWidget:
        panel = QWidget()
        box = QVBoxLayout(panel)
        self.seal_table = make_seal_table()
        self.seal_table.currentCellChanged.connect(lambda *_: self._seal_chosen())
        box.addWidget(
            QLabel(QCoreApplication.translate("StampingView", "Seals you may use"))
        )
        box.addWidget(self.seal_table, 1)
        box.addWidget(self._placement_group())
        box.addWidget(self._approval_group())
        box.addWidget(self._stamp_group())
        self.banner = ResultBanner(self.lang)
        return panel

    def _placement_group(self) -> QGroupBox:
        group = QGroupBox(QCoreApplication.translate("StampingView", "Placement"))
        form = QFormLayout(group)
        self.keyword_edit = QLineEdit()
        self.keyword_edit.setPlaceholderText(
            QCoreApplication.translate("StampingView", "e.g. 盖章处")
        )
        self.keyword_edit.returnPressed.connect(self.find_keyword)
        self.find_button = QPushButton(
            QCoreApplication.translate("StampingView", "Find")
        )
        self.find_button.clicked.connect(self.find_keyword)
        self.hits = QComboBox()
        self.hits.activated.connect(self.snap_to_hit)
        row = QHBoxLayout()
        row.addWidget(self.keyword_edit, 1)
        row.addWidget(self.find_button)
        self.riding_box = QCheckBox(
            QCoreApplication.translate("StampingView", "Riding seal (骑缝章)")
        )
        self.riding_box.toggled.connect(self._riding_toggled)
        self.riding_pages = QComboBox()
        for pages, name in (
            (RidingPages.ALL, QT_TRANSLATE_NOOP("StampingView", "all pages")),
            (RidingPages.ODD, QT_TRANSLATE_NOOP("StampingView", "odd pages")),
            (RidingPages.EVEN, QT_TRANSLATE_NOOP("StampingView", "even pages")),
        ):
            self.riding_pages.addItem(
                QCoreApplication.translate("StampingView", name), pages
            )
        self.riding_pages.currentIndexChanged.connect(lambda _i: self._riding_changed())
        form.addRow(QCoreApplication.translate("StampingView", "Keyword"), row)
        form.addRow(QCoreApplication.translate("StampingView", "Hits"), self.hits)
        form.addRow(self.riding_box, self.riding_pages)
        return group

    def _approval_group(self) -> QGroupBox:
        group = QGroupBox(QCoreApplication.translate("StampingView", "Approval"))
        form = QFormLayout(group)
        self.approval_label = QLabel(
            QCoreApplication.translate("StampingView", "Not needed.")
        )
        self.approval_label.setWordWrap(True)
        self.request_button = QPushButton(
            QCoreApplication.translate("StampingView", "Request approval")
        )
        self.request_button.clicked.connect(self.request_approval)
        self.refresh_button = QPushButton(
            QCoreApplication.translate("StampingView", "Refresh")
        )
        self.refresh_button.clicked.connect(self.refresh_approval)
        row = QHBoxLayout()
        row.addWidget(self.request_button)
        row.addWidget(self.refresh_button)
        form.addRow(self.approval_label)
        form.addRow(row)
        self.approval_group = group
        group.setVisible(False)
        return group

    def _stamp_group(self) -> QGroupBox:
        group = QGroupBox(QCoreApplication.translate("StampingView", "Stamp"))
        form = QFormLayout(group)
        self.category = QComboBox()
        self.category.setEditable(True)
        self.reason = QLineEdit()
        self.confirm_token = QCheckBox(
            QCoreApplication.translate("StampingView", "Confirm with my token")
        )
        self.token_choice = QComboBox()
        self.beside = QRadioButton(
            QCoreApplication.translate("StampingView", "Next to the documents")
        )
        self.in_folder = QRadioButton(
            QCoreApplication.translate("StampingView", "In folder:")
        )
        self.beside.setChecked(True)
        self.output_group = QButtonGroup(self)
        self.output_group.addButton(self.beside)
        self.output_group.addButton(self.in_folder)
        self.folder_edit = QLineEdit()
        browse = QPushButton(QCoreApplication.translate("StampingView", "Browse…"))
        browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.in_folder)
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        self.stamp_button = QPushButton(
            QCoreApplication.translate("StampingView", "Stamp")
        )
        self.stamp_button.clicked.connect(self.stamp)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(
            QCoreApplication.translate("StampingView", "Cancel")
        )
        self.cancel_button.clicked.connect(self.cancel_stamping)
        self.cancel_button.setVisible(False)
        run_row = QHBoxLayout()
        run_row.addWidget(self.stamp_button)
        run_row.addWidget(self.progress, 1)
        run_row.addWidget(self.cancel_button)
        form.addRow(
            QCoreApplication.translate("StampingView", "Category"), self.category
        )
        form.addRow(QCoreApplication.translate("StampingView", "Reason"), self.reason)
        form.addRow(self.confirm_token, self.token_choice)
        form.addRow(self.beside)
        form.addRow(folder_row)
        form.addRow(run_row)
        return group

    # -- data ------------------------------------------------------------------

    def fetch(self) -> DeskData:
        seals = usable_seals(self.opened, self.actor)
        seal_tokens = {row.seal.token_serial for row in seals}
        try:
            tokens = [
                t for t in present_tokens(self.opened.db) if t.serial not in seal_tokens
            ]
        except USER_ERRORS:  # no module configured or loadable: no token step
            tokens = []
        return DeskData(seals, tokens)

    def show_data(self, data: DeskData) -> None:
        chosen = self.selected_seal()
        self.seals = data.seals
        self.tokens = data.tokens
        fill_seal_table(self.seal_table, data.seals, self._icons)
        names = [row.seal.name for row in data.seals]
        row = (
            names.index(chosen.seal.name) if chosen and chosen.seal.name in names else 0
        )
        if data.seals:
            self.seal_table.setCurrentCell(row, 0)
        first, self._tokens_listed = not self._tokens_listed, True
        chosen_token = self.token_choice.currentData()
        self.token_choice.clear()
        for token in data.tokens:
            self.token_choice.addItem(token.label, token.serial)
        kept = self.token_choice.findData(chosen_token)
        if kept >= 0:
            self.token_choice.setCurrentIndex(kept)
        if first:
            self.confirm_token.setChecked(bool(data.tokens))
        self.confirm_token.setEnabled(bool(data.tokens))
        self._seal_chosen()

    def selected_seal(self) -> UsableSeal | None:
        row = self.seal_table.currentRow()
        return self.seals[row] if 0 <= row < len(self.seals) else None

    def choose_seal(self, name: str) -> None:
        """Select the seal called ``name``."""
        for row, usable in enumerate(self.seals):
            if usable.seal.name == name:
                self.seal_table.setCurrentCell(row, 0)
                return
        raise KeyError(name)

    def _seal_chosen(self) -> None:
        usable = self.selected_seal()
        if usable is None:
            return
        image = usable.image
        shown = (usable.seal.id, image is not None)
        if shown != self._shown_seal:  # decoding the image takes a while
            self._shown_seal = shown
            if image is None:
                self.page_view.set_seal(None, 0, 0)
            else:
                self.page_view.set_seal(image.png, image.width_mm, image.height_mm)
        current = self.category.currentText()
        self.category.clear()
        self.category.addItems(list(usable.grant.categories))
        if current:
            self.category.setCurrentText(current)
        self.approval_group.setVisible(usable.grant.approval_required)
        self._show_placement()
        if usable.grant.approval_required:
            self.refresh_approval()

    # -- documents -------------------------------------------------------------

    def choose_documents(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            QCoreApplication.translate("StampingView", "Open PDF documents"),
            "",
            QCoreApplication.translate("StampingView", "PDF documents (*.pdf)"),
        )
        self.add_documents([Path(n) for n in names])

    def add_documents(self, paths: list[Path]) -> None:
        """Open these PDFs (their page sizes are read in the background)."""
        known = {d.path.resolve() for d in self.documents}
        fresh = [p for p in paths if p.resolve() not in known]
        if not fresh:
            return

        def read() -> tuple[list[OpenDocument], list[Exception]]:
            documents, errors = [], []
            for path in fresh:
                try:
                    documents.append(OpenDocument(path, page_sizes(path)))
                except USER_ERRORS as exc:  # one bad file does not stop the rest
                    errors.append(exc)
            return documents, errors

        self.run(read, self._documents_read)

    def _documents_read(
        self, result: tuple[list[OpenDocument], list[Exception]]
    ) -> None:
        opened, errors = result
        for exc in errors:
            self.failed.emit(exc)
        first_new = len(self.documents)
        for document in opened:
            self.documents.append(document)
            self.document_list.addItem(QListWidgetItem(document.path.name))
        self.documents_changed.emit()
        if self.current is None and opened:
            self.document_list.setCurrentRow(first_new)

    def remove_current(self) -> None:
        row = self.document_list.currentRow()
        if row < 0 or self.stamping:
            return
        self.documents.pop(row)
        self.document_list.takeItem(row)
        if not self.documents:
            self.current = None
            self.thumbnails.clear()
            self.page_view.clear_page()
            self._seal_chosen()
        self.documents_changed.emit()

    def _document_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.documents):
            return
        self.current = self.documents[row]
        self.choice.hits = []
        self.hits.clear()
        self._fill_thumbnails(self.current)
        page = self.choice.page - 1 if self.choice.mode == "position" else 0
        self.show_page(min(max(page, 0), len(self.current.sizes) - 1))
        usable = self.selected_seal()
        if usable is not None and usable.grant.approval_required:
            self.refresh_approval()

    def _fill_thumbnails(self, document: OpenDocument) -> None:
        self.thumbnails.blockSignals(True)
        self.thumbnails.clear()
        for number in range(1, len(document.sizes) + 1):
            self.thumbnails.addItem(QListWidgetItem(str(number)))
        self.thumbnails.blockSignals(False)
        if self.stamping:
            return
        path = document.path
        count = len(document.sizes)

        def draw() -> list[PageImage]:
            return [render_page(path, i, _THUMB_SCALE) for i in range(count)]

        def show(images: list[PageImage]) -> None:
            if self.current is not document:
                return
            for image in images:
                item = self.thumbnails.item(image.index)
                if item is not None:
                    item.setIcon(QIcon(QPixmap.fromImage(page_qimage(image))))

        self.run(draw, show)

    def _page_chosen(self, row: int) -> None:
        document = self.current
        valid = document is not None and 0 <= row < len(document.sizes)
        if valid and row != self.page_index:
            self.show_page(row)

    def show_page(self, index: int) -> None:
        """Show page ``index`` (0-based) of the current document."""
        document = self.current
        if document is None:
            return
        self.page_index = index
        self.thumbnails.blockSignals(True)
        self.thumbnails.setCurrentRow(index)
        self.thumbnails.blockSignals(False)
        self.page_view.show_page(document.sizes[index])
        self.page_label.setText(
            QCoreApplication.translate("StampingView", "Page {0} of {1}").format(
                index + 1, len(document.sizes)
            )
        )
        self._show_placement()
        self._draw_page()

    def _draw_page(self) -> None:
        document = self.current
        if document is None:
            return
        if self.stamping:
            self._picture_pending = True
            return
        self._render_serial += 1
        serial = self._render_serial
        index = self.page_index
        ratio = self.page_view.devicePixelRatioF()
        scale = min(self.page_view.pixels_per_point() * ratio, _MAX_RENDER_SCALE)
        path = document.path

        def shown(image: PageImage) -> None:
            if serial == self._render_serial:
                self.page_view.set_picture(page_qimage(image), image.scale)
                self.page_shown.emit(index)

        self.run(lambda: render_page(path, index, scale), shown)

    def set_zoom(self, zoom: float) -> None:
        self.page_view.set_zoom(zoom)
        self._zoom_text()
        self._draw_page()

    def _zoom_text(self) -> None:
        self.zoom_label.setText(f"{self.page_view.zoom * 100:.0f}%")

    # -- drag and drop of files ------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _pdf_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _pdf_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.add_documents(paths)

    # -- placement -------------------------------------------------------------

    def _seal_dragged(self, x_mm: float, y_mm: float) -> None:
        self.choice.mode = "position"
        self.choice.page = self.page_index + 1
        self.choice.x_mm, self.choice.y_mm = x_mm, y_mm
        self._show_placement()

    def place_seal(self, page: int, x_mm: float, y_mm: float) -> None:
        """Put the seal at a position (1-based page, mm from the top-left)."""
        self.riding_box.setChecked(False)
        if self.current is not None and page - 1 != self.page_index:
            self.show_page(page - 1)
        self.page_view.put_seal(x_mm, y_mm)
        self._seal_dragged(x_mm, y_mm)

    def find_keyword(self) -> None:
        """Search the current document for the keyword, in the background."""
        text = self.keyword_edit.text().strip()
        document = self.current
        if not text or document is None or self.stamping:
            return
        self.find_button.setEnabled(False)

        def found(spots: list[KeywordSpot]) -> None:
            self.find_button.setEnabled(True)
            self.choice.hits = spots
            self.hits.clear()
            for number, spot in enumerate(spots, start=1):
                self.hits.addItem(
                    QCoreApplication.translate("StampingView", "{0}: page {1}").format(
                        number, spot.page + 1
                    )
                )
            if spots:
                self.choice.keyword = text
                self.snap_to_hit(0)
            else:
                self.position_label.setText(
                    QCoreApplication.translate(
                        "StampingView", "“{0}” was not found in {1}."
                    ).format(text, document.path.name)
                )
            self.keyword_found.emit(spots)

        self.run(
            lambda: keyword_spots(document.path, text),
            found,
            lambda _exc: self.find_button.setEnabled(True),
        )

    def snap_to_hit(self, number: int) -> None:
        """Centre the seal on hit ``number`` (0-based) of the keyword."""
        if not 0 <= number < len(self.choice.hits):
            return
        spot = self.choice.hits[number]
        self.riding_box.setChecked(False)
        if spot.page != self.page_index:
            self.show_page(spot.page)
        self.page_view.put_seal(spot.x_mm, spot.y_mm)
        self.choice.mode = "keyword"
        self.choice.occurrence = number + 1
        self.choice.page = spot.page + 1
        self.choice.x_mm, self.choice.y_mm = spot.x_mm, spot.y_mm
        if self.hits.currentIndex() != number:
            self.hits.setCurrentIndex(number)
        self._show_placement()

    def _riding_toggled(self, on: bool) -> None:
        if on:
            self.choice.mode = "riding"
        elif self.choice.mode == "riding":
            self.choice.mode = "none"
        self._riding_changed()

    def _riding_dragged(self, y_mm: float) -> None:
        self.choice.riding_y_mm = y_mm
        self._show_placement()

    def _riding_changed(self) -> None:
        pages = self.riding_pages.currentData()
        if isinstance(pages, RidingPages):
            self.choice.riding_pages = pages
        self._show_placement()

    def _riding_piece(self) -> tuple[int, int] | None:
        if self.current is None:
            return None
        chosen = choose_riding_pages(self._riding_placement(), len(self.current.sizes))
        if len(chosen) < 2 or self.page_index not in chosen:
            return None
        return chosen.index(self.page_index), len(chosen)

    def _riding_placement(self) -> RidingPlacement:
        return RidingPlacement(self.choice.riding_pages, 1, self.choice.riding_y_mm)

    def _show_placement(self) -> None:
        choice = self.choice
        riding = choice.mode == "riding"
        self.page_view.set_riding(self._riding_piece(), choice.riding_y_mm, riding)
        on_this_page = choice.mode in ("position", "keyword") and (
            choice.page == self.page_index + 1
        )
        if on_this_page:
            self.page_view.put_seal(choice.x_mm, choice.y_mm)
        else:
            self.page_view.hide_seal()
        self.position_label.setText(self._placement_text())

    def _placement_text(self) -> str:
        c = self.choice
        if c.mode == "position":
            return QCoreApplication.translate(
                "StampingView",
                "Seal centre: page {0}, x {1:.1f} mm, y {2:.1f} mm from the top-left.",
            ).format(c.page, c.x_mm, c.y_mm)
        if c.mode == "keyword":
            return QCoreApplication.translate(
                "StampingView",
                "On “{0}”, hit {1} (page {2}, x {3:.1f} mm, y {4:.1f} mm).",
            ).format(c.keyword, c.occurrence, c.page, c.x_mm, c.y_mm)
        if c.mode == "riding":
            at = (
                QCoreApplication.translate("StampingView", "centred")
                if c.riding_y_mm is None
                else QCoreApplication.translate(
                    "StampingView", "{0:.1f} mm from the top"
                ).format(c.riding_y_mm)
            )
            return QCoreApplication.translate(
                "StampingView", "Riding seal on the right edges, {0}."
            ).format(at)
        return QCoreApplication.translate(
            "StampingView", "Drag the seal onto the page, or find a keyword."
        )

    def placement(self) -> Placement:
        """The app's placement for the officer's choice."""
        c = self.choice
        if c.mode == "position":
            return CoordinatePlacement(c.page, round(c.x_mm, 2), round(c.y_mm, 2))
        if c.mode == "keyword":
            return KeywordPlacement(c.keyword, c.occurrence)
        if c.mode == "riding":
            return self._riding_placement()
        raise InputError(
            "Place the seal first: drag it onto the page or find a keyword.",
            "请先放置印章：将其拖到页面上或查找关键字。",
        )

    # -- approvals -------------------------------------------------------------

    def refresh_approval(self) -> None:
        """Read the state of this document's approval request, in the background."""
        usable, document = self.selected_seal(), self.current
        if usable is None or document is None or not usable.grant.approval_required:
            return
        self.approval_label.setText(
            QCoreApplication.translate("StampingView", "Checking…")
        )
        db, me, seal_id = self.opened.db, self.actor.person_id, usable.seal.id

        def read() -> tuple[str, Approval | None]:
            digest = document_sha256(document.path)
            for approval in list_approvals(db, requester=me, seal=seal_id):
                if approval.document_sha256 == digest:
                    return digest, approval
            return digest, None

        def show(result: tuple[str, Approval | None]) -> None:
            document.sha256, approval = result
            if self.current is document:
                self._show_approval(approval)

        self.run(read, show)

    def _show_approval(self, approval: Approval | None) -> None:
        self.approval = approval
        state = approval_label(None if approval is None else approval.status)
        digest = (self.current.sha256 or "")[:12] if self.current else ""
        self.approval_label.setText(
            QCoreApplication.translate(
                "StampingView",
                "Needed for this seal. This document (SHA-256 {0}…): {1}.",
            ).format(digest, state)
        )
        waiting = approval is not None and approval.status in (
            ApprovalStatus.PENDING,
            ApprovalStatus.APPROVED,
        )
        self.request_button.setEnabled(not waiting)
        self.approval_changed.emit(approval)

    def request_approval(self) -> None:
        """Ask for approval to use the seal on the current document."""
        usable, document = self.selected_seal(), self.current
        if usable is None or document is None:
            return
        category = self.category.currentText().strip()
        if not category:
            self.failed.emit(
                InputError("Choose the document category.", "请选择文件类别。")
            )
            return
        opened, actor, reason = self.opened, self.actor, self.reason.text().strip()
        self.request_button.setEnabled(False)

        def ask() -> Approval:
            # The document is kept (encrypted) so the approver sees it.
            return request_with_document(
                opened,
                actor,
                usable.seal.name,
                document.path,
                category,
                title=document.path.stem,
                reason=reason,
            )

        self.run(
            ask,
            lambda approval: (
                self._show_approval(approval) if self.current is document else None
            ),
            lambda _exc: self.request_button.setEnabled(True),
        )

    # -- stamping --------------------------------------------------------------

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self,
            QCoreApplication.translate("StampingView", "Folder for stamped copies"),
        )
        if folder:
            self.folder_edit.setText(folder)
            self.in_folder.setChecked(True)

    def build_job(self) -> StampJob:
        """The job for the officer's choices; raises the reason it cannot be made."""
        usable = self.selected_seal()
        if usable is None:
            raise InputError("Choose a seal.", "请选择印章。")
        if not self.documents or self.current is None:
            raise InputError("Open a PDF document first.", "请先打开 PDF 文件。")
        category = self.category.currentText().strip()
        if not category:
            raise InputError("Choose the document category.", "请选择文件类别。")
        placement = self.placement()
        approval_id = None
        inputs = tuple(d.path for d in self.documents)
        if usable.grant.approval_required:
            if len(inputs) > 1:
                raise InputError(
                    f"The seal {usable.seal.name} needs an approval for each "
                    "document; open one document at a time.",
                    f"印章“{usable.seal.name}”每个文件都需审批，请一次只打开一个文件。",
                )
            approval = self.approval
            if approval is None or approval.status is not ApprovalStatus.APPROVED:
                raise InputError(
                    f"The seal {usable.seal.name} needs an approved request for "
                    "this document; request approval first.",
                    f"印章“{usable.seal.name}”需要本文件的审批通过后才能使用，请先申请审批。",
                )
            approval_id = approval.id
        folder = None
        if self.in_folder.isChecked():
            folder = Path(self.folder_edit.text().strip())
        return StampJob(
            inputs=inputs,
            outputs=stamped_outputs(inputs, folder),
            seal=usable.seal.name,
            placement=placement,
            category=category,
            approval_id=approval_id,
            reason=self.reason.text().strip() or None,
        )

    def stamp(self) -> None:
        """Stamp the open documents; several are confirmed in a list first."""
        if self.stamping:
            return
        try:
            job = self.build_job()
        except USER_ERRORS as exc:
            self.failed.emit(exc)
            return
        if len(job.inputs) == 1:
            self._start(job)
            return
        dialog = BatchConfirmDialog(job, self.lang, self)
        dialog.accepted.connect(lambda: self._start(job))
        dialog.finished.connect(lambda _r: self._drop_confirm(dialog))
        self.confirm_dialog = dialog
        dialog.open()

    def _drop_confirm(self, dialog: BatchConfirmDialog) -> None:
        if self.confirm_dialog is dialog:
            self.confirm_dialog = None
        dialog.deleteLater()

    def _start(self, job: StampJob) -> None:
        self.stamping = True
        # A full collection walks every object while holding the GIL, so the
        # window would stand still for a fifth of a second when one runs on
        # the stamping thread. The desk's long-lived objects are moved out of
        # the collector's way; it then walks only what the run creates.
        gc.freeze()
        self.cancel_event = threading.Event()
        self.verifications = {}
        self._set_running(True, len(job.inputs))
        self.banner.start(job)
        serial = (
            self.token_choice.currentData() if self.confirm_token.isChecked() else None
        )
        opened, actor, handler = self.opened, self.actor, self.pin_handler
        cancel, relay = self.cancel_event, self.relay

        def work() -> BatchReport:
            return stamp_at_desk(
                opened,
                actor,
                job,
                handler,
                confirm_token=serial,
                progress=relay.progressed.emit,
                cancel=cancel,
            )

        start_task(
            lambda: _low_priority(work), self._stamped, self._stamp_failed, owner=self
        )

    def cancel_stamping(self) -> None:
        """Stop before the next document; the current one is finished."""
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.cancel_button.setEnabled(False)

    def _set_running(self, running: bool, total: int = 0) -> None:
        self.stamp_button.setEnabled(not running)
        self.find_button.setEnabled(not running)
        self.remove_button.setEnabled(not running)
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setRange(0, total)
            self.progress.setValue(0)

    def _progressed(self, index: int, report: DocumentReport) -> None:
        self.progress.setValue(self.progress.value() + 1)
        self.banner.progressed(index, report)

    def _finish_run(self) -> None:
        self.stamping = False
        self.cancel_event = None
        self._set_running(False)
        if self._picture_pending:
            self._picture_pending = False
            self._draw_page()

    def _stamped(self, report: BatchReport) -> None:
        if not isValid(self):
            return
        self._finish_run()
        self.last_report = report
        self.banner.finished(report)
        self.stamping_finished.emit(report)
        self._verify(report)
        self.load()  # uses left and approval states changed

    def _stamp_failed(self, exc: Exception) -> None:
        if not isValid(self):
            return
        self._finish_run()
        if isinstance(exc, Cancelled):
            self.banner.cancelled()
            self.stamping_finished.emit(None)
            return
        self.banner.setVisible(False)
        self.stamping_finished.emit(None)
        self.failed.emit(exc)

    def _verify(self, report: BatchReport) -> None:
        stamped = [
            (i, d.output) for i, d in enumerate(report.documents) if d.sha256_after
        ]
        if not stamped:
            self.verification_done.emit()
            return
        opened, relay = self.opened, self.relay

        def work() -> int:
            for index, output in stamped:
                relay.verified.emit(index, verify_output(opened, output))
            return len(stamped)

        self.run(lambda: _low_priority(work), lambda _n: self.verification_done.emit())

    def _verified(self, index: int, report: VerificationReport) -> None:
        self.verifications[index] = report
        self.banner.verified(index, report)


def _low_priority(work: Callable[[], T]) -> T:
    """Run ``work`` on a thread of its own that yields the CPU to the window.

    On Linux a thread's scheduling priority can be lowered by itself alone;
    the threads it starts (the stamping pipeline's) inherit it. Elsewhere the
    work simply runs at normal priority.
    """
    outcome: list[Any] = []

    def body() -> None:
        with contextlib.suppress(AttributeError, OSError):  # not on this system
            os.setpriority(
                os.PRIO_PROCESS, threading.get_native_id(), _BACKGROUND_NICENESS
            )
        try:
            outcome.append((True, work()))
        except BaseException as exc:  # handed back to the calling thread
            outcome.append((False, exc))

    thread = threading.Thread(target=body, name="sealdesk-stamping", daemon=True)
    thread.start()
    thread.join()
    succeeded, value = outcome[0]
    if not succeeded:
        raise value
    result: T = value
    return result


def _pdf_paths(urls: Any) -> list[Path]:
    paths = []
    for url in urls:
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() == ".pdf":
                paths.append(path)
    return paths
