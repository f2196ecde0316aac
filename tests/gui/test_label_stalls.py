"""The labelling window never stalls the event loop over 50 ms (issue 21) while the queue updates:
a realistic queue (40 suggestions from a few hundred camera-sized JPEGs, thumbnails decoded off the
GUI thread) refitted and re-ranked every few labels while the user keeps pressing keys. The queue
comes from the real door with colour 'embeddings' (tests/gui/test_label.py's job) run in another
process at the engine's niceness, as the engine runs it: on a loaded 2-core machine a refit on a
thread of the window's own process held the GIL through the window's turns (stalls of ~280 ms that
the window's code does not cause).

What is asserted: the GUI thread's own CPU time between two turns of the event loop (its work: the
window's code, Qt's layout and painting) stays under 50 ms. The wall-clock gaps are printed too; on
this shared machine (load ~15 on 2 cores) an idle window's gaps reach 35-60 ms when two niced
processes compute beside it, so a wall-clock bound would measure the machine, not the window."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt

from tests.gui.busy_probe import BusyProbe
from tests.gui.test_label import local_job

COLOURS = {"blue": (40, 60, 200), "green": (40, 180, 60), "red": (200, 40, 40)}


def _photos(root: Path, per_colour: int, size: tuple[int, int] = (512, 384)) -> Path:
    """Noisy colour 'photos' as JPEGs of a phone-camera preview's size, named by colour."""
    root.mkdir(parents=True)
    rng = np.random.default_rng(7)
    for name, colour in COLOURS.items():
        for index in range(per_colour):
            noise = rng.integers(-60, 60, (size[1] // 8, size[0] // 8, 3))
            small = np.clip(np.asarray(colour) + noise, 0, 255).astype(np.uint8)
            picture = Image.fromarray(small).resize(size, Image.BILINEAR)
            picture.save(root / f"{name}_{index:03d}.jpg", quality=90)
    return root


def _answer(request: Any) -> dict[str, Any]:
    """The engine's side, in the other process."""
    import threading

    return local_job(request)(None, threading.Event())


def _niced() -> None:
    import os

    from core.engine.server import ENGINE_NICENESS

    os.nice(ENGINE_NICENESS)


def _engine_like(pool: Any) -> Any:
    """A job factory whose jobs run in ``pool``'s process (the worker thread only waits)."""

    def factory(request: Any) -> Any:
        def run(_sink: Any, cancel: Any) -> dict[str, Any]:
            return pool.submit(_answer, request).result()

        return run

    return factory


def test_the_label_window_never_stalls_while_the_queue_updates(qtbot: Any, tmp_path: Path,
                                                               message_boxes: Any) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from gui.widgets.label_window import QUEUE, REFIT_EVERY, LabelWindow

    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_niced)
    try:
        pool.submit(int).result()  # the process started (imports) before anything is measured
        _run(qtbot, tmp_path, pool, QUEUE, REFIT_EVERY, LabelWindow)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run(qtbot: Any, tmp_path: Path, pool: Any, QUEUE: int, REFIT_EVERY: int, LabelWindow: Any) -> None:  # noqa: N803

    unlabelled = _photos(tmp_path / "unlabelled", per_colour=40)
    dataset = tmp_path / "dataset"
    for name in COLOURS:
        (dataset / name).mkdir(parents=True)
    win = LabelWindow(None, str(dataset), str(unlabelled), job_factory=_engine_like(pool))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    queues: list[int] = []
    shown = win._queue_ready
    win._queue_ready = lambda result: (queues.append(len(result["suggestions"])), shown(result))[1]  # type: ignore[method-assign]

    def idle() -> bool:
        return not any(w.is_busy() for w in win.workers())

    probe = BusyProbe(parent=win)
    probe.start()
    qtbot.mouseClick(win.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.model.rowCount() > 0, timeout=120_000)
    assert win.model.rowCount() == QUEUE
    win.grid.setFocus()
    keys = {"blue": Qt.Key.Key_1, "green": Qt.Key.Key_2, "red": Qt.Key.Key_3}
    rounds = 3
    for _ in range(rounds):  # a brisk user: a key every 150 ms; each refit re-ranks the queue on screen
        before = len(queues)
        for _ in range(REFIT_EVERY):
            path = win.model.rows[win.grid.currentIndex().row()]["path"]
            qtbot.keyClick(win.grid, keys[Path(path).name.split("_")[0]])
            qtbot.wait(150)
        qtbot.waitUntil(lambda: len(queues) > before, timeout=60_000)  # the re-ranked queue arrives
    qtbot.waitUntil(idle, timeout=60_000)  # its thumbnails decoded
    qtbot.wait(200)  # and painted
    wall = probe.stop()
    busy = max(probe.busy_ms)
    print(f"\n{len(queues)} queues; longest gap of the event loop {wall:.0f} ms (wall clock, load "
          f"{os.getloadavg()[0]:.1f}), longest work of the GUI thread in one turn {busy:.1f} ms; gaps over 20 ms:",
          [round(ms) for _, ms in probe.worst])
    assert sum(len(list((dataset / name).iterdir())) for name in COLOURS) == rounds * REFIT_EVERY
    assert len(queues) == 1 + rounds and win.model.missing_thumbnails() == []
    assert busy < 50  # the 50 ms, for the window's own work (module docstring)
    win.close()
