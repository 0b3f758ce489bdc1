"""Importers and exporters on real and hostile files; a failed import changes nothing."""

import json
import struct

import cbor2
import numpy as np
import pytest

from datasets import AXES, basic_motions, write_basic_motions_csv
from tinystudio.core.errors import UserError
from tinystudio.core.formats import export_samples, import_files
from tinystudio.core.formats.edge_impulse import edge_impulse_document
from tinystudio.core.formats.wav import write_wav
from tinystudio.core.store import Project


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.tsproj") as p:
        yield p


def test_basic_motions_csv_import_matches_source(tmp_path, project):
    paths = write_basic_motions_csv(tmp_path / "bm")
    report = import_files(project, paths)
    x, y = basic_motions()
    samples = project.samples()
    assert len(report.sample_ids) == len(samples) == len(x)
    for info, signal, label in zip(samples, x, y, strict=True):
        assert info.label == label.lower() and info.rate_hz == 10.0 and info.axis_names == AXES
        np.testing.assert_array_equal(project.load_signal(info.id), signal)


def test_csv_quirks_crlf_bom_escapes_chatter(tmp_path, project):
    path = tmp_path / "tap.csv"
    text = (
        "\ufefftime_ms,ax,ay\r\n"
        "Sensor ready!\r\n"
        "\x1b[32m0,1.5,2\x1b[0m\r\n"
        "10,1.25,3\r\n"
        "20,-7,inf\r\n"
        "30,-1e-3,4\r\n"
    )
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(UserError, match=r"^tap.csv, line 5, column 'ay': 'inf' is not a finite number"):
        import_files(project, [path])
    report = import_files(project, [path], drop_nonfinite=True)
    (info,) = project.samples()
    assert info.label == "tap" and info.rate_hz == 100.0 and info.axis_names == ("ax", "ay")
    assert report.skipped_lines["noise"] == 1 and report.dropped_nonfinite == 1
    np.testing.assert_array_equal(project.load_signal(info.id), np.float32([[1.5, 2], [1.25, 3], [-1e-3, 4]]))


def test_csv_blank_lines_separate_recordings_and_label_column_cuts(tmp_path, project):
    path = tmp_path / "session.csv"
    path.write_text(
        "timestamp,v,label\n0,1,idle\n100,2,idle\n200,3,wave\n300,4,wave\n\n"
        "timestamp,v,label\n0,5,idle\n100,6,idle\n"
    )
    import_files(project, [path])
    got = [(s.label, project.load_signal(s.id)[:, 0].tolist()) for s in project.samples()]
    assert got == [("idle", [1, 2]), ("wave", [3, 4]), ("idle", [5, 6])]


def test_label_sources_flag_folder_filename(tmp_path, project):
    folder = tmp_path / "walking"
    folder.mkdir()
    f = folder / "run01.csv"
    f.write_text("a,b\n1,2\n3,4\n")
    import_files(project, [f], rate_hz=50, label_from="folder")
    import_files(project, [f], rate_hz=50)
    import_files(project, [f], rate_hz=50, label="manual", group="bob")
    assert [(s.label, s.group, s.rate_hz) for s in project.samples()] == [
        ("walking", None, 50), ("run01", None, 50), ("manual", "bob", 50)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("timestamp,x,y\n", "no data rows"),
        ("timestamp,x,y\n0,1,2\n10,3\n20,4,5\n", "line 3: 2 values"),
        ("timestamp,x,y\n0,1,2\n10,abc,3\n", "line 3: column 'x'"),
        ("x,y\n1,2\n", "pass --rate"),
    ],
)
def test_bad_csv_is_a_clear_error_and_changes_nothing(tmp_path, project, content, message):
    good = tmp_path / "good.csv"
    good.write_text("timestamp,x,y\n0,1,2\n10,3,4\n")
    import_files(project, [good])
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    before = [s.content_hash for s in project.samples()]
    with pytest.raises(UserError, match=message):
        import_files(project, [good, bad])  # the good file in the same batch is rolled back too
    assert [s.content_hash for s in project.samples()] == before


def test_truncated_last_line_is_skipped(tmp_path, project):
    f = tmp_path / "cut.csv"
    f.write_text("timestamp,x,y\n0,1,2\n10,3,4\n20,5")
    report = import_files(project, [f])
    assert report.skipped_lines["truncated"] == 1 and project.samples()[0].frames == 2


def test_edge_impulse_json_and_cbor(tmp_path, project):
    sig = np.arange(12, dtype=np.float32).reshape(6, 2) / 3
    doc = edge_impulse_document(sig, 62.5, ["accX", "accY"], ["m/s2", "m/s2"])
    (tmp_path / "updown.1.json").write_text(json.dumps(doc))
    (tmp_path / "updown.2.cbor").write_bytes(cbor2.dumps(doc))
    import_files(project, [tmp_path / "updown.1.json", tmp_path / "updown.2.cbor"])
    a, b = project.samples()
    assert a.label == b.label == "updown" and a.rate_hz == b.rate_hz == 62.5 and a.units == ("m/s2", "m/s2")
    np.testing.assert_array_equal(project.load_signal(a.id), sig)
    assert a.content_hash == b.content_hash


def test_truncated_cbor_and_unknown_format(tmp_path, project):
    doc = edge_impulse_document(np.ones((50, 3), np.float32), 100, ["a", "b", "c"], ["", "", ""])
    raw = cbor2.dumps(doc)
    (tmp_path / "x.cbor").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(UserError, match="truncated"):
        import_files(project, [tmp_path / "x.cbor"])
    (tmp_path / "x.xlsx").write_bytes(b"PK")
    with pytest.raises(UserError, match="unknown format"):
        import_files(project, [tmp_path / "x.xlsx"])
    assert project.samples() == []


@pytest.mark.parametrize("kind", ["int16", "float32", "int24", "uint8"])
def test_wav_import(tmp_path, project, kind):
    rate, n = 8000, 800
    t = np.arange(n) / rate
    path = tmp_path / f"tone.{kind}.wav"
    if kind in ("int16", "float32"):
        data = np.stack([np.sin(2 * np.pi * 440 * t), np.cos(2 * np.pi * 440 * t)], axis=1)
        data = (data * 1000).astype(np.int16) if kind == "int16" else data.astype(np.float32)
        write_wav(path, data, rate)
        expected = data
    else:
        bits = 24 if kind == "int24" else 8
        values = (np.arange(n) % 200 - 100).astype(np.int32)
        if bits == 24:
            values = values * 1000
            payload = b"".join(int(v).to_bytes(3, "little", signed=True) for v in values)
        else:
            payload = (values + 128).astype(np.uint8).tobytes()
        fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * bits // 8, bits // 8, bits)
        body = b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(payload)) + payload
        path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
        expected = values.reshape(-1, 1)
    import_files(project, [path])
    (info,) = project.samples()
    assert info.rate_hz == rate and info.label == "tone" and info.frames == n
    np.testing.assert_array_equal(project.load_signal(info.id), expected)


def test_not_a_wav(tmp_path, project):
    (tmp_path / "a.wav").write_bytes(b"ID3 this is an mp3")
    with pytest.raises(UserError, match="not a WAV"):
        import_files(project, [tmp_path / "a.wav"])


@pytest.mark.parametrize("fmt", ["csv", "ei-json"])
def test_export_reimports_to_identical_samples(tmp_path, project, fmt):
    write_basic_motions_csv(tmp_path / "bm")
    import_files(project, sorted((tmp_path / "bm").glob("*.csv"))[:12])
    rng = np.random.default_rng(3)
    project.add_sample(rng.normal(size=(333, 2)).astype(np.float32), 44.1, ["a", "b"], "odd label!",
                       units=["mV", "°C"], group="rig 2")
    out = export_samples(project, tmp_path / "out", fmt)
    assert len(out) == 13
    with Project.create(tmp_path / "again.tsproj") as again:
        import_files(again, out, group=None)
        pairs = zip(project.samples(), again.samples(), strict=True)
        for a, b in pairs:
            assert (a.content_hash, a.axis_names, a.units) == (b.content_hash, b.axis_names, b.units)
            if fmt == "csv":
                assert (a.label, a.group) == (b.label, b.group)


@pytest.mark.parametrize(
    ("header", "times", "rate"),
    [
        ("Time (s),ax,ay", ["0.00", "0.02", "0.04", "0.06"], 50.0),
        ("t_ms,ax,ay", ["0", "4", "8", "12"], 250.0),
        ("micros,ax,ay", ["1000", "1250", "1500", "1750"], 4000.0),
        ("timestamp,ax,ay", ["1700000000000", "1700000000010", "1700000000020", "1700000000030"], 100.0),
        ("time,ax,ay", ["1700000000.00", "1700000000.50", "1700000001.00", "1700000001.50"], 2.0),
        ("time,ax,ay", ["1700000000000000000", "1700000000010000000", "1700000000020000000", "1700000000030000000"],
         100.0),
        ("millis(),ax,ay", ["5000", "6000", "7000", "8000"], 1.0),
    ],
)
def test_time_column_units_from_name_or_magnitude(tmp_path, project, header, times, rate):
    f = tmp_path / "clock.csv"
    f.write_text(header + "\n" + "".join(f"{t},{i},{-i}\n" for i, t in enumerate(times)))
    import_files(project, [f])
    (info,) = project.samples()
    assert info.rate_hz == pytest.approx(rate, rel=1e-4) and info.axis_names == ("ax", "ay")  # ns epochs: float64


def test_phone_logger_export_with_two_clocks_and_a_text_column(tmp_path, project):
    f = tmp_path / "shake.csv"
    rows = "".join(
        f"{1700000000000000000 + i * 10_000_000},{i * 0.01:.2f},phone-1,{i},{i * 2},{i * 3}\n" for i in range(50)
    )
    f.write_text("time,seconds_elapsed,device,z,y,x\n" + rows)
    report = import_files(project, [f])
    (info,) = project.samples()
    assert info.axis_names == ("z", "y", "x") and info.rate_hz == pytest.approx(100.0)
    assert "device" in report.summary()
    np.testing.assert_array_equal(project.load_signal(info.id)[:3], [[0, 0, 0], [1, 2, 3], [2, 4, 6]])


def test_trailing_separators_from_print_loops(tmp_path, project):
    f = tmp_path / "loop.csv"
    f.write_text("1.5,2,3,\n4,5,6,\n7,8,9,\n")
    import_files(project, [f], rate_hz=25)
    (info,) = project.samples()
    assert info.axis_names == ("axis1", "axis2", "axis3")
    np.testing.assert_array_equal(project.load_signal(info.id), [[1.5, 2, 3], [4, 5, 6], [7, 8, 9]])
