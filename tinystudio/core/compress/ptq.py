"""Plain int8 post-training quantization of a run, as a compression variant with the same figures as
the others (the baseline the other methods are compared against)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tinystudio.core.compress.options import CompressOptions
from tinystudio.core.compress.variant import begin, store_int8_variant
from tinystudio.core.progress import CancelToken, Progress

if TYPE_CHECKING:
    from tinystudio.core.store import Project


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
