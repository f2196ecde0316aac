"""Message boxes in one place, so every failure looks the same and tests can intercept them.

Errors use a window-modal box opened with ``open()`` (not ``exec()``): no nested event loop runs
while the worker keeps delivering signals, and a test never blocks on an unanswered box.
Confirmations must answer synchronously and use ``QMessageBox.question`` (tests patch it).
"""
from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger("finetune_studio")


def show_error(parent: QWidget | None, title: str, message: str, details: str = "") -> QMessageBox:
    log.warning("%s: %s", title, message)
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    if details:
        box.setInformativeText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.open()
    return box


def ask_yes_no(parent: QWidget | None, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
