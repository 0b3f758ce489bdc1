"""Deploying a damaged variant: one line, a non-zero exit, no firmware built and no emulator left running
(today TensorFlow Lite Micro crashes the whole command on such a model)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from damaged_models import damage  # noqa: E402
from damaged_models.helpers import damage_stored_variant, emulators_mentioning, tinystudio  # noqa: E402

from tinystudio.core.store import Project  # noqa: E402


def test_deploy_of_a_damaged_variant_says_one_line(project_copy, trained):
    with Project.open(project_copy) as project:
        bad = damage.apply(project.variant_tflite(trained.variant_id), "tensor buffer index past the end")
    damage_stored_variant(project_copy, trained.variant_id, bad)
    proc = tinystudio("deploy", str(project_copy), "--variant", str(trained.variant_id))
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-500:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tinystudio: error: the model file is damaged: "), proc.stderr
    assert "refers to buffer 6160393" in lines[0]
    cache = project_copy.with_name(project_copy.name + "-cache")
    assert not (cache / "firmware").exists()
    assert emulators_mentioning(str(cache)) == []
    assert emulators_mentioning(str(project_copy.parent)) == []
