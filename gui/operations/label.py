"""Label as you go in the window: File › Label images… and a "Label images…" button in the Data
panel open the labelling window (gui/widgets/label_window.py) for the Data panel's training folder,
with the window's backbone and image size (core/engine/requests/label.py: the engine embeds,
refits and re-ranks; the window only copies files and shows the queue).

Why a plug-in that adds the Data panel's button itself: the panel is not edited for one operation;
the button goes into the panel's header row, beside Check my data.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QWidget

from ..widgets.common import set_names
from ..widgets.label_window import LabelWindow
from ..worker import Worker


class Labelling(QObject):
    """Opens (and keeps) the labelling window; ``workers()`` for the window's close."""

    def __init__(self, panels: Any, parent: QWidget) -> None:
        super().__init__(parent)
        self.panels, self._parent = panels, parent
        self.window: LabelWindow | None = None
        self.worker = Worker("label", self)  # the engine's refits; the main window waits for it on close
        self.action = QAction(self.tr("&Label images…"), parent)
        self.action.setObjectName("labelImagesAction")
        self.action.triggered.connect(lambda: self.open())
        self.button = set_names(QPushButton(self.tr("Label images…")), "labelImagesButton",
                                self.tr("Label images"), self.tr("Label a folder of unlabelled images with "
                                                                 "suggestions that learn as you go"))
        self.button.clicked.connect(lambda: self.open())

    def open(self) -> LabelWindow:
        data, backbone = self.panels.data, self.panels.backbone
        if self.window is None:
            self.window = LabelWindow(self._parent, dataset=data.train_dir() or "",
                                      backbone=backbone.current_id(), weights=backbone.weights_arg() or "imagenet",
                                      image_size=self.panels.training.image_size.value() or None, worker=self.worker)
        elif not self.window.dataset() and data.train_dir():
            self.window.dataset_edit.setText(data.train_dir())
        self.window.show()
        self.window.raise_()
        return self.window

    def is_busy(self) -> bool:
        return self.worker.is_busy()


ORDER = 40


def install(window: Any) -> Labelling:
    """File › Label images… and the Data panel's button (``window.labelling``)."""
    window.labelling = Labelling(window.panels, window)
    window.add_file_action(window.labelling.action)
    # Below the panel's rows, not in its header: beside "Check my data" the two buttons made the Data
    # panel 5 px too wide for the three steps at 1280 px (test_laptop_window).
    body = getattr(window.panels.data, "body", None)
    if body is not None:
        body.addWidget(window.labelling.button, 0, Qt.AlignmentFlag.AlignLeft)
    return window.labelling
