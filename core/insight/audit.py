"""Check my data: duplicates (exact and near, with their scope), suspected mislabelled images and
outliers, from the backbone's pooled embeddings (cached: core/insight/embeddings.py).

Why: a lab must trust its data before it trusts a model's numbers. The same image in training and
validation inflates validation accuracy; the same image under two classes teaches a contradiction;
a mislabelled or blank image costs accuracy and hides in a folder of thousands. How each finding
is computed is in :mod:`core.insight.findings`; this module reads the folders, runs the backbone
and assembles the :class:`AuditReport` both fronts show. Files on the exclusion list are left out
(the user has dealt with them); unreadable files are skipped and named, never the run.
"""
from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from core.backbones import DEFAULT_BACKBONE, get_backbone
from core.data.image_files import open_image
from core.data.scan import _to_rgb, load_image, scan_folder
from core.errors import TrainingCancelled
from core.events import EventSink, LogMessage, Progress, ignore_events
from core.insight import findings
from core.insight.embeddings import check_image_size, embed_files, perceptual_hash, perceptual_of
from core.training import memory

BATCH_SIZE = 32  # images per embedding step, unless memory asks for fewer
CALIBRATION_SAMPLES = 24  # images whose altered copies calibrate the near-duplicate threshold
CALIBRATION_MAX_SIDE = 512  # sample images are read at most this large (enough for the alterations)


@dataclass
class AuditReport:
    """What Check my data found; :meth:`to_json` is the CLI's ``--json`` object."""

    duplicates: list[dict[str, Any]]
    suspected_mislabeled: list[dict[str, Any]]
    outliers: list[dict[str, Any]]
    skipped: list[dict[str, str]]
    class_names: list[str] = field(default_factory=list)
    data_dir: str = ""
    val_dir: str | None = None
    images: int = 0
    excluded: int = 0
    near_threshold: float | None = None
    notes: list[str] = field(default_factory=list)
    suggested_group_by: str | None = None  # a keep-together rule that would hold the copies together

    def to_json(self) -> dict[str, Any]:
        return {"duplicates": self.duplicates, "suspected_mislabeled": self.suspected_mislabeled,
                "outliers": self.outliers, "skipped": self.skipped}

    def to_dict(self) -> dict[str, Any]:
        """Everything, for the window (plain types: it crosses the process boundary as is)."""
        return {**self.to_json(), "class_names": self.class_names, "data_dir": self.data_dir,
                "val_dir": self.val_dir, "images": self.images, "excluded": self.excluded,
                "near_threshold": self.near_threshold, "notes": self.notes,
                "suggested_group_by": self.suggested_group_by}


def _absolute(path: Path) -> str:
    return os.path.abspath(os.path.expanduser(str(path)))


def _altered_copies(path: Path) -> list[Image.Image]:
    """The image, then it resized to 60 %, re-encoded as JPEG (quality 75) and 5 % cropped from each side."""
    with open_image(path) as (image, _):
        image.draft("RGB", (CALIBRATION_MAX_SIDE, CALIBRATION_MAX_SIDE))
        image.load()
        original = _to_rgb(image)
        original.thumbnail((CALIBRATION_MAX_SIDE, CALIBRATION_MAX_SIDE))
    width, height = original.size
    smaller = original.resize((max(1, int(width * 0.6)), max(1, int(height * 0.6))), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    original.save(buffer, "JPEG", quality=75)
    reencoded = Image.open(io.BytesIO(buffer.getvalue()))
    dx, dy = int(width * 0.05), int(height * 0.05)
    cropped = original.crop((dx, dy, width - dx, height - dy))
    return [original, smaller, reencoded, cropped]


def _copy_similarities(model: Any, files: list[Path], rows: np.ndarray, centre: np.ndarray, size: int,
                       seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Cosine similarity of sample images to their own altered copies (findings' docstring), and the
    bits by which the copies' perceptual hashes differ from their original's."""
    from core.training.features import run_batched

    rng = np.random.default_rng(seed)
    picks = rng.permutation(len(files))[:CALIBRATION_SAMPLES]
    copies, owners, bits = [], [], []
    for index in picks:
        try:
            original, *altered = _altered_copies(files[index])
            pixels = [load_image(copy, size) for copy in altered]
            own = perceptual_hash(original)
            bits.extend(int(findings.hamming(own, perceptual_hash(copy))) for copy in altered)
        except Exception:  # noqa: BLE001 - an image that cannot be altered just does not calibrate
            continue
        copies.extend(pixels)
        owners.extend([index] * len(altered))
    if not copies:
        return np.zeros(0), np.zeros(0, int)
    embedded = findings.unit_rows(run_batched(model, np.stack(copies)), centre)
    return np.einsum("ij,ij->i", embedded, rows[owners]), np.asarray(bits, int)


def _suggest_grouping(report: AuditReport, roots: list[Path]) -> None:
    """Copies on both sides of a split inflate validation accuracy: say so, with a keep-together rule
    guessed from the copies' folders and names (core.data.groups.suggest_group_by). With a validation
    folder, the copies that span it; without, every set of copies, as a random split would part them."""
    from core.data.groups import suggest_group_by
    from core.wording import plural

    sets = [d["paths"] for d in report.duplicates if report.val_dir is None or d["scope"] == "train-val"]
    if not sets:
        return
    rule = suggest_group_by(sets, [_absolute(r) for r in roots])
    report.suggested_group_by = rule
    flag = f"--group-by '{rule}'" if rule else "--group-by subfolder, or a file-name pattern such as '^(slide\\d+)_'"
    if report.val_dir is not None:
        report.notes.append(f"{plural(len(sets), 'train/validation copy', 'train/validation copies')}: validation "
                            "accuracy is inflated. Keep images of the same slide, animal or plate together: in one "
                            f"folder, or train without a validation folder and with {flag}.")
    else:
        report.notes.append(f"{plural(len(sets), 'set')} of copies would fall on both sides of a random validation "
                            f"split: keep images of the same slide, animal or plate together ({flag}).")


def run_audit(data_dir: str | Path, val_dir: str | Path | None = None, backbone: str = DEFAULT_BACKBONE,
              weights: Any = "imagenet", image_size: int | None = None, sink: EventSink = ignore_events,
              cancel: threading.Event | None = None, use_cache: bool = True, seed: int = 0) -> AuditReport:
    """Audit the class folders of ``data_dir`` (and ``val_dir``, same classes): see the module docstring."""
    spec = get_backbone(backbone)
    size = spec.input_size if image_size is None else image_size  # 0 is an error, not "the default"
    check_image_size(backbone, size)  # before the folders are read: a huge size would exhaust the machine
    sink(Progress.of("scan", 0, 1, "audit.scanning", data_dir=data_dir))
    train = scan_folder(data_dir)
    val = scan_folder(val_dir, expected_classes=train.class_names) if val_dir else None
    parts = [train] + ([val] if val is not None else [])
    files = [f for part in parts for f in part.files]
    labels = np.asarray([l for part in parts for l in part.labels], int)
    in_val = np.asarray([i >= len(train) for i in range(len(files))], bool)
    skipped = [{"path": _absolute(s.path), "reason": s.reason} for part in parts for s in part.skipped]
    excluded = sum(len(part.excluded) for part in parts)
    model_box: list[Any] = []

    def model() -> Any:
        if not model_box:
            from core.training.features import embedding_model

            model_box.append(embedding_model(backbone, weights, size))
        return model_box[0]

    # Inference gives the same embeddings at any batch size: a batch that would not fit is made smaller.
    batch = memory.check_memory(backbone, size, BATCH_SIZE, len(files), training=False, reduce_batch=True,
                                what="Checking the data")
    embedded = embed_files(files, model, backbone, weights, size, sink, cancel, use_cache, batch_size=batch)
    for index, reason in sorted(embedded.failures.items()):
        skipped.append({"path": _absolute(files[index]), "reason": reason})
    keep = embedded.kept(len(files))
    files, labels, in_val = [files[i] for i in keep], labels[keep], in_val[keep]
    paths = [_absolute(f) for f in files]
    report = AuditReport([], [], [], skipped, list(train.class_names), _absolute(Path(data_dir)),
                         _absolute(Path(val_dir)) if val_dir else None, len(files), excluded)
    if len(files) < 2:
        report.notes.append("Fewer than two readable images: nothing to compare.")
        return report
    hashes = embedded.hashes

    def check_cancel() -> None:
        if cancel is not None and cancel.is_set():
            raise TrainingCancelled("Check cancelled.")

    # Exact duplicates: the same decoded pixels.
    by_hash: dict[str, list[int]] = {}
    for index, digest in enumerate(hashes):
        by_hash.setdefault(digest, []).append(index)
    for members in sorted((m for m in by_hash.values() if len(m) > 1), key=lambda m: m[0]):
        report.duplicates.append({"kind": "exact", "scope": findings.scope(members, labels, in_val),
                                  "paths": [paths[i] for i in members]})
    # Near duplicates: centred cosine above the calibrated threshold (exact copies of each other excluded).
    check_cancel()
    sink(LogMessage.of("audit.calibrating_near_duplicate_threshold"))
    centre = embedded.embeddings.mean(axis=0)
    unit = findings.unit_rows(embedded.embeddings, centre)
    copies, copy_bits = _copy_similarities(model(), files, unit, centre, size, seed)
    hash_ids = np.unique(np.asarray(hashes), return_inverse=True)[1].ravel()
    index, value = findings.neighbours(unit, hash_ids)
    threshold, separable = findings.near_threshold(copies, value[:, 0])
    report.near_threshold = round(threshold, 4)
    if not separable:
        report.notes.append("Near duplicates are approximate with this backbone: its features tell altered copies "
                            "from different images only partly, so check the pairs by eye.")
    # Pairs from the embeddings whose perceptual hashes differ more than any altered copy's are look-alikes;
    # pairs whose perceptual hashes (almost) agree are copies however far their embeddings moved.
    codes = perceptual_of(hashes)
    veto = findings.perceptual_veto(copy_bits)
    by_features = [(i, j) for i, j in findings.similar_pairs(index, value, threshold)
                   if findings.hamming(codes[i], codes[j]) <= veto]
    by_hash = findings.perceptual_pairs(codes, hash_ids)
    for group in findings.groups(len(files), sorted(set(by_features) | set(by_hash))):
        if len({hashes[i] for i in group}) > 1:
            report.duplicates.append({"kind": "near", "scope": findings.scope(group, labels, in_val),
                                      "paths": [paths[i] for i in group]})
    order = {"train-val": 0, "cross-class": 1, "same-class": 2}
    report.duplicates.sort(key=lambda d: (order[d["scope"]], d["kind"] != "exact", d["paths"]))
    _suggest_grouping(report, [Path(data_dir)] + ([Path(val_dir)] if val_dir else []))
    # Suspected mislabelled images: confident learning on out-of-fold probabilities.
    check_cancel()
    sink(Progress.of("audit", 0, 1, "audit.cross_validating_classifier_embeddings"))
    n_classes = len(train.class_names)
    probs, rows = findings.out_of_fold_probabilities(embedded.embeddings, labels, n_classes, seed)
    names = train.class_names
    report.suspected_mislabeled = [
        {"path": paths[i], "given": names[labels[i]], "suggested": names[k], "score": round(score, 4)}
        for i, k, score in findings.label_issues(probs, labels, rows)]
    # Outliers: far from every class.
    scores, _fence = findings.outlier_scores(unit, labels, n_classes)
    report.outliers = [{"path": paths[i], "score": round(float(scores[i]), 4)}
                       for i in np.argsort(-scores) if scores[i] > 1.0]
    sink(Progress.of("audit", 1, 1, "audit.check_finished"))
    return report
