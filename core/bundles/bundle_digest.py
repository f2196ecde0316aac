"""Which of a bundle's files decide its model, and their hash taken around a load (the key of a
converted model remembered for them: core/runtime/aliases.py, core/bundles/warm_predictor.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from core.bundles.bundle import CONFIG_FILE, LABELS_FILE, MODEL_FILE, Bundle, load_bundle


def bundle_files(folder: Path) -> list[Path]:
    """The files that decide the model and what load_bundle checks of it (the classifier and
    calibration arrays included), in a fixed order."""
    return [folder / MODEL_FILE, folder / LABELS_FILE, folder / CONFIG_FILE, *sorted(folder.glob("*.npz"))]


def answering_what(familiarity: Any) -> str:
    """How the answering model is made from the bundle's model (core.bundles.predict)."""
    layer = getattr(familiarity, "layer", None)
    return f"probabilities and the embedding of layer {layer}" if layer else "probabilities"


def load_with_digest(path: str | Path) -> tuple[Bundle, str | None]:
    """The bundle, and the hash of its files when they were the same before and after loading (a
    bundle saved over meanwhile gets None: nothing is remembered for it). No hash with
    ``--runtime keras``: nothing would use it."""
    from core.runtime.aliases import files_digest
    from core.runtime.setting import chosen_runtime

    folder = Path(path).expanduser()
    if chosen_runtime() == "keras":
        return load_bundle(folder), None
    try:
        before = files_digest(bundle_files(folder))
    except OSError:
        before = None  # load_bundle says what is missing
    bundle = load_bundle(folder)
    try:
        after = files_digest(bundle_files(bundle.path))
    except OSError:
        return bundle, None
    return bundle, before if before == after else None
