"""The compress and variants commands (JSON a script can read, the deploy mark) and clear one-line errors
for bad options, unknown runs and cancellation midway, which stores nothing."""

from __future__ import annotations

import json

import pytest

from cli_helpers import run_cli
from tinystudio.core.compress import CompressOptions, compress
from tinystudio.core.compress.distill import student_spec
from tinystudio.core.compress.prune import pruning_schedule
from tinystudio.core.errors import Cancelled, UserError
from tinystudio.core.progress import CancelToken
from tinystudio.core.store import Project


@pytest.mark.slow
def test_cli_compress_json_then_variants_table_and_deploy_mark(trained_copy, trained_run):
    code, out, err = run_cli("compress", str(trained_copy), "--method", "ptq", "--method", "distill",
                             "--epochs", "2", "--student", "dense", "--json")  # accuracy is not judged here
    assert code == 0, err
    made = json.loads(out)
    assert made["run_id"] == trained_run.run_id
    assert [v["method"] for v in made["variants"]] == ["ptq", "distill"]
    for v in made["variants"]:
        assert 0.0 <= v["test_accuracy"] <= 1.0
        assert v["flash_bytes"] >= v["weights_bytes"] > 0 and v["arena_bytes"] > 0
    student = made["variants"][1]
    assert student["params"] < trained_run.teacher_params
    code, out, err = run_cli("variants", str(trained_copy), "--use", str(student["variant_id"]))
    assert code == 0, err
    assert "distill" in out and "ptq" in out and "* marked for deploy" in out
    code, out, _ = run_cli("variants", str(trained_copy), "--json")
    listed = {v["variant_id"]: v for v in json.loads(out)["variants"]}
    assert listed[student["variant_id"]]["chosen"] is True
    assert listed[made["variants"][0]["variant_id"]]["chosen"] is False
    with Project.open(trained_copy) as project:
        assert project.get_setting("deploy_variant") == student["variant_id"]


@pytest.mark.parametrize("argv, message", [
    (["--method", "prune", "--sparsity", "1.5"], "sparsity must be"),
    (["--method", "qat", "--epochs", "0"], "epochs must be at least 1"),
    (["--method", "ptq", "--run", "99"], "no run with id 99"),
])
def test_cli_bad_options_are_one_line_errors(trained_copy, argv, message):
    code, out, err = run_cli("compress", str(trained_copy), *argv)
    assert code == 1 and out == ""
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_variants_of_a_project_without_runs(tmp_path):
    path = tmp_path / "empty.tsproj"
    Project.create(path).close()
    code, out, _ = run_cli("variants", str(path))
    assert code == 0 and "no model variants yet" in out
    code, _, err = run_cli("compress", str(path), "--method", "ptq")
    assert code == 1 and "train a model first" in err
    code, _, err = run_cli("variants", str(path), "--use", "3")
    assert code == 1 and "no model variant with id 3" in err


@pytest.mark.slow
def test_cancel_during_fine_tuning_stores_no_variant(project, trained_run):
    token = CancelToken()
    messages = []

    def progress(fraction, message):
        messages.append(message)
        if "epoch 2/" in message:
            token.cancel()

    with pytest.raises(Cancelled):
        compress(project, trained_run.run_id, "prune", CompressOptions(epochs=40), progress, token)
    assert any("epoch 2/" in m for m in messages)
    assert not any("epoch 3/" in m for m in messages)
    assert project.variants() == []


def test_unknown_method_and_option_are_user_errors(project, trained_run):
    with pytest.raises(UserError, match="unknown compression method 'zip'"):
        compress(project, trained_run.run_id, "zip")
    with pytest.raises(UserError, match="unknown compression option 'spars'"):
        compress(project, trained_run.run_id, "prune", {"spars": 0.5})
    with pytest.raises(UserError, match="unknown student model"):
        CompressOptions(student="huge").validate()


def test_student_must_be_smaller_than_teacher():
    spec, _ = student_spec("dense", 1000, (78,), 4)
    assert spec.summary()["params"] < 1000
    with pytest.raises(UserError, match="smaller than the teacher"):
        student_spec("dense", 50, (78,), 4)


@pytest.mark.parametrize("epochs, per_epoch", [(1, 1), (3, 2), (10, 3), (15, 7)])
def test_pruning_schedule_reaches_its_target_within_training(epochs, per_epoch):
    plan = pruning_schedule(epochs * per_epoch, per_epoch, 0.5)
    # tfmot prunes when (step - begin) % frequency == 0 and step <= end: the end must be such a step
    assert (plan["end_step"] - plan["begin_step"]) % plan["frequency"] == 0
    assert plan["end_step"] < epochs * per_epoch
    assert plan["frequency"] >= 1
