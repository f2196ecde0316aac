"""The door of ``explain``: a prediction explained (Grad-CAM), for both fronts.

The CLI's ``explain`` (core/cli/explain.py) and the window's engine handler (core/engine/handlers/explain.py)
call these; the work is in core/insight/gradcam.py and core/insight/overlays.py. What a user can get
wrong (a class the model does not have, an output folder that would mix overlays into the images)
is checked by :func:`check_explain` without TensorFlow, before any model is loaded.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Callable, Sequence

from core.errors import OutputTargetError, SettingsError
from core.events import EventSink, ignore_events

MAX_LABELS_BYTES = 16 << 20


def class_names_of(source: str | Path, imagenet_backbone: bool = False) -> list[str] | None:
    """The classes of a bundle (its labels.json) or of an ImageNet classifier, read without
    TensorFlow; None when they cannot be read here (loading the bundle will then say why)."""
    if imagenet_backbone:
        from core.backbones.imagenet import imagenet_class_names

        return list(imagenet_class_names())
    labels = Path(source).expanduser() / "labels.json"
    try:
        if labels.stat().st_size > MAX_LABELS_BYTES:
            return None
        names = json.loads(labels.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [str(name) for name in names] if isinstance(names, list) else None


def class_index(class_names: Sequence[str], class_name: str | None) -> int | None:
    """The index of ``class_name`` (None: explain the predicted class); an unknown name is refused."""
    if class_name is None:
        return None
    if class_name in class_names:
        return list(class_names).index(class_name)
    shown = ", ".join(list(class_names)[:12]) + (" …" if len(class_names) > 12 else "")
    raise SettingsError.of("explain.model_no_class_classes", class_name=class_name, classes=shown)


def check_explain(source: str | Path, images: Sequence[str | Path], out_dir: str | Path,
                  class_name: str | None = None, imagenet_backbone: bool = False) -> None:
    """Refuse, before any work: an unknown class, an output folder that is a file, holds an input
    image or sits inside the bundle's recorded training and validation folders (the overlays would
    join the user's images: the next training would read a class ``heatmaps``), and one that cannot
    be written (core.data.outputs). A folder beside a loose image (``~/Downloads/overlays`` for
    ``~/Downloads/x.png``) is allowed: it is not a dataset the command knows of."""
    from core.data.outputs import check_output_outside_datasets, check_output_writable, recorded_datasets

    if class_name is not None:
        names = class_names_of(source, imagenet_backbone)
        if names is not None:
            class_index(names, class_name)
    out = Path(out_dir).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise OutputTargetError.of("explain.output_file_give_folder", out_dir=out_dir)
    for image in images:
        folder = Path(image).expanduser().resolve().parent
        if folder == out or folder.is_relative_to(out):
            raise OutputTargetError.of("explain.output_folder_holds_image", out_dir=out_dir, image=image)
    check_output_outside_datasets(out_dir, [] if imagenet_backbone else recorded_datasets(source))
    check_output_writable(out_dir, folder=True)


def explainer(predictor: Any, layer: str | None = None) -> Any:
    """The Grad-CAM of a core.bundles.predict.Predictor's model (built once per model and layer)."""
    from core.insight.gradcam import gradcam_for

    return gradcam_for(predictor.model, layer)


def explain(predictor: Any, images: Sequence[str | Path], class_name: str | None = None,
            out_dir: str | Path | None = None, preview_side: int | None = None, layer: str | None = None,
            sink: EventSink = ignore_events, cancel: threading.Event | None = None,
            each: Callable[[Any], None] | None = None) -> list[Any]:
    """Grad-CAM for ``images`` with ``predictor``'s model: core.insight.overlays.Explanation per image
    (overlay files in ``out_dir``, small overlay PNGs with ``preview_side``)."""
    from core.insight.overlays import explain_images

    index = class_index(predictor.class_names, class_name)
    return explain_images(explainer(predictor, layer), predictor.class_names, images, index, out_dir,
                          preview_side, sink, cancel, each)


def run_explain(source: str | Path, images: Sequence[str | Path], out_dir: str | Path,
                class_name: str | None = None, imagenet_backbone: bool = False, layer: str | None = None,
                sink: EventSink = ignore_events, cancel: threading.Event | None = None,
                each: Callable[[Any], None] | None = None) -> list[Any]:
    """The CLI's ``explain``: a bundle folder's model (or a backbone's ImageNet classifier), one
    overlay PNG per image in ``out_dir``."""
    from core.jobs.predict import bundle_predictor, imagenet_predictor

    check_explain(source, images, out_dir, class_name, imagenet_backbone)
    predictor = imagenet_predictor(str(source)) if imagenet_backbone else bundle_predictor(source)
    return explain(predictor, images, class_name, out_dir, None, layer, sink, cancel, each)
