"""Small phrasing helpers shared by the window's controllers, so a duration, a class list or a
model's kind reads the same in the status line, the prediction panel and after a save."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from .engine_messages import engine_words
from .widgets.backbone_picker import BackbonePicker
from .widgets.method_choice import uses_epochs


def format_duration(seconds: float) -> str:
    """42 s, 3 min 05 s, 1 h 02 min: precise enough for an estimate, short enough for a progress bar."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return QCoreApplication.translate("DisplayText", "{seconds} s").format(seconds=seconds)
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return QCoreApplication.translate("DisplayText", "{minutes} min {seconds} s").format(
            minutes=minutes, seconds=f"{seconds:02d}")
    hours, minutes = divmod(minutes, 60)
    return QCoreApplication.translate("DisplayText", "{hours} h {minutes} min").format(hours=hours,
                                                                                       minutes=f"{minutes:02d}")


def short_label(label: str) -> str:
    """"EfficientNet-Lite0 (offline)" -> "EfficientNet-Lite0" for running text."""
    return label.split(" (")[0]


def class_list(names: Any, limit: int = 4) -> str:
    """"12 classes: cat, dog, fox, owl and 8 more": a model's classes in one readable line."""
    names = list(names)
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        return QCoreApplication.translate("DisplayText", "{count} classes: {names} and {more} more").format(
            count=len(names), names=shown, more=len(names) - limit)
    if len(names) == 1:
        return QCoreApplication.translate("DisplayText", "1 class: {names}").format(names=shown)
    return QCoreApplication.translate("DisplayText", "{count} classes: {names}").format(count=len(names), names=shown)


def model_kind(backbone: BackbonePicker, result: Any, name: str = "") -> str:
    """"fine-tuned MobileNet V2" / "embeddings + linear SVM model on MobileNet V2 features", named."""
    info = backbone.info(result.backbone)
    label = short_label(info.label) if info else result.backbone
    if uses_epochs(getattr(result, "method", "finetune")):
        if name:
            return QCoreApplication.translate("DisplayText", "fine-tuned {backbone} model “{name}”").format(
                backbone=label, name=name)
        return QCoreApplication.translate("DisplayText", "fine-tuned {backbone}").format(backbone=label)
    if name:
        return QCoreApplication.translate("DisplayText", "{method} model “{name}” on {backbone} features").format(
            method=engine_words(result.method_label), name=name, backbone=label)
    return QCoreApplication.translate("DisplayText", "{method} model on {backbone} features").format(
        method=engine_words(result.method_label), backbone=label)
