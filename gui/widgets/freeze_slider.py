"""Step 3, how much of the backbone to freeze: a slider over the backbone's layers with ticks at
block boundaries (it snaps to them unless "Any layer" is ticked or Shift is held) and a live
"Frozen 142 / 175 layers — up to conv4_block6_out — trainable …" line, which also says when a
position cannot use the feature cache (training there is slower: core/training/feature_cache.py splits the
model only where a single tensor crosses the cut).

For the embeddings methods the slider picks the feature layer instead (``set_embedding_mode``): it
moves to the end (the final pooled features) and the fine-tuning point is remembered, per
backbone, for when the user switches back.

The layer table comes from ``core.training.model.layer_table``, which builds the Keras model the first
time (seconds, and it needs TensorFlow), so the engine process computes it — with core's own
description for every freeze point — and the panel keeps it in memory; moving the slider then
only looks a string up.
"""
from __future__ import annotations

import bisect
import threading
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (QApplication, QCheckBox, QHBoxLayout, QLabel, QPushButton, QSlider, QStyle,
                               QStyleOptionSlider, QWidget)

from core.engine.requests.layer_table import LayerTableRequest

from ..settings import as_int
from ..worker import Worker, remote
from .common import Section, hint_label, set_names

_TABLES: dict[str, Any] = {}  # backbone id -> core.engine.protocol.LayerTableSummary
_TABLES_LOCK = threading.Lock()


def cached_table(backbone_id: str) -> Any:
    with _TABLES_LOCK:
        return _TABLES.get(backbone_id)


def table_job(backbone_id: str) -> Any:
    fetch = remote(LayerTableRequest(backbone_id))

    def run(sink: Any, cancel: threading.Event) -> Any:
        table = cached_table(backbone_id) or fetch(sink, cancel)
        with _TABLES_LOCK:
            _TABLES[backbone_id] = table
        return table

    return run


class SnappingSlider(QSlider):
    """A horizontal slider that paints ticks at given stops and snaps to them.

    Dragging snaps to the nearest stop; keys, wheel and page clicks move to the next stop in
    their direction, so single steps never get stuck between two stops.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.stops: list[int] = []
        self.major: set[int] = set()
        self.snapping = True
        self._last = 0
        self.setMinimumHeight(34)
        self.setTickPosition(QSlider.TickPosition.NoTicks)
        self.valueChanged.connect(self._snap)

    def set_stops(self, stops: list[int], major: set[int]) -> None:
        self.stops = sorted(set(stops))
        self.major = set(major)
        self._last = self.value()
        self.update()

    def snapping_active(self) -> bool:
        shift = bool(QApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier)
        return self.snapping and not shift and bool(self.stops)

    def nearest_stop(self, value: int) -> int:
        return min(self.stops, key=lambda s: (abs(s - value), s))

    def _directional_stop(self, value: int) -> int:
        if value > self._last:
            index = bisect.bisect_left(self.stops, value)
            return self.stops[min(index, len(self.stops) - 1)]
        if value < self._last:
            index = bisect.bisect_right(self.stops, value) - 1
            return self.stops[max(index, 0)]
        return self.nearest_stop(value)

    def _snap(self, value: int) -> None:
        if self.snapping_active() and value not in self.stops:
            target = self.nearest_stop(value) if self.isSliderDown() else self._directional_stop(value)
            if target != value:
                self.setValue(target)  # re-enters with the snapped value
                return
        self._last = value

    def _x_for(self, value: int, option: QStyleOptionSlider) -> int:
        style = self.style()
        groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                      QStyle.SubControl.SC_SliderGroove, self)
        handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                      QStyle.SubControl.SC_SliderHandle, self)
        span = groove.width() - handle.width()
        offset = QStyle.sliderPositionFromValue(self.minimum(), self.maximum(), value, span)
        return groove.x() + handle.width() // 2 + offset

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt naming)
        super().paintEvent(event)
        if not self.stops or self.maximum() <= self.minimum():
            return
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        bottom = self.height() - 2
        for stop in self.stops:
            x = self._x_for(stop, option)
            is_major = stop in self.major
            painter.setPen(QPen(QColor("#5b6b82" if is_major else "#a7b3c4"), 1))
            painter.drawLine(QPoint(x, bottom - (8 if is_major else 4)), QPoint(x, bottom))
        painter.end()


# The English ending of a freeze point's line where the feature cache cannot be used (tests look for it);
# the window shows it through the translated "{description} — not cacheable here (slower)".
NOT_CACHEABLE = " — not cacheable here (slower)"


def count_text(n: int) -> str:
    """1234567 -> "1.2 M", 3843 -> "3.8 k": small heads stay visible next to big backbones."""
    if n >= 1e6:
        return f"{n / 1e6:.1f} M"
    if n >= 1e3:
        return f"{n / 1e3:.1f} k"
    return str(n)


class FreezePanel(Section):
    """Emits ``freezeChanged(n)`` with the number of frozen backbone layers."""

    _chosen_by_auto = False  # Auto is the method: the freeze point is its to choose (set_chosen_by_auto)

    freezeChanged = Signal(int)
    tableLoaded = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Freeze"), 3, self.tr("Frozen layers keep their ImageNet features, the rest adapt "
                                                       "to your images. Few images? Freeze more."), parent)
        self.worker = Worker("layers", self)
        self.backbone_id: str | None = None
        self.table: Any = None
        self.default_point = 0
        self.pretrained = True
        self.embedding_mode = False  # the slider picks the embeddings' layer, not what trains
        self._locked = False  # a run is using the settings on screen
        self.n_classes: int | None = None  # for the new head's parameters in the label
        self._preferred: dict[str, int] = {}  # fine-tuning point per backbone
        self._embedding_preferred: dict[str, int] = {}  # feature layer per backbone
        self.pending_run_freeze: Any = None  # a run's point waiting for the table (gui/runs_control.py keeps it here)

        self.slider = set_names(SnappingSlider(), "freezeSlider", self.tr("Frozen layers"),
                                self.tr("Number of backbone layers frozen from the input side; ticks mark block "
                                        "ends. Hold Shift to pick any layer."))
        self.slider.setEnabled(False)
        self.slider.valueChanged.connect(self._value_changed)
        ends = QHBoxLayout()
        left, right = QLabel(self.tr("◂ input side: frozen")), QLabel(self.tr("trainable: output side ▸"))
        left.setObjectName("sliderEnd")
        right.setObjectName("sliderEnd")
        ends.addWidget(left)
        ends.addStretch(1)
        ends.addWidget(right)

        self.label = hint_label(self.tr("Reading the backbone's layers…"), "freezeLabel")
        self.label.setAccessibleName(self.tr("Freeze summary"))
        self.fine_check = set_names(QCheckBox(self.tr("Any layer (no snapping)")), "fineGrainedCheck",
                                    self.tr("Fine-grained freezing"),
                                    self.tr("Move the cut to any layer instead of block boundaries (or hold Shift)"))
        self.fine_check.toggled.connect(self._fine_toggled)
        self.default_button = set_names(QPushButton(self.tr("Recommended")), "freezeDefaultButton",
                                        self.tr("Recommended freeze point"),
                                        self.tr("Freeze everything except the last block"))
        self.default_button.clicked.connect(self.reset_to_default)
        self.default_button.setEnabled(False)

        self.body.addWidget(self.slider)
        self.body.addLayout(ends)
        self.body.addWidget(self.label)
        row = QHBoxLayout()
        row.addWidget(self.fine_check)
        row.addStretch(1)
        row.addWidget(self.default_button)
        self.body.addLayout(row)
        self.body.addStretch(1)

    # -- public API ------------------------------------------------------------------------
    def set_backbone(self, backbone_id: str, preferred: int | None = None) -> None:
        if preferred is not None:
            self._preferred[backbone_id] = preferred
        if backbone_id == self.backbone_id and self.table is not None:
            if preferred is not None and not self.embedding_mode:
                self.set_freeze_point(preferred)
            return
        if backbone_id == self.backbone_id and self.worker.is_busy():
            return  # already loading this one; the preferred point applies when it arrives
        self.backbone_id = backbone_id
        self.table = None
        cached = cached_table(backbone_id)
        if cached is not None:
            self._apply(cached)
            return
        self.slider.setEnabled(False)
        self.default_button.setEnabled(False)
        self.label.setText(self.tr("Reading the backbone's layers…"))
        self.worker.start(table_job(backbone_id), f"layers:{backbone_id}", on_done=self._loaded,
                          on_error=self._failed, on_cancelled=self._loaded)

    def set_pretrained(self, pretrained: bool) -> None:
        self.pretrained = pretrained
        self._sync_enabled()
        self._update_label()

    def freeze_point(self) -> int | None:
        """Frozen layer count for TrainConfig.freeze; None while unknown or when training from scratch."""
        if self.table is None or not self.pretrained:
            return None
        return self.slider.value()

    def set_freeze_point(self, n: int) -> None:
        self.slider.setValue(max(0, min(n, self.slider.maximum())))

    def reset_to_default(self) -> None:
        self.set_freeze_point(self._mode_default())

    def finetune_point(self) -> int | None:
        """The fine-tuning point for the current backbone, also while the slider picks a feature layer
        (what the window saves in its settings)."""
        if self.backbone_id is None or self.table is None:
            return None
        return self._preferred.get(self.backbone_id, self.default_point)

    # -- settings: the fine-tuning point per backbone (key: the backbone id) ----------------
    def settings(self) -> dict[str, Any]:
        """The current backbone's fine-tuning point (never the embeddings' feature layer); nothing while
        training from scratch or before the layer table is read."""
        point = self.finetune_point() if self.pretrained else None
        return {self.backbone_id: point} if point is not None and self.backbone_id else {}

    def restore_settings(self, values: dict[str, Any]) -> None:
        """Remembered fine-tuning points: each applies when its backbone's layer table is read."""
        for backbone_id, raw in values.items():
            point = as_int(raw, -1)
            if point >= 0:
                self._preferred[backbone_id] = point

    def set_embedding_mode(self, embedding: bool) -> None:
        """True: the slider picks the layer whose (pooled) output the classic classifier sees, by default
        the last; the fine-tuning point is kept and comes back with False."""
        if embedding == self.embedding_mode:
            return
        self.embedding_mode = embedding
        self.default_button.setToolTip(self.tr("Use the network's final features") if embedding else
                                       self.tr("Freeze everything except the last block"))
        if self.table is not None and self.backbone_id is not None:
            self.set_freeze_point(self._mode_points().get(self.backbone_id, self._mode_default()))
        self._update_label()

    def set_class_count(self, n_classes: int | None) -> None:
        """The dataset's class count: the label then includes the new head's parameters."""
        self.n_classes = n_classes
        self._update_label()

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        self._sync_enabled()

    def set_chosen_by_auto(self, chosen: bool) -> None:
        """While Auto is the method the slider is off (Auto chooses the freeze point and fills it in)."""
        self._chosen_by_auto = chosen
        self._sync_enabled()

    def is_loading(self) -> bool:
        return self.worker.is_busy()

    # -- internals -------------------------------------------------------------------------
    def _loaded(self, table: Any) -> None:
        if table is not None and table.backbone_id == self.backbone_id:
            self._apply(table)

    def _failed(self, message: str, _details: str) -> None:
        self.label.setText(self.tr("Could not read this backbone's layers: {message}").format(message=message))

    def _apply(self, table: Any) -> None:
        backbone_id, default = table.backbone_id, table.default_point
        self.table, self.default_point = table, default
        n = len(table.names)
        stops = [0, *(b.n_layers for b in table.boundaries), n]
        major = {0, n, *(b.n_layers for b in table.boundaries if b.stage_end)}
        self.slider.blockSignals(True)
        self.slider.setRange(0, n)
        self.slider.setPageStep(max(1, n // 10))
        value = self._mode_points().get(backbone_id, self._mode_default())
        self.slider.setValue(max(0, min(value, n)))  # signals blocked: no snapping yet
        self.slider.set_stops(stops, major)  # after the value: remembers it for directional snapping
        self.slider.blockSignals(False)
        self._sync_enabled()
        self._update_label()
        self.tableLoaded.emit(backbone_id)
        self.freezeChanged.emit(self.slider.value())

    def _sync_enabled(self) -> None:
        ready = self.table is not None and not self._locked and self.pretrained and not self._chosen_by_auto
        for widget in (self.slider, self.default_button, self.fine_check):
            widget.setEnabled(ready)

    def _fine_toggled(self, fine: bool) -> None:
        self.slider.snapping = not fine

    def _value_changed(self, _value: int) -> None:
        value = self.slider.value()  # the snapped value, whatever the signal carried
        if self.backbone_id is not None and self.table is not None:
            self._mode_points()[self.backbone_id] = value
        self._update_label()
        self.freezeChanged.emit(value)

    def _update_label(self) -> None:
        if self.table is None:
            return
        if not self.pretrained:
            self.label.setText(self.tr("Training from scratch: all {n} layers train ({params} M parameters). "
                                       "Freezing needs pretrained weights.").format(
                n=len(self.table.names), params=f"{self.table.scratch_params / 1e6:.1f}"))
            return
        self.label.setText(self.describe(self.slider.value()))

    def _mode_points(self) -> dict[str, int]:
        """The remembered slider position per backbone for the current mode."""
        return self._embedding_preferred if self.embedding_mode else self._preferred

    def _mode_default(self) -> int:
        if self.embedding_mode and self.table is not None:
            return len(self.table.names)
        return self.default_point

    def describe(self, n: int) -> str:
        """The label's text for ``n`` frozen layers in the current mode."""
        table = self.table
        total = len(table.names)
        cut = table.names[n - 1] if n else None
        if self.embedding_mode:
            if n >= total or n == 0:
                return self.tr("Features: the network's final output ({layer}), averaged over the image — the "
                               "whole network stays frozen").format(layer=table.names[-1])
            return self.tr("Features: the output of {layer} (layer {n} of {total}), averaged over the image — the "
                           "whole network stays frozen").format(layer=cut, n=n, total=total)
        if table.trainable_params is None or table.total_params is None:
            text = table.descriptions[n]  # an engine without the detailed counts (core's words)
        else:
            head = table.head_params(self.n_classes)
            text = self._frozen_text(cut, head).format(
                n=n, total=total, layer=cut, trainable=count_text(table.trainable_params[n] + head),
                params=count_text(table.total_params + head))
        if n > 0 and table.can_cache(n) is False:
            text = self.tr("{description} — not cacheable here (slower)").format(description=text)
        return text

    def _frozen_text(self, cut: str | None, head: int) -> str:
        """The fine-tuning line as one whole sentence per case (a cut layer or none, a new head or
        none), placeholders unfilled: the translator sees each sentence whole."""
        if cut and head:
            return self.tr("Frozen {n} / {total} layers — up to {layer} — trainable {trainable} of {params} "
                           "parameters (new head included)")
        if cut:
            return self.tr("Frozen {n} / {total} layers — up to {layer} — trainable {trainable} of {params} "
                           "parameters")
        if head:
            return self.tr("Frozen {n} / {total} layers — trainable {trainable} of {params} parameters "
                           "(new head included)")
        return self.tr("Frozen {n} / {total} layers — trainable {trainable} of {params} parameters")
