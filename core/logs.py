"""One log file in the user's data folder: tracebacks go there, never to the user's screen."""
from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from .paths import user_data_dir


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
    return path
