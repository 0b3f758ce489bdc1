"""The command line with a damaged model: one line and a non-zero exit (codegen), the damaged variant
listed and marked (variants), never a traceback or a crash."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import suite_models
from damaged_models import damage
from damaged_models.helpers import damage_stored_variant, tinystudio
from tinystudio.core.errors import UserError
from tinystudio.core.store import Project


@pytest.fixture(scope="module")
def model() -> bytes:
    return suite_models.build("motion_cnn_1d")


def _damaged(model: bytes, name: str) -> bytes:
    return dict(damage.structural(model))[name]


def _one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tinystudio: error: "), stderr
    return lines[0]


def test_codegen_of_a_damaged_file_says_one_line_and_writes_nothing(model, tmp_path):
    bad = tmp_path / "damaged.tflite"
    bad.write_bytes(_damaged(model, "opcode index past the end"))
    out = tmp_path / "gen"
    proc = tinystudio("codegen", str(bad), "--out", str(out))
    assert proc.returncode == 1
    line = _one_error_line(proc.stderr)
    assert "damaged" in line and "operator code 40" in line
    assert not out.exists() or not any(out.iterdir())


def test_codegen_of_a_truncated_file_says_one_line(model, tmp_path):
    bad = tmp_path / "cut.tflite"
    bad.write_bytes(model[: len(model) // 2])
    proc = tinystudio("codegen", str(bad), "--out", str(tmp_path / "gen"))
    assert proc.returncode == 1
    assert "truncated" in _one_error_line(proc.stderr)


def test_the_interpreter_crash_of_a_damaged_model_becomes_one_line(model):
    """TFLite Micro crashes on a tensor whose buffer index is out of range; the app must not."""
    code = ("import sys; from tinystudio.core.int8_reference import Int8Reference; "
            "Int8Reference(sys.stdin.buffer.read())")
    proc = subprocess.run([sys.executable, "-c", code], input=_damaged(model, "tensor buffer index past the end"),
                          capture_output=True)
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-300:])
    assert b"UserError: the model file is damaged: tensor 9" in proc.stderr


def test_the_store_refuses_a_damaged_variant(model, tmp_path):
    with Project.create(tmp_path / "p.tsproj") as project:
        with pytest.raises(UserError, match="damaged"):
            project.add_variant(None, "bad", _damaged(model, "int8 scale NaN"), {}, {})
        assert project.variants() == []


@pytest.fixture
def project_with_damaged_variant(model, tmp_path):
    path = tmp_path / "p.tsproj"
    with Project.create(path) as project:
        intact = project.add_variant(None, "intact", model, {"method": "ptq"}, {})
        broken = project.add_variant(None, "broken", model, {"method": "ptq"}, {})
    damage_stored_variant(path, broken, _damaged(model, "opcode index past the end"))
    return path, intact, broken


def test_variants_lists_the_damaged_variant_marked(project_with_damaged_variant):
    path, intact, broken = project_with_damaged_variant
    proc = tinystudio("variants", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.split() and line.split()[0].isdigit()}
    assert "DAMAGED" in rows[str(broken)] and "DAMAGED" not in rows[str(intact)]
    assert rows[str(broken)].split()[-5:] == ["-"] * 5  # no sizes made up for a model that cannot be read
    assert f"variant {broken}: the model file is damaged: op 0 uses operator code 40" in proc.stdout

    proc = tinystudio("variants", str(path), "--json")
    damaged = {v["variant_id"]: v["damaged"] for v in json.loads(proc.stdout)["variants"]}
    assert damaged[intact] is None and "operator code 40" in damaged[broken]


def test_a_damaged_variant_cannot_be_marked_for_deploy(project_with_damaged_variant):
    path, _intact, broken = project_with_damaged_variant
    proc = tinystudio("variants", str(path), "--use", str(broken))
    assert proc.returncode == 1
    assert f"variant {broken} cannot be deployed" in _one_error_line(proc.stderr)
