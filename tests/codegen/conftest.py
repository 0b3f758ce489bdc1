"""Fixtures for codegen tests: suite models (built once per session, cached on disk) and compilers."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import suite_models  # noqa: E402


@pytest.fixture(scope="session")
def suite_model() -> Callable[[str], bytes]:
    """name -> .tflite bytes; TensorFlow is imported only when the on-disk cache is cold."""
    cache: dict[str, bytes] = {}

    def get(name: str) -> bytes:
        if name not in cache:
            cache[name] = suite_models.build(name)
        return cache[name]

    return get
