"""Honest evaluation: where a model goes wrong, not only how often.

One function, :func:`evaluate_probabilities`, turns predicted probabilities and true labels into a
plain JSON-ready dict (accuracy with its Wilson 95 % interval, top-5, per-class precision/recall/F1/
support, confusion matrix, most confused pairs, hardest examples, the expected calibration error with
its reliability diagram, and one row per image for the GUI's gallery). Training runs it on
the validation split (metrics.json); ``python main.py evaluate`` runs it on any labelled folder.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from core.stats.calibration import expected_calibration_error, reliability_diagram
from core.stats.intervals import accuracy_summary
from core.wording import name_list, plural
from core.data.scan import ClassMismatchError, decode_images, scan_folder
from core.events import EventSink, Progress, ignore_events

EPS = 1e-7


def evaluate_probabilities(probabilities: np.ndarray, labels: Sequence[int], class_names: Sequence[str],
                           paths: Sequence[str | Path] | None = None, k: int = 5,
                           hardest: int = 20, noun: str = "validation image") -> dict[str, Any]:
    """All metrics for (N, C) probabilities; ``labels`` index ``class_names``; rows of the confusion
    matrix are true classes, columns predicted ones.

    ``accuracy_ci`` is the Wilson 95 % interval ([low, high], None without images), ``accuracy_text``
    the one wording ("92 % (85-96 %) on 100 validation images", ``noun`` names what was counted), and
    ``thin_evidence``/``accuracy_note`` say when a class present has under 30 images (a rough number);
    classes absent from the images are not counted against it, since the accuracy says nothing of them."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    probs = np.asarray(probabilities, np.float64).reshape(len(labels), len(class_names))
    labels = np.asarray(labels, np.int64)
    n_classes, n = len(class_names), len(labels)
    predicted = probs.argmax(axis=1) if n else np.zeros(0, np.int64)
    true_p = probs[np.arange(n), labels] if n else np.zeros(0)
    losses = -np.log(np.clip(true_p, EPS, 1.0))
    k = max(1, min(k, n_classes))
    rank = (probs > true_p[:, None]).sum(axis=1)  # how many classes score above the true one
    indices = list(range(n_classes))
    matrix = confusion_matrix(labels, predicted, labels=indices) if n else np.zeros((n_classes, n_classes), int)
    per_class, averages = [], {}
    if n:
        p, r, f, s = precision_recall_fscore_support(labels, predicted, labels=indices, zero_division=0)
        per_class = [{"class": name, "precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                      "support": int(s[i])} for i, name in enumerate(class_names)]
        for average in ("macro", "weighted"):
            p, r, f, _ = precision_recall_fscore_support(labels, predicted, labels=indices, average=average,
                                                         zero_division=0)
            averages[f"{average}_avg"] = {"precision": float(p), "recall": float(r), "f1": float(f)}
    support = np.bincount(labels, minlength=n_classes) if n else np.zeros(n_classes, int)
    summary = accuracy_summary(int(np.sum(predicted == labels)) if n else 0, n,
                               {class_names[i]: int(c) for i, c in enumerate(support) if c}, noun)
    names = [str(p) if p is not None else None for p in (paths if paths is not None else [None] * n)]
    confidence = probs[np.arange(n), predicted] if n else np.zeros(0)
    order = sorted(range(n), key=lambda i: (-losses[i], -confidence[i]))[:hardest]
    return {
        "n_images": n,
        "accuracy": float(np.mean(predicted == labels)) if n else None,
        "accuracy_ci": summary["accuracy_ci"],
        "accuracy_text": summary["text"],
        "thin_evidence": summary["thin_evidence"],
        "accuracy_note": summary["note"],
        "top_k": k,
        "top5_accuracy": float(np.mean(rank < k)) if n else None,
        "loss": float(np.mean(losses)) if n else None,
        "class_names": list(class_names),
        "per_class": per_class,
        **averages,
        "confusion_matrix": matrix.astype(int).tolist(),
        # of the probabilities as given (top label, 15 bins); see core.stats.calibration
        "ece": expected_calibration_error(probs, labels) if n else None,
        "reliability": reliability_diagram(probs, labels) if n else [],
        "most_confused": most_confused(matrix, class_names),
        "hardest": [{"path": names[i], "true": class_names[labels[i]], "predicted": class_names[predicted[i]],
                     "confidence": float(confidence[i]), "true_probability": float(true_p[i]),
                     "loss": float(losses[i]), "correct": bool(predicted[i] == labels[i])} for i in order],
        # one row per image (class indices), what the GUI's gallery filters by confusion-matrix cell
        "samples": [{"path": names[i], "true": int(labels[i]), "predicted": int(predicted[i]),
                     "confidence": float(confidence[i])} for i in range(n)],
    }


def most_confused(matrix: np.ndarray | list, class_names: Sequence[str], limit: int = 10) -> list[dict[str, Any]]:
    """Off-diagonal cells, largest first: the pairs of classes the model mixes up most."""
    matrix = np.asarray(matrix)
    support = matrix.sum(axis=1)
    pairs = [(int(matrix[t, p]), t, p) for t in range(len(matrix)) for p in range(len(matrix))
             if t != p and matrix[t, p] > 0]
    pairs.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [{"true": class_names[t], "predicted": class_names[p], "count": count,
             "fraction_of_true": count / int(support[t])} for count, t, p in pairs[:limit]]


def evaluate_folder(predictor: Any, data_dir: str | Path, sink: EventSink = ignore_events,
                    cancel: threading.Event | None = None, chunk: int = 256) -> dict[str, Any]:
    """Evaluate a Predictor on a labelled folder (class subfolders named like the model's classes).

    A folder may hold only some of the classes; a folder the model does not know is an error.
    Images are decoded in chunks so memory stays flat on large folders.
    """
    spec = scan_folder(data_dir)
    unknown = sorted(set(spec.class_names) - set(predictor.class_names))
    if unknown:
        raise ClassMismatchError.of("evaluate.model_does_not_know", unknown=name_list(unknown), data_dir=data_dir,
                                    class_names=name_list(predictor.class_names))
    index = {name: i for i, name in enumerate(predictor.class_names)}
    labels = [index[spec.class_names[label]] for label in spec.labels]
    predictor.expect(len(spec.files))  # a large folder pays for a faster runtime (core/runtime)
    probs, kept, skipped = [], [], [{"path": str(s.path), "reason": s.reason} for s in spec.skipped]
    for start in range(0, len(spec.files), chunk):
        if cancel is not None and cancel.is_set():
            raise InterruptedError("Evaluation cancelled.")
        files = spec.files[start:start + chunk]
        images, failures = decode_images(files, predictor.image_size, cancel=cancel)
        good = [i for i in range(len(files)) if i not in failures]
        skipped += [{"path": str(files[i]), "reason": reason} for i, reason in sorted(failures.items())]
        if good:
            probs.append(predictor.probabilities(images[good]))
            kept += [start + i for i in good]
        done = min(start + chunk, len(spec.files))
        sink(Progress.of("evaluate", done, len(spec.files), "evaluate.evaluating", done=done, n_files=len(spec.files)))
    probabilities = np.concatenate(probs) if probs else np.zeros((0, len(predictor.class_names)))
    truth = [labels[i] for i in kept]
    result = evaluate_probabilities(probabilities, truth, predictor.class_names, [spec.files[i] for i in kept],
                                    noun="image")
    return {**result, "calibration": calibration_check(predictor, probabilities, truth),
            "data_dir": str(data_dir), "skipped": skipped}


def calibration_check(predictor: Any, probabilities: np.ndarray, labels: Sequence[int]) -> dict[str, Any]:
    """How the bundle's calibration holds on these labelled images: the expected calibration error of
    the raw and of the calibrated probabilities (what predict shows), their reliability diagrams, and
    how often the prediction sets held the true class; ``calibrated`` False (with the note) for a
    bundle without statistics, whose "after" is its raw self."""
    statistics = getattr(predictor, "statistics", None)
    shown, sets = predictor.shown_probabilities(probabilities) if statistics is not None else (probabilities, None)
    labels = np.asarray(labels, np.int64)
    n = len(labels)
    out: dict[str, Any] = {
        "calibrated": statistics is not None,
        "note": None if statistics is not None else getattr(predictor, "calibration_note", None),
        "temperature": float(statistics["calibration"]["temperature"]) if statistics is not None else None,
        "floor": float(statistics["calibration"].get("floor", 0.0)) if statistics is not None else None,
        "ece_before": expected_calibration_error(probabilities, labels) if n else None,
        "ece_after": expected_calibration_error(shown, labels) if n else None,
        "reliability_after": reliability_diagram(shown, labels) if n else []}
    if sets is not None and n:
        out["set_coverage"] = float(np.mean([int(t) in s for s, t in zip(sets, labels)]))
        out["set_target"] = float(predictor.coverage or statistics["conformal"]["coverage"])
        out["mean_set_size"] = float(np.mean([len(s) for s in sets]))
    return out


def calibration_lines(calibration: dict[str, Any] | None) -> list[str]:
    """The calibration check in words (the CLI's text output)."""
    if not calibration or calibration.get("ece_before") is None:
        return []
    if not calibration["calibrated"]:
        return [f"expected calibration error {calibration['ece_before']:.1%} (uncalibrated: "
                f"{calibration.get('note') or 'no statistics'})"]
    floor = f", floor {calibration['floor']:.1%}" if calibration.get("floor") else ""
    lines = [f"expected calibration error {calibration['ece_before']:.1%} raw, {calibration['ece_after']:.1%} "
             f"calibrated (temperature {calibration['temperature']:.2f}{floor})"]
    if "set_coverage" in calibration:
        lines.append(f"prediction sets held the true class for {calibration['set_coverage']:.1%} of the images "
                     f"(promised {calibration['set_target']:.0%}; {calibration['mean_set_size']:.2f} classes per set)")
    return lines


def format_report(report: dict[str, Any], hardest: int = 10) -> str:
    """The evaluation as plain text for a terminal (the CLI's non-JSON output)."""
    if not report["n_images"]:
        return f"No readable images in {report.get('data_dir', 'the folder')}.\n"
    names = report["class_names"]
    width = max(12, *(len(n) for n in names))
    lines = [f"{plural(report['n_images'], 'image')}: accuracy {report['accuracy']:.3f}, top-{report['top_k']} accuracy "
             f"{report['top5_accuracy']:.3f}, mean loss {report['loss']:.4f}"]
    if report.get("accuracy_text"):  # reports saved before the intervals have none
        lines.append(f"accuracy {report['accuracy_text']} (95 % interval)")
    if report.get("accuracy_note"):
        lines.append(report["accuracy_note"])
    lines += calibration_lines(report.get("calibration"))
    lines += ["",
             f"{'class':{width}s} precision    recall        f1   support"]
    for row in report["per_class"]:
        lines.append(f"{row['class']:{width}s} {row['precision']:9.3f} {row['recall']:9.3f} {row['f1']:9.3f} "
                     f"{row['support']:9d}")
    macro = report["macro_avg"]
    lines += [f"{'macro avg':{width}s} {macro['precision']:9.3f} {macro['recall']:9.3f} {macro['f1']:9.3f}", "",
              "confusion matrix (rows: true class, columns: predicted, in the order above)"]
    lines += [f"{name:{width}s} " + " ".join(f"{v:5d}" for v in row)
              for name, row in zip(names, report["confusion_matrix"])]
    if report["most_confused"]:
        lines += ["", "most confused pairs"]
        lines += [f"  {p['count']:4d} x {p['true']} taken for {p['predicted']} ({p['fraction_of_true']:.0%} of "
                  f"{p['true']})" for p in report["most_confused"]]
    lines += ["", "hardest examples (highest loss)"]
    for item in report["hardest"][:hardest]:
        mark = "ok   " if item["correct"] else "WRONG"
        lines.append(f"  {mark} loss {item['loss']:6.3f}  true {item['true']}, predicted {item['predicted']} "
                     f"({item['confidence']:.0%})  {item['path']}")
    for item in report.get("skipped", []):
        lines.append(f"  skipped {item['path']}: {item['reason']}")
    return "\n".join(lines) + "\n"
