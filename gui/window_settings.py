"""What the window remembers between sessions: its geometry and splitters, the data folders, the
backbone and its freeze point, and every training setting. Reading and writing sit side by side
here so that a key added to one is easy to add to the other."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray

from . import settings as cfg
from .widgets.method_choice import METHODS

if TYPE_CHECKING:
    from .main_window import MainWindow


def restore_window_settings(window: MainWindow) -> None:
    """Put the saved state back; a missing or unreadable key keeps the panel's default."""
    s = window.settings
    geometry = s.value("window/geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    for key, splitter in (("window/splitter", window.splitter), ("window/rightSplitter", window.right_splitter)):
        state = s.value(key)
        if isinstance(state, QByteArray) and not state.isEmpty():
            splitter.restoreState(state)
    backbone = cfg.get_str(s, "model/backbone", "")
    if backbone:
        window.backbone.set_current(backbone)
    if cfg.get_str(s, "model/weights", "imagenet") == "scratch":
        window.backbone.set_scratch()
    t = window.training
    t.epochs.setValue(cfg.get_int(s, "train/epochs", t.epochs.value()))
    t.warmup.setValue(cfg.get_int(s, "train/warmupEpochs", t.warmup.value()))
    t.batch_size.setValue(cfg.get_int(s, "train/batchSize", t.batch_size.value()))
    t.learning_rate.setValue(cfg.get_float(s, "train/learningRate", t.learning_rate.value()))
    for name, box in t.augment.items():
        box.setChecked(cfg.get_bool(s, f"train/augment/{name}", box.isChecked()))
    t.early_stop.setChecked(cfg.get_bool(s, "train/earlyStopping", False))
    t.patience.setValue(cfg.get_int(s, "train/patience", t.patience.value()))
    t.image_size.setValue(cfg.get_int(s, "train/imageSize", 0))
    t.seed.setValue(cfg.get_int(s, "train/seed", t.seed.value()))
    window.use_cache.setChecked(cfg.get_bool(s, "train/useCache", True))
    method = cfg.get_str(s, "train/method", "finetune")
    if method in METHODS:
        window.method.set_method(method)
    data_panel = window.data_panel
    data_panel.split_spin.setValue(cfg.get_int(s, "data/valSplit", data_panel.split_spin.value()))
    val_dir = cfg.get_str(s, "data/valDir", "")
    if val_dir and Path(val_dir).is_dir():
        data_panel.set_val_dir(val_dir, scan=False)


def save_window_settings(window: MainWindow) -> None:
    """Write the window's state now (on close; the weights folder is saved the moment it changes)."""
    s = window.settings
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/splitter", window.splitter.saveState())
    s.setValue("window/rightSplitter", window.right_splitter.saveState())
    s.setValue("data/trainDir", window.data_panel.train_dir())
    s.setValue("data/valDir", window.data_panel.val_dir() or "")
    s.setValue("data/valSplit", window.data_panel.split_spin.value())
    s.setValue("model/backbone", window.backbone.current_id())
    s.setValue("model/weights", "scratch" if window.backbone.weights_mode() == "scratch" else "imagenet")
    freeze = window.freeze
    point = freeze.finetune_point() if freeze.pretrained else None
    if point is not None and freeze.backbone_id:
        s.setValue(f"model/freeze/{freeze.backbone_id}", point)
    t = window.training
    s.setValue("train/epochs", t.epochs.value())
    s.setValue("train/warmupEpochs", t.warmup.value())
    s.setValue("train/batchSize", t.batch_size.value())
    s.setValue("train/learningRate", float(t.learning_rate.value()))
    for name, box in t.augment.items():
        s.setValue(f"train/augment/{name}", box.isChecked())
    s.setValue("train/earlyStopping", t.early_stop.isChecked())
    s.setValue("train/patience", t.patience.value())
    s.setValue("train/imageSize", t.image_size.value())
    s.setValue("train/seed", t.seed.value())
    s.setValue("train/useCache", window.use_cache.isChecked())
    s.setValue("train/method", window.method.method())
    s.sync()
