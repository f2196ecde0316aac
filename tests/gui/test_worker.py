"""The bridge: results and errors arrive on the GUI thread as signals, batches are throttled,
cancellation is cooperative, and a new job waits for the cancelled one."""
from __future__ import annotations

import threading
import time
from typing import Any

from core.data.scan import FolderNotFoundError
from core.events import BatchEnded, EpochEnded, Progress
from gui.worker import Worker


def test_result_and_events_arrive_on_the_gui_thread(qtbot: Any) -> None:
    worker = Worker("test")
    gui_thread = threading.get_ident()
    seen: dict[str, Any] = {"batches": [], "epochs": [], "threads": set()}
    worker.batchesEnded.connect(lambda b: (seen["batches"].extend(b), seen["threads"].add(threading.get_ident())))
    worker.epochEnded.connect(lambda e: seen["epochs"].append(e))

    def job(sink: Any, cancel: threading.Event) -> str:
        for batch in range(200):
            sink(BatchEnded(0, batch, 200, 1.0, 0.5))
        sink(EpochEnded(0, 1, "warmup", 1.0, 0.5, 1.0, 0.5, 1e-3, 1.0, 0.0))
        return "ok"

    with qtbot.waitSignal(worker.finished, timeout=10_000) as blocker:
        worker.start(job)
    assert blocker.args == ["ok", False]
    qtbot.waitUntil(lambda: not worker.is_busy())
    assert len(seen["batches"]) == 200  # throttled into few signals, but nothing lost
    assert len(seen["epochs"]) == 1
    assert seen["threads"] == {gui_thread}


def test_batch_signals_are_throttled(qtbot: Any) -> None:
    worker = Worker("test")
    signals: list[int] = []
    worker.batchesEnded.connect(lambda b: signals.append(len(b)))

    def job(sink: Any, cancel: threading.Event) -> None:
        end = time.monotonic() + 0.5
        batch = 0
        while time.monotonic() < end:
            sink(BatchEnded(0, batch, 10**6, 1.0, 0.5))
            sink(Progress("decode", batch, 10**6))
            batch += 1
            time.sleep(0.0005)

    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.start(job)
    assert sum(signals) > 100
    assert len(signals) <= 0.5 * 20 + 3  # ~20 per second at most (plus the final flush)


def test_errors_become_plain_messages(qtbot: Any) -> None:
    worker = Worker("test")

    def job(sink: Any, cancel: threading.Event) -> None:
        raise FolderNotFoundError("The folder '/nope' does not exist or is not a folder.")

    with qtbot.waitSignal(worker.failed, timeout=10_000) as blocker:
        worker.start(job)
    message, details = blocker.args
    assert message == "The folder '/nope' does not exist or is not a folder."
    assert "Traceback" not in message and "log" in details

    def crash(sink: Any, cancel: threading.Event) -> None:
        raise KeyError("boom")

    qtbot.waitUntil(lambda: not worker.is_busy())
    with qtbot.waitSignal(worker.failed, timeout=10_000) as blocker:
        worker.start(crash)
    assert blocker.args[0].startswith("Something unexpected went wrong (KeyError")


def test_starting_a_job_cancels_the_running_one_first(qtbot: Any) -> None:
    worker = Worker("test")
    order: list[str] = []
    first_started = threading.Event()

    def slow(sink: Any, cancel: threading.Event) -> str:
        first_started.set()
        while not cancel.is_set():
            time.sleep(0.01)
        order.append("first stopped")
        return "first"

    def fast(sink: Any, cancel: threading.Event) -> str:
        order.append("second ran")
        return "second"

    results: list[Any] = []
    worker.finished.connect(lambda result, cancelled: results.append((result, cancelled)))
    worker.start(slow)
    assert first_started.wait(5)
    worker.start(fast)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=10_000)
    assert order == ["first stopped", "second ran"]
    assert results == [("first", True), ("second", False)]
    qtbot.waitUntil(lambda: not worker.is_busy())


def test_an_engine_crash_becomes_a_message_and_the_engine_restarts(qtbot: Any, color_dataset: Any,
                                                                   tiny_weights_file: Any) -> None:
    """If the engine process dies (e.g. killed for memory), the job fails in plain words and the
    next job starts a fresh engine; the window itself is unaffected."""
    import os
    import signal

    from core.engine.requests.status import PingRequest

    from core.engine.requests.train import TrainRequest
    from gui.worker import ENGINE_DIED, engine, remote

    worker = Worker("test")
    batches: list[Any] = []
    worker.batchesEnded.connect(batches.extend)
    kwargs = {"data_dir": str(color_dataset), "backbone": "mobilenet_v2_035", "weights": str(tiny_weights_file),
              "image_size": 32, "epochs": 200, "warmup_epochs": 1, "batch_size": 2, "augment": {}}
    worker.start(remote(TrainRequest(kwargs)))
    qtbot.waitUntil(lambda: bool(batches), timeout=120_000)
    pid = engine().pid()
    with qtbot.waitSignal(worker.failed, timeout=30_000) as blocker:
        os.kill(pid, signal.SIGKILL)
    assert blocker.args[0].startswith(ENGINE_DIED)
    qtbot.waitUntil(lambda: not worker.is_busy())
    with qtbot.waitSignal(worker.finished, timeout=60_000) as blocker:
        worker.start(remote(PingRequest()))
    assert blocker.args[0] != pid and blocker.args[1] is False
