"""Every file read back from a bundle is bounded (issue 24, item 1): a named pipe, a device or an
oversized file in place of ``familiarity.npz``, ``classifier.npz``, ``exports.json``,
``labels.json``... is refused at once with words, never read until the machine runs out of memory
(a symlink to ``/dev/zero``) or blocked on forever (a named pipe)."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from core.files import RefusedFile, read_bounded

ROOT = Path(__file__).resolve().parents[2]


def _finishes(call: Callable[[], Any], fifo: Path | None = None, seconds: float = 10) -> dict[str, Any]:
    """Run ``call`` in a thread; if it is still blocked (on the named pipe) after ``seconds``, open
    the pipe's writing end so the reader sees its end and the test can fail instead of hanging."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # noqa: BLE001 (the test inspects it)
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if fifo is not None:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(5)
        pytest.fail(f"reading a named pipe blocked for {seconds} s")
    return outcome


def test_read_bounded_refuses_pipes_devices_and_oversized_files(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    error = _finishes(lambda: read_bounded(fifo, 1000), fifo).get("error")
    assert isinstance(error, RefusedFile) and "not a regular file" in str(error)
    with pytest.raises(RefusedFile, match="not a regular file"):
        read_bounded("/dev/zero", 1000)
    big = tmp_path / "big.npz"
    with open(big, "wb") as handle:
        handle.truncate(2001)
    with pytest.raises(RefusedFile, match="larger than"):
        read_bounded(big, 2000)
    big.write_bytes(b"x" * 2000)
    assert read_bounded(big, 2000) == b"x" * 2000


def _hostile(folder: Path, name: str, kind: str) -> Path | None:
    """Put a named pipe, a /dev/zero symlink or an oversized sparse file at folder/name; the pipe's path."""
    path = folder / name
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
        return path
    if kind == "zero":
        path.symlink_to("/dev/zero")
        return None
    with open(path, "wb") as handle:
        handle.truncate(3 << 20)  # above the 1 MB limit the test sets
    return None


@pytest.mark.parametrize("kind", ["fifo", "zero", "oversized"])
def test_a_hostile_familiarity_file_is_ignored_at_once(tmp_path: Path, kind: str, monkeypatch, caplog) -> None:
    from core.training import familiarity

    monkeypatch.setattr(familiarity, "MAX_FILE_BYTES", 1 << 20, raising=False)
    fifo = _hostile(tmp_path, familiarity.FAMILIARITY_FILE, kind)
    config = {"familiarity": {"file": familiarity.FAMILIARITY_FILE, "sha256": "0" * 64, "threshold": 0.5,
                              "layer": "pool"}}
    if kind == "zero":  # the reproduction: in a child process whose memory is capped, never this one's
        code = textwrap.dedent(f"""
            import resource, sys
            from pathlib import Path
            from core.training.familiarity import load_familiarity
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(resource.RLIMIT_AS, (3 << 30, hard))
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            result = load_familiarity(Path({str(tmp_path)!r}), {config!r}, 3)
            grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
            print(result, grown)
        """)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0, done.stderr[-2000:]
        result, grown_kb = done.stdout.split()
        assert result == "None" and int(grown_kb) < 100_000, done.stdout  # under 100 MB read
        assert "not a regular file" in done.stderr
        return
    with caplog.at_level(logging.WARNING):
        outcome = _finishes(lambda: familiarity.load_familiarity(tmp_path, config, 3), fifo)
    assert outcome.get("value", "raised") is None
    assert "not a regular file" in caplog.text if kind == "fifo" else "larger than" in caplog.text


@pytest.mark.parametrize("kind", ["fifo", "oversized"])
def test_a_hostile_classifier_file_is_refused_at_once(tmp_path: Path, kind: str, monkeypatch) -> None:
    from core.errors import BundleError
    from core.training import classic

    monkeypatch.setattr(classic, "MAX_FILE_BYTES", 1 << 20, raising=False)
    fifo = _hostile(tmp_path, classic.CLASSIFIER_FILE, kind)
    config = {"method": "svm", "classifier": {"kind": "svm", "sha256": "0" * 64, "labels": ["a", "b"],
                                              "n_classes": 2}}
    outcome = _finishes(lambda: classic.verify_classifier(tmp_path, config, None, ["a", "b"]), fifo)
    error = outcome.get("error")
    assert isinstance(error, BundleError), outcome
    assert ("not a regular file" if kind == "fifo" else "larger than") in str(error)


def test_a_hostile_exports_list_reads_as_empty_at_once(tmp_path: Path) -> None:
    from core.bundles.export_record import EXPORTS_FILE, read_exports

    fifo = _hostile(tmp_path, EXPORTS_FILE, "fifo")
    assert _finishes(lambda: read_exports(tmp_path), fifo).get("value") == []


@pytest.mark.parametrize("name", ["labels.json", "config.json", "metrics.json", "history.csv"])
def test_bundle_text_files_are_read_bounded(tmp_path: Path, name: str) -> None:
    """The reader behind labels/config/metrics/history refuses a pipe in words instead of blocking."""
    from core.bundles import untrusted

    fifo = _hostile(tmp_path, name, "fifo")
    outcome = _finishes(lambda: untrusted.read_text(tmp_path / name, 1000), fifo)
    assert "not a regular file" in str(outcome.get("error")), outcome
