"""The learning-rate finder's dialog: "Find…" beside the learning rate opens it.

The sweep runs in the engine (core/engine/requests/lr_find.py; core/training/lr_find.py says what it
trains and how it suggests), with progress and Cancel; the window stays responsive. When it ends,
the smoothed loss is plotted against the learning rate (log scale) with the suggestion marked, and
"Use this rate" puts the suggestion into the learning-rate field in one click. The plot is drawn
once per sweep (one redraw, ~30-50 ms), never while the sweep runs.
"""
from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QDoubleSpinBox, QLabel, QProgressBar, QPushButton,
                               QVBoxLayout, QWidget)

from core.config import TrainConfig
from core.engine.requests.lr_find import LrFindRequest

from ..dialogs import show_error
from ..engine_messages import engine_text
from ..widgets.common import set_names
from ..worker import Worker, remote

LOSS, MARK = "#2f6fd6", "#e0752d"


def sweep_config(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The window's TrainConfig keyword arguments for a sweep of the head's rate (what the field sets):
    the whole backbone frozen, no augmentation (core/training/lr_find.py says why), fine-tuning's method."""
    config = {key: value for key, value in kwargs.items() if key not in ("method", "freeze")}
    config["method"] = "finetune"
    return config


def shown_rate(rate: float) -> float:
    """The rate as shown and set: two significant digits (the sweep's steps are 14% apart, so more
    digits would only be noise, and the field shows 0.0002 rather than 0.00020434)."""
    return float(f"{rate:.2g}")


def suggestion_word(method: str) -> str:
    """How the rate was picked (core.training.lr_find.SUGGESTIONS' ids) in the window's language."""
    words = {"valley": QCoreApplication.translate("LrFinderDialog", "valley"),
             "steepest": QCoreApplication.translate("LrFinderDialog", "steepest")}
    return words.get(method, method)


class LrFinderDialog(QDialog):
    """Runs one sweep for ``config`` (TrainConfig keyword arguments) and offers its suggestion for
    ``field`` (the learning-rate spin box)."""

    def __init__(self, config: dict[str, Any], field: QDoubleSpinBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lrFinderDialog")
        self.setWindowTitle(self.tr("Find a learning rate"))
        self.config, self.field = sweep_config(config), field
        self.result: dict[str, Any] | None = None
        self.worker = Worker("lr find", self)
        self.worker.progress.connect(self._progress)
        self.note = QLabel(self.tr("Training the new head for a few hundred quick steps, each at a higher learning "
                                   "rate, to see where the loss falls fastest. The model you train later is not "
                                   "changed."))
        self.note.setWordWrap(True)
        self.progress = set_names(QProgressBar(), "lrFindProgress", self.tr("Sweep progress"))
        self.progress.setRange(0, 0)  # busy until the first step reports
        self.status = set_names(QLabel(self.tr("Preparing the images…")), "lrFindStatus", self.tr("Sweep status"))
        self.status.setWordWrap(True)
        self.figure = Figure(figsize=(6, 3.2), dpi=100)
        self.canvas = set_names(FigureCanvasQTAgg(self.figure), "lrFindCanvas", self.tr("Loss against learning rate"))
        self.canvas.setMinimumHeight(240)
        self.axes = self.figure.subplots()
        self.buttons = QDialogButtonBox()
        self.use_button = set_names(QPushButton(self.tr("Use this rate")), "useRateButton", self.tr("Use this rate"),
                                    self.tr("Put the suggested rate into the learning-rate field"))
        self.use_button.setEnabled(False)
        self.cancel_button = set_names(QPushButton(self.tr("Cancel")), "cancelLrFindButton", self.tr("Cancel"))
        self.buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.use_button.clicked.connect(self.use_rate)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.note, self.progress, self.status, self.canvas, self.buttons):
            layout.addWidget(widget)
        self.resize(640, 480)

    def start(self, steps: int = 100) -> None:
        """Send the sweep to the engine; the dialog follows it."""
        self.worker.start(remote(LrFindRequest(TrainConfig.from_json(self.config), steps)), "lr find", on_done=self._done,
                          on_error=self._failed)

    def use_rate(self) -> None:
        if self.result is not None:
            self.field.setValue(shown_rate(self.result["suggested_lr"]))  # the field keeps it within its range
            self.accept()

    def done(self, code: int) -> None:  # noqa: A003 - QDialog's name; every way out (Esc, Cancel, close) ends here
        self.worker.cancel()
        super().done(code)
        # One dialog per Find…: deleted (its figure, canvas and worker with it) once its sweep has wound down.
        if self.worker.is_busy():
            self.worker.busyChanged.connect(lambda busy: None if busy else self.deleteLater())
        else:
            self.deleteLater()

    # -- replies ---------------------------------------------------------------------------
    def _progress(self, event: Any) -> None:
        if event.task == "lr_find":
            self.progress.setRange(0, event.total)
            self.progress.setValue(event.done)
        self.status.setText(engine_text(event))

    def _done(self, result: dict[str, Any] | None) -> None:
        if result is None:
            return
        self.result = result
        rate, method = f"{result['suggested_lr']:.2g}", suggestion_word(result["method"])
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        if result.get("stopped_early"):
            said = self.tr("Suggested learning rate: {rate} ({method}) (stopped early: beyond it the loss exploded). "
                           "Trained {trained}.")
        else:
            said = self.tr("Suggested learning rate: {rate} ({method}). Trained {trained}.")
        self.status.setText(said.format(rate=rate, method=method, trained=result.get("trained", "")))
        self._plot(result)
        self.use_button.setEnabled(True)
        self.use_button.setText(self.tr("Use {rate}").format(rate=rate))
        self.use_button.setFocus()

    def _plot(self, result: dict[str, Any]) -> None:
        ax = self.axes
        ax.clear()
        rates = [point[0] for point in result["points"]]
        losses = [point[1] for point in result["points"]]
        ax.plot(rates, losses, color=LOSS, label=self.tr("loss (smoothed)"))
        lr = result["suggested_lr"]
        nearest = min(range(len(rates)), key=lambda i: abs(rates[i] - lr))
        ax.axvline(lr, color=MARK, linestyle="--", linewidth=1)
        ax.plot([lr], [losses[nearest]], "o", color=MARK, label=self.tr("suggested {rate} ({method})").format(
            rate=f"{lr:.2g}", method=suggestion_word(result["method"])))
        ax.set_xscale("log")
        ax.set_xlabel(self.tr("learning rate"))
        ax.set_ylabel(self.tr("loss"))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        self.figure.tight_layout()
        self.canvas.draw_idle()

    def _failed(self, message: str, details: str) -> None:
        self.status.setText(self.tr("The sweep failed — see the message."))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        show_error(self, self.tr("Could not find a learning rate"), message, details)


def open_lr_finder(parent: QWidget, kwargs: dict[str, Any], field: QDoubleSpinBox,
                   steps: int = 100) -> LrFinderDialog | None:
    """Open the dialog for the window's settings (None, with a message, when no folder is chosen)."""
    if not kwargs.get("data_dir"):
        show_error(parent, QCoreApplication.translate("LrFinderDialog", "No training folder"),
                   QCoreApplication.translate("LrFinderDialog", "Choose a training folder first: the sweep trains on "
                                                                "its images."))
        return None
    dialog = LrFinderDialog(kwargs, field, parent)
    dialog.setModal(True)
    dialog.open()
    dialog.start(steps)
    return dialog


ORDER = 40


def install(window: Any) -> None:
    """"Find…" beside the learning rate: a dialog per sweep, each with its own worker."""
    training = window.panels.training
    training.findLearningRateRequested.connect(
        lambda: open_lr_finder(window, window.train_config_kwargs(), training.learning_rate))
