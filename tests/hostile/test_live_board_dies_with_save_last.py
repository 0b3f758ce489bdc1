"""`tinystudio live --save-last S --label L` and the board stops mid-run (cable pulled, board process killed):
the signal it sent before stopping is what the user asked to keep. It was dropped with the error; now it is
saved as the sample, and the one-line error says so."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from hostile.processes import kill_children
from tinystudio.cli.main import main
from tinystudio.core.store import Project


class _PullAfterWindows(io.StringIO):
    """The command's output; the board is killed once it has printed two classified windows."""

    def write(self, text: str) -> int:
        written = super().write(text)
        if self.getvalue().count(" s  ") >= 2 and not getattr(self, "pulled", False):
            self.pulled = True
            kill_children()
        return written


def test_a_board_that_stops_mid_live_still_leaves_the_stretch_it_sent(forest_copy: Path):
    with Project.open(forest_copy) as project:
        before = {s.id for s in project.samples()}
    out, err = _PullAfterWindows(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["live", str(forest_copy), "--target", "host", "--seconds", "120",
                     "--save-last", "3", "--label", "pulled"])
    assert getattr(out, "pulled", False), out.getvalue()
    assert code != 0 and "stopped" in err.getvalue() and "Traceback" not in err.getvalue()
    assert "were saved as sample" in err.getvalue(), err.getvalue()
    with Project.open(forest_copy) as project:
        new = [s for s in project.samples() if s.id not in before]
    assert len(new) == 1 and new[0].label == "pulled" and new[0].frames > 0
