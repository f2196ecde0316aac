"""Auto in the window: the "Auto leaderboard" tab beside the curves and Results, filled live while
Auto searches, and the chosen recipe put into the window's fields when it ends.

The run itself is the training controller's (gui/training_control.py sends an AutoRequest when the
method is "Auto (recommended)", the default): the same Train and Stop buttons, progress bar, status
line and end of run, so Results, Try it and Save follow the chosen model like any trained one. This
plug-in adds what is Auto's own: each CandidateFinished event (core/engine/requests/auto.py) goes to
the leaderboard's model, a fine-tuning candidate's row replaced after each fold; at the end the
chosen settings (backbone, method, freeze point, learning rate, epochs, augmentation) fill the
fields with the Runs tab's "Train again" (gui/runs_control.py), so the lab sees what was chosen and
Train reproduces it.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from core.events import CandidateFinished

from ..engine_messages import engine_words
from ..runs_control import apply_run_settings
from ..widgets.auto_leaderboard import AutoLeaderboard

ORDER = 50


class AutoWiring(QObject):
    """Connects the leaderboard tab to the training worker and controller of ``window``."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.control = window.training_control
        self.leaderboard = AutoLeaderboard()
        tabs = window.result_tabs
        tabs.addTab(self.leaderboard, self.tr("Auto leaderboard"))
        tabs.setTabToolTip(tabs.indexOf(self.leaderboard), self.tr("The recipes Auto tried, best first"))
        window.train_worker.jobEvent.connect(self._event)
        self.control.runningChanged.connect(self._running)
        self.control.trainingFinished.connect(self._finished)

    def _event(self, event: Any) -> None:
        if isinstance(event, CandidateFinished):
            self.leaderboard.add(event)

    def _running(self, running: bool) -> None:
        if running and self.control.auto_running:
            self.leaderboard.start(self.window.panels.method.budget_s())
            self.window.result_tabs.setCurrentWidget(self.leaderboard)

    def _finished(self, result: Any, cancelled: bool) -> None:
        if not self.control.auto_running:
            return
        auto = getattr(result, "auto", None) if result is not None else None
        self.leaderboard.finish(auto, cancelled)
        if not auto:
            return
        chosen = {key: value for key, value in (auto.get("config") or {}).items() if key != "data_dir"}
        missing = apply_run_settings(self.window.panels, chosen)  # the method leaves Auto: Train reproduces it
        training = self.window.panels.training
        if missing:
            said = self.tr("{status} Auto chose {name}; its settings are in the fields (press Train to train them "
                           "again, or choose Auto to search again). Not put back: {missing}.")
        else:
            said = self.tr("{status} Auto chose {name}; its settings are in the fields (press Train to train them "
                           "again, or choose Auto to search again).")
        training.set_status(said.format(status=training.status.text(), name=engine_words(auto.get("name", "")),
                                        missing="; ".join(missing)), "ok")


def install(window: Any) -> None:
    """Add the leaderboard tab; nothing to wait for on close (the run is the training worker's)."""
    window.auto_wiring = AutoWiring(window)
    window.auto_leaderboard = window.auto_wiring.leaderboard
