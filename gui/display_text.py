"""Small phrasing helpers shared by the window's controllers, so a duration, a class list or a
model's kind reads the same in the status line, the prediction panel and after a save."""
from __future__ import annotations

from typing import Any

from core.wording import plural
from .widgets.backbone_picker import BackbonePicker
from .widgets.method_choice import uses_epochs


def format_duration(seconds: float) -> str:
    """42 s, 3 min 05 s, 1 h 02 min: precise enough for an estimate, short enough for a progress bar."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def short_label(label: str) -> str:
    """"EfficientNet-Lite0 (offline)" -> "EfficientNet-Lite0" for running text."""
    return label.split(" (")[0]


def class_list(names: Any, limit: int = 4) -> str:
    """"12 classes: cat, dog, fox, owl and 8 more": a model's classes in one readable line."""
    names = list(names)
    shown = ", ".join(names[:limit])
    return f"{plural(len(names), 'class', 'classes')}: {shown}" + (f" and {len(names) - limit} more" if len(names) > limit else "")


def model_kind(backbone: BackbonePicker, result: Any, name: str = "") -> str:
    """"fine-tuned MobileNet V2" / "embeddings + linear SVM model on MobileNet V2 features", named."""
    info = backbone.info(result.backbone)
    label = short_label(info.label) if info else result.backbone
    named = f" “{name}”" if name else ""
    if uses_epochs(getattr(result, "method", "finetune")):
        return f"fine-tuned {label}{' model' if name else ''}{named}"
    return f"{result.method_label} model{named} on {label} features"
