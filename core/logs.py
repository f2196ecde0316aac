"""One log file in the user's data folder: tracebacks go there, never to the user's screen."""
from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
from logging.handlers import RotatingFileHandler
from pathlib import Path

from core.paths import user_data_dir


LOG_NAME = "finetune-studio.log"


def log_file() -> Path:
    """The log file; in the temporary folder when the app's data folder cannot be used (the error
    that says so must still be logged and shown, not replaced by a traceback from here)."""
    try:
        return user_data_dir() / LOG_NAME
    except (OSError, ValueError):
        return Path(tempfile.gettempdir()) / LOG_NAME


class _QuietFileHandler(RotatingFileHandler):
    """A log record the disk has no room for (or a log file that cannot be opened) is dropped: the
    standard handler prints "--- Logging error ---" and a traceback on the user's screen instead."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def setup_logging(level: int = logging.INFO) -> Path:
    """Idempotent: attach a rotating file handler to the application's logger."""
    logger = logging.getLogger("finetune_studio")
    path = log_file()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in logger.handlers):
        handler = _QuietFileHandler(path, maxBytes=2_000_000, backupCount=2, encoding="utf-8", delay=True)
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
