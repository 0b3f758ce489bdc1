"""A first run of a model in a child process, so that an interpreter crash cannot take the app down.

TensorFlow Lite Micro's kernels index memory by the model's shapes: a model it cannot handle may crash
the process instead of returning an error. ``trial_run`` loads the model in a child process (after
LiteRT's FlatBuffers verifier, where installed) and invokes it on fixed inputs; only a model that runs
there is then run in the app's own process. A crash becomes one line naming the signal.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys

from tinystudio.core import children
from tinystudio.core.errors import UserError
from tinystudio.core.model_check import check_tflite

TIMEOUT_S = 120.0
_FAILED = 2  # child exit code: one line on stdout says why
_passed: set[tuple[str, int]] = set()


def trial_command() -> list[str]:
    """How to start the child: the bundled app takes a hidden flag, a Python install runs the module."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--model-trial"]
    return [sys.executable, "-m", "tinystudio.core.model_trial"]


def _child_env() -> dict[str, str]:
    """The parent's environment, with this copy of tinystudio first on the child's import path."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    paths = [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}


def trial_run(tflite: bytes, arena_bytes: int, timeout: float = TIMEOUT_S) -> None:
    """Load and invoke ``tflite`` with TFLite Micro in a child process; UserError (one line) unless it runs.

    ``check_tflite`` runs first: the trial is the net under the checks, not a replacement for them.
    A model that passed once in this process is not tried again.
    """
    check_tflite(tflite)
    key = (hashlib.sha256(tflite).hexdigest(), int(arena_bytes))
    if key in _passed:
        return
    try:
        proc = children.run([*trial_command(), str(int(arena_bytes))], input=bytes(tflite), timeout=timeout,
                            env=_child_env())
    except subprocess.TimeoutExpired:
        raise UserError(f"the model could not be run: the interpreter did not finish within {timeout:g} s") from None
    except OSError as exc:
        raise UserError(f"the model could not be run: cannot start the interpreter process ({exc})") from None
    if proc.returncode < 0:
        raise UserError(f"the model could not be run: the interpreter crashed ({_signal_name(-proc.returncode)})")
    if proc.returncode == _FAILED:
        lines = proc.stdout.decode("utf-8", "replace").strip().splitlines()
        raise UserError(lines[-1] if lines else "the model could not be run")
    if proc.returncode != 0:
        last = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1][:200]
        raise UserError(f"the model could not be run: the interpreter process ended with code {proc.returncode}"
                        + (f" ({last})" if last else ""))
    _passed.add(key)


def _signal_name(number: int) -> str:
    try:
        return f"{signal.Signals(number).name}, signal {number}"
    except ValueError:
        return f"signal {number}"


def _verify_with_litert(tflite: bytes) -> str | None:
    """LiteRT's FlatBuffers verifier, where installed: a message when it rejects the file."""
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        return None
    try:
        Interpreter(model_content=tflite)
    except ValueError as exc:
        if "not a valid flatbuffer" in str(exc).lower():
            return "the model file is damaged: it fails the FlatBuffers verifier"
    except Exception:  # noqa: BLE001, S110 - other LiteRT complaints are for TFLite Micro to judge
        pass
    return None


def _child(arena_bytes: int) -> int:
    """Child side: the model on stdin; exit 0 when it ran, _FAILED with one line on stdout when it did not."""
    import numpy as np

    tflite = sys.stdin.buffer.read()
    problem = _verify_with_litert(tflite)
    if problem:
        print(problem)
        return _FAILED
    from tflite_micro.python.tflite_micro import runtime
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    graph = schema.ModelT.InitFromPackedBuf(bytearray(tflite), 0).subgraphs[0]
    n_in, n_out = len(graph.inputs if graph.inputs is not None else []), len(graph.outputs or [])
    try:
        interp = runtime.Interpreter.from_bytes(tflite, arena_size=arena_bytes)
        inputs = [interp.get_input_details(i) for i in range(n_in)]
        rng = np.random.default_rng(0)
        for fill in ("zeros", "random"):
            for i, details in enumerate(inputs):
                dtype, shape = np.dtype(details["dtype"]), tuple(int(d) for d in details["shape"])
                if fill == "zeros" or dtype.kind not in "iuf":
                    x = np.zeros(shape, dtype=dtype)
                elif dtype.kind == "f":
                    x = rng.standard_normal(shape).astype(dtype)
                else:
                    info = np.iinfo(dtype)
                    x = rng.integers(max(info.min, -128), min(info.max, 127), size=shape, endpoint=True).astype(dtype)
                interp.set_input(x, i)
            interp.invoke()
            for i in range(n_out):
                interp.get_output(i)
    except Exception as exc:  # noqa: BLE001 - whatever TFLite Micro says is the user's one line
        message = " ".join(str(exc).split()) or type(exc).__name__
        print(f"the model could not be run: TFLite Micro: {message[:300]}")
        return _FAILED
    return 0


def child_main(argv: list[str]) -> int:
    """Entry of the child process: ``argv`` holds the arena size in bytes."""
    return _child(int(argv[0]) if argv else 8 << 20)


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
