"""What the labelling window says about its state: the class keys, the progress line and the forecast.

Why a module of its own: each line is put together from counts and the engine's estimate, and every
case is a whole translatable sentence (context "LabelWindow", the window they appear in), so that a
translator never sees a fragment such as " per class)". Pure functions of what the window knows:
gui/widgets/label_window.py calls them after every step and every refit.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QCoreApplication

KEYED_CLASSES = 9  # keys 1-9; further classes are labelled by accepting suggestions only


def keys_text(class_names: list[str]) -> str:
    """"1 cats   2 dogs …": the key of each class (class names are the user's folder names, never
    translated), and how many classes have no key."""
    keys = "   ".join(f"{i + 1} {name}" for i, name in enumerate(class_names[:KEYED_CLASSES]))
    extra = len(class_names) - KEYED_CLASSES
    if not keys:
        return QCoreApplication.translate("LabelWindow", "No classes yet: add one by name.")
    if extra > 0:
        return QCoreApplication.translate("LabelWindow", "{keys}   ({n} more classes have no key)").format(
            keys=keys, n=extra)
    return keys


def progress_text(counts: Counter, class_names: list[str], estimate: dict[str, Any]) -> str:
    """"12 labelled (3-5 per class) · estimated accuracy 80 % (61-92 %)": the labels so far and the
    engine's cross-validated estimate with its interval, once there is one."""
    per_class = [counts.get(name, 0) for name in class_names]
    total = sum(per_class)
    if per_class:
        text = QCoreApplication.translate("LabelWindow", "{n} labelled ({low}-{high} per class)").format(
            n=total, low=min(per_class), high=max(per_class))
    else:
        text = QCoreApplication.translate("LabelWindow", "{n} labelled").format(n=total)
    if estimate.get("accuracy") is None:
        return text
    return QCoreApplication.translate("LabelWindow", "{progress} · estimated accuracy {a} % ({low}-{high} %)").format(
        progress=text, a=f"{100 * estimate['accuracy']:.0f}", low=f"{100 * estimate['low']:.0f}",
        high=f"{100 * estimate['high']:.0f}")


def forecast_text(outlook: dict[str, Any], ready: bool) -> str:
    """How many more labels per class the learning curve says the target accuracy needs."""
    target = f"{100 * float(outlook.get('target') or 0):.0f}"
    if not ready:
        return QCoreApplication.translate("LabelWindow", "No forecast yet: every class needs 2 labelled images.")
    if outlook.get("status") == "ok":
        return QCoreApplication.translate(
            "LabelWindow", "About {n} more labels per class to reach {target} % (from the learning curve so far)."
        ).format(n=outlook["more_per_class"], target=target)
    if outlook.get("status") == "reached":
        return QCoreApplication.translate("LabelWindow", "The learning curve is at about {target} % already.").format(
            target=target)
    return QCoreApplication.translate(
        "LabelWindow", "Too little evidence to forecast {target} % yet: label a few more images per class."
    ).format(target=target)


def accept_question(chosen: list[dict[str, Any]]) -> str:
    """The confirmation before copying every suggestion above the threshold, with the count per class."""
    per_class = Counter(p["suggested"] for p in chosen)
    listing = ", ".join(f"{name}: {count}" for name, count in sorted(per_class.items()))
    return QCoreApplication.translate(
        "LabelWindow", "Copy {n} images into their suggested classes ({listing})? Z undoes them all."
    ).format(n=len(chosen), listing=listing)
