"""Compress: make int8 variants of a trained run with one or more methods (post-training quantization,
quantization-aware training, pruning, distillation), one after the other, each stored as soon as it is
done. The Compress page and ``tinystudio compress`` share the run choice, the option defaults and the loop."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tinystudio.core.compress.options import DEFAULT_EPOCHS, METHOD_TITLES, METHODS, CompressOptions, check_method
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.store import Project
from tinystudio.core.training import RUN_KIND

__all__ = ["DEFAULTS", "DEFAULT_EPOCHS", "METHODS", "METHOD_TITLES", "CompressOptions", "compress_run",
           "run_to_compress"]

DEFAULTS = CompressOptions()
"""The options a user starts from (sparsity, student, temperature; epochs per method)."""


def run_to_compress(project: Project, requested: int | None = None) -> int:
    """``requested`` if that run exists, else the newest trained run (a UserError when there is none)."""
    if requested is not None:
        project.run(requested)
        return requested
    runs = project.runs(RUN_KIND)
    if not runs:
        raise UserError("the project has no trained run yet: train a model first")
    return runs[-1].id


def compress_run(
    project: Project,
    run_id: int,
    methods: Sequence[str],
    options: CompressOptions,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    on_method: Callable[[str], None] | None = None,
) -> list[int]:
    """Apply each of ``methods`` (duplicates once) to run ``run_id``; the ids of the variants made.

    ``on_method`` hears each method as it starts; progress covers all methods, each its equal share.
    A cancel or an error keeps the variants finished before it.
    """
    from tinystudio.core.compress import compress

    options.validate()
    methods = [check_method(m) for m in dict.fromkeys(methods)]
    if not methods:
        raise UserError("choose at least one compression method")
    made = []
    for i, method in enumerate(methods):
        if on_method is not None:
            on_method(method)

        def share(f: float, m: str, i: int = i, method: str = method) -> None:
            progress((i + f) / len(methods), f"{method}: {m}")

        made.append(compress(project, run_id, method, options, share, cancel))
    return made
