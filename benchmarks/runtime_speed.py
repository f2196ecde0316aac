"""Keras vs the fastest verified runtime (core/runtime), side by side in one run, on real images.

```
.venv/bin/python benchmarks/runtime_speed.py [--images 1000] [--backbones efficientnet_lite0,mobilenet_v2]
                                             [--parts classify,train,embed] [--json out.json]
```

The images are scikit-learn's real handwritten digits (benchmarks/real_digits.py), written as PNG
class folders at 96 px and resized by the app to the backbone's 224 px. Everything (caches, runs,
converted models) goes to a temporary folder. Each case runs three times in this order:

- **keras**: ``--runtime keras``, today's path (Keras' traced forward function);
- **auto, cold**: the converted-model cache is empty, so the time includes the conversion and its
  check against Keras;
- **auto, warm**: the converted model is in the cache (every later job on the same bundle, and every
  fine-tuning run on the same backbone, weights and freeze point).
- *classify* only, **auto, warm, Keras loaded** (run before *auto, warm*): the converted model cached
  but not which bundle files made it (core/runtime/aliases.py), so the bundle's Keras model is loaded
  to find its key: the warm path as it was before predict learned to skip Keras.

Parts: *classify* is ``predict BUNDLE FOLDER --csv`` end to end (the bundle loaded, every file
listed, decoded and classified, the CSV written) on a bundle trained here for one epoch, and the
CSVs' answers compared (top-1 on every image; the top-5 probabilities). *train* is the time from
the start of a default fine-tuning run (1 warm-up + fine-tuning epochs, default freeze point, feature
cache on) to the end of its first epoch; the decoded-image cache is cleared before each run so every
run decodes the same way. *embed* is the audit's embeddings (core.insight.embeddings.embed_files,
its cache off).

A backbone whose ImageNet weights are not on this computer runs with random weights (speed only;
said in the output).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RUNS = ("keras", "auto, cold", "auto, warm")
WARM_LOADING_KERAS = "auto, warm, Keras loaded"  # classify: the warm path before core/bundles/warm_predictor.py


def _setting(run: str) -> str:
    return "keras" if run == "keras" else "auto"


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _forget_conversions() -> None:
    from core.paths import user_cache_dir

    shutil.rmtree(user_cache_dir() / "runtime", ignore_errors=True)


def _csv_answers(path: Path) -> dict[str, dict[str, float]]:
    """Each image's top-k classes and probabilities, read by column name (the CSV may also hold the
    ``unfamiliar`` and ``set`` columns)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    answers = {}
    for row in rows:
        ranks = ["", *(f"_{rank}" for rank in range(2, 100) if f"label_{rank}" in row)]
        answers[row["path"]] = {row["label" + r]: float(row["probability" + r]) for r in ranks if row["label" + r]}
        answers[row["path"]]["_top"] = row["label"]  # type: ignore[assignment]
    return answers


def _same(keras_csv: Path, other_csv: Path) -> dict[str, Any]:
    ours, theirs = _csv_answers(keras_csv), _csv_answers(other_csv)
    differ = sum(ours[name]["_top"] != theirs[name]["_top"] for name in ours)
    largest = max(abs(p - theirs[name][label]) for name in ours for label, p in ours[name].items()
                  if label != "_top" and label in theirs[name])
    return {"images": len(ours), "top1_differ": differ, "max_abs_diff": largest}


def classify(bundle: Path, folder: Path, work: Path, images: int) -> dict[str, Any]:
    from core.cli import main
    from core.paths import user_cache_dir

    out: dict[str, Any] = {}
    for run in (*RUNS[:2], WARM_LOADING_KERAS, RUNS[2]):
        if run == "auto, cold":
            _forget_conversions()
        if run == WARM_LOADING_KERAS:  # the converted model cached, but not which files made it
            shutil.rmtree(user_cache_dir() / "runtime" / "sources", ignore_errors=True)
        target = work / f"classified-{run.replace(', ', '-').replace(' ', '_')}.csv"
        target.unlink(missing_ok=True)
        seconds, code = _timed(lambda: main(["predict", str(bundle), str(folder), "--csv", str(target),
                                             "--runtime", _setting(run)], out=io.StringIO()))
        assert code == 0, f"predict failed ({run})"
        out[run] = {"seconds": round(seconds, 1), "images_per_s": round(images / seconds, 1)}
        if run != "keras":
            out[run]["same_as_keras"] = _same(work / "classified-keras.csv", target)
    return out


def first_epoch(backbone: str, weights: str | None, folder: Path) -> dict[str, Any]:
    from core.config import TrainConfig
    from core.events import EpochEnded, LogMessage
    from core.jobs.train import run_training
    from core.paths import user_cache_dir
    from core.runtime.setting import runtime_setting

    out: dict[str, Any] = {}
    for run in RUNS:
        if run == "auto, cold":
            _forget_conversions()
        shutil.rmtree(user_cache_dir() / "decoded", ignore_errors=True)
        cancel, start, marks = threading.Event(), time.perf_counter(), {}

        def sink(event: Any) -> None:
            if isinstance(event, EpochEnded) and "first_epoch" not in marks:
                marks["first_epoch"] = time.perf_counter() - start
                cancel.set()
            elif isinstance(event, LogMessage) and "runtime" in event.message.lower():
                marks.setdefault("log", event.message)

        config = TrainConfig(data_dir=str(folder), backbone=backbone, weights=weights or "none")
        with runtime_setting(_setting(run)):
            try:
                run_training(config, sink, cancel, record=False)
            except Exception as error:  # a cancelled run may end with its own exception
                if "first_epoch" not in marks:
                    raise
                marks.setdefault("ended", type(error).__name__)
        out[run] = {"seconds_to_first_epoch": round(marks["first_epoch"], 1)}
    return out


def embeddings(backbone: str, weights: str | None, folder: Path, images: int) -> dict[str, Any]:
    from core.backbones import get_backbone
    from core.insight.embeddings import embed_files
    from core.runtime.setting import runtime_setting
    from core.training.features import embedding_model

    files = sorted(p for p in folder.rglob("*.png"))
    size = get_backbone(backbone).input_size
    out: dict[str, Any] = {}
    for run in RUNS:
        if run == "auto, cold":
            _forget_conversions()
        with runtime_setting(_setting(run)):
            seconds, _ = _timed(lambda: embed_files(files, lambda: embedding_model(backbone, weights, size),
                                                    backbone, weights, size, use_cache=False))
        out[run] = {"seconds": round(seconds, 1), "images_per_s": round(images / seconds, 1)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1000, help="images classified / trained on / embedded")
    parser.add_argument("--backbones", default="efficientnet_lite0,mobilenet_v2")
    parser.add_argument("--parts", default="classify,train,embed")
    parser.add_argument("--json", default=None, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="runtime-speed-") as tmp:
        work = Path(tmp)
        for name in ("FTS_CACHE_DIR", "FTS_DATA_DIR", "KERAS_HOME"):
            os.environ[name] = str(work / name.lower())
        os.environ.pop("FTS_RUNTIME", None)
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        from benchmarks.real_digits import write_digits
        from core.backbones import get_backbone
        from core.backbones.weights import weights_status
        from core.cli import main as cli
        from core.runtime.forward import cores

        per_class = args.images // 10
        folders = write_digits(work / "digits", {"bundle": 10, "eval": per_class}, size=96)
        results: dict[str, Any] = {"images": per_class * 10, "cores": cores(),
                                   "load_average_before": os.getloadavg()}
        for backbone in args.backbones.split(","):
            real = weights_status(get_backbone(backbone)) != "download"
            weights = "imagenet" if real else None
            entry: dict[str, Any] = {"weights": "imagenet" if real else "random (not on this computer): speed only"}
            print(f"{backbone}: weights {entry['weights']}", file=sys.stderr, flush=True)
            if "classify" in args.parts:
                bundle = work / f"bundle-{backbone}"
                code = cli(["train", str(folders["bundle"]), "--backbone", backbone, "--weights", weights or "none",
                            "--epochs", "1", "--warmup-epochs", "1", "--out", str(bundle), "--runtime", "keras",
                            "--json"], out=io.StringIO())
                assert code == 0, "training the bundle failed"
                entry["classify"] = classify(bundle, folders["eval"], work, per_class * 10)
                print(json.dumps(entry["classify"]), file=sys.stderr, flush=True)
            if "train" in args.parts:
                entry["first_epoch"] = first_epoch(backbone, weights, folders["eval"])
                print(json.dumps(entry["first_epoch"]), file=sys.stderr, flush=True)
            if "embed" in args.parts:
                entry["embeddings"] = embeddings(backbone, weights, folders["eval"], per_class * 10)
                print(json.dumps(entry["embeddings"]), file=sys.stderr, flush=True)
            results[backbone] = entry
        results["load_average_after"] = os.getloadavg()
    text = json.dumps(results, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
