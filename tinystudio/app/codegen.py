"""Code generation: a stored int8 variant as a self-contained C99 folder (model, weights, the kernels it
needs, a static memory plan), to build into one's own firmware."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress

if TYPE_CHECKING:
    from tinystudio.core.codegen import CodegenReport
    from tinystudio.core.store import Project

__all__ = ["variant_to_c"]


def variant_to_c(
    project: Project,
    variant_id: int,
    out_dir: str | Path,
    *,
    optimize: str = "speed",
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> CodegenReport:
    """Write variant ``variant_id``'s C into ``out_dir`` (new, empty, or written by an earlier export)."""
    from tinystudio.core.codegen import generate

    if not any(v["id"] == variant_id for v in project.variants()):
        raise UserError(f"no model variant with id {variant_id}")
    return generate(project.variant_tflite(variant_id), out_dir, name=f"variant_{variant_id}",
                    progress=progress, cancel=cancel, optimize=optimize)
