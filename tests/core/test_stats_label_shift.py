"""Adjusted counts by EM on calibrated probabilities (core/stats/label_shift.py): a known case where the
posteriors are exact, the interval's coverage over plates, and the choice between EM and the
confusion matrix in the counts per folder (a bundle without the EM record counts as before)."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from core.bundles.counting import summarise_predictions, usable_label_shift
from core.stats.calibration import as_logits
from core.stats.label_shift import (_weighted_temperature, em_mix, em_summary, replicate_temperatures, top_k_matrix,
                                   validation_replicates)

SEPARATION = 2.0  # two classes, scores N(+1, 1) and N(-1, 1): about 84 % accurate both ways


def _posteriors(scores: np.ndarray) -> np.ndarray:
    """The exact P(class | score) at a 50/50 mix: what a perfectly calibrated model says."""
    p = 1 / (1 + np.exp(-SEPARATION * scores))
    return np.stack([p, 1 - p], axis=1)


def _sample(rng: np.random.Generator, n: int, share_a: float) -> tuple[np.ndarray, np.ndarray]:
    labels = (rng.random(n) >= share_a).astype(int)  # class 0 ("infected") at share_a
    scores = rng.normal(np.where(labels == 0, 1.0, -1.0), 1.0)
    return _posteriors(scores), labels


def test_em_recovers_a_rare_class_that_classify_and_count_overstates() -> None:
    rng = np.random.default_rng(0)
    val_probs, val_labels = _sample(rng, 200, 0.5)  # 100 validation images per class
    record = validation_replicates(as_logits(val_probs), val_labels, 2, temperature=1.0, replicates=100)
    assert record is not None and len(record["temperatures"]) == len(record["priors"]) == 100
    assert np.median(record["temperatures"]) == pytest.approx(1.0, abs=0.15)  # exact posteriors: T near 1
    raw, adjusted, covered = [], [], 0
    for _ in range(12):
        probs, _labels = _sample(rng, 400, 0.10)
        infected = em_summary(probs, record, ["infected", "clean"], seed=int(rng.integers(1 << 30)))[0]
        raw.append(infected["proportion"])
        adjusted.append(infected["adjusted"])
        covered += infected["adjusted_low"] <= 0.10 <= infected["adjusted_high"]
        assert infected["adjusted_low"] <= infected["adjusted"] <= infected["adjusted_high"]
    assert 0.19 <= np.mean(raw) <= 0.27  # 0.84·10 % + 0.16·90 % ≈ 23 %
    # one validation sample of 200 is shared by every plate: its own error shifts them all a little
    assert abs(np.mean(adjusted) - 0.10) < 0.03
    assert np.mean(np.abs(np.array(adjusted) - 0.10)) < np.mean(np.abs(np.array(raw) - 0.10)) / 3
    assert covered >= 11, covered  # >= 9 in 10 inside (95 % intervals)


def test_a_floored_calibration_is_undone_before_em() -> None:
    """The probabilities shown with a floor ((1 - f) p + f / C, core.stats.calibration) give the same
    adjusted counts as the temperature's own: EM works on those (the module doc says why)."""
    from core.stats.calibration import with_floor

    rng = np.random.default_rng(3)
    val_probs, val_labels = _sample(rng, 200, 0.5)
    plain = validation_replicates(as_logits(val_probs), val_labels, 2, temperature=1.0, replicates=50)
    floored = validation_replicates(as_logits(val_probs), val_labels, 2, temperature=1.0, replicates=50, floor=0.06)
    assert plain is not None and floored is not None and floored["floor"] == 0.06 and plain["floor"] == 0.0
    probs, _labels = _sample(rng, 300, 0.10)
    expected = em_summary(probs, plain, ["infected", "clean"])[0]
    shown = em_summary(with_floor(probs, 0.06), floored, ["infected", "clean"])[0]
    for key in ("proportion", "adjusted", "adjusted_low", "adjusted_high"):
        assert shown[key] == pytest.approx(expected[key], abs=1e-6), key
    unfloored_by_mistake = em_summary(with_floor(probs, 0.06), plain, ["infected", "clean"])[0]
    assert abs(unfloored_by_mistake["adjusted"] - expected["adjusted"]) > 1e-3  # the floor does matter to EM


def test_em_with_exact_posteriors_and_a_known_mix_is_exact() -> None:
    """Posteriors at mix v of images whose true mix is π: the folder's mean EM-adjusted posterior is π."""
    prior = np.array([0.5, 0.3, 0.2])
    likelihoods = np.array([[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6]])  # P(cell | class), 3 cells
    truth = np.array([0.1, 0.1, 0.8])
    cell_share = truth @ likelihoods  # how often each kind of image occurs in the folder
    posterior = likelihoods.T * prior / (likelihoods.T * prior).sum(axis=1, keepdims=True)  # per cell
    mix = em_mix(posterior[None], cell_share[None], prior[None], tolerance=1e-12, max_iterations=100000)[0]
    assert mix == pytest.approx(truth, abs=1e-4)


def test_the_replicates_temperatures_match_the_exact_search() -> None:
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(300, 4)) * 2
    labels = rng.integers(0, 4, 300)
    logits[np.arange(300), labels] += 2.5
    weights = rng.dirichlet(np.ones(300), size=5)
    fast = replicate_temperatures(logits, labels, weights, temperature=1.0)
    exact = [_weighted_temperature(logits, labels, w) for w in weights]
    assert fast == pytest.approx(exact, rel=2e-3)


def test_no_validation_error_keeps_the_confusion_matrix_and_top_k_fills_the_rest() -> None:
    assert validation_replicates(np.log([[0.9, 0.1], [0.2, 0.8]]), np.array([0, 1]), 2, 1.0) is None
    matrix = top_k_matrix([[(2, 0.7), (0, 0.2)], [(1, 1.0)]], 4)
    assert matrix[0] == pytest.approx([0.2, 0.05, 0.7, 0.05]) and matrix[1] == pytest.approx([0, 1, 0, 0])
    assert usable_label_shift({"label_shift": None}, 2) is None
    assert usable_label_shift({"label_shift": {"prior": [1.0], "temperatures": [1.0], "priors": [[1.0]],
                                               "temperature": 1.0}}, 2) is None  # wrong shape: ignored


def test_counts_per_folder_use_em_when_the_bundle_has_it_else_the_confusion_matrix() -> None:
    rng = np.random.default_rng(1)
    val_probs, val_labels = _sample(rng, 200, 0.5)
    confusion = np.zeros((2, 2), int)
    np.add.at(confusion, (val_labels, val_probs.argmax(axis=1)), 1)
    record = validation_replicates(as_logits(val_probs), val_labels, 2, temperature=1.0)
    probs, _ = _sample(rng, 300, 0.10)
    names = ["infected", "clean"]
    items = [(Path("plates/p1") / f"{i}.png",
              SimpleNamespace(error=None, top=[SimpleNamespace(label=names[c], probability=float(p[c]))
                                               for c in np.argsort(-p)]))
             for i, p in enumerate(probs)]
    with_em, note = summarise_predictions(items, [Path("plates")], names,
                                          {"confusion_matrix": confusion.tolist(), "label_shift": record,
                                           "accuracy": {"thin_evidence": False}})
    assert note is None
    _, thin = summarise_predictions(items[:5], [Path("plates")], names,
                                    {"confusion_matrix": confusion.tolist(), "accuracy": {"thin_evidence": True}})
    assert thin is not None and "fewer than 30 validation images" in thin
    old, _ = summarise_predictions(items, [Path("plates")], names, {"confusion_matrix": confusion.tolist()})
    assert with_em[0]["folder"] == old[0]["folder"] == "p1"
    assert with_em[0]["count"] == old[0]["count"] and with_em[0]["proportion"] == old[0]["proportion"]
    assert with_em[0]["adjusted"] == pytest.approx(em_summary(probs, record, names)[0]["adjusted"])
    assert with_em[0]["adjusted"] != pytest.approx(old[0]["adjusted"], abs=1e-6)  # two estimators, both ~10 %
    assert abs(with_em[0]["adjusted"] - 0.10) < 0.06 and abs(old[0]["adjusted"] - 0.10) < 0.08
