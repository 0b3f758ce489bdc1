"""A label added after training (a live stretch saved as "noise", a recording relabelled) does not lock the
trained model away: deploy still tests it on the classes it knows; the new label's windows are left
out because the model cannot name them. Before, every deploy, export and quantization of an older run
stopped at "label 'noise' is not one run N was trained on"."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run_cli


def _test_sample(project: Path) -> int:
    code, out, err = run_cli("samples", str(project), "--split", "test", "--json")
    assert code == 0, err
    return int(json.loads(out)[0]["id"])


def test_a_stretch_saved_with_a_new_label_leaves_the_model_deployable(forest_copy: Path):
    code, out, err = run_cli("deploy", str(forest_copy), "--target", "host", "--json")
    assert code == 0, err
    before = json.loads(out)["windows"]
    source = _test_sample(forest_copy)
    code, _out, err = run_cli("samples", str(forest_copy), str(source), "--cut", "0", "5", "noise")
    assert code == 0, err
    code, out, err = run_cli("deploy", str(forest_copy), "--target", "host", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["windows"] == before  # the model's own classes, as before the new stretch
    assert "noise" not in json.dumps(result["confusion_matrix"])

