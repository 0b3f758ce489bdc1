"""A real board on the bench: built like every Cortex-M board (its own clocks, pins and memory), checked
against its budget from the ELF, flashed with pyOCD through its debug probe, and reached over the serial
port that carries its UART (found by the probe's USB VID/PID, or the one the user names).

Nothing here pretends a board answered: no probe, a probe on another chip, no serial port, a locked chip
each end the deploy with one line saying what to do.
"""

from __future__ import annotations

from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.device.ports import PortInfo, list_boards, open_port
from tinystudio.device.runner_client import RunnerClient
from tinystudio.targets import pyocd_flash
from tinystudio.targets.base import Artifact, BoardLink, MemoryBudget
from tinystudio.targets.cortexm import CortexMTarget
from tinystudio.targets.fit import check_fits
from tinystudio.targets.registry import BenchBoard, BoardSpec

BAUD = 115200


def usb_matches(vid: int | None, pid: int | None, ids: tuple[tuple[int, int | None], ...]) -> bool:
    """True when a USB VID/PID is one of ``ids`` (a PID of None there matches any)."""
    return vid is not None and any(vid == v and (p is None or pid == p) for v, p in ids)


def _same_probe(port: PortInfo, probe: str) -> bool:
    """The probe's unique id is the USB serial number of its own serial port (J-Link pads it with zeros)."""
    serial = (port.serial_number or "").lstrip("0").lower()
    return bool(serial) and serial == probe.lstrip("0").lower()


class BenchTarget(CortexMTarget):
    """A board on the bench, flashed through a debug probe with pyOCD (see the module docstring)."""

    def __init__(self, spec: BoardSpec, budget: MemoryBudget | None = None,
                 extra_flags: tuple[str, ...] = ()) -> None:
        super().__init__(spec, budget, extra_flags)
        if spec.bench is None:
            raise ValueError(f"board {spec.name} is not a bench board")
        self.bench: BenchBoard = spec.bench

    def no_probe_hint(self) -> str:
        hint = f"connect the board's {self.bench.probe_kind} USB port"
        if self.bench.probe_kind == "J-Link":  # pyOCD drives a J-Link through SEGGER's own library
            hint += " and install SEGGER's J-Link software, through which pyOCD reaches it"
        return hint

    def choose_probe(self, probes: list[pyocd_flash.Probe]) -> pyocd_flash.Probe:
        """The probe to flash through: the one the user named, else the only one on this chip."""
        title = self.board_title
        wanted = self.connection.probe
        if wanted:
            named = [p for p in probes if p.unique_id.lower().startswith(wanted.lower())]
            if not named:
                listed = ", ".join(p.unique_id for p in probes) or "none"
                raise UserError(f"no debug probe with id {wanted!r} is attached (attached: {listed})")
            probes = named
        if not probes:
            raise UserError(f"no debug probe found for the {title}: {self.no_probe_hint()} "
                            "(pyOCD: No connected debug probes)")
        fitting = [p for p in probes if p.runs(self.bench.chip) is not False]
        if not fitting:
            other = probes[0]
            raise UserError(f"wrong target: the attached probe is on a {other.board_name} ({other.target}), "
                            f"not a {title} ({self.bench.chip}); choose that board or attach the {title}")
        sure = [p for p in fitting if p.runs(self.bench.chip)]
        candidates = sure or fitting
        if len(candidates) > 1:
            ids = ", ".join(p.unique_id for p in candidates)
            raise UserError(f"several debug probes could be the {title} ({ids}): name one with --probe")
        return candidates[0]

    def find_port(self, probe: pyocd_flash.Probe | None) -> str:
        """The serial port of the board's UART: the user's, else the one on the probe's USB device."""
        if self.connection.port:
            return self.connection.port
        title = self.board_title
        ports = [p for p in list_boards() if usb_matches(p.vid, p.pid, self.bench.serial_usb)]
        if probe is not None:
            ports = [p for p in ports if _same_probe(p, probe.unique_id)] or ports
        if not ports:
            raise UserError(f"no serial port of the {title} found (its {self.bench.probe_kind} virtual COM port): "
                            "plug it in, or name the port with --port")
        if len(ports) > 1:
            names = ", ".join(p.device for p in ports)
            raise UserError(f"several serial ports could be the {title} ({names}): name one with --port")
        return ports[0].device

    def flash(self, artifact: Artifact, progress: Progress | None = None,
              cancel: CancelToken | None = None) -> pyocd_flash.Probe | None:
        """Program the image through the board's probe (pyOCD), after checking which probe that is; the
        probe used (None when the image went another way)."""
        probe = self.choose_probe(pyocd_flash.list_probes())
        args = pyocd_flash.flash_command(artifact.path, self.bench.pyocd_target, probe.unique_id)
        if progress is not None:
            progress(0.0, f"flashing through {probe.description or probe.unique_id}")
        code, output = pyocd_flash.run_flash(args, progress, cancel)
        if code != 0:
            raise UserError(pyocd_flash.failure_message(output, self.board_title, self.bench.pyocd_target,
                                                        self.bench.probe_kind))
        return probe

    @property
    def board_title(self) -> str:
        """The board's name without the details in brackets, for messages."""
        return self.title.split(" (")[0]

    def launch(self, artifact: Artifact, *, timeout: float = 10.0, progress: Progress | None = None) -> BoardLink:
        assert self.budget is not None, "a bench board has a memory budget"
        check_fits(artifact.path, self.budget, self.board_title)
        probe = self.flash(artifact, progress)
        port = open_port(self.find_port(probe), BAUD)
        port.reset_input_buffer()
        return BoardLink(RunnerClient(port), port, None)
