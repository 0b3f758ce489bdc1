"""Running the tinystudio command line in-process, capturing what it prints."""

from __future__ import annotations

import contextlib
import io

from tinystudio.cli.main import main


def run_cli(*argv: str) -> tuple[int, str, str]:
    """Run the tinystudio command line in-process; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()
