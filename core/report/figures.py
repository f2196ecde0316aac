"""The report's pictures as data URIs: matplotlib on its Agg canvas (no pyplot, no GUI backend, safe
on any thread) and thumbnails through core.data.image_files' checked opener.

PNG for the plots (crisp lines when printed), JPEG for the photos (small files)."""
from __future__ import annotations

import base64
import io
import math
from pathlib import Path
from typing import Any, Sequence

from core.wording import display

TRAIN, VAL, MARK = "#2f6fd6", "#e0752d", "#7a8699"
THUMB_PX = 160


def data_uri(payload: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _png(figure: Any) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return data_uri(buffer.getvalue(), "image/png")


def _series(history: Sequence[dict[str, Any]], key: str) -> list[float]:
    values = []
    for row in history:
        try:
            values.append(float(row.get(key)))
        except (TypeError, ValueError):
            values.append(math.nan)
    return values


def curves_png(history: Sequence[dict[str, Any]]) -> str | None:
    """Loss and accuracy per epoch (training and validation), a dashed line where a new phase starts;
    None when the history has no loss to plot."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    losses = _series(history, "loss")
    if not history or all(math.isnan(v) for v in losses):
        return None
    epochs = [int(row.get("epoch") or i + 1) for i, row in enumerate(history)]
    figure = Figure(figsize=(8, 3))
    loss_ax, acc_ax = figure.subplots(1, 2)
    for ax, key, title in ((loss_ax, "loss", "Loss"), (acc_ax, "accuracy", "Accuracy")):
        ax.plot(epochs, _series(history, key), "o-", color=TRAIN, label="training", markersize=3)
        ax.plot(epochs, _series(history, f"val_{key}"), "o-", color=VAL, label="validation", markersize=3)
        for index in range(1, len(history)):
            if history[index].get("phase") != history[index - 1].get("phase"):
                ax.axvline(epochs[index] - 0.5, color=MARK, linestyle="--", linewidth=1)
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    acc_ax.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    return _png(figure)


def confusion_png(matrix: Sequence[Sequence[int]], class_names: Sequence[str]) -> str | None:
    """Counts with rows as true classes and columns as predictions; None when there is no matrix."""
    from matplotlib.figure import Figure

    n = len(class_names)
    if not n or len(matrix) != n:
        return None
    size = min(9.0, 2.5 + 0.45 * n)
    figure = Figure(figsize=(size, size * 0.85))
    ax = figure.subplots()
    image = ax.imshow(matrix, cmap="Blues")
    top = max((max(row) for row in matrix), default=0)
    if n <= 30:
        for t in range(n):
            for p in range(n):
                value = matrix[t][p]
                ax.text(p, t, str(value), ha="center", va="center", fontsize=8,
                        color="white" if top and value > top / 2 else "black")
    labels = [display(name) for name in class_names]  # matplotlib refuses lone surrogates (a TypeError)
    labels = [name if len(name) <= 18 else name[:17] + "…" for name in labels]
    ax.set_xticks(range(n), labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(n), labels, fontsize=8)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    figure.tight_layout()
    return _png(figure)


def thumbnail(path: str | Path, size: int = THUMB_PX) -> tuple[str | None, str | None]:
    """(data URI, None) for a readable image, else (None, why): a missing or unusable file is named,
    never fatal. The file is opened through the same checks as training (no FIFOs, no bombs) and
    converted as training converts it (16-bit scaled, transparency on white: core.data.scan._to_rgb),
    so the report shows the pixels the model saw."""
    from PIL import Image, ImageOps

    from core.data.image_files import decoding_slot, open_image
    from core.data.scan import _to_rgb, decode_error_reason

    if not Path(path).is_file():
        return None, "no longer there"
    try:
        with open_image(path) as (image, _stream):
            image.draft("RGB", (size, size))  # JPEG: decode at reduced scale
            with decoding_slot(image):
                image = _to_rgb(ImageOps.exif_transpose(image))
                image.thumbnail((size, size), Image.Resampling.LANCZOS)
                buffer = io.BytesIO()
                image.save(buffer, format="JPEG", quality=85)
    except Exception as error:  # noqa: BLE001 - a file changed since training is named, never the end of the report
        return None, decode_error_reason(error)
    return data_uri(buffer.getvalue(), "image/jpeg"), None
