"""Grad-CAM speed: seconds per image of ``explain`` (the issue asks for under one second per image
for EfficientNet-Lite0 on the development CPU).

Measures, on generated JPEGs (``--pixels``, default 640x480) with Lite0 at 224 px and its ImageNet
classifier (the offline weights; the arithmetic is that of any fine-tuned Lite0 bundle):

- *heatmaps only*: the traced forward + backward pass of core/insight/gradcam.py on decoded pixels,
  in batches of 16 (after one warm-up batch, which traces the graph);
- *end to end*: core/insight/overlays.explain_images with overlay PNGs written at the original
  size (decode twice: the model's pixels and the original, heatmap resize, colormap, PNG encode).

Usage:  .venv/bin/python benchmarks/explain_speed.py [--images 32] [--pixels 640x480] [--json]
Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_WORK = Path(tempfile.mkdtemp(prefix="fts-explain-bench-"))
os.environ.setdefault("FTS_CACHE_DIR", str(_WORK / "cache"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=32)
    parser.add_argument("--pixels", default="640x480")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    width, height = (int(v) for v in args.pixels.split("x"))

    from core.jobs.predict import imagenet_predictor
    from core.data.scan import load_image
    from core.insight.gradcam import gradcam_for
    from core.insight.overlays import BATCH, explain_images

    rng = np.random.default_rng(0)
    folder = _WORK / "images"
    folder.mkdir()
    paths = []
    for index in range(args.images):
        pixels = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
        path = folder / f"image_{index:04d}.jpg"
        Image.fromarray(pixels).save(path, quality=90)
        paths.append(path)

    predictor = imagenet_predictor("efficientnet_lite0")
    gradcam = gradcam_for(predictor.model)
    decoded = np.stack([load_image(p, gradcam.image_size) for p in paths])
    started = time.perf_counter()
    gradcam.maps(decoded[:BATCH])  # traces the graph
    trace_s = time.perf_counter() - started
    started = time.perf_counter()
    gradcam.maps(decoded)
    heatmaps_s = (time.perf_counter() - started) / len(paths)
    started = time.perf_counter()
    explain_images(gradcam, predictor.class_names, paths, out_dir=_WORK / "overlays")
    end_to_end_s = (time.perf_counter() - started) / len(paths)
    report = {"backbone": "efficientnet_lite0", "input": gradcam.image_size, "layer": gradcam.layer,
              "images": len(paths), "pixels": args.pixels, "first_batch_with_tracing_s": round(trace_s, 2),
              "heatmaps_s_per_image": round(heatmaps_s, 4), "end_to_end_s_per_image": round(end_to_end_s, 4),
              "cpus": os.cpu_count()}
    print(json.dumps(report) if args.json else "\n".join(f"{k:28s} {v}" for k, v in report.items()))


if __name__ == "__main__":
    main()
