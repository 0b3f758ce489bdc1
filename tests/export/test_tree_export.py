"""Tree models (random forest, gradient-boosted trees) exported like networks: the C library builds with the
system compiler and gives the host tree model's label and scores, exactly, on its example window and on every
test window; the Arduino library holds the same C, parses as sketches and gives the host's scores on the
emulated Cortex-M4F; the JSON export is the model itself; a .tflite of a tree is refused in one line and
greyed out on the Deploy page, whose export button writes a tree variant's C library as the CLI does."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest
from export_helpers import compile_arm, compile_host, scores_on_qemu, syntax_check, windows_csv

from cli_helpers import run_cli
from tinystudio.app.export_model import export_model
from tinystudio.core.classical.model import TreeModel
from tinystudio.core.classical.reference import TreeReference
from tinystudio.core.pipeline_data import pipeline_data
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow


def _host(project: Project, variant_id: int) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(labels, raw test windows, their DSP features as float32, the host tree model's int8 scores)."""
    run_id = next(v["run_id"] for v in project.variants() if v["id"] == variant_id)
    data = pipeline_data(project, int(run_id))
    features = np.asarray(data.features("test"), dtype=np.float32).reshape(len(data.raw("test")), -1)
    reference = TreeReference(TreeModel.from_json(project.variant_model_json(variant_id)))
    return list(data.labels), data.raw("test"), features, reference.outputs(features)


@pytest.mark.parametrize("family", ["rf", "gbt", "rf-statistics"])
def test_tree_c_library_gives_the_host_models_label_and_scores(trees_trained, tmp_path: Path, family: str) -> None:
    if shutil.which("cc") is None:
        pytest.skip("no host C compiler")
    path, variants = trees_trained
    out = tmp_path / "lib"
    with Project.open(path) as project:
        done = export_model(project, variants[family], "c-library", out)
        labels, raw, features, host = _host(project, variants[family])
    assert {"main.c", "model.c", "model.h", "ts_impulse.h", "ts_impulse.c", "tsr_dsp_blocks.c",
            "tsr_dsp_config.c", "README.md"} <= set(done.files)
    firmware = Path(__file__).parents[2] / "firmware" / "runtime" / "tsr_dsp_blocks.c"
    assert (out / "tsr_dsp_blocks.c").read_text() == firmware.read_text()  # the board's DSP, copied
    exe = tmp_path / "impulse"
    compile_host(out, exe, "-ffp-contract=off")
    # The bundled example (the first test window): one line per label, then the prediction.
    example = subprocess.run([str(exe)], check=True, capture_output=True, text=True, timeout=60).stdout.splitlines()
    assert [ln.split()[0] for ln in example[:-1]] == labels
    assert [int(ln.split()[1]) for ln in example[:-1]] == host[0].tolist()
    assert example[-1] == f"prediction: {labels[int(np.argmax(host[0]))]}"
    # Every test window: the C DSP makes the host's float32 features bit for bit, the trees the host's scores.
    lines = subprocess.run([str(exe), str(windows_csv(raw, tmp_path / "w.csv")), "-v"], check=True,
                           capture_output=True, text=True, timeout=60).stdout.splitlines()
    assert len(lines) == 2 * len(raw)
    c_features = np.array([[float(v) for v in ln.split()[1:]] for ln in lines[0::2]], dtype=np.float32)
    c_scores = np.array([[int(v) for v in ln.split()[1:]] for ln in lines[1::2]], dtype=np.int8)
    assert all(ln.startswith("features ") for ln in lines[0::2])
    assert np.array_equal(c_features, features)
    assert np.array_equal(c_scores, host)
    assert [ln.split()[0] for ln in lines[1::2]] == [labels[i] for i in np.argmax(host, axis=1)]
    readme = (out / "README.md").read_text()
    assert "ts_impulse_last_features" in readme and "tensor arena" not in readme
    assert ("gradient-boosted trees" if family == "gbt" else "random forest") in readme


def test_tree_arduino_library_parses_and_runs_on_the_emulated_m4(trees_trained, tmp_path: Path) -> None:
    from codegen import armrun

    from tinystudio.core.export.arduino import BOARDS, library_name

    path, variants = trees_trained
    with Project.open(path) as project:
        done = export_model(project, variants["rf"], "arduino", tmp_path / "out")
        _labels, raw, _features, host = _host(project, variants["rf"])
        lib = library_name(project.path.stem)
    assert done.files == [f"{lib}.zip"]
    with zipfile.ZipFile(tmp_path / "out" / f"{lib}.zip") as archive:
        archive.extractall(tmp_path / "unzipped")
    root = tmp_path / "unzipped" / lib
    src = root / "src"
    assert (src / "model.c").is_file() and (src / f"{lib}.h").is_file() and not (src / "main.c").exists()
    assert "TS_MODEL_INPUT_F32 1" in (src / "model.h").read_text()  # the trees, not a network
    assert "random forest" in (root / "README.md").read_text()
    sketches = [root / "examples" / f"{b.key}_{k}" / f"{b.key}_{k}.ino" for b in BOARDS for k in ("collect", "infer")]
    assert all(s.is_file() for s in sketches)
    if shutil.which("g++"):
        for sketch in sketches:
            syntax_check(sketch, [src])
    if not armrun.tools_available():
        pytest.skip("arm-none-eabi-gcc or qemu-system-arm is not installed")
    compile_arm(src, tmp_path / "obj")  # C99, -Wall -Wextra -Werror for a Cortex-M4F
    assert np.array_equal(scores_on_qemu(src, raw[:12], tmp_path / "qemu"), host[:12])


def test_tree_exports_as_json_and_its_tflite_is_refused_in_one_line(trees_trained, tmp_path: Path) -> None:
    path, variants = trees_trained
    code, _out, err = run_cli("export", str(path), "--variant", str(variants["gbt"]), "--format", "tflite",
                              "--out", str(tmp_path / "t"))
    assert code != 0 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "gradient-boosted trees" in err and all(f"({f})" in err for f in ("c-library", "arduino", "trees-json"))
    assert not (tmp_path / "t").exists()
    code, _out, err = run_cli("export", str(path), "--variant", str(variants["gbt"]), "--format", "trees-json",
                              "--out", str(tmp_path / "j"))
    assert code == 0, err
    impulse = json.loads((tmp_path / "j" / "impulse.json").read_text())
    text = (tmp_path / "j" / "model.json").read_text()
    with Project.open(path) as project:
        labels, _raw, features, host = _host(project, variants["gbt"])
    # The JSON is the model: read back, it scores every test window as the host (and the C) does.
    assert np.array_equal(TreeModel.from_json(text).predict_scores(features), host)
    assert (tmp_path / "j" / "labels.txt").read_text().splitlines() == labels == impulse["labels"]
    assert impulse["model"]["kind"] == "gbt" and impulse["model"]["file"] == "model.json"
    assert impulse["model"]["hash"] == hashlib.sha256(text.encode()).hexdigest()[:16]
    assert impulse["dsp"]["block"] == "spectral" and "quantization" not in impulse


def test_deploy_page_exports_a_tree_variant(qtbot, monkeypatch, trees_trained, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages import deploy_page

    source, variants = trees_trained
    path = tmp_path / "p.tsproj"
    shutil.copy(source, path)
    code, _out, err = run_cli("export", str(path), "--variant", str(variants["rf"]), "--format", "c-library",
                              "--out", str(tmp_path / "cli"))
    assert code == 0, err
    context = AppContext()
    context.set_project(Project.open(path))
    page = deploy_page.DeployPage(context)
    qtbot.addWidget(page)
    page.show()
    try:
        tflite = page.export_format.findData("tflite")
        page.export_format.setCurrentIndex(tflite)
        items = [page.model_combo.itemData(i) for i in range(page.model_combo.count())]  # compared by value
        page.model_combo.setCurrentIndex(items.index(("variant", variants["rf"])))
        # A tree has no .tflite: that entry is greyed out and the choice moves to the C library.
        formats = page.export_format.model()
        assert not formats.item(tflite).isEnabled()
        assert formats.item(page.export_format.findData("trees-json")).isEnabled()
        assert page.export_format.currentData() == "c-library"
        monkeypatch.setattr(deploy_page, "choose_folder", lambda *a: str(tmp_path / "gui"))
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.worker is None, timeout=60000)
        assert page.last_error == ""
        assert str(tmp_path / "gui") in page.status.text() and "random forest" in page.status.text()
    finally:
        context.close()
    files = sorted(p.name for p in (tmp_path / "gui").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert all((tmp_path / "gui" / n).read_bytes() == (tmp_path / "cli" / n).read_bytes() for n in files)
