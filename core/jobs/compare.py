"""The door of ``compare``: every training method on the same split, the images decoded once and
the features extracted once, each method recorded as a run of its own (the window's Compare)."""
from __future__ import annotations

import threading
from typing import Any, Sequence

from core.events import EventSink, ignore_events
from core.config import check_train_settings
from core.jobs import train
from core.methods import METHODS


def run_comparison(config: Any, methods: Sequence[str] = tuple(METHODS),
                   sink: EventSink = ignore_events, cancel: threading.Event | None = None) -> dict[str, Any]:
    """Run several methods on the same split (images decoded once, features extracted once) and
    return ``{method: result}``; each result has its validation metrics. Why: on small datasets the
    user should see whether fine-tuning beats embeddings + classifier before choosing."""
    check_train_settings(config)  # out-of-range settings: one plain sentence before any work (core/config.py)
    train.check_freeze(config)
    from dataclasses import replace

    from core.training.classic import CLASSIC_METHODS, extract_split_features, fit_classic
    from core.events import LogMessage
    from core.training.trainer import TrainingCancelled, prepare_data

    data = prepare_data(config, sink, cancel)
    results: dict[str, Any] = {}
    features = None
    for method in methods:
        if cancel is not None and cancel.is_set():
            break
        sink(LogMessage.of("compare.comparing_methods", method=METHODS[method].label, n_results=len(results) + 1,
                           n_methods=len(methods)))
        method_config = replace(config, method=method)
        try:
            if method in CLASSIC_METHODS:
                from core.runs.recorder import RunRecorder

                recorder = RunRecorder.begin(method_config.to_json())  # each method is a run of its own

                def fit(method_config: Any = method_config) -> Any:
                    nonlocal features  # extracted once, for the first embeddings method
                    features = features or extract_split_features(method_config, data, sink, cancel)
                    return fit_classic(method_config, sink, cancel, data=data, features=features)

                result = train.recorded(recorder, fit)
            else:
                result = train.run_training(method_config, sink, cancel, data=data)
        except TrainingCancelled:
            break  # keep the methods that finished
        results[method] = result
    return results
