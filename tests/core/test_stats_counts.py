"""Counts per folder: the adjusted proportion with a known confusion matrix, its interval's coverage, the CSV."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from core.stats.counts import (SUMMARY_COLUMNS, adjusted_proportions, confusion_rates, folder_summary,
                               read_counts_csv, summarise_folders, write_counts_csv)

RATES = np.array([[0.9, 0.1], [0.1, 0.9]])  # a 90 %-accurate classifier, both ways


def _simulate(rng: np.random.Generator, truth_a: float = 0.10, folder: int = 600,
              per_class_validation: int = 150) -> tuple[np.ndarray, np.ndarray]:
    """One plate's predicted labels and one validation confusion matrix, both drawn from RATES."""
    confusion = np.stack([rng.multinomial(per_class_validation, RATES[t]) for t in range(2)])
    true = (rng.random(folder) >= truth_a).astype(int)  # class 0 ("infected") at 10 %
    predicted = (rng.random(folder) < RATES[true, 1]).astype(int)  # predicted "clean" with P(clean | true)
    return predicted, confusion


def test_adjusted_proportion_corrects_classify_and_count() -> None:
    rng = np.random.default_rng(0)
    covered, raw, adjusted = 0, [], []
    for _ in range(50):  # 50 plates: the count of covering intervals is itself a binomial sample
        predicted, confusion = _simulate(rng)
        infected = folder_summary(predicted, confusion, ["infected", "clean"], seed=int(rng.integers(1 << 30)))[0]
        raw.append(infected["proportion"])
        adjusted.append(infected["adjusted"])
        covered += infected["adjusted_low"] <= 0.10 <= infected["adjusted_high"]
        assert infected["proportion_low"] < infected["proportion"] < infected["proportion_high"]
    assert 0.16 <= np.mean(raw) <= 0.20  # classify-and-count reports ~18 %
    assert abs(np.mean(adjusted) - 0.10) < 0.02  # the adjusted proportion is back near the truth
    errors = np.abs(np.array(adjusted) - 0.10)
    assert np.median(errors) < 0.04 and np.mean(errors) < np.mean(np.abs(np.array(raw) - 0.10)) / 2
    assert covered >= 45, covered  # >= 9 in 10 folders inside the interval (measured: 95.3 % over 300)


def test_exact_counts_give_the_exact_mix_and_never_a_negative_one() -> None:
    rates = np.array([[0.8, 0.15, 0.05], [0.1, 0.85, 0.05], [0.0, 0.2, 0.8]])
    truth = np.array([0.1, 0.3, 0.6])
    predicted_counts = 10000 * truth @ rates  # the predicted mix is R^T pi
    assert adjusted_proportions(predicted_counts, rates) == pytest.approx(truth, abs=1e-6)
    # fewer predicted "a" than the false-positive rate alone explains: the raw inverse goes negative
    counts = np.array([5, 95])
    inverse = np.linalg.solve(RATES.T, counts / 100)
    assert inverse[0] < 0
    mix = adjusted_proportions(counts, RATES)
    assert mix[0] == pytest.approx(0.0, abs=1e-3) and mix.sum() == pytest.approx(1.0) and (mix >= 0).all()


def test_nothing_seen_is_not_certainty() -> None:
    """No folder image predicted "a", and validation never confused a class: the plain bootstrap would
    say [0, 0]; the interval keeps an upper bound of a few percent, as Wilson's does for the raw count."""
    row = folder_summary(np.ones(50, int), np.array([[50, 0], [0, 50]]), ["a", "b"])[0]
    assert row["adjusted"] == 0.0 and row["adjusted_low"] == 0.0
    assert 0.01 < row["adjusted_high"] < row["proportion_high"] < 0.08


def test_confusion_rates_and_a_class_never_validated() -> None:
    assert confusion_rates(np.array([[9, 1], [0, 0]])).tolist() == [[0.9, 0.1], [0.0, 1.0]]
    rows = folder_summary([0, 1, 1, 1], np.array([[9, 1], [0, 0]]), ["a", "b"], bootstrap=50)
    assert [r["count"] for r in rows] == [1, 3] and rows[0]["proportion"] == 0.25
    assert all(0 <= r["adjusted_low"] <= r["adjusted"] <= r["adjusted_high"] <= 1 for r in rows)
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8]])  # probabilities count by their top class
    assert [r["count"] for r in folder_summary(probabilities, np.eye(2) * 5, ["a", "b"], bootstrap=20)] == [1, 1]
    empty = folder_summary([], np.eye(2) * 5, ["a", "b"])
    assert empty[0]["count"] == 0 and empty[0]["proportion"] is None
    with pytest.raises(ValueError):
        folder_summary([0, 2], np.eye(2), ["a", "b"])


def test_summary_csv_written_atomically_and_read_back(tmp_path: Path) -> None:
    root = tmp_path / "plates"
    paths = [root / "plate1" / "A1" / f"{i}.png" for i in range(6)] + [root / "=cmd|x" / f"{i}.png" for i in range(4)]
    paths += [root / "loose.png"]
    predicted = [0, 0, 1, 1, 1, 1, 0, 1, 1, 1, 0]
    confusion = np.array([[45, 5], [5, 45]])
    rows = summarise_folders(root, [str(p) for p in paths], predicted, confusion, ["-infected", "clean"],
                             bootstrap=100)
    assert [(r["folder"], r["class"], r["count"]) for r in rows] == [
        (".", "-infected", 1), (".", "clean", 0), ("=cmd|x", "-infected", 1), ("=cmd|x", "clean", 3),
        ("plate1/A1", "-infected", 2), ("plate1/A1", "clean", 4)]
    target = tmp_path / "counts.csv"
    target.write_text("old")
    write_counts_csv(target, rows)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counts.csv", "plates"] or \
        sorted(p.name for p in tmp_path.iterdir()) == ["counts.csv"]  # no temporary file left
    with open(target, newline="") as stream:
        raw = list(csv.reader(stream))
    assert tuple(raw[0]) == SUMMARY_COLUMNS and len(raw) == 7
    assert raw[3][0] == "'=cmd|x" and raw[1][1] == "'-infected"  # a spreadsheet shows them as text
    back = read_counts_csv(target)
    assert [(r["folder"], r["class"], r["count"]) for r in back] == [
        (r["folder"], r["class"], r["count"]) for r in rows]
    for written, read in zip(rows, back):
        for column in SUMMARY_COLUMNS[3:]:
            assert read[column] == pytest.approx(written[column], abs=1e-6)
    with pytest.raises(ValueError):
        summarise_folders(root, [str(paths[0])], [0, 1], confusion, ["a", "b"])


def test_predictions_the_validation_never_made_give_finite_numbers_not_nan() -> None:
    """A folder predicted only as a class no validation image was predicted as: the rates call that
    impossible, and EM had nothing to reweight (0/0). The answer must stay a mix, with a wide interval."""
    import warnings

    from core.stats.counts import folder_summary

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rows = folder_summary([2, 2], [[2, 1, 0], [1, 1, 0], [2, 2, 0]], ["a", "b", "c"], bootstrap=50)
    assert sum(row["adjusted"] for row in rows) == pytest.approx(1.0)
    assert all(0 <= row["adjusted_low"] <= row["adjusted_high"] <= 1 for row in rows)
