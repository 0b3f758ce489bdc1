"""Recording through the capture use case reports how far it is and can be ended early, keeping what
was recorded (as the Device page's Stop button does)."""

from __future__ import annotations

from tinystudio.app.capture import SIMULATED_PORT, record
from tinystudio.core.progress import CancelToken
from tinystudio.core.store import Project


def test_progress_then_cancel_keeps_a_shorter_sample(tmp_path):
    seen: list[float] = []
    cancel = CancelToken()

    def progress(fraction: float, message: str) -> None:
        seen.append(fraction)
        if fraction >= 0.2:
            cancel.cancel()

    with Project.create(tmp_path / "p.tsproj") as project:
        done = record(project, SIMULATED_PORT, "swing", 10.0, activity="pendulum", progress=progress, cancel=cancel)
        info = project.sample_info(done.sample_id)
    assert seen and seen == sorted(seen) and 0.2 <= seen[-1] < 0.6
    assert info.label == "swing"
    assert 1.0 <= info.duration_s < 6.0  # ended early, not the 10 s asked for
    assert done.error is None
