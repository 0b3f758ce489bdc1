"""The CLI and the GUI are two faces of the same use cases: one action through each front end, on two
copies of the same project, stores the same result (split assignment, the trained run's impulse with
its data-driven defaults, the compressed variant)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from cli_helpers import run_cli
from datasets import write_basic_motions_csv
from tinystudio.core.formats.export_folder import LIST_NAME
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.compress_page import CompressPage
from tinystudio.gui.pages.data_page import DataPage
from tinystudio.gui.pages.train_page import TrainPage

pytestmark = pytest.mark.slow

EPOCHS = 3


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BasicMotions imported through the CLI, not split yet."""
    root = tmp_path_factory.mktemp("front_ends")
    path = root / "bm.tsproj"
    assert run_cli("new", str(path))[0] == 0
    code, _, err = run_cli("import", str(path), *map(str, write_basic_motions_csv(root / "csv")))
    assert code == 0, err
    return path


@pytest.fixture(scope="module")
def pair(imported: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two copies of the same project, one for each front end."""
    root = tmp_path_factory.mktemp("pair")
    out = {}
    for side in ("cli", "gui"):
        out[side] = root / f"{side}.tsproj"
        shutil.copy(imported, out[side])
    return out


@pytest.fixture
def context(pair: dict[str, Path]):
    ctx = AppContext()
    ctx.set_project(Project.open(pair["gui"]))
    yield ctx
    ctx.close()


def _splits(path: Path) -> dict[int, str | None]:
    with Project.open(path) as p:
        return {s.id: s.split for s in p.samples()}


def test_split_assigns_the_same_samples(qtbot, pair, context):
    code, _, err = run_cli("split", str(pair["cli"]))
    assert code == 0, err
    page = DataPage(context)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.split_button, Qt.MouseButton.LeftButton)
    assert page.split_button.text() == "Split 70/15/15"
    cli, gui = _splits(pair["cli"]), _splits(pair["gui"])
    assert set(cli.values()) == {"train", "validation", "test"}
    assert gui == cli


def test_training_with_the_defaults_stores_the_same_run_config(qtbot, pair, context):
    code, out, err = run_cli("train", str(pair["cli"]), "--epochs", str(EPOCHS), "--json")
    assert code == 0, err
    cli_run_id = json.loads(out)["run_id"]

    page = TrainPage(context)
    qtbot.addWidget(page)
    page.form.epochs.setValue(EPOCHS)  # the only setting changed, as on the command line
    with qtbot.waitSignal(page.training_finished, timeout=300_000) as done:
        qtbot.mouseClick(page.train_button, Qt.MouseButton.LeftButton)
    assert page.last_error == ""
    gui_run = context.project.run(done.args[0])
    gui_setting = context.project.get_setting("impulse")
    page.shutdown()

    with Project.open(pair["cli"]) as p:
        cli_run = p.run(cli_run_id)
        cli_setting = p.get_setting("impulse")
    assert cli_run.config["impulse"]["model"]["epochs"] == EPOCHS
    assert gui_run.config["impulse"] == cli_run.config["impulse"]
    assert gui_setting == cli_setting == cli_run.config["impulse"]
    for key in ("labels", "window_frames", "stride_frames", "dsp", "model", "dataset"):
        assert gui_run.config[key] == cli_run.config[key], key


def test_compress_stores_the_same_variant(qtbot, pair, context):
    code, out, err = run_cli("compress", str(pair["cli"]), "--method", "ptq", "--json")
    assert code == 0, err
    cli_variant = json.loads(out)["variants"][0]["variant_id"]

    page = CompressPage(context)
    qtbot.addWidget(page)
    page.refresh()
    for method, check in page.method_checks.items():
        check.setChecked(method == "ptq")
    with qtbot.waitSignal(page.compress_finished, timeout=300_000) as done:
        qtbot.mouseClick(page.compress_button, Qt.MouseButton.LeftButton)
    assert page.last_error == ""
    (gui_variant,) = done.args[0]
    page.shutdown()

    def stored(p: Project, variant_id: int) -> tuple[dict, bytes]:
        (row,) = [v for v in p.variants() if v["id"] == variant_id]
        return row, p.variant_tflite(variant_id)

    gui, gui_tflite = stored(context.project, gui_variant)
    with Project.open(pair["cli"]) as p:
        cli, cli_tflite = stored(p, cli_variant)
    assert gui["config"] == cli["config"]
    assert gui_tflite == cli_tflite
    assert gui["metrics"]["test_accuracy"] == cli["metrics"]["test_accuracy"]


def test_both_front_ends_offer_the_same_defaults(qtbot, context):
    from tinystudio.app.capture import DEFAULT_BAUD
    from tinystudio.app.compress import DEFAULTS
    from tinystudio.cli.main import build_parser
    from tinystudio.gui.pages.device_page import DevicePage

    parser = build_parser()
    compress = parser.parse_args(["compress", "p", "--method", "prune"])
    capture = parser.parse_args(["capture", "p", "--simulated"])
    split = parser.parse_args(["split", "p"])
    compress_page, device_page = CompressPage(context), DevicePage(context)
    qtbot.addWidget(compress_page)
    qtbot.addWidget(device_page)
    try:
        assert compress.sparsity == compress_page.sparsity.value() == DEFAULTS.sparsity
        assert compress.student == compress_page.student.currentData() == DEFAULTS.student
        assert compress.epochs is None and compress_page.options().epochs is None  # each method's own default
        assert capture.baud == int(device_page.baud_box.currentText()) == DEFAULT_BAUD
        assert split.ratios.replace(",", "/") in DataPage(context).split_button.text()
    finally:
        device_page.shutdown()


def test_export_writes_the_same_files(qtbot, pair, context, tmp_path):
    code, _, err = run_cli("export", str(pair["cli"]), "--format", "ei-json", "--out", str(tmp_path / "cli"))
    assert code == 0, err
    page = DataPage(context)
    qtbot.addWidget(page)
    worker = page.export_to(str(tmp_path / "gui"), "ei-json")
    assert worker is not None
    qtbot.waitUntil(lambda: "Exported" in page.message.text(), timeout=60_000)

    def files(folder: Path) -> dict[str, bytes]:  # the samples; the hidden list of them is compared apart
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != LIST_NAME}

    cli, gui = files(tmp_path / "cli"), files(tmp_path / "gui")
    assert len(cli) == 81 and "info.labels" in cli  # 80 samples and the list of their labels
    assert f"Exported {len(gui) - 1} file(s)" in page.message.text()
    assert gui == cli
    def listed(folder: Path) -> list[str]:  # the names each list holds; each names its own project beside them
        return [line.split("\t")[0] for line in (folder / LIST_NAME).read_text().splitlines()]

    assert listed(tmp_path / "gui") == listed(tmp_path / "cli")
