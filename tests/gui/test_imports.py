"""The window must not pull in TensorFlow when it is imported, and the engine must not pull in Qt."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _loaded_after(code: str) -> dict:
    probe = (f"import sys, json, time\nt = time.perf_counter()\n{code}\n"
             "mods = sorted(sys.modules)\n"
             "print(json.dumps({'seconds': time.perf_counter() - t, 'modules': mods}))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_the_gui_does_not_load_tensorflow() -> None:
    loaded = _loaded_after("import gui.app")
    heavy = [m for m in loaded["modules"] if m.split(".")[0] in ("tensorflow", "keras", "tf_keras")]
    assert heavy == [], f"gui.app imported {heavy[:5]}"
    assert "PySide6.QtWidgets" in loaded["modules"]


def test_core_is_qt_free() -> None:
    loaded = _loaded_after("import core.data.scan, core.backbones, core.events, core.jobs")
    qt = [m for m in loaded["modules"] if m.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6")]
    assert qt == [], f"core imported {qt[:5]}"
