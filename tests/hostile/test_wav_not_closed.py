"""A WAV whose recorder was killed (or its board unplugged) before it closed the file: the header still
holds the length written first (Python's wave module: its first block; other recorders: 0), while the audio
runs to the end of the file. The import kept only the first block (a tenth of the recording, silently) or
refused the file as holding no audio frames. Now the audio is read to the end and the summary says why; a
chunk after the audio (LIST, as editors add) still ends it. A file cut short (an interrupted copy) kept what it
held without a word; now the summary says so."""

from __future__ import annotations

import signal
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np

from cli_helpers import run_cli
from tinystudio.core.store import Project

_RECORDER = """
import os, signal, sys, wave
import numpy as np
w = wave.open(sys.argv[1], "wb")
w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
for k in range(10):
    w.writeframesraw((np.arange(1600, dtype="<i2") + 1600 * k).tobytes())
w._file.flush()
os.kill(os.getpid(), signal.SIGKILL)
"""


def _import(project: Path, *files: Path) -> tuple[int, str, str]:
    if not project.exists():
        assert run_cli("new", str(project))[0] == 0
    return run_cli("import", str(project), *map(str, files), "--label", "tone")


def test_a_killed_recorders_wav_imports_whole(tmp_path: Path):
    wav = tmp_path / "killed.wav"
    done = subprocess.run([sys.executable, "-c", _RECORDER, str(wav)], check=False)
    assert done.returncode == -signal.SIGKILL and wav.stat().st_size == 44 + 16000 * 2
    code, out, err = _import(tmp_path / "p.tsproj", wav)
    assert code == 0, err
    assert "not closed" in out
    with Project.open(tmp_path / "p.tsproj") as p:
        signal_ = p.load_signal(p.samples()[0].id)
    assert np.array_equal(signal_[:, 0], np.arange(16000, dtype=np.int16))


def test_a_header_of_length_zero_reads_to_the_end_and_a_trailing_chunk_still_ends_the_audio(tmp_path: Path):
    audio = np.arange(800, dtype="<i2").tobytes()
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    info = b"LIST" + struct.pack("<I", 12) + b"INFOISFT" + struct.pack("<I", 0)

    def wav(path: Path, declared: int, tail: bytes) -> Path:
        body = b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", declared) + audio + tail
        path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
        return path

    zero = wav(tmp_path / "zero.wav", 0, b"")
    tagged = wav(tmp_path / "tagged.wav", len(audio), info)
    code, _out, err = _import(tmp_path / "p.tsproj", zero, tagged)
    assert code == 0, err
    with Project.open(tmp_path / "p.tsproj") as p:
        assert [s.frames for s in p.samples()] == [800, 800]


def test_a_wav_cut_short_keeps_what_it_holds_and_says_so(tmp_path: Path):
    audio = np.arange(1000, dtype="<i2").tobytes()
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    body = b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(audio)) + audio
    whole = b"RIFF" + struct.pack("<I", len(body)) + body
    cut = tmp_path / "copy.wav"
    cut.write_bytes(whole[: len(whole) - 600])  # an interrupted copy
    code, out, err = _import(tmp_path / "p.tsproj", cut)
    assert code == 0, err
    assert "copy.wav: the file ends before its audio does (cut short): 1400 of 2000 bytes" in out
    with Project.open(tmp_path / "p.tsproj") as p:
        assert [s.frames for s in p.samples()] == [700]
