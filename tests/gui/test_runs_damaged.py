"""Issue 24 item 7 in the window: a run store SQLite cannot read is set aside and a fresh one
started; the Runs tab says so, naming both files, instead of showing an empty list without a word."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from gui.widgets.runs_tab import RunsTab


def test_the_runs_tab_names_the_damaged_copy_and_the_fresh_store(qtbot: Any, tmp_path: Path) -> None:
    store = tmp_path / "runs.sqlite"
    store.write_bytes(b"not a database at all" * 100)
    tab = RunsTab(store_path=store)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.runsShown, timeout=30_000):
        tab.refresh()
    damaged = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    text = tab.hint.text()
    assert len(damaged) == 1 and str(damaged[0]) in text and str(store) in text and "damaged" in text
    assert "No runs recorded yet" in text
    with qtbot.waitSignal(tab.runsShown, timeout=30_000):
        tab.refresh()  # the fresh store reads fine; the notice stays for this session
    assert str(damaged[0]) in tab.hint.text()
