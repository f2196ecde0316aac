"""The window's controllers, each on small made-up parts (no engine, no window):
a run's freeze point survives a layer table read in the background, and more (see each test)."""
from __future__ import annotations

import gc
import threading
from typing import Any

import pytest

from gui.widgets import freeze_slider
from tests.gui.conftest import blocked_job
from tests.gui.test_methods import _fake_table


def test_train_again_sets_the_freeze_point_when_the_table_arrives_later(qtbot: Any,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from gui.panels import Panels
    from gui.runs_control import apply_run_settings

    gate = threading.Event()
    monkeypatch.setattr(freeze_slider, "table_job", lambda backbone: blocked_job(gate, _fake_table(backbone)))
    from PySide6.QtWidgets import QWidget

    host = QWidget()  # owns the panels, so Qt (not a later garbage collection) deletes them, at this test's end
    qtbot.addWidget(host)
    panels = Panels.create()
    for panel in vars(panels).values():
        if isinstance(panel, QWidget):
            panel.setParent(host)
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


def _classified_rows(n: int) -> list[tuple]:
    """``n`` made-up rows of a folder classification (files that do not exist), every 10th unreadable."""
    return [(f"/nowhere/img_{i}.png", f"/nowhere/img_{i}.png", [("cat" if i % 2 else "dog", (i % 100) / 100)],
             "broken" if i % 10 == 0 else "", False) for i in range(n)]


def test_a_restarted_thumbnail_queue_repaints_the_view_not_every_row(qtbot: Any) -> None:
    from gui.widgets.folder_results import FolderResultsView

    view = FolderResultsView()
    qtbot.addWidget(view)
    view.add_rows(_classified_rows(2000))
    changed: list[tuple[int, int]] = []
    view.model.dataChanged.connect(lambda top, bottom, *_: changed.append((top.row(), bottom.row())))
    view.thumbnails.restarted.emit()
    qtbot.wait(20)
    assert all(top == bottom for top, bottom in changed)  # at most a row whose thumbnail came in
    view.thumbnails.stop()


def test_the_confidence_filter_runs_once_the_spin_box_rests(qtbot: Any) -> None:
    from gui.widgets.folder_results import FolderResultsView

    view = FolderResultsView()
    qtbot.addWidget(view)
    view.add_rows(_classified_rows(200))
    view.below_check.setChecked(True)  # at once: 50 %
    assert view.proxy.rowCount() == 90  # readable rows below 0.5: i % 100 < 50, not a multiple of 10
    for value in (40.0, 30.0, 20.0):  # arrow steps
        view.threshold_spin.setValue(value)
    assert view.proxy.below == 0.5  # not filtered on every step
    qtbot.waitUntil(lambda: view.proxy.below == 0.2, timeout=2000)
    assert view.proxy.rowCount() == 36 and view.count.text() == "36 of 200 images"
    view.class_filter.setCurrentText("cat")
    assert {r[2][0][0] for r in view.visible_rows()} == {"cat"}
    view.threshold_spin.setValue(10.0)
    assert len(view.visible_rows()) == 10  # a threshold still resting applies before rows are listed
    view.class_filter.setCurrentText("Unreadable files")
    assert len(view.visible_rows()) == 20
    view.thumbnails.stop()


def test_reopening_export_while_an_export_runs_shows_the_running_dialog(qtbot: Any, tmp_path: Any) -> None:
    from types import SimpleNamespace

    from PySide6.QtWidgets import QWidget

    from gui.operations.export import ModelExport
    from gui.model_in_use import ModelInUse

    host = QWidget()
    qtbot.addWidget(host)
    model = ModelInUse(host)
    model.use_trained(SimpleNamespace(handle="trained:1", kept_path=str(tmp_path), data_dir=str(tmp_path),
                                      metrics={}))
    assert model.bundle_path == str(tmp_path)
    export = ModelExport(model, host)
    first = export.open_dialog()
    gate = threading.Event()
    export.worker.start(blocked_job(gate), "export")  # as Export does
    first.close()  # closing the window does not stop the export
    again = export.open_dialog()
    assert again is first and again.isVisible() and not again.export_button.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: not export.worker.is_busy(), timeout=5000)
    first.close()
    fresh = export.open_dialog()
    assert fresh is not first and fresh.export_button.isEnabled()
    export.worker.start(blocked_job(gate := threading.Event()), "export")
    fresh.deleteLater()
    export.dialog = None
    late = export.open_dialog()  # a dialog made while an export runs starts with Export off
    assert not late.export_button.isEnabled() and late.cancel_button.text() == "Cancel"
    gate.set()
    qtbot.waitUntil(lambda: not export.worker.is_busy(), timeout=5000)


def test_check_my_data_is_enabled_only_for_two_classes_and_never_while_locked(qtbot: Any) -> None:
    from types import SimpleNamespace

    from gui.widgets.data_panel import DataPanel

    panel = DataPanel()
    qtbot.addWidget(panel)
    panel.set_locked(False)  # no folder yet
    assert not panel.check_button.isEnabled()
    panel.set_locked(True)
    two = SimpleNamespace(class_names=["a", "b"])
    panel.result = two
    assert not panel.check_button.isEnabled()
    panel.set_locked(False)
    assert panel.check_button.isEnabled()
    panel.set_locked(True)
    from gui.widgets.audit_controls import can_check
    assert not can_check(two, True) and not can_check(SimpleNamespace(class_names=["a"]), False)


def test_include_all_again_says_why_it_failed(qtbot: Any, monkeypatch: pytest.MonkeyPatch,
                                               message_boxes: Any) -> None:
    from core.data import exclusions
    from gui.widgets.audit_controls import ExclusionsRow

    def refuse(_folder: Any) -> int:
        raise PermissionError("the exclusions file is read-only")

    monkeypatch.setattr(exclusions, "include_again", refuse)
    changed: list[bool] = []
    row = ExclusionsRow(on_change=lambda: changed.append(True))
    qtbot.addWidget(row)
    row.show_count(3, ["/data/train"])
    row.include_button.click()
    assert message_boxes.errors and "read-only" in message_boxes.errors[-1][1] and changed


def test_a_replaced_check_does_not_end_the_new_one(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from PySide6.QtWidgets import QPushButton, QSpinBox, QWidget

    from gui.operations import audit as audit_dialog

    gates: list[threading.Event] = []

    def job(_request: Any) -> Any:
        gates.append(threading.Event())
        return blocked_job(gates[-1])

    monkeypatch.setattr(audit_dialog, "audit_job", job)
    host = QWidget()
    qtbot.addWidget(host)
    data = SimpleNamespace(result=SimpleNamespace(total=4, val_counts={}), train_dir=lambda: "/t", val_dir=lambda: None,
                           check_button=QPushButton(host), scan=lambda: None)
    backbone = SimpleNamespace(current_id=lambda: "b", weights_arg=lambda: "imagenet", info=lambda _b: None)
    panels = SimpleNamespace(data=data, backbone=backbone, training=SimpleNamespace(image_size=QSpinBox(host)))
    check = audit_dialog.DataCheck(panels, host)
    check.start()
    check.start()  # again while the first runs: the first is cancelled
    qtbot.waitUntil(lambda: len(gates) == 2, timeout=5000)
    qtbot.wait(50)  # the first job's cancelled outcome has arrived
    assert check.dialog.stop_button.isVisible() and check.dialog.progress.isVisible()
    check.worker.cancel()
    qtbot.waitUntil(lambda: not check.worker.is_busy(), timeout=5000)
    assert "Stopped" in check.dialog.status.text()
    check.dialog.close()


def test_a_closed_learning_rate_dialog_is_deleted_once_its_sweep_ends(qtbot: Any) -> None:
    from PySide6.QtWidgets import QDoubleSpinBox

    from gui.operations.lr_find import LrFinderDialog

    field = QDoubleSpinBox()
    qtbot.addWidget(field)
    idle = LrFinderDialog({"data_dir": "/d"}, field)
    with qtbot.waitSignal(idle.destroyed, timeout=2000):
        idle.reject()
    running = LrFinderDialog({"data_dir": "/d"}, field)
    running.worker.start(blocked_job(threading.Event()), "lr find")  # ends when cancelled
    with qtbot.waitSignal(running.destroyed, timeout=5000):
        running.reject()
    assert not running.worker.is_busy()
