"""Shared test setup: Qt runs offscreen, TensorFlow stays quiet, user settings and logs go to scratch folders."""

import os
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# QSettings (recent projects) must never touch the real user's configuration.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="tinystudio-test-config-")
# ... nor write into the real user's log file.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="tinystudio-test-state-")

# tests/ helpers (datasets.py, suite_models.py) are importable as plain modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def bm_split_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BasicMotions imported through the CSV importer and split 70/15/15, once per session.

    Tests that change it take a copy: `shutil.copy(bm_split_project, tmp_path / "x.tsproj")`.
    """
    from datasets import write_basic_motions_csv
    from tinystudio.core.formats import import_files
    from tinystudio.core.split import assign_splits
    from tinystudio.core.store import Project

    root = tmp_path_factory.mktemp("basic_motions_split")
    path = root / "bm.tsproj"
    with Project.create(path) as project:
        import_files(project, write_basic_motions_csv(root / "csv"))
        assign_splits(project)
    return path
