"""Fixtures of the flashing tests: a firmware build cache shared by the session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def fw_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("flash-fw")
