"""Step 5, try it: drop images (or use "Open images…") and see each one's top-5 classes as
labelled horizontal bars, most likely first.

Before any training the predictions come from the selected backbone's own ImageNet classifier
(a cat photo says "tabby cat"); after training or opening a model they come from that model.
Building the classifier and predicting run in the engine process (core/engine/server.py); thumbnails
are decoded on the worker thread; the cards, and the one-line message above them, live in
gui/widgets/prediction_cards.py, which shows them without stalling the window. Files that are not
images get a polite inline message instead of a dialog: dropping the wrong file is not an error
worth a box.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.engine.requests.predict import PredictRequest
from ..dialogs import show_error
from ..engine_messages import engine_words
from ..worker import Worker, remote
from .common import Section, hint_label, read_thumbnail, set_names, set_style_property
from .explain_view import CardExplainer
from .folder_classify import FolderClassifyWindow
from .prediction_cards import (THUMB, UNFAMILIAR_TEXT, CardSpec, PredictionCard, PredictionList,  # noqa: F401
                               ProbabilityBar, unfamiliar_hint)

TOP_K = 5
MAX_FOLDER_IMAGES = 200
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff"}


def image_suffixes() -> set[str]:
    try:
        from core.data.scan import IMAGE_EXTENSIONS  # numpy and Pillow, no TensorFlow

        return set(IMAGE_EXTENSIONS)
    except Exception:  # noqa: BLE001 - fall back to the common formats
        return IMAGE_SUFFIXES


def split_drop(paths: list[str]) -> tuple[list[str], list[str]]:
    """(image files, rejected names). Folders contribute the images directly inside them."""
    suffixes = image_suffixes()
    images, rejected = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
            images.extend(str(p) for p in inside[:MAX_FOLDER_IMAGES])
            if not inside:
                rejected.append(QCoreApplication.translate("PredictionPanel", "{folder}/ (no images inside)").format(
                    folder=path.name))
        elif path.suffix.lower() in suffixes and path.is_file():
            images.append(str(path))
        else:
            rejected.append(path.name or str(path))
    return images, rejected


class DropArea(QFrame):
    """The big target for files dragged from the file manager."""

    filesDropped = Signal(list)
    openRequested = Signal()
    folderRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_names(self, "predictDropArea", self.tr("Drop images to classify"),
                  self.tr("Drop image files or folders here to see the model's top-5 classes"))
        self.setAcceptDrops(True)
        self.setProperty("dragging", False)
        self.setMinimumHeight(84)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        icon = QLabel("⬇")
        icon.setObjectName("dropIcon")
        layout.addWidget(icon)
        text = QVBoxLayout()
        self.title = QLabel(self.tr("Drop images here"))
        self.title.setObjectName("dropTitle")
        self.subtitle = QLabel(self.tr("JPEG, PNG, BMP, GIF, WebP or TIFF — one or many, or a whole folder"))
        self.subtitle.setObjectName("hint")
        self.subtitle.setWordWrap(True)  # wraps beside the buttons rather than widening Try it
        text.addWidget(self.title)
        text.addWidget(self.subtitle)
        layout.addLayout(text, 1)
        self.open_button = set_names(QPushButton(self.tr("Open images…")), "openImagesButton", self.tr("Open images"))
        self.open_button.clicked.connect(self.openRequested)
        buttons = QVBoxLayout()  # stacked, not side by side: Try it stays narrow enough for the Results beside it
        buttons.setSpacing(4)
        buttons.addWidget(self.open_button)
        self.folder_button = set_names(QPushButton(self.tr("Classify a folder…")), "classifyFolderButton",
                                       self.tr("Classify a folder"),
                                       self.tr("Every image in a folder and its subfolders, in a table you can "
                                               "sort, filter, save as CSV or sort into class folders"))
        self.folder_button.clicked.connect(self.folderRequested)
        buttons.addWidget(self.folder_button)
        layout.addLayout(buttons)

    def _set_dragging(self, dragging: bool) -> None:
        set_style_property(self, "dragging", dragging)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
            self._set_dragging(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragLeaveEvent(self, _event: QDragLeaveEvent) -> None:  # noqa: N802
        self._set_dragging(False)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._set_dragging(False)
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.filesDropped.emit(paths)


class PredictionPanel(Section):
    """Emits ``predictionsShown(n_cards)`` after each batch of dropped images is classified."""

    predictionsShown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Try it"), 5, "", parent)
        self.worker = Worker("predict", self)
        self._imagenet_backbone: str | None = None
        self._imagenet_label = ""
        self._imagenet_loaded: set[str] = set()
        self._model_handle: str | None = None
        self._model_description = ""
        self._last_dir = ""
        self._generation = 0  # bumped when the model in use changes: older predictions are not shown

        self.source = hint_label("", "predictSource")
        self.source.setAccessibleName(self.tr("Prediction source"))
        self.clear_button = set_names(QPushButton(self.tr("Clear")), "clearPredictionsButton",
                                      self.tr("Clear predictions"))
        self.clear_button.setObjectName("flatButton")
        self.clear_button.clicked.connect(self.clear)
        self.header_layout.addWidget(self.clear_button)
        self.list = PredictionList()
        self.explainer = CardExplainer(self.list, self.current_source, THUMB, self)  # heatmaps on the cards
        self.predictionsShown.connect(lambda _n: self.explainer.refresh())
        self.header_layout.insertWidget(self.header_layout.count() - 1, self.explainer.button)
        self.drop_area = DropArea()
        self.drop_area.filesDropped.connect(self.predict_files)
        self.drop_area.openRequested.connect(self.browse)
        self.drop_area.folderRequested.connect(self.browse_folder)
        self.folder = FolderClassifyWindow(self)  # a window of its own (gui/widgets/folder_classify.py says why)
        self.message = hint_label("", "predictMessage")
        self.message.setAccessibleName(self.tr("Prediction message"))
        self.message.setVisible(False)
        self.list.set_note(self.message)  # inside the list: it never resizes the window's bottom row
        self.body.addWidget(self.source)
        self.body.addWidget(self.drop_area)
        self.body.addWidget(self.list, 1)
        self._update_source()

    # -- where predictions come from -------------------------------------------------------
    def set_imagenet_backbone(self, backbone_id: str, label: str) -> None:
        changed = self._model_handle is None and backbone_id != self._imagenet_backbone
        self._imagenet_backbone, self._imagenet_label = backbone_id, label
        self._update_source()
        if changed:
            self._forget_cards()  # they came from another backbone's ImageNet classifier

    def set_model(self, handle: str | None, description: str = "", new_model: bool = True) -> None:
        """Predict with a trained or opened model (its engine handle) from now on; None: ImageNet again.
        ``new_model``: another model came into use, so the cards on show (and any prediction still on
        its way) are the previous model's and go; False when the same model was only saved or moved
        to a new engine handle."""
        changed = new_model and (handle, description) != (self._model_handle, self._model_description)
        self._model_handle, self._model_description = handle, description
        self._update_source()
        if changed:
            self._forget_cards()

    def _forget_cards(self) -> None:
        """Cards under a heading that names another model would mislead: clear them and say why."""
        self._generation += 1  # a prediction of the previous model still on its way is dropped
        had_cards = self.list.count() > 0 or self.worker.is_busy()
        self.list.clear()
        self._show_message(self.tr("The model in use changed, so the earlier predictions were cleared: drop "
                                   "the images again to see what this model says.") if had_cards else "")

    def current_source(self) -> dict[str, Any] | None:
        """Where predictions (and heatmaps) come from now: the model in use, or ImageNet; None: neither."""
        if self._model_handle is not None:
            return {"kind": "handle", "handle": self._model_handle}
        if self._imagenet_backbone:
            return {"kind": "imagenet", "backbone": self._imagenet_backbone}
        return None

    def uses_model(self) -> bool:
        return self._model_handle is not None

    def _update_source(self) -> None:
        if self._model_handle is not None:
            self.source.setText(self.tr("Predictions from {model}.").format(model=self._model_description))
        elif self._imagenet_backbone:
            self.source.setText(self.tr("Predictions from the {backbone} ImageNet classifier (1000 everyday classes) "
                                        "until you train or open a model.").format(backbone=self._imagenet_label))
        else:
            self.source.setText(self.tr("Choose a backbone or open a model."))

    # -- predicting ------------------------------------------------------------------------
    def browse(self) -> None:
        suffixes = " ".join(f"*{s}" for s in sorted(image_suffixes()))
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Open images"), self._last_dir or str(Path.home()),
                                                self.tr("Images ({patterns});;All files (*)").format(patterns=suffixes))
        if files:
            self._last_dir = str(Path(files[0]).parent)
            self.predict_files(files)

    def browse_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Classify every image in a folder"),
                                                  self._last_dir or str(Path.home()))
        if folder:
            self._last_dir = folder
            self.classify_folders([folder])

    def classify_folders(self, folders: list[str]) -> None:
        """Every image under ``folders`` (recursively) into the folder window's table."""
        source = self._source()
        if source is not None:
            self.folder.classify(source, folders, self._model_description if self._model_handle else
                                 self.tr("the {backbone} ImageNet classifier").format(backbone=self._imagenet_label))

    def _source(self) -> dict[str, Any] | None:
        """The current source, or a warning line and None when there is none."""
        source = self.current_source()
        if source is None:
            self._show_message(self.tr("Choose a backbone or open a model first."), "warn")
        return source

    def predict_files(self, paths: list[str]) -> None:
        """Dropped files get cards; a dropped folder is classified whole, in the folder window."""
        folders = [str(p) for p in paths if Path(p).is_dir()]
        if folders:
            self.classify_folders(folders)
            paths = [p for p in paths if str(p) not in folders]
            if not paths:
                return
        images, rejected = split_drop([str(p) for p in paths])
        notes = []
        if rejected:
            if len(rejected) == 1:
                notes.append(self.tr("“{name}” is not an image, so it was skipped. Drop JPEG, PNG, BMP, GIF, WebP "
                                     "or TIFF files.").format(name=rejected[0]))
            else:  # the names are the user's file names: only the sentence around them is translated
                names = ", ".join(rejected[:4]) + (" …" if len(rejected) > 4 else "")
                notes.append(self.tr("{n} files are not images and were skipped ({names}).").format(
                    n=len(rejected), names=names))
        source = self._source()
        if source is None:
            return
        if images:
            if source["kind"] == "imagenet" and source["backbone"] not in self._imagenet_loaded:
                notes.append(self.tr("Loading the {backbone} ImageNet classifier and classifying {n} image(s)…"
                                     ).format(backbone=self._imagenet_label, n=len(images)))
            else:
                notes.append(self.tr("Classifying {n} image(s)…").format(n=len(images)))
        self._show_message(" ".join(notes), "info" if images else "warn")
        if not images:
            return
        keep_note = notes[0] if rejected else ""
        predict = remote(PredictRequest(source, tuple(images), TOP_K))

        def run(sink: Any, cancel: threading.Event) -> tuple[list[Any], list[Any]]:
            predictions = predict(sink, cancel)
            thumbs = [read_thumbnail(p, THUMB) for p in images]
            return predictions, thumbs

        if source["kind"] == "imagenet":
            self._imagenet_loaded.add(source["backbone"])

        generation = self._generation
        self.worker.start(run, "predict", on_done=lambda result: self._show(result, keep_note, generation),
                          on_error=self._failed)

    def clear(self) -> None:
        self.list.clear()
        self._show_message("")

    def card_count(self) -> int:
        return self.list.count()

    def _show(self, result: tuple[list[Any], list[Any]], note: str, generation: int | None = None) -> None:
        """Cards for a drop, a few per event-loop turn (prediction_cards says why); the message
        changes now, ``predictionsShown`` is emitted once the last card is in. Predictions asked of a
        model no longer in use (``generation``) are dropped."""
        if generation is not None and generation != self._generation:
            return
        predictions, thumbs = result
        specs = [CardSpec(path, top, error, thumb, familiarity[0] if familiarity else None)
                 for (path, top, error, *familiarity), thumb in zip(predictions, thumbs)]  # familiarity: optional
        # the model's notes (uncalibrated, no prediction sets at this coverage): once, above the cards
        model_notes = dict.fromkeys(engine_words(text) for spec in specs for text in (spec.familiarity or {}).get("notes", []))
        note = " ".join([note, *model_notes]).strip()
        self._show_message(note, "warn" if note else "")
        self.list.show_batched(specs, self.predictionsShown.emit)

    def _failed(self, message: str, details: str) -> None:
        self._show_message(self.tr("Could not classify the images — see the message."), "warn")
        show_error(self.window(), self.tr("Prediction failed"), message, details)

    def _show_message(self, text: str, state: str = "") -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        set_style_property(self.message, "state", state)
