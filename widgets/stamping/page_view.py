"""One page at true physical size, with the seal laid on it.

The scene is measured in PDF points of the page as shown (origin at the
top-left, y downwards), so a seal ``w`` mm wide is ``w * 72 / 25.4`` scene
units wide whatever the zoom. The view maps points to screen pixels with the
screen's logical DPI: at zoom 1.0 a millimetre on the page is a millimetre
on a correctly configured screen. The page picture is drawn again at the
zoom's resolution in the background; the seal item only changes its
transform.

The officer drags the seal with the mouse, or clicks where its centre should
go; :attr:`PageView.seal_moved` then reports the centre in millimetres from
the top-left, the convention of :class:`app.stamping.CoordinatePlacement`.
In riding mode (骑缝章) the page shows its slice of the seal against the
right edge, and a drag moves it up or down only.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from app.page_preview import PageImage
from app.stamping.placement import MM_TO_PT

__all__ = ["PageView", "page_qimage"]


def page_qimage(image: PageImage) -> QImage:
    """A deep copy of a rendered page as a :class:`QImage`."""
    stride = image.width_px * 3
    wrapped = QImage(
        image.rgb,
        image.width_px,
        image.height_px,
        stride,
        QImage.Format.Format_RGB888,
    )
    return wrapped.copy()


class PageView(QGraphicsView):
    """Shows one page and the seal; see the module docs."""

    seal_moved = Signal(float, float)  # centre, mm from the top-left
    riding_moved = Signal(float)  # riding slice centre, mm from the top
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setBackgroundBrush(QBrush(QColor("#8a8f96")))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom = 1.0
        self.page_size_pt: tuple[float, float] | None = None
        self.page_item: QGraphicsPixmapItem | None = None
        self.frame_item: QGraphicsRectItem | None = None
        self.seal_item: QGraphicsPixmapItem | None = None
        self.slice_item: QGraphicsPixmapItem | None = None
        self._seal_pixmap = QPixmap()
        self._seal_size_pt = (0.0, 0.0)
        self._drag_offset: QPointF | None = None
        self._riding = False
        self._piece: tuple[int, int] | None = None
        self._riding_y: float | None = None
        self.set_zoom(1.0)

    # -- geometry -------------------------------------------------------------

    def pixels_per_point(self) -> float:
        """Screen pixels per page point at the current zoom (true size at 1.0)."""
        return self.zoom * self.logicalDpiX() / 72.0

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(0.1, min(zoom, 8.0))
        scale = self.pixels_per_point()
        self.resetTransform()
        self.scale(scale, scale)
        self.zoom_changed.emit(self.zoom)

    def scene_point(self, x_mm: float, y_mm: float) -> QPointF:
        return QPointF(x_mm * MM_TO_PT, y_mm * MM_TO_PT)

    def view_point(self, x_mm: float, y_mm: float) -> QPointF:
        """Where a page position is in viewport pixels now."""
        return QPointF(self.mapFromScene(self.scene_point(x_mm, y_mm)))

    # -- the page ----------------------------------------------------------------

    def show_page(self, size_pt: tuple[float, float]) -> None:
        """Start a new page of this size; :meth:`set_picture` draws it."""
        scene = self.scene()
        for item in (self.page_item, self.frame_item):
            if item is not None:
                scene.removeItem(item)
        self.page_size_pt = size_pt
        width, height = size_pt
        self.frame_item = scene.addRect(
            QRectF(0, 0, width, height),
            QPen(Qt.PenStyle.NoPen),
            QBrush(QColor(Qt.GlobalColor.white)),
        )
        self.frame_item.setZValue(-2)
        self.page_item = None
        scene.setSceneRect(QRectF(-20, -20, width + 40, height + 40))
        self._place_slice()

    def set_picture(self, picture: QImage, scale: float) -> None:
        """The page drawn at ``scale`` pixels per point."""
        if self.page_size_pt is None:
            return
        scene = self.scene()
        if self.page_item is not None:
            scene.removeItem(self.page_item)
        item = scene.addPixmap(QPixmap.fromImage(picture))
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        item.setScale(1.0 / scale)
        item.setZValue(-1)
        self.page_item = item

    def clear_page(self) -> None:
        self.scene().clear()
        self.page_item = self.frame_item = self.seal_item = self.slice_item = None
        self.page_size_pt = None

    # -- the seal ------------------------------------------------------------------

    def set_seal(self, png: bytes | None, width_mm: float, height_mm: float) -> None:
        """The seal image to place, drawn ``width_mm`` x ``height_mm``."""
        pixmap = QPixmap()
        if png is not None:
            pixmap.loadFromData(png, "PNG")
        self._seal_pixmap = pixmap
        self._seal_size_pt = (width_mm * MM_TO_PT, height_mm * MM_TO_PT)
        centre = None if self.seal_item is None else self.seal_item.pos()
        self._remove(self.seal_item)
        self.seal_item = None
        if pixmap.isNull():
            return
        item = self.scene().addPixmap(pixmap)
        item.setOffset(-pixmap.width() / 2, -pixmap.height() / 2)
        item.setScale(self._seal_size_pt[0] / pixmap.width())
        item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        item.setOpacity(0.85)
        item.setZValue(2)
        item.setVisible(False)
        self.seal_item = item
        if centre is not None and self.page_size_pt is not None:
            self.put_seal(centre.x() / MM_TO_PT, centre.y() / MM_TO_PT)
        self._place_slice()

    def seal_size_mm(self) -> tuple[float, float]:
        width, height = self._seal_size_pt
        return width / MM_TO_PT, height / MM_TO_PT

    def put_seal(self, x_mm: float, y_mm: float) -> None:
        """Centre the seal at this position (no signal)."""
        if self.seal_item is None:
            return
        self.seal_item.setPos(self.scene_point(x_mm, y_mm))
        self.seal_item.setVisible(not self._riding)

    def hide_seal(self) -> None:
        if self.seal_item is not None:
            self.seal_item.setVisible(False)

    def seal_centre_mm(self) -> tuple[float, float] | None:
        item = self.seal_item
        if item is None or not item.isVisible():
            return None
        return item.pos().x() / MM_TO_PT, item.pos().y() / MM_TO_PT

    # -- riding seal -------------------------------------------------------------------

    def set_riding(
        self, piece: tuple[int, int] | None, y_mm: float | None, active: bool
    ) -> None:
        """Riding mode; ``piece`` is (i, k) when this page carries slice i of k."""
        self._riding = active
        self._piece = piece
        self._riding_y = y_mm
        if self.seal_item is not None and active:
            self.seal_item.setVisible(False)
        self._place_slice()

    def _place_slice(self) -> None:
        self._remove(self.slice_item)
        self.slice_item = None
        piece = self._piece
        if not self._riding or piece is None or self.page_size_pt is None:
            return
        pixmap = self._seal_pixmap
        if pixmap.isNull():
            return
        index, count = piece
        start = round(index * pixmap.width() / count)
        end = round((index + 1) * pixmap.width() / count)
        part = pixmap.copy(start, 0, max(end - start, 1), pixmap.height())
        scale = self._seal_size_pt[0] / pixmap.width()
        width, height = self.page_size_pt
        slice_w = part.width() * scale
        centre_y = height / 2 if self._riding_y is None else self._riding_y * MM_TO_PT
        item = self.scene().addPixmap(part)
        item.setScale(scale)
        item.setPos(width - slice_w, centre_y - self._seal_size_pt[1] / 2)
        item.setOpacity(0.85)
        item.setZValue(2)
        self.slice_item = item

    def _remove(self, item: QGraphicsPixmapItem | None) -> None:
        if item is not None and item.scene() is self.scene():
            self.scene().removeItem(item)

    # -- mouse -------------------------------------------------------------------------

    def _on_page(self, point: QPointF) -> QPointF | None:
        if self.page_size_pt is None:
            return None
        width, height = self.page_size_pt
        if not (0 <= point.x() <= width and 0 <= point.y() <= height):
            return None
        return point

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        point = self.mapToScene(event.position().toPoint())
        if self._riding:
            if self._on_page(point) is not None:
                self._drag_offset = QPointF(0, 0)
                self._drag_riding(point)
            return
        item = self.seal_item
        if (
            item is not None
            and item.isVisible()
            and item.sceneBoundingRect().contains(point)
        ):
            self._drag_offset = point - item.pos()
            return
        if self._on_page(point) is not None and item is not None:
            self._drag_offset = QPointF(0, 0)
            self._drag_seal(point)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_offset is None:
            super().mouseMoveEvent(event)
            return
        point = self.mapToScene(event.position().toPoint())
        if self._riding:
            self._drag_riding(point)
        else:
            self._drag_seal(point)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag_offset is None or event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        point = self.mapToScene(event.position().toPoint())
        if self._riding:
            self._drag_riding(point)
            self._drag_offset = None
            if self._riding_y is not None:
                self.riding_moved.emit(self._riding_y)
            return
        self._drag_seal(point)
        self._drag_offset = None
        centre = self.seal_centre_mm()
        if centre is not None:
            self.seal_moved.emit(*centre)

    def _drag_seal(self, point: QPointF) -> None:
        assert self._drag_offset is not None
        if self.seal_item is None or self.page_size_pt is None:
            return
        width, height = self.page_size_pt
        target = point - self._drag_offset
        x = min(max(target.x(), 0.0), width)
        y = min(max(target.y(), 0.0), height)
        self.seal_item.setPos(QPointF(x, y))
        self.seal_item.setVisible(True)

    def _drag_riding(self, point: QPointF) -> None:
        if self.page_size_pt is None:
            return
        height = self.page_size_pt[1]
        self._riding_y = min(max(point.y(), 0.0), height) / MM_TO_PT
        self._place_slice()
