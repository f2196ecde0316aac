"""The "Explain" toggle: Grad-CAM heatmaps over Try it's cards and the Results gallery's images.

Where did the model look? With the toggle on, each thumbnail shows the image with its heatmap
(red: what made the model choose its class), and a click on it opens a larger view, where
another class can be explained too ("why not this one?"). The heatmaps
are computed in the engine (core/engine/handlers/explain.py: one request for all images still
missing one) and come back as small PNGs; they are decoded and scaled on the worker's thread, so
the window only swaps pixmaps. A heatmap belongs to one model: another model in use starts over.
"""
from __future__ import annotations

import json
import threading
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QListWidgetItem, QPushButton, QVBoxLayout,
                               QWidget)
from shiboken6 import isValid

from core.engine.requests.explain import ExplainedImage, ExplainRequest
from ..dialogs import show_error
from ..worker import Worker, remote
from .common import hint_label, set_names

VIEW_MIN = 240  # px: the larger view shows a small image at least this large


def explain_button(parent: QWidget | None = None) -> QPushButton:
    button = set_names(QPushButton(QCoreApplication.translate("ExplainView", "Explain"), parent), "explainButton",
                       QCoreApplication.translate("ExplainView", "Explain predictions"), QCoreApplication.translate(
                           "ExplainView", "Show where the model looks: a heatmap (Grad-CAM) over each image, red "
                           "where the image made the model choose its class. Click an image for a larger view."))
    button.setCheckable(True)
    return button


def caption(item: ExplainedImage) -> str:
    if item.error:
        return QCoreApplication.translate("ExplainView", "Could not explain this image: {error}.").format(
            error=item.error)
    return QCoreApplication.translate("ExplainView", "Heatmap for “{label}” ({probability:.0%}); the model looked "
                                      "hardest at x = {x}, y = {y}.").format(
        label=item.label, probability=item.probability, x=item.peak[0], y=item.peak[1])


class ExplainDialog(QDialog):
    """The larger view of one heatmap, with the class it explains; with ``explain_class`` (and more
    than one class) a choice of class: "why not this one?" asks the engine for that class's map."""

    def __init__(self, item: ExplainedImage, parent: QWidget | None = None, classes: list[str] | None = None,
                 explain_class: Callable[[str, Callable[[ExplainedImage], None]], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explainDialog")
        self.setWindowTitle(self.tr("Where the model looked — {file}").format(file=item.path.rsplit('/', 1)[-1]))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        layout = QVBoxLayout(self)
        self.image = QLabel()
        self.image.setObjectName("explainImage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.image, 1)
        self.caption = hint_label("", "explainCaption")
        layout.addWidget(self.caption)
        self.class_combo: QComboBox | None = None
        if explain_class is not None and classes and len(classes) > 1:
            row = QHBoxLayout()
            row.addWidget(QLabel(self.tr("Explain the class:")))
            self.class_combo = set_names(QComboBox(), "explainClass", self.tr("Class to explain"), self.tr(
                "The heatmap of another class: where the image speaks for (or against) it"))
            self.class_combo.addItems(list(dict.fromkeys([item.label or "", *classes])) if item.label else classes)
            self.class_combo.currentTextChanged.connect(
                lambda name: explain_class(name, lambda found: self.show_item(found) if isValid(self) else None))
            row.addWidget(self.class_combo, 1)
            layout.addLayout(row)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.show_item(item)

    def show_item(self, item: ExplainedImage) -> None:
        pixmap = QPixmap()
        if item.overlay_png and pixmap.loadFromData(item.overlay_png, "PNG"):
            if max(pixmap.width(), pixmap.height()) < VIEW_MIN:  # a small image: enlarged to be seen
                pixmap = pixmap.scaled(VIEW_MIN, VIEW_MIN, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
            self.image.setPixmap(pixmap)
        self.caption.setText(caption(item))


def _decoded(items: list[ExplainedImage], side: int) -> dict[str, tuple[ExplainedImage, QImage]]:
    """Each item with its overlay scaled to ``side`` px (worker thread: QImage, never QPixmap)."""
    out = {}
    for item in items:
        image = QImage.fromData(item.overlay_png, "PNG") if item.overlay_png else QImage()
        if not image.isNull():
            image = image.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        out[item.path] = (item, image)
    return out


class _Explainer(QObject):
    """The toggle, the engine requests and a cache of heatmaps for the current model."""

    def __init__(self, source: Callable[[], dict[str, Any] | None], side: int, parent: QObject) -> None:
        super().__init__(parent)
        self.source, self.side = source, side
        self.button = explain_button()
        self.button.toggled.connect(self._toggled)
        self.worker = Worker("explain", self)
        self.class_worker = Worker("explain class", self)  # the larger view's other classes
        self.found: dict[str, tuple[ExplainedImage, QImage]] = {}
        self._source_key = ""

    def enabled(self) -> bool:
        return self.button.isChecked()

    def paths(self) -> list[str]:  # the images on screen now
        raise NotImplementedError

    def apply(self) -> None:  # put the heatmaps found so far on screen (or, toggled off, take them off)
        raise NotImplementedError

    def refresh(self) -> None:
        """Ask the engine for the heatmaps still missing, then show them."""
        if not self.enabled():
            return
        source = self.source()
        key = json.dumps(source, sort_keys=True)
        if key != self._source_key:  # another model: its heatmaps differ
            self.found, self._source_key = {}, key
        missing = [path for path in dict.fromkeys(self.paths()) if path not in self.found]
        self.apply()
        if source is None or not missing:
            return
        job = remote(ExplainRequest(source, tuple(missing)))

        def run(sink: Any, cancel: threading.Event) -> dict[str, tuple[ExplainedImage, QImage]]:
            return _decoded(job(sink, cancel), self.side)

        self.worker.start(run, "explain", on_done=self._arrived, on_error=self._failed)

    def _arrived(self, found: dict[str, tuple[ExplainedImage, QImage]] | None) -> None:
        self.found.update(found or {})
        if self.enabled():
            self.apply()

    def _failed(self, message: str, details: str) -> None:
        self.button.setChecked(False)
        show_error(self.button.window(), self.tr("Could not explain the predictions"), message, details)

    def _toggled(self, on: bool) -> None:
        if on:
            self.refresh()
        else:
            self.worker.cancel()
            self.apply()

    def open_view(self, path: str, classes: list[str] | None = None) -> ExplainDialog | None:
        entry = self.found.get(path)
        if entry is None or not self.enabled():
            return None
        source = self.source()
        explain = None if source is None else lambda name, shown: self._explain_class(source, path, name, shown)
        dialog = ExplainDialog(entry[0], self.button.window(), classes, explain)
        dialog.show()
        return dialog

    def _explain_class(self, source: dict[str, Any], path: str, class_name: str,
                       shown: Callable[[ExplainedImage], None]) -> None:
        """One image's heatmap for ``class_name`` (the larger view's choice), in the engine."""
        job = remote(ExplainRequest(source, (path,), class_name))
        self.class_worker.start(lambda sink, cancel: job(sink, cancel)[0], "explain class",
                                on_done=shown, on_error=self._failed_class)

    def _failed_class(self, message: str, details: str) -> None:
        show_error(self.button.window(), self.tr("Could not explain that class"), message, details)


class CardExplainer(_Explainer):
    """Try it: heatmaps on the prediction cards' thumbnails; a click on one opens the larger view."""

    def __init__(self, cards: Any, source: Callable[[], dict[str, Any] | None], side: int,
                 parent: QObject) -> None:
        super().__init__(source, side, parent)
        self.cards = cards  # a PredictionList
        self.dialog: ExplainDialog | None = None

    def paths(self) -> list[str]:
        return [card.source for card in self.cards.cards() if not card_has_error(card)]

    def apply(self) -> None:
        for card in self.cards.cards():
            thumb = card.findChild(QLabel, "predictionThumb")
            if thumb is None:
                continue
            if thumb.property("plainThumb") is None:  # the card's own thumbnail, kept to put back
                thumb.setProperty("plainThumb", thumb.pixmap() if not thumb.pixmap().isNull() else QPixmap())
                thumb.installEventFilter(self)
            entry = self.found.get(card.source)
            shown = entry is not None and self.enabled() and not entry[1].isNull()
            thumb.setPixmap(QPixmap.fromImage(entry[1]) if shown else thumb.property("plainThumb"))
            thumb.setProperty("explained", shown)
            thumb.setCursor(Qt.CursorShape.PointingHandCursor if shown else Qt.CursorShape.ArrowCursor)
            thumb.setToolTip(self.tr("{caption} Click for a larger view.").format(caption=caption(entry[0]))
                             if shown else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if event.type() == QEvent.Type.MouseButtonRelease and watched.property("explained"):
            card = watched.parent()
            classes = [bar.label for bar in getattr(card, "bars", [])]  # the card's top classes
            self.dialog = self.open_view(getattr(card, "source", ""), classes)
            return True
        return False


def card_has_error(card: Any) -> bool:
    return card.findChild(QLabel, "predictionError") is not None


class GalleryExplainer(_Explainer):
    """The Results gallery: the same toggle over its icons (double-click: the larger view)."""

    def __init__(self, gallery: Any, source: Callable[[], dict[str, Any] | None], side: int) -> None:
        super().__init__(source, side, gallery)
        self.gallery = gallery
        self.dialog: ExplainDialog | None = None
        self.plain: dict[int, QIcon] = {}
        gallery.list.itemDoubleClicked.connect(self._open_item)

    def paths(self) -> list[str]:
        return [item.get("path") for item in self.gallery.items if item.get("path")]

    def apply(self) -> None:
        gallery = self.gallery
        if self.enabled():
            gallery._timer.stop()  # the plain thumbnails still loading would cover the heatmaps
        for row, info in enumerate(gallery.items):
            entry = self.found.get(info.get("path") or "")
            item: QListWidgetItem = gallery.list.item(row)
            if self.enabled() and entry is not None and not entry[1].isNull():
                self.plain.setdefault(row, item.icon())
                item.setIcon(QIcon(QPixmap.fromImage(entry[1])))
            elif row in self.plain:
                item.setIcon(self.plain.pop(row))
        if not self.enabled() and gallery.loaded < len(gallery.items):
            gallery._timer.start()

    def _open_item(self, item: QListWidgetItem) -> None:
        self.dialog = self.open_view(item.data(Qt.ItemDataRole.UserRole) or "", list(self.gallery.class_names))


def add_gallery_toggle(gallery: Any, source: Callable[[], dict[str, Any] | None], side: int) -> GalleryExplainer:
    """Put an Explain toggle above a core Results gallery (gui/widgets/results_panel.GalleryDialog)."""
    explainer = GalleryExplainer(gallery, source, side)
    gallery.layout().insertWidget(1, explainer.button, 0, Qt.AlignmentFlag.AlignLeft)
    gallery.explainer = explainer
    return explainer
