"""The Runs tab's **Continue** goes through the same door as ``train --resume`` (core.jobs.runs.resume_training),
so it also applies to a run whose save failed on a full disk: its model is written from its checkpoints."""
from __future__ import annotations

from types import SimpleNamespace


def test_continue_applies_to_stopped_interrupted_and_trained_but_unsaved_runs() -> None:
    from core.runs.recorder import UNSAVED
    from gui.widgets.runs_tab import continuable

    assert continuable(SimpleNamespace(status="interrupted", error=None))  # killed, maybe while saving
    assert continuable(SimpleNamespace(status="stopped", error=None))
    assert continuable(SimpleNamespace(status="failed", error=f"{UNSAVED} (completed): Could not save ..."))
    assert not continuable(SimpleNamespace(status="failed", error="Out of memory"))
    assert not continuable(SimpleNamespace(status="completed", error=None))
    assert not continuable(SimpleNamespace(status="running", error=None))
