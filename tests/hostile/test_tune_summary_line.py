"""`tinystudio tune`'s last line names the budget the trained point met in words ("flash 1024.0 KB, RAM
248.0 KB, no latency limit"); it printed the Python dict {'flash_bytes': 1048576, ..., 'latency_ms': None}."""

from __future__ import annotations

import shutil
from pathlib import Path

from cli_helpers import run_cli


def test_the_budget_in_tunes_last_line_is_words_not_a_dict(bm_split_project: Path, tmp_path: Path):
    path = tmp_path / "p.tsproj"
    shutil.copy(bm_split_project, path)
    code, out, err = run_cli("tune", str(path), "--target", "mps2-an386", "--trials", "1", "--families", "rf",
                             "--workers", "1", "--budget-ram", "4096")
    assert code == 0, err
    last = out.strip().splitlines()[-1]
    assert "marked for deploy" in last
    assert "{" not in last and "None" not in last
    assert "RAM 4.0 KB" in last and "no latency limit" in last
