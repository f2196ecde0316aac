"""Auto's leaderboard in words (TensorFlow-free): the CLI's table after ``train --auto`` and the lab
report's "Auto's search" section, both read from config.json's "auto" record (core/auto/search.py).

Each candidate's cross-validated accuracy is written the one way accuracies are written
(core.stats.intervals.format_accuracy), its 95 % interval the Nadeau-Bengio one of its fold scores,
with the fold scheme it was measured on, so a reader sees that a 1-fold score says little.
"""
from __future__ import annotations

import html
from typing import Any, Mapping


def fold_words(auto: Mapping[str, Any], folds: int) -> str:
    """``(5-fold cross-validation, 2 repeats)``, or ``(5-fold cross-validation, 3 of 10 folds)``."""
    k, repeats = int(auto.get("folds_k") or 5), int(auto.get("repeats") or 2)
    if folds >= k * repeats:
        return f"({k}-fold cross-validation, {repeats} repeats)"
    return f"({k}-fold cross-validation, {folds} of {k * repeats} folds)"


def accuracy_words(auto: Mapping[str, Any], row: Mapping[str, Any]) -> str:
    """One candidate's accuracy: ``92 % (85-96 %) on 30 training images (5-fold cross-validation, 2 repeats)``."""
    from core.stats.intervals import format_accuracy

    return format_accuracy(row.get("cv_accuracy"), row.get("cv_low"), row.get("cv_high"),
                           int(auto.get("train_images") or 0), "training image",
                           fold_words(auto, int(row.get("folds") or 0)))


def leaderboard_lines(auto: Mapping[str, Any]) -> list[str]:
    """The leaderboard as text, best first."""
    return [f"{rank:>2}. {row.get('name')}: {accuracy_words(auto, row)}; {float(row.get('seconds') or 0):.0f} s, "
            f"{row.get('status')}" for rank, row in enumerate(auto.get("leaderboard") or [], 1)]


def summary_words(auto: Mapping[str, Any]) -> str:
    """What Auto did, in one paragraph."""
    budget, used = float(auto.get("budget_s") or 0), float(auto.get("elapsed_s") or 0)
    stopped = " It was stopped by the user; it kept the best candidate so far." if auto.get("cancelled") else ""
    return (f"Auto chose {auto.get('name')} from {len(auto.get('leaderboard') or [])} candidate recipes, within a "
            f"budget of {budget / 60:.1f} min ({used:.0f} s used), scoring each by {auto.get('fold_scheme')} "
            f"cross-validation on the training images only; the validation images were not read by the search. "
            f"Final model: trained on {auto.get('refit')}.{stopped}")


def leaderboard_html(auto: Mapping[str, Any]) -> str:
    """The report's section: the summary, then one table row per candidate (escaped)."""
    def e(value: Any) -> str:
        return html.escape(str(value), quote=True)

    rows = "".join(f"<tr><td>{rank}</td><td>{e(row.get('name'))}</td><td>{e(accuracy_words(auto, row))}</td>"
                   f"<td>{int(row.get('folds') or 0)}</td><td>{float(row.get('seconds') or 0):.0f} s</td>"
                   f"<td>{e(row.get('status'))}</td></tr>" for rank, row in enumerate(auto.get("leaderboard") or [], 1))
    return (f"<p>{e(summary_words(auto))}</p><table><thead><tr><th>#</th><th>candidate</th>"
            "<th>cross-validated accuracy (95 % interval)</th><th>folds</th><th>time</th><th>status</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")
