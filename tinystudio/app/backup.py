"""Backup and restore of a project file, for the command line and the window alike (see core/store_backup.py
for why a restore must not be a plain file copy)."""

from __future__ import annotations

import os

from tinystudio.core import store_backup
from tinystudio.core.store import Project

__all__ = ["backup", "restore"]


def backup(project: Project, dest: str | os.PathLike[str]) -> int:
    """Write a self-contained copy of ``project`` to the new file ``dest``; the number of samples in it."""
    return store_backup.backup(project, dest)


def restore(backup_path: str | os.PathLike[str], project_path: str | os.PathLike[str]) -> int:
    """Make the project at ``project_path`` exactly the backup; the number of samples it now holds.
    Refuses in one line while another program has the project open."""
    return store_backup.restore(backup_path, project_path)
