"""Results: where the model goes wrong, not only how often.

Shows the evaluation dict that core/bundles/evaluate.py writes (metrics.json's "evaluation", or the report
of ``python main.py evaluate``): a summary line, the per-class precision/recall/F1 table, a
confusion-matrix heatmap, the most confused pairs and the hardest examples. Clicking a heatmap cell
or a pair opens a gallery of those very images (gui/widgets/gallery_dialog.py: thumbnails with true and
predicted class and confidence), because a lab fixes a model by looking at its mistakes: mislabelled files, an
ambiguous class, a scanner artefact. A pure widget: it only needs ``show_metrics(metrics)``.

Laid out for a 1280x800 window's lower half: the summary on one line, then the matrix beside the
table and the pairs; the class column is as wide as the longest name (grass and gravel must not
both read "gr…") and nothing is squeezed below its minimum (the tab scrolls instead). Drawing the matrix costs 20-60 ms of GUI time, so it happens only when the matrix is
on screen (a run ends with the curves in front: the Results tab draws when it is opened) and
without matplotlib's constrained layout (which doubled the cost): the margins come from the
longest class name.
"""
from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QFontMetrics
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QSizePolicy, QSplitter, QTableWidget,
                               QTableWidgetItem, QToolTip, QVBoxLayout, QWidget)

from core.methods import METHODS

from ..engine_messages import engine_words
from .common import Section, accuracy_record, hint_label, set_names
from .explain_view import add_gallery_toggle
from .gallery_dialog import THUMB, GalleryDialog

from .matrix_canvas import MatrixCanvas
from .matrix_margins import fit_margins

__all__ = ["GalleryDialog", "MatrixCanvas", "ResultsPanel", "evaluation_of"]

ANNOTATE_UP_TO = 25  # classes; beyond that the counts in the cells are unreadable
TICK_CHARS = 16  # longer class names are shortened in the middle on the matrix's axes (the table has them whole)
CLASS_COLUMN_MAX = 220  # px; a longer name is elided in the middle, its tooltip has it whole


def _short(name: str, limit: int = TICK_CHARS) -> str:
    return name if len(name) <= limit else f"{name[:limit // 2 - 1]}…{name[-(limit // 2 - 1):]}"


def evaluation_of(metrics: dict[str, Any]) -> dict[str, Any] | None:
    """The evaluation inside a metrics.json dict, or the dict itself if it is an evaluation report."""
    if "confusion_matrix" in metrics:
        return metrics
    evaluation = metrics.get("evaluation")
    return evaluation if isinstance(evaluation, dict) and "confusion_matrix" in evaluation else None


class ResultsPanel(Section):
    """Emits ``cellClicked(true_index, predicted_index)`` and ``galleryOpened(dialog)``."""

    cellClicked = Signal(int, int)
    galleryOpened = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        # The title before the QObject exists: self.tr is not available yet (same context as self.tr).
        super().__init__(QCoreApplication.translate("ResultsPanel", "Results"), None, "", parent)
        self.evaluation: dict[str, Any] | None = None
        self.gallery: GalleryDialog | None = None
        self.explain_source: Any = None  # () -> the model in use's engine source; set: galleries get "Explain"
        self.summary = hint_label(self.tr("Train a model or evaluate one to see how it does on each class of the "
                                          "validation images."), "resultsSummary")

        self.table = set_names(QTableWidget(0, 5), "perClassTable", self.tr("Per-class metrics"),
                               self.tr("Precision: of the images called this class, how many were. Recall: of the "
                                       "images of this class, how many were found. F1: their balance."))
        self.table.setHorizontalHeaderLabels([self.tr("Class"), self.tr("Precision"), self.tr("Recall"),
                                              self.tr("F1"), self.tr("Images")])
        header = self.table.horizontalHeader()
        header.setAccessibleName(self.tr("Per-class metrics columns: class, precision, recall, F1, images"))
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # sized in _fit_columns, not by Qt's hints
        header.setStretchLastSection(False)
        header.setSortIndicatorShown(False)  # its reserved room widened every column by ~20 px; clicks still sort
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "gra…vel" still tells gravel from grass
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # class order until a click
        self.table.setSortingEnabled(True)

        self.figure = Figure(figsize=(2.8, 2.4))  # the size hint; it grows with the panel
        self.canvas = MatrixCanvas(self.figure)
        set_names(self.canvas, "confusionMatrix", self.tr("Confusion matrix"),
                  self.tr("Rows: true class; columns: predicted class. Click a cell to see its images."))
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumSize(220, 160)  # fits the window's lower half at 800 px high
        self.canvas.mpl_connect("button_press_event", self._on_canvas_click)
        self.canvas.mpl_connect("resize_event", lambda _event: self._fit_margins())
        self._axes = None
        self._tick_names: list[str] = []
        self.empty_cell_note = ""  # what a click on an empty cell said (no gallery opens for it)

        self.pairs = set_names(QListWidget(), "confusedPairs", self.tr("Most confused pairs"),
                               self.tr("The pairs of classes the model mixes up most; double-click to see the "
                                       "images"))
        self.pairs.setWordWrap(True)
        self.pairs.itemActivated.connect(self._on_pair)
        self.hardest_button = set_names(QPushButton(self.tr("Show hardest examples")), "hardestButton",
                                        self.tr("Hardest examples"), self.tr("The images with the highest loss: "
                                                                             "confident mistakes first — often "
                                                                             "mislabelled files"))
        self.hardest_button.clicked.connect(self.open_hardest)
        self.hardest_button.setEnabled(False)

        # Lists size to the panel, not to their contents: the panel then fits the window's lower half
        # instead of asking a scroll area for its full preferred height.
        for widget, least in ((self.table, 110), (self.pairs, 48)):
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            widget.setMinimumHeight(least)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.hardest_button)
        self.body.addLayout(top)
        # Under ~30 validation images per class the accuracy moves by tens of points from one split to
        # the next: said plainly, on its own line, not hidden in a tooltip (core/stats/intervals.py).
        self.rough = hint_label("", "resultsRough")
        self.rough.setVisible(False)
        self.body.addWidget(self.rough)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(4)
        side_layout.addWidget(self.table, 3)  # shares below favour the table: pairs are a few lines
        side_layout.addWidget(QLabel(self.tr("Most confused pairs")))
        side_layout.addWidget(self.pairs, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("resultsSplitter")
        splitter.setChildrenCollapsible(False)  # neither the matrix nor the names can be squeezed away
        splitter.addWidget(self.canvas)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self.body.addWidget(splitter, 1)
        self.layout().setContentsMargins(10, 4, 10, 8)  # a tab page, not a card among cards: less frame
        self.setMinimumHeight(self.canvas.minimumHeight() + 44)

    # -- showing ---------------------------------------------------------------------------
    def show_metrics(self, metrics: dict[str, Any] | None) -> None:
        """Show a metrics.json dict (uses its "evaluation") or an evaluation report; None clears."""
        evaluation = evaluation_of(metrics or {})
        self.evaluation = evaluation
        self.hardest_button.setEnabled(bool(evaluation and evaluation.get("hardest")))
        self._fill_table(evaluation)
        self._fill_pairs(evaluation)
        self._draw_matrix(evaluation)
        self.rough.setVisible(False)
        if evaluation is None:
            self.summary.setText(self.tr("No evaluation in these results (trained before evaluation was recorded).")
                                 if metrics else self.tr("Train a model or evaluate one to see its results."))
            return
        if not evaluation["n_images"]:
            self.summary.setText(self.tr("No images were evaluated."))
            return
        method = (metrics or {}).get("method")
        record = accuracy_record(evaluation)
        numbers = {"accuracy": record["text"] if record else "—", "k": evaluation["top_k"],
                   "top": f"{evaluation['top5_accuracy']:.1%}", "loss": f"{evaluation['loss']:.3f}"}
        if method == "finetune":
            said = self.tr("Fine-tuned: accuracy {accuracy} (95 % interval) · top-{k} {top} · mean loss {loss}")
        elif method in METHODS:
            said = self.tr("{method}: accuracy {accuracy} (95 % interval) · top-{k} {top} · mean loss {loss}")
            numbers["method"] = engine_words(METHODS[method].title)
        else:
            said = self.tr("accuracy {accuracy} (95 % interval) · top-{k} {top} · mean loss {loss}")
        self.summary.setText(said.format(**numbers))
        note = (record or {}).get("note")
        self.rough.setText(self.tr("Rough number: {note}").format(note=note) if note else "")
        self.rough.setVisible(bool(note))

    def _fill_table(self, evaluation: dict[str, Any] | None) -> None:
        self.table.setSortingEnabled(False)
        rows = (evaluation or {}).get("per_class", [])
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            name = QTableWidgetItem(row["class"])
            name.setToolTip(row["class"])
            self.table.setItem(r, 0, name)
            for c, key in enumerate(("precision", "recall", "f1", "support"), start=1):
                item = QTableWidgetItem()
                value = row[key]
                # fixed "0.000" text sorts correctly as text and shows 1.000 rather than 1
                item.setData(Qt.ItemDataRole.DisplayRole, value if key == "support" else f"{value:.3f}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if key == "recall" and row["support"] and value < 0.5:
                    item.setForeground(QColor("#b3261e"))
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        self._fit_columns([row["class"] for row in rows])

    def _fit_columns(self, names: list[str]) -> None:
        """The class column as wide as the longest name (up to CLASS_COLUMN_MAX), and the table at
        least as wide as all its columns, so no name is cut to "gr…"."""
        metrics = self.table.fontMetrics()
        widest = max((metrics.horizontalAdvance(n) for n in names), default=0)
        header = self.table.horizontalHeader()
        title = header.fontMetrics().horizontalAdvance(self.table.horizontalHeaderItem(0).text())
        self.table.setColumnWidth(0, min(CLASS_COLUMN_MAX, max(widest, title) + 24))
        bold = QFont(header.font())
        bold.setBold(True)  # the style sheet's header font
        titles, digits = QFontMetrics(bold), metrics.horizontalAdvance("0.000")
        for column in range(1, self.table.columnCount()):
            title = self.table.horizontalHeaderItem(column).text()
            self.table.setColumnWidth(column, max(titles.horizontalAdvance(title), digits) + 14)
        numbers = sum(self.table.columnWidth(c) for c in range(1, self.table.columnCount()))
        scroll = self.table.verticalScrollBar().sizeHint().width()
        self.table.setMinimumWidth(self.table.columnWidth(0) + numbers + scroll + 2 * self.table.frameWidth() + 2)

    def _fill_pairs(self, evaluation: dict[str, Any] | None) -> None:
        self.pairs.clear()
        pairs = (evaluation or {}).get("most_confused", [])
        for pair in pairs:
            item = QListWidgetItem(self.tr("{count} × {true} → predicted {predicted} ({share} of {true})").format(
                count=pair["count"], true=pair["true"], predicted=pair["predicted"],
                share=f"{pair['fraction_of_true']:.0%}"))
            item.setData(Qt.ItemDataRole.UserRole, (pair["true"], pair["predicted"]))
            self.pairs.addItem(item)
        if evaluation is not None and not pairs:
            self.pairs.addItem(self.tr("No confusions: every image was classified correctly."))

    @property
    def axes(self) -> Any:
        """The matrix's axes (None without a matrix); a matrix waiting for the tab is built now."""
        self.canvas.build_now()
        return self._axes

    def _draw_matrix(self, evaluation: dict[str, Any] | None) -> None:
        self._axes = None
        self.canvas.request_build(lambda: self._build_matrix(evaluation))

    def _build_matrix(self, evaluation: dict[str, Any] | None) -> None:
        import numpy as np

        self.figure.clear()
        if evaluation is None or not evaluation["class_names"]:
            return
        names = evaluation["class_names"]
        matrix = np.asarray(evaluation["confusion_matrix"], dtype=float)
        support = matrix.sum(axis=1, keepdims=True)
        share = np.divide(matrix, support, out=np.zeros_like(matrix), where=support > 0)  # colour: row share
        ax = self.figure.add_subplot(111)
        ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0, interpolation="nearest")
        ticks = range(len(names))
        shown = [_short(str(n)) for n in names]
        ax.set_xticks(ticks, shown, rotation=45 if len(names) > 3 else 0, ha="right" if len(names) > 3 else "center",
                      fontsize=8)
        ax.set_yticks(ticks, shown, fontsize=8)
        ax.set_xlabel(self.tr("Predicted class"))
        ax.set_ylabel(self.tr("True class"))
        if len(names) <= ANNOTATE_UP_TO:
            for (r, c), count in np.ndenumerate(matrix):
                ax.text(c, r, f"{int(count)}", ha="center", va="center", fontsize=8,
                        color="white" if share[r, c] > 0.6 else "black")
        self._axes = ax
        self._tick_names = shown
        self._fit_margins()

    def _fit_margins(self) -> None:
        """Room for the tick labels and axis titles, in pixels from the longest (shortened) class
        name: what constrained layout measured by drawing every text, at a fraction of the cost."""
        if self._axes is None:
            return
        fit_margins(self.figure, self._tick_names)

    # -- galleries -------------------------------------------------------------------------
    def _on_canvas_click(self, event: Any) -> None:
        if self.axes is None or event.inaxes is not self.axes or event.xdata is None or event.ydata is None:
            return
        n = len(self.evaluation["class_names"])
        row, col = int(round(event.ydata)), int(round(event.xdata))
        if 0 <= row < n and 0 <= col < n:
            self.open_cell(row, col)

    def open_cell(self, true_index: int, predicted_index: int) -> GalleryDialog | None:
        """The gallery of images of class ``true_index`` that the model called ``predicted_index``."""
        if self.evaluation is None:
            return None
        self.cellClicked.emit(true_index, predicted_index)
        names = self.evaluation["class_names"]
        items = [s for s in self.evaluation.get("samples", [])
                 if s["true"] == true_index and s["predicted"] == predicted_index]
        items.sort(key=lambda s: -s["confidence"] if true_index != predicted_index else s["confidence"])
        true, predicted = names[true_index], names[predicted_index]
        title = (self.tr("{true}, correctly classified").format(true=true) if true_index == predicted_index
                 else self.tr("{true} predicted as {predicted}").format(true=true, predicted=predicted))
        if not items:  # an empty window would look like a failure to load: say it at the cell instead
            self.empty_cell_note = self.tr("No validation image of {true} was predicted as {predicted}.").format(
                true=true, predicted=predicted)
            QToolTip.showText(QCursor.pos(), self.empty_cell_note, self.canvas)
            return None
        return self._open(title, items)

    def _on_pair(self, item: QListWidgetItem) -> None:
        pair = item.data(Qt.ItemDataRole.UserRole)
        if pair and self.evaluation is not None:
            names = self.evaluation["class_names"]
            self.open_cell(names.index(pair[0]), names.index(pair[1]))

    def open_hardest(self) -> GalleryDialog | None:
        if self.evaluation is None:
            return None
        return self._open(self.tr("Hardest examples (highest loss first)"), list(self.evaluation.get("hardest", [])))

    def _open(self, title: str, items: list[dict[str, Any]]) -> GalleryDialog:
        if self.gallery is not None:
            self.gallery.close()
        self.gallery = GalleryDialog(title, items, list(self.evaluation["class_names"]), self)
        if self.explain_source is not None:
            add_gallery_toggle(self.gallery, self.explain_source, THUMB)
        self.gallery.show()
        self.galleryOpened.emit(self.gallery)
        return self.gallery
