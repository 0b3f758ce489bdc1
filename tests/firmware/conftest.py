"""Fixtures for firmware tests: built boards (host pty and QEMU) around the hand-written fixture model
and around real generated models, plus the fixture model's reference arithmetic."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from tinystudio.targets import get_target

FIXTURE_MODEL = Path(__file__).resolve().parent / "fixture_model"


def fixture_reference(window: bytes) -> bytes:
    """What fixture_model/model.c computes, in numpy."""
    x = np.frombuffer(window, dtype=np.int8).astype(np.int64)
    i = np.arange(x.size)
    out = []
    for j in range(4):
        acc = int((x * ((i * 7 + j * 13) % 5 - 2)).sum()) >> 6
        out.append(max(-128, min(127, acc)))
    return np.array(out, dtype=np.int8).tobytes()


@pytest.fixture(scope="session")
def fw_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fw-cache")


@pytest.fixture(scope="session")
def host_fixture_artifact(fw_cache):
    return get_target("host").build(FIXTURE_MODEL, fw_cache)


@pytest.fixture(scope="session")
def qemu_fixture_artifact(fw_cache):
    if shutil.which("qemu-system-arm") is None:
        pytest.skip("qemu-system-arm not installed")
    return get_target("mps2-an386").build(FIXTURE_MODEL, fw_cache)


@pytest.fixture
def host_board(host_fixture_artifact):
    with get_target("host").launch(host_fixture_artifact) as link:
        yield link


@pytest.fixture
def qemu_board(qemu_fixture_artifact):
    with get_target("mps2-an386").launch(qemu_fixture_artifact) as link:
        yield link


@pytest.fixture(params=["host", "qemu"])
def any_board(request):
    """The fixture model on each board in turn."""
    return request.getfixturevalue(f"{request.param}_board")
