"""The audit in the window (labelled "Check my data"): the Data panel's button opens a dialog that
runs the audit in the engine (core/engine/requests/audit.py AuditRequest: duplicates, leaks, likely wrong labels,
outliers) on the window's training and validation folders with the chosen backbone, its weights
and the training image size, with a progress bar and Stop, then shows the findings
(gui/widgets/audit_view.py).

Why a dialog that stays open beside the window (not modal): a user works through the findings one
image at a time, opens images, and looks at the Data panel's counts change as images are excluded
or moved. Why a controller of its own (:class:`DataCheck`): the Data panel knows the folders but
not the backbone, and is kept small; the window only creates this object.
"""
from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from core.engine.requests.audit import AuditRequest
from core.events import Progress
from ..dialogs import show_error
from ..display_text import short_label
from ..engine_messages import engine_text
from ..widgets.audit_view import AuditView, report_thumbnails
from ..widgets.common import hint_label, set_names
from ..worker import Worker, remote


def audit_job(request: AuditRequest):
    """The check as a worker job: the audit in the engine, then the thumbnails on the job's thread."""
    audit = remote(request)

    def run(sink: Any, cancel: threading.Event) -> tuple[dict[str, Any], dict[str, Any]]:
        report = audit(sink, cancel)
        return report, report_thumbnails(report, cancel)

    return run


class AuditDialog(QDialog):
    """Status line, progress bar and Stop above the findings. Emits ``stopRequested`` on Stop or close."""

    stopRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setWindowTitle(self.tr("Check my data"))
        self.setAccessibleName(self.tr("Check my data"))
        self.setModal(False)
        self.resize(760, 720)
        layout = QVBoxLayout(self)
        self.status = hint_label("", "auditStatus")
        self.status.setAccessibleName(self.tr("Check status"))
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.progress = set_names(QProgressBar(), "auditProgress", self.tr("Check progress"))
        self.stop_button = set_names(QPushButton(self.tr("Stop")), "auditStopButton", self.tr("Stop the check"))
        self.stop_button.clicked.connect(self.stopRequested)
        row.addWidget(self.progress, 1)
        row.addWidget(self.stop_button)
        layout.addLayout(row)
        # After a check that found copies across the split: the keep-together rule that holds them
        # (core.insight.audit's suggested_group_by), one click into the Data panel's field.
        self.group_button = set_names(QPushButton(), "auditGroupButton", self.tr("Keep copies together"))
        self.group_button.setVisible(False)
        layout.addWidget(self.group_button)
        self.view = AuditView()
        layout.addWidget(self.view, 1)

    def offer_group_by(self, rule: str | None) -> None:
        """Show (or hide, for None) the button that puts ``rule`` into "Keep images of the same … together"."""
        self.group_button.setEnabled(True)
        self.group_button.setText(self.tr("Keep images of the same group together: use the rule '{rule}' for "
                                          "training").format(rule=rule or ""))
        self.group_button.setToolTip(self.tr("Copies of one image on both sides of the validation split inflate the "
                                             "accuracy; this rule keeps them on one side"))
        self.group_button.setVisible(bool(rule))

    def running(self, text: str) -> None:
        self.offer_group_by(None)
        self.view.clear()
        self.status.setText(text)
        self.progress.setRange(0, 0)  # busy until the first progress event
        self.progress.setVisible(True)
        self.stop_button.setVisible(True)
        self.stop_button.setEnabled(True)

    def set_progress(self, event: Progress) -> None:
        if event.total > 0:
            self.progress.setRange(0, event.total)
            self.progress.setValue(min(event.done, event.total))
        if event.message:
            self.status.setText(engine_text(event))

    def ended(self, text: str) -> None:
        self.status.setText(text)
        self.progress.setVisible(False)
        self.stop_button.setEnabled(False)
        self.stop_button.setVisible(False)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        self.stopRequested.emit()
        super().closeEvent(event)

    def reject(self) -> None:  # Escape
        self.stopRequested.emit()
        super().reject()


class DataCheck(QObject):
    """Runs Check my data for the window's panels (gui/panels.py). ``reportShown(report)`` once the
    findings are on screen."""

    reportShown = Signal(object)

    def __init__(self, panels: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data, self.backbone, self.training = panels.data, panels.backbone, panels.training
        self.groups = getattr(panels, "groups", None)  # the Data panel's keep-together rule (gui/widgets/group_setting.py)
        self.suggested: str | None = None
        self.worker = Worker("audit", self)
        self.dialog: AuditDialog | None = None
        self._parent = parent
        self._check = 0  # which check is the latest: a replaced one's outcome is not shown
        self.data.check_button.clicked.connect(self.start)

    def _dialog(self) -> AuditDialog:
        if self.dialog is None:
            self.dialog = AuditDialog(self._parent)
            self.dialog.stopRequested.connect(self.worker.cancel)
            self.dialog.view.dataChanged.connect(self.data.scan)  # counts and thumbnails follow at once
            self.dialog.group_button.clicked.connect(self.use_suggested_group_by)
            self.worker.progress.connect(self.dialog.set_progress)
        return self.dialog

    def start(self) -> None:
        result = self.data.result
        if result is None or not self.data.train_dir():
            show_error(self._parent, self.tr("Nothing to check"),
                       self.tr("Choose a training folder with one subfolder per class first."))
            return
        backbone = self.backbone.current_id()
        weights = self.backbone.weights_arg()
        size = self.training.image_size.value() or None
        request = AuditRequest(self.data.train_dir(), self.data.val_dir(), backbone, weights, size)
        info = self.backbone.info(backbone)
        label = short_label(info.label) if info is not None else backbone
        images = result.total + sum((result.val_counts or {}).values())
        if weights is None and images == 1:
            text = self.tr("Checking 1 image with {backbone}… (random weights, as chosen for training: the findings "
                           "mean little without ImageNet's)")
        elif weights is None:
            text = self.tr("Checking {count} images with {backbone}… (random weights, as chosen for training: the "
                           "findings mean little without ImageNet's)")
        elif images == 1:
            text = self.tr("Checking 1 image with {backbone}…")
        else:
            text = self.tr("Checking {count} images with {backbone}…")
        text = text.format(count=images, backbone=label)
        dialog = self._dialog()
        dialog.running(text)
        dialog.show()
        dialog.raise_()
        self._check += 1
        check = self._check
        self.worker.start(audit_job(request), "audit", on_done=self._show, on_error=self._failed,
                          on_cancelled=lambda _result: self._stopped(check))

    def _stopped(self, check: int) -> None:
        if check == self._check and self.dialog is not None:  # not a check replaced by a newer one
            self.dialog.ended(self.tr("Stopped. Nothing was changed."))

    def _show(self, result: tuple[dict[str, Any], dict[str, Any]]) -> None:
        report, thumbnails = result
        dialog = self._dialog()
        images, excluded = report.get("images", 0), report.get("excluded")
        if excluded and images == 1:
            summary = self.tr("Checked 1 image ({excluded} excluded earlier, not checked). Double-click an image to "
                              "open it; select one to exclude or move it.")
        elif excluded:
            summary = self.tr("Checked {count} images ({excluded} excluded earlier, not checked). Double-click an "
                              "image to open it; select one to exclude or move it.")
        elif images == 1:
            summary = self.tr("Checked 1 image. Double-click an image to open it; select one to exclude or move it.")
        else:
            summary = self.tr("Checked {count} images. Double-click an image to open it; select one to exclude or "
                              "move it.")
        dialog.ended(summary.format(count=images, excluded=excluded))
        dialog.view.show_report(report, thumbnails)
        self.suggested = report.get("suggested_group_by")
        dialog.offer_group_by(self.suggested if self.groups is not None else None)
        self.reportShown.emit(report)

    def use_suggested_group_by(self) -> None:
        """The audit's rule into the Data panel's field (the preview follows); the next run keeps the copies together."""
        if self.groups is None or not self.suggested or self.dialog is None:
            return
        self.groups.set_group_by(self.suggested)
        self.dialog.group_button.setEnabled(False)
        self.dialog.status.setText(self.tr("The Data panel now keeps images together by '{rule}': the next training "
                                           "run splits whole groups.").format(rule=self.suggested))

    def _failed(self, message: str, details: str) -> None:
        if self.dialog is not None:
            self.dialog.ended(self.tr("The check failed — see the message."))
        show_error(self._parent, self.tr("Check my data failed"), message, details)

    def is_busy(self) -> bool:
        return self.worker.is_busy()


ORDER = 30


def install(window: Any) -> DataCheck:
    """The Data panel's Check my data button (``window.data_check``)."""
    window.data_check = DataCheck(window.panels, window)
    return window.data_check
