"""The log file: where it lives (the platform's per-user log or state folder) and the rotating handler that
writes the app's log records and crash reports there, so a user can send it with a bug report."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

LOG_NAME = "tinystudio.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"


def log_dir() -> Path:
    """``$XDG_STATE_HOME/tinystudio`` (default ``~/.local/state/tinystudio``) on Linux, ``~/Library/Logs/
    TinyStudio`` on macOS, ``%LOCALAPPDATA%\\TinyStudio\\Logs`` on Windows."""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / "TinyStudio"
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "TinyStudio" / "Logs"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "tinystudio"


def log_file() -> Path:
    return log_dir() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send the ``tinystudio`` loggers' records to the rotating log file (once per process; the path of
    the file, or None when its folder cannot be written, in which case nothing is logged to a file)."""
    logger = logging.getLogger("tinystudio")
    path = log_file()
    for handler in logger.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            if Path(handler.baseFilename) == path:
                return path
            logger.removeHandler(handler)  # the folder changed (tests point XDG_STATE_HOME elsewhere)
            handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                       encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    logger.propagate = False  # TensorFlow sets up the root logger to print to stderr: keep the terminal clean
    logger.setLevel(min(level, logger.level or level))
    return path
