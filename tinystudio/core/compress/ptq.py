"""Plain int8 post-training quantization of a run: the baseline the other compression methods are
compared against, and the variant the Deploy step makes when it is given a run without one. This is the
only post-training quantization path; Compress and Deploy both store their int8 variants through it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tinystudio.core.compress.options import CompressOptions
from tinystudio.core.compress.variant import begin, store_int8_variant
from tinystudio.core.progress import CancelToken, Progress

if TYPE_CHECKING:
    from tinystudio.core.store import Project

PTQ_KIND = "int8_ptq"  # the variant config's "kind" (older projects stored plain quantization the same way)


def ptq(
    project: Project,
    run_id: int,
    options: CompressOptions | dict[str, Any] | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Quantize run ``run_id``'s trained model to int8 as it is; returns the stored variant id."""
    from tinystudio.core.training import load_run_model

    job = begin(project, run_id, options, progress, cancel)
    opts, progress, cancel, started, rd = job.opts, job.progress, job.cancel, job.started, job.rd
    progress(0.2, "loading the trained model")
    model = load_run_model(project, run_id)
    return store_int8_variant(project, run_id, rd, model, "ptq", opts.for_method("ptq"),
                              lambda f, m: progress(0.3 + 0.7 * f, m), cancel, started=started)


def latest_ptq_variant(project: Project, run_id: int) -> dict[str, Any] | None:
    """The newest plain-quantization variant of ``run_id``, if any."""
    found = [v for v in project.variants(run_id) if v["config"].get("kind") == PTQ_KIND]
    return found[-1] if found else None
