"""Try it › Classify a folder in a real window with the real engine process: a dropped folder tree
(with an unreadable file) is classified whole; the table shows every row, sorts and filters; Save as
CSV writes the rows; Sort into folders copies and leaves the originals unchanged; Stop keeps the
rows so far; the event loop keeps running meanwhile."""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDesktopServices, QPixmap

from gui.diagnostics import StallProbe
from gui.widgets import folder_results as fr
from tests.conftest import write_color_dataset
from tests.gui.conftest import drop_files


def _new_images(root: Path) -> Path:
    """Nested class-coloured images, one more at the top, a file that claims to be a PNG, notes."""
    write_color_dataset(root / "batch1", per_class=2, size=24, seed=3)
    Image.fromarray(np.full((20, 20, 3), 200, np.uint8)).save(root / "img_000.png")
    (root / "broken.png").write_text("this is not a picture")
    (root / "notes.txt").write_text("plate 7")
    return root


def _checksums(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _open(qtbot: Any, window: Any, bundle: Path) -> None:
    with qtbot.waitSignal(window.modelOpened, timeout=90_000):
        window.open_model(str(bundle))


def test_a_dropped_folder_is_classified_whole_then_saved_and_sorted(
        qtbot: Any, window: Any, tiny_bundle: Path, tmp_path: Path, message_boxes: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _open(qtbot, window, tiny_bundle)
    folder = _new_images(tmp_path / "new")
    before = _checksums(folder)
    panel = window.predict.folder
    qtbot.wait(300)  # the opened model's curves and Results are drawn (not this feature's work)
    probe = StallProbe(parent=window)
    probe.start()
    with qtbot.waitSignal(panel.classified, timeout=90_000) as ended:
        drop_files(window.predict.drop_area, [folder])
        assert panel.isVisible() and panel.is_classifying()
    worst = probe.stop()
    print("stalls over 20 ms:", [round(ms) for _, ms in probe.worst])
    summary, stopped = ended.args
    assert not stopped and summary["images"] == 8 and summary["unreadable"] == 1
    assert window.predict.card_count() == 0  # a folder goes to the table, not to the cards
    # Issue 9's target; measured 12 ms on a shared 2-core machine (the engine runs at lower priority).
    print(f"\nlongest event-loop stall while classifying a folder: {worst:.1f} ms")
    assert worst < 50

    view = panel.results
    rows = view.model.rows
    assert len(rows) == 8 and view.proxy.rowCount() == 8
    assert {Path(r[0]).name for r in rows} == {"img_000.png", "img_001.png", "broken.png"}
    broken = [r for r in rows if r[3]]
    assert [Path(r[0]).name for r in broken] == ["broken.png"]
    assert "new/batch1/red/img_000.png" in view.model.names
    labels = {r[2][0][0] for r in rows if not r[3]}
    assert labels <= {"red", "green", "blue"}
    assert "Unreadable" in view.model.data(view.model.index(rows.index(broken[0]), fr.CLASS_COL))

    # Filters: one class; the unreadable files; confidence below a threshold.
    label = sorted(labels)[0]
    view.class_filter.setCurrentText(label)
    assert view.visible_rows() and all(r[2][0][0] == label and not r[3] for r in view.visible_rows())
    view.class_filter.setCurrentText(fr.UNREADABLE)
    assert [Path(r[0]).name for r in view.visible_rows()] == ["broken.png"]
    view.class_filter.setCurrentText(fr.ALL_CLASSES)
    view.below_check.setChecked(True)
    view.threshold_spin.setValue(100.0)
    assert len(view.visible_rows()) == 7  # every readable image is below 100 %
    view.threshold_spin.setValue(0.0)
    assert view.visible_rows() == []
    view.below_check.setChecked(False)
    assert len(view.visible_rows()) == 8

    # Sorting by confidence, the detail pane, lazy thumbnails, double-click opens the image.
    view.table.sortByColumn(fr.CONFIDENCE_COL, Qt.SortOrder.DescendingOrder)
    shown = [r[2][0][1] if not r[3] else -1.0 for r in view.visible_rows()]
    assert shown == sorted(shown, reverse=True) and view.visible_rows()[-1] is broken[0]
    view.table.selectRow(0)
    assert view.detail.text().splitlines()[1].startswith("1. ")
    first = view.proxy.mapToSource(view.proxy.index(0, fr.THUMB_COL))
    qtbot.waitUntil(lambda: isinstance(view.model.data(first, Qt.ItemDataRole.DecorationRole), QPixmap),
                    timeout=10_000)
    opened: list[Any] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(opened.append))
    cell = view.table.visualRect(view.proxy.index(0, fr.FILE_COL)).center()
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(cell))  # a press, then:
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(cell))
    assert [url.toLocalFile() for url in opened] == [view.visible_rows()[0][0]]

    # Save as CSV: every row, the CLI's columns, the unreadable file with its reason.
    target = tmp_path / "out.csv"
    with qtbot.waitSignal(panel.csvSaved, timeout=30_000):
        panel.save_csv(str(target))
    with open(target, newline="", encoding="utf-8") as stream:
        table = list(csv.DictReader(stream))
    assert list(table[0])[:3] == ["path", "label", "probability"] and "error" in table[0]
    assert len(table) == 8 and {row["path"] for row in table} == {r[1] for r in rows}
    assert [Path(row["path"]).name for row in table if row["error"]] == ["broken.png"]

    # Sort into folders: confirmed, copied by class (uncertain below the threshold), originals unchanged.
    view.threshold_spin.setValue(0.0)
    sorted_root = tmp_path / "sorted"
    with qtbot.waitSignal(panel.sortedInto, timeout=30_000) as done:
        panel.sort_into(str(sorted_root))
    counts = done.args[1]
    assert len(message_boxes.questions) == 1 and "originals are not moved" in message_boxes.questions[0]
    assert sum(counts.values()) == 7 and set(counts) == labels
    copies = [p for p in sorted_root.rglob("*.png")]
    assert len(copies) == 7 and {p.parent.name for p in copies} == labels
    same_name = [p for p in copies if p.name.startswith("img_000")]  # four img_000.png from four folders
    assert len(same_name) == 4 and any(" (" in p.name for p in same_name)  # a clash gets a suffix, none lost
    assert _checksums(folder) == before
    assert ("Sorted into folders", panel.last_sort_text) in message_boxes.errors  # the summary box
    assert "Copied 7 images" in panel.last_sort_text


def test_stop_keeps_the_rows_so_far(qtbot: Any, window: Any, tiny_bundle: Path, tmp_path: Path,
                                    message_boxes: Any) -> None:
    _open(qtbot, window, tiny_bundle)
    folder = write_color_dataset(tmp_path / "many", per_class=700, size=8)
    panel = window.predict.folder
    with qtbot.waitSignal(panel.classified, timeout=90_000) as ended:
        window.predict.classify_folders([str(folder)])
        qtbot.waitUntil(lambda: panel.results.model.rowCount() > 0, timeout=60_000)
        panel.stop()
    summary, stopped = ended.args
    kept = panel.results.model.rowCount()
    assert stopped and summary["cancelled"] and 0 < kept < 2100
    assert summary["images"] == kept  # every row the engine made reached the table
    assert panel.csv_button.isEnabled() and not panel.stop_button.isEnabled()
    assert not message_boxes.errors
