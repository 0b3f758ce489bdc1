"""`tinystudio samples`: the Data page's edits from the command line, on a real project file."""

import json
import subprocess
import sys

import numpy as np

from tinystudio.core.store import Project


def tinystudio(*args):
    return subprocess.run([sys.executable, "-m", "tinystudio", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def test_list_relabel_move_cut_crop_delete(tmp_path):
    path = tmp_path / "p.tsproj"
    with Project.create(path) as p:
        a = p.add_sample(np.arange(100, dtype=np.float32).reshape(-1, 1), 10, ["v"], "idle")
        b = p.add_sample(np.zeros((30, 1), np.float32), 10, ["v"], "idle")
    listed = json.loads(tinystudio("samples", path, "--json").stdout)
    assert [r["id"] for r in listed] == [a, b] and listed[0]["duration_s"] == 10.0
    assert tinystudio("samples", path, a, "--relabel", "wave").returncode == 0
    assert tinystudio("samples", path, a, "--move", "test").returncode == 0
    out = tinystudio("samples", path, a, "--cut", "2", "4", "tap")
    assert out.returncode == 0 and "new sample" in out.stdout
    assert tinystudio("samples", path, a, "--crop", "5", "10").returncode == 0
    assert tinystudio("samples", path, b, "--delete").returncode == 0
    rows = {r["label"]: r for r in json.loads(tinystudio("samples", path, "--json").stdout)}
    assert set(rows) == {"wave", "tap"}
    assert rows["wave"]["split"] == "test" and rows["wave"]["manual_split"] and rows["wave"]["frames"] == 50
    assert rows["tap"]["frames"] == 20 and rows["tap"]["split"] == "test"
    assert rows["tap"]["group"] == rows["wave"]["group"]


def test_edits_need_ids_and_bad_ids_are_one_line(tmp_path):
    path = tmp_path / "p.tsproj"
    Project.create(path).close()
    r = tinystudio("samples", path, "--delete")
    assert r.returncode == 1 and "name the sample ids" in r.stderr
    r = tinystudio("samples", path, "42", "--relabel", "x")
    assert r.returncode == 1 and "no sample with id 42" in r.stderr and "Traceback" not in r.stderr
