"""The application entry point and its settings: --screenshot renders the window with the sample
data and exits 0; settings survive a restart; the window's process never loads TensorFlow."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

import gui.app
from gui import settings as gui_settings
from gui.app import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_screenshot_in_process(qtbot: Any, tmp_path: Path) -> None:
    target = tmp_path / "shot.png"
    assert gui.app.main(["--screenshot", str(target)]) == 0
    image = QImage(str(target))
    assert not image.isNull() and (image.width(), image.height()) == (1440, 900)


def test_screenshot_process_never_loads_tensorflow(tmp_path: Path) -> None:
    """A real process: main.py's GUI path, sample data loaded, the engine used for the freeze
    slider's layer table — and TensorFlow only ever in the engine process."""
    target = tmp_path / "shot.png"
    code = ("import sys, gui.app\n"
            f"rc = gui.app.main(['--screenshot', {str(target)!r}, '--size', '1280x800'])\n"
            "assert 'tensorflow' not in sys.modules, 'TensorFlow was imported in the window process'\n"
            "sys.exit(rc)\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Saved a screenshot" in done.stdout
    assert QImage(str(target)).width() == 1280
    print("\n" + done.stdout.strip())


def test_settings_survive_a_restart(qtbot: Any, color_dataset: Path, tmp_path: Path) -> None:
    first = MainWindow()
    first.show()
    with qtbot.waitSignal(first.data_panel.datasetChanged, timeout=20_000):
        first.data_panel.set_train_dir(color_dataset)
    first.backbone.set_current("mobilenet_v2_035")
    first.training.epochs.setValue(7)
    first.training.batch_size.setValue(16)
    first.training.learning_rate.setValue(5e-4)
    first.training.augment["flip"].setChecked(True)
    first.training.early_stop.setChecked(True)
    first.data_panel.split_spin.setValue(30)
    first.use_cache.setChecked(False)
    first.method.set_method("logreg")
    first.resize(1100, 720)
    first.close()  # waits for the layer-table job, then saves and closes
    qtbot.waitUntil(lambda: not first.isVisible(), timeout=120_000)
    first.deleteLater()

    settings_file = Path(gui_settings.app_settings().fileName())
    assert settings_file.is_file() and str(tmp_path) in str(settings_file)  # never the user's real settings

    second = MainWindow()
    second.persist = False
    try:
        assert second.backbone.current_id() == "mobilenet_v2_035"
        assert second.training.epochs.value() == 7
        assert second.training.batch_size.value() == 16
        assert abs(second.training.learning_rate.value() - 5e-4) < 1e-12
        assert second.training.augment["flip"].isChecked() and second.training.early_stop.isChecked()
        assert second.data_panel.split_spin.value() == 30
        assert not second.use_cache.isChecked() and second.method.method() == "logreg"
        assert not second.training.epochs.isEnabled() and second.freeze.embedding_mode
        geometry = second.settings.value("window/geometry")
        assert geometry is not None and not geometry.isEmpty()
        assert second.height() == 720  # (the offscreen screen is 800 px wide, so the width is clamped)
        with qtbot.waitSignal(second.data_panel.datasetChanged, timeout=20_000):
            second.load_startup_data()
        assert second.data_panel.train_dir() == str(color_dataset)
    finally:
        for worker in second.workers():
            worker.cancel()
        qtbot.waitUntil(second.is_idle, timeout=120_000)
        second.close()
        second.deleteLater()


def test_recent_models_menu(qtbot: Any, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "recent.ini"), QSettings.Format.IniFormat)
    gui_settings.push_recent(settings, "files/recentModels", "/models/a")
    gui_settings.push_recent(settings, "files/recentModels", "/models/b")
    gui_settings.push_recent(settings, "files/recentModels", "/models/a")
    window = MainWindow(settings=settings)
    window.persist = False
    try:
        texts = [a.text() for a in window.recent_menu.actions() if a.text()]
        assert texts == ["/models/a", "/models/b", "Clear list"]
        window.recent_menu.actions()[-1].trigger()
        assert window.recent_menu.actions() == [] and not window.recent_menu.isEnabled()
    finally:
        qtbot.waitUntil(window.is_idle, timeout=120_000)
        window.close()
        window.deleteLater()


CONTROLS = ["trainDirEdit", "valDirEdit", "backboneCombo", "freezeSlider", "freezeLabel", "epochsSpin",
            "batchSizeSpin", "learningRateSpin", "trainButton", "stopButton", "trainProgress", "curvesCanvas",
            "predictDropArea", "predictionList", "methodCombo", "compareMethodsButton", "useCacheCheck",
            "perClassTable", "confusionMatrix", "resultTabs"]


def test_main_controls_have_stable_names_and_accessible_names(qtbot: Any) -> None:
    from PySide6.QtWidgets import QWidget

    window = MainWindow(restore=False)
    window.persist = False
    try:
        for name in CONTROLS:
            found = window.findChildren(QWidget, name)
            assert len(found) == 1, f"{name}: {len(found)} widgets"
            assert found[0].accessibleName(), f"{name} has no accessible name"
    finally:
        qtbot.waitUntil(window.is_idle, timeout=120_000)
        window.close()
        window.deleteLater()
