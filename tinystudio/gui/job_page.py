"""A step page that runs one long use case at a time in a worker thread: its Cancel button, progress bar
and status line, and the worker's life cycle (start, progress, done / failed / cancelled, shutdown).
Subclasses say what to show when a job ends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QProgressBar, QPushButton, QWidget

from tinystudio.gui.context import AppContext
from tinystudio.gui.widgets.flow_label import FlowLabel
from tinystudio.gui.worker import Worker, run_in_thread

STEPS = 1000  # progress bar resolution


class JobPage(QWidget):
    """Base of the pages with a long job (see module docstring)."""

    SHUTDOWN_WAIT_MS = 30000  # how long closing waits for a cancelled job to stop

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.worker: Worker | None = None
        self.last_error = ""
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_job)
        self.progress = QProgressBar()
        self.progress.setRange(0, STEPS)
        self.status = FlowLabel()  # an error naming a long path breaks, never widens the window
        self._orphan: Worker | None = None  # a job whose project was closed while it ran
        # a job never outlives its project: closing it (File > New / Open) cancels the job and waits for it
        context.project_closing.connect(self.shutdown)
        context.project_changed.connect(self._project_changed)

    # -- what subclasses override ----------------------------------------------------------------

    def job_done(self, result: Any) -> None:
        """The job returned ``result`` (the bar is full)."""

    def job_failed(self, message: str) -> None:
        """The job stopped with a one-line error (kept in ``last_error``)."""
        self.status.setText(f"Failed: {message}")

    def job_cancelled(self) -> None:
        """The user cancelled the job (the bar is empty)."""
        self.status.setText("Cancelled.")

    def job_ended(self) -> None:
        """After any end, before the specific handler: re-enable what the job disabled."""

    def refresh_choices(self) -> None:
        """Re-read what the page offers to choose from (called when it is shown while idle)."""

    # -- the job ---------------------------------------------------------------------------------

    def start_job(self, fn: Callable[..., Any], *args: Any, starting: str = "starting…", **kwargs: Any) -> Worker:
        """Run ``fn(*args, progress=..., cancel=..., **kwargs)`` in a worker thread."""
        self.last_error = ""
        self.progress.setValue(0)
        self.status.setText(starting)
        self.cancel_button.setEnabled(True)
        self.worker = run_in_thread(fn, *args, on_progress=self._on_progress, on_done=self._on_done,
                                    on_error=self._on_error, on_cancelled=self._on_cancelled, **kwargs)
        return self.worker

    def cancel_job(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText("cancelling…")

    def shutdown(self) -> None:
        """Stop a running job before its project closes or the window closes."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait(self.SHUTDOWN_WAIT_MS)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.worker is None:
            self.refresh_choices()

    def _project_changed(self) -> None:
        """Another project is open: the status line and the bar of the last one's job (full after it
        finished) go, and a job still ending (cancelled by the close) will say nothing here. Subclasses,
        connected after this, then say what the new project needs."""
        self.status.setText("")
        if self.worker is None:
            self.progress.setValue(0)
        else:
            self._orphan = self.worker

    def _on_progress(self, fraction: float, message: str) -> None:
        if self.worker is None or self.worker is not self._orphan:
            self.progress.setValue(int(STEPS * fraction))
            self.status.setText(message)

    def _end(self) -> bool:
        """The worker is gone; False when its project was closed while it ran: then its end (cancelled by
        the close) says nothing on the page, which shows another project now."""
        ended, self.worker = self.worker, None
        self.cancel_button.setEnabled(False)
        self.job_ended()
        if ended is None or ended is not self._orphan:
            return True
        self._orphan = None
        self.progress.setValue(0)
        return False

    def _on_done(self, result: Any) -> None:
        if self._end():
            self.progress.setValue(STEPS)
            self.job_done(result)

    def _on_error(self, message: str) -> None:
        if self._end():
            self.progress.setValue(0)  # a full or part-full bar beside "Failed" would say the job got that far
            self.last_error = message
            self.job_failed(message)

    def _on_cancelled(self) -> None:
        if self._end():
            self.progress.setValue(0)
            self.job_cancelled()
