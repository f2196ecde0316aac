"""Step 4, how to train: epochs, warm-up, batch size, learning rate, augmentation, early stopping,
an "Advanced" section; and the run bar (``run_bar``): the Train and Stop buttons, a progress bar
with epoch/batch/ETA and a status line, which the window keeps in view below the steps.

Later features add their own rows without touching this layout: ``insert_row`` puts a row at
the top of the main form (e.g. a "Method" combo) and ``add_advanced_row`` appends to the
advanced form (e.g. "Use caches"), naming the setting it is remembered under if it is one.
"""
from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
                               QPushButton, QSpinBox, QWidget)

from core.config import LIMITS, default

from ..settings import Field, field_values, restore_fields, widget_field
from .common import Collapsible, Section, hint_label, set_names, set_style_property
from .elided_progress import ElidedProgressBar

DEFAULTS = {name: default(name) for name in ("epochs", "warmup_epochs", "batch_size", "learning_rate", "seed")}
DEFAULTS["early_stopping_patience"] = 3  # shown while early stopping is off (TrainConfig's 0 means off)
_LR_LADDER = [m * 10.0 ** e for e in range(-7, 0) for m in (1, 2, 5)] + [1.0]


def _limits(name: str) -> tuple[int, int]:
    """A field's range from core.config, the table the engine checks settings against: a value
    the field accepts is never refused when Train is pressed."""
    limit = LIMITS[name]
    return int(limit.low), int(limit.high)


class LearningRateSpinBox(QDoubleSpinBox):
    """Shows 0.001 / 1e-05 instead of 0.001000, and steps along 1-2-5 per decade."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(8)
        self.setRange(LIMITS["learning_rate"].low, LIMITS["learning_rate"].high)
        self.setValue(DEFAULTS["learning_rate"])

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt naming)
        return f"{value:g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802
        try:
            return float(text.strip().replace(",", "."))
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int) -> Any:
        from PySide6.QtGui import QValidator

        stripped = text.strip().replace(",", ".")
        if stripped in ("", ".", "-", "e", "1e", "1e-"):
            return QValidator.State.Intermediate, text, pos
        try:
            value = float(stripped)
        except ValueError:
            if stripped.endswith(("e", "e-", "e+")):
                return QValidator.State.Intermediate, text, pos
            return QValidator.State.Invalid, text, pos
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos

    def stepBy(self, steps: int) -> None:  # noqa: N802
        value = self.value()
        index = min(range(len(_LR_LADDER)), key=lambda i: abs(math.log(_LR_LADDER[i]) - math.log(value)))
        index = max(0, min(len(_LR_LADDER) - 1, index + steps))
        self.setValue(_LR_LADDER[index])


class ImageSizeSpinBox(QSpinBox):
    """0 shows as "Backbone default"; otherwise a size within core.config' range. Stepping up from
    the default goes to the smallest allowed size, and a typed size below it is not accepted
    (a 16 px image is not a "default", and used to fail late or mean 224 silently)."""

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt naming)
        low = int(LIMITS["image_size"].low)
        if self.value() == 0 and steps > 0:
            self.setValue(low)
        elif self.value() == low and steps < 0:
            self.setValue(0)
        else:
            super().stepBy(steps)
            if 0 < self.value() < low:
                self.setValue(low)

    def validate(self, text: str, pos: int) -> Any:
        from PySide6.QtGui import QValidator

        state, text, pos = super().validate(text, pos)
        if state == QValidator.State.Acceptable and 0 < self.valueFromText(text) < LIMITS["image_size"].low:
            state = QValidator.State.Intermediate
        return state, text, pos


class _TrainButton(QPushButton):
    """While the data cannot be trained on, the tooltip gives the reason, whatever tooltip the
    method or the window sets meanwhile (it comes back when the reason goes)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.blocked_reason: str | None = None
        self._usual_tip = ""

    def setToolTip(self, text: str) -> None:  # noqa: N802 (Qt naming)
        self._usual_tip = text
        self._show_tip()

    def set_blocked_reason(self, reason: str | None) -> None:
        self.blocked_reason = reason
        self._show_tip()

    def _show_tip(self) -> None:
        reason = self.blocked_reason
        super().setToolTip(self.tr("Cannot train: {reason}").format(reason=reason) if reason else self._usual_tip)


def _spin(object_name: str, accessible: str, tip: str, low: int, high: int, value: int) -> QSpinBox:
    spin = set_names(QSpinBox(), object_name, accessible, tip)
    spin.setRange(low, high)
    spin.setValue(value)
    return spin


def _pair(first: QWidget, label: str, second: QWidget) -> QHBoxLayout:
    """Two inputs on one form row: ``first``, then ``label`` and ``second``."""
    row = QHBoxLayout()
    row.addWidget(first)
    row.addSpacing(12)
    row.addWidget(QLabel(label))
    row.addWidget(second)
    row.addStretch(1)
    return row


class TrainingSettings(Section):
    trainRequested = Signal()
    stopRequested = Signal()
    findLearningRateRequested = Signal()  # "Find…" beside the learning rate

    def __init__(self, parent: QWidget | None = None) -> None:
        # The title before the QObject exists: self.tr is not available yet (same context as self.tr).
        super().__init__(QCoreApplication.translate("TrainingSettings", "Train"), 4, "", parent)
        self.epochs = _spin("epochsSpin", self.tr("Epochs"),
                            self.tr("How many times training goes through all images (warm-up included)"),
                            *_limits("epochs"), DEFAULTS["epochs"])
        self.warmup = _spin("warmupSpin", self.tr("Warm-up epochs"),
                            self.tr("Epochs that train only the new classifier head before the unfrozen layers start "
                                    "to adapt"), *_limits("warmup_epochs"), DEFAULTS["warmup_epochs"])
        self.batch_size = _spin("batchSizeSpin", self.tr("Batch size"),
                                self.tr("Images per training step; lower it if the computer runs out of memory"),
                                *_limits("batch_size"), DEFAULTS["batch_size"])
        self.learning_rate = set_names(LearningRateSpinBox(), "learningRateSpin", self.tr("Learning rate"),
                                       self.tr("Step size of the new head; fine-tuning uses a tenth of it"))
        self.epochs.valueChanged.connect(lambda v: self.warmup.setMaximum(max(0, v)))
        for spin in (self.epochs, self.warmup, self.batch_size):  # as wide as five digits, not as the range's text
            spin.setMaximumWidth(spin.fontMetrics().horizontalAdvance("00000") + 50)

        self.augment = {
            "flip": set_names(QCheckBox(self.tr("Flip")), "augmentFlipCheck", self.tr("Random horizontal flips")),
            "rotation": set_names(QCheckBox(self.tr("Rotate")), "augmentRotationCheck",
                                  self.tr("Random small rotations")),
            "zoom": set_names(QCheckBox(self.tr("Zoom")), "augmentZoomCheck", self.tr("Random zoom")),
            "contrast": set_names(QCheckBox(self.tr("Contrast")), "augmentContrastCheck",
                                  self.tr("Random contrast changes")),
        }
        augment_row = QHBoxLayout()
        augment_row.setSpacing(10)
        for box in self.augment.values():
            augment_row.addWidget(box)
        augment_row.addStretch(1)

        self.early_stop = set_names(QCheckBox(self.tr("Stop early if validation loss stalls for")),
                                    "earlyStoppingCheck", self.tr("Early stopping"))
        self.patience = _spin("patienceSpin", self.tr("Early stopping patience"),
                              self.tr("Epochs without improvement before training stops"),
                              1, _limits("early_stopping_patience")[1],  # 0 ("off") is the check box
                              DEFAULTS["early_stopping_patience"])
        suffix = self.tr(" epochs")  # a spin box suffix: the number comes before it
        self.patience.setSuffix(suffix)
        self.patience.setMaximumWidth(self.patience.fontMetrics().horizontalAdvance("0000" + suffix) + 50)
        self.patience.setEnabled(False)
        self.early_stop.toggled.connect(self.patience.setEnabled)
        early_row = QHBoxLayout()
        early_row.addWidget(self.early_stop)
        early_row.addWidget(self.patience)
        early_row.addStretch(1)

        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(self.tr("Epochs"), _pair(self.epochs, self.tr("of which warm-up"), self.warmup))
        self.find_rate_button = set_names(QPushButton(self.tr("Find…")), "findRateButton",
                                          self.tr("Find a learning rate"),
                                          self.tr("Try rates over a short sweep and suggest one "
                                                  "(gui/operations/lr_find.py)"))
        self.find_rate_button.clicked.connect(self.findLearningRateRequested)
        rate_row = _pair(self.batch_size, self.tr("Learning rate"), self.learning_rate)
        rate_row.insertWidget(rate_row.count() - 1, self.find_rate_button)
        self.form.addRow(self.tr("Batch size"), rate_row)
        self.form.addRow(self.tr("Augment"), augment_row)
        self.form.addRow("", early_row)
        self.body.addLayout(self.form)

        # Advanced: image size (0 = the backbone's own), seed; later issues add method/cache rows.
        self.image_size = set_names(ImageSizeSpinBox(), "imageSizeSpin", self.tr("Image size"),
                                    self.tr("Images are resized to this many pixels per side; smaller is faster, "
                                            "larger sees more detail"))
        self.image_size.setRange(0, _limits("image_size")[1])  # 0: the backbone's own size
        self.image_size.setSingleStep(16)
        self.image_size.setSpecialValueText(self.tr("Backbone default"))
        self.image_size.setSuffix(self.tr(" px"))
        self.seed = _spin("seedSpin", self.tr("Random seed"), self.tr("Same seed, same split and same result"),
                          *_limits("seed"), DEFAULTS["seed"])
        advanced = QWidget()
        self.advanced_form = QFormLayout(advanced)
        self.advanced_form.setContentsMargins(16, 0, 0, 0)
        self.advanced_form.addRow(self.tr("Image size"), self.image_size)
        self.advanced_form.addRow(self.tr("Random seed"), self.seed)
        self.advanced = Collapsible(self.tr("Advanced"), advanced)
        self.body.addWidget(self.advanced)
        self.body.addStretch(1)

        self.train_button = set_names(_TrainButton(self.tr("Train")), "trainButton", self.tr("Train"),
                                      self.tr("Start fine-tuning with these settings"))
        self.train_button.setDefault(True)
        self.train_button.setMinimumWidth(150)
        self.stop_button = set_names(QPushButton(self.tr("Stop")), "stopButton", self.tr("Stop"),
                                     self.tr("Stop after the current batch and keep the best epoch so far"))
        self.stop_button.setEnabled(False)
        self.stop_button.setMinimumWidth(90)
        self.train_button.clicked.connect(self.trainRequested)
        self.stop_button.clicked.connect(self.stopRequested)
        self.progress = set_names(ElidedProgressBar(), "trainProgress", self.tr("Training progress"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Ready"))
        self.progress.setTextVisible(True)
        self.progress.setMinimumWidth(220)
        self.status = hint_label(self.tr("Choose a folder, then press Train."), "trainStatus")
        self.status.setAccessibleName(self.tr("Training status"))
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing())  # two lines: no jump per text
        # Train, Stop, the progress and the status form the run bar, which the window places outside the
        # scrolling steps (gui/window_layout.py): a comparison table or a small screen never pushes them
        # out of view. Standalone (tests), the bar is simply not shown.
        self.run_bar = QWidget()
        self.run_bar.setObjectName("runBar")
        bar = QHBoxLayout(self.run_bar)
        bar.setContentsMargins(12, 6, 12, 6)
        bar.setSpacing(10)
        bar.addWidget(self.train_button)
        bar.addWidget(self.stop_button)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.status, 4)  # the status is the longer read: end-of-run texts run to two lines
        self._blocked: str | None = None  # why the data cannot be trained on, if so
        self._inputs: list[QWidget] = [self.epochs, self.warmup, self.batch_size, self.learning_rate,
                                       self.find_rate_button, *self.augment.values(), self.early_stop,
                                       self.image_size, self.seed]
        # What is remembered between sessions, under which key (restored in this order: the check box
        # before its patience). Rows added later join with their own key.
        self._remembered: dict[str, QWidget] = {
            "epochs": self.epochs, "warmupEpochs": self.warmup, "batchSize": self.batch_size,
            "learningRate": self.learning_rate, **{f"augment/{name}": box for name, box in self.augment.items()},
            "earlyStopping": self.early_stop, "patience": self.patience, "imageSize": self.image_size,
            "seed": self.seed}

    # -- extension points ------------------------------------------------------------------
    def insert_row(self, row: int, label: str, widget: QWidget) -> None:
        self.form.insertRow(row, label, widget)
        self._inputs.append(widget)

    def add_advanced_row(self, label: str, widget: QWidget, setting: str | None = None) -> None:
        """Append a row to the advanced form; with ``setting``, the widget (a spin or check box) is
        remembered between sessions under that key."""
        self.advanced_form.addRow(label, widget)
        self._inputs.append(widget)
        if setting is not None:
            self._remembered[setting] = widget

    # -- settings --------------------------------------------------------------------------
    def _setting_fields(self) -> dict[str, Field]:
        return {key: widget_field(widget) for key, widget in self._remembered.items()}

    def settings(self) -> dict[str, Any]:
        """What to remember: ``{key: value}`` for every remembered field."""
        return field_values(self._setting_fields())

    def restore_settings(self, values: dict[str, Any]) -> None:
        """Put remembered values back (raw, e.g. text from an INI file); others keep their default."""
        restore_fields(self._setting_fields(), values)

    # -- values ----------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """Keyword arguments for core.config.TrainConfig (``augment`` as a plain dict)."""
        return {
            "epochs": self.epochs.value(),
            "warmup_epochs": min(self.warmup.value(), self.epochs.value()),
            "batch_size": self.batch_size.value(),
            "learning_rate": float(self.learning_rate.value()),
            "augment": {name: box.isChecked() for name, box in self.augment.items()},
            "early_stopping_patience": self.patience.value() if self.early_stop.isChecked() else 0,
            "image_size": self.image_size.value() or None,
            "seed": self.seed.value(),
        }

    def set_running(self, running: bool) -> None:
        """Lock the inputs during a run. Keyboard focus follows the button that can act: Train gets
        disabled under the cursor of a keyboard user, so focus goes to Stop, and back when it ends."""
        focus_on_run_buttons = self.train_button.hasFocus() or self.stop_button.hasFocus()
        self.stop_button.setEnabled(running)
        self.train_button.setEnabled(not running and self._blocked is None)
        if focus_on_run_buttons:
            target = self.stop_button if running else self.train_button
            (target if target.isEnabled() else self.epochs).setFocus(Qt.FocusReason.OtherFocusReason)
        for widget in self._inputs:
            widget.setEnabled(not running)
        if not running:
            self.patience.setEnabled(self.early_stop.isChecked())

    def set_status(self, text: str, state: str = "") -> None:
        self.status.setText(text)
        set_style_property(self.status, "state", state)

    def set_blocked(self, reason: str | None) -> None:
        """Refuse to train, saying why (e.g. a single class): Train is disabled with the reason as its
        tooltip and in the status line. None: the data can be trained on again."""
        self._blocked = reason
        running = self.stop_button.isEnabled()
        self.train_button.setEnabled(reason is None and not running)
        self.train_button.set_blocked_reason(reason)
        if reason is not None:
            self.set_status(reason, "warn")

    def blocked_reason(self) -> str | None:
        return self._blocked
