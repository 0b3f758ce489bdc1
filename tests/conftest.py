"""Shared test setup: Qt runs offscreen, TensorFlow stays quiet, user settings go to a scratch folder."""

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# QSettings (recent projects) must never touch the real user's configuration.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="tinystudio-test-config-")

# tests/ helpers (datasets.py, suite_models.py) are importable as plain modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))
