"""A data folder with planted problems for the audit tests (core and window): real image files.

Every image is a real texture (scikit-image's brick, grass or gravel photograph: real camera
noise, so re-encoding does not change what a pretrained network sees) tinted with its class's
colour, with a few outlined shapes at random places, so no two images are alike."""
from __future__ import annotations

import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

COLORS = {"blue": (40, 60, 200), "green": (40, 170, 60), "red": (200, 50, 40)}
SIZE = 128


def _texture(name: str):
    def load() -> np.ndarray:
        from skimage import data

        return getattr(data, name)()
    return load


TEXTURES = {COLORS["blue"]: _texture("gravel"), COLORS["green"]: _texture("grass"), COLORS["red"]: _texture("brick")}


def scene(color: tuple[int, int, int], rng: np.random.Generator, place: int) -> Image.Image:
    """The ``place``-th of the 16 non-overlapping 128 px tiles of the class's texture (so no two
    images share pixels), tinted, with outlined shapes."""
    texture = TEXTURES[color]()
    y, x = (place // 4) * SIZE, (place % 4) * SIZE
    grey = texture[y:y + SIZE, x:x + SIZE].astype(np.float64) / 255.0
    pixels = np.asarray(color, np.float64)[None, None] * (0.45 + 0.9 * grey[..., None])
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(2, 5))):
        cx, cy = rng.integers(10, SIZE - 10, 2)
        r = int(rng.integers(8, 28))
        shade = tuple(int(v) for v in rng.integers(0, 256, 3))
        box = [cx - r, cy - r, cx + r, cy + r] if rng.random() < 0.5 else [cx - r, cy - r // 2, cx + r, cy + r // 2]
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, outline=shade, width=4)
    return image


@dataclass
class Planted:
    train: Path
    val: Path
    exact_same_class: list[Path] = field(default_factory=list)  # groups of paths, flattened per kind below
    exact_other_format: list[Path] = field(default_factory=list)
    near_same_class: list[list[Path]] = field(default_factory=list)
    train_val_exact: list[Path] = field(default_factory=list)
    train_val_near: list[Path] = field(default_factory=list)
    cross_class: list[Path] = field(default_factory=list)
    moved: dict[Path, str] = field(default_factory=dict)  # path -> its true class
    outliers: list[Path] = field(default_factory=list)


def write_planted_dataset(root: Path, per_class: int = 12, per_class_val: int = 3, seed: int = 7) -> Planted:
    """Per class ``per_class`` training and ``per_class_val`` validation images (at most 15 together:
    one tile of each texture is left for the moved image), then the planted problems."""
    rng = np.random.default_rng(seed)
    places = {color: iter(rng.permutation(16).tolist()) for color in COLORS.values()}
    planted = Planted(root / "train", root / "val")
    for split, count in ((planted.train, per_class), (planted.val, per_class_val)):
        for name, color in COLORS.items():
            (split / name).mkdir(parents=True)
            for index in range(count):
                scene(color, rng, next(places[color])).save(split / name / f"{split.name}_{index:03d}.png")
    t = planted.train
    shutil.copyfile(t / "red/train_000.png", t / "red/train_000 copy.png")
    planted.exact_same_class = [t / "red/train_000.png", t / "red/train_000 copy.png"]
    Image.open(t / "green/train_001.png").save(t / "green/train_001.bmp")  # same pixels, other bytes
    planted.exact_other_format = [t / "green/train_001.png", t / "green/train_001.bmp"]
    original = Image.open(t / "blue/train_002.png")
    original.resize((100, 100), Image.Resampling.LANCZOS).save(t / "blue/train_002 small.png")
    Image.open(t / "red/train_003.png").save(t / "red/train_003.jpg", quality=90)
    original = Image.open(t / "green/train_004.png")
    original.crop((4, 4, SIZE - 4, SIZE - 4)).save(t / "green/train_004 cropped.png")
    planted.near_same_class = [[t / "blue/train_002.png", t / "blue/train_002 small.png"],
                               [t / "red/train_003.png", t / "red/train_003.jpg"],
                               [t / "green/train_004.png", t / "green/train_004 cropped.png"]]
    shutil.copyfile(t / "blue/train_005.png", planted.val / "blue/leaked.png")
    planted.train_val_exact = [t / "blue/train_005.png", planted.val / "blue/leaked.png"]
    buffer = io.BytesIO()
    Image.open(t / "red/train_006.png").resize((110, 110), Image.Resampling.LANCZOS).save(buffer, "JPEG", quality=90)
    (planted.val / "red/leaked small.jpg").write_bytes(buffer.getvalue())
    planted.train_val_near = [t / "red/train_006.png", planted.val / "red/leaked small.jpg"]
    shutil.copyfile(t / "red/train_007.png", t / "green/from red.png")
    planted.cross_class = [t / "green/from red.png", t / "red/train_007.png"]
    for index, (true, wrong) in enumerate((("red", "blue"), ("green", "red"), ("blue", "green"))):
        path = t / wrong / f"moved_{index}.png"
        scene(COLORS[true], rng, next(places[COLORS[true]])).save(path)
        planted.moved[path] = true
    Image.new("RGB", (SIZE, SIZE), (128, 128, 128)).save(t / "red/blank.png")
    noise = rng.integers(0, 256, (SIZE, SIZE, 3), dtype=np.uint8)
    Image.fromarray(noise).save(t / "blue/noise.png")
    planted.outliers = [t / "red/blank.png", t / "blue/noise.png"]
    return planted
