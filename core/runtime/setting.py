"""The one reading of the runtime setting (TensorFlow-free): ``FTS_RUNTIME`` = ``auto`` (default: the
fastest verified runtime here), ``keras`` (every forward pass in TensorFlow: the escape hatch and the
baseline of comparisons), or ``litert`` / ``onnx`` to insist on one converted runtime (benchmarks).

Why an environment variable: the engine is a child process that inherits it, so the window can send
the setting the way it sends the weights folder (gui/engine_setting.py), and the CLI's ``--runtime``
sets it for its own process before any work.
"""
from __future__ import annotations

import contextlib
import logging
import os
from typing import Iterator

RUNTIME_ENV = "FTS_RUNTIME"
CHOICES = ("auto", "keras", "litert", "onnx")
_warned: set[str] = set()


def chosen_runtime() -> str:
    """The setting; an unknown value reads ``auto`` (said once in the log, never fatal)."""
    value = os.environ.get(RUNTIME_ENV, "").strip().lower() or "auto"
    if value not in CHOICES:
        if value not in _warned:
            _warned.add(value)
            logging.getLogger(__name__).warning("%s=%r is not one of %s; using auto.", RUNTIME_ENV, value,
                                                ", ".join(CHOICES))
        return "auto"
    return value


def set_runtime(choice: str) -> None:
    """Set the runtime for this process and the engine processes it starts (the CLI's ``--runtime``)."""
    if choice not in CHOICES:
        raise ValueError(f"Unknown runtime '{choice}' (choose {', '.join(CHOICES)}).")
    os.environ[RUNTIME_ENV] = choice


@contextlib.contextmanager
def runtime_setting(choice: str | None) -> Iterator[None]:
    """The runtime ``choice`` (None: leave the setting as it is) for the duration of one command,
    then the previous setting again (the CLI's ``main`` may run several commands in one process)."""
    if choice is None:
        yield
        return
    before = os.environ.get(RUNTIME_ENV)
    set_runtime(choice)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(RUNTIME_ENV, None)
        else:
            os.environ[RUNTIME_ENV] = before
