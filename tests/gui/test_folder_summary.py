"""Classify a folder › Summary (issue 20): in a real window with the real engine, a folder of two
plates is classified and the Summary tab shows each plate's proportions per class (chart and table)
from the engine's counts, with the sentence on what "adjusted" means; the coverage chosen in the
window reaches predict (sets appear at a coverage the validation images can promise); Save summary
CSV… writes predict --summary's file and refuses a file it did not write; a model without validation
statistics shows raw numbers with the note instead of made-up adjusted ones."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from core.stats.counts import read_counts_csv, summarise_folders
from gui.widgets.folder_summary import CountsSummaryView
from tests.conftest import write_color_dataset


def test_the_summary_tab_shows_each_plates_proportions_from_the_engine(
        qtbot: Any, window: Any, tiny_bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        message_boxes: Any) -> None:
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
    # The tiny model has too few validation images for 90 % sets: the note says so, and no row has a set.
    assert summary["coverage"] == 0.9 and not any(row[5] for row in panel.results.model.rows)
    assert any("at least" in note for note in summary["notes"])

    # A lower coverage reaches predict through the engine: the same folder classified again has sets.
    assert not panel.coverage.again.isVisibleTo(panel)
    panel.coverage.spin.setValue(50)
    assert panel.coverage.again.isVisibleTo(panel)
    with qtbot.waitSignal(panel.classified, timeout=90_000) as ended:
        qtbot.mouseClick(panel.coverage.again, Qt.MouseButton.LeftButton)
    summary, _stopped = ended.args
    assert summary["coverage"] == 0.5 and not panel.coverage.again.isVisibleTo(panel)
    assert all(row[5] for row in panel.results.model.rows)

    # Save summary CSV writes predict --summary's file (read back), never over a file it did not write.
    target = tmp_path / "counts.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(target), "")))
    qtbot.waitUntil(view.save_button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(panel.summary_csv.saved, timeout=30_000):
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    written = read_counts_csv(target)
    assert [(r["folder"], r["class"], r["count"]) for r in written] == \
        [(r["folder"], r["class"], r["count"]) for r in view.rows]
    assert [r["adjusted"] for r in written] == pytest.approx([r["adjusted"] for r in view.rows], abs=1e-6)
    assert "Saved the summary" in panel.message.text()
    foreign = tmp_path / "notes.csv"
    foreign.write_text("my own notes\n")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(foreign), "")))
    qtbot.waitUntil(view.save_button.isEnabled, timeout=10_000)  # the first save's worker has wound down
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(message_boxes.errors), timeout=30_000)
    assert "not a counts summary" in message_boxes.errors[-1][1]
    assert foreign.read_text() == "my own notes\n"


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
