"""An independent numpy forward pass of an EfficientNet-Lite PyTorch checkpoint: the reference the
Keras models are checked against.

Why: PyTorch is not installed, so the original model cannot be run; this re-implements the
reference model's forward pass (the EfficientNet-Lite-PyTorch package the weight files were made
for: lukemelas-style static "same" padding like TensorFlow's, BatchNorm eps 1e-3, ReLU6, no
squeeze-excite) directly on the checkpoint's raw tensors in PyTorch's layout (NCHW activations,
OIHW kernels), in float64. It shares no code with ``core.backbones.lite_architecture`` /
``lite_weights``: the block list is read from the tensors themselves (which blocks exist, their
kernel sizes, widths, whether they expand); only the stage strides come from the TensorFlow
reference's block strings (``s11, s22, s22, s22, s11, s22, s11``), since a checkpoint cannot hold them.

Run ``python -m tests.core.lite_reference`` to regenerate ``lite_reference_logits.npz`` (the stored
logits ``test_lite_family.py`` compares with).
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

STAGE_STRIDES = (1, 2, 2, 2, 1, 2, 1)  # TF efficientnet_lite builder: 'r1_k3_s11_...', 'r2_k3_s22_...', ...
BN_EPS = 1e-3
LOGITS_FILE = Path(__file__).with_name("lite_reference_logits.npz")
PHOTOS = ("chelsea", "coffee", "rocket")


def reference_input(photo: str, size: int) -> np.ndarray:
    """A skimage photo resized (PIL bilinear) and scaled as the Lite models expect, as NHWC float32."""
    from PIL import Image
    from skimage import data

    pixels = Image.fromarray(getattr(data, photo)()).resize((size, size), Image.BILINEAR)
    return ((np.asarray(pixels, np.float32) - 127.0) / 128.0)[None]


def _same_pad(x: np.ndarray, kernel: int, stride: int) -> np.ndarray:
    """TensorFlow 'SAME': the extra pixel of an odd total goes to the bottom/right."""
    _, _, h, w = x.shape
    pads = []
    for size in (h, w):
        total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(x, ((0, 0), (0, 0), pads[0], pads[1]))


def _windows(x: np.ndarray, kernel: int, stride: int) -> tuple[np.ndarray, int, int]:
    """All kernel offsets of the padded input: (kh, kw, N, C, H_out, W_out) views, strided."""
    x = _same_pad(x, kernel, stride)
    h_out = (x.shape[2] - kernel) // stride + 1
    w_out = (x.shape[3] - kernel) // stride + 1
    views = [[x[:, :, i:i + stride * h_out:stride, j:j + stride * w_out:stride] for j in range(kernel)]
             for i in range(kernel)]
    return np.array(views), h_out, w_out


def conv(x: np.ndarray, weight: np.ndarray, stride: int = 1) -> np.ndarray:
    """Dense convolution, OIHW kernel, no bias."""
    if weight.shape[2:] == (1, 1) and stride == 1:
        return np.einsum("nchw,oc->nohw", x, weight[:, :, 0, 0], optimize=True)
    views, _, _ = _windows(x, weight.shape[2], stride)
    return np.einsum("ijnchw,ocij->nohw", views, weight, optimize=True)


def depthwise(x: np.ndarray, weight: np.ndarray, stride: int) -> np.ndarray:
    """Depthwise convolution, kernel (C, 1, kh, kw)."""
    views, _, _ = _windows(x, weight.shape[2], stride)
    return np.einsum("ijnchw,cij->nchw", views, weight[:, 0], optimize=True)


def batchnorm(x: np.ndarray, state: dict[str, np.ndarray], prefix: str) -> np.ndarray:
    scale = state[f"{prefix}.weight"] / np.sqrt(state[f"{prefix}.running_var"] + BN_EPS)
    shift = state[f"{prefix}.bias"] - state[f"{prefix}.running_mean"] * scale
    return x * scale[None, :, None, None] + shift[None, :, None, None]


def relu6(x: np.ndarray) -> np.ndarray:
    return np.clip(x, 0.0, 6.0)


def block_strides(state: dict[str, np.ndarray]) -> list[int]:
    """Each block's stride: a stage starts where a block changes the width (or at block 0)."""
    count = 1 + max(int(m.group(1)) for k in state if (m := re.match(r"_blocks\.(\d+)\.", k)))
    strides, stage = [], -1
    for i in range(count):
        project = state[f"_blocks.{i}._project_conv.weight"]
        width_in = state[f"_blocks.{i}._depthwise_conv.weight"].shape[0]
        if f"_blocks.{i}._expand_conv.weight" in state:
            width_in = state[f"_blocks.{i}._expand_conv.weight"].shape[1]
        starts = i == 0 or project.shape[0] != width_in
        stage += starts
        strides.append(STAGE_STRIDES[stage] if starts else 1)
    assert stage == len(STAGE_STRIDES) - 1, f"found {stage + 1} stages"
    return strides


def logits(state: dict[str, np.ndarray], image_nhwc: np.ndarray) -> np.ndarray:
    """ImageNet logits (N, 1000) of the checkpoint for preprocessed NHWC images, in float64."""
    s = {k: v.astype(np.float64) for k, v in state.items() if not k.endswith("num_batches_tracked")}
    x = np.transpose(image_nhwc.astype(np.float64), (0, 3, 1, 2))
    x = relu6(batchnorm(conv(x, s["_conv_stem.weight"], 2), s, "_bn0"))
    for i, stride in enumerate(block_strides(state)):
        p = f"_blocks.{i}"
        inputs = x
        if f"{p}._expand_conv.weight" in s:
            x = relu6(batchnorm(conv(x, s[f"{p}._expand_conv.weight"]), s, f"{p}._bn0"))
        x = relu6(batchnorm(depthwise(x, s[f"{p}._depthwise_conv.weight"], stride), s, f"{p}._bn1"))
        x = batchnorm(conv(x, s[f"{p}._project_conv.weight"]), s, f"{p}._bn2")
        if stride == 1 and x.shape == inputs.shape:
            x = x + inputs
    x = relu6(batchnorm(conv(x, s["_conv_head.weight"]), s, "_bn1"))
    pooled = x.mean(axis=(2, 3))
    return pooled @ s["_fc.weight"].T + s["_fc.bias"]


def write_reference_logits() -> dict[str, np.ndarray]:
    """Compute and store the reference logits of every Lite size for the reference photos."""
    from core.backbones.efficientnet_lite import VARIANTS, torch_weights_path
    from core.backbones.torch_pickle import load_torch_state_dict

    stored = {}
    for name, lite in VARIANTS.items():
        state = load_torch_state_dict(torch_weights_path(name))
        for photo in PHOTOS:
            stored[f"{name}/{photo}"] = logits(state, reference_input(photo, lite.size))[0].astype(np.float32)
    np.savez_compressed(LOGITS_FILE, **stored)
    return stored


if __name__ == "__main__":
    for key, values in write_reference_logits().items():
        print(key, int(values.argmax()), float(values.max()))
