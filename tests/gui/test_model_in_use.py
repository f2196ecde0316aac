"""The model in use has one owner and the window's parts listen to it; the controllers work with the
few objects they are given (no window); every remembered setting is declared once and survives a
restart. Offscreen, with made-up training results and jobs, so no TensorFlow is needed."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import write_color_dataset


def test_a_validation_folder_is_scanned_with_the_training_folder(qtbot: Any, tmp_path: Path) -> None:
    """(Found by the restart test: the scan named a function it never imported when a validation folder
    was set, so a remembered validation folder made the folder unusable.)"""
    from gui.widgets.data_panel import DataPanel

    panel = DataPanel()
    qtbot.addWidget(panel)
    panel.set_val_dir(write_color_dataset(tmp_path / "held-out", per_class=2), scan=False)
    with qtbot.waitSignal(panel.datasetChanged, timeout=20_000) as changed:
        panel.set_train_dir(write_color_dataset(tmp_path / "train", per_class=3))
    result = changed.args[0]
    assert result is not None and result.val_counts is not None and sum(result.val_counts.values()) == 6
