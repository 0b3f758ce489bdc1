"""Plain int8 post-training quantization of a run: the baseline the other compression methods are
compared against, and the variant the Deploy step makes when it is given a run without one. This is the
only post-training quantization path; Compress and Deploy both store their int8 variants through it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tinystudio.core.compress.variant import Job, compression_method

if TYPE_CHECKING:
    from tinystudio.core.store import Project

PTQ_KIND = "int8_ptq"  # the variant config's "kind" (older projects stored plain quantization the same way)


@compression_method
def ptq(job: Job) -> int:
    """Quantize the job's run model to int8 as it is; returns the stored variant id."""
    job.progress(0.2, "loading the trained model")
    return job.store(job.trained_model(), share_from=0.3)


def latest_ptq_variant(project: Project, run_id: int) -> dict[str, Any] | None:
    """The newest plain-quantization variant of ``run_id``, if any."""
    found = [v for v in project.variants(run_id) if v["config"].get("kind") == PTQ_KIND]
    return found[-1] if found else None
