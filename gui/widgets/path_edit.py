"""A folder field that stays readable when narrow (the data panel's training and validation
folders): a long path is shown elided in the middle while the field is not being edited."""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLineEdit, QStyle, QStyleOptionFrame, QToolButton, QWidget


class PathEdit(QLineEdit):
    """A folder field that stays readable when narrow: while it is not being edited, a path too long
    for it is shown elided in the middle ("/home/ana/…/cells-training"), so both where it is and
    which folder it is stay visible; the whole path is the tooltip. ``text()`` is always the path."""

    def __init__(self, clear_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        for button in self.findChildren(QToolButton):  # the clear button Qt adds inside the field
            button.setAccessibleName(clear_name)
            button.setToolTip(clear_name)
        self.textChanged.connect(self._text_changed)

    def display_text(self) -> str:
        """What the field shows now: the path, or the path elided in the middle when it is too long."""
        text, width, metrics = self.text(), self._text_rect().width(), self.fontMetrics()
        if self.hasFocus() or metrics.horizontalAdvance(text) <= width:
            return text
        # Keep the folder's own name whole when it fits beside a few leading characters: the start says
        # where, the name says which ("/home/ana/pro…/cells-training"); otherwise elide in the middle.
        head, sep, name = text.rstrip("/").rpartition("/")
        tail = f"…{sep}{name}"
        keep = len(head)
        while keep > 0 and metrics.horizontalAdvance(head[:keep] + tail) > width:
            keep -= 1
        if sep and keep >= 4:
            return head[:keep] + tail
        return metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, width)

    def _text_rect(self) -> QRect:
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        rect = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        rect = rect.marginsRemoved(self.textMargins()).adjusted(2, 0, -2, 0)  # QLineEdit's own 2 px
        for button in self.findChildren(QToolButton):
            if button.isVisible():
                rect.setRight(min(rect.right(), button.geometry().left() - 2))
        return rect

    def _text_changed(self, text: str) -> None:
        self.setToolTip(text or self.accessibleDescription())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt naming)
        shown = self.display_text()
        if shown == self.text():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelLineEdit, option, painter, self)
        group = QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled
        painter.setPen(self.palette().color(group, QPalette.ColorRole.Text))
        painter.drawText(self._text_rect(), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), shown)
