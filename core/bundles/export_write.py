"""The images :mod:`core.bundles.export` checks and calibrates with; the conversions themselves are
:func:`core.runtime.convert.write_model` (shared with the fast runtime of forward passes)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from core.data.scan import IMAGE_EXTENSIONS, load_image
from core.runtime.convert import ONNX_OPSET, write_model  # noqa: F401  (the conversions live there, shared)

MAX_CHECK_IMAGES = 2000  # the check is exact per image; beyond this it only costs time


def check_images(bundle: Any, check_dir: str | Path | None) -> tuple[list[str], np.ndarray, list[int | None], str]:
    """(names, uint8 pixels, true class index or None, where they came from): ``check_dir`` if
    given, else the bundle's validation images (config.json's split), else its training images."""
    if check_dir is not None:
        files, source = _listed(Path(check_dir).expanduser()), f"--check-dir {check_dir}"
    else:
        split = bundle.config.get("split") or {}
        files = [Path(p) for p in split.get("val") or [] if Path(p).is_file()]
        source = "the bundle's validation images"
        if not files:
            files = [Path(p) for p in split.get("train") or [] if Path(p).is_file()]
            source = "the bundle's training images"
    names, pixels, truth = [], [], []
    for path in files[:MAX_CHECK_IMAGES]:
        try:
            pixels.append(load_image(path, bundle.image_size))
        except Exception:  # an unreadable image cannot be compared; the others still are
            continue
        names.append(str(path))
        truth.append(bundle.class_names.index(path.parent.name) if path.parent.name in bundle.class_names else None)
    if not names:
        raise FileNotFoundError(f"No images to check the export with ({source} has none that can be read); "
                                "give a folder of images with --check-dir.")
    return names, np.stack(pixels), truth, source


def _listed(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise FileNotFoundError(f"The folder '{folder}' does not exist or is not a folder.")
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_EXTENSIONS and p.is_file())


def representative_images(bundle: Any, check_dir: str | Path | None) -> np.ndarray:
    """Calibration pixels for full-integer quantization: the training images (what the model will
    see), else the check images."""
    files = [Path(p) for p in (bundle.config.get("split") or {}).get("train") or [] if Path(p).is_file()]
    if not files and check_dir is not None:
        files = _listed(Path(check_dir).expanduser())
    step = max(1, len(files) // 100)
    pixels = []
    for path in files[::step][:100]:
        try:
            pixels.append(load_image(path, bundle.image_size))
        except Exception:
            continue
    if not pixels:
        raise FileNotFoundError("No training images left to calibrate the int8 model with; give --check-dir.")
    return np.stack(pixels)
