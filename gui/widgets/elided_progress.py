"""A progress bar whose text is shortened to its width, the whole text in its tooltip.

The run bar's progress text grows with what the engine reports ("Caching frozen-layer features
(training images)…", "Epoch 3/20 · batch 12/40 · about 2 min left"), and the style draws it centred
and cut on both sides when it is wider than the bar (issue 25: "ng frozen-layer features (trainin").
Shortened at the end with "…", the start (what is happening) stays readable, and the tooltip holds
the whole text."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QWidget

TEXT_MARGIN_PX = 12  # the style's rounded ends and a little air on both sides of the text


class ElidedProgressBar(QProgressBar):
    """QProgressBar whose drawn ``text()`` fits its width; ``full_text()`` is what its format says."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shown_tip = ""

    def full_text(self) -> str:
        """The text the format gives, before any shortening."""
        return super().text()

    def text(self) -> str:  # noqa: D102 - called by the style to draw (a virtual function)
        full = super().text()
        room = max(0, self.contentsRect().width() - TEXT_MARGIN_PX)
        shown = self.fontMetrics().elidedText(full, Qt.TextElideMode.ElideRight, room)
        tip = full if shown != full else ""
        if tip != self._shown_tip:  # only the tooltip this bar set itself is replaced
            self._shown_tip = tip
            self.setToolTip(tip)
        return shown
