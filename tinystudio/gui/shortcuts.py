"""The keyboard shortcuts of the main window, in one table that the Run menu and Help both read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    action: str
    keys: str
    title: str
    help: str


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("record", "Ctrl+R", "&Record / stop recording", "Start a recording on the Device step, or stop it"),
    Shortcut("stop", "Esc", "&Stop", "Stop the recording, or cancel the training, compression or deploy"),
    Shortcut("next_label", "Ctrl+L", "&Next label", "Record the next label of the list next"),
    Shortcut("train", "Ctrl+T", "&Train", "Train a model with the Impulse / Train settings"),
    Shortcut("compress", "Ctrl+K", "&Compress", "Make int8 variants with the chosen methods"),
    Shortcut("deploy", "Ctrl+D", "&Deploy", "Build, flash and test the chosen model on the chosen board"),
)
STEP_KEYS = "Ctrl+1 … Ctrl+5"
"""Go to the Device, Data, Impulse / Train, Compress or Deploy step."""


def shortcuts_html() -> str:
    """The shortcut list as a small table (Help > Keyboard shortcuts and About)."""
    rows = [(s.keys, s.help) for s in SHORTCUTS]
    rows += [(STEP_KEYS, "Go to step 1 to 5"), ("F2", "Edit the selected sample's label (Data step)"),
             ("Del", "Delete the selected samples (Data step)"), ("Ctrl+N / Ctrl+O", "New / open project")]
    cells = "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{h}</td></tr>" for k, h in rows)
    return f"<table>{cells}</table>"
