"""The report shows a run's impulse as a table a person reads (window length and stride in ms, input shape,
the DSP block by name with each parameter in its unit), not as raw JSON, and with --compare the impulses of
the results side by side; checked on what headless chromium lays out."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cli_helpers import run_cli
from tinystudio.app.deploy import deploy_model
from tinystudio.core.compress import compress
from tinystudio.core.features import suggest_for_project
from tinystudio.core.store import Project
from tinystudio.core.training import train

pytestmark = pytest.mark.slow

CELLS = """<script>
document.addEventListener('DOMContentLoaded', () => {
  const tables = {};
  document.querySelectorAll('table.impulse, table.impulse-compare').forEach(t => {
    const rows = [...t.querySelectorAll('tr')].filter(r => r.getBoundingClientRect().height > 0)
      .map(r => [...r.children].map(c => c.innerText.trim()));
    tables[t.className] = (tables[t.className] || []).concat([rows]); });
  const out = document.createElement('pre'); out.id = 'cells';
  out.textContent = JSON.stringify(tables); document.body.appendChild(out);
});
</script>"""


def _laid_out_tables(html: Path, tmp_path: Path) -> dict[str, list[list[list[str]]]]:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("chromium is not installed (packaging/setup.sh test installs it)")
    probe = tmp_path / "probe.html"
    probe.write_text(html.read_text(encoding="utf-8").replace("</head>", CELLS + "</head>"), encoding="utf-8")
    dom = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    match = re.search(r'<pre id="cells">(.*?)</pre>', dom, re.S)
    assert match, dom[-2000:]
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def test_report_shows_each_impulse_as_a_table_and_compares_them_side_by_side(project_copy, trained, tmp_path):
    with Project.open(project_copy) as project:
        first = deploy_model(project, "host", variant_id=trained.variant_id).result_id
        impulse = suggest_for_project(project)
        impulse.window.window_ms, impulse.window.stride_ms = 2000.0, 1000.0
        impulse.dsp.block, impulse.dsp.params = "spectral", {"fft_length": 8, "filter": "lowpass", "cutoff_hz": 2.5}
        impulse.model.epochs = 2
        run = train(project, impulse).run_id
        second = deploy_model(project, "host", variant_id=compress(project, run, "ptq")).result_id
        rate = project.run(run).config["rate_hz"]
    out = tmp_path / "report.html"
    code, _, err = run_cli("report", str(project_copy), "--compare", "--out", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert '"window_ms"' not in html and "<pre>" not in html  # no raw JSON of the configuration
    tables = _laid_out_tables(out, tmp_path)
    assert len(tables["impulse"]) == 2
    mine = dict(tables["impulse"][1])
    frames = round(2000 * rate / 1000)
    assert mine["window length"] == f"2000 ms ({frames} samples at {rate:g} Hz)"
    assert mine["window stride"] == f"1000 ms ({round(frames / 2)} samples)"
    assert mine["input shape"] == f"{frames} x 6 (accX, accY, accZ, gyrX, gyrY, gyrZ)"
    assert mine["DSP block"] == "Spectral features (spectral)"
    assert mine["DSP · cutoff"] == "2.5 Hz" and mine["DSP · filter"] == "lowpass"
    assert mine["DSP · FFT length"] == "8"
    assert mine["features"] == str(6 * (5 + 8 // 2))  # five statistics and N/2 band powers per axis
    [compare] = tables["impulse-compare"]
    assert compare[0] == ["setting", f"result {first}", f"result {second}"]
    side = {row[0]: row[1:] for row in compare[1:]}
    assert side["window length"][1] == mine["window length"] != side["window length"][0]
    assert side["DSP · cutoff"] == [dict(tables["impulse"][0])["DSP · cutoff"], "2.5 Hz"]
