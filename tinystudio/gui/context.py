"""The application's shared state: the open project and the signals pages use to stay in step.

Every page reads what it shows from the project; whoever changes the project (a page after an app call,
File > New / Open) emits the matching signal, and every page that shows that kind of thing re-reads it.
So no page keeps text from an earlier project, sample, run, variant or result."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal

from tinystudio.core.store import Project

_MAX_RECENT = 8


class AppContext(QObject):
    """Holds the open project; pages listen to its signals instead of talking to each other."""

    project_closing = Signal()
    """Emitted while the old project is still open, so pages can finish what they write into it."""
    project_changed = Signal()
    """A different project (or none) is open: every page re-reads everything."""
    samples_changed = Signal()
    """Samples were added, relabelled, moved, cut, cropped, deleted or split."""
    runs_changed = Signal()
    """A training run was stored."""
    variants_changed = Signal()
    """An int8 variant was stored or marked for deploy."""
    results_changed = Signal()
    """An on-device test result was stored."""
    status = Signal(str)

    def __init__(self, parent: QObject | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.settings = settings if settings is not None else QSettings("TinyStudio", "TinyStudio")

    def set_project(self, project: Project | None) -> None:
        """Close the current project (if any) and make ``project`` the open one."""
        if self.project is not None:
            self.project_closing.emit()
            self.project.close()
        self.project = project
        if project is not None:
            self.add_recent(str(project.path))
        self.project_changed.emit()
        self.samples_changed.emit()

    def recent_projects(self) -> list[str]:
        value = self.settings.value("recent_projects", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, path: str) -> None:
        recent = [path] + [p for p in self.recent_projects() if p != path]
        self.settings.setValue("recent_projects", recent[:_MAX_RECENT])

    def close(self) -> None:
        if self.project is not None:
            self.project_closing.emit()
            self.project.close()
            self.project = None
