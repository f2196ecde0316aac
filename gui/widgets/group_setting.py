""""Keep images of the same … together": the keep-together rule of the Data panel (TrainConfig.group_by,
core/data/groups.py), with a preview of the groups it finds in the training folder.

Why in the window at all: near-copies of one slide, animal, patient or plate on both sides of the
validation split let a model score on images it has, in effect, already seen; the rule keeps each
group on one side. Off (images split one by one), by subfolder (``class/slide12/img.png``), or by a
file-name pattern whose first group names the group (``^(slide\\d+)_``).

The preview reads the folder's file names and image headers (core.data.groups.preview_folder is
TensorFlow-free), which takes a while on thousands of images: it runs on a local worker thread and a
newer request supersedes an older one. A pattern that is not a regular expression is said at once,
on the GUI thread (compiling it costs microseconds), in the same words the engine would refuse it with.
"""
from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from core.data.groups import SUBFOLDER, parse_group_by
from core.errors import GroupByError

from ..settings import Field, field_values, restore_fields
from ..worker import Worker
from .common import hint_label, set_names, set_style_property

OFF, PATTERN = "off", "pattern"
MODES = (OFF, SUBFOLDER, PATTERN)  # the combo's order; remembered by these names, not by the words shown
PREVIEW_DELAY_MS = 400  # typing a pattern previews once the typing pauses, not at every key


def preview_job(folder: str, rule: str) -> Any:
    """The preview as a worker job: ``GroupPreview.lines()`` of ``folder`` under ``rule``, and whether
    they end with warnings (a group under several classes, nothing matched, too few groups)."""
    def run(_sink: Any, cancel: threading.Event) -> tuple[list[str], bool]:
        from core.data.groups import preview_folder

        preview = preview_folder(folder, rule)
        return ([], False) if cancel.is_set() else (preview.lines(), bool(preview.warnings))
    return run


class GroupSetting(QWidget):
    """The combo, the pattern field and the preview line. ``group_by()`` is TrainConfig.group_by
    (None: off); ``set_folder(path)`` names the training folder the preview reads; ``changed``
    follows every edit of the rule."""

    changed = Signal()
    previewShown = Signal(str)  # the preview's text once it is on screen (tests, the status line)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = Worker("group preview", self)
        self.folder = ""
        self.combo = set_names(QComboBox(), "groupByCombo", self.tr("Keep images together"),
                               self.tr("Images of the same slide, animal, patient or plate stay on one side of the "
                                       "validation split, so the accuracy is measured on groups the model never saw"))
        for mode, words in zip(MODES, (self.tr("off"), self.tr("subfolder"), self.tr("file-name pattern"))):
            self.combo.addItem(words, mode)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # no word cut
        self.pattern = set_names(QLineEdit(), "groupPatternEdit", self.tr("Group pattern"),
                                 self.tr("A regular expression searched in each file name; its first group in "
                                         "parentheses names the group, e.g. ^(slide\\d+)_ for slide12_cell3.png"))
        self.pattern.setPlaceholderText(self.tr("e.g. ^(slide\\d+)_"))
        self.pattern.setMinimumWidth(60)
        self.preview = hint_label("", "groupPreview")
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # wraps, never widens
        self.preview.setVisible(False)
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._start_preview)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo)
        row.addWidget(self.pattern, 1)
        row.addStretch(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        label = QLabel(self.tr("Keep images of the same slide, animal or plate together:"))
        label.setWordWrap(True)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(label)
        layout.addLayout(row)
        layout.addWidget(self.preview)
        self.combo.currentIndexChanged.connect(self._rule_edited)
        self.pattern.textChanged.connect(self._rule_edited)
        self._update_enabled()

    # -- the rule --------------------------------------------------------------------------
    def mode(self) -> str:
        return str(self.combo.currentData())

    def group_by(self) -> str | None:
        """TrainConfig.group_by: None when off (or no pattern typed), ``"subfolder"``, or the pattern."""
        if self.mode() == SUBFOLDER:
            return SUBFOLDER
        if self.mode() == PATTERN:
            return self.pattern.text().strip() or None
        return None

    def set_group_by(self, rule: str | None) -> None:
        """Show ``rule`` (a run's or the audit's suggestion): off, subfolder, or a pattern."""
        rule = (rule or "").strip()
        if rule.lower() == SUBFOLDER:
            self.combo.setCurrentIndex(MODES.index(SUBFOLDER))
        elif rule:
            self.pattern.setText(rule)
            self.combo.setCurrentIndex(MODES.index(PATTERN))
        else:
            self.combo.setCurrentIndex(MODES.index(OFF))

    def problem(self) -> str | None:
        """Why the rule cannot be used (the engine's own sentence), or None."""
        rule = self.group_by()
        if rule is None:
            return None
        try:
            parse_group_by(rule)
        except GroupByError as error:
            return str(error)
        return None

    # -- the preview -----------------------------------------------------------------------
    def set_folder(self, folder: str | None) -> None:
        """The training folder changed (a scan ended): preview the rule on it."""
        self.folder = folder or ""
        self._timer.stop()  # (start(0) would make 0 ms the delay for typing too)
        self._start_preview()

    def _rule_edited(self) -> None:
        self._update_enabled()
        self.changed.emit()
        self._timer.start()

    def _update_enabled(self) -> None:
        self.pattern.setVisible(self.mode() == PATTERN)

    def _start_preview(self) -> None:
        rule, problem = self.group_by(), self.problem()
        if problem:
            self.worker.cancel()
            self._show(problem, "error")
        elif rule is None:
            self.worker.cancel()
            self._show("", "")
        elif not self.folder:
            self._show(self.tr("Choose a training folder to see the groups this rule finds."), "")
        else:
            self.preview.setText(self.tr("Looking for groups…"))
            self.preview.setVisible(True)
            self.worker.start(preview_job(self.folder, rule), "group preview",
                              on_done=lambda found: self._show("\n".join(found[0]), "warn" if found[1] else ""),
                              on_error=lambda message, _details: self._show(message, "error"))

    def _show(self, text: str, state: str) -> None:
        self.preview.setText(text)
        self.preview.setVisible(bool(text))
        set_style_property(self.preview, "state", state)
        self.previewShown.emit(text)

    # -- settings (remembered in the Data panel's group) -------------------------------------
    def _setting_fields(self) -> dict[str, Field]:
        return {"groupBy": Field(self.mode, self._restore_mode),
                "groupPattern": Field(self.pattern.text, lambda raw: self.pattern.setText(str(raw or "")))}

    def settings(self) -> dict[str, Any]:
        return field_values(self._setting_fields())

    def restore_settings(self, values: dict[str, Any]) -> None:
        restore_fields(self._setting_fields(), values)

    def _restore_mode(self, raw: Any) -> None:
        if str(raw) in MODES:
            self.combo.setCurrentIndex(MODES.index(str(raw)))

    def set_locked(self, locked: bool) -> None:
        self.combo.setEnabled(not locked)
        self.pattern.setEnabled(not locked)
