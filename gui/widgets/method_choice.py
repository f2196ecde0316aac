"""How to train: fine-tune the network, or fit a classic classifier on its features ("embeddings").

Why a suggestion: with fewer than ~1000 images fine-tuning overfits easily, while a linear SVM or
logistic regression on pretrained features usually generalises as well or better and trains in
seconds. The widget says so when the dataset is small and offers to run the methods side by side on
the same split, then shows their validation accuracy and time. A pure widget: it emits signals and
the window runs the jobs (core.jobs.train.run_training / run_comparison).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core.config import AUTO_BUDGET_MINUTES, LIMITS
from core.methods import METHODS as _CORE_METHODS
from core.methods import WINDOW_DEFAULT_METHOD, WINDOW_METHODS
from core.methods import uses_epochs  # noqa: F401 (the panels ask this module)

from ..engine_messages import engine_words
from ..settings import Field, field_values, restore_fields
from .common import accuracy_record, hint_label, set_names

METHODS = {m.id: (m.title, m.description) for m in WINDOW_METHODS.values()}  # id -> (combo text, tooltip), Auto first
AUTO = "auto"
SMALL_DATASET = 1000  # images; below this the embeddings methods are suggested
COMPARE = tuple(_CORE_METHODS)  # every method; the SVM and the regression share one feature extraction


class MethodChoice(QWidget):
    """Emits ``methodChanged(id)``, ``compareRequested(list of ids)`` and ``resultChosen(id)`` (the user
    picked one method's result from the comparison table)."""

    methodChanged = Signal(str)
    compareRequested = Signal(list)
    resultChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("methodChoice")
        self._images: int | None = None
        self._running = False
        self._blocked = False  # the data cannot be trained on: no comparison either
        self.combo = set_names(QComboBox(), "methodCombo", self.tr("Training method"),
                               self.tr("Fine-tuning adapts the network; embeddings fit a classic classifier on its "
                                       "features (better for small datasets, much faster)"))
        for method, (text, tip) in METHODS.items():
            text, tip = engine_words(text), engine_words(tip)
            self.combo.addItem(text, method)
            self.combo.setItemData(self.combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        # As wide as its longest method, never narrower: a cut "Embeddings + logistic reg" reads as another method.
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setCurrentIndex(self.combo.findData(WINDOW_DEFAULT_METHOD))
        self.combo.currentIndexChanged.connect(self._changed)
        # Auto's time budget, the final training included (core.config.LIMITS["budget_minutes"])
        limit = LIMITS["budget_minutes"]
        self.budget = set_names(QDoubleSpinBox(), "autoBudgetSpin", self.tr("Auto budget"),
                                self.tr("How long Auto may search, the final training included (minutes); "
                                        "Stop keeps the best recipe found so far"))
        self.budget.setRange(limit.low, limit.high)
        self.budget.setDecimals(1)
        self.budget.setValue(AUTO_BUDGET_MINUTES)
        self.budget.setSuffix(self.tr(" min"))
        self.budget_label = QLabel(self.tr("Budget"))
        self.budget_label.setBuddy(self.budget)
        self.compare_button = set_names(QPushButton(self.tr("Compare")), "compareMethodsButton",
                                        self.tr("Compare methods"),
                                        self.tr("Train all three methods, fine-tuning, embeddings + SVM and "
                                                "embeddings + logistic regression, on the same split and show their "
                                                "validation accuracy side by side"))
        self.compare_button.clicked.connect(lambda: self.compareRequested.emit(list(COMPARE)))
        self.use_embeddings = set_names(QPushButton(self.tr("Use embeddings + SVM")), "useEmbeddingsButton",
                                        self.tr("Use embeddings"),
                                        self.tr("Switch to the method suggested for small datasets"))
        self.use_embeddings.setFlat(True)
        self.use_embeddings.clicked.connect(lambda: self.set_method("svm"))
        self.hint = hint_label("", "methodHint")

        self.table = set_names(QTableWidget(0, 3), "methodComparison", self.tr("Method comparison"),
                               self.tr("Validation accuracy and training time of each method on the same split; "
                                       "double-click a row to keep that model"))
        self.table.setHorizontalHeaderLabels([self.tr("Method"), self.tr("Validation accuracy"), self.tr("Time")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.cellDoubleClicked.connect(self._row_chosen)
        self.table.setVisible(False)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.combo, 1)
        top.addWidget(self.compare_button)
        # The hint gets the full width and its button sits under it, left-aligned: side by side, a
        # narrow column squeezed the hint into five lines.
        suggestion = QHBoxLayout()
        suggestion.setContentsMargins(0, 0, 0, 0)
        suggestion.addWidget(self.use_embeddings)
        suggestion.addWidget(self.budget_label)  # Auto's budget under its hint: the top row keeps its 1280 px width
        suggestion.addWidget(self.budget)
        suggestion.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addLayout(suggestion)
        layout.addWidget(self.table)
        self._update_hint()

    # -- values ----------------------------------------------------------------------------
    def method(self) -> str:
        return str(self.combo.currentData())

    def set_method(self, method: str) -> None:
        index = self.combo.findData(method)
        if index < 0:
            raise ValueError(f"Unknown method '{method}'")
        self.combo.setCurrentIndex(index)

    def budget_s(self) -> float:
        """Auto's budget in seconds."""
        return float(self.budget.value()) * 60.0

    def settings(self) -> dict[str, Any]:
        return field_values(self._setting_fields())

    def restore_settings(self, values: dict[str, Any]) -> None:
        """The remembered method, if this version still has it."""
        restore_fields(self._setting_fields(), values)

    def _setting_fields(self) -> dict[str, Field]:
        return {"method": Field(self.method, lambda raw: self.set_method(str(raw)) if str(raw) in METHODS else None),
                "autoBudget": Field(self.budget.value, self._restore_budget)}

    def _restore_budget(self, raw: Any) -> None:
        try:
            self.budget.setValue(float(raw))
        except (TypeError, ValueError):
            pass  # a damaged INI value: the default stays

    def set_dataset_size(self, images: int | None) -> None:
        """Number of usable images in the chosen folder (None: no folder yet)."""
        self._images = images
        self._update_hint()

    def set_running(self, running: bool) -> None:
        self._running = running
        for widget in (self.combo, self.use_embeddings, self.budget):
            widget.setEnabled(not running)
        self.compare_button.setEnabled(not running and not self._blocked)

    def set_blocked(self, blocked: bool) -> None:
        """The data cannot be trained on (the window says why): Compare is refused like Train."""
        self._blocked = blocked
        self.compare_button.setEnabled(not self._running and not blocked)

    # -- comparison ------------------------------------------------------------------------
    def show_comparison(self, metrics: dict[str, dict[str, Any]]) -> None:
        """``{method: metrics}`` (each result's ``metrics`` dict); the best accuracy is marked."""
        rows = [(m, v) for m, v in metrics.items() if v]
        best = max((v.get("val_accuracy") or 0.0 for _, v in rows), default=None)
        self.table.setRowCount(len(rows))
        for r, (method, values) in enumerate(rows):
            accuracy = values.get("val_accuracy")
            mark = " ★" if accuracy is not None and accuracy == best and len(rows) > 1 else ""
            shown = accuracy_record(values)  # with its 95 % interval, when the engine counted the images
            said = f"{accuracy:.1%}" if shown is None else shown["text"].split(" on ")[0]
            cells = [engine_words(METHODS.get(method, (method,))[0]),
                     "—" if accuracy is None else f"{said}{mark}", _duration(values.get("elapsed_s"))]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, method)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.setVisible(bool(rows))
        self.table.setFixedHeight(self.table.horizontalHeader().height() + 4 +
                                  sum(self.table.rowHeight(r) for r in range(len(rows))))

    def clear_comparison(self) -> None:
        self.table.setRowCount(0)
        self.table.setVisible(False)

    # -- internals -------------------------------------------------------------------------
    def _changed(self, _index: int) -> None:
        self._update_hint()
        self.methodChanged.emit(self.method())

    def _row_chosen(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            method = item.data(Qt.ItemDataRole.UserRole)
            self.set_method(method)
            self.resultChosen.emit(method)

    def _update_hint(self) -> None:
        small = self._images is not None and self._images < SMALL_DATASET
        finetune = self.method() == "finetune"
        auto = self.method() == AUTO
        self.budget.setVisible(auto)
        self.budget_label.setVisible(auto)
        if auto:
            text = self.tr("Auto tries embeddings and fine-tuning recipes by cross-validation on the training "
                           "images only, within the budget, then trains the best. The fields it chooses (backbone "
                           "among those on this computer, freeze point, learning rate, epochs, augmentation) are "
                           "filled in when it ends; see the Auto leaderboard tab.")
        elif small and finetune:
            text = self.tr("Only {n} images: fine-tuning may overfit. Embeddings + a classic classifier usually "
                           "does as well or better here, in seconds.").format(n=self._images)
        elif not finetune:
            text = self.tr("Trains in seconds: no epochs, the network stays frozen. The freeze point chooses the "
                           "feature layer (the default uses the network's final features).")
        else:
            text = ""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))
        self.use_embeddings.setVisible(small and finetune)


def _duration(seconds: Any) -> str:
    """A method's training time in the comparison table, with its units translated."""
    if seconds is None:
        return "—"
    seconds = float(seconds)
    if seconds < 60:
        return QCoreApplication.translate("MethodChoice", "{seconds} s").format(seconds=f"{seconds:.1f}")
    return QCoreApplication.translate("MethodChoice", "{minutes} min {seconds} s").format(
        minutes=int(seconds // 60), seconds=f"{int(seconds % 60):02d}")
