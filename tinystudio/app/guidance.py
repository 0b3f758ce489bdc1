"""The next step of the end-to-end loop for a project (connect, record, split, train, compress, deploy):
what is missing, in one sentence, and which action does it. The GUI shows it as a strip with a button."""

from __future__ import annotations

from dataclasses import dataclass

from tinystudio.core.store import Project

MIN_LABELS = 2


@dataclass(frozen=True)
class NextStep:
    """``action`` names what the button does (``connect``, ``record``, ``split``, ``train``, ``compress``,
    ``deploy``), None when nothing is missing; ``step`` is the sidebar step where it happens."""

    action: str | None
    step: str
    text: str
    button: str = ""


def next_step(project: Project | None, connected: bool) -> NextStep:
    """What the user should do next with ``project`` (``connected``: a board is streaming)."""
    if project is None:
        return NextStep(None, "Device", "Open or create a project (File menu) to start.")
    samples = [s for s in project.samples() if s.status == "complete"]
    labels = {s.label for s in samples if s.label}
    if len(labels) < MIN_LABELS:
        have = f"{len(samples)} recording{'s' if len(samples) != 1 else ''}" if samples else "no recordings yet"
        if not connected:
            return NextStep("connect", "Device", f"This project has {have}. Connect a board (or the simulated "
                            "board) to record labelled samples, or import files on the Data step.", "Connect")
        return NextStep("record", "Device", f"This project has {have} and {len(labels)} label"
                        f"{'s' if len(labels) != 1 else ''}: record at least two labels.", "Record")
    if any(s.split is None for s in samples if s.label):
        return NextStep("split", "Data", "Some samples are in no split: assign train, validation and test.",
                        "Split")
    if not project.runs("train"):
        return NextStep("train", "Impulse / Train", "Data is ready: train a first model.", "Train")
    if not project.variants():
        return NextStep("compress", "Compress", "A model is trained: make an int8 variant that fits a board.",
                        "Compress")
    if not project.device_results():
        return NextStep("deploy", "Deploy", "A model variant is ready: build, flash and test it on a board.",
                        "Deploy")
    return NextStep(None, "Deploy", "Every step is done: compare variants, or test on another board.")
