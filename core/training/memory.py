"""Will this run fit in memory? A TensorFlow-free estimate, compared with what the machine has, before any work.

Why: ``audit --image-size 99999`` and large batches at large sizes once grew to 23 GB resident until the
kernel killed the process, taking the user's other work down with it. TensorFlow gives no warning: it
allocates as it goes. So every run is estimated up front from what decides its memory (the backbone, the
image size, the batch size, the decoded-image cache) and refused, with the numbers in the message, when the
estimate exceeds the memory available; inference can simply use a smaller batch (its results do not depend
on the batch size), so it is reduced instead of refused.

The estimate is deliberately rough (within a factor of about 2 of measured peaks at 224 px): it exists to
catch settings that need ten or a thousand times the machine's memory, not to tune a batch size.
Parts, in bytes:

- ``activations``: ``batch x size^2 x`` a per-backbone number of bytes kept per input pixel (training keeps
  every layer's output for the backward pass; inference holds only a few layers at a time).
- ``weights``: float32 weights, plus gradient and two Adam moments when training (16 bytes a parameter).
- ``decoded images``: the uint8 decoded-image cache, at most its memory budget (beyond it, the cache is a
  memory map on disk: core.data.image_cache).
- ``runtime``: TensorFlow itself, its kernels and the Python process.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core.backbones import BACKBONES
from core.data.image_cache import default_memory_budget
from core.errors import SettingsError

# Bytes of activations kept per input pixel and image while training (float32, forward + backward),
# from published and measured peaks at 224 px; inference keeps INFERENCE_SHARE of it.
TRAINING_BYTES_PER_PIXEL: dict[str, int] = {
    "efficientnet_lite0": 2400, "efficientnet_b0": 3000, "efficientnet_v2_b0": 2400, "vgg16": 2600,
    "resnet50": 2200, "resnet50_v2": 2200, "inception_v3": 1400, "mobilenet": 1400, "mobilenet_v2": 1800,
    "mobilenet_v2_035": 700, "mobilenet_v3_small": 600, "mobilenet_v3_large": 1400, "densenet121": 3200,
    "xception": 2400, "convnext_tiny": 2000,
}
DEFAULT_BYTES_PER_PIXEL = 3000
INFERENCE_SHARE = 1 / 6
RUNTIME_BYTES = 1 << 30
HEADROOM = 0.9  # never plan to use the last 10 % of the available memory


def _gb(nbytes: float) -> str:
    return f"{nbytes / 2**30:.1f} GB" if nbytes < 100 * 2**30 else f"{nbytes / 2**30:,.0f} GB"


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes a run needs, by part (see the module docstring)."""

    parts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.parts.values())

    def describe(self) -> str:
        """"about 31.2 GB (activations 29.0 GB, weights 0.1 GB, ...)", largest part first."""
        parts = ", ".join(f"{name} {_gb(size)}" for name, size in sorted(self.parts.items(), key=lambda p: -p[1]))
        return f"about {_gb(self.total)} ({parts})"


def estimate_memory(backbone: str, image_size: int, batch_size: int, n_images: int, *, training: bool = True,
                    cache_budget: int | None = None) -> MemoryEstimate:
    """Estimated peak memory of a run of ``backbone`` at ``image_size`` px with ``batch_size`` images per step
    over ``n_images`` decoded images (0: images are decoded batch by batch, as predict does)."""
    spec = BACKBONES.get(backbone)
    per_pixel = TRAINING_BYTES_PER_PIXEL.get(backbone, DEFAULT_BYTES_PER_PIXEL)
    if not training:
        per_pixel = max(1, int(per_pixel * INFERENCE_SHARE))
    params = int((spec.params_m if spec is not None else 25.0) * 1e6)
    budget = default_memory_budget() if cache_budget is None else cache_budget
    decoded = n_images * image_size * image_size * 3
    return MemoryEstimate({
        "activations": batch_size * image_size * image_size * per_pixel,
        "weights": params * (16 if training else 4),
        "decoded images": min(decoded, budget) + batch_size * image_size * image_size * 3 * 4,  # + the float batch
        "runtime": RUNTIME_BYTES,
    })


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().split()[0]
    except (OSError, IndexError):
        return None
    return int(text) if text.isdigit() else None


def available_memory(proc: Path = Path("/proc"), cgroup: Path = Path("/sys/fs/cgroup")) -> int | None:
    """Bytes this process may still use: the kernel's MemAvailable, lowered to what is left under a cgroup
    (container) limit when there is one (v2 ``memory.max``, v1 ``memory.limit_in_bytes``). None when
    neither can be read (not Linux): the check is then skipped rather than guessed."""
    available = None
    try:
        for line in (proc / "meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                available = int(line.split()[1]) * 1024
                break
    except (OSError, ValueError, IndexError):
        pass
    for limit_file, usage_file in (("memory.max", "memory.current"),
                                   ("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes")):
        limit, usage = _read_int(cgroup / limit_file), _read_int(cgroup / usage_file)
        if limit is not None and limit < 1 << 60:  # v1 reports "no limit" as a huge number, v2 as "max"
            left = max(0, limit - (usage or 0))
            available = left if available is None else min(available, left)
            break
    return available


def fitting_batch_size(backbone: str, image_size: int, batch_size: int, n_images: int, available: int, *,
                       training: bool = True, cache_budget: int | None = None) -> int:
    """The largest batch size up to ``batch_size`` whose estimate fits ``available`` (with headroom); 0: none."""
    def fits(batch: int) -> bool:
        estimate = estimate_memory(backbone, image_size, batch, n_images, training=training, cache_budget=cache_budget)
        return estimate.total <= available * HEADROOM

    low, high = 0, batch_size
    while low < high:  # the estimate grows with the batch: bisect
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    return low


def check_memory(backbone: str, image_size: int, batch_size: int, n_images: int, *, training: bool = True,
                 reduce_batch: bool = False, cache_budget: int | None = None, available: int | None = None,
                 what: str = "This run") -> int:
    """The batch size to use, or :class:`SettingsError` with the numbers before any work.

    ``reduce_batch`` (inference: results do not depend on it) returns a smaller batch size that fits
    instead of refusing; training is refused instead, since a different batch size trains a different
    model and the user should choose. ``available`` defaults to :func:`available_memory`.
    """
    available = available_memory() if available is None else available
    if available is None:
        return batch_size
    estimate = estimate_memory(backbone, image_size, batch_size, n_images, training=training,
                               cache_budget=cache_budget)
    if estimate.total <= available * HEADROOM:
        return batch_size
    if reduce_batch:
        smaller = fitting_batch_size(backbone, image_size, batch_size, n_images, available, training=training,
                                     cache_budget=cache_budget)
        if smaller >= 1:
            return smaller
    raise SettingsError.of("memory.needs_px_batch_size", what=what, describe=estimate.describe(),
                           image_size=image_size, batch_size=batch_size, gb=_gb(available))
