"""Compression of a trained run into full-integer int8 variants (post-training quantization,
quantization-aware training, magnitude pruning, distillation) and their side-by-side comparison.

Importing this package does not import TensorFlow; each method loads it when it starts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tinystudio.core.compress.options import METHOD_TITLES, METHODS, CompressOptions, check_method
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress

if TYPE_CHECKING:
    from tinystudio.core.store import Project

__all__ = ["METHODS", "METHOD_TITLES", "CompressOptions", "compress"]


def compress(
    project: Project,
    run_id: int,
    method: str,
    options: CompressOptions | dict[str, Any] | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Run compression ``method`` on run ``run_id``; returns the id of the stored int8 variant."""
    check_method(method)
    run = project.run(run_id)  # a clear error for an unknown run before any work
    preset = ((run.config.get("impulse") or {}).get("model") or {}).get("preset")
    from tinystudio.core.models import is_classical

    if is_classical(str(preset)):
        raise UserError(f"run {run_id} is a tree model ({preset}): it needs no compression, its variant was "
                        "stored when it was trained")
    module = importlib.import_module(f"tinystudio.core.compress.{method}")
    fn = getattr(module, method)
    return int(fn(project, run_id, options, progress, cancel))
