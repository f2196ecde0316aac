"""Auto's leaderboard, live: one row per candidate recipe, filled as the engine scores them.

Why a model keyed by the candidate's name: a fine-tuning candidate is scored fold by fold, and its
row (core.events.CandidateFinished) is sent again after each fold; the new row replaces the old one
in place (one dataChanged, no reset), so the table neither flickers nor grows. Sorted best first by
a proxy, so a row that improves moves up. Each update costs well under a millisecond: the window
stays responsive through the whole search.

The engine words a row in English (the CLI prints it); the window shows the candidate's name and
status in its own language: the status by the id the row carries (gui.engine_messages.engine_text),
the name, and the status of a row without an id, by matching the English back to its template
(engine_words). Both are worded once, when the row arrives (the language is fixed at start-up).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import (QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex,
                            QSortFilterProxyModel, Qt)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from core.messages import Said

from ..engine_messages import engine_text, engine_words
from .common import set_names

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def settings_text(settings: dict[str, Any]) -> str:
    """A candidate's recipe in a few words: ``layer 116, C=1`` or ``freeze 116, lr 0.001, 15 epochs, augmented``.
    Each part is a whole item of a list (translated alone), never a piece of a sentence."""
    if settings.get("method") == "finetune":
        parts = [QCoreApplication.translate("AutoLeaderboard", "freeze {layer}").format(layer=settings.get("layer"))]
        if settings.get("learning_rate") is not None:
            parts.append(QCoreApplication.translate("AutoLeaderboard", "lr {rate:.2g}").format(
                rate=settings["learning_rate"]))
        if settings.get("epochs"):
            parts.append(QCoreApplication.translate("AutoLeaderboard", "{epochs} epochs").format(
                epochs=settings["epochs"]))
        if settings.get("augment"):
            parts.append(QCoreApplication.translate("AutoLeaderboard", "zoom + contrast"))
        return QCoreApplication.translate("AutoLeaderboard", ", ").join(parts)
    return QCoreApplication.translate("AutoLeaderboard", "layer {layer}, C={c:g}").format(
        layer=settings.get("layer"), c=settings.get("c", 0))


def status_text(row: Any) -> str:
    """A row's status ("scored", "skipped (needs ~12 s per fold)") in the window's language."""
    status_id = getattr(row, "status_id", "")
    if status_id:
        return engine_text(Said(status_id, dict(getattr(row, "status_params", None) or {})), row.status)
    return engine_words(row.status)


def accuracy_text(row: Any) -> str:
    """``92.0 % (85-97 %)``: the mean fold accuracy and its 95 % interval (Nadeau-Bengio, core/auto)."""
    if row.cv_accuracy is None:
        return "—"
    if row.cv_low is None or row.cv_high is None:
        return QCoreApplication.translate("AutoLeaderboard", "{accuracy:.1f} %").format(accuracy=100 * row.cv_accuracy)
    return QCoreApplication.translate("AutoLeaderboard", "{accuracy:.1f} % ({low:.0f}-{high:.0f} %)").format(
        accuracy=100 * row.cv_accuracy, low=100 * row.cv_low, high=100 * row.cv_high)


class LeaderboardModel(QAbstractTableModel):
    """Rows of CandidateFinished, one per name, in arrival order (the view sorts)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self.words: list[tuple[str, str]] = []  # each row's name and status as shown
        self._index: dict[str, int] = {}
        self.headers = [self.tr("Candidate"), self.tr("Settings"), self.tr("CV accuracy (95 % interval)"),
                        self.tr("Folds"), self.tr("Time"), self.tr("Status")]

    def upsert(self, row: Any) -> None:
        """Add ``row``, or replace the row of the same candidate name."""
        at = self._index.get(row.name)
        words = (engine_words(row.name), status_text(row))
        if at is None:
            at = len(self.rows)
            self.beginInsertRows(QModelIndex(), at, at)
            self.rows.append(row)
            self.words.append(words)
            self._index[row.name] = at
            self.endInsertRows()
        else:
            self.rows[at], self.words[at] = row, words
            self.dataChanged.emit(self.index(at, 0), self.index(at, len(self.headers) - 1))

    def clear(self) -> None:
        self.beginResetModel()
        self.rows, self.words, self._index = [], [], {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802 (Qt naming)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            name, status = self.words[index.row()]
            return (name, settings_text(row.settings), accuracy_text(row), str(row.folds),
                    self.tr("{seconds:.0f} s").format(seconds=row.seconds), status)[column]
        if role == SORT_ROLE:  # best first; unscored last
            return -1.0 if row.cv_accuracy is None else float(row.cv_accuracy)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return ", ".join(f"{k} = {v}" for k, v in row.settings.items())
        return None


class AutoLeaderboard(QWidget):
    """The Auto leaderboard tab: a line on what is measured, then the table (best first)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("autoLeaderboard")
        self.note = QLabel(self.tr("Choose Auto (recommended) and press Train: each recipe Auto tries appears here "
                                   "with its cross-validated accuracy on the training images (the validation "
                                   "images are kept for the final check)."))
        self.note.setWordWrap(True)
        self.model = LeaderboardModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setDynamicSortFilter(True)
        self.table = set_names(QTableView(), "autoLeaderboardTable", self.tr("Auto leaderboard"),
                               self.tr("Every candidate recipe: its cross-validated accuracy with a 95 % interval, "
                                       "the folds it was scored on, its time and status; best first"))
        self.table.setModel(self.proxy)
        self.proxy.sort(2, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((260, 180, 170, 50, 60)):
            self.table.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def add(self, row: Any) -> None:
        self.model.upsert(row)

    def start(self, budget_s: float) -> None:
        self.model.clear()
        self.note.setText(self.tr("Auto is searching (budget {minutes:.1f} min): rows appear as candidates are "
                                  "scored; Stop keeps the best so far.").format(minutes=budget_s / 60))

    def finish(self, auto: dict[str, Any] | None, cancelled: bool) -> None:
        if not auto:
            self.note.setText(self.tr("Auto stopped before any candidate was scored."))
            return
        text = (self.tr("Stopped: Auto kept {name} ({scheme}); its settings are in the fields. Final model: {refit}.")
                if cancelled else
                self.tr("Auto chose {name} ({scheme}); its settings are in the fields. Final model: {refit}."))
        self.note.setText(text.format(name=engine_words(auto.get("name", "")),  # the engine's English: translated back
                                      scheme=engine_words(auto.get("fold_scheme", "")),
                                      refit=engine_words(auto.get("refit", ""))))
