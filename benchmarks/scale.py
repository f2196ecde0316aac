"""Larger than memory: time per epoch and peak memory as the dataset grows (1k, 10k, 50k images).

    .venv/bin/python benchmarks/scale.py [--sizes 1000 10000 50000] [--epochs 3] [--readme]

Synthetic JPEGs at 96 px (four colour classes with noise) are written once into a temporary folder;
each size and mode trains in its own process (fresh caches under a temporary FTS_CACHE_DIR, so every
run decodes its images once, and a fresh peak), with the cache memory budget at ``--memory-mb``
(default 16 MB: every size streams from the on-disk cache, which is what this measures). Modes:
*frozen* (the whole backbone frozen: one "head" phase on cached pooled features) and *last block*
(the default freeze point: the last block trains on cached activations at the cut).

Columns: *first epoch* includes scanning, decoding into the cache and the frozen layers' pass;
*later epoch* is the mean of epochs 2..N; *per 1k images* is later epoch / (images / 1000), flat
when time grows linearly; *peak RSS* is the process's high-water mark (VmHWM); *peak private* is
the largest anonymous resident memory sampled every 0.1 s (RssAnon: what the run itself holds;
RSS also counts file pages the kernel can drop at will). Memory is flat when neither grows with
the images. Weights: ``--weights imagenet`` for EfficientNet-Lite0 (offline), else random weights
with calibrated BatchNorm (speed and memory do not depend on the values).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "benchmarks" / "README.md"
MARK_BEGIN, MARK_END = "<!-- scale-table -->", "<!-- /scale-table -->"
COLORS = [(200, 60, 50), (50, 170, 70), (50, 70, 200), (200, 190, 60)]


def write_images(folder: Path, count: int, size: int = 96) -> None:
    """``count`` JPEGs in four class folders (kept between sizes: larger sets add files)."""
    from PIL import Image

    rng = np.random.default_rng(0)
    for index in range(count):
        label = index % len(COLORS)
        path = folder / f"class_{label}" / f"img_{index:06d}.jpg"
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        pixels = np.clip(np.asarray(COLORS[label]) + rng.normal(0, 30, (size, size, 3)), 0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(path, quality=90)


def link_subset(source: Path, target: Path, count: int) -> Path:
    """The first ``count`` images of ``source`` as hard links (no copies, no extra disk)."""
    for index in range(count):
        label = index % len(COLORS)
        name = Path(f"class_{label}") / f"img_{index:06d}.jpg"
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        if not (target / name).exists():
            os.link(source / name, target / name)
    return target


class MemorySampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_anon_kb = 0
        self.running = True

    @staticmethod
    def status() -> dict[str, int]:
        fields = {}
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if value.strip().endswith("kB"):
                fields[key] = int(value.split()[0])
        return fields

    def run(self) -> None:
        while self.running:
            self.peak_anon_kb = max(self.peak_anon_kb, self.status().get("RssAnon", 0))
            time.sleep(0.1)


def child(data_dir: str, mode: str, epochs: int, memory_mb: float, backbone: str, weights: str) -> dict:
    """One training run in this process; prints its figures as JSON."""
    sampler = MemorySampler()
    sampler.start()
    from core.backbones import get_backbone
    from core.events import EpochEnded
    from core.training.model import build_backbone, keras
    from core.training.trainer import TrainConfig, train

    spec = get_backbone(backbone)
    if weights == "random":
        keras.utils.set_random_seed(1)
        net = build_backbone(spec, None, 96)
        for layer in net.layers:
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.momentum = 0.0
        rng = np.random.default_rng(0)
        net((rng.uniform(-1, 1, (16, 96, 96, 3)) * rng.uniform(0, 1, (16, 1, 1, 3))).astype(np.float32), training=True)
        weights = str(Path(os.environ["FTS_CACHE_DIR"]) / f"{backbone}_random.weights.h5")
        net.save_weights(weights)
    else:
        net = build_backbone(spec, weights, 96)
    freeze = net.layers[-1].name if mode == "frozen" else None
    del net
    start_anon = MemorySampler.status().get("RssAnon", 0)
    ended: list[float] = []
    config = TrainConfig(data_dir=data_dir, backbone=backbone, weights=weights, freeze=freeze, epochs=epochs,
                         warmup_epochs=0, batch_size=32, image_size=96, val_split=0.1, cache_memory_mb=memory_mb)
    started = time.perf_counter()
    result = train(config, lambda event: ended.append(time.perf_counter() - started)
                   if isinstance(event, EpochEnded) else None)
    sampler.running = False
    status = MemorySampler.status()
    epochs_s = np.diff([0.0, *ended])
    return {"images": len(result.data.train) + len(result.data.val), "mode": mode, "first_epoch_s": epochs_s[0],
            "later_epoch_s": float(np.mean(epochs_s[1:])) if len(epochs_s) > 1 else float("nan"),
            "peak_rss_mb": status.get("VmHWM", 0) / 1024, "peak_private_mb": sampler.peak_anon_kb / 1024,
            "private_at_start_mb": start_anon / 1024, "cache": result.cache}


def table(rows: list[dict], label: str) -> str:
    lines = [f"{label}", "", "| images | mode | first epoch | later epoch | per 1k images | peak RSS | peak private |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        per_k = row["later_epoch_s"] / (row["images"] / 1000)
        lines.append(f"| {row['images']:,} | {row['mode']} | {row['first_epoch_s']:.1f} s | {row['later_epoch_s']:.2f} s "
                     f"| {per_k:.2f} s | {row['peak_rss_mb']:.0f} MB | {row['peak_private_mb']:.0f} MB |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--modes", nargs="+", default=["frozen", "last-block"], choices=["frozen", "last-block"])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--memory-mb", type=float, default=16.0)
    parser.add_argument("--backbone", default="mobilenet_v2_035")
    parser.add_argument("--weights", default="random", help="random (default) or imagenet (efficientnet_lite0)")
    parser.add_argument("--label", default="", help="a line above the table, e.g. the machine")
    parser.add_argument("--readme", action="store_true", help="rewrite the table in benchmarks/README.md")
    parser.add_argument("--child", nargs=2, metavar=("DATA_DIR", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child, args.epochs, args.memory_mb, args.backbone, args.weights), default=str))
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="fts-scale-") as tmp:
        source = Path(tmp) / "all"
        write_images(source, max(args.sizes))
        for size in sorted(args.sizes):
            data = link_subset(source, Path(tmp) / f"n{size}", size)
            for mode in args.modes:
                env = {**os.environ, "FTS_CACHE_DIR": tempfile.mkdtemp(dir=tmp), "PYTHONPATH": str(ROOT)}
                command = [sys.executable, __file__, "--child", str(data), mode, "--epochs", str(args.epochs),
                           "--memory-mb", str(args.memory_mb), "--backbone", args.backbone, "--weights", args.weights]
                done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
                rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
                print(json.dumps(rows[-1]), file=sys.stderr)
    label = args.label or f"{os.cpu_count()} CPUs, {args.backbone} ({args.weights} weights), 96 px, batch 32, " \
                          f"{args.epochs} epochs, cache memory budget {args.memory_mb:g} MB:"
    text = table(rows, label)
    print(text)
    if args.readme:
        readme = README.read_text()
        block = f"{MARK_BEGIN}\n{text}{MARK_END}"
        pattern = re.compile(re.escape(MARK_BEGIN) + ".*?" + re.escape(MARK_END), re.S)
        README.write_text(pattern.sub(lambda _: block, readme) if pattern.search(readme) else readme + "\n" + block + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
