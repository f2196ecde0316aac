"""Issue 24 item 7: the app's data folder and run store when something is wrong with them. A store
file that is not a database, a data folder that is a file, a disk that is full: one clear line that
names the file (or a fresh store with the damaged one kept aside), never a traceback, never a
blocked training. Real files and real processes; no TensorFlow."""
from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import USER_ERRORS

ROOT = Path(__file__).resolve().parents[2]
CONFIG = {"data_dir": "/data/cells", "backbone": "mobilenet_v2_035", "method": "finetune", "epochs": 3}


def _main(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env}, cwd=ROOT, timeout=120)


def test_a_damaged_store_is_kept_aside_and_a_fresh_one_started(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from core.runs.store import RunStore

    path = tmp_path / "runs.sqlite"
    path.write_bytes(b"this is not a database, it was overwritten by something" * 100)
    with caplog.at_level(logging.WARNING):
        store = RunStore(path)
    assert store.runs() == []
    aside = list(tmp_path.glob("runs.sqlite.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")
    assert store.damaged == aside[0]
    assert str(path) in caplog.text and aside[0].name in caplog.text
    run = store.create(CONFIG)  # training goes on, recorded in the fresh store
    assert RunStore(path).get(run.id).status == "running"


def test_data_folder_that_is_a_file_is_one_line_naming_it(tmp_path: Path) -> None:
    a_file = tmp_path / "data-is-a-file"
    a_file.write_text("x")
    done = _main("runs", FTS_DATA_DIR=str(a_file))
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert lines[0].startswith("error:") and str(a_file) in lines[0] and "FTS_DATA_DIR" in lines[0]


def test_a_full_disk_under_the_store_is_a_user_error_naming_the_file(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from core.errors import RunError
    from core.runs import store as store_module

    store = store_module.RunStore(tmp_path / "runs.sqlite")
    real_connect = sqlite3.connect

    class FullDisk:
        def __init__(self, *args, **kwargs) -> None:
            self.db = real_connect(*args, **kwargs)

        def execute(self, sql: str, *args):
            if sql.startswith("BEGIN"):
                raise sqlite3.OperationalError("disk I/O error")
            return self.db.execute(sql, *args)

        def close(self) -> None:
            self.db.close()

    monkeypatch.setattr(store_module.sqlite3, "connect", FullDisk)
    with pytest.raises(RunError) as caught:
        store.runs()
    assert str(tmp_path / "runs.sqlite") in str(caught.value) and "disk" in str(caught.value)
    assert isinstance(caught.value, USER_ERRORS)


def test_a_log_file_on_a_full_disk_prints_no_logging_traceback(tmp_path: Path) -> None:
    (tmp_path / "finetune-studio.log").symlink_to("/dev/full")  # every write: "No space left on device"
    script = ("import logging; from core.logs import setup_logging; setup_logging(); "
              "logging.getLogger('finetune_studio').warning('a line the disk has no room for')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "FTS_DATA_DIR": str(tmp_path)})
    assert done.returncode == 0 and "Traceback" not in done.stderr and "Logging error" not in done.stderr, done.stderr


def test_training_is_not_blocked_by_an_unusable_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.runs.recorder import RunRecorder

    a_file = tmp_path / "data-is-a-file"
    a_file.write_text("x")
    monkeypatch.setenv("FTS_DATA_DIR", str(a_file))
    recorder = RunRecorder.begin(CONFIG)  # "could not record the run", and the run goes on
    assert recorder.run_id and recorder.store is None
