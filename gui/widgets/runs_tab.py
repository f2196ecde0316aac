"""The Runs tab: every recorded training run (core/runs/store.py) in a sortable table, the selected
runs compared below it (gui/widgets/runs_compare.py), and what can be done with a run: use its model, train
again with its settings, continue it, delete it.

The store is an SQLite file that the engine (or a CLI run in a terminal) may be writing, and
reading it waits on their lock (up to the store's busy timeout): so it is read on a thread
(gui/worker.py's Worker, a local job), never on the GUI thread. This widget only shows runs and
says what the user asked for through signals; gui/runs_control.py does it.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QScrollArea, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core.methods import method_label

from .runs_compare import RunsCompare, status_text
from ..engine_messages import engine_words
from ..worker import Worker
from .common import accuracy_record, hint_label, set_names

# The headers in English (tests and code name columns by them); shown translated (RunsTab.__init__).
COLUMNS = (QT_TRANSLATE_NOOP("RunsTab", "Started"), QT_TRANSLATE_NOOP("RunsTab", "Status"),
           QT_TRANSLATE_NOOP("RunsTab", "Backbone"), QT_TRANSLATE_NOOP("RunsTab", "Method"),
           QT_TRANSLATE_NOOP("RunsTab", "Epochs"), QT_TRANSLATE_NOOP("RunsTab", "Val. accuracy"),
           QT_TRANSLATE_NOOP("RunsTab", "Data folder"), QT_TRANSLATE_NOOP("RunsTab", "Bundle"))
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # what a column sorts by (numbers as numbers, times as ISO text)
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the run id, on the first column's item
CONTINUABLE = ("stopped", "interrupted")


def continuable(record: Any) -> bool:
    """Whether **Continue** applies: a stopped or interrupted run (it trains on from its last checkpoint, or,
    when every epoch was trained but the model never written, writes it from the best checkpoint), or one
    whose save failed (a full disk: recorded failed, "trained but not saved"; core.jobs.runs.resume_plan)."""
    from core.runs.recorder import UNSAVED  # TensorFlow-free

    return record.status in CONTINUABLE or (record.status == "failed" and (record.error or "").startswith(UNSAVED))


def read_runs(store_path: str | Path | None = None) -> list[Any]:
    """Every recorded run, newest first (core.runs.store.RunStore.runs; a dead process's run reads
    ``interrupted``). Imported here, run on the worker's thread."""
    return read_store(store_path)[0]


def read_store(store_path: str | Path | None = None) -> tuple[list[Any], Path | None, Path]:
    """(every recorded run, where a damaged store was kept aside when this read started a fresh
    one or None, the store's path): the Runs tab says so rather than show an empty list silently."""
    from core.runs.store import RunStore
    from core.stats import intervals  # noqa: F401 - the rows' intervals (scipy) imported here, not on the GUI thread

    store = RunStore(store_path)
    return store.runs(), store.damaged, store.path


def started_text(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(iso)


class _SortItem(QTableWidgetItem):
    """Sorts by SORT_ROLE (epochs by their count, accuracy as a number, an empty value first)."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None:
            return mine is None and theirs is not None
        try:
            return mine < theirs
        except TypeError:
            return str(mine) < str(theirs)


def _item(text: str, sort_key: Any = None, tip: str = "") -> _SortItem:
    item = _SortItem(text)
    item.setData(SORT_ROLE, text if sort_key is None else sort_key)
    if tip:
        item.setToolTip(tip)
    return item


class RunsTab(QWidget):
    """Signals (the user's requests, carried out by gui/runs_control.py): ``useRequested(record)``,
    ``trainAgainRequested(record)``, ``continueRequested(record)``, ``deleteRequested([records])``;
    ``runsShown(count)`` after each refresh. ``store_path``: None for the app's data folder."""

    useRequested = Signal(object)
    trainAgainRequested = Signal(object)
    continueRequested = Signal(object)
    deleteRequested = Signal(object)
    runsShown = Signal(int)

    def __init__(self, store_path: str | Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runsTab")
        self.store_path = store_path
        self.worker = Worker("runs", self)
        self.records: dict[str, Any] = {}
        self.store_notice = ""  # set when a read found the store damaged and started a fresh one
        self.training = False  # a run is on: no Train again, no Continue
        self.table = set_names(QTableWidget(0, len(COLUMNS)), "runsTable", self.tr("Recorded runs"),
                               self.tr("Every training run, newest first; click a column to sort, Ctrl or Shift to "
                                       "select several and compare them below"))
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("RunsTab", name) for name in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        # Widths are fitted once per refresh (show_runs): ResizeToContents would measure every row again
        # for every item set, seconds for a few hundred runs.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.cellDoubleClicked.connect(lambda *_: self.use_button.click())

        def button(text: str, name: str, tip: str) -> QPushButton:
            return set_names(QPushButton(text), name, text, tip)

        self.refresh_button = button(self.tr("Refresh"), "runsRefreshButton", self.tr("Read the list of runs again"))
        self.use_button = button(self.tr("Use this model"), "runsUseButton",
                                 self.tr("Open the run's model: Try it, Results and Save then use it"))
        self.again_button = button(self.tr("Train again with these settings"), "runsAgainButton",
                                   self.tr("Put the run's data folder, backbone, freeze point and training settings "
                                           "into the fields above; press Train to start"))
        self.continue_button = button(self.tr("Continue"), "runsContinueButton",
                                      self.tr("Train a stopped or interrupted run on from its last finished epoch"))
        self.delete_button = button(self.tr("Delete…"), "runsDeleteButton",
                                    self.tr("Forget the selected runs and delete their checkpoints (a model you saved "
                                            "elsewhere is kept)"))
        self.refresh_button.clicked.connect(self.refresh)
        self.use_button.clicked.connect(lambda: self._emit_one(self.useRequested))
        self.again_button.clicked.connect(lambda: self._emit_one(self.trainAgainRequested))
        self.continue_button.clicked.connect(lambda: self._emit_one(self.continueRequested))
        self.delete_button.clicked.connect(lambda: self.deleteRequested.emit(self.selected_records()))
        self.hint = hint_label("", "runsHint")
        # Two rows of buttons: in one, the tab's minimum width would widen the window past 1280 px.
        rows = QVBoxLayout()
        for group in ((self.use_button, self.again_button), (self.continue_button, self.delete_button,
                                                              self.refresh_button)):
            row = QHBoxLayout()
            for widget in group:
                row.addWidget(widget)
            row.addStretch(1)
            rows.addLayout(row)
        row = QHBoxLayout()
        row.addLayout(rows)
        row.addWidget(self.hint, 1)

        self.compare = RunsCompare()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("runsSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.compare)
        splitter.setSizes([160, 200])
        self.table.setMinimumHeight(90)  # a few rows stay in view above the comparison
        # In a scroll area: the buttons, a few rows and the comparison need ~300 px, more than the bottom
        # row has on a 768 px high screen; without it the tab's minimum would pin the window's divider.
        content = QWidget()
        box = QVBoxLayout(content)
        box.setContentsMargins(8, 6, 8, 6)
        box.addLayout(row)
        box.addWidget(splitter, 1)
        scroll = QScrollArea()
        scroll.setObjectName("runsScroll")
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._update_buttons()

    # -- reading the store -----------------------------------------------------------------
    def refresh(self) -> None:
        """Read the runs again, on a thread; the table follows when they arrive."""
        path = self.store_path
        self.worker.start(lambda _sink, _cancel: read_store(path), "read runs", on_done=self._store_read,
                          on_error=self._read_failed)

    def _store_read(self, read: tuple[list[Any], Path | None, Path]) -> None:
        records, damaged, path = read
        if damaged is not None:  # kept for this session: the fresh store's first reads say it too
            self.store_notice = self.tr("The run store was damaged: it was kept as {damaged} and a fresh store was "
                                        "started at {path}, so earlier runs are not listed.").format(damaged=damaged,
                                                                                                   path=path)
        self.show_runs(records)

    def _read_failed(self, message: str, _details: str) -> None:
        self.hint.setText(self.tr("Could not read the runs: {message}").format(message=message))

    def show_runs(self, records: list[Any]) -> None:
        """Fill the table with ``records``, keeping the selection (by run id) and the sort order."""
        selected = {record.id for record in self.selected_records()}
        self.records = {record.id: record for record in records}
        table = self.table
        table.blockSignals(True)
        table.setUpdatesEnabled(False)
        table.setSortingEnabled(False)
        table.clearContents()
        table.setRowCount(len(records))
        for row, record in enumerate(records):
            for column, item in enumerate(self._row_items(record)):
                table.setItem(row, column, item)
        table.setSortingEnabled(True)  # sorts by the header's current column and order
        table.resizeColumnsToContents()
        table.setUpdatesEnabled(True)
        for row in range(table.rowCount()):
            if table.item(row, 0).data(ID_ROLE) in selected:
                table.selectRow(row) if len(selected) == 1 else self._add_row_to_selection(row)
        table.blockSignals(False)
        count = ((self.tr("1 run recorded.") if len(records) == 1 else
                  self.tr("{count} runs recorded.").format(count=len(records))) if records else
                 self.tr("No runs recorded yet: every training run appears here."))
        self.hint.setText(self.tr("{notice} {count}").format(notice=self.store_notice, count=count)
                          if self.store_notice else count)
        self._selection_changed()
        self.runsShown.emit(len(records))

    def _add_row_to_selection(self, row: int) -> None:
        from PySide6.QtCore import QItemSelectionModel

        model = self.table.selectionModel()
        model.select(self.table.model().index(row, 0), QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)

    def _row_items(self, record: Any) -> list[_SortItem]:
        done = f"{record.epochs_done}/{record.epochs}" if record.epochs else "—"
        first = _item(started_text(record.started), record.started, self.tr("Run {id}").format(id=record.id))
        first.setData(ID_ROLE, record.id)
        tip = record.error or ""
        bundle = record.bundle or ""
        return [first, _item(status_text(record.status), record.status, tip=tip), _item(record.backbone),
                _item(engine_words(method_label(record.method)) if record.method else "—", record.method),
                _item(done, (record.epochs_done, record.epochs)),
                self._accuracy_item(record),
                _item(record.data_dir or "—", tip=record.data_dir or ""),
                _item(Path(bundle).name if bundle else "—", bundle, tip=bundle)]

    def _accuracy_item(self, record: Any) -> _SortItem:
        """"92 % (81-97 %)": the accuracy with its Wilson 95 % interval (recomputed from the count for
        runs recorded before intervals); the tooltip has the images it rests on and, under ~30 per
        class, says the number is rough, and the cell is marked with "(rough)"."""
        accuracy = record.val_accuracy
        shown = accuracy_record(record.metrics)
        if shown is None:
            return _item("—" if accuracy is None else f"{accuracy * 100:.1f} %", accuracy)
        interval = shown["text"].split(" on ")[0]  # "92 % (81-97 %)": the images it rests on are in the tooltip
        text = self.tr("{accuracy} (rough)").format(accuracy=interval) if shown.get("note") else interval
        tip = shown["text"] + (f"\n{shown['note']}" if shown.get("note") else "")
        return _item(text, accuracy, tip)

    # -- selection -------------------------------------------------------------------------
    def selected_records(self) -> list[Any]:
        """The selected runs, in the table's order."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        ids = [self.table.item(row, 0).data(ID_ROLE) for row in rows if self.table.item(row, 0) is not None]
        return [self.records[run_id] for run_id in ids if run_id in self.records]

    def select_runs(self, run_ids: list[str]) -> None:
        """Select the rows of ``run_ids`` (scripts and tests; the user clicks)."""
        self.table.blockSignals(True)  # one comparison at the end, not one per row
        self.table.clearSelection()
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(ID_ROLE) in run_ids:
                self._add_row_to_selection(row)
        self.table.blockSignals(False)
        self._selection_changed()

    def row_ids(self) -> list[str]:
        """The run ids in the table's current order (top to bottom)."""
        return [self.table.item(row, 0).data(ID_ROLE) for row in range(self.table.rowCount())]

    def _selection_changed(self) -> None:
        self.compare.show_runs(self.selected_records())
        self._update_buttons()

    def set_training(self, running: bool) -> None:
        self.training = running
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected_records()
        one = chosen[0] if len(chosen) == 1 else None
        self.use_button.setEnabled(one is not None and bool(one.bundle) and one.status != "running")
        self.again_button.setEnabled(one is not None and not self.training)
        self.continue_button.setEnabled(one is not None and continuable(one) and not self.training)
        self.delete_button.setEnabled(bool(chosen) and all(r.status != "running" for r in chosen))

    def _emit_one(self, signal: Any) -> None:
        chosen = self.selected_records()
        if len(chosen) == 1:
            signal.emit(chosen[0])
