"""Every training run, recorded in one SQLite file in the app's data folder (``runs.sqlite``).

Why SQLite (the standard library's ``sqlite3``): the window's engine process and a CLI run in a
terminal may record runs at the same moment; SQLite's locking makes each write atomic, WAL mode
lets readers (the Runs tab, ``runs``) read while a run writes, and a busy timeout makes a writer
wait for another instead of failing. JSON columns hold what has no fixed shape (the whole
configuration, the per-epoch history, the metrics), so a newer configuration field needs no
migration; the ``schema`` table holds the version for the migrations that will need one.

A run that was ``running`` when its process died (SIGKILL, out-of-memory killer, power cut) has
no chance to record that; :meth:`RunStore.runs` and :meth:`RunStore.get` therefore check the
recorded process (pid *and* its start time, since pids are reused) and store such a run as
``interrupted``. TensorFlow-free: the window imports this module.
"""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
import shutil
import socket
import sqlite3
import time
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from core.errors import RunInUseError, RunNotFoundError, RunStoreError
from core.paths import user_data_dir

SCHEMA_VERSION = 1
STORE_FILE = "runs.sqlite"
RUNS_FOLDER = "runs"  # beside the store: one folder per run (checkpoints, kept bundles); core/bundles/kept_runs.py
STATUSES = ("running", "completed", "stopped", "failed", "interrupted")
BUSY_TIMEOUT_S = 30.0
RUN_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{3,6}$")  # 6 hex digits now (4 in the first stored runs); 3 before the store

_log = logging.getLogger("finetune_studio.runs")

_COLUMNS = ("id", "status", "started", "ended", "data_dir", "data_fingerprint", "config", "history", "metrics",
            "bundle", "versions", "backbone", "method", "epochs", "epochs_done", "val_accuracy", "error",
            "checkpoint", "pid", "process_start", "host")
_JSON = {"config": dict, "history": list, "metrics": dict, "versions": dict}
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, status TEXT NOT NULL, started TEXT NOT NULL, ended TEXT,
    data_dir TEXT, data_fingerprint TEXT, config TEXT NOT NULL DEFAULT '{{}}', history TEXT NOT NULL DEFAULT '[]',
    metrics TEXT NOT NULL DEFAULT '{{}}', bundle TEXT, versions TEXT NOT NULL DEFAULT '{{}}',
    backbone TEXT NOT NULL DEFAULT '', method TEXT NOT NULL DEFAULT '', epochs INTEGER NOT NULL DEFAULT 0,
    epochs_done INTEGER NOT NULL DEFAULT 0, val_accuracy REAL, error TEXT, checkpoint TEXT,
    pid INTEGER, process_start TEXT, host TEXT);
CREATE INDEX IF NOT EXISTS runs_started ON runs (started);
"""


@dataclass
class RunRecord:
    """One run as recorded. ``bundle``: the saved bundle's path, else the kept bundle's, else None;
    ``checkpoint``: the folder of the last checkpoint (None when none is left)."""

    id: str
    status: str
    started: str
    ended: str | None = None
    data_dir: str | None = None
    data_fingerprint: str | None = None
    config: dict = field(default_factory=dict)
    history: list[dict] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    bundle: str | None = None
    versions: dict = field(default_factory=dict)
    backbone: str = ""
    method: str = ""
    epochs: int = 0
    epochs_done: int = 0
    val_accuracy: float | None = None
    error: str | None = None
    checkpoint: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def summary(self) -> dict[str, Any]:
        """The list view's fields (``runs --json``)."""
        keys = ("id", "status", "started", "ended", "data_dir", "backbone", "method", "epochs_done", "epochs",
                "val_accuracy", "bundle")
        accuracy = self.accuracy() or {}
        return {**{key: getattr(self, key) for key in keys}, "val_accuracy_ci": accuracy.get("accuracy_ci"),
                "val_accuracy_text": accuracy.get("text"), "val_accuracy_note": accuracy.get("note"),
                "group_by": self.group_by}

    def accuracy(self) -> dict[str, Any] | None:
        """The validation accuracy with its 95 % interval and wording (core.stats.intervals.recorded_accuracy:
        recomputed from the count for runs recorded before intervals); None before a validation."""
        from core.stats.intervals import recorded_accuracy

        return recorded_accuracy(self.metrics)

    @property
    def group_by(self) -> str | None:
        """The keep-together rule the run used (its settings), None when it split images one by one."""
        groups = (self.metrics or {}).get("groups") or {}
        return groups.get("group_by") or (self.config or {}).get("group_by")


def now() -> str:
    """Local time with its UTC offset, to the second (ISO 8601)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def new_run_id() -> str:
    """Sortable by start time, and almost surely unique across processes (a random suffix):
    ``20261128-191500-ab12cd``. :meth:`RunStore.create` makes it surely unique (a clash draws again)."""
    return f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"


def process_start(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, from /proc), None when it does not
    exist or the system has no /proc. With the pid it names one process: pids are reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22, counted after the parenthesised name


def process_alive(pid: int | None, started: str | None) -> bool:
    if not pid:
        return False
    if Path("/proc").is_dir():
        return started is not None and process_start(pid) == started
    try:  # no /proc (macOS): the pid alone
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunStore:
    """The runs of this data folder. Every call opens its own connection, so one store can be used
    from several threads, and several processes can use the same file."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else user_data_dir() / STORE_FILE
        self.runs_dir = self.path.parent / RUNS_FOLDER
        self.damaged: Path | None = None  # where a damaged store was kept aside when this one started fresh
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise RunStoreError.of("store.folder_run_store_cannot", path=self.path, reason=error.strerror) \
                from None
        try:
            self._open()
        except sqlite3.DatabaseError as error:
            if isinstance(error, sqlite3.OperationalError):
                raise self._failed(error) from None
            self.damaged = self._set_aside(error)
            try:
                self._open()
            except sqlite3.Error as again:
                raise self._failed(again) from None

    def damaged_notice(self) -> str | None:
        """One line for the user when this store started fresh because the old one was damaged (the
        CLI's ``runs`` prints it; the window's Runs tab says the same in its own words); else None."""
        if self.damaged is None:
            return None
        return (f"The run store was damaged; it was kept as '{self.damaged}' and a fresh store was started at "
                f"'{self.path}' (earlier runs are not listed).")

    def _open(self) -> None:
        with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)) as db:
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            db.execute("PRAGMA journal_mode = WAL")  # persistent: recorded in the file
            db.executescript(_SCHEMA)  # idempotent, so two processes may both run it
        with self._connect() as db:
            if db.execute("SELECT version FROM schema").fetchone() is None:
                db.execute("INSERT INTO schema (version) VALUES (?)", (SCHEMA_VERSION,))

    def _set_aside(self, error: sqlite3.Error) -> Path:
        """Move a store file SQLite cannot read ("file is not a database", "malformed") to
        ``runs.sqlite.damaged-<time>`` (its -wal and -shm files beside it), so that a fresh store can
        start, training is never blocked by it, and the old file is there for whoever wants to look."""
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        try:
            for suffix in ("", "-wal", "-shm"):
                if os.path.lexists(f"{self.path}{suffix}"):
                    os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
        except OSError as failure:
            raise RunStoreError.of("store.run_store_damaged_could", path=self.path, error=error,
                                   reason=failure.strerror) from None
        _log.warning("The run store '%s' is damaged (%s): kept as '%s'; a fresh store was started.",
                     self.path, error, aside)
        return aside

    def _failed(self, error: sqlite3.Error) -> RunStoreError:
        text = str(error)
        hint = ("; is the disk full?" if "disk" in text or "full" in text
                else "; is its folder writable?" if "readonly" in text or "unable to open" in text else "")
        return RunStoreError.of("store.run_store_could_not", path=self.path, text=text, hint=hint)

    @contextmanager
    def _connect(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction: a write takes the lock at once (``BEGIN IMMEDIATE``: one writer at a time,
        others wait for the busy timeout, never fail); a read is deferred, so WAL lets it read beside
        a writer instead of queueing behind it. A failure of the file itself (a full disk, a folder
        made read-only) becomes a RunStoreError naming it."""
        try:
            with closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)) as db:
                db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                db.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, never corrupt
                db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield db
                except BaseException:
                    with suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
        except RunStoreError:
            raise
        except sqlite3.OperationalError as error:
            raise self._failed(error) from None

    # -- reading ---------------------------------------------------------------------------------
    def runs(self) -> list[RunRecord]:
        """Every run, newest first; a ``running`` run whose process is gone is stored and reported as
        ``interrupted``."""
        with self._connect(write=False) as db:
            rows = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM runs ORDER BY started DESC, id DESC").fetchall()
        return [self._record(row) for row in self._mark_dead(rows)]

    def get(self, run_id: str) -> RunRecord:
        """The run ``run_id``, or the one run whose id starts with it; RunNotFoundError otherwise."""
        with self._connect(write=False) as db:
            row = self._row(db, run_id)
        return self._record(self._mark_dead([row])[0])

    def folder(self, run_id: str) -> Path:
        """The run's own folder (checkpoints, kept bundles): ``<data folder>/runs/<id>``."""
        return self.runs_dir / run_id

    def _row(self, db: sqlite3.Connection, run_id: str) -> tuple:
        run_id = str(run_id).strip()
        select = f"SELECT {', '.join(_COLUMNS)} FROM runs"
        row = db.execute(f"{select} WHERE id = ?", (run_id,)).fetchone()
        if row is not None:
            return row
        if run_id:
            pattern = run_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = db.execute(f"{select} WHERE id LIKE ? ESCAPE '\\' LIMIT 3", (pattern,)).fetchall()
            if len(rows) == 1:
                return rows[0]
            if rows:
                raise RunNotFoundError.of("store.names_several_runs_give", run_id=run_id,
                                          items=', '.join((r[0] for r in rows)))
        raise RunNotFoundError.of("store.there_no_run_see", run_id=run_id)

    @staticmethod
    def _dead(values: dict[str, Any]) -> bool:
        """Recorded ``running`` by a process of this host that is gone (killed, power cut)."""
        return values["status"] == "running" and values["host"] == socket.gethostname() \
            and not process_alive(values["pid"], values["process_start"])

    def _mark_dead(self, rows: list[tuple]) -> list[tuple]:
        """``rows``, those of a dead process stored and returned as ``interrupted``: one short write,
        only when there is such a row, and only if the row still names that process (it may have been
        continued since it was read)."""
        dead = [i for i, row in enumerate(rows) if self._dead(dict(zip(_COLUMNS, row)))]
        if not dead:
            return rows
        rows = list(rows)
        status = _COLUMNS.index("status")
        with self._connect() as db:
            for i in dead:
                values = dict(zip(_COLUMNS, rows[i]))
                changed = db.execute("UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running' "
                                     "AND pid IS ? AND process_start IS ?",
                                     (values["id"], values["pid"], values["process_start"])).rowcount
                if changed:
                    rows[i] = (*rows[i][:status], "interrupted", *rows[i][status + 1:])
                else:  # continued (or deleted) between the read and this write: as it is now
                    now_row = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM runs WHERE id = ?",
                                         (values["id"],)).fetchone()
                    rows[i] = now_row if now_row is not None else rows[i]
        return rows

    def _record(self, row: tuple) -> RunRecord:
        values = dict(zip(_COLUMNS, row))
        for name, kind in _JSON.items():
            try:
                values[name] = json.loads(values[name]) if values[name] else kind()
            except ValueError:
                values[name] = kind()
        if values["checkpoint"] and not Path(values["checkpoint"]).is_dir():
            values["checkpoint"] = None  # pruned with its run folder
        return RunRecord(**{k: v for k, v in values.items() if k in RunRecord.__dataclass_fields__})

    # -- writing (the recorder, core/runs/recorder.py) -------------------------------------------
    def create(self, config: dict, *, run_id: str | None = None, data_dir: str | None = None,
               data_fingerprint: str | None = None, versions: dict | None = None, pid: int | None = None) -> RunRecord:
        """Record a new ``running`` run of this process (or ``pid``'s)."""
        pid = os.getpid() if pid is None else pid
        if run_id is None:  # a new id; one that is taken (two runs in the same second) draws again
            for _ in range(100):
                run_id = new_run_id()
                if not self._exists(run_id) and not self.folder(run_id).exists():
                    break
        values = {"id": run_id, "status": "running", "started": now(), "data_dir": data_dir,
                  "data_fingerprint": data_fingerprint, "config": json.dumps(config, default=str),
                  "versions": json.dumps(versions or {}), "backbone": str(config.get("backbone", "")),
                  "method": str(config.get("method", "")), "epochs": int(config.get("epochs") or 0),
                  "pid": pid, "process_start": process_start(pid), "host": socket.gethostname()}
        with self._connect() as db:
            db.execute(f"INSERT INTO runs ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                       tuple(values.values()))
        return self.get(run_id)

    def _exists(self, run_id: str) -> bool:
        with self._connect(write=False) as db:
            return db.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is not None

    def update(self, run_id: str, **fields: Any) -> None:
        """Set some fields of a run (JSON fields as Python values)."""
        unknown = set(fields) - set(_COLUMNS) - {"id"}
        if unknown:
            raise ValueError(f"not a run field: {', '.join(sorted(unknown))}")
        values = {k: json.dumps(v, default=str) if k in _JSON else v for k, v in fields.items()}
        with self._connect() as db:
            sets = ", ".join(f"{k} = ?" for k in values)
            if db.execute(f"UPDATE runs SET {sets} WHERE id = ?", (*values.values(), run_id)).rowcount == 0:
                raise RunNotFoundError.of("store.there_no_run_see", run_id=run_id)

    def add_epoch(self, run_id: str, row: dict) -> None:
        """Append one finished epoch to the history (read-modify-write inside one transaction)."""
        with self._connect() as db:
            found = db.execute("SELECT history FROM runs WHERE id = ?", (run_id,)).fetchone()
            if found is None:
                raise RunNotFoundError.of("store.there_no_run", run_id=run_id)
            history = json.loads(found[0] or "[]")
            history.append(row)
            val = row.get("val_accuracy")
            db.execute("UPDATE runs SET history = ?, epochs_done = ?, val_accuracy = COALESCE(?, val_accuracy) "
                       "WHERE id = ?", (json.dumps(history, default=str), len(history), val, run_id))

    def restart(self, run_id: str, pid: int | None = None) -> None:
        """Claim a run for this process (resume): mark it ``running`` again, in one write, unless it is
        running (RunInUseError), so two fronts continuing the same run cannot both go ahead."""
        pid = os.getpid() if pid is None else pid
        with self._connect() as db:
            values = dict(zip(_COLUMNS, self._row(db, run_id)))
            if self._dead(values):
                db.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", (values["id"],))
            claimed = db.execute("UPDATE runs SET status = 'running', ended = NULL, error = NULL, pid = ?, "
                                 "process_start = ?, host = ? WHERE id = ? AND status != 'running'",
                                 (pid, process_start(pid), socket.gethostname(), values["id"])).rowcount
        if not claimed:
            raise RunInUseError.of("runs.run_still_running_can", id=values["id"])

    def delete(self, run_id: str) -> None:
        """Forget the run and delete its folder (checkpoints and the kept bundles: the app's copies).
        A bundle the user saved elsewhere is never touched. A run still running is refused: the record
        goes first, in one write that a running run never passes, then its folder."""
        with self._connect() as db:
            values = dict(zip(_COLUMNS, self._row(db, run_id)))
            if self._dead(values):
                db.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", (values["id"],))
            deleted = db.execute("DELETE FROM runs WHERE id = ? AND status != 'running'", (values["id"],)).rowcount
        if not deleted:
            raise RunInUseError.of("store.run_still_running_stop", id=values["id"])
        folder = self.folder(values["id"])
        if RUN_ID.match(values["id"]) and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
