"""Grad-CAM for image files: heatmaps on the original images, as overlay PNGs or small previews.

The model sees each image stretched to its square input; the map is stretched back over the
original, so ``peak`` is in the original image's pixel coordinates. Images are read in batches
(one traced forward and backward pass per batch), and an unreadable file gets its reason instead
of stopping the others, as everywhere else. Overlay files are written atomically (a hidden
temporary file linked into place) and never replace an existing file, not even one that appears
while this runs: a clash gets a suffix.
"""
from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Sequence

import numpy as np
from PIL import Image, ImageOps

from core.data.image_files import check_png_rows, decoding_slot, open_image
from core.data.scan import _to_rgb, decode_error_reason, load_image  # the one RGB conversion of the app
from core.events import EventSink, Progress, ignore_events
from core.files import write_new_file
from core.insight.gradcam import GradCam, HeatmapShape

ALPHA = 0.45  # how much of the heatmap covers the image: the image stays readable underneath
COLORMAP = "jet"
OVERLAY_SUFFIX = ".gradcam.png"
BATCH = 16


@dataclass
class Explanation:
    """One image's answer: the class explained, its probability, the map and where it peaks."""

    source: str
    label: str | None = None
    probability: float | None = None
    peak: tuple[int, int] | None = None  # [x, y] in the original image's pixels
    size: tuple[int, int] | None = None  # the original (width, height)
    heatmap: np.ndarray | None = None  # (h, w) at the layer's resolution, 0..1 (float16: it crosses the pipe)
    overlay: str | None = None  # the PNG written (absolute path), when asked for files
    preview: bytes | None = None  # a PNG of the overlay, at most ``preview_side`` px, when asked for
    error: str | None = None  # why the image could not be explained (the others still are)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"image": self.source, "label": self.label, "probability": self.probability,
                               "peak": list(self.peak) if self.peak else None, "overlay": self.overlay}
        if self.error:
            out["error"] = self.error
        return out


def read_original(path: str | Path) -> np.ndarray:
    """The whole image as 8-bit RGB (H, W, 3), EXIF orientation applied, with the same checks and
    conversion as :func:`core.data.scan.load_image` (which the model's pixels come from)."""
    with open_image(path) as (image, stream):
        with decoding_slot(image):
            image.load()
            if image.format == "PNG":
                check_png_rows(stream, image)
            return np.asarray(_to_rgb(ImageOps.exif_transpose(image)))


def overlay(original: np.ndarray, heat: np.ndarray, alpha: float = ALPHA) -> np.ndarray:
    """``heat`` (0..1, the image's size) in a jet-like colormap blended over ``original`` (uint8)."""
    from matplotlib import colormaps

    colours = colormaps[COLORMAP](np.clip(heat, 0.0, 1.0))[..., :3] * 255.0
    return np.clip((1 - alpha) * original.astype(np.float32) + alpha * colours, 0, 255).astype(np.uint8)


def overlay_names(folder: Path, stem: str, taken: set[str]) -> Iterator[Path]:
    """``stem.gradcam.png`` in ``folder``, then ``stem (2).gradcam.png``... (names this run gave out left out)."""
    for number in range(1, 100_000):
        name = f"{stem}{'' if number == 1 else f' ({number})'}{OVERLAY_SUFFIX}"
        if name not in taken and not (folder / name).exists():
            yield folder / name


def write_overlay(pixels: np.ndarray, folder: Path, stem: str, taken: set[str]) -> Path:
    """Write ``pixels`` as a PNG under the first free overlay name and return it: the name is claimed
    atomically (core.files.write_new_file), so a file that appears meanwhile is never replaced."""
    def save(stream: BinaryIO) -> None:
        Image.fromarray(pixels).save(stream, format="PNG")

    target = write_new_file(overlay_names(folder, stem, taken), save, fsync=False)
    taken.add(target.name)
    return target


def explain_images(gradcam: GradCam, class_names: Sequence[str], images: Sequence[str | Path],
                   class_index: int | None = None, out_dir: str | Path | None = None,
                   preview_side: int | None = None, sink: EventSink = ignore_events,
                   cancel: threading.Event | None = None,
                   each: Callable[[Explanation], None] | None = None) -> list[Explanation]:
    """Explain each image (the predicted class, or ``class_index``); with ``out_dir`` write one
    overlay PNG per image at its original size, with ``preview_side`` keep a small overlay PNG in
    memory. Batches of :data:`BATCH` images: decoding never holds a whole folder in memory."""
    folder = None if out_dir is None else Path(out_dir).expanduser().resolve()
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    results: list[Explanation] = []
    for start in range(0, len(images), BATCH):
        if cancel is not None and cancel.is_set():
            break
        chunk = [str(p) for p in images[start:start + BATCH]]
        found: list[Explanation | None] = [None] * len(chunk)
        pixels, readable = [], []
        for position, source in enumerate(chunk):
            try:
                pixels.append(load_image(source, gradcam.image_size))
                readable.append(position)
            except Exception as error:  # a bad file is named, never fatal
                found[position] = Explanation(source, error=decode_error_reason(error))
        if pixels:
            classes = None if class_index is None else [class_index] * len(pixels)
            heat, probabilities, targets = gradcam.maps(np.stack(pixels), classes)
            for position, cam, row, target in zip(readable, heat, probabilities, targets):
                found[position] = _render(chunk[position], cam, float(row[target]), class_names[int(target)],
                                          folder, preview_side, taken)
        done = min(start + BATCH, len(images))
        sink(Progress.of("explain", done, len(images), "overlays.explaining", done=done, n_images=len(images)))
        for result in found:
            results.append(result)
            if each is not None:
                each(result)
    return results


def _render(source: str, cam: np.ndarray, probability: float, label: str, folder: Path | None,
            preview_side: int | None, taken: set[str]) -> Explanation:
    """The overlay of one image (original size for a file, small for a preview) and its peak."""
    result = Explanation(str(Path(source).resolve()) if folder else source, label, round(probability, 6),
                         heatmap=cam.astype(np.float16))
    try:
        original = read_original(source)
    except Exception as error:  # gone or changed since the model read it
        result.error = decode_error_reason(error)
        return result
    height, width = original.shape[:2]
    shape = HeatmapShape(width, height)
    result.size, result.peak = (width, height), shape.peak(cam)
    if folder is not None:
        heat = shape.upsample(cam)
        result.overlay = str(write_overlay(overlay(original, heat), folder, Path(source).stem, taken))
    if preview_side:
        scale = min(1.0, preview_side / max(width, height))
        small = (max(1, round(width * scale)), max(1, round(height * scale)))
        image = np.asarray(Image.fromarray(original).resize(small, Image.BILINEAR)) if scale < 1 else original
        heat = shape.upsample(cam, *small)
        buffer = io.BytesIO()
        Image.fromarray(overlay(image, heat)).save(buffer, format="PNG")
        result.preview = buffer.getvalue()
    return result
