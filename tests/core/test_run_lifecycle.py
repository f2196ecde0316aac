"""A recorded run's life outside training: claiming, deleting, pruning the kept runs, resuming (its
checks and its record), non-chief workers, and the row reader the caches stream through (fast: no training)."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from core.training.streaming import RowReader


def _mapped(tmp_path: Path) -> tuple[np.ndarray, np.ndarray, Path]:
    rows = np.random.default_rng(1).integers(0, 256, (20, 4, 4, 3), dtype=np.uint8)
    path = tmp_path / "rows.npy"
    np.save(path, rows)
    return rows, np.load(path, mmap_mode="r"), path


def test_row_reader_survives_the_cache_file_being_deleted_after_it_was_made(tmp_path: Path) -> None:
    rows, mapped, path = _mapped(tmp_path)
    reader = RowReader(mapped)
    path.unlink()  # image_cache.prune / clear
    index = np.array([3, 4, 5, 0, 19])
    np.testing.assert_array_equal(reader(index), rows[index])
    np.testing.assert_array_equal(RowReader(mapped)(index), rows[index])  # made after: reads the map


def test_row_reader_without_pread_indexes_the_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows, mapped, _ = _mapped(tmp_path)
    monkeypatch.delattr(os, "pread", raising=False)  # Windows: neither pread nor preadv
    monkeypatch.delattr(os, "preadv", raising=False)
    index = np.array([7, 2, 2, 11])
    np.testing.assert_array_equal(RowReader(mapped)(index), rows[index])


# -- the run store: reads beside a writer, resume as a claim, delete never passes a running run -----
CONFIG = {"data_dir": "/data/cells", "backbone": "mobilenet_v2_035", "method": "finetune", "epochs": 3}


def test_reads_do_not_queue_behind_a_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from core.runs import store as store_module

    store = store_module.RunStore(tmp_path / "runs.sqlite")
    run = store.create(CONFIG)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.2)
    writer = sqlite3.connect(tmp_path / "runs.sqlite", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        assert [r.id for r in store.runs()] == [run.id] and store.get(run.id).status == "running"
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_resume_claims_the_run_so_a_second_front_is_refused(tmp_path: Path) -> None:
    from core.errors import RunInUseError
    from core.runs.store import RunStore

    store = RunStore(tmp_path / "runs.sqlite")
    run = store.create(CONFIG)
    store.update(run.id, status="stopped")
    store.restart(run.id)  # the window's Continue
    with pytest.raises(RunInUseError):
        store.restart(run.id)  # a CLI --resume that passed its check at the same moment
    assert store.get(run.id).status == "running"


def test_a_dead_running_run_can_be_claimed_and_deleted(tmp_path: Path) -> None:
    from core.runs.store import RunStore

    store = RunStore(tmp_path / "runs.sqlite")
    run = store.create(CONFIG)
    store.update(run.id, pid=2**22 + 12345, process_start="1")  # a process that is gone
    store.restart(run.id)
    assert store.get(run.id).status == "running"
    store.update(run.id, pid=2**22 + 12345, process_start="1")
    store.delete(run.id)
    assert store.runs() == []


def test_delete_refuses_a_running_run_and_keeps_its_folder(tmp_path: Path) -> None:
    from core.errors import RunInUseError
    from core.runs.store import RunStore

    store = RunStore(tmp_path / "runs.sqlite")
    run = store.create(CONFIG)
    store.folder(run.id).mkdir(parents=True)
    with pytest.raises(RunInUseError):
        store.delete(run.id)
    assert store.folder(run.id).is_dir() and store.get(run.id).status == "running"
    store.update(run.id, status="completed")
    store.delete(run.id)
    assert not store.folder(run.id).exists() and store.runs() == []


def test_keeping_a_run_prunes_only_completed_runs_and_forgets_their_kept_bundle(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from core.jobs import save as jobs_save
    from core.runs.store import RunStore

    monkeypatch.setenv("FTS_DATA_DIR", str(tmp_path))
    store = RunStore()
    ids = {status: f"2020010{i}-000000-aaaaaa" for i, status in
           enumerate(("completed", "stopped", "interrupted", "failed", "running"), 1)}
    saved_elsewhere = str(tmp_path / "mine")
    for status, run_id in ids.items():
        store.create(CONFIG, run_id=run_id)
        (store.folder(run_id) / "checkpoints").mkdir(parents=True)
        store.update(run_id, status=status, bundle=str(store.folder(run_id) / "finetune"))
    old = "20191231-000000-bbbbbb"  # completed, its bundle saved by the user elsewhere
    store.create(CONFIG, run_id=old)
    store.folder(old).mkdir()
    store.update(old, status="completed", bundle=saved_elsewhere)

    def save(result, path):
        Path(path).mkdir(parents=True)
        return Path(path)

    monkeypatch.setattr(jobs_save, "save_training_result", save)
    new = store.create(CONFIG)
    store.update(new.id, status="completed")
    jobs_save.keep_results({"": SimpleNamespace(config=SimpleNamespace(method="finetune"), run_id=new.id)}, keep=1)
    assert not store.folder(ids["completed"]).exists() and store.get(ids["completed"]).bundle is None
    assert not store.folder(old).exists() and store.get(old).bundle == saved_elsewhere
    for status in ("stopped", "interrupted", "failed", "running"):
        assert (store.folder(ids[status]) / "checkpoints").is_dir(), status
    assert (store.folder(new.id) / "finetune").is_dir()


def test_train_records_the_image_folders_as_absolute_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from core import cli
    from core.jobs import train as jobs

    (tmp_path / "cells" / "a").mkdir(parents=True)
    (tmp_path / "val" / "a").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    seen = []

    def run_training(config, sink, tensorboard=None):
        seen.append(config)
        raise ValueError("stop here")

    monkeypatch.setattr(jobs, "run_training", run_training)
    assert cli.main(["train", "cells/", "--val-dir", "val", "--out", str(tmp_path / "model")], out=io.StringIO()) == 2
    assert (seen[0].data_dir, seen[0].val_dir) == (str(tmp_path / "cells"), str(tmp_path / "val"))


def test_resume_refuses_an_out_inside_the_image_folder_and_checks_room(tmp_path: Path) -> None:
    from core.cli.train import check_out
    from core.errors import BundleError

    with pytest.raises(BundleError, match="inside the image folder"):
        check_out(str(tmp_path / "cells" / "model"), (str(tmp_path / "cells"), None), "mobilenet_v2_035")
    assert check_out(str(tmp_path / "model"), (str(tmp_path / "cells"),), "mobilenet_v2_035") is not None


def test_a_checkpoint_whose_state_does_not_parse_is_skipped_and_stale_temporaries_go(tmp_path: Path) -> None:
    import json

    from core.training.checkpoints import checkpoint_folders, remove_stale_temporaries

    for epoch, text in ((1, json.dumps({"epoch": 1})), (2, "")):  # epoch 2 cut short by a power cut
        (tmp_path / f"epoch-000{epoch}").mkdir()
        (tmp_path / f"epoch-000{epoch}" / "state.json").write_text(text)
    assert checkpoint_folders(tmp_path) == [tmp_path / "epoch-0001"]
    stale, mine = tmp_path / ".tmp-epoch-0003-4194000", tmp_path / f".tmp-epoch-0003-{os.getpid()}"
    stale.mkdir(), mine.mkdir()
    remove_stale_temporaries(tmp_path)
    assert not stale.exists() and mine.exists()


def test_resume_resets_the_history_and_the_accuracy_to_the_checkpoint(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    from types import SimpleNamespace

    from core.jobs import runs as jobs_runs
    from core.jobs import train as jobs
    from core.runs.store import RunStore

    store = RunStore(tmp_path / "runs.sqlite")
    run = store.create(CONFIG)
    for epoch in (1, 2, 3):
        store.add_epoch(run.id, {"epoch": epoch, "val_accuracy": epoch / 10})
    store.update(run.id, status="interrupted")
    checkpoint = store.folder(run.id) / "checkpoints" / "epoch-0002"
    checkpoint.mkdir(parents=True)
    history = [{"epoch": 1, "val_accuracy": 0.1}, {"epoch": 2, "val_accuracy": 0.2}]
    (checkpoint / "state.json").write_text(json.dumps({"epoch": 2, "history": history}))
    monkeypatch.setattr(jobs, "run_training", lambda *args, **kwargs: "trained")
    config = SimpleNamespace(method="finetune", data_dir=None, val_dir=None, epochs=5)
    record = store.get(run.id)
    assert jobs_runs.resume_training(run.id, store=store, plan=(record, config, 2)) == "trained"
    again = store.get(run.id)
    assert (again.epochs_done, again.val_accuracy, again.history) == (2, 0.2, history)


def test_resume_refuses_the_options_it_would_ignore(capsys: pytest.CaptureFixture[str]) -> None:
    import io

    from core import cli

    for option in (["--distribute", "mirrored"], ["--no-mixed-precision"], ["--backbone", "resnet50"], ["--lr", "0.1"]):
        assert cli.main(["train", "--resume", "20261128-000000-abcdef", *option], out=io.StringIO()) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: --resume continues a run") and option[0] in err and err.count("\n") == 1


def test_a_non_chief_worker_neither_records_nor_checkpoints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from core.jobs import train as jobs
    from core.runs.store import RunStore
    from core.training import trainer

    monkeypatch.setenv("FTS_DATA_DIR", str(tmp_path))
    tensorboard = tmp_path.parent / f"{tmp_path.name}-tb"  # outside the data folder (refused inside it)
    monkeypatch.setenv("FTS_TENSORBOARD_DIR", str(tensorboard))
    seen = {}

    def train(config, sink, cancel, data=None, files=None):
        seen["files"] = files
        return SimpleNamespace(metrics={}, cancelled=False)

    monkeypatch.setattr(trainer, "train", train)
    monkeypatch.setattr(jobs, "validation_metrics", lambda result: {"val_accuracy": 1.0})
    config = trainer.TrainConfig(data_dir=str(tmp_path), mixed_precision=False)
    result = jobs.run_training(config, record=False)
    assert seen["files"] is None and result.run_id and RunStore().runs() == []
    assert not (tmp_path / "runs").exists() and not tensorboard.exists()
    jobs.run_training(config)  # the chief (and every local run): recorded, with checkpoints
    # recorded; "completed" only once its bundle is written (save_training_result), which this test never does
    assert seen["files"] is not None and [r.status for r in RunStore().runs()] == ["running"]


def test_distributed_training_passes_tensorboard_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from argparse import Namespace

    from core.cli import train as cli_train
    from core.jobs import distribute as jobs_distribute

    seen = {}

    def run(config, kind, cluster, sink, status, tensorboard=None):
        seen["tensorboard"] = tensorboard
        return jobs_distribute.DistributedRun("result", True)

    monkeypatch.setattr(jobs_distribute, "run_distributed_training", run)
    args = Namespace(distribute="mirrored", cluster=None, tensorboard="/logs/tb")
    assert cli_train.train_distributed(args, None, None) == "result" and seen["tensorboard"] == "/logs/tb"
