"""The Target abstraction: a board you can build the runner firmware for, start or flash, and talk to.

Each way of flashing is one module (qemu.py, host.py) implementing ``Target``, made from the board's
entry in registry.py; ``BoardLink`` is the connected result of a launch: a RunnerClient plus whatever
process or port must be closed afterwards.
"""

from __future__ import annotations

import abc
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tinystudio.core.dsp import DspBlock
    from tinystudio.targets.registry import BoardSpec
from tinystudio.core import children
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.device.runner_client import RunnerClient
from tinystudio.device.runner_protocol import CounterKind


@dataclass(frozen=True)
class MemoryBudget:
    """What the board offers the image; the linker enforces it where the board has a linker script."""

    flash_bytes: int
    ram_bytes: int
    min_stack_bytes: int = 8 * 1024


@dataclass(frozen=True)
class Connection:
    """Where a real board is reached, when the user says so: its serial port and its debug probe's id."""

    port: str | None = None
    probe: str | None = None


@dataclass(frozen=True)
class Artifact:
    """A built firmware image for one target and one model folder."""

    target: str
    path: Path
    build_dir: Path
    model_dir: Path
    flash_bytes: int = 0
    static_ram_bytes: int = 0
    sections: dict[str, int] = field(default_factory=dict)


class BoardLink:
    """A running board with an open link; close() ends both. Use as a context manager."""

    def __init__(self, client: RunnerClient, port: Any, process: subprocess.Popen[bytes] | None) -> None:
        self.client = client
        self.port = port
        self.process = process
        self.bulk_windows = 0  # test windows placed in the board's memory at launch (read with INFER_AT)
        self.temp_files: list[Path] = []  # files the board process reads while it runs, removed on close

    def alive(self) -> bool:
        return self.process is None or self.process.poll() is None

    def exited(self, grace: float = 1.0) -> bool:
        """Whether the board process has ended, waiting up to ``grace`` s for it: a killed process closes
        its end of the link a moment before it can be reaped, so a broken link is seen first."""
        if self.process is None:
            return False
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            return False
        return True

    def close(self) -> None:
        try:
            self.port.close()
        finally:
            if self.process is not None:
                children.stop(self.process)
            for path in self.temp_files:
                path.unlink(missing_ok=True)

    def __enter__(self) -> BoardLink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Target(abc.ABC):
    """A board: how to build for it, how to start/flash it, what its counter means, its budget.

    The facts (name, title, counter kind, default budget) come from the board's registry entry."""

    def __init__(self, spec: BoardSpec, budget: MemoryBudget | None = None) -> None:
        self.spec = spec
        self.budget = budget if budget is not None else spec.budget
        self.connection = Connection()  # a bench board's port and probe, when the user names them

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def counter_kind(self) -> CounterKind:
        return self.spec.counter_kind

    @abc.abstractmethod
    def build(
        self,
        model_dir: Path,
        cache_dir: Path,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        dsp: DspBlock | None = None,
    ) -> Artifact:
        """Compile the runner firmware with the generated model in ``model_dir`` (and the DSP block that
        turns a raw float32 window into its input, if any); outputs go in ``cache_dir``."""

    @abc.abstractmethod
    def launch(self, artifact: Artifact, *, timeout: float = 10.0, progress: Progress | None = None) -> BoardLink:
        """Start or flash the image and return a connected link (``progress``: flashing, where it takes time)."""
