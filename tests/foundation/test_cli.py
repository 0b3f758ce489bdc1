"""The command line as a user types it: real processes, real files, one-line errors."""

import json
import subprocess
import sys

import pytest

from datasets import write_basic_motions_csv


def tinystudio(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "tinystudio", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_new_import_split_info_export(tmp_path):
    proj = tmp_path / "motions.tsproj"
    paths = write_basic_motions_csv(tmp_path / "bm")
    assert tinystudio("new", proj).returncode == 0
    r = tinystudio("import", proj, tmp_path / "bm", "--group", "watch1")
    assert r.returncode == 0, r.stderr
    assert "imported 80 sample(s)" in r.stdout
    r = tinystudio("split", proj)
    assert r.returncode == 0 and "train" in r.stdout
    info = json.loads(tinystudio("info", proj, "--json").stdout)
    assert info["samples"] == len(paths) == 80
    assert set(info["labels"]) == {"standing", "walking", "running", "badminton"}
    assert sum(info["splits"].values()) == 80
    # one group: it must sit wholly in one split
    assert [v for v in info["groups"]["watch1"].values() if v] == [80]
    r = tinystudio("export", proj, "--format", "ei-json", "--out", tmp_path / "out")
    assert r.returncode == 0 and len(list((tmp_path / "out").glob("*.json"))) == 80


def test_split_counts_without_groups(tmp_path):
    proj = tmp_path / "p.tsproj"
    write_basic_motions_csv(tmp_path / "bm")
    tinystudio("new", proj)
    tinystudio("import", proj, tmp_path / "bm")
    assert tinystudio("split", proj, "--ratios", "60,20,20").returncode == 0
    info = json.loads(tinystudio("info", proj, "--json").stdout)
    for row in info["labels"].values():
        assert (row["train"], row["validation"], row["test"]) == (12, 4, 4)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["info", "{tmp}/missing.tsproj"], "no project at"),
        (["import", "{proj}", "{tmp}/nothing.csv"], "no such file"),
        (["import", "{proj}", "{tmp}/bad.csv"], "not a number"),
        (["split", "{proj}", "--ratios", "1,2"], "ratios"),
        (["new", "{proj}"], "already exists"),
        (["info", "{tmp}/bad.csv"], "not a TinyStudio project"),
    ],
)
def test_errors_are_one_line_without_traceback(tmp_path, args, message):
    proj = tmp_path / "p.tsproj"
    tinystudio("new", proj)
    (tmp_path / "bad.csv").write_text("timestamp,x\n0,1\n10,oops\n")
    r = tinystudio(*[a.format(tmp=tmp_path, proj=proj) for a in args])
    assert r.returncode != 0
    assert message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_four_recorders_each_split_gets_one(tmp_path):
    """Four people's recordings imported with --group: the split gives validation and test a person each."""
    proj = tmp_path / "four.tsproj"
    paths = write_basic_motions_csv(tmp_path / "bm")
    tinystudio("new", proj)
    for k in range(4):
        r = tinystudio("import", proj, *paths[k::4], "--group", f"person{k + 1}")
        assert r.returncode == 0, r.stderr
    r = tinystudio("split", proj)
    assert r.returncode == 0 and "warning" not in r.stderr, r.stderr
    groups = json.loads(tinystudio("info", proj, "--json").stdout)["groups"]
    homes = {g: [s for s, n in row.items() if n] for g, row in groups.items()}
    assert all(len(v) == 1 for v in homes.values())
    assert sorted(v[0] for v in homes.values()).count("train") == 2
    assert {v[0] for v in homes.values()} == {"train", "validation", "test"}


def test_two_recorders_warning_names_the_cause(tmp_path):
    proj = tmp_path / "two.tsproj"
    paths = write_basic_motions_csv(tmp_path / "bm", per_label=4)
    tinystudio("new", proj)
    for k in range(2):
        assert tinystudio("import", proj, *paths[k::2], "--group", f"person{k + 1}").returncode == 0
    r = tinystudio("split", proj)
    assert r.returncode == 0
    assert "warning: only 2 groups ('person1', 'person2') for 3 splits: validation has no group" in r.stderr
