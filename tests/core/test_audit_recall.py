"""The audit finds copies that were resized and re-encoded as JPEG, not only exact ones, without
reporting look-alike different images (issue 24, item 9): a perceptual hash beside the embeddings.

Real handwritten digits (scikit-learn's, upscaled to 28 px as benchmarks/real_digits.py does), small
enough that the backbone's embedding of a resized JPEG copy can sit among look-alikes."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.insight import findings
from core.insight.embeddings import perceptual_hash, perceptual_of, pixel_hash


def _digits(count: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    digits = load_digits()
    rng = np.random.default_rng(0)
    picks = rng.permutation(len(digits.images))[:count]
    images = [np.asarray(Image.fromarray((digits.images[i] * 255 / 16).astype(np.uint8), "L")
                         .resize((28, 28), Image.BICUBIC).convert("RGB")) for i in picks]
    return np.stack(images), digits.target[picks]


def _jpeg_copy(pixels: np.ndarray, side: int = 36) -> Image.Image:
    buffer = io.BytesIO()
    Image.fromarray(pixels).resize((side, side), Image.BICUBIC).save(buffer, "JPEG", quality=75)
    return Image.open(io.BytesIO(buffer.getvalue()))


def test_a_resized_jpeg_copy_keeps_its_perceptual_hash_and_other_digits_do_not() -> None:
    images, _ = _digits(300)
    codes = np.asarray([perceptual_hash(Image.fromarray(image)) for image in images], np.uint64)
    copies = np.asarray([perceptual_hash(_jpeg_copy(image)) for image in images[:40]], np.uint64)
    assert (findings.hamming(codes[:40], copies) <= findings.PERCEPTUAL_COPY_BITS).all()
    look_alikes = findings.perceptual_pairs(codes, np.arange(len(codes)))
    assert len(look_alikes) <= 1  # of 44,850 pairs of different digits
    with_copies = np.concatenate([codes, copies])
    ids = np.arange(len(with_copies))
    found = set(findings.perceptual_pairs(with_copies, ids))
    assert {(i, 300 + i) for i in range(40)} <= found


def test_perceptual_pairs_agree_with_all_pairs_and_skip_exact_copies() -> None:
    rng = np.random.default_rng(1)
    codes = rng.integers(0, 2**63, 400, dtype=np.int64).astype(np.uint64)
    codes[200:260] = codes[:60] ^ np.uint64(0b101)  # 2 bits apart
    codes[260:270] = codes[:10]  # equal hashes ...
    groups_of = np.arange(400)
    groups_of[260:270] = np.arange(10)  # ... of exact copies: left out
    everything = {(i, j) for i in range(400) for j in range(i + 1, 400)
                  if findings.hamming(codes[i], codes[j]) <= 2 and groups_of[i] != groups_of[j]}
    assert set(findings.perceptual_pairs(codes, groups_of, 2)) == everything
    assert len(everything) == 60 + 10  # each planted pair, and the planted copies of the exact copies


def test_pixel_hash_carries_the_perceptual_hash(tmp_path: Path) -> None:
    images, _ = _digits(2)
    Image.fromarray(images[0]).save(tmp_path / "a.png")
    Image.fromarray(images[0]).save(tmp_path / "a.bmp")
    _jpeg_copy(images[0]).save(tmp_path / "a.jpg")
    a, b, c = (pixel_hash(tmp_path / name) for name in ("a.png", "a.bmp", "a.jpg"))
    assert a == b and a != c
    codes = perceptual_of([a, c])
    assert findings.hamming(codes[0], codes[1]) <= findings.PERCEPTUAL_COPY_BITS


def test_the_audit_finds_resized_jpeg_copies_among_digits_without_look_alikes(tmp_path: Path) -> None:
    from core.insight.audit import run_audit

    images, labels = _digits(120)
    train, val = tmp_path / "train", tmp_path / "val"
    seen: dict[int, int] = {}
    for index, (image, label) in enumerate(zip(images, labels)):
        seen[label] = seen.get(label, -1) + 1
        folder = (val if seen[label] % 5 == 4 else train) / str(label)  # every class in both folders
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(image).save(folder / f"d{index:03d}.png")
    planted = []
    for index in [i for i in range(len(images)) if (train / str(labels[i]) / f"d{i:03d}.png").exists()][:4]:
        # training images, copied into validation as resized JPEGs
        original = train / str(labels[index]) / f"d{index:03d}.png"
        copy = val / str(labels[index]) / f"copy{index:03d}.jpg"
        copy.parent.mkdir(parents=True, exist_ok=True)
        _jpeg_copy(images[index]).save(copy)
        planted.append({str(original.absolute()), str(copy.absolute())})
    report = run_audit(train, val, "efficientnet_lite0", "imagenet", 64, use_cache=False)
    groups = [set(d["paths"]) for d in report.duplicates]
    assert all(any(pair <= group for group in groups) for pair in planted), report.duplicates
    assert len(groups) <= len(planted) + 2, report.duplicates  # look-alikes are not copies
