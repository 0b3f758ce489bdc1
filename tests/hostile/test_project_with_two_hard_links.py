"""A project file with two names (hard links: `cp -l`, a snapshot tool): SQLite names its write-ahead log
after the path, so two programs working through the two names each kept their own log of one file, and
what one of them saved was silently lost when both closed. A file with several names now opens
read-only through any of them (viewing is safe), and a change is refused in one line saying why and
what to do; with one name left it is writable again."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from cli_helpers import run_cli
from process_helpers import killed_after
from tinystudio.core.store import Project

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
VIEWER = textwrap.dedent("""
    import sys
    from tinystudio.core.store import Project
    p = Project.open(sys.argv[1])
    print(len(p.samples()), flush=True)
    sys.stdin.read()
    p.close()
""")


def test_changes_through_either_name_are_refused_not_lost(tmp_path: Path):
    a, b = tmp_path / "a.tsproj", tmp_path / "b.tsproj"
    with Project.create(a) as p:
        p.add_sample(np.zeros((20, 1), np.float32), 10.0, ["x"], "first")
    os.link(a, b)
    recording = tmp_path / "wave.csv"
    recording.write_text("timestamp,x\n" + "".join(f"{i * 100},{i}\n" for i in range(20)))
    viewer = subprocess.Popen([sys.executable, "-c", VIEWER, str(a)], env=ENV, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    with killed_after(viewer, 60):
        assert viewer.stdout is not None and viewer.stdout.readline().strip() == "1"  # viewing works
        for name in (b, a):
            code, _out, err = run_cli("import", str(name), str(recording), "--label", "wave")
            assert code != 0 and "hard links" in err and "copy it" in err, err
            assert len(err.strip().splitlines()) == 1, err
        code, out, err = run_cli("info", str(b))
        assert code == 0 and "read-only" in out and "hard links" in out, err
        viewer.communicate("")
    assert viewer.returncode == 0
    os.unlink(b)
    code, _out, err = run_cli("import", str(a), str(recording), "--label", "wave")
    assert code == 0, err
    with Project.open(a) as p:
        assert [s.label for s in p.samples()] == ["first", "wave"]
