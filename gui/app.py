"""Finetune Studio's window process: the QApplication, its style, ``main(argv)`` (what ``main.py``
calls with its remaining arguments) and ``--screenshot``, which renders the window to a PNG.

This process never imports TensorFlow: the window appears in about a second, and all engine
work runs in the engine process behind gui/worker.py (core/engine/server.py says why a process). The
window itself is gui/main_window.py; ``MainWindow`` and ``APP_TITLE`` are re-exported here.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from . import settings as cfg
from .diagnostics import process_age_s
from .language import apply_language
from .main_thread_gc import collect_on_gui_thread, freeze_startup_objects
from .main_window import APP_TITLE, MainWindow
from .worker import engine, shutdown_engine, wait_for_all

__all__ = ["APP_TITLE", "MainWindow", "apply_style", "main", "take_screenshot", "wait_until"]

log = logging.getLogger("finetune_studio")
STARTUP_SETTLED_MS = 8000  # the startup data scanned and the layer table read, usually
STYLE_SHEET = Path(__file__).resolve().parent.parent / "resources" / "style.qss"


# -- entry point ---------------------------------------------------------------------------
def _window_size(text: str) -> str:
    """``WIDTHxHEIGHT`` in pixels, checked while parsing (it used to fail later with a ValueError)."""
    width, sep, height = text.lower().partition("x")
    if not (sep and width.isdigit() and height.isdigit() and 0 < int(width) <= 16384 and 0 < int(height) <= 16384):
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT in pixels, e.g. 1280x800 (got '{text}')")
    return f"{int(width)}x{int(height)}"


def _parse(argv: list[str]) -> argparse.Namespace:
    """The window's options. Anything else exits 2 with the usage (argparse's own error), before a
    window exists: an ignored typo used to open the window and hang on a server without a display."""
    parser = argparse.ArgumentParser(prog="finetune-studio", description="Finetune Studio desktop application",
                                     epilog="Headless commands: backbones, train, predict, evaluate "
                                            "(python main.py COMMAND --help).")
    parser.add_argument("--screenshot", metavar="PATH", help="render the window to a PNG and exit")
    parser.add_argument("--demo", action="store_true",
                        help="with --screenshot: train briefly on the sample data and classify a few images first")
    parser.add_argument("--size", default="1440x900", type=_window_size,
                        help="window size for --screenshot, e.g. 1440x900")
    parser.add_argument("--timeout", type=float, default=600.0, help="longest wait for --screenshot, in seconds")
    return parser.parse_args(argv)


def apply_style(app: QApplication) -> None:
    app.setStyle("Fusion")
    try:
        sheet = STYLE_SHEET.read_text(encoding="utf-8")
        icons = (STYLE_SHEET.parent / "icons").as_posix()
        app.setStyleSheet(sheet.replace("url(icons/", f"url({icons}/"))
        icon = STYLE_SHEET.parent / "icons" / "app.svg"
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
    except OSError:
        log.info("style sheet %s not found; using the plain style", STYLE_SHEET)


def wait_until(condition: Callable[[], bool], timeout_s: float, poll_ms: int = 50) -> bool:
    """Run the event loop until ``condition()`` holds or the timeout passes."""
    if condition():
        return True
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(poll_ms)
    timer.timeout.connect(lambda: loop.quit() if condition() or time.monotonic() > deadline else None)
    timer.start()
    loop.exec()
    timer.stop()
    return condition()


def _settled(window: MainWindow, quiet_s: float = 0.3) -> Callable[[], bool]:
    """True once the window has been idle for ``quiet_s`` (work may chain: sample -> scan -> ...)."""
    state = {"since": None}

    def check() -> bool:
        if not window.is_idle():
            state["since"] = None
            return False
        state["since"] = state["since"] or time.monotonic()
        return time.monotonic() - state["since"] >= quiet_s

    return check


def _run_demo(window: MainWindow, timeout_s: float) -> None:
    """Train briefly on the loaded data and classify one image per class (for the README screenshot)."""
    data = window.data_panel.result
    if data is None:
        return
    window.training.epochs.setValue(4)
    window.training.warmup.setValue(1)
    deadline = time.monotonic() + 0.6  # as a user would: the settings are in place before pressing Train
    wait_until(lambda: time.monotonic() > deadline, 5)
    finished: list[Any] = []
    window.trainingFinished.connect(lambda result, cancelled: finished.append(result))
    window.trainingFailed.connect(lambda message: finished.append(None))
    window.start_training()
    wait_until(lambda: bool(finished), timeout_s)
    root = Path(data.train_dir)
    samples = []
    for name in reversed(data.class_names):
        files = sorted(p for p in (root / name).iterdir() if p.is_file())
        if files:
            samples.append(str(files[len(files) // 2]))
    shown: list[int] = []
    window.predict.predictionsShown.connect(shown.append)
    window.predict.predict_files(samples[:3])
    wait_until(lambda: bool(shown), 120)


def take_screenshot(app: QApplication, window: MainWindow, path: str, demo: bool, timeout_s: float) -> int:
    window.persist = False
    window.load_sample_data()
    settled = _settled(window)
    ready = wait_until(lambda: settled() and window.data_panel.result is not None
                       and window.freeze.table is not None, min(timeout_s, 300))
    if not ready:
        log.warning("screenshot: the window was not ready after %.0f s; capturing anyway", timeout_s)
    if demo:
        _run_demo(window, timeout_s)
    wait_until(_settled(window), 10)
    window.curves.request_redraw(immediate=True)
    app.processEvents()
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(target), "PNG")
    stall = f", longest UI stall while training {window.last_stall_ms:.0f} ms" if window.last_stall_ms else ""
    print(f"Saved a screenshot to {target} (window shown {window.time_to_window_s or 0:.2f} s after the "
          f"process started{stall})")
    window.close()
    wait_until(lambda: not window.isVisible(), 60)
    wait_for_all(60_000)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    args = _parse(list(sys.argv[1:] if argv is None else argv))
    entered = time.perf_counter()
    try:
        from core.logs import setup_logging

        setup_logging()
    except Exception:  # noqa: BLE001 - an unwritable data folder must not stop the window
        logging.basicConfig(level=logging.INFO)
    owns_app = QApplication.instance() is None
    if args.screenshot and owns_app and sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a screenshot needs no screen
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "finetune-studio"])
    app.setOrganizationName(cfg.ORGANIZATION)
    app.setApplicationName(cfg.APPLICATION)
    app.setApplicationDisplayName(APP_TITLE)
    collect_on_gui_thread(app)  # never let the garbage collector destroy Qt objects in a worker thread
    apply_language(cfg.app_settings())  # before any widget sets its texts (gui/language.py)
    apply_style(app)
    window = MainWindow()
    try:
        if args.screenshot:
            width, _, height = args.size.partition("x")
            window.resize(int(width), int(height))
        window.show()

        def shown() -> None:
            if window.time_to_window_s is not None:
                return
            age = process_age_s()
            window.time_to_window_s = age if age is not None else time.perf_counter() - entered
            log.info("time-to-window: %.2f s since the process started (%.2f s in gui.app.main)",
                     window.time_to_window_s, time.perf_counter() - entered)

        QTimer.singleShot(0, shown)
        QTimer.singleShot(0, freeze_startup_objects)  # full collections then skip the window's own objects
        QTimer.singleShot(STARTUP_SETTLED_MS, freeze_startup_objects)  # and what loading the startup data imported
        QTimer.singleShot(0, engine().start)  # TensorFlow loads in the engine process meanwhile
        if args.screenshot:
            app.processEvents()
            shown()
            code = take_screenshot(app, window, args.screenshot, args.demo, args.timeout)
            window.deleteLater()
            return code
        QTimer.singleShot(0, window.load_startup_data)
        return int(app.exec())
    finally:
        # Never leave a running QThread behind (Qt aborts the process) nor an engine process.
        wait_for_all(120_000)
        if owns_app:
            shutdown_engine()  # embedded (tests, scripts): the host decides when the engine goes
