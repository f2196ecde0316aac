"""Check my data on a folder with planted problems (tests/core/audit_data.py): exact and near
duplicates with their scope, moved (mislabelled) files ranked first, a blank and a noise image as
outliers; the CLI's JSON; the exclusion list honoured by training's scan; the one file move.

The embeddings are the offline EfficientNet-Lite0's (real ImageNet features, no download) at 128 px:
the tiny random test network's pooled features cannot tell a re-encoded copy from another image."""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import write_color_dataset
from tests.core.audit_data import write_planted_dataset
from core import cli
from core.jobs import audit as jobs_audit
from core.data import exclusions, move_file
from core.data.scan import scan_folder
from core.errors import DatasetError
from core.insight import findings

ARGS = ("--backbone", "efficientnet_lite0", "--image-size", "128")


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory):
    planted = write_planted_dataset(tmp_path_factory.mktemp("audit"))
    report = jobs_audit.run_audit(planted.train, planted.val, "efficientnet_lite0", "imagenet", 128)
    return planted, report


def _groups(report, kind: str) -> dict[frozenset, str]:
    return {frozenset(d["paths"]): d["scope"] for d in report.duplicates if d["kind"] == kind}


def _abs(paths) -> frozenset:
    return frozenset(str(Path(p).absolute()) for p in paths)


def test_exact_duplicates_with_their_scope(audited) -> None:
    planted, report = audited
    exact = _groups(report, "exact")
    assert exact[_abs(planted.exact_same_class)] == "same-class"
    assert exact[_abs(planted.exact_other_format)] == "same-class"  # same pixels, PNG and BMP bytes
    assert exact[_abs(planted.train_val_exact)] == "train-val"
    assert exact[_abs(planted.cross_class)] == "cross-class"
    assert len(exact) == 4


def test_near_duplicates_resized_reencoded_cropped_and_leaked(audited) -> None:
    planted, report = audited
    near = _groups(report, "near")
    for pair in planted.near_same_class:
        assert any(_abs(pair) <= group and scope == "same-class" for group, scope in near.items()), pair
    assert any(_abs(planted.train_val_near) <= group and scope == "train-val" for group, scope in near.items())
    assert len(near) <= len(planted.near_same_class) + 1 + 2, near  # few look-alikes besides the planted
    assert 0 < report.near_threshold < 1


def test_moved_files_are_the_top_suspects_with_their_true_class(audited) -> None:
    planted, report = audited
    suspects = report.suspected_mislabeled
    scores = [s["score"] for s in suspects]
    assert scores == sorted(scores, reverse=True)
    top = {s["path"]: s["suggested"] for s in suspects[:len(planted.moved) + 2]}  # + both cross-class copies
    for path, true_class in planted.moved.items():
        assert top.get(str(path.absolute())) == true_class, (path, suspects[:5])


def test_blank_and_noise_images_are_the_outliers(audited) -> None:
    planted, report = audited
    assert {o["path"] for o in report.outliers[:2]} == {str(p.absolute()) for p in planted.outliers}
    assert all(o["score"] > 1 for o in report.outliers)


def test_cli_json_is_the_documented_object_and_uses_the_cache(audited, capsys) -> None:
    planted, _ = audited
    (planted.train / "red" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    out = io.StringIO()
    assert cli.main(["audit", str(planted.train), "--val-dir", str(planted.val), *ARGS, "--json"], out) == 0
    report = json.loads(out.getvalue())
    assert set(report) == {"duplicates", "suspected_mislabeled", "outliers", "skipped"}
    assert set(report["duplicates"][0]) == {"kind", "scope", "paths"}
    assert set(report["suspected_mislabeled"][0]) == {"path", "given", "suggested", "score"}
    assert all(Path(p).is_absolute() for d in report["duplicates"] for p in d["paths"])
    assert [s["path"] for s in report["skipped"]] == [str((planted.train / "red" / "broken.png").absolute())]
    assert "Computing embeddings" not in capsys.readouterr().err  # every readable image came from the cache
    (planted.train / "red" / "broken.png").unlink()


def test_cli_refuses_a_missing_folder_with_one_line(tmp_path: Path, capsys) -> None:
    assert cli.main(["audit", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_excluded_images_leave_training_and_clear_brings_them_back(tmp_path: Path, capsys) -> None:
    from core.training.trainer import TrainConfig, prepare_data

    data = write_color_dataset(tmp_path / "colors", per_class=4, size=16)
    dropped = [data / "red" / "img_000.png", data / "blue" / "img_001.png"]
    assert exclusions.exclude(data, dropped) == 2
    spec = scan_folder(data)
    assert len(spec) == 10 and set(spec.excluded) == set(dropped)
    prepared = prepare_data(TrainConfig(data_dir=str(data), backbone="mobilenet_v2_035", image_size=32,
                                        use_cache=False))
    assert not set(dropped) & set(prepared.train.files + prepared.val.files)
    assert len(prepared.train) + len(prepared.val) == 10
    assert cli.main(["audit", str(data), "--clear-exclusions"]) == 0
    assert "2 excluded images included again" in capsys.readouterr().out
    assert len(scan_folder(data)) == 12 and not exclusions.excluded(data)


def test_move_to_class_refuses_a_name_clash_and_moves_otherwise(tmp_path: Path) -> None:

    data = write_color_dataset(tmp_path / "colors", per_class=2, size=8)
    source = data / "red" / "img_000.png"
    before = source.read_bytes()
    with pytest.raises(DatasetError, match="already has a file named"):
        move_file.move_to_class(source, data, "blue")  # blue/img_000.png exists
    assert source.read_bytes() == before and (data / "blue" / "img_000.png").read_bytes() != before
    exclusions.exclude(data, [source])
    renamed = source.rename(data / "red" / "odd one.png")
    exclusions.exclude(data, [renamed])
    moved = move_file.move_to_class(renamed, data, "blue")
    assert moved == data / "blue" / "odd one.png" and moved.read_bytes() == before and not renamed.exists()
    assert "red/odd one.png" not in exclusions.excluded(data)
    with pytest.raises(DatasetError):
        move_file.move_to_class(moved, data, "purple")  # no such class folder


def test_neighbours_blockwise_equal_the_full_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    unit = findings.unit_rows(rng.normal(size=(300, 16)))
    unit[7] = unit[3]  # an exact copy: never its own neighbour
    groups = np.arange(300)
    groups[7] = 3
    monkeypatch.setattr(findings, "BLOCK_CELLS", 300 * 7)  # blocks of 7 rows
    index, value = findings.neighbours(unit, groups)
    full = unit @ unit.T
    full[groups[:, None] == groups[None, :]] = -np.inf
    np.testing.assert_allclose(value[:, 0], full.max(axis=1), atol=1e-12)
    assert index[3, 0] != 7 and index[7, 0] != 3
