"""Shared fixtures of the Python package's tests: the shared data folder and the CLI."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def shared_dir():
    """``$UNSPIN_SHARED``, else ``../shared`` beside the repository, if present."""
    env = os.environ.get("UNSPIN_SHARED")
    d = Path(env) if env else ROOT.parent / "shared"
    return d if d.is_dir() else None


@pytest.fixture
def shared():
    d = shared_dir()
    if d is None:
        pytest.skip("../shared is absent (set UNSPIN_SHARED): no shared data to test on")
    return d


def cli_binary():
    """``$UNSPIN_BIN``, else the workspace's release or debug build, else ``unspin`` on PATH."""
    env = os.environ.get("UNSPIN_BIN")
    if env:
        return env
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "unspin"
        if p.is_file():
            return str(p)
    return shutil.which("unspin")


@pytest.fixture
def cli():
    b = cli_binary()
    if b is None:
        pytest.skip("no unspin binary (build it with cargo build -p unspin-cli or set UNSPIN_BIN)")
    return b
