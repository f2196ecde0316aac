"""GUI test fixtures: isolated QSettings, message boxes that never block, a main window that
is wound down (threads joined) after each test, and a helper that performs a real drop."""
from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from gui import language
from gui import settings as gui_settings
from gui.main_thread_gc import collect_on_gui_thread
from gui.worker import live_threads, wait_for_all


@pytest.fixture(scope="session", autouse=True)
def garbage_collected_on_the_gui_thread(qapp: QApplication) -> None:
    """As in the app (gui/app.py): no Qt object is ever destroyed by a collection in a worker thread.

    The window's process never holds TensorFlow, but this test process does when the core tests ran
    first (their Keras models, graphs and traces: millions of objects). A full collection of those on
    the GUI thread took 2.6 s in CI and read as a window stall. They are collected once now and frozen
    out of later collections (gc.freeze), so the GUI tests' stall bounds measure what the app's own
    process would: Qt objects and the window's own Python objects."""
    gc.collect()
    gc.freeze()
    collect_on_gui_thread(qapp)


ENGLISH_LOCALE = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


@pytest.fixture(autouse=True)
def english_window(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The window in English for every test whatever the machine's locale (CI may run under any LANG):
    the "system language" is English, and no translator stays installed after a test that installs
    one (tests/gui/test_language.py)."""
    monkeypatch.setattr(language, "system_locale", lambda: ENGLISH_LOCALE)
    language.remove_translators()
    yield
    language.remove_translators()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own INI settings folder and organisation name (never the user's)."""
    folder = tmp_path / "qsettings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    monkeypatch.setattr(gui_settings, "ORGANIZATION", "FinetuneStudioTests")
    return folder


class BoxRecorder:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.questions: list[str] = []
        self.answer = QMessageBox.StandardButton.Yes


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> BoxRecorder:
    """Record error boxes and answer confirmations instead of showing anything modal."""
    recorder = BoxRecorder()

    def fake_open(box: QMessageBox) -> None:
        recorder.errors.append((box.windowTitle(), box.text()))

    def fake_question(_parent: Any, _title: str, text: str, *args: Any, **kwargs: Any) -> Any:
        recorder.questions.append(text)
        return recorder.answer

    monkeypatch.setattr(QMessageBox, "open", fake_open)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(fake_question))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Ok)
    return recorder


@pytest.fixture
def window(qtbot: Any) -> Any:
    from gui.app import MainWindow

    win = MainWindow(restore=False)  # not qtbot.addWidget: pytest-qt would close it before it is idle
    win.method.set_method("finetune")  # what most tests train with; Auto, the default: tests/gui/test_auto_window.py
    win.show()
    qtbot.waitExposed(win)
    yield win
    for worker in win.workers():
        worker.cancel()
    assert wait_for_all(120_000), "a worker thread did not finish"
    qtbot.waitUntil(win.is_idle, timeout=10_000)  # queued thread-finished signals delivered
    win.persist = False
    win.close()
    win.deleteLater()
    qtbot.wait(10)


@pytest.fixture(autouse=True)
def no_thread_left_behind() -> Any:
    yield
    assert wait_for_all(120_000)
    assert not live_threads()


def close_window(qtbot: Any, win: Any, timeout_ms: int = 20_000) -> None:
    """A window a test made itself, closed the way the app closes: its workers cancelled, their
    ends delivered, then closed and deleted."""
    for worker in win.workers():
        worker.cancel()
    qtbot.waitUntil(win.is_idle, timeout=timeout_ms)
    win.close()
    win.deleteLater()


def drop_files(target: QWidget, paths: list[Path | str]) -> QDropEvent:
    """Send a real drag-enter and drop with file URLs, as a file manager does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = target.rect().center()
    enter = QDragEnterEvent(QPoint(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the drop target refused the drag"
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return drop


def blocked_job(gate: threading.Event, result: Any = None) -> Any:
    """A local worker job that ends (with ``result``) once ``gate`` is set, or with None when it is
    cancelled: a job whose end the test decides, without TensorFlow."""
    def run(_sink: Any, cancel: threading.Event) -> Any:
        while not gate.wait(0.01):
            if cancel.is_set():
                return None
        return result
    return run


def fake_training(monkeypatch: pytest.MonkeyPatch, result: Any, release: threading.Event) -> None:
    """Replace the engine run by a job that returns ``result`` once ``release`` is set (a run whose
    end the test decides, without TensorFlow)."""
    from gui import training_control

    monkeypatch.setattr(training_control, "training_job", lambda _kwargs: blocked_job(release, result))


@pytest.fixture(scope="session")
def tiny_bundle(tmp_path_factory: pytest.TempPathFactory, tiny_weights_file: Path) -> Path:
    """One tiny real bundle (MobileNetV2 x0.35 at 64 px, 1+1 epochs) for the whole session: the
    folder-classification and export tests open it in a real window."""
    import io

    from core.cli import main
    from tests.conftest import write_color_dataset

    root = tmp_path_factory.mktemp("gui-bundle")
    data = write_color_dataset(root / "colors", per_class=6, size=32)
    code = main(["train", str(data), "--backbone", "mobilenet_v2_035", "--weights", str(tiny_weights_file),
                 "--image-size", "64", "--epochs", "1", "--warmup-epochs", "1", "--batch-size", "8",
                 "--out", str(root / "bundle"), "--json"], out=io.StringIO())
    assert code == 0
    return root / "bundle"


@pytest.fixture
def styled() -> Any:
    """The real style sheet for this test only (sizes depend on its paddings); the one before is put back."""
    from gui.app import apply_style

    app = QApplication.instance()
    before = app.styleSheet()
    apply_style(app)
    yield app
    app.setStyleSheet(before)
