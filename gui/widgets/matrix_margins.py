"""The confusion matrix's margins, in pixels, from its longest (shortened) class name: room for the
tick labels and the axis titles without measuring every text (matplotlib's constrained layout draws
them all, 35-60 ms on the GUI thread; this is arithmetic).

The bottom margin once ignored how deep a 45° tick label reaches (its width AND its height both
slant down) and the gap matplotlib leaves between ticks, labels and the title, so "Predicted class"
was cut by the canvas's edge (issue 25)."""
from __future__ import annotations

from typing import Any

TICK_POINTS = 8  # the tick labels' font size
TITLE_POINTS = 10  # the axis titles' (matplotlib's default)
PAD_POINTS = 3.5 + 4.0  # tick length and pad, then the title's pad (matplotlib's defaults)


def _tick_label_depth(label_px: float, dpi: float, rotated: bool) -> float:
    """How far the x tick labels reach below the axes: a 45° label's width and height both slant down."""
    height = TICK_POINTS * dpi / 72 * 1.2
    return (label_px + height) * 0.71 if rotated else height


def fit_margins(figure: Any, tick_names: list[str]) -> None:
    """Set ``figure``'s subplot margins for a matrix whose ticks show ``tick_names``."""
    width, height = max(1.0, figure.bbox.width), max(1.0, figure.bbox.height)
    char = TICK_POINTS * figure.dpi / 72 * 0.62  # the average glyph
    label = max((len(n) for n in tick_names), default=1) * char
    line = TITLE_POINTS * figure.dpi / 72 * 1.5  # an axis title line
    pads = PAD_POINTS * figure.dpi / 72
    rotated = len(tick_names) > 3
    left = label + line + pads + 4
    bottom = _tick_label_depth(label, figure.dpi, rotated) + line + pads + 4
    figure.subplots_adjust(left=min(0.5, left / width), bottom=min(0.5, bottom / height),
                           right=1 - min(0.2, 8 / width), top=1 - min(0.2, 8 / height))
