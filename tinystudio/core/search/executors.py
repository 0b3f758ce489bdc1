"""Where trials run: local worker processes (default) or Ray tasks on an existing cluster. Both take a trial
request and give a ``concurrent.futures.Future`` of its outcome, and both stop running trials on cancel.

A local trial is a child process (``python -m tinystudio.core.search.trial``) spawned through
``core.children``, so TensorFlow loads in the child, a crash ends only that trial, and stopping the search
(or TinyStudio) stops it. A Ray trial gets the project file's bytes with it, so the cluster's machines need
no shared folder; this package is shipped to the cluster with the job.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

from tinystudio.core import children
from tinystudio.core.errors import UserError
from tinystudio.core.search.outcome import FAILED, TrialOutcome
from tinystudio.core.search.trial import RESULT_PREFIX

TRIAL_TIMEOUT_S = 3600.0


class TrialExecutor(Protocol):
    workers: int

    def submit(self, number: int, params: dict[str, Any], settings: dict[str, Any]) -> Future[TrialOutcome]: ...

    def cancel(self) -> None: ...

    def close(self) -> None: ...


def worker_command() -> list[str]:
    """How to start a trial's worker: the bundled app takes a hidden flag, a Python install runs the module."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--tune-trial"]
    return [sys.executable, "-m", "tinystudio.core.search.trial"]


def _package_root() -> str:
    return str(Path(__file__).resolve().parents[3])


def _worker_env() -> dict[str, str]:
    paths = [_package_root(), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths)), "TF_CPP_MIN_LOG_LEVEL": "2"}


def parse_result(stdout: str, number: int, params: dict[str, Any], stderr: str = "") -> TrialOutcome:
    """The worker's outcome line, or a FAILED outcome naming the worker's last words."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return TrialOutcome.from_dict(json.loads(line[len(RESULT_PREFIX):]))
    last = (stderr.strip().splitlines() or ["the worker process ended without a result"])[-1][:300]
    return TrialOutcome(number, params, FAILED, note=last)


class LocalExecutor:
    """Trials in up to ``workers`` child processes at once."""

    def __init__(self, project_path: str, workers: int = 1) -> None:
        self.project_path = project_path
        self.workers = max(1, int(workers))
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="tune-trial")
        self._live: set[subprocess.Popen[Any]] = set()
        self._lock = threading.Lock()
        self._cancelled = False

    def _run(self, number: int, params: dict[str, Any], settings: dict[str, Any]) -> TrialOutcome:
        if self._cancelled:
            return TrialOutcome(number, params, FAILED, note="cancelled")
        request = json.dumps({"project": self.project_path, "number": number, "params": params,
                              "settings": settings}).encode()
        proc = children.spawn(worker_command(), stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_worker_env())
        with self._lock:
            self._live.add(proc)
        try:
            out, err = proc.communicate(request, timeout=TRIAL_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            children.stop(proc, grace=1.0)
            return TrialOutcome(number, params, FAILED, note=f"the trial took longer than {TRIAL_TIMEOUT_S:g} s")
        finally:
            children.stop(proc, grace=0.5)  # reaped, and no longer listed as a live child
            with self._lock:
                self._live.discard(proc)
        if self._cancelled:
            return TrialOutcome(number, params, FAILED, note="cancelled")
        return parse_result(out.decode("utf-8", "replace"), number, params, err.decode("utf-8", "replace"))

    def submit(self, number: int, params: dict[str, Any], settings: dict[str, Any]) -> Future[TrialOutcome]:
        return self._pool.submit(self._run, number, params, settings)

    def cancel(self) -> None:
        """Stop every running trial now (their futures end as failed 'cancelled' outcomes)."""
        self._cancelled = True
        with self._lock:
            live = list(self._live)
        for proc in live:
            children.stop(proc, grace=0.5)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _ray_trial(project_bytes: bytes, number: int, params: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """A Ray task: the project travels as bytes, is written to the worker's own temporary file and tried."""
    from tinystudio.core.search.trial import run_trial

    with tempfile.TemporaryDirectory(prefix="tinystudio-ray-") as tmp:
        path = Path(tmp) / "project.tsproj"
        path.write_bytes(project_bytes)
        return run_trial(str(path), number, params, settings).to_dict()


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """A UserError at once when nothing listens at a ``host:port`` (or ``ray://host:port``) address: Ray
    itself retries for minutes, printing warnings, before it gives up."""
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not host or not port.isdigit():
        return  # "auto" and other forms: Ray's own check
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise UserError(f"no Ray cluster answers at {address} ({exc.strerror or exc}): start one with "
                        "`ray start --head` or check the address") from None


class RayExecutor:
    """Trials as Ray tasks on the cluster at ``address`` (one CPU each); ``workers`` in flight at once."""

    def __init__(self, project_path: str, address: str, workers: int | None = None) -> None:
        # gRPC's fork handlers (registered for the life of the process) can block a fork for ever; children
        # start without a fork (core.children), and this keeps any other fork clear of them too
        os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")
        try:
            import ray
        except ImportError:
            raise UserError("--ray needs Ray: pip install ray==2.60.0") from None
        self._ray = ray
        _check_reachable(address)
        package = str(Path(__file__).resolve().parents[2])
        try:
            ray.init(address=address, runtime_env={"py_modules": [package]}, log_to_driver=False,
                     logging_level="ERROR", ignore_reinit_error=True)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise UserError(f"cannot join the Ray cluster at {address}: {str(exc).splitlines()[0]}") from None
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = max(1, int(workers or cpus))
        self._remote = ray.remote(num_cpus=1, max_retries=0)(_ray_trial)
        with tempfile.TemporaryDirectory(prefix="tinystudio-ray-") as tmp:
            from tinystudio.core.store import Project

            source = Project.open(project_path)
            try:
                copy = source.snapshot(Path(tmp) / "copy.tsproj")
                copy.close()
            finally:
                source.close()
            self._project = ray.put((Path(tmp) / "copy.tsproj").read_bytes())
        self._refs: list[Any] = []

    def submit(self, number: int, params: dict[str, Any], settings: dict[str, Any]) -> Future[TrialOutcome]:
        ref = self._remote.remote(self._project, number, params, settings)
        self._refs.append(ref)
        done: Future[TrialOutcome] = Future()

        def finish(raw: Future[Any]) -> None:
            try:
                done.set_result(TrialOutcome.from_dict(raw.result()))
            except Exception as exc:  # noqa: BLE001 - a task the cluster lost is a failed trial
                done.set_result(TrialOutcome(number, params, FAILED, note=f"Ray: {str(exc).splitlines()[0][:300]}"))

        ref.future().add_done_callback(finish)
        return done

    def cancel(self) -> None:
        for ref in self._refs:
            try:
                self._ray.cancel(ref, force=True)
            except Exception:  # noqa: BLE001, S110 - a finished task cannot be cancelled
                pass

    def close(self) -> None:
        self._ray.shutdown()
