"""The labelling window (issue 21) driven by the keyboard: 1-9 copy into a class, 0 skips, Z undoes,
arrows move; refits arrive while labelling; Accept all above X % copies the confident rest. The
queue comes from the real door (core.jobs.label) run on a worker thread, with colour 'embeddings'
instead of a network, so the test needs no engine process."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.jobs import label as door
from tests.core.test_label import checksums, colour_embedder
from tests.conftest import write_color_dataset


def local_job(request: Any) -> Any:
    """What the engine's handler does (core/engine/handlers/label.py), with colour 'embeddings'."""
    from core.insight.label_plot import forecast_png

    def run(_sink: Any, cancel: threading.Event) -> dict[str, Any]:
        result = door.suggest_labels(request.dataset, request.unlabelled, request.count, request.strategy,
                                     skip=request.skip, target=request.target, cancel=cancel, embed=colour_embedder)
        return {**result.to_dict(), "plot_png": forecast_png(result.estimate["curve"], result.forecast,
                                                             request.plot_words)}

    return run


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    source = write_color_dataset(tmp_path / "source", per_class=5, size=24)
    unlabelled = tmp_path / "unlabelled"
    unlabelled.mkdir()
    for image in sorted(source.rglob("*.png")):
        (unlabelled / f"{image.parent.name}_{image.name}").write_bytes(image.read_bytes())
    dataset = tmp_path / "dataset"
    for name in ("blue", "green", "red"):
        (dataset / name).mkdir(parents=True)
    return unlabelled, dataset


def test_labelling_with_the_keyboard_copies_skips_and_undoes(qtbot: Any, folders: tuple[Path, Path],
                                                             message_boxes: Any) -> None:
    from gui.widgets.label_window import REFIT_EVERY, LabelWindow

    unlabelled, dataset = folders
    before = checksums(unlabelled)
    win = LabelWindow(None, str(dataset), str(unlabelled), job_factory=local_job)
    qtbot.addWidget(win)
    win.show()

    def idle() -> bool:
        return not any(w.is_busy() for w in win.workers())

    qtbot.mouseClick(win.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.model.rowCount() > 0 and idle(), timeout=20_000)
    assert win.class_names == ["blue", "green", "red"] and "1 blue" in win.keys.text()
    win.grid.setFocus()
    keys = {"blue": Qt.Key.Key_1, "green": Qt.Key.Key_2, "red": Qt.Key.Key_3}
    labelled: list[str] = []
    while sorted(Path(p).name.split("_")[0] for p in labelled) != sorted(["blue", "green", "red"] * 2):
        path = win.model.rows[win.grid.currentIndex().row()]["path"]
        colour = Path(path).name.split("_")[0]
        if sum(Path(p).name.startswith(colour) for p in labelled) >= 2:
            qtbot.keyClick(win.grid, Qt.Key.Key_Right)  # arrows move
            continue
        qtbot.keyClick(win.grid, keys[colour])
        labelled.append(path)
        assert path not in [r["path"] for r in win.model.rows]
        assert (dataset / colour / Path(path).name).read_bytes() == Path(path).read_bytes()
    qtbot.waitUntil(idle, timeout=20_000)  # the refit after REFIT_EVERY labels
    assert len(labelled) >= REFIT_EVERY
    assert "6 labelled (2-2 per class)" in win.progress.text()
    qtbot.keyClick(win.grid, Qt.Key.Key_0)  # skip
    skipped = win.skipped[-1]
    assert skipped not in [r["path"] for r in win.model.rows]
    qtbot.keyClick(win.grid, Qt.Key.Key_Z)  # undo the skip
    assert not win.skipped and skipped in [r["path"] for r in win.model.rows]
    current = win.model.rows[win.grid.currentIndex().row()]["path"]
    colour = Path(current).name.split("_")[0]
    qtbot.keyClick(win.grid, keys[colour])
    copy = dataset / colour / Path(current).name
    assert copy.is_file()
    qtbot.keyClick(win.grid, Qt.Key.Key_Z)  # undo the label: the copy goes, the image comes back
    assert not copy.exists() and current in [r["path"] for r in win.model.rows]
    qtbot.waitUntil(idle, timeout=20_000)
    win.refit()  # the queue and the estimate from all six labels
    qtbot.waitUntil(lambda: idle() and bool(win.predictions), timeout=20_000)
    assert win.estimate["accuracy"] is not None and "estimated accuracy" in win.progress.text()
    assert win.forecast.text() and not win.plot.pixmap().isNull()  # the engine's picture shown
    win.accept_threshold.setValue(50)
    accepted = win.accept_above(confirm=False)
    assert accepted == 15 - 6
    qtbot.waitUntil(lambda: idle() and win.history and win.history[-1][0] == "batch", timeout=20_000)
    qtbot.waitUntil(idle, timeout=20_000)
    copies = sorted(p for p in dataset.rglob("*.png"))
    assert len(copies) == 15
    assert all(p.name.startswith(p.parent.name) for p in copies)  # every copy in its colour's class
    qtbot.keyClick(win.grid, Qt.Key.Key_Z)  # the accepted batch is undone at once
    qtbot.waitUntil(idle, timeout=20_000)
    assert len(list(dataset.rglob("*.png"))) == 6
    assert checksums(unlabelled) == before  # labelling never changed the unlabelled folder
    win.close()


def test_the_window_offers_labelling_in_the_file_menu_and_the_data_panel(window: Any, qtbot: Any,
                                                                          color_dataset: Path) -> None:
    window.data_panel.set_train_dir(color_dataset)
    assert window.labelling.action in window.file_menu.actions()
    button = window.labelling.button
    assert button.parent() is not None and button.isVisibleTo(window)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.labelling.window
    assert dialog is not None and dialog.isVisible() and dialog.dataset() == str(color_dataset)
    assert window.labelling.worker in window.workers()
    dialog.close()
