"""Sample edits: choose samples, relabel, move to a split (a manual move that later splits keep), set the
group, delete, crop, or cut a stretch into a new sample. The Data page and ``tinystudio samples`` share
these, so a script curates a project exactly as the page does."""

from __future__ import annotations

from collections.abc import Sequence

from tinystudio.app.project import UNASSIGNED
from tinystudio.core.errors import UserError
from tinystudio.core.labels import check_label
from tinystudio.core.segments import crop as _crop
from tinystudio.core.segments import cut_segment
from tinystudio.core.store import SPLITS, Project, SampleInfo

__all__ = ["SPLITS", "UNASSIGNED", "crop", "cut", "delete", "move", "relabel", "select", "set_group"]


def select(
    project: Project, *, label: str | None = None, split: str | None = None, ids: Sequence[int] = ()
) -> list[SampleInfo]:
    """Samples with ``label``, in ``split`` (or ``unassigned``), and among ``ids`` when given.

    An id that names no sample is a UserError, so a typo never silently edits nothing.
    """
    rows = project.samples(label=label)
    if split == UNASSIGNED:
        rows = [r for r in rows if r.split is None]
    elif split:
        rows = [r for r in rows if r.split == split]
    if ids:
        known = {r.id for r in project.samples()}
        missing = [i for i in ids if i not in known]
        if missing:
            raise UserError(f"no sample with id {', '.join(map(str, missing))}")
        wanted = set(ids)
        rows = [r for r in rows if r.id in wanted]
    return rows


def relabel(project: Project, ids: Sequence[int], label: str) -> None:
    """Give the samples ``label``, refused when blank or spanning lines (as every label a user names)."""
    project.relabel(list(ids), check_label(label))


def move(project: Project, ids: Sequence[int], split: str) -> None:
    """A manual move: later automatic splits keep it."""
    project.set_split(list(ids), split, manual=True)


def set_group(project: Project, ids: Sequence[int], group: str | None) -> None:
    """Set the group key (person, session, device); empty or None clears it."""
    project.set_group(list(ids), group or None)


def delete(project: Project, ids: Sequence[int]) -> None:
    project.delete(list(ids))


def crop(project: Project, sample_id: int, start_s: float, end_s: float) -> int:
    """Keep only ``start_s``-``end_s`` of a sample; the frames kept."""
    return _crop(project, sample_id, start_s, end_s)


def cut(project: Project, sample_id: int, start_s: float, end_s: float, label: str | None) -> int:
    """Copy ``start_s``-``end_s`` into a new sample with ``label`` (same split group); the new id."""
    return cut_segment(project, sample_id, start_s, end_s, None if label is None else check_label(label))
