"""The report's calibration section (the reliability diagram) and its "Results on new images"
section (the counts per folder of ``predict FOLDER --summary counts.csv``), TensorFlow-free.

Why a section of its own for the counts, only when a summary is given: the report describes a model;
what the model found in a lab's new plates is a separate result, written by ``predict`` into a file
of the user's choosing (never into the dataset or the bundle). ``report BUNDLE --summary counts.csv``
brings the two together, with the one sentence on what "adjusted" means.
"""
from __future__ import annotations

import html
from typing import Any, Sequence

from core.wording import display

ADJUSTED_MEANING = ("“Adjusted” corrects each proportion for the model's own mistakes, measured on its validation "
                    "images (from each image's calibrated probabilities; for models saved before that, the "
                    "confusion matrix, inverted); it matters when a folder's mix of classes differs from the "
                    "training images' (a rare class is over-counted by the errors of the common ones). Its 95 % "
                    "interval includes the uncertainty of the validation images themselves.")


def _e(value: Any) -> str:
    return html.escape(display(str(value)), quote=True)


def _pct(value: Any) -> str:
    return "—" if value is None else f"{float(value):.1%}"


def reliability_png(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> str | None:
    """Accuracy against confidence per bin, raw and calibrated, with the diagonal of perfect calibration."""
    from matplotlib.figure import Figure

    from .figures import TRAIN, VAL, _png

    if not before:
        return None
    figure = Figure(figsize=(4.2, 3.6))
    ax = figure.subplots()
    ax.plot([0, 1], [0, 1], "--", color="#7a8699", linewidth=1, label="perfectly calibrated")
    for rows, color, label in ((before, VAL, "raw"), (after, TRAIN, "calibrated")):
        points = [(r["confidence"], r["accuracy"], r["count"]) for r in rows or [] if r.get("count")]
        if points:
            ax.plot([p[0] for p in points], [p[1] for p in points], "o-", color=color, markersize=4, label=label)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("confidence (top probability)")
    ax.set_ylabel("fraction right")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    figure.tight_layout()
    return _png(figure)


def calibration_section(metrics: dict[str, Any]) -> str:
    """The temperature, the expected calibration error before and after, and the reliability diagram."""
    calibration = metrics.get("calibration")
    if not isinstance(calibration, dict):
        return ("<p class='note'>This model was saved before calibration: the probabilities it shows are the raw "
                "ones, and no prediction sets or adjusted counts are available.</p>")
    floor = float(calibration.get("floor") or 0.0)
    floored = (f" and a floor of {floor:.1%} spread evenly over the classes (the validation images had sure "
               "mistakes: no answer is shown as more certain than they allow)") if floor else ""
    text = (f"<p>The probabilities are calibrated by temperature scaling (T = {float(calibration['temperature']):.2f}"
            f"{floored}, fitted on {calibration.get('n', 0)} validation images): the expected calibration error is "
            f"{_pct(calibration.get('ece_before'))} raw and {_pct(calibration.get('ece_after'))} calibrated "
            "(measured on the same validation images, so the second number is optimistic).</p>")
    if calibration.get("note"):
        text += f"<p class='note'>{_e(calibration['note'])}</p>"
    uri = reliability_png(calibration.get("reliability_before") or [], calibration.get("reliability_after") or [])
    if uri:
        text += (f"<figure><img class='plot' alt='Reliability diagram' src='{uri}'><figcaption class='meta'>Reliability "
                 "diagram: for the validation images in each confidence bin, the fraction classified right; a "
                 "calibrated model lies on the diagonal.</figcaption></figure>")
    return text


def counts_png(rows: Sequence[dict[str, Any]]) -> str | None:
    """Per folder, each class's adjusted proportion (bars, 95 % interval) and the raw one (dots)."""
    from matplotlib.figure import Figure

    from .figures import _png

    folders = list(dict.fromkeys(r["folder"] for r in rows))[:24]
    classes = list(dict.fromkeys(r["class"] for r in rows))
    if not folders:
        return None
    figure = Figure(figsize=(min(10, 3 + 0.6 * len(folders) * max(1, len(classes)) / 2), 3.4))
    ax = figure.subplots()
    width = 0.8 / len(classes)
    index = {(r["folder"], r["class"]): r for r in rows}
    for c, name in enumerate(classes):
        picked = [(f, index[(folder, name)]) for f, folder in enumerate(folders) if (folder, name) in index]
        picked = [(f, r) for f, r in picked if r.get("proportion") is not None]
        adjusted = [r["adjusted"] if r.get("adjusted") is not None else r["proportion"] for _, r in picked]
        lows = [max(0.0, a - (r["adjusted_low"] if r.get("adjusted") is not None else r["proportion_low"]))
                for a, (_, r) in zip(adjusted, picked)]
        highs = [max(0.0, (r["adjusted_high"] if r.get("adjusted") is not None else r["proportion_high"]) - a)
                 for a, (_, r) in zip(adjusted, picked)]
        xs = [f + (c - (len(classes) - 1) / 2) * width for f, _ in picked]
        ax.bar(xs, adjusted, width, yerr=[lows, highs], label=display(name), alpha=0.8,
               error_kw={"elinewidth": 1, "capsize": 2})
        ax.plot(xs, [r["proportion"] for _, r in picked], "o", color="#1d2430", markersize=3)
    ax.set_xticks(range(len(folders)), [display(f) for f in folders], rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("proportion")
    ax.legend(fontsize=8, ncols=min(4, len(classes)))
    figure.tight_layout()
    return _png(figure)


def counts_section(rows: Sequence[dict[str, Any]], where: str) -> str:
    """"Results on new images": the chart and the table of core.stats.counts' rows."""
    if not rows:
        return f"<p class='note'>The summary <code>{_e(where)}</code> holds no images.</p>"
    uri = counts_png(rows)
    figure = (f"<figure><img class='plot' alt='Proportions per folder' src='{uri}'><figcaption class='meta'>Bars: "
              "adjusted proportion with its 95 % interval; dots: the raw proportion.</figcaption></figure>") if uri else ""
    body = "".join(f"<tr><td>{_e(r['folder'])}</td><td>{_e(r['class'])}</td><td>{r['count']}</td>"
                   f"<td>{_pct(r['proportion'])} ({_pct(r['proportion_low'])}–{_pct(r['proportion_high'])})</td>"
                   f"<td>{_pct(r['adjusted'])}" + ("" if r.get("adjusted") is None else
                                                  f" ({_pct(r['adjusted_low'])}–{_pct(r['adjusted_high'])})")
                   + "</td></tr>" for r in rows)
    adjusted = any(r.get("adjusted") is not None for r in rows)
    note = "" if adjusted else ("<p class='note'>No adjusted proportions: the model that classified these images "
                                "had no validation statistics.</p>")
    return (f"<p class='meta'>From <code>{_e(where)}</code>, one row per folder and class. {_e(ADJUSTED_MEANING)}</p>"
            f"{figure}<table><thead><tr><th>folder</th><th>class</th><th>count</th><th>proportion (95 %)</th>"
            f"<th>adjusted (95 %)</th></tr></thead><tbody>{body}</tbody></table>{note}")
