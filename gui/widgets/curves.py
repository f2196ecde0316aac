"""Live training curves: loss and accuracy per epoch (train and validation), a light per-batch
loss trace, and a dashed marker where fine-tuning starts.

The x axis is in epochs: epoch ``i`` (0-based) ends at ``i + 1`` and batch ``b`` of ``n`` in
that epoch sits at ``i + (b + 1) / n``, so the batch trace runs between the epoch points. Data
arrive many times a second; the canvas updates at most every ``REDRAW_MS``.

A full redraw (``draw_idle()``) costs 30-50 ms of GUI-thread time on a laptop, mostly text, so
it happens only when the axes change: the planned epoch range and the loss range are set while
the window is idle (``set_plan``) and stay fixed during a run (a loss above the planned range is
clipped until the run ends, then ``finish`` fits the axis to the data), so a run needs no full
redraw unless the user resizes the window. Under a busy CPU a full redraw can take 100 ms, which
is why this matters. Everything that changes during a run — lines, markers, the empty-state
note — is an animated artist: drawn onto the cached background and blitted, which takes 1-3 ms.
"""
from __future__ import annotations

import math
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSizePolicy, QWidget

from .common import Section, set_names

REDRAW_MS = 250
FIT_LOW = 0.5  # after a run the loss axis is refitted only if the highest loss is below this share of it
TRAIN, VAL, BATCH, MARK = "#2f6fd6", "#e0752d", "#9fbbe8", "#7a8699"


def _planned_loss_top(n_classes: int) -> float:
    """A fresh head's loss starts near ln(classes); 1.5 times that leaves room for the first batches."""
    return max(1.0, 1.5 * math.log(max(2, n_classes)))


def _finite(value: Any) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return math.nan
    return value if math.isfinite(value) else math.nan


class CurvesPanel(Section):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Training curves"), None, "", parent)
        self.figure = Figure(figsize=(7, 3), dpi=100)
        self.figure.patch.set_facecolor("#ffffff")
        self.canvas = set_names(FigureCanvasQTAgg(self.figure), "curvesCanvas", self.tr("Training curves"),
                                self.tr("Loss and accuracy per epoch for the training and validation images"))
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumHeight(170)  # leaves the steps their height on a 800 px high screen
        self.body.addWidget(self.canvas, 1)
        self.loss_ax, self.acc_ax = self.figure.subplots(1, 2)
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_MS)
        self._redraw_timer.timeout.connect(self._redraw_now)
        self.draw_count = 0  # full redraws
        self.blit_count = 0  # animated-artist updates
        self._background: Any = None
        self._draw_pending = False
        self._drawn_key: Any = None
        self._loss_top: float | None = None
        self._planned_epochs: int | None = None
        self._planned_top = 1.0
        self._running = False
        self._mark_artists: list[Any] = []
        self._setup_axes()
        self.canvas.mpl_connect("draw_event", self._on_draw)
        self.canvas.mpl_connect("resize_event", self._on_resize)
        self._on_resize()
        self.reset()

    # -- data in ---------------------------------------------------------------------------
    def set_plan(self, epochs: int | None, n_classes: int | None = None) -> None:
        """The next run's epoch count and class count, known before it starts: the axes get their
        range now, while the window is idle, rather than with a full redraw when Train is pressed."""
        self._planned_epochs = epochs
        if n_classes:
            self._planned_top = _planned_loss_top(n_classes)
        self.request_redraw()

    def finish(self) -> None:
        """After a run: fit the loss axis to the data when the planned range does not show it well
        (clipped above, or the curves flattened in the bottom half). A full redraw is the slowest
        thing at the end of a run (45-100 ms), so it is skipped when the planned range already
        fits: the usual case, since the first losses are near ln(classes)."""
        self._running = False
        losses = self._losses()
        top = self._loss_top if self._loss_top is not None else self._planned_top
        if losses and max(losses) > 0 and not FIT_LOW * top <= max(losses) <= top:
            self._loss_top = max(losses) * 1.1
        self.request_redraw()

    def reset(self, total_epochs: int | None = None, n_classes: int | None = None, running: bool = False) -> None:
        """Clear the curves; ``running``: a run starts now, keep the axes fixed until ``finish``."""
        self._running = False  # the axes may still change once, right now (e.g. a last-moment epoch count)
        if total_epochs is not None or n_classes is not None:
            self._planned_epochs = total_epochs or self._planned_epochs
            if n_classes:
                self._planned_top = _planned_loss_top(n_classes)
        self.total_epochs = total_epochs
        self.epochs: list[int] = []  # 1-based epoch numbers received
        self.loss: list[float] = []
        self.val_loss: list[float] = []
        self.acc: list[float] = []
        self.val_acc: list[float] = []
        self.batch_x: list[float] = []
        self.batch_loss: list[float] = []
        self.phase_marks: list[tuple[float, str]] = []
        self._loss_top = None
        self._empty_text.set_visible(True)
        for line in self._data_lines():
            line.set_data([], [])
        self._draw_marks()
        self.request_redraw(immediate=True)
        self._running = running

    def empty_text(self) -> str:
        """What the empty chart says by default."""
        return self.tr("Loss and accuracy appear here, epoch by epoch, while training runs")

    def set_empty_text(self, text: str | None = None) -> None:
        """What the empty chart says (None: the default), e.g. that the embeddings methods have no epochs."""
        self._empty_text.set_text(text or self.empty_text())
        self.request_redraw()

    def add_phase(self, event: Any) -> None:
        if event.name == "finetune" and event.first_epoch > 0:
            self.phase_marks.append((float(event.first_epoch), self.tr("fine-tuning starts")))
            self._draw_marks()
            self.request_redraw()

    def add_batches(self, events: list[Any]) -> None:
        self._empty_text.set_visible(False)
        for event in events:
            self.batch_x.append(event.epoch + (event.batch + 1) / max(1, event.batches))
            self.batch_loss.append(_finite(event.loss))
        self.batch_line.set_data(self.batch_x, self.batch_loss)
        self.request_redraw()

    def add_epoch(self, event: Any) -> None:
        self.total_epochs = event.epochs
        self._append(event.epoch + 1, event.loss, event.val_loss, event.accuracy, event.val_accuracy)
        self.request_redraw()

    def load_history(self, rows: list[dict[str, Any]]) -> None:
        """Show a finished run (e.g. a bundle's history.csv rows)."""
        self.reset(len(rows) or None)
        previous_phase = None
        for index, row in enumerate(rows):
            epoch = int(float(row.get("epoch", index + 1)))
            phase = row.get("phase")
            if previous_phase is not None and phase != previous_phase and phase == "finetune":
                self.phase_marks.append((float(epoch - 1), self.tr("fine-tuning starts")))
            previous_phase = phase
            self._append(epoch, row.get("loss"), row.get("val_loss"), row.get("accuracy"), row.get("val_accuracy"))
        self._draw_marks()
        self.request_redraw(immediate=True)

    # -- drawing ---------------------------------------------------------------------------
    def request_redraw(self, immediate: bool = False) -> None:
        if immediate:
            self._redraw_timer.stop()
            self._redraw_now()
        elif not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _append(self, epoch: int, loss: Any, val_loss: Any, acc: Any, val_acc: Any) -> None:
        self._empty_text.set_visible(False)
        self.epochs.append(epoch)
        self.loss.append(_finite(loss))
        self.val_loss.append(_finite(val_loss))
        self.acc.append(_finite(acc))
        self.val_acc.append(_finite(val_acc))
        self.loss_line.set_data(self.epochs, self.loss)
        self.val_loss_line.set_data(self.epochs, self.val_loss)
        self.acc_line.set_data(self.epochs, self.acc)
        self.val_acc_line.set_data(self.epochs, self.val_acc)

    def _losses(self) -> list[float]:
        return [v for v in (*self.loss, *self.val_loss, *self.batch_loss) if not math.isnan(v)]

    def _data_lines(self) -> list[Any]:
        return [self.batch_line, self.loss_line, self.val_loss_line, self.acc_line, self.val_acc_line]

    def _animated(self) -> list[Any]:
        return [*self._mark_artists, *self._data_lines(), self._empty_text]

    def _setup_axes(self) -> None:
        for ax, title in ((self.loss_ax, self.tr("Loss")), (self.acc_ax, self.tr("Accuracy"))):
            ax.set_title(title, fontsize=10, loc="left", color="#1d2430")
            ax.set_xlabel(self.tr("epoch"), fontsize=8, color="#5b6b82")
            ax.tick_params(labelsize=8, colors="#5b6b82")
            ax.grid(True, color="#e6eaf0", linewidth=0.8)
            ax.set_axisbelow(True)
            for spine in ("top", "right"):
                ax.spines[spine].set_visible(False)
            for spine in ("left", "bottom"):
                ax.spines[spine].set_color("#c5ccd6")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        style = {"marker": "o", "markersize": 3.5, "linewidth": 1.8, "animated": True}
        training, validation = self.tr("training"), self.tr("validation")
        self.batch_line, = self.loss_ax.plot([], [], color=BATCH, linewidth=0.8, alpha=0.8, label=self.tr("batch"),
                                             animated=True)
        self.loss_line, = self.loss_ax.plot([], [], color=TRAIN, label=training, **style)
        self.val_loss_line, = self.loss_ax.plot([], [], color=VAL, label=validation, **style)
        self.acc_line, = self.acc_ax.plot([], [], color=TRAIN, label=training, **style)
        self.val_acc_line, = self.acc_ax.plot([], [], color=VAL, label=validation, **style)
        self.acc_ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        self.acc_ax.set_ylim(0, 1.02)
        self.loss_ax.legend(loc="upper right", fontsize=8, frameon=False)
        self.acc_ax.legend(loc="lower right", fontsize=8, frameon=False)
        self._empty_text = self.figure.text(
            0.5, 0.5, self.empty_text(), ha="center",
            va="center", fontsize=10, color="#5b6b82",
            bbox={"boxstyle": "round,pad=0.6", "facecolor": "#ffffff", "edgecolor": "#dfe4ec"}, animated=True)

    def _draw_marks(self) -> None:
        for artist in self._mark_artists:
            artist.remove()
        self._mark_artists = []
        for x, text in self.phase_marks:
            for ax in (self.loss_ax, self.acc_ax):
                self._mark_artists.append(ax.axvline(x, color=MARK, linestyle="--", linewidth=1, animated=True))
            self._mark_artists.append(self.acc_ax.annotate(
                text, xy=(x, 0.02), xycoords=("data", "axes fraction"), xytext=(4, 0), textcoords="offset points",
                fontsize=7, color=MARK, animated=True))

    def _layout_key(self) -> tuple[float, float]:
        """What the background depends on: the x range and the loss range."""
        if self._running and self._drawn_key is not None:
            return self._drawn_key  # fixed during a run: blits only (and no pass over every batch loss)
        planned = self.total_epochs or self._planned_epochs or 1
        right = max([planned, *(self.epochs[-1:] or [1]), *(self.batch_x[-1:] or [1])])
        losses = self._losses()
        top = self._loss_top if self._loss_top is not None else self._planned_top
        if losses and max(losses) > top:
            top = self._loss_top = max(losses) * 1.15
        return float(max(1, right) + 0.1), float(top)

    def _on_resize(self, _event: Any = None) -> None:
        """Margins in pixels (room for tick labels and titles), whatever the canvas size."""
        width, height = max(1, self.canvas.width()), max(1, self.canvas.height())
        self.figure.subplots_adjust(left=min(0.3, 46 / width), right=1 - min(0.2, 12 / width),
                                    bottom=min(0.4, 42 / height), top=1 - min(0.3, 28 / height),
                                    wspace=min(0.6, 64 / max(100.0, (width - 58) / 2)))
        # (the canvas redraws itself after a resize; _on_draw then records the new background)

    def _on_draw(self, _event: Any) -> None:
        """After every full draw: keep the background without the animated artists, then draw them."""
        self._draw_pending = False
        self._drawn_key = (float(self.loss_ax.get_xlim()[1]), float(self.loss_ax.get_ylim()[1]))
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._draw_animated()

    def _draw_animated(self) -> None:
        for artist in self._animated():
            self.figure.draw_artist(artist)

    def _redraw_now(self) -> None:
        key = self._layout_key()
        if key != self._drawn_key or self._background is None:
            right, top = key
            for ax in (self.loss_ax, self.acc_ax):
                ax.set_xlim(0, right)
            self.loss_ax.set_ylim(0, top)
            self._drawn_key = key
            self._draw_pending = True
            self.canvas.draw_idle()
            self.draw_count += 1
            return
        if self._draw_pending:
            return  # the pending full draw paints the animated artists too
        self.canvas.restore_region(self._background)
        self._draw_animated()
        self.canvas.blit(self.figure.bbox)
        self.blit_count += 1
