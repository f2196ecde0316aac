"""The labelling window's forecast picture, drawn in the engine: estimated accuracy against labels
per class (the measured points, the fitted power law, the target), as PNG bytes.

Why here and not in the window: a matplotlib draw holds Python's GIL for 100-400 ms on a busy
laptop, on a worker thread as much as on the GUI thread, and the window must never stall over
50 ms while the queue updates. Drawn in the engine process, the window only decodes a small PNG.
The axis words come with the request, already translated by the window. Agg canvas, no pyplot.
"""
from __future__ import annotations

import io
from typing import Any, Sequence

import numpy as np

POINTS, CURVE, TARGET = "#2f6fd6", "#e0752d", "#888888"


def forecast_png(curve: dict[str, list[float]], outlook: dict[str, Any], words: Sequence[str],
                 width: int = 420, height: int = 230) -> bytes:
    """``words``: the x label, the y label and the target's legend text."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width / 100, height / 100), dpi=100, tight_layout=True)
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_subplot(111)
    per_class, accuracy = curve.get("per_class", []), curve.get("accuracy", [])
    axes.set_xlabel(words[0])
    axes.set_ylabel(words[1])
    if per_class:
        axes.plot(per_class, [100 * a for a in accuracy], "o", color=POINTS)
    if outlook.get("a") is not None and per_class:
        end = max(per_class[-1] * 1.2, per_class[-1] + (outlook.get("more_per_class") or 0) * 1.2)
        grid = np.linspace(max(1.0, per_class[0]), end, 60)
        axes.plot(grid, 100 * (1.0 - np.minimum(1.0, outlook["a"] * grid ** (-outlook["b"]))), "-", color=CURVE)
    if outlook.get("target") is not None:
        axes.axhline(100 * outlook["target"], color=TARGET, linestyle="--", linewidth=1, label=words[2])
        axes.legend(loc="lower right", fontsize="small")
    axes.set_ylim(0, 100)
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()
