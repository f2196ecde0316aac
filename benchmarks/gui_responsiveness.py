"""Measure what the user feels: time-to-window and the longest event-loop stall while training.

Run it as a script (not part of the test suite, it takes a minute):

    .venv/bin/python benchmarks/gui_responsiveness.py [--backbone efficientnet_lite0] [--epochs 3] [--method finetune]

It opens the real window in this process (offscreen unless QT_QPA_PLATFORM says otherwise, e.g. xcb
with DISPLAY on a real or Xvfb display; at --size), loads the
sample dataset (or --data), clicks Train, and prints the stall statistics over the WHOLE run: its
own probe runs from just before the click until --settle seconds after the run ended (the
end-of-run redraw of the curves and the Results are the slowest moments), next to what the app's
own probe logged. Also the worst stalls with what the window was doing at that moment, and the
time Python's garbage collector took. ``--show-results`` opens the Results tab after the run
(its matrix is drawn then) and measures that too. ``--predict N`` then drops N images of the
training folder (spread over its classes) on Try it, as the README's screenshot demo does, and
measures until --settle seconds after the predictions are shown (thumbnails and cards included).
"""
from __future__ import annotations

import argparse
import faulthandler
import gc
import os
import sys
import time
from pathlib import Path

T0 = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def spread_images(root: Path, class_names: list[str], count: int) -> list[str]:
    """``count`` image files of the training folder, taken in turn from each class (as a user drops
    a few examples of each), so cards of every class and their thumbnails are measured."""
    per_class = [sorted(p for p in (root / name).iterdir() if p.is_file()) for name in class_names]
    picked: list[str] = []
    for index in range(max((len(files) for files in per_class), default=0)):
        for files in per_class:
            if index < len(files) and len(picked) < count:
                picked.append(str(files[index]))
    return picked


class HangWatchdog:
    """Prints every thread's stack (faulthandler) when the GUI thread has not turned its event loop
    for ``after_s`` seconds, then every ``after_s`` again: a hang says where it is instead of
    leaving a window that never appears (issue 25: three runs in four on a real display)."""

    def __init__(self, after_s: float = 20.0) -> None:
        import threading

        from PySide6.QtCore import QTimer

        self.after_s = after_s
        self.last = time.monotonic()
        self.timer = QTimer()
        self.timer.timeout.connect(self._tick)
        self.timer.start(200)
        threading.Thread(target=self._watch, daemon=True).start()

    def _tick(self) -> None:
        self.last = time.monotonic()

    def _watch(self) -> None:
        while True:
            time.sleep(1.0)
            if time.monotonic() - self.last > self.after_s:
                print(f"\nThe GUI thread has not turned its event loop for {self.after_s:.0f} s; its stacks:",
                      file=sys.stderr, flush=True)
                faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
                self.last = time.monotonic()


def wait_ready(window: object, wait_until: object, timeout_s: float) -> bool:
    """Wait until the data are scanned, the layer table is read and the window is idle, saying every
    15 s what is still awaited, and which part never came if the wait times out (it used to wait
    silently)."""
    checks = {"the training folder's scan": lambda: window.data_panel.result is not None,
              "the backbone's layer table": lambda: window.freeze.table is not None,
              "the window's workers to finish": window.is_idle}
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if wait_until(lambda: all(check() for check in checks.values()), min(15.0, deadline - time.monotonic())):
            return True
        waiting = [name for name, check in checks.items() if not check()]
        print(f"waiting for {', '.join(waiting)} ({time.monotonic() - deadline + timeout_s:.0f} s)", file=sys.stderr)
    waiting = [name for name, check in checks.items() if not check()]
    print(f"error: gave up after {timeout_s:.0f} s waiting for {', '.join(waiting)}", file=sys.stderr)
    return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backbone", default="efficientnet_lite0")
    parser.add_argument("--method", default="finetune", help="finetune (default), svm, logreg or auto")
    parser.add_argument("--weights", default="imagenet")
    parser.add_argument("--data", default=None)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--image-size", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--sample", action="store_true", help="print what the GUI thread did during stalls")
    parser.add_argument("--size", default="1280x800", help="window size, e.g. 1280x800")
    parser.add_argument("--settle", type=float, default=1.5, help="seconds measured after the run ended")
    parser.add_argument("--show-results", action="store_true", help="open the Results tab after the run")
    parser.add_argument("--predict", type=int, default=0, metavar="N",
                        help="after the run, drop N training images on Try it and measure through their display")
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from gui.app import MainWindow, apply_style, wait_until
    from gui.diagnostics import StallProbe, process_age_s
    from gui.main_thread_gc import collect_on_gui_thread, freeze_startup_objects
    from gui.worker import engine, shutdown_engine, wait_for_all

    app = QApplication(sys.argv[:1])
    collect_on_gui_thread(app)  # as gui/app.py's main does: the collector runs on the GUI thread only
    apply_style(app)
    watchdog = HangWatchdog()
    window = MainWindow(restore=False)
    window.persist = False
    width, _, height = args.size.partition("x")
    window.resize(int(width), int(height))
    window.show()
    # On a real display the window is shown once the display server has mapped it: one
    # processEvents() is not enough (it was on offscreen), so wait for it, and say so if it never is.
    if not wait_until(lambda: window.windowHandle() is not None and window.windowHandle().isExposed(), 60):
        print("error: the window was not exposed on the display within 60 s", file=sys.stderr)
        return 1
    shown_after = process_age_s() or (time.perf_counter() - T0)
    print(f"time-to-window: {shown_after:.2f} s after the process started")
    engine().start()
    freeze_startup_objects()  # as gui/app.py's main does once the window is up

    if args.data:
        window.data_panel.set_train_dir(args.data)
    else:
        window.load_sample_data()
    window.backbone.set_current(args.backbone)
    if args.weights not in ("imagenet", "none"):
        window.backbone.set_weights_file(args.weights)
    window.training.epochs.setValue(args.epochs)
    window.training.warmup.setValue(args.warmup)
    window.training.batch_size.setValue(args.batch_size)
    window.training.image_size.setValue(args.image_size)
    window.method.set_method(args.method)  # the window's default is Auto (a budgeted search, minutes)
    if not wait_ready(window, wait_until, 300):
        return 1
    freeze_startup_objects()  # again once the startup data are in, as gui/app.py's main does after a few seconds

    gc_pauses: list[tuple[float, float]] = []
    gc_started: list[float] = []

    def gc_callback(phase: str, _info: dict) -> None:
        if phase == "start":
            gc_started.append(time.perf_counter())
        elif gc_started:
            start = gc_started.pop()
            gc_pauses.append((start, (time.perf_counter() - start) * 1000))

    gc.callbacks.append(gc_callback)
    activity: list[tuple[float, str]] = []
    worker = window.train_worker
    worker.phaseStarted.connect(lambda e: activity.append((time.perf_counter(), f"phase {e.name}")))
    worker.epochEnded.connect(lambda e: activity.append((time.perf_counter(), f"epoch {e.epoch + 1} ended")))
    worker.progress.connect(lambda e: activity.append((time.perf_counter(), f"progress {e.task}")))
    worker.batchesEnded.connect(
        lambda b: activity.append((time.perf_counter(), f"batches e{b[-1].epoch} b{b[-1].batch}")))
    finished: list[bool] = []
    window.trainingFinished.connect(lambda result, cancelled: finished.append(True))
    window.trainingFailed.connect(lambda message: (print("training failed:", message), finished.append(False)))
    samples: list[tuple[float, str]] = []
    whole = StallProbe()  # independent of the app's: from before the click to after the end-of-run redraws
    if args.sample:
        import threading
        import traceback

        main_id = threading.main_thread().ident
        probe_ref = whole
        stop = threading.Event()

        def sampler() -> None:
            while not stop.wait(0.005):
                last = probe_ref._last
                if last is not None and time.perf_counter() - last > 0.025:
                    frame = sys._current_frames().get(main_id)
                    if frame is not None:
                        stack = traceback.extract_stack(frame)[-6:]
                        samples.append((time.perf_counter(), " < ".join(
                            f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(stack))))

        threading.Thread(target=sampler, daemon=True).start()
    canvas_events: list[tuple[float, str]] = []
    window.curves.canvas.mpl_connect("resize_event", lambda e: canvas_events.append((time.perf_counter(), "resize")))
    window.curves.canvas.mpl_connect("draw_event", lambda e: canvas_events.append((time.perf_counter(), "draw")))
    for _ in range(20):
        app.processEvents()
    whole.start()
    started = time.perf_counter()
    window.training.train_button.click()  # what the user does (the window's click handler included)
    wait_until(lambda: bool(finished), 1800)
    took = time.perf_counter() - started
    ended = time.perf_counter()
    activity.append((ended, "run ended"))
    wait_until(lambda: time.perf_counter() - ended > args.settle, args.settle + 5)
    segments = [("the run (click to the settle after its end)", 0, len(whole.stalls))]
    if args.show_results:
        first = len(whole.stalls)
        activity.append((time.perf_counter(), "Results tab opened"))
        window.result_tabs.setCurrentWidget(window.results_page)
        opened = time.perf_counter()
        wait_until(lambda: time.perf_counter() - opened > 1.0, 6)
        segments.append(("opening the Results tab", first, len(whole.stalls)))
    if args.predict > 0:
        images = spread_images(Path(window.data_panel.result.train_dir), window.data_panel.result.class_names,
                               args.predict)
        shown: list[int] = []
        window.predict.predictionsShown.connect(shown.append)
        first = len(whole.stalls)
        activity.append((time.perf_counter(), f"{len(images)} images dropped on Try it"))
        window.predict.predict_files(images)  # what the drop area's filesDropped signal calls
        wait_until(lambda: bool(shown), 300)
        activity.append((time.perf_counter(), f"{sum(shown)} predictions shown"))
        predicted = time.perf_counter()
        wait_until(lambda: time.perf_counter() - predicted > args.settle, args.settle + 5)
        segments.append((f"{len(images)} images dropped on Try it, to {args.settle:.1f} s after they are shown",
                         first, len(whole.stalls)))
    whole.stop()
    wait_until(lambda: not window.stall_probe.is_active(), 10)
    gc.callbacks.remove(gc_callback)
    probe = whole
    print(f"training: {took:.1f} s, {probe.ticks} probe ticks every {probe.interval_ms} ms")
    print(f"longest event-loop stall over the whole run (click to {args.settle:.1f} s after the end): "
          f"{probe.max_stall_ms:.1f} ms; p99 {probe.percentile(99):.1f} ms; p99.9 {probe.percentile(99.9):.1f} ms")
    for name, first, last in segments:
        print(f"  longest stall during {name}: {max(whole.stalls[first:last], default=0.0):.1f} ms")
    print(f"the app's own probe (window.last_stall_ms): {window.last_stall_ms or 0:.1f} ms")
    worst_gc = max((ms for _, ms in gc_pauses), default=0.0)
    print(f"garbage collections in the window's process: {len(gc_pauses)}, longest {worst_gc:.1f} ms")
    for end, ms in sorted(probe.worst, key=lambda item: -item[1])[:8]:
        before = [text for at, text in activity if at <= end]
        last = before[-1] if before else "start"
        print(f"  stall {ms:6.1f} ms at +{end - started - ms / 1000:6.2f} s, after: {last}")
    print("canvas events (resize_events):", [(round(at - started, 2), kind) for at, kind in canvas_events])
    for at, text in samples[:80]:
        print(f"  sample +{at - started:6.2f} s: {text}")
    print(f"curves: {window.curves.draw_count} full redraws, {window.curves.blit_count} blits")
    print(f"TensorFlow loaded in the window's process: {'tensorflow' in sys.modules}")
    window.close()
    wait_until(lambda: not window.isVisible(), 60)
    wait_for_all(60_000)
    shutdown_engine()
    return 0


if __name__ == "__main__":
    sys.exit(main())
