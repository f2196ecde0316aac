"""Classify a folder › Summary (issue 20): in a real window with the real engine, a folder of two
plates is classified and the Summary tab shows each plate's proportions per class (chart and table)
from the engine's counts, with the sentence on what "adjusted" means; a model without validation
statistics shows raw numbers with the note instead of made-up adjusted ones."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core.stats.counts import summarise_folders
from gui.widgets.folder_summary import CountsSummaryView
from tests.conftest import write_color_dataset


def test_the_summary_tab_shows_each_plates_proportions_from_the_engine(
        qtbot: Any, window: Any, tiny_bundle: Path, tmp_path: Path) -> None:
    with qtbot.waitSignal(window.modelOpened, timeout=90_000):
        window.open_model(str(tiny_bundle))
    plates = tmp_path / "plates"
    write_color_dataset(plates / "A", per_class=2, size=24, seed=3)
    write_color_dataset(plates / "B", per_class=3, size=24, seed=4, classes={"red": (210, 50, 40)})
    panel = window.predict.folder
    with qtbot.waitSignal(panel.classified, timeout=90_000) as ended:
        window.predict.classify_folders([str(plates)])
    summary, _stopped = ended.args
    view = panel.counts
    assert summary["counts"] and view.rows == summary["counts"]
    folders = {row["folder"] for row in view.rows}
    assert folders == {"A/red", "A/green", "A/blue", "B/red"}
    for folder in folders:
        mine = [row for row in view.rows if row["folder"] == folder]
        assert sum(row["count"] for row in mine) == (3 if folder == "B/red" else 2)
        assert all(row["adjusted"] is not None and row["adjusted_low"] <= row["adjusted_high"] for row in mine)
    assert view.table.rowCount() == len(view.rows)
    assert not view.bars  # drawn when the tab is seen, never at the end of a classification
    panel.views.setCurrentWidget(view)
    assert view.isVisible()
    assert set(view.bars) == {"red", "green", "blue"} and all(len(b.patches) == 4 for b in view.bars.values())
    assert "Adjusted" in view.meaning.text()


def test_without_statistics_the_bars_are_raw_and_the_note_says_why(qtbot: Any) -> None:
    view = CountsSummaryView()
    qtbot.addWidget(view)
    view.show()
    paths = [f"root/p1/{i}.png" for i in range(10)]
    rows = summarise_folders("root", paths, np.array([0] * 7 + [1] * 3), np.eye(2, dtype=int) * 5, ["a", "b"],
                             bootstrap=50)
    for row in rows:
        row.update(adjusted=None, adjusted_low=None, adjusted_high=None)
    view.set_counts(rows, ["This model has no validation statistics."])
    assert [bar.get_height() for bar in view.bars["a"].patches] == pytest.approx([0.7])
    assert view.note.isVisibleTo(view) and "no validation statistics" in view.note.text()
    assert view.table.item(0, 4).text() == "—"
