"""The confusion matrix's canvas: it builds its figure and draws it only when it is on screen, and
each of the two in an event-loop turn of its own.

Why: at the end of a run the window fills the Results (the table, the pairs, the status) while the
Results tab is usually hidden behind the curves. Building the matrix's axes, ticks and cell texts
took 40-140 ms and the draw 20-60 ms on a loaded machine, all in the end-of-run turn (issue 25).
Now the end of a run only records what to build; opening the tab builds it in one turn and draws
it in the next (matplotlib's draw_idle), so no single turn carries both."""
from __future__ import annotations

from typing import Any, Callable

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QTimer


class MatrixCanvas(FigureCanvasQTAgg):
    """``request_build(build)``: ``build()`` fills the figure, later, when on screen; ``build_now()``
    runs a pending build at once (a click, or a reader that needs the axes)."""

    def __init__(self, figure: Figure) -> None:
        super().__init__(figure)
        self._build: Callable[[], None] | None = None
        self._stale = False

    def request_build(self, build: Callable[[], None]) -> None:
        """Replace the figure's contents with what ``build`` makes, once on screen, then draw."""
        self._build = build
        self.request_draw()

    def build_now(self) -> None:
        build, self._build = self._build, None
        if build is not None:
            build()

    def request_draw(self) -> None:
        if self.isVisible():
            self._stale = False
            QTimer.singleShot(0, self, self._build_and_draw)
        else:
            self._stale = True

    def _build_and_draw(self) -> None:
        self.build_now()
        self.draw_idle()  # a turn of its own: matplotlib's Qt canvas draws from a zero timer

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt naming)
        super().showEvent(event)
        if self._stale:
            self._stale = False
            QTimer.singleShot(0, self, self._build_and_draw)
