"""The "Label images…" window: label as you go, with the keyboard, while the engine re-ranks.

The queue comes from the engine (core/engine/requests/label.py LabelRequest -> core.jobs.label:
refit on the labels so far, rank by the chosen strategy); the user labels from the queue on screen
while the next refit runs, so no key press ever waits for a model. Keys (on the grid): 1-9 copy
the selected image into that class, 0 or Space skips it, Z undoes the last step, arrows move; a
click or a move shows the image large beside the grid. A label **copies** the file into
``<dataset>/<class>/`` (core.data.copy_in: never moves or changes the original; a name clash gets
a suffix); undo removes that copy only if unchanged. After every REFIT_EVERY labels (or when the
queue runs low) the engine refits and re-ranks. Thumbnails and the large view are decoded on
worker threads; the plot is drawn once per refit. What the window says about its state (keys,
progress, forecast) is worded in gui/widgets/label_text.py.
"""
from __future__ import annotations

import threading
from collections import Counter
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from core.data.copy_in import add_class, copy_into_class, undo_copy
from core.engine.requests.label import LabelRequest
from core.errors import DatasetError

from ..dialogs import show_error
from .common import set_names
from .label_grid import THUMB, SuggestionModel, percent_box, thumbnail_grid, thumbnails_job
from .label_text import accept_question, forecast_text, keys_text, progress_text
from ..worker import Worker, remote

QUEUE = 40  # suggestions asked for at a time
REFIT_EVERY = 5  # labels between refits
LOW_QUEUE = 5  # fewer rows left than this: refit now
PREVIEW = 420
STRATEGIES = ("diverse", "uncertain", "random")


class LabelWindow(QDialog):
    """``job_factory(request)``: the job that answers a LabelRequest (the engine's by default);
    ``worker``: the lane it runs on (the plug-in's, so that the main window waits for it on close)."""

    def __init__(self, parent: QWidget | None = None, dataset: str = "", unlabelled: str = "",
                 backbone: str | None = None, weights: str | None = "imagenet", image_size: int | None = None,
                 job_factory: Callable[[LabelRequest], Any] | None = None, worker: Worker | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelWindow")
        self.setWindowTitle(self.tr("Label images"))
        self.setModal(False)
        self.resize(1100, 760)
        self.backbone, self.weights, self.image_size = backbone, weights, image_size
        self.job_factory = job_factory or remote
        self.worker = worker or Worker("label", self)  # the engine's lane (the main window waits for it)
        self.thumbs = Worker("label-thumbnails", self)
        self.preview_worker = Worker("label-preview", self)
        self.copier = Worker("label-accept", self)
        self.class_names: list[str] = []
        self.counts: Counter = Counter()
        self.estimate: dict[str, Any] = {}
        self.predictions: list[dict[str, Any]] = []
        self.skipped: list[str] = []
        self.handled: set[str] = set()  # labelled or skipped in this window (left out of any reply)
        self.history: list[tuple[str, Any]] = []  # ("copy", (row, item, copied)), ("skip", (row, item)), ("batch", [...])
        self.since_refit = 0
        self._build(dataset, unlabelled)

    # -- layout ------------------------------------------------------------------------------
    def _build(self, dataset: str, unlabelled: str) -> None:
        layout = QVBoxLayout(self)
        self.unlabelled_edit = set_names(QLineEdit(unlabelled), "labelUnlabelledEdit", self.tr("Unlabelled folder"))
        self.dataset_edit = set_names(QLineEdit(dataset), "labelDatasetEdit", self.tr("Dataset folder"))
        for text, edit in ((self.tr("Unlabelled images (only read):"), self.unlabelled_edit),
                           (self.tr("Dataset (one folder per class):"), self.dataset_edit)):
            row = QHBoxLayout()
            row.addWidget(QLabel(text))
            row.addWidget(edit, 1)
            browse = QPushButton(self.tr("Browse…"))
            browse.clicked.connect(lambda _=False, e=edit: self._browse(e))
            row.addWidget(browse)
            layout.addLayout(row)
        row = QHBoxLayout()
        self.strategy = set_names(QComboBox(), "labelStrategy", self.tr("Strategy"))
        for key, text in zip(STRATEGIES, (self.tr("Uncertain and diverse (default)"), self.tr("Most uncertain"),
                                          self.tr("Random"))):
            self.strategy.addItem(text, key)
        self.strategy.currentIndexChanged.connect(lambda _index: self.refit() if self.model.rows else None)
        self.start_button = set_names(QPushButton(self.tr("Start")), "labelStartButton", self.tr("Start labelling"))
        self.start_button.clicked.connect(self.refit)
        self.add_class_button = set_names(QPushButton(self.tr("Add class…")), "labelAddClass", self.tr("Add a class"))
        self.add_class_button.clicked.connect(lambda: self.add_class())
        row.addWidget(QLabel(self.tr("Strategy:")))
        row.addWidget(self.strategy)
        row.addWidget(self.start_button)
        row.addWidget(self.add_class_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.keys = set_names(QLabel(""), "labelKeys", self.tr("Class keys"))
        self.keys.setWordWrap(True)
        self.progress = set_names(QLabel(self.tr("Choose the folders, then Start.")), "labelProgress",
                                  self.tr("Labelling progress"))
        layout.addWidget(self.keys)
        layout.addWidget(self.progress)
        middle = QHBoxLayout()
        self.model = SuggestionModel(self)
        self.grid = thumbnail_grid(self.model, self)
        self.grid.installEventFilter(self)
        self.grid.selectionModel().currentChanged.connect(lambda current, _old: self._preview(current.row()))
        self.grid.clicked.connect(lambda index: self._preview(index.row()))
        middle.addWidget(self.grid, 3)
        side = QVBoxLayout()
        self.large = set_names(QLabel(), "labelLarge", self.tr("The selected image, large"))
        self.large.setMinimumSize(PREVIEW // 2, PREVIEW // 2)
        self.large.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side.addWidget(self.large, 2)
        self.plot = set_names(QLabel(), "labelForecastPlot", self.tr("Learning curve and forecast"))
        self.plot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        side.addWidget(self.plot, 1)
        self.forecast = set_names(QLabel(""), "labelForecast", self.tr("Forecast"))
        self.forecast.setWordWrap(True)
        side.addWidget(self.forecast)
        target_row = QHBoxLayout()
        self.target = percent_box(set_names(QSpinBox(), "labelTarget", self.tr("Target accuracy")), 50, 99, 90)
        target_row.addWidget(QLabel(self.tr("Forecast for:")))
        target_row.addWidget(self.target)
        side.addLayout(target_row)
        accept_row = QHBoxLayout()
        self.accept_threshold = percent_box(set_names(QSpinBox(), "labelAcceptThreshold", self.tr("Accept above")),
                                            50, 100, 95)
        self.accept_button = set_names(QPushButton(self.tr("Accept all suggestions above")), "labelAcceptButton",
                                       self.tr("Accept all suggestions above the threshold"))
        self.accept_button.clicked.connect(lambda: self.accept_above())
        accept_row.addWidget(self.accept_button)
        accept_row.addWidget(self.accept_threshold)
        side.addLayout(accept_row)
        middle.addLayout(side, 2)
        layout.addLayout(middle, 1)
        hint = QLabel(self.tr("Keys: 1-9 label the selected image with that class · 0 or Space skip · Z undo · "
                              "arrows move. Labelling copies the image; the unlabelled folder is never changed."))
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def _browse(self, edit: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a folder"), edit.text())
        if folder:
            edit.setText(folder)

    # -- the engine's queue --------------------------------------------------------------------
    def dataset(self) -> str:
        return self.dataset_edit.text().strip()

    def unlabelled(self) -> str:
        return self.unlabelled_edit.text().strip()

    def refit(self) -> None:
        """Ask the engine for a new queue (refit and re-rank); labelling goes on meanwhile."""
        if not self.dataset() or not self.unlabelled():
            show_error(self, self.tr("Choose the folders"), self.tr("Choose the unlabelled folder and the dataset "
                                                                     "folder first."))
            return
        request = LabelRequest(self.dataset(), self.unlabelled(), QUEUE, self.strategy.currentData(), self.backbone,
                               self.weights, self.image_size, tuple(self.skipped), self.target.value() / 100,
                               (self.tr("labelled images per class"), self.tr("accuracy (%)"), self.tr("target")))
        self.since_refit = 0
        if not self.model.rows:
            self.progress.setText(self.tr("Computing the embeddings and ranking the images…"))
        self.worker.start(self.job_factory(request), "label", on_done=self._queue_ready, on_error=self._failed)

    def _queue_ready(self, result: dict[str, Any]) -> None:
        self.class_names = list(result["class_names"])
        if self.since_refit == 0:  # nothing labelled since the request: the folders' counts are current
            self.counts = Counter(result["counts"])
        else:  # labels made while the engine worked may or may not be in its counts: ours are exact
            self.counts.update({name: n for name, n in result["counts"].items() if name not in self.counts})
        self.estimate = result["estimate"]
        self.predictions = result.get("predictions", [])
        current = self._current_row()
        keep = self.model.rows[current]["path"] if current is not None else None
        rows = [r for r in result["suggestions"] if r["path"] not in self.handled]
        self.model.set_rows(rows)
        paths = [r["path"] for r in rows]
        self._select(paths.index(keep) if keep in paths else 0)
        self._show_keys()
        self._show_progress()
        self.forecast.setText(forecast_text(result["forecast"], bool(result.get("ready"))))
        if result.get("plot_png"):  # drawn in the engine (core/insight/label_plot.py: why)
            picture = QPixmap()
            picture.loadFromData(result["plot_png"], "PNG")
            self.plot.setPixmap(picture)
        missing = self.model.missing_thumbnails()
        if missing:
            self.thumbs.start(thumbnails_job(missing, THUMB), "label-thumbnails", on_done=self.model.add_thumbnails)

    def _failed(self, message: str, details: str) -> None:
        self.progress.setText(self.tr("The suggestions could not be computed."))
        show_error(self, self.tr("Label images"), message, details)

    def _show_keys(self) -> None:
        self.keys.setText(keys_text(self.class_names))

    def _show_progress(self) -> None:
        self.progress.setText(progress_text(self.counts, self.class_names, self.estimate))

    # -- keys ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        if watched is self.grid and event.type() == QEvent.Type.KeyPress and self._key(event):  # type: ignore[arg-type]
            return True
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            self.assign(key - Qt.Key.Key_1)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Space):
            self.skip()
        elif key == Qt.Key.Key_Z:
            self.undo()
        else:
            return False
        return True

    def _current_row(self) -> int | None:
        index = self.grid.currentIndex()
        return index.row() if index.isValid() and index.row() < self.model.rowCount() else None

    def _select(self, row: int) -> None:
        if self.model.rowCount():
            self.grid.setCurrentIndex(self.model.index(max(0, min(row, self.model.rowCount() - 1))))

    def assign(self, class_index: int) -> None:
        """Copy the selected image into class ``class_index`` (0-based) and move on."""
        row = self._current_row()
        if row is None or class_index >= len(self.class_names):
            return
        item = self.model.rows[row]
        name = self.class_names[class_index]
        try:
            copied = copy_into_class(item["path"], self.dataset(), name)
        except (DatasetError, OSError) as error:
            show_error(self, self.tr("Could not label the image"), str(error))
            return
        self.model.take(row)
        self.handled.add(item["path"])
        self.history.append(("copy", (row, item, copied)))
        self.counts[name] += 1
        self._after_step(row)

    def skip(self) -> None:
        row = self._current_row()
        if row is None:
            return
        item = self.model.take(row)
        self.handled.add(item["path"])
        self.skipped.append(item["path"])
        self.history.append(("skip", (row, item)))
        self._select(row)

    def undo(self) -> None:
        """Undo the last label (its copy removed if unchanged), skip or accepted batch."""
        if not self.history:
            return
        kind, step = self.history.pop()
        try:
            if kind == "copy":
                row, item, copied = step
                undo_copy(copied)
                self.counts[copied.class_name] -= 1
            elif kind == "batch":
                for copied in step:
                    undo_copy(copied)
                    self.counts[copied.class_name] -= 1
                    self.handled.discard(copied.source)
                self._show_progress()
                self.refit()
                return
            else:
                row, item = step
                self.skipped.remove(item["path"])
        except DatasetError as error:
            show_error(self, self.tr("Could not undo"), str(error))
            return
        self.handled.discard(item["path"])
        self.model.put(row, item)
        self._select(row)
        self._show_progress()

    def _after_step(self, row: int) -> None:
        self.since_refit += 1
        self._select(row)
        self._show_progress()
        if self.since_refit >= REFIT_EVERY or self.model.rowCount() < LOW_QUEUE:
            self.refit()

    def _preview(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            self.large.clear()
            return
        path = self.model.rows[row]["path"]
        self.preview_worker.start(thumbnails_job([path], PREVIEW), "label-preview",
                                  on_done=lambda images: self._show_large(images.get(path)))

    def _show_large(self, image: Any) -> None:
        if image is not None and not image.isNull():
            self.large.setPixmap(QPixmap.fromImage(image))

    # -- classes and accepting many at once -----------------------------------------------------
    def add_class(self, name: str | None = None) -> None:
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("Add class"), self.tr("Name of the new class:"))
            if not ok:
                return
        try:
            folder = add_class(self.dataset(), name)
        except DatasetError as error:
            show_error(self, self.tr("Could not add the class"), str(error))
            return
        if folder.name not in self.class_names:
            self.class_names = sorted(self.class_names + [folder.name])
            self._show_keys()
            self._show_progress()

    def accept_above(self, confirm: bool = True) -> int:
        """Copy every image whose suggestion is at least the threshold, after asking (on a worker
        thread, then a refit); returns how many are being copied."""
        threshold = self.accept_threshold.value() / 100
        chosen = [p for p in self.predictions if p["probability"] >= threshold and p["path"] not in self.handled]
        if not chosen:
            QMessageBox.information(self, self.tr("Accept suggestions"),
                                    self.tr("No suggestion is at or above {t} %.").format(t=self.accept_threshold.value()))
            return 0
        if confirm and QMessageBox.question(self, self.tr("Accept suggestions"), accept_question(chosen)) != \
                QMessageBox.StandardButton.Yes:
            return 0
        dataset = self.dataset()

        def copy_all(_sink: Any, cancel: threading.Event) -> list[Any]:  # off the GUI thread: hundreds of files
            done = []
            for item in chosen:
                if cancel.is_set():
                    break
                try:
                    done.append(copy_into_class(item["path"], dataset, item["suggested"]))
                except (DatasetError, OSError):
                    continue  # one file that cannot be copied stays in the queue, never the batch
            return done

        self.copier.start(copy_all, "label-accept", on_done=self._accepted, on_error=self._failed)
        return len(chosen)

    def _accepted(self, done: list[Any]) -> None:
        for copied in done:
            self.handled.add(copied.source)
            self.counts[copied.class_name] += 1
        self.history.append(("batch", done))
        self.model.set_rows([r for r in self.model.rows if r["path"] not in self.handled])
        self._select(0)
        self._show_progress()
        self.refit()

    def workers(self) -> list[Worker]:
        return [self.worker, self.thumbs, self.preview_worker, self.copier]

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt naming)
        for worker in self.workers():
            worker.cancel()
        super().closeEvent(event)

