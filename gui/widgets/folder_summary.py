"""Classify a folder › Summary: per subfolder (plate, well, condition), the proportion of each class,
raw and adjusted for the model's own mistakes, with 95 % intervals: a bar chart and the same numbers
as a table.

The numbers come from the engine with the classification's reply (core.bundles.counting, the same
rows ``predict FOLDER --summary counts.csv`` writes); this view only draws them. Bars are the
adjusted proportion with its bootstrap interval, the dot on each bar the raw proportion, so the
distance between the two shows what the correction did. A model without validation statistics
(saved before calibration) has no adjusted numbers: the bars are then the raw proportions with
their Wilson intervals, and the note says why.
"""
from __future__ import annotations

from typing import Any, Sequence

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QSizePolicy, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from .common import hint_label, set_names

MAX_FOLDERS = 24  # more bars than this are unreadable; the table below still lists every folder
COLORS = ("#1f6feb", "#e36209", "#2da44e", "#8250df", "#cf222e", "#1b7c83", "#9a6700", "#57606a")


class CountsSummaryView(QWidget):
    """``set_counts(rows, notes)``: rows as core.stats.counts.SUMMARY_COLUMNS dicts; the chart is drawn
    when the view is shown. ``bars`` holds the chart's bar containers per class (tests and scripts
    read the heights). ``saveRequested`` when Save summary CSV… is pressed (the folder window has the
    engine write it: gui/widgets/folder_summary_actions.py)."""

    saveRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.bars: dict[str, Any] = {}
        self._pending: list[str] | None = None  # folders to draw when the view is next shown
        self.meaning = hint_label(self.tr(
            "“Adjusted” corrects each proportion for the model's own mistakes, measured on its validation "
            "images; it matters when a folder's mix of classes differs from the training images' (a rare class "
            "is over-counted by the errors of the common ones). Bars: adjusted, with 95 % intervals; dots: raw."),
            "countsMeaning")
        self.meaning.setWordWrap(True)
        self.note = hint_label("", "countsNote")
        self.note.setWordWrap(True)
        self.figure = Figure(figsize=(7, 2.6), dpi=100)
        self.figure.patch.set_facecolor("#ffffff")
        self.axes = self.figure.add_subplot(1, 1, 1)
        self.canvas = set_names(FigureCanvasQTAgg(self.figure), "countsChart", self.tr("Proportions per folder"),
                                self.tr("Each class's proportion per subfolder: bars adjusted, dots raw"))
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumHeight(160)
        self.table = set_names(QTableWidget(0, 5), "countsTable", self.tr("Counts per folder"),
                               self.tr("One row per subfolder and class"))
        self.table.setHorizontalHeaderLabels([self.tr("Folder"), self.tr("Class"), self.tr("Count"),
                                              self.tr("Proportion (95 %)"), self.tr("Adjusted (95 %)")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.save_button = set_names(QPushButton(self.tr("Save summary CSV…")), "saveSummaryButton",
                                     self.tr("Save summary CSV"),
                                     self.tr("One row per subfolder and class: count, proportion and adjusted "
                                             "proportion with 95 % intervals (the file of predict --summary)"))
        self.save_button.clicked.connect(self.saveRequested)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.meaning)
        layout.addWidget(self.note)
        layout.addWidget(self.canvas, 2)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.set_counts([], [])

    def set_saving_allowed(self, allowed: bool) -> None:
        """The window allows a save while no classification or other write is running; rows are needed too."""
        self.save_button.setEnabled(allowed and bool(self.rows))

    def _interval(self, value: float | None, low: float | None, high: float | None) -> str:
        """A proportion with its interval, "12.0 % (8.1 %–17.3 %)"; numbers only, but the order and the
        brackets are the translator's to choose."""
        if value is None:
            return ""
        return self.tr("{value} ({low}–{high})").format(value=f"{value:.1%}", low=f"{low:.1%}", high=f"{high:.1%}")

    def set_counts(self, rows: Sequence[dict[str, Any]], notes: Sequence[str] = ()) -> None:
        self.rows = [dict(row) for row in rows]
        folders = list(dict.fromkeys(row["folder"] for row in self.rows))
        shown = folders[:MAX_FOLDERS]
        extra = [self.tr("Only the first {shown} of {total} folders are drawn; the table lists all.").format(
            shown=MAX_FOLDERS, total=len(folders))] if len(folders) > MAX_FOLDERS else []
        self.note.setText(" ".join([*notes, *extra]))
        self.note.setVisible(bool(notes or extra))
        self._pending = shown
        self.save_button.setEnabled(bool(self.rows))
        self._fill_table()
        if self.isVisible():
            self._draw_pending()

    def _draw_pending(self) -> None:
        """Draw the chart now if new counts wait: only when the tab is seen, so the end of a
        classification never stalls the window on matplotlib (a redraw took >100 ms on 2 busy cores)."""
        if self._pending is not None:
            folders, self._pending = self._pending, None
            self._draw(folders)

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        self._draw_pending()

    def _draw(self, folders: list[str]) -> None:
        ax = self.axes
        ax.clear()
        self.bars = {}
        classes = list(dict.fromkeys(row["class"] for row in self.rows))
        if not folders:
            ax.text(0.5, 0.5, self.tr("Classify a folder to see the proportions per subfolder."), ha="center",
                    va="center", transform=ax.transAxes, color="#57606a")
            ax.set_axis_off()
            self.canvas.draw_idle()
            return
        ax.set_axis_on()
        width = 0.8 / max(1, len(classes))
        by_key = {(row["folder"], row["class"]): row for row in self.rows}
        for c, name in enumerate(classes):
            xs, heights, lows, highs, raws = [], [], [], [], []
            for f, folder in enumerate(folders):
                row = by_key.get((folder, name))
                if row is None or row["proportion"] is None:
                    continue
                adjusted = row["adjusted"] is not None
                value = row["adjusted"] if adjusted else row["proportion"]
                low = row["adjusted_low"] if adjusted else row["proportion_low"]
                high = row["adjusted_high"] if adjusted else row["proportion_high"]
                xs.append(f + (c - (len(classes) - 1) / 2) * width)
                heights.append(value)
                lows.append(max(0.0, value - low))
                highs.append(max(0.0, high - value))
                raws.append(row["proportion"])
            color = COLORS[c % len(COLORS)]
            self.bars[name] = ax.bar(xs, heights, width, yerr=[lows, highs], color=color, alpha=0.75,
                                     error_kw={"elinewidth": 1, "capsize": 2}, label=name)
            ax.plot(xs, raws, "o", color="#24292f", markersize=3)
        ax.set_xticks(range(len(folders)), folders, rotation=30 if len(folders) > 4 else 0, ha="right"
                      if len(folders) > 4 else "center", fontsize=8)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8, loc="upper right", ncols=min(4, len(classes)))
        self.figure.tight_layout()
        self.canvas.draw_idle()

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = (row["folder"], row["class"], str(row["count"]),
                     self._interval(row["proportion"], row["proportion_low"], row["proportion_high"]),
                     self._interval(row["adjusted"], row["adjusted_low"], row["adjusted_high"]) or self.tr("—"))
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
