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
from export_helpers import compile_arm, compile_host, scores_on_qemu, syntax_check, windows_csv

from tinystudio.app.export_model import export_model
from tinystudio.core.errors import UserError
from tinystudio.core.int8_reference import Int8Reference
from tinystudio.core.pipeline_data import pipeline_data

pytestmark = pytest.mark.slow

def test_c_library_runs_test_windows_like_the_host_int8_model(project, trained, tmp_path):
    if shutil.which("cc") is None:
        pytest.skip("no host C compiler")
    out = tmp_path / "lib"
    done = export_model(project, trained.variant_id, "c-library", out)
    assert {"main.c", "ts_impulse.h", "model.h", "tsr_dsp_config.c", "README.md"} <= set(done.files)
    exe = tmp_path / "impulse"
    compile_host(out, exe)
    # The example window alone: label lines and a prediction.
    example = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    assert "prediction: " in example
    # Every test window through main, as a file of numbers.
    data = pipeline_data(project, trained.run_id)
    raw = data.raw("test")
    windows = windows_csv(raw, tmp_path / "windows.csv")
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
    compile_arm(out, objects)
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
    with pytest.raises(UserError, match=r"int8 network and has no trees-json form: .*\(tflite\)"):
        export_model(project, trained.variant_id, "trees-json", tmp_path / "json")


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


@pytest.mark.parametrize("fmt", ["c-library", "arduino", "tflite"])
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


def test_arduino_zip_layout_sketches_and_arm_compile(project, trained, tmp_path):
    import zipfile

    from tinystudio.core.export.arduino import BOARDS, library_name

    done = export_model(project, trained.variant_id, "arduino", tmp_path / "out")
    lib = library_name(project.path.stem)
    assert done.files == [f"{lib}.zip"]
    with zipfile.ZipFile(tmp_path / "out" / f"{lib}.zip") as archive:
        names = archive.namelist()
        assert all(n.startswith(f"{lib}/") for n in names)
        archive.extractall(tmp_path / "unzipped")
    root = tmp_path / "unzipped" / lib
    props = dict(line.split("=", 1) for line in (root / "library.properties").read_text().splitlines())
    for field_name in ("name", "version", "author", "maintainer", "sentence", "paragraph", "category", "url",
                       "architectures", "includes"):
        assert field_name in props
    assert props["name"] == lib and props["includes"] == f"{lib}.h"
    assert {"Arduino_LSM9DS1", "Arduino_BMI270_BMM150", "Arduino_LSM6DSOX"} <= {
        d.strip() for d in props["depends"].split(",")}
    assert (root / "src" / f"{lib}.h").is_file() and not (root / "src" / "main.c").exists()
    data = pipeline_data(project, trained.run_id)
    header = ",".join(data.windows.axis_names)
    for board in BOARDS:
        for kind in ("collect", "infer"):
            sketch = root / "examples" / f"{board.key}_{kind}" / f"{board.key}_{kind}.ino"
            assert sketch.is_file(), sketch
            text = sketch.read_text()
            if board.imu_library:
                assert f"#include <{board.imu_library}.h>" in text
            else:
                assert "#include <Wire.h>" in text
            if kind == "collect":  # header line in the project's axis order, at the project's rate
                assert f'Serial.println("{header}");' in text
                assert f"INTERVAL_US = {round(1e6 / data.windows.rate_hz)}UL" in text
            if shutil.which("g++"):
                syntax_check(sketch, [root / "src"])
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("arm-none-eabi-gcc is not installed")
    compile_arm(root / "src", tmp_path / "obj")


def test_arduino_sketches_for_an_audio_project_use_the_pdm_microphone(tmp_path):
    from tinystudio.core.dsp import make_block
    from tinystudio.core.export.arduino import channel, sketches
    from tinystudio.core.export.facts import ImpulseFacts

    assert [channel(n) for n in ("accX", "acc_y", "gyrZ", "gyroscope_x", "magZ", "ax", "temperature")] == [
        "ax", "ay", "gz", "gx", "mz", "ax", None]
    facts = ImpulseFacts("kws", 1, ["yes", "no"], ["audio"], 16000.0, 16000, 8000,
                         make_block("mfe", {}, 16000.0, 16000, 1), (0.1, 0), (1 / 256, -128),
                         np.zeros((16000, 1), np.float32), "yes")
    out = sketches(facts, "TinyStudio_kws")
    assert sorted(out) == [f"examples/{b}_{k}/{b}_{k}.ino" for b in ("nano33ble", "nano33ble_rev2", "nanorp2040")
                           for k in ("collect", "infer")]
    collect = out["examples/nano33ble_collect/nano33ble_collect.ino"]
    assert "PDM.begin(1, 16000)" in collect and 'Serial.println("audio");' in collect
    path = tmp_path / "collect.ino"
    path.write_text(collect)
    if shutil.which("g++"):
        syntax_check(path, [])


def test_c_library_on_the_emulated_cortex_m4_gives_the_host_scores(project, trained, tmp_path):
    """The exported folder (without its main.c) linked into a bare-metal harness on QEMU mps2-an386: DSP in
    float on the M4F, kernels with its DSP instructions; scores equal to the host int8 model's."""
    from codegen import armrun

    if not armrun.tools_available():
        pytest.skip("arm-none-eabi-gcc or qemu-system-arm is not installed")
    out = tmp_path / "lib"
    export_model(project, trained.variant_id, "c-library", out)
    data = pipeline_data(project, trained.run_id)
    scores = scores_on_qemu(out, data.raw("test")[:12], tmp_path / "qemu")
    reference = Int8Reference(project.variant_tflite(trained.variant_id))
    assert np.array_equal(scores, reference.outputs(data.features("test")[:12]))
