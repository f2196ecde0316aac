"""Comparing recorded runs (the Runs tab's lower half): their validation curves overlaid, one colour
and one marker shape per run, and their settings and final metrics side by side, with the rows that
differ marked.

Why both a colour and a marker, and both bold and a "differs" word: a colour alone says nothing to
a colour-blind reader or on a grey printout. The rows come from the recorded configuration
(core.runs.store.RunRecord.config, TrainConfig.to_json()'s form), worded as the window's fields are,
so "what did I change between these two runs?" reads off the table. Qt and matplotlib only.
"""
from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QSizePolicy, QSplitter, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from core.methods import method_label

from ..engine_messages import engine_words
from .common import accuracy_record, set_names

COLOURS = ("#2f6fd6", "#e0752d", "#2a9d5c", "#b23a8f", "#7a5c2e", "#5b6b82", "#c9a227", "#1f9eb8")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
DIFFERS_ROLE = Qt.ItemDataRole.UserRole + 1  # on a row's marker item: True where the runs differ (not its words)
DIFFERS_BACKGROUND = QColor("#fff1c2")


def _percent(value: Any) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f} %"


def _number(value: Any) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return math.nan
    return value if math.isfinite(value) else math.nan


def _weights(config: dict[str, Any]) -> str:
    weights = config.get("weights", "imagenet")
    if weights is None:
        return QCoreApplication.translate("RunsCompare", "random (from scratch)")
    if weights == "imagenet":
        return "ImageNet"
    return QCoreApplication.translate("RunsCompare", "file {name}").format(name=Path(str(weights)).name)


def _validation(config: dict[str, Any]) -> str:
    if config.get("val_dir"):
        return QCoreApplication.translate("RunsCompare", "folder {folder}").format(folder=config["val_dir"])
    split = config.get("val_split")
    if split is None:
        return "—"
    return QCoreApplication.translate("RunsCompare", "{percent} % held out").format(
        percent=f"{_number(split) * 100:.0f}")


def _kept_together(record: Any) -> str:
    """The keep-together rule (core/data/groups.py) and how many groups went to each side."""
    rule = record.group_by if hasattr(record, "group_by") else record.config.get("group_by")
    if not rule:
        return QCoreApplication.translate("RunsCompare", "off (images split one by one)")
    groups = (record.metrics or {}).get("groups") or {}
    if groups.get("val_groups") is None:
        if rule == "subfolder":
            return QCoreApplication.translate("RunsCompare", "by subfolder")
        return QCoreApplication.translate("RunsCompare", "by file-name pattern {rule}").format(rule=rule)
    counts = {"rule": rule, "train": groups.get("train_groups"), "val": groups["val_groups"]}
    if rule == "subfolder":
        return QCoreApplication.translate(
            "RunsCompare", "by subfolder ({train} groups training, {val} validation)").format(**counts)
    return QCoreApplication.translate(
        "RunsCompare", "by file-name pattern {rule} ({train} groups training, {val} validation)").format(**counts)


def _accuracy(record: Any) -> str:
    """"92 % (81-97 %) on 50 validation images", a rough number said so; the bare percent for a run
    that only has an epoch's accuracy (stopped before its validation metrics)."""
    shown = accuracy_record(record.metrics)
    if shown is None:
        return _percent(record.val_accuracy)
    if not shown.get("note"):
        return shown["text"]
    return QCoreApplication.translate("RunsCompare", "{accuracy} (rough: few images per class)").format(
        accuracy=shown["text"])


def _augmentation(config: dict[str, Any]) -> str:
    words = {"flip": QCoreApplication.translate("RunsCompare", "flip"),
             "rotation": QCoreApplication.translate("RunsCompare", "rotation"),
             "zoom": QCoreApplication.translate("RunsCompare", "zoom"),
             "contrast": QCoreApplication.translate("RunsCompare", "contrast")}
    chosen = [words.get(name, name) for name, on in (config.get("augment") or {}).items() if on]
    return ", ".join(chosen) if chosen else QCoreApplication.translate("RunsCompare", "none")


def status_text(status: str) -> str:
    """A run's status (core.runs.store.STATUSES, stored in English) in the window's language."""
    words = {"running": QCoreApplication.translate("RunsCompare", "running"),
             "completed": QCoreApplication.translate("RunsCompare", "completed"),
             "stopped": QCoreApplication.translate("RunsCompare", "stopped"),
             "failed": QCoreApplication.translate("RunsCompare", "failed"),
             "interrupted": QCoreApplication.translate("RunsCompare", "interrupted")}
    return words.get(status, status)


def _on_off(value: Any) -> str:
    if value:
        return QCoreApplication.translate("RunsCompare", "on")
    return QCoreApplication.translate("RunsCompare", "off")


def _duration(record: Any) -> str:
    try:
        seconds = (datetime.fromisoformat(record.ended) - datetime.fromisoformat(record.started)).total_seconds()
    except (TypeError, ValueError):
        return "—"
    if seconds >= 90:
        return QCoreApplication.translate("RunsCompare", "{minutes} min").format(minutes=f"{seconds / 60:.1f}")
    return QCoreApplication.translate("RunsCompare", "{seconds} s").format(seconds=f"{seconds:.0f}")


def _patience(value: Any) -> str:
    if not value:
        return QCoreApplication.translate("RunsCompare", "off")
    return QCoreApplication.translate("RunsCompare", "after {n} epochs").format(n=value)


def _image_size(record: Any) -> str:
    if not record.config.get("image_size"):
        return QCoreApplication.translate("RunsCompare", "backbone default")
    return QCoreApplication.translate("RunsCompare", "{size} px").format(size=record.config["image_size"])


def _freeze(record: Any) -> str:
    if record.config.get("freeze") is None:
        return QCoreApplication.translate("RunsCompare", "recommended")
    return str(record.config["freeze"])


def _epochs_done(record: Any) -> str:
    if not record.epochs:
        return str(record.epochs_done)
    return QCoreApplication.translate("RunsCompare", "{done} of {total}").format(done=record.epochs_done,
                                                                                 total=record.epochs)


def _val_loss(record: Any) -> str:
    loss = (record.metrics or {}).get("val_loss")
    if loss is None:
        losses = [row.get("val_loss") for row in record.history if row.get("val_loss") is not None]
        loss = losses[-1] if losses else None
    return "—" if loss is None else f"{_number(loss):.3f}"


def _setting(key: str, shown: Callable[[Any], str] = str) -> Callable[[Any], str]:
    def read(record: Any) -> str:
        value = record.config.get(key)
        return "—" if value is None else shown(value)
    return read


# (row label, how it reads off a RunRecord); settings first, then what came of them. The labels are
# marked for lupdate here and translated when shown (this table is built at import, before any translator).
ROWS: list[tuple[str, Callable[[Any], str]]] = [
    (QT_TRANSLATE_NOOP("RunsCompare", "Data folder"), lambda r: r.data_dir or r.config.get("data_dir") or "—"),
    (QT_TRANSLATE_NOOP("RunsCompare", "Validation"), lambda r: _validation(r.config)),
    (QT_TRANSLATE_NOOP("RunsCompare", "Kept together"), _kept_together),
    (QT_TRANSLATE_NOOP("RunsCompare", "Backbone"), lambda r: r.backbone or r.config.get("backbone") or "—"),
    (QT_TRANSLATE_NOOP("RunsCompare", "Start from"), lambda r: _weights(r.config)),
    (QT_TRANSLATE_NOOP("RunsCompare", "Freeze point"), _freeze),
    (QT_TRANSLATE_NOOP("RunsCompare", "Method"),
     lambda r: engine_words(method_label(r.method or r.config.get("method", "finetune")))),
    (QT_TRANSLATE_NOOP("RunsCompare", "Epochs"), _setting("epochs")),
    (QT_TRANSLATE_NOOP("RunsCompare", "Warm-up epochs"), _setting("warmup_epochs")),
    (QT_TRANSLATE_NOOP("RunsCompare", "Batch size"), _setting("batch_size")),
    (QT_TRANSLATE_NOOP("RunsCompare", "Learning rate"), _setting("learning_rate", lambda v: f"{float(v):g}")),
    (QT_TRANSLATE_NOOP("RunsCompare", "Augmentation"), lambda r: _augmentation(r.config)),
    (QT_TRANSLATE_NOOP("RunsCompare", "Early stopping"), _setting("early_stopping_patience", _patience)),
    (QT_TRANSLATE_NOOP("RunsCompare", "Image size"), _image_size),
    (QT_TRANSLATE_NOOP("RunsCompare", "Random seed"), _setting("seed")),
    (QT_TRANSLATE_NOOP("RunsCompare", "Caches"), _setting("use_cache", _on_off)),
    (QT_TRANSLATE_NOOP("RunsCompare", "Status"), lambda r: status_text(r.status)),
    (QT_TRANSLATE_NOOP("RunsCompare", "Epochs done"), _epochs_done),
    (QT_TRANSLATE_NOOP("RunsCompare", "Validation accuracy"), _accuracy),
    (QT_TRANSLATE_NOOP("RunsCompare", "Validation loss"), _val_loss),
    (QT_TRANSLATE_NOOP("RunsCompare", "Duration"), _duration),
    (QT_TRANSLATE_NOOP("RunsCompare", "Images (fingerprint)"), lambda r: (r.data_fingerprint or "—")[:12]),
    ("TensorFlow", lambda r: str(r.versions.get("tensorflow", "—"))),
]


def compare_rows(records: list[Any]) -> list[tuple[str, list[str], bool]]:
    """``(label as shown, one text per run, whether the runs differ there)`` for every row of :data:`ROWS`."""
    rows = []
    for label, read in ROWS:
        values = [read(record) for record in records]
        rows.append((QCoreApplication.translate("RunsCompare", label), values, len(set(values)) > 1))
    return rows


def run_label(record: Any) -> str:
    """A run's short name in the legend and the table's header: the time it started (its id's) and its
    backbone; the table below says the rest."""
    stamp = record.id[9:15]
    when = f"{stamp[:2]}:{stamp[2:4]}:{stamp[4:]}" if stamp.isdigit() and len(stamp) == 6 else record.id
    return f"{when} {record.backbone}".strip()


class RunsCompare(QWidget):
    """The selected runs' validation accuracy and loss per epoch, overlaid, and the settings table.
    ``lines``: run id -> its two matplotlib lines (accuracy, loss), for tests and the legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = Figure(figsize=(7, 2.6), dpi=100)
        self.figure.patch.set_facecolor("#ffffff")
        self.canvas = set_names(FigureCanvasQTAgg(self.figure), "runsCurvesCanvas", self.tr("Compared runs' curves"),
                                self.tr("Validation accuracy and loss per epoch of the selected runs, one colour and "
                                        "marker per run"))
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumHeight(120)
        self.acc_ax, self.loss_ax = self.figure.subplots(1, 2)
        self.figure.subplots_adjust(left=0.09, right=0.98, bottom=0.2, top=0.8, wspace=0.3)
        self.canvas.mpl_connect("resize_event", lambda _event: self._fit_margins())
        self.lines: dict[str, list[Any]] = {}
        self._shown: tuple = ()
        self._setup_axes()
        self.table = set_names(QTableWidget(0, 1), "runsCompareTable", self.tr("Compared settings and metrics"),
                               self.tr("The selected runs side by side; rows whose values differ are bold, shaded "
                                       "and marked “differs”"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # fitted per fill
        splitter = QSplitter()
        splitter.setObjectName("runsCompareSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.canvas)
        splitter.addWidget(self.table)
        splitter.setSizes([520, 420])
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(splitter)
        self.show_runs([])

    def show_runs(self, records: list[Any]) -> None:
        """Overlay ``records``' curves and fill the table (no runs: an empty chart that says what to do).
        The same runs as shown, unchanged (a refresh of the list), redraw nothing."""
        shown = tuple((r.id, r.status, r.epochs_done, r.bundle) for r in records)
        if shown == self._shown and self.table.rowCount() == (len(ROWS) if records else 0):
            return
        self._shown = shown
        self._plot(records)
        self._fill_table(records)

    def differing_rows(self) -> list[str]:
        """The labels of the rows marked as differing (what a reader of the table sees marked)."""
        return [self.table.verticalHeaderItem(row).text() for row in range(self.table.rowCount())
                if self.table.item(row, 0) is not None and self.table.item(row, 0).data(DIFFERS_ROLE)]

    # -- the chart -------------------------------------------------------------------------
    def _setup_axes(self) -> None:
        """Once: titles, grids and formats stay; each selection only swaps the lines (clearing the axes
        would rebuild every tick, a third of the redraw's time)."""
        for ax, title in ((self.acc_ax, self.tr("Validation accuracy")), (self.loss_ax, self.tr("Validation loss"))):
            ax.set_title(title, fontsize=10, loc="left", color="#1d2430")
            ax.set_xlabel(self.tr("epoch"), fontsize=8, color="#5b6b82")
            ax.tick_params(labelsize=8, colors="#5b6b82")
            ax.grid(True, color="#e6eaf0", linewidth=0.8)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))  # no epoch: "1", not 0.5 0.6 …
            for spine in ("top", "right"):
                ax.spines[spine].set_visible(False)
        self.acc_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        self.acc_ax.set_ylim(0, 1.02)
        self._empty = self.acc_ax.text(0.5, 0.5, self.tr("Select runs above (Ctrl or Shift for several) to compare "
                                                         "them"),
                                       transform=self.acc_ax.transAxes, ha="center", va="center", fontsize=9,
                                       color="#5b6b82")

    def _fit_margins(self) -> None:
        """Margins in pixels, not fractions: in a narrow canvas (a 1280 px window) fractions left the
        "100%" tick label cut at the left edge and the loss axis's labels on the accuracy chart."""
        width = max(1.0, self.figure.bbox.width)
        left, gap, right = 42 / width, 44 / width, 8 / width
        axes_width = max(0.05, (1 - left - right - gap) / 2)
        self.figure.subplots_adjust(left=min(0.3, left), right=1 - min(0.1, right), wspace=min(1.0, gap / axes_width))

    def _plot(self, records: list[Any]) -> None:
        for lines in self.lines.values():
            for line in lines:
                line.remove()
        self.lines = {}
        legend = self.acc_ax.get_legend()
        if legend is not None:
            legend.remove()
        longest, top = 1, 0.0
        for index, record in enumerate(records):
            colour, marker = COLOURS[index % len(COLOURS)], MARKERS[index % len(MARKERS)]
            epochs = [int(_number(row.get("epoch", i + 1))) for i, row in enumerate(record.history)]
            losses = [_number(row.get("val_loss")) for row in record.history]
            style = {"color": colour, "marker": marker, "markersize": 4, "linewidth": 1.6, "label": run_label(record)}
            acc, = self.acc_ax.plot(epochs, [_number(row.get("val_accuracy")) for row in record.history], **style)
            loss, = self.loss_ax.plot(epochs, losses, **style)
            self.lines[record.id] = [acc, loss]
            longest = max([longest, *epochs])
            top = max([top, *(v for v in losses if not math.isnan(v))])
        for ax in (self.acc_ax, self.loss_ax):
            ax.set_xlim(0.5, longest + 0.5)
        self.loss_ax.set_ylim(0, top * 1.1 if top > 0 else 1.0)
        self._empty.set_visible(not records)
        if records:
            self.acc_ax.legend(loc="best", fontsize=7, frameon=False)
        self.canvas.draw_idle()

    # -- the table -------------------------------------------------------------------------
    def _fill_table(self, records: list[Any]) -> None:
        table = self.table
        rows = compare_rows(records) if records else []
        table.setUpdatesEnabled(False)
        table.clear()
        table.setColumnCount(1 + len(records))
        table.setRowCount(len(rows))
        table.setHorizontalHeaderLabels(["", *(run_label(record) for record in records)])
        bold = QFont(table.font())
        bold.setBold(True)
        for row, (label, values, differs) in enumerate(rows):
            header = QTableWidgetItem(label)
            table.setVerticalHeaderItem(row, header)
            marked = differs and len(records) > 1
            marker = QTableWidgetItem(self.tr("differs") if marked else "")
            marker.setData(DIFFERS_ROLE, marked)
            table.setItem(row, 0, marker)
            for column, value in enumerate(values, start=1):
                table.setItem(row, column, QTableWidgetItem(value))
            if differs and len(records) > 1:
                header.setFont(bold)
                for column in range(table.columnCount()):
                    item = table.item(row, column)
                    item.setFont(bold)
                    item.setBackground(QBrush(DIFFERS_BACKGROUND))
        table.resizeColumnsToContents()
        table.setUpdatesEnabled(True)
