"""Label as you go (issue 21): copies only, undo, name clashes, classes by name, the queue, the
estimate and forecast, the re-rank's speed, a simulated oracle, and the CLI's JSON."""
from __future__ import annotations

import hashlib
import io
import json
import time
from pathlib import Path

import numpy as np
import pytest

from core.data.copy_in import add_class, check_class_name, copy_into_class, undo_copy
from core.errors import DatasetError, FolderNotFoundError
from core.insight import label_forecast, labelling
from core.insight.embeddings import Embedded
from core.jobs import label as door
from tests.conftest import write_color_dataset


def checksums(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder``: its bytes' SHA-256 and its mtime (ns)."""
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """An unlabelled folder (the colour images, flattened) and a dataset with two empty classes."""
    source = write_color_dataset(tmp_path / "source", per_class=4, size=24)
    unlabelled = tmp_path / "unlabelled"
    unlabelled.mkdir()
    for image in sorted(source.rglob("*.png")):
        (unlabelled / f"{image.parent.name}_{image.name}").write_bytes(image.read_bytes())
    dataset = tmp_path / "dataset"
    (dataset / "red").mkdir(parents=True)
    (dataset / "green").mkdir()
    return unlabelled, dataset


def colour_embedder(files, _sink, _cancel) -> Embedded:
    """The mean colour as the 'embedding' and the bytes' hash as the pixel hash: no network."""
    from PIL import Image

    rows = [np.asarray(Image.open(f).convert("RGB"), np.float32).mean(axis=(0, 1)) / 255 for f in files]
    hashes = [hashlib.sha1(Path(f).read_bytes()).hexdigest() for f in files]
    return Embedded(np.asarray(rows, np.float32).reshape(len(files), 3), hashes, {}, len(files))


def test_assigning_copies_and_never_changes_the_unlabelled_folder(folders: tuple[Path, Path]) -> None:
    unlabelled, dataset = folders
    before = checksums(unlabelled)
    images = sorted(unlabelled.glob("red_*.png"))
    first = door.assign_label(images[0], dataset, "red")
    second = door.assign_label(images[1], dataset, "red")
    assert Path(first.target) == dataset / "red" / images[0].name
    assert Path(first.target).read_bytes() == images[0].read_bytes()
    assert Path(first.target).stat().st_mtime_ns == images[0].stat().st_mtime_ns  # the original's time kept
    assert first.sha256 == hashlib.sha256(images[0].read_bytes()).hexdigest()
    assert undo_copy(second) is True and not Path(second.target).exists()
    assert undo_copy(second) is False  # already gone: nothing to do
    assert checksums(unlabelled) == before  # copied and undone: the originals are exactly as they were
    assert not [p for p in dataset.rglob(".*")]  # no temporary left behind


def test_a_name_clash_gets_a_suffix_and_nothing_is_replaced(folders: tuple[Path, Path], tmp_path: Path) -> None:
    unlabelled, dataset = folders
    image = sorted(unlabelled.glob("*.png"))[0]
    other = tmp_path / "elsewhere" / image.name
    other.parent.mkdir()
    other.write_bytes(b"not the same image")
    first = copy_into_class(image, dataset, "green")
    second = copy_into_class(other, dataset, "green")
    third = copy_into_class(image, dataset, "green")
    stem, suffix = image.stem, image.suffix
    assert [Path(c.target).name for c in (first, second, third)] == [image.name, f"{stem}-2{suffix}", f"{stem}-3{suffix}"]
    assert Path(first.target).read_bytes() == image.read_bytes()
    assert Path(second.target).read_bytes() == b"not the same image"


def test_undo_keeps_a_copy_that_changed_since(folders: tuple[Path, Path]) -> None:
    unlabelled, dataset = folders
    copied = copy_into_class(sorted(unlabelled.glob("*.png"))[0], dataset, "red")
    Path(copied.target).write_bytes(b"edited by the user")
    with pytest.raises(DatasetError, match="changed"):
        undo_copy(copied.to_dict())
    assert Path(copied.target).read_bytes() == b"edited by the user"


def test_a_class_is_added_by_name_and_bad_names_are_refused(folders: tuple[Path, Path]) -> None:
    unlabelled, dataset = folders
    for bad in ("", "  ", ".", "..", "a/b", "a\\b", ".hidden", "tab\tname"):
        with pytest.raises(DatasetError):
            check_class_name(bad)
    with pytest.raises(DatasetError, match="no class 'blue'"):
        copy_into_class(sorted(unlabelled.glob("*.png"))[0], dataset, "blue")
    assert door.add_label_class(dataset, " blue ") == dataset / "blue" and (dataset / "blue").is_dir()
    assert add_class(dataset, "blue") == dataset / "blue"  # again: nothing happens
    copied = copy_into_class(sorted(unlabelled.glob("blue_*.png"))[0], dataset, "blue")
    assert Path(copied.target).parent == dataset / "blue"
    with pytest.raises(DatasetError, match="already inside the dataset"):
        copy_into_class(copied.target, dataset, "red")


def test_the_queue_leaves_out_labelled_and_skipped_images_and_suggests_classes(folders: tuple[Path, Path]) -> None:
    unlabelled, dataset = folders
    before = checksums(unlabelled)
    cold = door.suggest_labels(dataset, unlabelled, 5, embed=colour_embedder)
    assert not cold.ready and cold.pool == 12 and len(cold.suggestions) == 5
    assert all(s["suggested"] is None for s in cold.suggestions) and cold.notes
    door.add_label_class(dataset, "blue")
    for name in ("red", "green", "blue"):
        for image in sorted(unlabelled.glob(f"{name}_*.png"))[:2]:
            door.assign_label(image, dataset, name)
    skipped = str(sorted(unlabelled.glob("red_*.png"))[2])
    warm = door.suggest_labels(dataset, unlabelled, 10, "uncertain", skip=[skipped], embed=colour_embedder)
    assert warm.ready and warm.counts == {"blue": 2, "green": 2, "red": 2}
    assert warm.pool == 12 - 6 - 1  # copied ones leave the queue by their pixels, the skipped one by its path
    paths = [s["path"] for s in warm.suggestions]
    assert skipped not in paths and not any(Path(p).name.startswith(("red_img_000", "red_img_001")) for p in paths)
    for item in warm.suggestions:  # the colours are separable: every suggestion is its file's colour
        assert Path(item["path"]).name.startswith(item["suggested"]) and item["probability"] > 0.34
    assert len(warm.predictions) == warm.pool
    assert warm.estimate["accuracy"] is not None and warm.estimate["folds"] == 2
    assert checksums(unlabelled) == before


def test_missing_folders_and_bad_strategies_are_refused_before_work(folders: tuple[Path, Path]) -> None:
    unlabelled, dataset = folders
    with pytest.raises(FolderNotFoundError):
        door.suggest_labels(dataset, unlabelled / "missing", 3, embed=colour_embedder)
    with pytest.raises(FolderNotFoundError):
        door.suggest_labels(dataset, dataset, 3, embed=colour_embedder)
    with pytest.raises(FolderNotFoundError, match="inside it"):
        door.suggest_labels(dataset, dataset / "red", 3, embed=colour_embedder)
    with pytest.raises(ValueError, match="Unknown strategy"):
        door.suggest_labels(dataset, unlabelled, 3, "smart", embed=colour_embedder)


def test_forecast_needs_evidence_and_reads_a_power_law() -> None:
    assert label_forecast.forecast({"per_class": [2, 3], "accuracy": [0.5, 0.6]}, 3)["status"] == "unknown"
    flat = {"per_class": [2, 4, 8], "accuracy": [0.6, 0.6, 0.61]}
    assert label_forecast.forecast(flat, 8)["status"] == "unknown"
    m = np.array([2, 4, 8, 16])
    curve = {"per_class": m.tolist(), "accuracy": (1 - 0.8 * m ** -0.5).tolist()}  # error 0.8/sqrt(m)
    result = label_forecast.forecast(curve, 16, target=0.9)  # 0.8/sqrt(m) = 0.1 at m = 64
    assert result["status"] == "ok" and result["more_per_class"] == 48
    assert abs(result["b"] - 0.5) < 1e-6
    assert label_forecast.forecast(curve, 16, target=0.75)["status"] == "reached"
    assert label_forecast.forecast(curve, 16, target=0.995)["status"] == "unknown"  # far beyond the data


def test_reranking_5000_cached_embeddings_takes_under_2_seconds() -> None:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 5200)
    rows = (rng.normal(0, 1, (10, 1280))[labels] + rng.normal(0, 3, (5200, 1280))).astype(np.float32)
    labelling.rank_pool(*[labelling.reduce_features(rows[:300])[i] for i in (slice(100, None), slice(0, 100))],
                        labels[:100], 10, 5)  # imports and first calls outside the timing
    start = time.perf_counter()
    features = labelling.reduce_features(rows)
    ranking = labelling.rank_pool(features[200:], features[:200], labels[:200], 10, 40, "diverse")
    elapsed = time.perf_counter() - start
    assert len(ranking.order) == 40 and len(set(ranking.order.tolist())) == 40
    assert elapsed < 2.0, f"re-ranking took {elapsed:.2f} s"


def redundant_pool(seed: int, classes: int = 5, modes: int = 4, dim: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings with redundancy: each class is a few modes of very unequal size (one mode holds
    most images), the case where uncertainty alone picks near-copies."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 1.0, (classes, modes, dim))
    rows, labels = [], []
    for k in range(classes):
        sizes = rng.multinomial(160, [0.7] + [0.3 / (modes - 1)] * (modes - 1))
        for mode, size in enumerate(sizes):
            rows.append(centres[k, mode] + rng.normal(0, 0.6, (size, dim)))
            labels += [k] * size
    return np.concatenate(rows).astype(np.float32), np.asarray(labels)


def oracle_curve(strategy: str, seed: int, rounds: int = 5, batch: int = 10) -> list[float]:
    rows, labels = redundant_pool(seed)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(rows))
    test, pool = order[:300], order[300:]
    chosen = [int(i) for k in range(5) for i in rng.permutation(pool[labels[pool] == k])[:2]]
    features = labelling.reduce_features(rows[pool.tolist()], seed=seed)
    at = {int(p): j for j, p in enumerate(pool)}
    curve = []
    for step in range(rounds + 1):
        model = labelling.fit_model(rows[chosen], labels[chosen], seed)
        curve.append(float(np.mean(model.predict(rows[test]) == labels[test])))
        if step == rounds:
            break
        left = [p for p in pool if p not in set(chosen)]
        ranking = labelling.rank_pool(features[[at[p] for p in left]], features[[at[c] for c in chosen]],
                                      labels[chosen], 5, batch, strategy, seed + step)
        chosen += [int(left[i]) for i in ranking.order]
    return curve


def test_simulated_oracle_the_default_strategy_is_not_worse_than_random() -> None:
    seeds = range(3)
    diverse = np.mean([oracle_curve("diverse", s) for s in seeds], axis=0)
    random = np.mean([oracle_curve("random", s) for s in seeds], axis=0)
    assert np.all(diverse[1:] >= random[1:] - 0.03), (diverse.round(3), random.round(3))
    assert diverse[-1] >= random[-1] - 0.01


def test_cli_suggests_as_json_and_assigns(folders: tuple[Path, Path], tiny_weights_file: Path) -> None:
    from core.cli import main

    unlabelled, dataset = folders
    before = checksums(unlabelled)
    image = sorted(unlabelled.glob("red_*.png"))[0]
    out = io.StringIO()
    assert main(["label", str(dataset), "--assign", str(image), "red", "--json"], out) == 0
    assert json.loads(out.getvalue())["target"] == str(dataset / "red" / image.name)
    tiny = ["--backbone", "mobilenet_v2_035", "--weights", str(tiny_weights_file), "--image-size", "32"]
    out = io.StringIO()
    assert main(["label", str(dataset), str(unlabelled), "--suggest", "3", "--json", *tiny], out) == 0
    result = json.loads(out.getvalue())
    assert len(result["suggestions"]) == 3 and result["pool"] == 11
    assert set(result["suggestions"][0]) == {"path", "suggested", "probability", "score"}
    assert checksums(unlabelled) == before
    assert main(["label", str(dataset), str(unlabelled), "--suggest", "0"], io.StringIO()) == 2
    assert main(["label", str(dataset), "--assign", str(image), "../x"], io.StringIO()) == 2


def test_the_progress_line_reads_as_the_issue_asks() -> None:
    from core.cli.label import progress_line

    result = {"counts": {"a": 4, "b": 6, "c": 32},
              "estimate": {"accuracy": 0.78, "low": 0.70, "high": 0.85}}
    assert progress_line(result) == "42 labelled (4-32 per class) · estimated accuracy 78 % (70-85 %)"
    assert progress_line({"counts": {"a": 1, "b": 1}, "estimate": {"accuracy": None}}) == "2 labelled (1 per class)"


def test_a_dataset_inside_the_unlabelled_folder_is_not_offered_again(folders: tuple[Path, Path]) -> None:
    unlabelled, _ = folders
    dataset = unlabelled / "labelled"
    (dataset / "red").mkdir(parents=True)
    (dataset / "green").mkdir()
    copied = door.assign_label(sorted(unlabelled.glob("red_*.png"))[0], dataset, "red")
    result = door.suggest_labels(dataset, unlabelled, 20, embed=colour_embedder)
    assert result.pool == 11 and all(not s["path"].startswith(str(dataset)) for s in result.suggestions)
    assert copied.target not in [s["path"] for s in result.suggestions]


def test_the_engine_handler_answers_with_the_queue_and_the_forecast_picture(folders: tuple[Path, Path],
                                                                           tiny_weights_file: Path) -> None:
    import pickle
    import threading

    from core.engine.handlers.label import HANDLES, label
    from core.engine.requests.label import LabelRequest

    unlabelled, dataset = folders
    request = LabelRequest(str(dataset), str(unlabelled), 4, "random", "mobilenet_v2_035", str(tiny_weights_file), 32,
                           plot_words=("per class", "accuracy", "target"))
    assert HANDLES[LabelRequest] is label and pickle.loads(pickle.dumps(request)) == request  # it crosses the pipe
    events: list = []
    reply = label(request, events.append, threading.Event(), None)
    assert len(reply["suggestions"]) == 4 and reply["plot_png"].startswith(b"\x89PNG")
    assert events and pickle.loads(pickle.dumps(reply)) == reply
