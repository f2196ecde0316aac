"""Issue 19 items 3 and 4 in the window: the Results tab's accuracy with its Wilson 95 % interval and
the plain rough-number line, and "Keep images of the same … together" (its preview, computed off the
GUI thread on a real folder; the typed TrainConfig it puts in the request; Train again; the audit's
suggestion). Offscreen; the engine run is replaced by a job the test ends (no TensorFlow)."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from core.bundles.evaluate import evaluate_probabilities
from core.config import TrainConfig
from core.engine.requests.train import TrainRequest
from gui.runs_control import apply_run_settings
from gui.widgets.group_setting import GroupSetting
from gui.widgets.results_panel import ResultsPanel
from tests.gui.conftest import blocked_job
from tests.gui.test_model_in_use import _summary


def _evaluation(correct: int, per_class: int) -> dict[str, Any]:
    """core's evaluation of two classes of ``per_class`` images each, ``correct`` of them right."""
    labels = np.repeat([0, 1], per_class)
    predicted = labels.copy()
    predicted[:len(labels) - correct] = 1 - predicted[:len(labels) - correct]
    probs = np.full((len(labels), 2), 0.2)
    probs[np.arange(len(labels)), predicted] = 0.8
    return evaluate_probabilities(probs, labels, ["cells", "debris"])


def test_results_say_the_interval_and_when_the_number_is_rough(qtbot: Any) -> None:
    panel = ResultsPanel()
    qtbot.addWidget(panel)
    evaluation = _evaluation(46, 25)  # Wilson 95 % of 46/50: 0.8116-0.9685
    panel.show_metrics({"method": "finetune", "evaluation": evaluation})
    assert panel.summary.text().startswith("Fine-tuned: accuracy 92 % (81-97 %) on 50 validation images")
    assert panel.rough.isVisibleTo(panel) and "Fewer than 30 validation images in cells, debris" in panel.rough.text()
    old = {k: v for k, v in evaluation.items() if k not in ("accuracy_ci", "accuracy_text", "accuracy_note",
                                                            "thin_evidence")}  # saved before intervals
    panel.show_metrics({"method": "finetune", "evaluation": old})
    assert "92 % (81-97 %) on 50 validation images" in panel.summary.text() and panel.rough.isVisibleTo(panel)
    panel.show_metrics({"method": "finetune", "evaluation": _evaluation(184, 100)})  # 30+ per class: firm (Wilson 0.8740-0.9502)
    assert "92 % (87-95 %) on 200 validation images" in panel.summary.text()
    assert not panel.rough.isVisibleTo(panel)


def _slides(root: Path) -> Path:
    for name in ("cells", "debris"):
        for slide in range(3):
            folder = root / name / f"{name}-slide{slide}"
            folder.mkdir(parents=True)
            for index in range(2):
                Image.new("RGB", (8, 8), (40 * slide, 90, 200)).save(folder / f"s{slide}_img{index}.png")
    return root


def test_the_rule_previews_its_groups_off_the_gui_thread_and_refuses_a_bad_pattern(qtbot: Any,
                                                                                   tmp_path: Path) -> None:
    setting = GroupSetting()
    qtbot.addWidget(setting)
    assert setting.group_by() is None and not setting.pattern.isVisibleTo(setting)
    with qtbot.waitSignal(setting.previewShown, timeout=10_000, check_params_cb=bool) as shown:
        setting.set_folder(str(_slides(tmp_path / "data")))
        setting.set_group_by("subfolder")
    assert shown.args[0].startswith("6 groups in 12 images by 'subfolder' (6 named groups, 0 images on their own)")
    assert setting.group_by() == "subfolder"
    with qtbot.waitSignal(setting.previewShown, timeout=5_000, check_params_cb=bool) as shown:
        setting.set_group_by("(slide")
    assert setting.pattern.isVisibleTo(setting) and setting.mode() == "pattern"
    assert "is not a valid regular expression" in shown.args[0] and setting.problem() == shown.args[0]
    assert setting.preview.property("state") == "error"
    restored = GroupSetting()
    qtbot.addWidget(restored)
    restored.restore_settings(setting.settings())  # remembered as a mode and a pattern
    assert restored.group_by() == "(slide"


def test_the_window_sends_the_rule_typed_and_train_again_restores_it(window: Any, qtbot: Any, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from gui import training_control

    sent: list[Any] = []
    release = threading.Event()

    def job(config: TrainConfig) -> Any:
        sent.append(TrainRequest(config))  # what would cross to the engine
        return blocked_job(release, _summary())  # ends as a run with 18 of 20 validation images right

    monkeypatch.setattr(training_control, "training_job", job)
    data = _slides(tmp_path / "data")
    with qtbot.waitSignal(window.panels.data.datasetChanged, timeout=10_000):
        window.panels.data.set_train_dir(str(data))
    groups = window.panels.groups
    with qtbot.waitSignal(groups.previewShown, timeout=10_000, check_params_cb=lambda text: "groups in" in text):
        groups.set_group_by(r"^(s\d)_")
    assert "3 groups in 12 images by '^(s\\d)_'" in groups.preview.text()
    window.panels.training.train_button.click()
    qtbot.waitUntil(lambda: bool(sent), timeout=5_000)
    assert isinstance(sent[0].config, TrainConfig) and sent[0].config.group_by == r"^(s\d)_"
    assert not groups.combo.isEnabled()  # the rule a run uses stays on screen, unchangeable
    release.set()
    qtbot.waitUntil(lambda: not window.training_control.worker.is_busy(), timeout=10_000)
    status = window.panels.training.status.text()  # the status line after training: interval, and rough
    assert "Done: validation accuracy 90 % (70-97 %) on 20 validation images (a rough number" in status
    apply_run_settings(window.panels, {"group_by": "subfolder"})  # Train again with a run's settings
    assert groups.group_by() == "subfolder"
    apply_run_settings(window.panels, {})  # a run from before the rule: off
    assert groups.group_by() is None


def test_the_audits_suggestion_goes_into_the_field(window: Any, qtbot: Any) -> None:
    check = window.data_check
    dialog = check._dialog()
    check._show(({"images": 4, "suggested_group_by": r"^(slide\d+)_", "duplicates": []}, {}))
    assert dialog.group_button.isVisibleTo(dialog) and r"^(slide\d+)_" in dialog.group_button.text()
    dialog.group_button.click()
    assert window.panels.groups.group_by() == r"^(slide\d+)_" and "keeps images together" in dialog.status.text()
    dialog.close()


def test_the_runs_tab_shows_each_runs_interval_and_rule(qtbot: Any) -> None:
    from core.runs.store import RunRecord
    from gui.widgets.runs_compare import compare_rows
    from gui.widgets.runs_tab import COLUMNS, RunsTab

    config = {"data_dir": "/data", "val_split": 0.2, "epochs": 2}
    new = RunRecord("20261205-070000-aaaaaa", "completed", "2026-12-05T07:00:00+00:00", config=dict(config,
                    group_by="subfolder"), val_accuracy=0.92, metrics={
                        "val_accuracy": 0.92, "val_images": 200, "val_accuracy_ci": [0.874, 0.9502],
                        "val_accuracy_text": "92 % (87-95 %) on 200 validation images", "val_accuracy_note": None,
                        "groups": {"group_by": "subfolder", "train_groups": 8, "val_groups": 2}})
    old = RunRecord("20261101-070000-bbbbbb", "completed", "2026-11-01T07:00:00+00:00", config=config,
                    val_accuracy=0.92, metrics={"val_accuracy": 0.92, "val_images": 50})  # before intervals
    tab = RunsTab()
    qtbot.addWidget(tab)
    tab.show_runs([new, old])
    column = COLUMNS.index("Val. accuracy")
    cells = {tab.table.item(row, 0).data(Qt.ItemDataRole.UserRole + 2): tab.table.item(row, column)
             for row in range(tab.table.rowCount())}
    assert cells[new.id].text() == "92 % (87-95 %)" and "on 200 validation images" in cells[new.id].toolTip()
    assert cells[old.id].text() == "92 % (81-97 %)"  # recomputed from 46 of 50
    rows = {label: values for label, values, _differs in compare_rows([new, old])}
    assert rows["Validation accuracy"] == ["92 % (87-95 %) on 200 validation images",
                                           "92 % (81-97 %) on 50 validation images"]
    assert rows["Kept together"] == ["by subfolder (8 groups training, 2 validation)", "off (images split one by one)"]


def test_the_comparison_table_shows_each_methods_interval(qtbot: Any) -> None:
    from gui.widgets.method_choice import MethodChoice

    widget = MethodChoice()
    qtbot.addWidget(widget)
    widget.show_comparison({"finetune": {"val_accuracy": 0.8, "val_images": 50},
                            "svm": {"val_accuracy": 0.92, "val_images": 50}})
    assert widget.table.item(0, 1).text() == "80 % (67-89 %)" and widget.table.item(1, 1).text() == "92 % (81-97 %) ★"
