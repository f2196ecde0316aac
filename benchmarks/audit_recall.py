"""Near-duplicate recall of the data audit (issue 24, item 9): planted copies found, groups reported in all.

Why: a copy of a training image in the validation set inflates validation accuracy, and the copies that
occur in practice are rarely byte-identical: a figure is exported again at another size, a folder is
converted to JPEG. The audit must find those copies without flooding its list with look-alikes (500
handwritten digits hold many pairs of similar "1"s that are different images).

The set: scikit-learn's real handwritten digits at 28 px (benchmarks/real_digits.py), 45 per class to
"train" and 5 per class to "validation" (500 in all), then 8 training images planted into validation
(same class): 4 exact copies (the same file under another name) and 4 resized to 36 px (bicubic) and
saved as JPEG (quality 75). The audit runs with the default backbone (EfficientNet-Lite0, offline
weights). Printed: how many of the 8 planted pairs share a duplicate group, and how many groups were
reported in all (exact + near).

Usage:  .venv/bin/python benchmarks/audit_recall.py [--seed 0] [--work DIR] [--json]
(--work keeps the images and the embedding cache there, so a second run only re-reads the cache.)
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from PIL import Image  # noqa: E402

TRAIN_PER_CLASS, VAL_PER_CLASS = 45, 5
EXACT, RESIZED = 4, 4
COPY_SIZE, COPY_QUALITY = 36, 75


def build(work: Path, seed: int) -> tuple[Path, Path, list[tuple[str, str, str]]]:
    """The train and validation folders and the planted pairs (kind, original, copy), absolute paths."""
    from benchmarks.real_digits import write_digits

    parts = write_digits(work / "digits", {"train": TRAIN_PER_CLASS, "val": VAL_PER_CLASS}, seed=seed)
    train, val = parts["train"], parts["val"]
    originals = sorted(train.glob("*/*.png"))
    picks = [originals[i] for i in range(0, len(originals), len(originals) // (EXACT + RESIZED))][:EXACT + RESIZED]
    planted = []
    for number, original in enumerate(picks):
        target_folder = val / original.parent.name
        if number < EXACT:
            copy = target_folder / f"copy_{original.stem}.png"
            shutil.copyfile(original, copy)
            planted.append(("exact", str(original.resolve()), str(copy.resolve())))
        else:
            copy = target_folder / f"copy_{original.stem}.jpg"
            with Image.open(original) as image:
                image.convert("RGB").resize((COPY_SIZE, COPY_SIZE), Image.Resampling.BICUBIC).save(
                    copy, "JPEG", quality=COPY_QUALITY)
            planted.append(("resized JPEG", str(original.resolve()), str(copy.resolve())))
    return train, val, planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=None, help="keep images and caches here (reused)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="fts-audit-recall-"))
    os.environ["FTS_CACHE_DIR"] = str(work / "cache")
    os.environ.setdefault("FTS_DATA_DIR", str(work / "data"))
    if (work / "planted.json").is_file():
        planted = [tuple(p) for p in json.loads((work / "planted.json").read_text())]
        train, val = work / "digits" / "train", work / "digits" / "val"
    else:
        train, val, planted = build(work, args.seed)
        (work / "planted.json").write_text(json.dumps(planted))
    from core.insight.audit import run_audit

    started = time.perf_counter()
    report = run_audit(train, val)
    elapsed = time.perf_counter() - started
    groups = [set(d["paths"]) for d in report.duplicates]
    found = [(kind, any({a, b} <= g for g in groups)) for kind, a, b in planted]
    kinds = {}
    for d in report.duplicates:
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    result = {"images": report.images, "planted": len(planted), "found": sum(ok for _, ok in found),
              "found_exact": sum(ok for kind, ok in found if kind == "exact"),
              "found_resized": sum(ok for kind, ok in found if kind != "exact"),
              "groups": len(report.duplicates), "groups_by_kind": kinds, "near_threshold": report.near_threshold,
              "seconds": round(elapsed, 1)}
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['images']} images, {len(planted)} planted train/validation copies "
          f"({EXACT} exact, {RESIZED} resized to {COPY_SIZE} px JPEG)")
    print(f"found {result['found']} of {len(planted)} (exact {result['found_exact']}/{EXACT}, "
          f"resized {result['found_resized']}/{RESIZED}); {result['groups']} duplicate groups in all {kinds}; "
          f"near threshold {report.near_threshold}; {elapsed:.0f} s")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
