"""Opening a project that this process already has open read its first bytes with a plain open() and
close(): closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
included. Another program closing the project then took itself for the last one and deleted the
write-ahead log, and the first connection's next commit went into the deleted log: after a crash that
sample was gone. The file is now checked through SQLite, whose own descriptors never drop its locks."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from tinystudio.core.store import Project

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
SCRIPT = textwrap.dedent("""
    import os, signal, subprocess, sys, numpy as np
    from tinystudio.core.store import Project
    path = sys.argv[1]
    first = Project.open(path)
    Project.open(path).close()  # a second look at the same project (a tune's copy, a reopened window)
    subprocess.run([sys.executable, "-c", "import sys; from tinystudio.core.store import Project; "
                    "Project.open(sys.argv[1]).close()", path], check=True)  # another program, briefly
    first.add_sample(np.ones((10, 1), np.float32), 10.0, ["x"], "committed")
    os.kill(os.getpid(), signal.SIGKILL)  # a crash after the commit returned
""")


def test_a_commit_after_a_second_open_survives_a_crash(tmp_path: Path):
    path = tmp_path / "p.tsproj"
    with Project.create(path) as p:
        p.add_sample(np.zeros((10, 1), np.float32), 10.0, ["x"], "first")
    subprocess.run([sys.executable, "-c", SCRIPT, str(path)], env=ENV, timeout=120)
    with Project.open(path) as p:
        assert [s.label for s in p.samples()] == ["first", "committed"]
