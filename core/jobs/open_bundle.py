"""The door of ``open_bundle`` (File › Open model…): a saved bundle and the predictor the window's
Try it, Results and Explain use on it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from core.jobs.predict import bundle_predictor


def open_bundle(path: str | Path) -> tuple[Any, Any]:
    """Load the bundle at ``path`` and its Predictor: ``(Bundle, Predictor)``."""
    from core.bundles.bundle import load_bundle

    bundle = load_bundle(path)
    return bundle, bundle_predictor(bundle)
