"""nan and inf never reach a project unseen: imports refuse them naming the place (or drop the rows when
asked and say how many), and training refuses a stored sample whose windows are not finite."""

import json

import cbor2
import numpy as np
import pytest

from cli_helpers import run_cli
from datasets import AXES, basic_motions, write_basic_motions_csv
from tinystudio.core.errors import UserError
from tinystudio.core.formats import import_files
from tinystudio.core.formats.edge_impulse import edge_impulse_document
from tinystudio.core.formats.wav import write_wav
from tinystudio.core.split import assign_splits
from tinystudio.core.store import Project


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.tsproj") as p:
        yield p


def _poison(path, line, column, text):
    """Replace one cell of a CSV file (line and column counted from 1, header included)."""
    lines = path.read_text().splitlines()
    cells = lines[line - 1].split(",")
    cells[column - 1] = text
    lines[line - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")


def test_one_nan_cell_in_real_data_refuses_the_import_naming_file_line_and_column(tmp_path, project):
    paths = write_basic_motions_csv(tmp_path / "bm")[:12]
    poisoned = paths[7]
    _poison(poisoned, 58, 4, "nan")  # line 58 = frame 56; column 4 = accZ
    with pytest.raises(UserError) as err:
        import_files(project, paths)
    assert str(err.value).startswith(f"{poisoned.name}, line 58, column 'accZ': 'nan' is not a finite number")
    assert "\n" not in str(err.value)
    assert project.samples() == []  # the eleven good files of the batch are not added either

    report = import_files(project, paths, drop_nonfinite=True)
    x, _ = basic_motions()
    assert report.dropped_nonfinite == 1 and "dropped 1 row(s) holding nan or inf" in report.summary()
    samples = project.samples()
    assert sum(s.frames for s in samples) == 12 * 100 - 1
    kept = project.load_signal(samples[7].id)
    np.testing.assert_array_equal(kept, np.delete(x[7], 56, axis=0))
    assert samples[7].rate_hz == 10.0  # the timestamps still give the true rate around the gap


@pytest.mark.parametrize("cell", ["inf", "-Infinity", "1e999", "3.5e38"])  # 3.5e38 overflows float32
def test_infinite_and_overflowing_cells_are_refused(tmp_path, project, cell):
    path = write_basic_motions_csv(tmp_path / "bm")[0]
    _poison(path, 3, 7, cell)
    with pytest.raises(UserError, match=rf"line 3, column 'gyrZ': '{cell}' is not a finite number"):
        import_files(project, [path])


def test_cli_refuses_then_drops_with_the_flag(tmp_path):
    paths = write_basic_motions_csv(tmp_path / "bm")[:3]
    _poison(paths[1], 10, 2, "NaN")
    proj = tmp_path / "cli.tsproj"
    assert run_cli("new", str(proj))[0] == 0
    code, _, err = run_cli("import", str(proj), *map(str, paths))
    assert code == 1 and err.count("\n") == 1
    assert f"{paths[1].name}, line 10, column 'accX'" in err and "--drop-nonfinite" in err
    code, out, err = run_cli("import", str(proj), "--drop-nonfinite", *map(str, paths))
    assert code == 0, err
    assert "imported 3 sample(s)" in out and "dropped 1 row(s) holding nan or inf" in out


@pytest.mark.parametrize("binary", [False, True])
def test_edge_impulse_nan_and_overflow_are_refused_or_dropped(tmp_path, project, binary):
    sig = np.arange(30, dtype=np.float32).reshape(10, 3)
    doc = edge_impulse_document(sig, 100.0, ["x", "y", "z"], ["", "", ""])
    doc["payload"]["values"][4][1] = float("nan")
    path = tmp_path / ("wave.cbor" if binary else "wave.json")
    if binary:
        doc["payload"]["values"][6][2] = float("inf")
        path.write_bytes(cbor2.dumps(doc))
    else:
        text = json.dumps(doc).replace("27.0", "1e999")  # row 10, x: overflows to inf when read
        path.write_text(text)
    with pytest.raises(UserError, match=r"values row 5, column 'y': 'nan' is not a finite number"):
        import_files(project, [path])
    report = import_files(project, [path], drop_nonfinite=True)
    assert report.dropped_nonfinite == 2
    (info,) = project.samples()
    keep = [0, 1, 2, 3, 5, 7, 8, 9] if binary else [0, 1, 2, 3, 5, 6, 7, 8]
    np.testing.assert_array_equal(project.load_signal(info.id), sig[keep])


def test_float_wav_with_nan_is_refused_or_dropped(tmp_path, project):
    data = np.sin(np.arange(400, dtype=np.float32) / 10).reshape(200, 2)
    data[123, 1] = np.nan
    path = tmp_path / "hum.wav"
    write_wav(path, data, 8000)
    with pytest.raises(UserError, match=r"hum.wav, frame 124, column 'ch2': 'nan' is not a finite number"):
        import_files(project, [path])
    assert import_files(project, [path], drop_nonfinite=True).dropped_nonfinite == 1
    np.testing.assert_array_equal(project.load_signal(project.samples()[0].id), np.delete(data, 123, axis=0))


def test_training_refuses_a_stored_sample_with_nan_and_names_it(tmp_path):
    """A sample stored with NaN (as an older version's capture could) stops training before TensorFlow."""
    path = tmp_path / "old.tsproj"
    x, y = basic_motions()
    with Project.create(path) as p:
        for i in range(0, 80, 4):
            p.add_sample(x[i], 10.0, list(AXES), str(y[i]).lower(), name=f"rec{i}")
        bad = x[40].copy()
        bad[50, 2] = np.nan
        bad_id = p.add_sample(bad, 10.0, list(AXES), "walking", name="capture 7")
        assign_splits(p)
        p.set_split([bad_id], "train")
    code, out, err = run_cli("train", str(path), "--epochs", "1")
    errors = [line for line in err.splitlines() if line.startswith("tinystudio: error:")]
    assert code == 1 and len(errors) == 1 and "Traceback" not in err  # (warnings about the data may precede)
    assert f"sample(s) {bad_id} (capture 7) hold nan or inf" in errors[0]
    with Project.open(path) as p:
        assert p.runs() == []
