"""tune --ray: trials run as tasks on a real local Ray cluster (started here with `ray start --head`, two
CPUs, and stopped at the end); the project travels to the tasks as bytes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_helpers import run_cli
from process_helpers import killed_after

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ray_cli = Path(sys.executable).with_name("ray")
    if not ray_cli.exists():
        pytest.skip("Ray is not installed (pip install ray==2.60.0)")
    port = _free_port()
    temp = tmp_path_factory.mktemp("ray")
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    start = [str(ray_cli), "start", "--head", f"--port={port}", "--num-cpus=2", "--disable-usage-stats",
             "--include-dashboard=false", f"--temp-dir={temp}", "--node-ip-address=127.0.0.1", "--block"]
    # --block keeps the head in this process group, so stopping the group stops exactly this cluster
    proc = subprocess.Popen(start, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            start_new_session=True)
    try:
        seen = []
        assert proc.stdout is not None
        with killed_after(proc, group=True):  # a head that never says it started fails instead of hanging
            for line in proc.stdout:
                seen.append(line)
                if "Ray runtime started" in line:
                    break
            else:
                pytest.fail("ray start ended: " + "".join(seen[-5:]))
        yield f"127.0.0.1:{port}"
    finally:
        try:
            import ray

            ray.shutdown()
        finally:
            # The head alone gets SIGTERM: it drains the node and stops its own processes in about 2 s. Sent to the
            # whole group, the GCS died first and the head waited out its 30 s drain timeout.
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # anything of the cluster still running
            except ProcessLookupError:
                pass
            shutil.rmtree(temp, ignore_errors=True)


def test_tune_on_a_local_ray_cluster(bm_copy: Path, ray_cluster: str):
    import ray

    code, out, err = run_cli("tune", str(bm_copy), "--target", "mps2-an386", "--trials", "2", "--epochs", "1",
                             "--families", "rf", "gbt", "--ray", ray_cluster, "--no-train", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [t["state"] for t in data["trials"]] == ["complete", "complete"], data["trials"]
    assert data["pareto"]
    assert all(t["flash_bytes"] > 0 for t in data["trials"])
    assert not ray.is_initialized()  # the search left the cluster
