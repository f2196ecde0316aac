"""Issue 25's data loss and issue 24's kill between an export's two renames, at the domain level and
without TensorFlow: an export never replaces another format's or another model's export unless told
to, the bundle's list of exports names only those still there, and an export folder hidden by a
killed swap is back on the next read. Export folders written by hand as core.bundles.export writes
them; the kill is a real SIGKILL of a real process at the moment between the renames."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.bundles.export import MARK, REPORT_FILE, ExportReplaceError, check_export_target
from core.bundles.export_record import existing_exports, record_export
from core.errors import OutputTargetError

ROOT = Path(__file__).resolve().parents[2]


def _export(folder: Path, fmt: str, bundle: Path) -> Path:
    folder.mkdir(parents=True)
    name = "model.onnx" if fmt == "onnx" else "model.tflite"
    (folder / name).write_bytes(b"model bytes " + fmt.encode())
    (folder / "labels.json").write_text('["a", "b"]')
    (folder / REPORT_FILE).write_text(json.dumps({"kind": MARK, "bundle": str(bundle), "format": fmt,
                                                  "path": str(folder / name)}))
    return folder / name


def test_an_export_of_another_format_or_model_is_replaced_only_when_asked(tmp_path: Path) -> None:
    bundle, other = tmp_path / "cells", tmp_path / "mnist"
    bundle.mkdir(), other.mkdir()
    model = _export(tmp_path / "mnist-tflite", "tflite", bundle)
    with pytest.raises(ExportReplaceError, match="TFLite") as caught:
        check_export_target(tmp_path / "mnist-tflite", "onnx", bundle_dir=bundle)
    assert isinstance(caught.value, OutputTargetError) and caught.value.existing_format == "tflite"
    assert caught.value.existing_bundle == str(bundle) and "replace" in str(caught.value)
    with pytest.raises(ExportReplaceError, match="another model"):
        check_export_target(tmp_path / "mnist-tflite", "tflite", bundle_dir=other)
    assert model.read_bytes() == b"model bytes tflite"
    check_export_target(tmp_path / "mnist-tflite", "tflite", bundle_dir=bundle)  # the same export again: fine
    check_export_target(tmp_path / "mnist-tflite", "onnx", bundle_dir=bundle, replace=True)


def test_the_list_of_exports_names_only_those_still_there(tmp_path: Path) -> None:
    bundle = tmp_path / "cells"
    bundle.mkdir()
    kept, gone = _export(tmp_path / "a", "tflite", bundle), _export(tmp_path / "b", "onnx", bundle)
    for model, fmt in ((kept, "tflite"), (gone, "onnx")):
        record_export(bundle, {"format": fmt, "path": str(model)})
    gone.unlink()
    present, missing = existing_exports(bundle)
    assert [e["path"] for e in present] == [str(kept)] and [e["path"] for e in missing] == [str(gone)]


KILL_BETWEEN_RENAMES = """
import os, signal, sys
from pathlib import Path
from core.bundles import atomic
target, fresh = Path(sys.argv[1]), Path(sys.argv[2])
atomic._between_renames = lambda: os.kill(os.getpid(), signal.SIGKILL)
with atomic.locked(target):
    atomic.swap_in(fresh, target)
"""


def test_an_export_folder_hidden_by_a_killed_swap_is_back_on_the_next_read(tmp_path: Path) -> None:
    bundle = tmp_path / "cells"
    bundle.mkdir()
    model = _export(tmp_path / "exported", "tflite", bundle)
    record_export(bundle, {"format": "tflite", "path": str(model)})
    fresh = tmp_path / ".exported.saving-1-x"
    _export(fresh, "tflite", bundle)
    done = subprocess.run([sys.executable, "-c", KILL_BETWEEN_RENAMES, str(tmp_path / "exported"), str(fresh)],
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == -9 and not (tmp_path / "exported").exists()
    present, missing = existing_exports(bundle)  # the report's read
    assert [e["path"] for e in present] == [str(model)] and not missing
    assert model.read_bytes() == b"model bytes tflite"
