"""Folder classification speed: images/s of ``predict FOLDER --csv`` against what this CPU allows.

Why: a lab classifies thousands of new images at once; the streaming classifier in
core/bundles/classify.py decodes on threads while the model runs, so its rate should approach the
slower of the two alone. This measures, per backbone at batch 32, on a folder of generated JPEGs:

- *end to end*: ``classify_into`` (lazy listing, threaded decode, inference, CSV rows), after a
  warm-up on one batch, timed over the whole folder;
- *window path*: the engine's job for Try it › Classify a folder (core/engine/handlers/predict.py:
  the same stream, plus the rows kept for CSV/sorting and pickled in chunks as the pipe would);
- *decode only*: the same threads decoding and resizing, no model;
- *forward only*: the traced forward pass on already decoded pixels;
- *model.predict*: Keras' ``model.predict(batch_size=32)`` on the same pre-decoded pixels, as the
  training benchmark's prediction figures (benchmarks/train_speed.py) started from;
- *limit*: the best sustained float32 matmul rate divided by the network's FLOPs per image,
  measured as in benchmarks/train_speed.py (``matmul_peak_flops``, ``forward_flops``).

Weights are random (no download; the arithmetic is the same as with trained weights).

Usage:  .venv/bin/python benchmarks/predict_speed.py [--images 2000] [--pixels 500x375]
                                                    [--backbones efficientnet_lite0,mobilenet_v2] [--json]
Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
_WORK = Path(tempfile.mkdtemp(prefix="fts-predict-bench-"))
os.environ["FTS_CACHE_DIR"] = str(_WORK / "cache")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

BATCH = 32


def write_folder(root: Path, count: int, width: int, height: int, seed: int = 0) -> Path:
    """``count`` JPEGs of smooth noise (they compress and decode like photographs, not like flat colour)
    in subfolders of 500, as a microscope's export would be."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, (height // 8 + 1, width // 8 + 1, 3), dtype=np.uint8)
    for index in range(count):
        folder = root / f"plate_{index // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        shift = rng.integers(0, 256, 3, dtype=np.uint8)
        small = Image.fromarray(base + shift)
        small.resize((width, height), Image.Resampling.BILINEAR).save(folder / f"img_{index:06d}.jpg", quality=90)
    return root


def predictor_for(backbone_id: str) -> Any:
    """The backbone with a 1000-class top, preprocessing inside, random weights: what ``predict
    --backbone`` runs, minus the download."""
    from core.backbones import get_backbone
    from core.bundles.predict import Predictor
    from core.training.model import build_backbone, keras, pixel_input

    spec = get_backbone(backbone_id)
    classifier = build_backbone(spec, None, spec.input_size, include_top=True)
    inputs, x = pixel_input(spec, spec.input_size)
    model = keras.Model(inputs, classifier(x), name=f"bench_{backbone_id}")
    return Predictor(model, [f"class {i}" for i in range(int(model.output_shape[-1]))], spec.label)


def measure(backbone_id: str, folder: Path, peak: float) -> dict[str, Any]:
    from core.bundles.classify import Listing, classify_into
    from core.data.scan import load_image
    from core.training.features import inference_function
    from train_speed import forward_flops

    predictor = predictor_for(backbone_id)
    size = predictor.image_size
    files = list(Listing([folder]))
    classify_into(predictor, files[:BATCH], k=5, csv_path=_WORK / "warm.csv")  # traces the graph once

    start = time.perf_counter()
    summary = classify_into(predictor, [folder], k=5, csv_path=_WORK / f"{backbone_id}.csv")
    end_to_end = summary.images / (time.perf_counter() - start)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 2) * 2)) as pool:
        pixels = np.stack(list(pool.map(lambda path: load_image(path, size), files)))
    decode = len(files) / (time.perf_counter() - start)

    window = window_path_speed(predictor, folder)
    predictor.model.predict(pixels[:BATCH], batch_size=BATCH, verbose=0)
    start = time.perf_counter()
    predictor.model.predict(pixels, batch_size=BATCH, verbose=0)
    keras_predict = len(pixels) / (time.perf_counter() - start)

    forward = inference_function(predictor.model)
    batch = pixels[:BATCH].astype(np.float32)
    np.asarray(forward(batch))
    start, rounds = time.perf_counter(), max(1, len(files) // BATCH)
    for index in range(rounds):
        np.asarray(forward(pixels[index * BATCH % len(pixels):][:BATCH].astype(np.float32)))
    forward_rate = rounds * BATCH / (time.perf_counter() - start)
    flops = forward_flops(predictor.model)
    return {"backbone": backbone_id, "images": summary.images, "input_px": size,
            "end_to_end_images_per_s": round(end_to_end, 1), "window_path_images_per_s": round(window, 1),
            "model_predict_images_per_s": round(keras_predict, 1), "decode_only_images_per_s": round(decode, 1),
            "forward_only_images_per_s": round(forward_rate, 1), "gflop_per_image": round(flops / 1e9, 3),
            "limit_images_per_s": round(peak / flops, 1)}


def window_path_speed(predictor: Any, folder: Path) -> float:
    """Images/s of the engine's folder job as the window runs it (rows in pickled chunks, kept for a CSV)."""
    import pickle
    import threading

    from core.engine.handlers import predict as handlers
    from core.engine.requests.predict import ClassifyFolderRequest
    from core.engine.state import EngineState

    state = EngineState()  # the engine's one state object, holding the predictor under "bench"
    state.hold_predictor("bench", predictor)

    sent = [0]

    def pipe(event: Any) -> None:
        sent[0] += len(pickle.dumps(event))

    request = ClassifyFolderRequest({"kind": "handle", "handle": "bench"}, (str(folder),), "bench")
    start = time.perf_counter()
    summary = handlers.classify_folder(request, pipe, threading.Event(), state)
    return summary["images"] / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--pixels", default="500x375", help="width x height of the generated JPEGs")
    parser.add_argument("--backbones", default="efficientnet_lite0,mobilenet_v2")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.pixels.lower().split("x"))
    folder = write_folder(_WORK / "images", args.images, width, height)

    from train_speed import matmul_peak_flops

    try:
        peak = matmul_peak_flops()
        rows = [measure(backbone, folder, peak) for backbone in args.backbones.split(",")]
    finally:
        shutil.rmtree(_WORK, ignore_errors=True)
    if args.json:
        print(json.dumps({"cpus": os.cpu_count(), "matmul_gflop_per_s": round(peak / 1e9, 1), "runs": rows}))
        return 0
    print(f"{args.images} JPEGs of {width} x {height} px, batch {BATCH}, {os.cpu_count()} CPUs, "
          f"matmul peak {peak / 1e9:.0f} GFLOP/s")
    print("| backbone | end to end images/s | window path | decode only | model.predict (decoded) | forward only "
          "| limit (peak / FLOPs) |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['backbone']} ({row['input_px']} px, {row['gflop_per_image']} GFLOP) | "
              f"{row['end_to_end_images_per_s']} | {row['window_path_images_per_s']} | "
              f"{row['decode_only_images_per_s']} | {row['model_predict_images_per_s']} | "
              f"{row['forward_only_images_per_s']} | {row['limit_images_per_s']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
