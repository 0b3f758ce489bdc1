"""A whole number too large for any float in Edge Impulse JSON (10**400, which Python's JSON reader
accepts) refused the file as 'values must be numbers', and --drop-nonfinite could not leave its row out.
It is now a non-finite value like 1e999: refused naming its row and column, or its row left out."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run_cli
from tinystudio.core.store import Project


def test_a_huge_whole_number_is_a_non_finite_value(tmp_path: Path):
    doc = {"protected": {"ver": "v1", "alg": "none"}, "signature": "0" * 64,
           "payload": {"interval_ms": 10, "sensors": [{"name": "x", "units": "g"}, {"name": "y", "units": "g"}],
                       "values": [[1, 2], [3, 10**400], [5, 6]]}}
    path = tmp_path / "wave.1.json"
    path.write_text(json.dumps(doc))
    assert run_cli("new", str(tmp_path / "p.tsproj"))[0] == 0
    code, _out, err = run_cli("import", str(tmp_path / "p.tsproj"), str(path))
    assert code != 0 and "row 2" in err and "'y'" in err and "--drop-nonfinite" in err, err
    assert len(err.strip().splitlines()) == 1
    code, out, err = run_cli("import", str(tmp_path / "p.tsproj"), str(path), "--drop-nonfinite")
    assert code == 0 and "dropped 1 row" in out, (out, err)
    with Project.open(tmp_path / "p.tsproj") as p:
        (s,) = p.samples()
        assert p.load_signal(s.id).tolist() == [[1.0, 2.0], [5.0, 6.0]]
