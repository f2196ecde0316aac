"""The run store (core/runs/store.py): states, a killed process, two writers, prefixes, delete.
Real SQLite files and real child processes; no TensorFlow."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core.errors import RunInUseError, RunNotFoundError
from core.runs.store import RUN_ID, RunStore, new_run_id

ROOT = Path(__file__).resolve().parents[2]
CONFIG = {"data_dir": "/data/cells", "backbone": "mobilenet_v2_035", "method": "finetune", "epochs": 3}


def _child(script: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args], stdout=subprocess.PIPE,
                            text=True, env=env, cwd=ROOT)


def test_a_run_goes_from_running_to_completed_with_its_history(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs.sqlite")
    run = store.create(CONFIG, data_dir="/data/cells", data_fingerprint="abc", versions={"python": "3.11"})
    assert RUN_ID.match(run.id) and run.status == "running" and run.ended is None
    assert (run.backbone, run.method, run.epochs, run.epochs_done) == ("mobilenet_v2_035", "finetune", 3, 0)
    for epoch in (1, 2):
        store.add_epoch(run.id, {"epoch": epoch, "loss": 1.0 / epoch, "val_accuracy": 0.5 * epoch, "phase": "warmup"})
    store.update(run.id, status="completed", ended="2026-11-28T19:20:00+00:00", metrics={"val_accuracy": 0.9},
                 val_accuracy=0.9, bundle="/models/cells")
    again = RunStore(tmp_path / "runs.sqlite").get(run.id)
    assert again.status == "completed" and again.epochs_done == 2 and again.val_accuracy == 0.9
    assert [row["epoch"] for row in again.history] == [1, 2] and again.metrics == {"val_accuracy": 0.9}
    assert again.config == CONFIG and again.versions == {"python": "3.11"} and again.bundle == "/models/cells"
    assert again.data_fingerprint == "abc" and again.checkpoint is None


def test_runs_are_listed_newest_first_and_found_by_a_unique_prefix(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs.sqlite")
    first = store.create(CONFIG, run_id="20261128-190000-aaaa")
    second = store.create(CONFIG, run_id="20261128-190000-aabb")
    store.update(first.id, started="2026-11-28T19:00:00+00:00")
    store.update(second.id, started="2026-11-28T19:05:00+00:00")
    assert [r.id for r in store.runs()] == [second.id, first.id]
    assert store.get("20261128-190000-aab").id == second.id
    with pytest.raises(RunNotFoundError, match="several runs"):
        store.get("20261128-190000-aa")
    with pytest.raises(RunNotFoundError, match="no run"):
        store.get("nope")
    with pytest.raises(RunNotFoundError):
        store.get("2026%")  # a LIKE wildcard is a character, not a pattern


def test_a_run_killed_with_sigkill_is_interrupted(tmp_path: Path) -> None:
    """A child process records a running run and is killed: while it lives the run is running,
    afterwards interrupted (stored so, not only shown)."""
    path = tmp_path / "runs.sqlite"
    child = _child("""
        import sys, time
        from core.runs.store import RunStore
        run = RunStore(sys.argv[1]).create({"backbone": "b", "method": "finetune", "epochs": 5})
        print(run.id, flush=True)
        time.sleep(120)
    """, str(path))
    try:
        run_id = child.stdout.readline().strip()
        store = RunStore(path)
        assert store.get(run_id).status == "running"
        with pytest.raises(RunInUseError):
            store.delete(run_id)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        child.stdout.close()
    assert [r.status for r in store.runs()] == ["interrupted"]
    import sqlite3
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT status FROM runs").fetchone()[0] == "interrupted"


def test_two_processes_write_at_once_and_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    RunStore(path)  # the schema exists before both start
    script = """
        import sys
        from core.runs.store import RunStore
        store = RunStore(sys.argv[1])
        run = store.create({"backbone": "b", "method": "finetune", "epochs": 150})
        for epoch in range(150):
            store.add_epoch(run.id, {"epoch": epoch + 1, "loss": 1.0})
        store.update(run.id, status="completed")
        print(run.id)
    """
    children = [_child(script, str(path)) for _ in range(2)]
    outputs = [child.communicate(timeout=60)[0].strip() for child in children]
    assert [child.returncode for child in children] == [0, 0]
    runs = RunStore(path).runs()
    assert sorted(r.id for r in runs) == sorted(outputs)
    assert [(r.status, r.epochs_done, len(r.history)) for r in runs] == [("completed", 150, 150)] * 2


def test_delete_removes_the_record_and_its_folder_never_a_saved_bundle(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "data" / "runs.sqlite")
    run = store.create(CONFIG)
    checkpoint = store.folder(run.id) / "checkpoints" / "epoch-0001"
    checkpoint.mkdir(parents=True)
    (checkpoint / "state.json").write_text("{}")
    saved = tmp_path / "my-model"
    saved.mkdir()
    (saved / "model.keras").write_text("x")
    store.update(run.id, status="stopped", checkpoint=str(checkpoint), bundle=str(saved))
    assert store.get(run.id).checkpoint == str(checkpoint)
    store.delete(run.id[:-1])
    assert not store.folder(run.id).exists() and (saved / "model.keras").exists()
    assert store.runs() == []
    with pytest.raises(RunNotFoundError):
        store.get(run.id)


def test_new_ids_are_unique_and_sortable(tmp_path: Path, monkeypatch) -> None:
    """Ids sort by start time; runs started in the same second never share one, even when the
    random suffix repeats (it did: 4 hex digits gave 199 ids out of 200)."""
    assert all(RUN_ID.match(new_run_id()) for _ in range(20))
    store = RunStore(tmp_path / "runs.sqlite")
    draws = iter(["aaaaaa", "aaaaaa", "aaaaaa", "bbbbbb"])
    monkeypatch.setattr("core.runs.store.secrets.token_hex", lambda _n: next(draws))
    monkeypatch.setattr("core.runs.store.time.strftime", lambda _f: "20261128-194659")
    first, second = store.create({"backbone": "x"}), store.create({"backbone": "x"})
    assert (first.id, second.id) == ("20261128-194659-aaaaaa", "20261128-194659-bbbbbb")


def test_the_runs_cli_lists_shows_and_deletes(tmp_path: Path, monkeypatch, capsys) -> None:
    """``runs --json`` (the documented keys), ``runs show ID --json`` (the whole record), ``runs
    delete ID``, and a wrong id: one line, exit code 2. The CLI's own data folder, no TensorFlow."""
    import io
    import json

    from core import cli

    monkeypatch.setenv("FTS_DATA_DIR", str(tmp_path / "data"))
    store = RunStore()
    assert store.path == tmp_path / "data" / "runs.sqlite"
    run = store.create(CONFIG, data_dir="/data/cells")
    store.add_epoch(run.id, {"epoch": 1, "phase": "warmup", "loss": 0.5, "val_accuracy": 0.75})
    store.update(run.id, status="completed", bundle="/models/cells")
    out = io.StringIO()
    assert cli.main(["runs", "--json"], out=out) == 0
    [listed] = json.loads(out.getvalue())
    assert {"id", "status", "started", "data_dir", "backbone", "method", "epochs_done", "epochs", "val_accuracy",
            "bundle"} <= set(listed)
    assert (listed["id"], listed["status"], listed["epochs_done"], listed["val_accuracy"]) == (run.id, "completed", 1, 0.75)
    out = io.StringIO()
    assert cli.main(["runs", "show", run.id[:12], "--json"], out=out) == 0
    shown = json.loads(out.getvalue())
    assert shown["config"] == CONFIG and shown["history"][0]["loss"] == 0.5 and "versions" in shown
    out = io.StringIO()
    assert cli.main(["runs"], out=out) == 0 and run.id in out.getvalue()
    assert cli.main(["runs", "show", "nope"], out=io.StringIO()) == 2
    assert capsys.readouterr().err == "error: There is no run 'nope' (see 'runs' for the list).\n"
    assert cli.main(["runs", "delete", run.id], out=io.StringIO()) == 0
    assert store.runs() == []
    child = subprocess.run([sys.executable, "-c", "import sys, io; from core import cli; cli.main(['runs'], out=io.StringIO());"
                            " print('tensorflow' in sys.modules)"], capture_output=True, text=True, cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert child.stdout.strip() == "False", child.stderr[-500:]
