"""The seal image designer panel: template, size and texts, with a live preview.

Every change restarts a short single-shot timer; when it fires, the seal is
rendered by :func:`app.seals.designer.render` in the background at the
screen's resolution, so the preview shows the seal at its true size (mm are
turned into pixels with the screen's logical dots per inch). A preview that
arrives after a newer change was made is dropped. Texts the designer cannot
draw are explained under the preview, not as an alert: the administrator is
still typing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import user_message
from app.seals.designer import DPI_RANGE, render
from app.seals.errors import SealDesignError
from app.seals.specs import (
    ImportedSealSpec,
    OvalSealSpec,
    RoundSealSpec,
    SealImage,
    SealSpec,
    SquareSealSpec,
)
from widgets.i18n import QT_TRANSLATE_NOOP
from widgets.tasks import Task, start_task

__all__ = ["DEBOUNCE_MS", "TEMPLATES", "SealDesigner"]

DEBOUNCE_MS = 300
MM_PER_INCH = 25.4

# Template key, name (translated in the SealDesigner context), default width
# and height in mm.
TEMPLATES: dict[str, tuple[str, float, float]] = {
    "round": (QT_TRANSLATE_NOOP("SealDesigner", "Round with star"), 42.0, 42.0),
    "oval": (QT_TRANSLATE_NOOP("SealDesigner", "Oval"), 40.0, 30.0),
    "square": (QT_TRANSLATE_NOOP("SealDesigner", "Square name seal"), 20.0, 20.0),
    "imported": (QT_TRANSLATE_NOOP("SealDesigner", "Imported PNG/SVG"), 40.0, 0.0),
}


class SealDesigner(QWidget):
    """Emits :attr:`preview_ready` whenever a new preview is on screen."""

    preview_ready = Signal()

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.image: SealImage | None = None
        self.pixmap = QPixmap()
        self._generation = 0
        self._task: Task | None = None
        self.template = QComboBox()
        for key, (name, _w, _h) in TEMPLATES.items():
            self.template.addItem(QCoreApplication.translate("SealDesigner", name), key)
        self.width_mm = self._spin()
        self.height_mm = self._spin()
        self.height_mm.setSpecialValueText(
            QCoreApplication.translate("SealDesigner", "from the image")
        )
        self.ring_text = QLineEdit()
        self.bottom_line = QLineEdit()
        self.code = QLineEdit()
        self.append_yin = QCheckBox(
            QCoreApplication.translate("SealDesigner", "Add 印 to a 3-character name")
        )
        self.source = QLineEdit()
        self.browse = QPushButton(QCoreApplication.translate("SealDesigner", "Choose…"))
        self.browse.clicked.connect(self._choose_source)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(240, 240)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.render_preview)
        self._build()
        self.template.currentIndexChanged.connect(self._template_changed)
        for edit in (self.ring_text, self.bottom_line, self.code, self.source):
            edit.textChanged.connect(self.changed)
        for spin in (self.width_mm, self.height_mm):
            spin.valueChanged.connect(self.changed)
        self.append_yin.toggled.connect(self.changed)
        self._template_changed()

    def _spin(self) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0.0, 100.0)
        spin.setDecimals(1)
        spin.setSuffix(" mm")
        return spin

    def _build(self) -> None:
        source_row = QHBoxLayout()
        source_row.addWidget(self.source, 1)
        source_row.addWidget(self.browse)
        self.form = QFormLayout()
        self.form.addRow(
            QCoreApplication.translate("SealDesigner", "Template"), self.template
        )
        self.form.addRow(
            QCoreApplication.translate("SealDesigner", "Width / diameter"),
            self.width_mm,
        )
        self.form.addRow(
            QCoreApplication.translate("SealDesigner", "Height"), self.height_mm
        )
        self.form.addRow(
            QCoreApplication.translate("SealDesigner", "Ring text"), self.ring_text
        )
        self.form.addRow(
            QCoreApplication.translate("SealDesigner", "Bottom line"), self.bottom_line
        )
        self.form.addRow(QCoreApplication.translate("SealDesigner", "Code"), self.code)
        self.form.addRow("", self.append_yin)
        self.form.addRow(
            QCoreApplication.translate("SealDesigner", "Image file"), source_row
        )
        self._source_row = source_row
        scroll = QScrollArea()
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        scroll.setMinimumSize(260, 260)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(
            QLabel(QCoreApplication.translate("SealDesigner", "Preview at true size"))
        )
        layout.addWidget(scroll, 1)
        layout.addWidget(self.note)

    @property
    def kind(self) -> str:
        return str(self.template.currentData())

    def choose_template(self, kind: str) -> None:
        index = self.template.findData(kind)
        if index < 0:
            raise KeyError(kind)
        self.template.setCurrentIndex(index)

    def _template_changed(self) -> None:
        kind = self.kind
        _name, width, height = TEMPLATES[kind]
        self.width_mm.setValue(width)
        self.height_mm.setValue(height)
        shown = {
            self.height_mm: kind in ("oval", "imported"),
            self.ring_text: kind != "imported",
            self.bottom_line: kind in ("round", "oval"),
            self.code: kind in ("round", "oval"),
            self.append_yin: kind == "square",
        }
        for widget, visible in shown.items():
            self.form.setRowVisible(widget, visible)
        self.form.setRowVisible(self._source_row, kind == "imported")
        label = self.form.labelForField(self.ring_text)
        if isinstance(label, QLabel):
            label.setText(
                QCoreApplication.translate("SealDesigner", "Name")
                if kind == "square"
                else QCoreApplication.translate("SealDesigner", "Ring text")
            )
        self.changed()

    def _choose_source(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("SealDesigner", "Seal image"),
            "",
            QCoreApplication.translate("SealDesigner", "Images (*.png *.svg)"),
        )
        if path:
            self.source.setText(path)

    def changed(self) -> None:
        """Something changed: render again once the typing pauses."""
        self._generation += 1
        self.timer.start()

    def spec(self) -> SealSpec:
        """The design as a spec; :class:`SealDesignError` says what is wrong."""
        kind, width = self.kind, self.width_mm.value()
        ring = self.ring_text.text().strip()
        bottom = self.bottom_line.text().strip() or None
        code = self.code.text().strip() or None
        if kind == "round":
            return RoundSealSpec(ring, bottom, code, width)
        if kind == "oval":
            return OvalSealSpec(ring, bottom or "", code, width, self.height_mm.value())
        if kind == "square":
            return SquareSealSpec(ring, self.append_yin.isChecked(), width)
        if not self.source.text().strip():
            raise SealDesignError(
                "Choose a PNG or SVG file to import.",
                "请选择要导入的 PNG 或 SVG 文件。",
            )
        height = self.height_mm.value() or None
        return ImportedSealSpec(Path(self.source.text().strip()), width, height)

    def screen_dpi(self) -> tuple[int, float]:
        """Rendering resolution (device dots per inch) and the device pixel ratio."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        logical = screen.logicalDotsPerInch() if screen is not None else 96.0
        ratio = self.devicePixelRatioF()
        low, high = DPI_RANGE
        return max(low, min(high, round(logical * ratio))), ratio

    def render_preview(self) -> None:
        """Render the current design in the background."""
        generation = self._generation
        try:
            spec = self.spec()
        except SealDesignError as exc:
            self._show_problem(exc)
            return
        dpi, ratio = self.screen_dpi()
        self.note.setText(QCoreApplication.translate("SealDesigner", "Drawing…"))

        def done(image: SealImage) -> None:
            if generation == self._generation:
                self._show(image, ratio)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self._show_problem(exc)

        self._task = start_task(lambda: render(spec, dpi), done, failed, owner=self)

    def _show(self, image: SealImage, ratio: float) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(image.png, "PNG")
        pixmap.setDevicePixelRatio(ratio)
        self.image, self.pixmap = image, pixmap
        self.preview.setPixmap(pixmap)
        self.note.setText(
            QCoreApplication.translate("SealDesigner", "{0:g} × {1:g} mm").format(
                image.width_mm, image.height_mm
            )
        )
        self.preview_ready.emit()

    def _show_problem(self, exc: Exception) -> None:
        self.image, self.pixmap = None, QPixmap()
        self.preview.clear()
        self.note.setText(user_message(exc, self.lang))
