"""Where a test window lies in its recording, in seconds, so a window the board got differently from the
host can be shown on the Data step as the shaded band (ready to cut out as a sample of its own)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tinystudio.core.errors import UserError
from tinystudio.core.windows import ms_to_frames

if TYPE_CHECKING:
    from tinystudio.core.store import Project


def window_span(project: Project, run_id: int, sample_id: int, window_index: int) -> tuple[float, float] | None:
    """Start and end (s) of window ``window_index`` of ``sample_id`` as run ``run_id`` cut it (windows start at
    0, stride, 2 x stride, ... as core/windows.py cuts them); None when the run or sample is gone."""
    try:
        window = project.run(run_id).config["impulse"]["window"]
        info = project.sample_info(sample_id)
    except (UserError, KeyError, TypeError):
        return None
    rate = float(info.rate_hz)
    win = ms_to_frames(float(window["window_ms"]), rate)
    stride = max(1, ms_to_frames(float(window["stride_ms"]), rate))
    start = window_index * stride / rate
    if start >= info.duration_s:
        return None
    return start, min(info.duration_s, start + win / rate)
