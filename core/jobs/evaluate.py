"""The door of ``evaluate``: a saved bundle on a labelled folder (accuracy, per-class metrics,
confusion matrix, hardest examples)."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from core.events import EventSink, ignore_events


def run_evaluation(bundle_dir: str | Path, data_dir: str | Path, sink: EventSink = ignore_events,
                   cancel: threading.Event | None = None) -> dict[str, Any]:
    """Evaluate a saved bundle on a labelled folder: the dict of :func:`core.bundles.evaluate.evaluate_probabilities`
    plus "bundle", "method", "data_dir" and "skipped"."""
    from core.bundles.bundle import load_bundle
    from core.bundles.evaluate import evaluate_folder
    from core.bundles.predict import Predictor

    bundle = load_bundle(bundle_dir)
    report = evaluate_folder(Predictor.from_bundle(bundle), data_dir, sink, cancel)
    return {"bundle": str(bundle.path), "method": bundle.method, **report}
