"""Review fixes in the window's controllers, each on small made-up parts (no engine, no window):
a run's freeze point survives a layer table read in the background, and more (see each test)."""
from __future__ import annotations

import gc
import threading
from typing import Any

import pytest

from gui.widgets import freeze_slider
from tests.gui.test_methods import _fake_table


def _blocked_job(gate: threading.Event, result: Any = None) -> Any:
    """A local worker job that ends (with ``result``) once ``gate`` is set or it is cancelled."""
    def run(_sink: Any, cancel: threading.Event) -> Any:
        while not gate.wait(0.01):
            if cancel.is_set():
                return None
        return result
    return run


def test_train_again_sets_the_freeze_point_when_the_table_arrives_later(qtbot: Any,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from gui.panels import Panels
    from gui.runs_control import apply_run_settings

    gate = threading.Event()
    monkeypatch.setattr(freeze_slider, "table_job", lambda backbone: _blocked_job(gate, _fake_table(backbone)))
    panels = Panels.create()
    backbone = panels.backbone.current_id()
    monkeypatch.delitem(freeze_slider._TABLES, backbone, raising=False)  # not read yet: the usual case
    apply_run_settings(panels, {"backbone": backbone, "freeze": 25, "method": "finetune"})
    panels.freeze.set_backbone(backbone)  # as the window does on backboneChanged
    assert panels.freeze.table is None
    gc.collect()  # nothing but the panel may keep the wait alive
    with qtbot.waitSignal(panels.freeze.tableLoaded, timeout=5000):
        gate.set()
    assert panels.freeze.slider.value() == 25
    assert panels.freeze.pending_run_freeze is None
    qtbot.waitUntil(lambda: not panels.freeze.worker.is_busy(), timeout=5000)
