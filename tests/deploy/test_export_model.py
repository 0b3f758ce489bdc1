"""Model exports: the C library folder compiles as it is for the host and a Cortex-M4 and its main gives the
host int8 model's scores on real test windows; the .tflite export carries labels and the impulse; an
export refuses someone else's folder; the CLI and the Deploy page write identical files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tinystudio.app.export_model import export_model
from tinystudio.core.errors import UserError
from tinystudio.core.int8_reference import Int8Reference
from tinystudio.core.pipeline_data import pipeline_data

ARM_FLAGS = ["-std=c99", "-O2", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16",
             "-Wall", "-Wextra", "-Werror"]


def _compile_host(folder: Path, exe: Path) -> None:
    sources = sorted(str(p) for p in folder.glob("*.c"))
    subprocess.run(["cc", "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", *sources, "-lm", "-o", str(exe)],
                   check=True, capture_output=True, text=True)


def test_c_library_runs_test_windows_like_the_host_int8_model(project, trained, tmp_path):
    if shutil.which("cc") is None:
        pytest.skip("no host C compiler")
    out = tmp_path / "lib"
    done = export_model(project, trained.variant_id, "c-library", out)
    assert {"main.c", "ts_impulse.h", "model.h", "tsr_dsp_config.c", "README.md"} <= set(done.files)
    exe = tmp_path / "impulse"
    _compile_host(out, exe)
    # The example window alone: label lines and a prediction.
    example = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    assert "prediction: " in example
    # Every test window through main, as a file of numbers.
    data = pipeline_data(project, trained.run_id)
    raw = data.raw("test")
    windows = tmp_path / "windows.csv"
    windows.write_text("\n".join(",".join(repr(float(v)) for v in w.ravel()) for w in raw) + "\n")
    lines = subprocess.run([str(exe), str(windows), "-v"], check=True, capture_output=True,
                           text=True).stdout.splitlines()
    assert len(lines) == 2 * len(raw)
    inputs = np.array([[int(v) for v in ln.split()[1:]] for ln in lines[0::2]], dtype=np.int8)
    scores = np.array([[int(v) for v in ln.split()[1:]] for ln in lines[1::2]], dtype=np.int8)
    reference = Int8Reference(project.variant_tflite(trained.variant_id))
    host_inputs = np.stack([reference.quantize(f.ravel()) for f in data.features("test")])
    host_scores = reference.outputs(data.features("test"))
    # The library's own int8 inputs give exactly TFLM's scores (the network is bit-exact) ...
    assert all(np.array_equal(reference.run(x), s) for x, s in zip(inputs, scores, strict=True))
    # ... and its C DSP quantizes to the host's inputs, so raw window in gives the host's scores exactly.
    assert np.array_equal(inputs, host_inputs)
    assert np.array_equal(scores, host_scores)
    predicted = [ln.split()[0] for ln in lines[1::2]]
    assert predicted == [data.labels[i] for i in np.argmax(host_scores, axis=1)]
    readme = (out / "README.md").read_text()
    assert f"| model weights | {done.memory['weights_bytes']} |" in readme
    assert f"tensor arena (static memory plan) | {done.memory['arena_bytes']} |" in readme
    for label in data.labels:
        assert f"| {label} |" in readme


def test_c_library_compiles_for_a_cortex_m4_with_warnings_as_errors(project, trained, tmp_path):
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("arm-none-eabi-gcc is not installed")
    out = tmp_path / "lib"
    export_model(project, trained.variant_id, "c-library", out)
    objects = tmp_path / "obj"
    objects.mkdir()
    for source in sorted(out.glob("*.c")):
        subprocess.run(["arm-none-eabi-gcc", *ARM_FLAGS, "-c", str(source), "-o", str(objects / f"{source.stem}.o")],
                       check=True, capture_output=True, text=True)
    assert len(list(objects.glob("*.o"))) == len(list(out.glob("*.c")))


def test_tflite_export_has_the_model_labels_and_impulse(project, trained, tmp_path):
    out = tmp_path / "tfl"
    export_model(project, trained.variant_id, "tflite", out)
    assert (out / "model.tflite").read_bytes() == project.variant_tflite(trained.variant_id)
    data = pipeline_data(project, trained.run_id)
    assert (out / "labels.txt").read_text().splitlines() == data.labels
    impulse = json.loads((out / "impulse.json").read_text())
    assert impulse["labels"] == data.labels
    assert impulse["rate_hz"] == data.windows.rate_hz
    assert impulse["window"]["frames"] == data.windows.window_frames
    assert impulse["dsp"]["block"] == data.block.name and impulse["dsp"]["params"] == data.block.params
    reference = Int8Reference(project.variant_tflite(trained.variant_id))
    assert impulse["quantization"]["input"]["zero_point"] == reference.input_quant[1]
    assert impulse["quantization"]["output"]["scale"] == pytest.approx(reference.output_quant[0])


def test_export_refuses_a_folder_it_did_not_write_and_rewrites_its_own(project, trained, tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(UserError) as err:
        export_model(project, trained.variant_id, "tflite", foreign)
    assert "\n" not in str(err.value) and "not empty" in str(err.value)
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]
    ours = tmp_path / "ours"
    export_model(project, trained.variant_id, "c-library", ours)
    export_model(project, trained.variant_id, "tflite", ours)  # its own folder: replaced, old files removed
    assert not (ours / "main.c").exists() and (ours / "model.tflite").is_file()


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["c-library", "tflite"])
def test_cli_and_deploy_page_write_identical_files(qtbot, monkeypatch, project_copy, trained, tmp_path, fmt):
    from PySide6.QtCore import Qt

    from cli_helpers import run_cli
    from tinystudio.core.store import Project
    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages import deploy_page

    code, out, err = run_cli("export", str(project_copy), "--variant", str(trained.variant_id), "--format", fmt,
                             "--out", str(tmp_path / "cli"))
    assert code == 0, err
    assert f"exported variant {trained.variant_id} as {fmt}" in out
    context = AppContext()
    context.set_project(Project.open(project_copy))
    page = deploy_page.DeployPage(context)
    qtbot.addWidget(page)
    page.show()
    try:
        assert page.model_combo.currentData() == ("variant", trained.variant_id)
        page.export_format.setCurrentIndex(page.export_format.findData(fmt))
        monkeypatch.setattr(deploy_page, "choose_folder", lambda *a: str(tmp_path / "gui"))
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.worker is None, timeout=60000)
        assert page.last_error == ""
        assert str(tmp_path / "gui") in page.status.text()
    finally:
        context.close()
    assert _tree(tmp_path / "gui") == _tree(tmp_path / "cli")


def test_cli_export_into_a_foreign_folder_is_one_line(project_copy, trained, tmp_path):
    from cli_helpers import run_cli

    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.c").write_text("int x;\n")
    code, _out, err = run_cli("export", str(project_copy), "--format", "c-library", "--out", str(tmp_path / "x"))
    assert code != 0
    assert len(err.strip().splitlines()) == 1 and "not empty" in err
    code, _out, err = run_cli("export", str(project_copy), "--format", "csv", "--variant", "1", "--out",
                              str(tmp_path / "y"))
    assert code != 0 and "--variant applies to the model formats" in err
