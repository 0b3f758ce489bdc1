"""Fixtures for the classical-model tests: real DSP features of BasicMotions (spectral block)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest


@dataclass
class Features:
    x: dict[str, np.ndarray]
    y: dict[str, np.ndarray]
    classes: int


@pytest.fixture(scope="session")
def bm_features(bm_split_project: Path) -> Features:
    """Unstandardised spectral features per split of the BasicMotions project (what the board's DSP makes)."""
    from tinystudio.app.train import default_impulse
    from tinystudio.core.dsp import make_block
    from tinystudio.core.features import dsp_transform
    from tinystudio.core.impulse import ImpulseConfig
    from tinystudio.core.store import Project
    from tinystudio.core.windows import window_project

    with Project.open(bm_split_project) as project:
        impulse: ImpulseConfig = default_impulse(project)
        windows = window_project(project, impulse.window)
        block = make_block(impulse.dsp.block, impulse.dsp.params, windows.rate_hz, windows.window_frames,
                           len(windows.axis_names))
        x = {s: dsp_transform(block, windows.splits[s].x).reshape(len(windows.splits[s].x), -1)
             for s in windows.splits}
        y = {s: windows.splits[s].y for s in windows.splits}
        return Features(x, y, len(windows.labels))
