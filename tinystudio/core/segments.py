"""Crop a recording, or cut a stretch of it out into a new labelled sample, without leaking across splits.

A segment cut from a recording is still the same recording as far as leakage goes: it joins its
parent's group (a group named after the parent when it had none), so the split keeps them together.
"""

from __future__ import annotations

from tinystudio.core.errors import UserError
from tinystudio.core.limits import MAX_SECONDS, finite
from tinystudio.core.store import Project, SampleInfo


def _frames(info: SampleInfo, start_s: float, end_s: float) -> tuple[int, int]:
    """Frame bounds of [start_s, end_s), refused unless finite, ordered and overlapping the recording."""
    start_s = finite("the selection's start (s)", start_s, -MAX_SECONDS, MAX_SECONDS)
    end_s = finite("the selection's end (s)", end_s, -MAX_SECONDS, MAX_SECONDS)
    if end_s <= start_s:
        raise UserError(f"the selection must end after it starts, got {start_s:g}-{end_s:g} s")
    start = max(0, int(round(start_s * info.rate_hz)))
    end = min(info.frames, int(round(end_s * info.rate_hz)))
    if end - start < 1:
        raise UserError(f"the selection {start_s:.3f}-{end_s:.3f} s holds no frame of sample {info.id}")
    return start, end


def crop(project: Project, sample_id: int, start_s: float, end_s: float) -> int:
    """Keep only [start_s, end_s) of a sample; returns the number of frames kept."""
    info = project.sample_info(sample_id)
    start, end = _frames(info, start_s, end_s)
    project.replace_signal(sample_id, project.load_signal(sample_id)[start:end])
    return end - start


def cut_segment(project: Project, sample_id: int, start_s: float, end_s: float, label: str | None) -> int:
    """Copy [start_s, end_s) of a sample into a new sample with ``label``; the parent stays as it is."""
    info = project.sample_info(sample_id)
    start, end = _frames(info, start_s, end_s)
    group = info.group or f"recording-{info.id}"
    with project.transaction():
        if info.group is None:
            project.set_group([sample_id], group)
        new_id = project.add_sample(
            project.load_signal(sample_id)[start:end],
            info.rate_hz,
            info.axis_names,
            label,
            units=info.units,
            group=group,
            source=info.source,
            name=f"{info.name or 'sample ' + str(info.id)} [{start_s:.2f}-{end_s:.2f} s]",
            split=info.split,
        )
    return new_id
