"""One log file in the user's data folder: tracebacks go there, never to the user's screen."""
from __future__ import annotations

import contextlib
import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from core.paths import user_data_dir


def log_file() -> Path:
    return user_data_dir() / "finetune-studio.log"


def setup_logging(level: int = logging.INFO) -> Path:
    """Idempotent: attach a rotating file handler to the application's logger."""
    logger = logging.getLogger("finetune_studio")
    path = log_file()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in logger.handlers):
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=2, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False  # the file is the record; users see our one-line messages, not log noise
    return path


@contextlib.contextmanager
def quiet_native_stderr():
    """Send file descriptor 2 to /dev/null while native libraries print start-up noise.

    Python exceptions are unaffected: they are raised, not printed, inside the block.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (e.g. a GUI launcher): nothing to hide
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
