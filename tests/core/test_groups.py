"""Keep-together rules and group-aware splits (core/data/groups.py): no group on both sides of any
split, classes still stratified, seeded, and the split without a rule exactly as before."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.data.groups import (GroupRule, group_folds, group_ids, group_split, group_split_indices, parse_group_by,
                              preview_folder, preview_groups, spec_groups)
from core.data.scan import DatasetSpec, scan_folder
from core.errors import GroupByError, SettingsError


def _old_stratified_split(spec: DatasetSpec, val_fraction: float, seed: int) -> tuple[list, list]:
    """core.data.scan.stratified_split as it was before groups existed (commit cd8e7d0), verbatim:
    runs without a keep-together rule must reproduce it exactly."""
    rng = np.random.default_rng(seed)
    labels = np.asarray(spec.labels)
    train_idx, val_idx = [], []
    for label in range(len(spec.class_names)):
        members = np.flatnonzero(labels == label)
        rng.shuffle(members)
        n_val = min(max(1, round(val_fraction * len(members))), len(members) - 1)
        val_idx.extend(members[:n_val].tolist())
        train_idx.extend(members[n_val:].tolist())
    return [spec.files[i] for i in sorted(train_idx)], [spec.files[i] for i in sorted(val_idx)]


def _write(path: Path, value: int = 0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((8, 8, 3), value, np.uint8)).save(path)


def _synthetic(n_groups: int = 60, classes: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labels and group ids: groups of 1 to 8 images, most of one class, a few mixed."""
    rng = np.random.default_rng(seed)
    labels, groups = [], []
    for g in range(n_groups):
        size = int(rng.integers(1, 9))
        main = int(rng.integers(classes))
        for _ in range(size):
            labels.append(main if rng.random() > 0.1 else int(rng.integers(classes)))
            groups.append(g)
    return np.asarray(labels), np.asarray(groups)


def test_rules_parse_and_name_groups(tmp_path: Path) -> None:
    assert parse_group_by("subfolder").pattern is None and parse_group_by(" Subfolder ").spec == "subfolder"
    for bad in ("^(slide\\d+_", "[a-", "", "   "):
        with pytest.raises(GroupByError, match="group-by"):
            parse_group_by(bad)
    assert issubclass(GroupByError, SettingsError)  # the CLI's one line, exit code 2
    cls = tmp_path / "cells"
    sub = parse_group_by("subfolder")
    assert sub.group_of(cls / "slide12" / "img.png", cls) == "slide12"
    assert sub.group_of(cls / "slide12" / "deeper" / "img.png", cls) == "slide12"
    assert sub.group_of(cls / "img.png", cls) is None  # directly in the class folder: a group of its own
    captured = parse_group_by(r"^(slide\d+)_")
    assert captured.group_of(cls / "slide12_cell3.png", cls) == "slide12"
    assert captured.group_of(cls / "other.png", cls) is None
    assert parse_group_by(r"plate\d+").group_of(cls / "x_plate7_y.png", cls) == "plate7"  # whole match
    assert parse_group_by(r"^(a)?b").group_of(cls / "bcd.png", cls) == "b"  # unmatched optional group
    assert list(group_ids(["a", None, "b", "a", None])) == [0, 1, 2, 0, 3]


def test_preview_counts_groups_unmatched_and_spanning(tmp_path: Path) -> None:
    root = tmp_path / "data"
    for name in ("slide1_a.png", "slide1_b.png", "slide2_a.png", "loose.png"):
        _write(root / "healthy" / name)
    for name in ("slide2_c.png", "slide3_a.png", "slide4_a.png"):
        _write(root / "infected" / name)
    preview = preview_groups(scan_folder(root), r"^(slide\d+)_")
    assert (preview.images, preview.groups, preview.unmatched) == (7, 5, 1)
    assert preview.sizes == {"slide1": 2, "slide2": 2, "slide3": 1, "slide4": 1}
    assert preview.groups_per_class == {"healthy": 3, "infected": 3}
    assert preview.spanning == {"slide2": ["healthy", "infected"]}
    text = "\n".join(preview.lines())
    assert "5 groups in 7 images" in text and "slide2 (healthy + infected)" in text and "1 image matches no group" in text and "1 image on its own" in text
    assert preview_folder(root, r"^(slide\d+)_").to_dict() == preview.to_dict()
    with pytest.raises(GroupByError):
        preview_folder(tmp_path / "missing", "(")
    nothing = preview_groups(scan_folder(root), r"^zzz")
    assert nothing.groups == 7 and any("names no group" in w for w in nothing.warnings)
    by_folder = tmp_path / "folders"
    for cls in ("a", "b"):
        for slide in ("s1", "s2"):
            _write(by_folder / cls / f"{cls}{slide}" / "x.png")
            _write(by_folder / cls / f"{cls}{slide}" / "y.png")
    assert preview_groups(scan_folder(by_folder), "subfolder").groups_per_class == {"a": 2, "b": 2}


@pytest.mark.parametrize("fraction", [0.2, 0.3, 0.5])
def test_group_split_never_crosses_and_keeps_classes_roughly(fraction: float) -> None:
    labels, groups = _synthetic()
    train, val = group_split_indices(labels, groups, fraction, seed=7)
    assert sorted(np.concatenate([train, val]).tolist()) == list(range(len(labels)))
    assert not set(groups[train]) & set(groups[val])
    for k in range(3):
        share = np.mean(labels[val] == k) if len(val) else 0
        assert abs((labels[val] == k).sum() / (labels == k).sum() - fraction) < 0.12, (k, share)
        assert (labels[train] == k).any() and (labels[val] == k).any()


def test_group_split_is_seeded() -> None:
    labels, groups = _synthetic(seed=3)
    first = group_split_indices(labels, groups, 0.25, seed=1)
    again = group_split_indices(labels, groups, 0.25, seed=1)
    other = group_split_indices(labels, groups, 0.25, seed=2)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first[1], other[1])


def test_every_class_gets_both_sides_when_it_has_two_groups() -> None:
    # class 1 has two small groups beside two huge groups of class 0: the greedy fill alone would skip it
    labels = np.array([0] * 40 + [0] * 40 + [1, 1] + [1])
    groups = np.array([0] * 40 + [1] * 40 + [2, 2] + [3])
    train, val = group_split_indices(labels, groups, 0.2, seed=0)
    assert set(labels[val]) == {0, 1} and set(labels[train]) == {0, 1}
    assert not set(groups[train]) & set(groups[val])
    for seed in range(5):  # a class in a single group is learnt from, whatever the draw
        train, val = group_split_indices(np.array([0] * 6 + [1] * 3), np.array([0, 1, 2, 3, 4, 5, 6, 6, 6]), 0.6, seed)
        assert 1 in np.array([0] * 6 + [1] * 3)[train]


def test_group_folds_keep_groups_whole_and_cover_every_row() -> None:
    labels, groups = _synthetic(seed=5)
    folds = list(group_folds(labels, groups, k=5, repeats=3, seed=11))
    assert len(folds) == 15
    for repeat in range(3):
        tested = np.concatenate([test for _, test in folds[repeat * 5:(repeat + 1) * 5]])
        assert sorted(tested.tolist()) == list(range(len(labels)))  # each row tested once per repeat
    for train, test in folds:
        assert not set(groups[train]) & set(groups[test])
    again = list(group_folds(labels, groups, k=5, repeats=3, seed=11))
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(folds, again))
    assert not np.array_equal(folds[0][1], folds[5][1])  # the repeats differ
    from sklearn.model_selection import StratifiedKFold

    plain = list(group_folds(labels, None, k=4, repeats=1, seed=2))  # without groups: stratified k-fold
    expected = list(StratifiedKFold(4, shuffle=True, random_state=2).split(np.zeros((len(labels), 1)), labels))
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(plain, expected))
    assert len(list(group_folds(labels[:6], groups[:6] * 0 + np.array([0, 0, 0, 1, 1, 1]), k=5))) == 2  # capped
    with pytest.raises(GroupByError):
        list(group_folds(labels, np.zeros_like(labels), k=5))


def _folder(root: Path, classes: int = 3, sources: int = 8, copies: int = 3) -> Path:
    for c in range(classes):
        for s in range(sources):
            for copy in range(copies):
                _write(root / f"class{c}" / f"src{c}{s:02d}_{copy}.png", 30 * c + s)
    return root


def test_prepare_data_without_a_rule_is_the_old_split_and_with_one_keeps_groups(tmp_path: Path) -> None:
    from core.training.trainer import TrainConfig, prepare_data

    data = _folder(tmp_path / "data")
    config = TrainConfig(data_dir=str(data), image_size=32, val_split=0.25, seed=5, use_cache=False)
    plain = prepare_data(config)
    old_train, old_val = _old_stratified_split(scan_folder(data), 0.25, 5)
    assert list(plain.train.files) == old_train and list(plain.val.files) == old_val
    assert plain.groups is None and plain.train_groups is None
    config.group_by = r"^(src\d+)_"
    grouped = prepare_data(config)
    prefix = [{p.name.split("_")[0] for p in part.files} for part in (grouped.train, grouped.val)]
    assert not prefix[0] & prefix[1] and len(prefix[0]) + len(prefix[1]) == 24
    assert grouped.groups == {"group_by": r"^(src\d+)_", "groups": 24, "train_groups": len(prefix[0]),
                              "val_groups": len(prefix[1]), "unmatched": 0}
    assert np.array_equal(grouped.train_groups, spec_groups(grouped.train, config.group_by))
    assert len(grouped.val) == 18  # 2 of 8 sources per class, 3 copies each
    assert TrainConfig.from_json(config.to_json()).group_by == r"^(src\d+)_"  # recorded in config.json
    old_record = {k: v for k, v in config.to_json().items() if k != "group_by"}
    assert TrainConfig.from_json(old_record).group_by is None  # a config.json from before groups still loads


def test_a_bad_rule_is_refused_before_any_scan(tmp_path: Path) -> None:
    from core.config import check_train_settings
    from core.training.trainer import TrainConfig, prepare_data

    with pytest.raises(GroupByError, match="not a valid regular expression"):
        check_train_settings(TrainConfig(data_dir=str(tmp_path), group_by="[a-"))  # run_training's first check
    check_train_settings(TrainConfig(data_dir=str(tmp_path), group_by="subfolder"))
    with pytest.raises(GroupByError, match="not a valid regular expression"):
        prepare_data(TrainConfig(data_dir=str(tmp_path / "missing"), group_by="(src"))


def test_too_few_groups_is_a_user_error(tmp_path: Path) -> None:
    data = _folder(tmp_path / "data", classes=2, sources=2)
    with pytest.raises(GroupByError, match="too few"):
        group_split(scan_folder(data), 0.2, 0, r"^(src)")  # one group holds everything
    train, val, summary = group_split(scan_folder(data), 0.5, 0, r"^(src\d+)_")
    assert summary["groups"] == 4 and summary["val_groups"] == 2


def test_a_separate_validation_folder_sharing_groups_is_reported(tmp_path: Path) -> None:
    from core.events import LogMessage
    from core.training.trainer import TrainConfig, prepare_data

    data = _folder(tmp_path / "train", classes=2, sources=3)
    val = _folder(tmp_path / "val", classes=2, sources=1)  # src000 and src100 are in both folders
    events: list = []
    prepared = prepare_data(TrainConfig(data_dir=str(data), val_dir=str(val), image_size=32, use_cache=False,
                                        group_by=r"^(src\d+)_"), events.append)
    assert prepared.groups == {"group_by": r"^(src\d+)_", "in_both_folders": 2}
    assert any(isinstance(e, LogMessage) and "both the training and the validation folder" in e.text for e in events)
    assert isinstance(parse_group_by("subfolder"), GroupRule)


def test_a_rule_is_suggested_from_the_copies_places_and_names(tmp_path: Path) -> None:
    from core.data.groups import suggest_group_by

    root = tmp_path / "data"
    by_name = [[root / "a" / "src017_a.png", root / "a" / "src017_b.png"],
               [root / "b" / "src018_a.png", root / "b" / "src018_c.png", root / "b" / "src018_d.png"]]
    assert suggest_group_by(by_name, [root]) == r"^(src\d+)_"
    assert suggest_group_by([[root / "a" / "slide3-1.tif", root / "a" / "slide3-2.tif"],
                             [root / "a" / "slide4-1.tif", root / "a" / "slide4-9.tif"]], [root]) == r"^(slide\d+)-"
    by_folder = [[root / "a" / "mouse1" / "x.png", root / "a" / "mouse1" / "y.png"],
                 [root / "b" / "mouse2" / "x.png", root / "b" / "mouse2" / "z.png"]]
    assert suggest_group_by(by_folder, [root]) == "subfolder"
    val = tmp_path / "val"  # copies spanning a training and a validation folder
    assert suggest_group_by([[root / "a" / "P12a.png", val / "a" / "P12b.png"],
                             [root / "a" / "P13a.png", val / "a" / "P13c.png"]], [root, val]) == r"^(P\d+)"
    # names with nothing like an id in common, or a shared word without digits: no guess
    assert suggest_group_by([[root / "a" / "img_001.png", root / "a" / "img_002.png"]], [root]) is None
    assert suggest_group_by([[root / "a" / "cat_x.png", root / "a" / "cat_y.png"]], [root]) is None
    assert suggest_group_by([], [root]) is None
    # a guess that holds the copies together only by making them all one group is no guess
    assert suggest_group_by([[root / "a" / "batch7_x.png", root / "a" / "batch7_y.png"],
                             [root / "a" / "batch7_z.png", root / "a" / "batch7_w.png"]], [root]) is None
    assert suggest_group_by([[root / "a" / "2023_1_a.png", root / "a" / "2023_1_b.png"],
                             [root / "a" / "2023_2_a.png", root / "a" / "2023_2_b.png"]], [root]) == r"^(\d+_\d+)_"


def test_the_report_says_validation_kept_groups_whole() -> None:
    from core.report.methods import methods_paragraph
    from core.report.source import ReportSource

    train = {"backbone": "efficientnet_lite0", "val_split": 0.2, "seed": 4, "method": "logreg"}
    plain = methods_paragraph(ReportSource("run", train, ["a", "b"]))
    grouped = methods_paragraph(ReportSource("run", {**train, "group_by": r"^(slide\d+)_"}, ["a", "b"]))
    assert "stratified random 20%" in plain and "whole groups" not in plain
    assert r"whole groups (images grouped by the file-name pattern ^(slide\d+)_" in grouped
    assert "no group was on both sides" in grouped
