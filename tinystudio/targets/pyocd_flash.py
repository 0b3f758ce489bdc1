"""Flashing through a debug probe with pyOCD (CMSIS-DAP, ST-Link and J-Link probes): the command lines,
the list of attached probes, progress read from its output while it runs (a child process that dies
with TinyStudio), and its own message turned into one line that says what to do.

pyOCD writes its progress bar to stdout: without a terminal ``[---|---|...----]`` then one ``=`` per 2.5 %
and ``]``; its log lines go to stderr as ``<ms> <level letter> <message> [<logger>]``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tinystudio.core import children
from tinystudio.core.errors import Cancelled, UserError
from tinystudio.core.progress import CancelToken, Progress

PIP_PYOCD = "pip install pyocd==0.46.0"
_LOG_LINE = re.compile(r"^\s*\d+\s+([DIWEC])\s+(.*?)(?:\s+\[[\w.]+\])?\s*$")
_BAR_WIDTH = 40


@dataclass(frozen=True)
class Probe:
    """One attached debug probe as pyOCD lists it; ``target`` is the chip its board id names, or
    ``cortex_m`` when the probe does not say which board it sits on."""

    unique_id: str
    description: str
    board_name: str
    target: str

    def runs(self, chip: str) -> bool | None:
        """True when the probe names ``chip`` (a pyOCD target prefix), False when it names another chip,
        None when it names none."""
        if not self.target or self.target == "cortex_m":
            return None
        return self.target.lower().startswith(chip.lower())


def pyocd_command() -> list[str]:
    """How to start pyOCD here; a UserError with the install command when it is missing."""
    if importlib.util.find_spec("pyocd") is not None:
        return [sys.executable, "-m", "pyocd"]
    found = shutil.which("pyocd")
    if found:
        return [found]
    raise UserError(f"pyOCD is missing (it flashes boards through ST-Link, J-Link and CMSIS-DAP probes): "
                    f"install it with `{PIP_PYOCD}`")


def list_command() -> list[str]:
    return [*pyocd_command(), "json", "--probes"]


def flash_command(elf: Path, target: str, probe: str | None = None) -> list[str]:
    """Program ``elf`` into ``target`` (a pyOCD built-in target) and reset it to run; -W: fail at once when
    no probe is attached instead of waiting for one."""
    args = [*pyocd_command(), "flash", "-W", "-t", target, "--format", "elf"]
    if probe:
        args += ["-u", probe]
    return [*args, str(elf)]


def parse_probes(text: str) -> list[Probe]:
    """The probes in the output of ``pyocd json --probes``; a UserError with pyOCD's own error."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise UserError(f"pyOCD gave no probe list: {_last_line(text)}") from None
    if data.get("status", 0) != 0:
        raise UserError(f"pyOCD could not list the debug probes: {data.get('error') or 'unknown error'}")
    return [Probe(str(b.get("unique_id", "")), str(b.get("info", "")), str(b.get("board_name", "")),
                  str(b.get("target", ""))) for b in data.get("boards", [])]


def list_probes(timeout: float = 30.0) -> list[Probe]:
    """The debug probes attached now."""
    try:
        result = children.run(list_command(), timeout=timeout, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        raise UserError(f"pyOCD did not list the debug probes within {timeout:g} s") from None
    if result.returncode != 0:
        raise UserError(f"pyOCD could not list the debug probes: {_tool_message(result.stdout + result.stderr)}")
    return parse_probes(result.stdout)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _tool_message(output: str) -> str:
    """pyOCD's own error: the first error-level log line, else its last line."""
    for line in output.splitlines():
        match = _LOG_LINE.match(line)
        if match and match.group(1) in "EC":
            return match.group(2)
    return _last_line(output)


def failure_message(output: str, board: str, target: str, probe_kind: str) -> str:
    """One line saying why pyOCD failed and what to do, with pyOCD's own words."""
    said = _tool_message(output)
    text = output.lower()
    if "no connected debug probes" in text or "no available debug probes" in text:
        return (f"no debug probe found: connect the {board} through its {probe_kind} USB port "
                "(pyOCD: No connected debug probes)")
    if "approtect" in text or "locked" in text or "read protection" in text or "readout protection" in text:
        return (f"the {board} is locked (read-out protection); a full chip erase unlocks it and clears it: "
                f"`pyocd erase --chip -t {target} -O auto_unlock=true` (pyOCD: {said})")
    if "not recognized" in text or "unknown target" in text:
        return f"pyOCD does not know the target {target!r} (pyOCD: {said})"
    return f"flashing the {board} failed (pyOCD: {said})"


class FlashProgress:
    """Turns pyOCD's output, as it arrives, into fractions of the bar (one ``=`` is 1/40). Its log lines share
    the pipe and may land inside the bar: only a ``[`` that starts a line opens the bar, and only a ``]``
    right after the bar's own characters closes it."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.in_bar = False
        self.marks = 0
        self.previous = "\n"

    def feed(self, text: str) -> None:
        for char in text:
            if char == "[" and self.previous == "\n":
                self.in_bar = True
                self.marks = 0
            elif char == "]" and self.previous in "=[-|":
                self.in_bar = False
            elif char == "=" and self.in_bar:
                self.marks += 1
                if self.progress is not None:
                    self.progress(min(1.0, self.marks / _BAR_WIDTH), "programming flash")
            self.previous = char


def run_flash(args: list[str], progress: Progress | None = None, cancel: CancelToken | None = None,
              timeout: float = 300.0) -> tuple[int, str]:
    """Run a pyOCD flash command as a child; its exit code and merged output, progress passed on."""
    try:
        proc = children.spawn(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})
    except OSError as exc:
        raise UserError(f"cannot run pyOCD: {exc.strerror}") from exc
    bar = FlashProgress(progress)
    chunks: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    os.set_blocking(proc.stdout.fileno(), False)
    try:
        while True:
            data = proc.stdout.read()
            if data:
                text = data.decode(errors="replace")
                chunks.append(text)
                bar.feed(text)
            elif proc.poll() is not None:
                rest = proc.stdout.read() or b""
                chunks.append(rest.decode(errors="replace"))
                return int(proc.returncode), "".join(chunks)
            else:
                if cancel is not None and cancel.cancelled:
                    raise Cancelled("flashing cancelled")
                if time.monotonic() > deadline:
                    raise UserError(f"pyOCD did not finish flashing within {timeout:g} s")
                time.sleep(0.02)
    finally:
        children.stop(proc, grace=2.0)
