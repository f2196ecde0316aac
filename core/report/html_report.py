"""Assemble the report as one HTML file and write it atomically.

Self-contained by construction: every picture is a data URI, the style sheet is inline, and nothing
refers to a network address, a font or a script, so the file opens the same offline, mailed or
archived, and prints well (print CSS: A4 margins, no figure or table row split across pages). Every
text that comes from the user's files (class names, paths) is escaped.
"""
from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

from core.errors import ReportError
from core.files import write_file_atomic
from core.methods import method_label
from core.wording import display, plural

from .calibration import calibration_section, counts_section
from .figures import confusion_png, curves_png, thumbnail
from .methods import backbone_name, methods_paragraph
from .source import ReportSource, dataset_rows, recorded_images

GENERATOR = "Finetune Studio report"  # the mark of a file this module may replace
HARDEST_SHOWN = 12
MARK_BYTES = 4096

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2430;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 1.8rem;
     border-bottom: 1px solid #d5dae3; padding-bottom: .2rem; }
.meta, .note { color: #5a6475; } .note { font-style: italic; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { padding: .25rem .7rem; text-align: right; }
th:first-child, td:first-child { text-align: left; } thead th { border-bottom: 1px solid #9aa3b2; }
tbody tr:nth-child(even) { background: #f4f6f9; } tfoot td { border-top: 1px solid #9aa3b2; font-weight: 600; }
figure { margin: .8rem 0; } img.plot { max-width: 100%; }
.gallery { display: flex; flex-wrap: wrap; gap: .7rem; }
.gallery figure { width: 170px; margin: 0; font-size: 12px; } .gallery img { width: 160px; border: 1px solid #ccd; }
.wrong { color: #b3261e; font-weight: 600; } code { font-size: 12px; word-break: break-all; }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; } figure, tr, .gallery figure { break-inside: avoid; }
}
"""


def _e(value: Any, one_line: bool = True) -> str:
    """Escaped for HTML, valid UTF-8 whatever a name's bytes were, a newline in a name shown as
    ``\\n`` (core.wording.display); ``one_line`` False keeps a paragraph's line breaks."""
    return html.escape(display(str(value), one_line=one_line), quote=True)


def _pct(value: Any) -> str:
    return "—" if value is None else f"{float(value):.1%}"


def _dataset_table(source: ReportSource) -> str:
    rows = dataset_rows(source)
    known_train = any(r[1] is not None for r in rows)
    body = "".join(f"<tr><td>{_e(name)}</td><td>{'—' if tr is None else tr}</td><td>{'—' if va is None else va}"
                   f"</td><td>{'—' if tr is None or va is None else tr + va}</td></tr>" for name, tr, va in rows)
    total_train = sum(r[1] or 0 for r in rows) if known_train else None
    total_val = sum(r[2] or 0 for r in rows) if any(r[2] is not None for r in rows) else None
    both = None if total_train is None or total_val is None else total_train + total_val
    foot = (f"<tr><td>all {plural(len(rows), 'class', 'classes')}</td><td>{'—' if total_train is None else total_train}"
            f"</td><td>{'—' if total_val is None else total_val}</td><td>{'—' if both is None else both}</td></tr>")
    note = "" if known_train else ("<p class='note'>The split is not recorded here: the validation counts come "
                                   "from the evaluation.</p>")
    data_dir = source.train.get("data_dir")
    where = f"<p class='meta'>Images from <code>{_e(data_dir)}</code>.</p>" if data_dir else ""
    return (f"{where}<table><thead><tr><th>class</th><th>training</th><th>validation</th><th>total</th></tr></thead>"
            f"<tbody>{body}</tbody><tfoot>{foot}</tfoot></table>{note}")


def _curves(source: ReportSource) -> str:
    if source.method != "finetune":
        return (f"<p class='note'>No training curves: {_e(method_label(source.method))} is fitted in one step "
                "on the backbone's features, not over epochs.</p>")
    uri = curves_png(source.history)
    if uri is None:
        return "<p class='note'>No training history was recorded with this model, so there are no curves.</p>"
    return (f"<figure><img class='plot' alt='Loss and accuracy per epoch' src='{uri}'><figcaption class='meta'>"
            "Loss and accuracy per epoch on the training and validation images; a dashed line marks the start of "
            "a new phase.</figcaption></figure>")


def _per_class(evaluation: dict[str, Any]) -> str:
    rows = evaluation.get("per_class") or []
    if not rows:
        return "<p class='note'>No per-class metrics were recorded with this model.</p>"
    body = "".join(f"<tr><td>{_e(r['class'])}</td><td>{r['precision']:.3f}</td><td>{r['recall']:.3f}</td>"
                   f"<td>{r['f1']:.3f}</td><td>{r['support']}</td></tr>" for r in rows)
    foot = ""
    for key, label in (("macro_avg", "macro average"), ("weighted_avg", "weighted average")):
        avg = evaluation.get(key)
        if avg:
            foot += (f"<tr><td>{label}</td><td>{avg['precision']:.3f}</td><td>{avg['recall']:.3f}</td>"
                     f"<td>{avg['f1']:.3f}</td><td></td></tr>")
    summary = (f"<p>Accuracy {_e(_accuracy_text(evaluation))} (95 % interval); top-{evaluation.get('top_k', 5)} "
               f"accuracy {_pct(evaluation.get('top5_accuracy'))}.</p>")
    if evaluation.get("accuracy_note") or _rough(evaluation):
        summary += f"<p class='note'>{_e(evaluation.get('accuracy_note') or _rough(evaluation))}</p>"
    return (f"{summary}<table><thead><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th>"
            f"</tr></thead><tbody>{body}</tbody><tfoot>{foot}</tfoot></table>")


def _accuracy_text(evaluation: dict[str, Any]) -> str:
    """The evaluation's one wording, or (saved before intervals) the same computed from its count."""
    if evaluation.get("accuracy_text"):
        return str(evaluation["accuracy_text"])
    from core.stats.intervals import recorded_accuracy

    record = recorded_accuracy({"val_accuracy": evaluation.get("accuracy"), "val_images": evaluation.get("n_images"),
                                "evaluation": evaluation})
    return record["text"] if record else f"{_pct(evaluation.get('accuracy'))}"


def _rough(evaluation: dict[str, Any]) -> str | None:
    """The "rough number" sentence of an evaluation saved before intervals (None when firm or recorded)."""
    if "accuracy_note" in evaluation:
        return None
    from core.stats.intervals import recorded_accuracy

    record = recorded_accuracy({"val_accuracy": evaluation.get("accuracy"), "val_images": evaluation.get("n_images"),
                                "evaluation": evaluation})
    return record.get("note") if record else None


def _confusion(evaluation: dict[str, Any]) -> str:
    uri = confusion_png(evaluation.get("confusion_matrix") or [], evaluation.get("class_names") or [])
    if uri is None:
        return "<p class='note'>No confusion matrix was recorded with this model.</p>"
    return (f"<figure><img class='plot' alt='Confusion matrix' src='{uri}'><figcaption class='meta'>Rows: true "
            "class; columns: predicted class; counts of validation images.</figcaption></figure>")


def _hardest(source: ReportSource) -> str:
    items = (source.evaluation.get("hardest") or [])[:HARDEST_SHOWN]
    if not items:
        return "<p class='note'>No hardest examples were recorded with this model.</p>"
    cards, missing = [], []
    allowed = recorded_images(source)
    for item in items:
        path = str(item.get("path") or "")
        uri, why = thumbnail(path) if allowed(path) else (None, "not in the model's data folders, so not shown")
        if uri is None:
            missing.append((item.get("path"), why))
            continue
        verdict = ("<span class='wrong'>wrong</span>" if not item.get("correct") else "right")
        cards.append(f"<figure><img alt='{_e(Path(str(item.get('path'))).name)}' src='{uri}'><figcaption>{verdict}: "
                     f"true {_e(item.get('true'))}, predicted {_e(item.get('predicted'))} "
                     f"({_pct(item.get('confidence'))}); true class {_pct(item.get('true_probability'))}"
                     "</figcaption></figure>")
    text = ("<p class='meta'>The validation images with the lowest probability for their true class "
            "(misclassified ones first among equals).</p>")
    if cards:
        text += f"<div class='gallery'>{''.join(cards)}</div>"
    if missing and not cards:
        text += ("<p class='note'>The images are no longer where they were when the model was trained (the data "
                 "folder was moved or deleted), so no thumbnails are shown.</p>")
    elif missing:
        text += f"<p class='note'>{plural(len(missing), 'image')} could not be shown: " + "; ".join(
            f"<code>{_e(path)}</code> ({_e(why)})" for path, why in missing) + ".</p>"
    return text


def _exports(source: ReportSource) -> str:
    gone = ""
    if source.exports_gone:
        gone = (f"<p class='note'>{plural(len(source.exports_gone), 'export')} recorded earlier "
                f"{'is' if len(source.exports_gone) == 1 else 'are'} no longer there (replaced or deleted): "
                + "; ".join(f"<code>{_e(e.get('path'))}</code>" for e in source.exports_gone) + ".</p>")
    if not source.exports:
        return "<p class='note'>No exports of this model are recorded.</p>" + gone
    body = "".join(f"<tr><td>{_e(e.get('format'))}</td><td><code>{_e(e.get('path'))}</code></td>"
                   f"<td>{_e(e.get('runtime') or '')}</td><td>{_pct(e.get('agreement'))}</td>"
                   f"<td>{_e(e.get('exported') or '')}</td></tr>" for e in source.exports)
    return ("<table><thead><tr><th>format</th><th>path</th><th>checked with</th><th>same top class</th><th>when</th>"
            f"</tr></thead><tbody>{body}</tbody></table>{gone}")


def render(source: ReportSource) -> str:
    """The whole document."""
    evaluation = source.evaluation
    run = source.run or {}
    origin = (f"Run {_e(run.get('id'))} ({_e(run.get('status'))}, started {_e(run.get('started'))})" if run else "")
    if source.bundle:
        origin += ("; " if origin else "") + f"bundle <code>{_e(source.bundle)}</code>"
    title = f"{source.title}: {backbone_name(source.train)}"
    sections = [("Methods", f"<p>{_e(methods_paragraph(source), one_line=False)}</p>"), ("Dataset", _dataset_table(source)),
                ("Training curves", _curves(source)), ("Per-class metrics", _per_class(evaluation)),
                ("Confusion matrix", _confusion(evaluation)), ("Calibration", calibration_section(source.metrics)),
                ("Hardest examples", _hardest(source)), ("Exports", _exports(source))]
    if source.auto:  # chosen by Auto: what it tried and how each recipe scored, after the methods
        from .leaderboard import leaderboard_html

        sections.insert(1, ("Auto's search", leaderboard_html(source.auto)))
    if source.counts is not None:
        sections.append(("Results on new images", counts_section(source.counts, source.counts_file or "")))
    body = "".join(f"<section><h2>{name}</h2>{content}</section>" for name, content in sections)
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><meta name='generator' content='{GENERATOR}'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{_e(title)}</title>"
            f"<style>{STYLE}</style></head><body><h1>{_e(title)}</h1><p class='meta'>{origin}<br>Report written "
            f"{_e(time.strftime('%Y-%m-%d %H:%M'))} by Finetune Studio.</p>{body}</body></html>\n")


def check_report_target(out: str | Path, overwrite: bool = False) -> Path:
    """Refuse an output that is a folder, in a missing folder, or a file that is not an earlier report
    (unless ``overwrite``: the window's save dialog already asked), before anything is drawn."""
    target = Path(out).expanduser()
    if target.is_dir() or target.is_symlink():
        raise ReportError.of("html_report.folder_link_give_file", out=out)
    if not target.parent.is_dir():
        raise ReportError.of("html_report.folder_report_does_not", target_parent=target.parent)
    if target.exists() and not overwrite and not _is_report(target):
        raise ReportError.of("html_report.exists_not_earlier_report", out=out)
    return target


def _is_report(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return GENERATOR.encode() in handle.read(MARK_BYTES)
    except OSError:
        return False


def write_report(source: ReportSource, out: str | Path, overwrite: bool = False) -> Path:
    """Render and write ``out`` atomically (a temporary sibling renamed over it): a crash leaves the
    old file or the new one, never a half-written report."""
    target = check_report_target(out, overwrite)
    document = render(source)
    write_file_atomic(target, document)  # a report is meant to be shared: the umask's mode, not 0600
    return target

