"""The on-device test: one int8 model variant -> C -> firmware for a board -> launch -> stream the test
split through it -> on-device scores, agreement with the host, latency and memory, stored as a result.

The variant is the one named, else the newest plain-quantization variant of the run named, else the
variant marked for deploy (``tinystudio variants --use``, the Compress step's "Use for deploy"), else
that of the newest run; a run without one is quantized first through the one post-training
quantization path (core/compress/ptq.py). The CLI and the Deploy page both call ``deploy_model``.

The board either runs the DSP block itself on each raw window (the real deployment: DSP and NN latency
are both measured) or receives the features the host computed. The host side scores the same int8
model with TensorFlow Lite Micro's reference kernels, so the network part is expected to be bit-exact;
the board's DSP block repeats the host block's float32 steps in the same order, so its features are
expected to equal the host's too (a compiler that fuses multiply-adds would break that: builds turn it off).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.app.arena_plan import arena_plan
from tinystudio.app.board_test import BoardStopped, Measured, Session, stream
from tinystudio.app.device_figures import BENCH_RUNS, check_bench_runs
from tinystudio.app.figure_text import TREE_MODEL
from tinystudio.app.variants import marked_variant
from tinystudio.app.window_encoding import EncodedWindows, encode_windows
from tinystudio.core.classical import TreeModel, emit_c
from tinystudio.core.classical.reference import TreeReference
from tinystudio.core.compress.int8 import INPUT_DSP_FEATURES
from tinystudio.core.compress.ptq import latest_ptq_variant
from tinystudio.core.errors import UserError
from tinystudio.core.evaluate import evaluate
from tinystudio.core.int8_reference import Int8Reference
from tinystudio.core.pipeline_data import pipeline_data
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.store import TFLITE_KIND
from tinystudio.device.runner_client import RunnerError
from tinystudio.targets import DEFAULT_BOARD, get_target
from tinystudio.targets.base import Connection
from tinystudio.targets.qemu import QemuTarget

if TYPE_CHECKING:
    from pathlib import Path

    from tinystudio.core.dsp import DspBlock
    from tinystudio.core.store import Project
    from tinystudio.device.runner_protocol import HelloInfo
    from tinystudio.targets.base import Artifact, BoardLink, Target

DEFAULT_TARGET = DEFAULT_BOARD
QUANTIZE_SHARE = 0.2  # of the progress bar, when the run must be quantized before the deploy


@dataclass
class DeployResult:
    """The stored result's id and its JSON-able content (see ``deploy``)."""

    result_id: int
    variant_id: int
    target: str
    results: dict[str, Any]
    store_seconds: float = 0.0  # writing the result to the project (not part of the stored result)


def _stage(progress: Progress, start: float, end: float) -> Progress:
    return lambda f, m: progress(start + (end - start) * max(0.0, min(1.0, f)), m)


def resolve_variant(
    project: Project,
    variant_id: int | None = None,
    run_id: int | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """The variant to deploy (see the module docstring), quantizing a run first when it has none."""
    from tinystudio.core.compress import compress

    if variant_id is not None:
        _variant(project, variant_id)  # a clear error when it does not exist
        return variant_id
    if run_id is None:
        marked = marked_variant(project)
        if marked is not None:
            return marked
        runs = [r for r in project.runs() if r.kind == "train"]
        if not runs:
            raise UserError("the project has no trained run yet: train a model first")
        run_id = runs[-1].id
    else:
        project.run(run_id)  # a clear error when it does not exist
    trees = [v for v in project.variants(run_id) if v.get("kind", TFLITE_KIND) != TFLITE_KIND]
    if trees:  # a tree model's variant is stored with its run
        return int(trees[-1]["id"])
    found = latest_ptq_variant(project, run_id)
    if found is not None:
        return int(found["id"])
    return compress(project, run_id, "ptq", None, progress, cancel)


def deploy_model(
    project: Project,
    target: str = DEFAULT_TARGET,
    *,
    variant_id: int | None = None,
    run_id: int | None = None,
    device_dsp: bool | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    connection: Connection | None = None,
    profile: bool = False,
    bench_runs: int = BENCH_RUNS,
) -> DeployResult:
    """Resolve the variant (see ``resolve_variant``) and deploy it on ``target``: what a user's Deploy
    means in either front end. ``connection``: the serial port and probe of a real board, when the user
    names them (otherwise they are found by USB VID/PID); ``bench_runs``: repetitions of the BENCH run
    (1 to 65535, refused by name before anything is built)."""
    progress = progress or no_progress
    bench_runs = check_bench_runs(bench_runs)
    quantized: list[bool] = []

    def resolving(f: float, m: str) -> None:
        quantized.append(True)
        progress(QUANTIZE_SHARE * f, m)

    chosen = resolve_variant(project, variant_id, run_id, resolving, cancel)
    share = QUANTIZE_SHARE if quantized else 0.0
    return deploy(project, chosen, target, progress=lambda f, m: progress(share + (1 - share) * f, m),
                  cancel=cancel, device_dsp=device_dsp, connection=connection, profile=profile,
                  bench_runs=bench_runs)


def _variant(project: Project, variant_id: int) -> dict[str, Any]:
    for v in project.variants():
        if v["id"] == variant_id:
            return v
    raise UserError(f"no model variant with id {variant_id}")


def _stats(values: np.ndarray, unit: str) -> dict[str, Any]:
    if not len(values):
        return {"mean": 0.0, "min": 0, "max": 0, "unit": unit}
    return {"mean": float(values.mean()), "min": int(values.min()), "max": int(values.max()), "unit": unit}


def _hello_facts(info: HelloInfo) -> dict[str, Any]:
    return {
        "board": info.board,
        "firmware": info.firmware_version,
        "protocol": info.protocol_version,
        "counter": info.counter_kind.label,
        "clock_hz": info.clock_hz,
        "model_name": info.model_name,
        "model_hash": info.model_hash,
        "arena_bytes": info.arena_bytes,
        "input_shape": list(info.input_shape),
        "output_shape": list(info.output_shape),
        "input_quant": [info.input_quant.scale, info.input_quant.zero_point],
        "output_quant": [info.output_quant.scale, info.output_quant.zero_point],
        "dsp_on_board": info.dsp_kind != 0,
        "raw_input_bytes": info.raw_input_bytes,
    }


def _memory(target: Target, artifact: Artifact, info: HelloInfo, stack_peak: int) -> dict[str, Any]:
    flash = artifact.flash_bytes or info.flash_used
    static_ram = artifact.static_ram_bytes or info.ram_used
    budget = None
    if target.budget is not None:
        budget = {"flash": target.budget.flash_bytes, "ram": target.budget.ram_bytes}
    return {
        "flash": int(flash),
        "ram": int(static_ram + stack_peak),
        "static_ram": int(static_ram),
        "stack_peak": int(stack_peak),
        "arena": int(info.arena_bytes),
        "budget": budget,
    }


def deploy(
    project: Project,
    variant_id: int,
    target: str = DEFAULT_TARGET,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    device_dsp: bool | None = None,
    bench_runs: int = BENCH_RUNS,
    connection: Connection | None = None,
    profile: bool = False,
) -> DeployResult:
    """Build, flash and test ``variant_id`` on ``target``; store and return the complete result.

    ``device_dsp``: run the DSP block on the board (default when the variant takes DSP features as they
    are). A board that dies or stops answering raises UserError "the board stopped after N of M test
    windows" and stores the N measured windows as a partial result; the next deploy of the same variant,
    board, mode and test split continues from window N + 1 and replaces the partial result.
    ``profile``: also build the model with each layer timed and store the per-layer profile
    (app/layer_profile.py; int8 network models only).
    """
    from tinystudio.core.codegen import generate

    progress = progress or no_progress
    cancel = cancel or CancelToken()
    started = time.perf_counter()
    board = get_target(target)
    if connection is not None and (connection.port or connection.probe):
        if board.spec.bench is None:
            raise UserError(f"a serial port or probe is given only for a real board; {board.name} is not one")
        board.connection = connection
    variant = _variant(project, variant_id)
    run_id = variant.get("run_id")
    if run_id is None:
        raise UserError(f"variant {variant_id} is not linked to a training run, so its test data is unknown")
    takes_dsp_output = variant["config"].get("input") == INPUT_DSP_FEATURES
    if device_dsp is None:
        device_dsp = takes_dsp_output
    if device_dsp and not takes_dsp_output:
        raise UserError(f"variant {variant_id} takes standardised features, which the board's DSP block does not "
                        "produce; quantize the run again or send features from the host")

    progress(0.0, "preparing the test split")
    data = pipeline_data(project, int(run_id))
    raw = data.raw("test")
    if len(raw) == 0:
        raise UserError("the test split has no windows: assign samples to the test split first")
    dsp_features = data.features("test", cancel)
    host_features = dsp_features if takes_dsp_output else data.normalization.apply(dsp_features)
    model_dir = project.cache_dir / "deploy" / f"variant-{variant_id}" / "model"
    reference: Int8Reference | TreeReference
    codegen = None
    if variant.get("kind", TFLITE_KIND) == TFLITE_KIND:
        tflite = project.variant_tflite(variant_id)
        reference = Int8Reference(tflite)
        cancel.raise_if_cancelled()
        progress(0.04, "generating C from the model")
        codegen = generate(tflite, model_dir, name=f"variant_{variant_id}", cancel=cancel)
        model_hash = codegen.model_hash
    else:  # a tree model: float32 features in, the host model's exact integer scores out
        trees = TreeModel.from_json(project.variant_model_json(variant_id))
        reference = TreeReference(trees)
        progress(0.04, "generating C from the trees")
        model_hash = emit_c(trees, model_dir, name=f"variant_{variant_id}").model_hash
    build_started = time.perf_counter()
    artifact = board.build(model_dir, project.cache_dir / "firmware", _stage(progress, 0.06, 0.35), cancel,
                           dsp=data.block if device_dsp else None)
    build_seconds = time.perf_counter() - build_started
    cancel.raise_if_cancelled()

    mode = "dsp_on_board" if device_dsp else "features_from_host"
    key = _resume_key(board.name, mode, model_hash, raw)
    partial = _partial_results(project, variant_id, key)
    classes = int(np.prod(reference.output_shape))
    measured = (Measured.from_json(len(raw), classes, partial[-1]["results"]) if partial
                else Measured(len(raw), classes))
    host_scores = reference.outputs(host_features)
    if measured.done:
        progress(0.36, f"continuing from test window {measured.done + 1} of {len(raw)}")
    encoded = encode_windows(raw, host_features, reference, bool(device_dsp))
    profiled: dict[str, Any] = {}
    start = 0.36
    if profile:  # before the test, so that the board is left running the image that ships
        profiled = _profile_layers(board, tflite if codegen else None, model_dir.parent / "profile-model",
                                   project.cache_dir / "firmware", f"variant_{variant_id}",
                                   data.block if device_dsp else None, encoded.raw, _stage(progress, 0.36, 0.5),
                                   cancel)
        start = 0.5
    progress(start, f"starting {board.title}")
    boot_started = time.perf_counter()
    link = _launch(board, artifact, encoded, _stage(progress, start, start + 0.02))
    try:
        link.client.hello(timeout=10.0)  # the board is up: boot ends here
        boot_seconds = time.perf_counter() - boot_started
        session = stream(link, raw, host_features, host_scores, reference, model_hash, bool(device_dsp),
                         bench_runs, measured, _stage(progress, start + 0.02, 0.97), cancel, encoded)
    except (RunnerError, OSError) as exc:  # the board never answered its first HELLO
        stop = BoardStopped("the board process exited" if link.exited() else str(exc), measured)
        _store_partial(project, variant_id, int(run_id), board, mode, key, stop.measured, partial)
        raise UserError(f"the board stopped before its first test window ({board.name}: {stop.reason})") from None
    except BoardStopped as stop:
        _store_partial(project, variant_id, int(run_id), board, mode, key, stop.measured, partial)
        done, n = stop.measured.done, len(raw)
        if done >= n:  # during the BENCH run that follows the windows
            raise UserError(f"the board stopped during the BENCH run, after all {n} test windows ({board.name}: "
                            f"{stop.reason}); the windows are stored as a partial result: deploy again to run "
                            "only the BENCH") from None
        kept = (f"the {done} measured windows are stored as a partial result: deploy again to continue from "
                f"window {done + 1}") if done else "no window was measured"
        raise UserError(f"the board stopped after {done} of {n} test windows ({board.name}: {stop.reason}); "
                        f"{kept}") from None
    finally:
        link.close()

    out = _figures(session, host_scores, bool(device_dsp))
    info = session.info
    device_pred, host_pred = out["predictions"], out["host_predictions"]
    device_eval = evaluate(data.y["test"], device_pred, data.labels)
    host_eval = evaluate(data.y["test"], host_pred, data.labels)
    unit = info.counter_kind.label
    results: dict[str, Any] = {
        "complete": True,
        "variant_id": variant_id,
        "run_id": int(run_id),
        "target": board.name,
        "target_title": board.title,
        "mode": mode,
        "hello": _hello_facts(info),
        "windows": len(raw),
        "accuracy": device_eval.accuracy,
        "host_accuracy": host_eval.accuracy,
        "model_kind": "int8" if codegen is not None else TREE_MODEL,
        "agreement": float(np.mean(np.asarray(device_pred) == np.asarray(host_pred))),
        "scores_identical": out["scores_identical"],
        "nn_bit_exact": out["nn_bit_exact"],
        "feature_error": out["feature_error"],
        "confusion_matrix": {"labels": list(data.labels), "counts": device_eval.confusion},
        "evaluation": device_eval.to_dict(),
        "latency": {
            "dsp": {**_stats(np.asarray(out["dsp_counts"]), unit), "on_board": bool(device_dsp)},
            "nn": _stats(np.asarray(out["nn_counts"]), unit),
            "bench": out["bench"],
            "unit": unit,
        },
        "memory": _memory(board, artifact, info, out["stack_peak"]),
        "transfer": session.transfer,
        "predictions": [int(p) for p in device_pred],
        "host_predictions": [int(p) for p in host_pred],
        "dsp_counts": [int(c) for c in out["dsp_counts"]],
        "nn_counts": [int(c) for c in out["nn_counts"]],
        **_window_sources(data.windows.splits["test"].sample_ids),
        "timing": {
            "total_seconds": round(time.perf_counter() - started, 3),
            "build_seconds": round(build_seconds, 3),
            "boot_seconds": round(boot_seconds, 3),
            "stream_seconds": round(out["stream_seconds"], 3),
            "compute_seconds": round(session.compute_seconds, 3),
            "transfer_seconds": round(max(0.0, out["stream_seconds"] - session.compute_seconds), 3),
            "round_trip_ms": round(1000.0 * out["stream_seconds"] / max(1, session.streamed), 3),
            "resumed_from_window": len(raw) - session.streamed + 1 if session.streamed < len(raw) else None,
        },
    }
    if codegen is not None:
        budget = results["memory"]["budget"]
        results["arena_plan"] = arena_plan(codegen, budget["ram"] if budget else None)
    if profiled:
        results["timing"]["profile_seconds"] = profiled.pop("seconds")
        results.update(profiled)
    store_started = time.perf_counter()
    with project.transaction():
        result_id = project.add_device_result(variant_id, board.name, results)
        for row in partial:  # the complete result includes their windows
            project.delete_device_result(int(row["id"]))
    store_seconds = time.perf_counter() - store_started
    progress(1.0, f"on-device accuracy {device_eval.accuracy:.1%}, agreement with host {results['agreement']:.1%}")
    return DeployResult(result_id, variant_id, board.name, results, store_seconds)


def _profile_layers(board: Target, tflite: bytes | None, model_dir: Path, cache_dir: Path, name: str,
                    dsp: DspBlock | None, windows: list[bytes], progress: Progress,
                    cancel: CancelToken) -> dict[str, Any]:
    """The per-layer profile for the stored result (app/layer_profile.py), or why there is none: a failed
    profiling build is noted and never stops the test itself."""
    from tinystudio.app.layer_profile import profile_on_board

    started = time.perf_counter()
    out: dict[str, Any]
    if tflite is None:
        out = {"profile_error": "a tree model has no layers to time"}
    else:
        try:
            out = profile_on_board(board, tflite, model_dir, cache_dir, name, dsp, windows, progress, cancel)
        except UserError as exc:
            out = {"profile_error": str(exc)}
    out["seconds"] = round(time.perf_counter() - started, 3)
    return out


def _window_sources(sample_ids: np.ndarray) -> dict[str, list[int]]:
    """Each test window's sample and its position within that sample, so a window can be found again."""
    seen: dict[int, int] = {}
    index = []
    for sid in sample_ids.tolist():
        index.append(seen.get(int(sid), 0))
        seen[int(sid)] = index[-1] + 1
    return {"window_samples": [int(s) for s in sample_ids.tolist()], "window_index": index}


def _launch(board: Target, artifact: Artifact, encoded: EncodedWindows, progress: Progress) -> BoardLink:
    """Start the board; an emulated board with room for them gets every test window in its memory at
    launch (one short request per range of windows instead of the windows' bytes over the emulated UART)."""
    capacity = board.bulk_capacity(artifact) if isinstance(board, QemuTarget) else 0
    windows = encoded.windows
    if capacity and windows and len(windows) * ((len(windows[0]) + 3) // 4 * 4) <= capacity:
        return board.launch(artifact, progress=progress, bulk=windows, bulk_format=encoded.sample_format)
    return board.launch(artifact, progress=progress)


def _resume_key(target: str, mode: str, model_hash: str, raw: np.ndarray) -> str:
    """What must not change for a partial result to be continued: board, mode, model and test windows."""
    digest = hashlib.sha256(np.ascontiguousarray(raw, dtype=np.float32).tobytes()).hexdigest()[:16]
    return f"{target}:{mode}:{model_hash}:{len(raw)}:{digest}"


def _partial_results(project: Project, variant_id: int, key: str) -> list[dict[str, Any]]:
    """The stored partial results of ``variant_id`` that a deploy with ``key`` continues, oldest first."""
    return [row for row in project.device_results(variant_id)
            if not row["results"].get("complete", True) and row["results"].get("resume_key") == key]


def _store_partial(project: Project, variant_id: int, run_id: int, board: Target, mode: str, key: str,
                   measured: Measured, replaces: list[dict[str, Any]]) -> None:
    """Keep the windows measured before the board stopped (one partial result per variant and key)."""
    if not measured.done or (replaces and replaces[-1]["results"].get("measured") == measured.done):
        return  # nothing new since the partial result already stored
    results = {
        "complete": False,
        "variant_id": variant_id,
        "run_id": run_id,
        "target": board.name,
        "target_title": board.title,
        "mode": mode,
        "windows": measured.windows,
        "resume_key": key,
        **measured.to_json(),
    }
    with project.transaction():
        project.add_device_result(variant_id, board.name, results)
        for row in replaces:
            project.delete_device_result(int(row["id"]))


def _figures(session: Session, host_scores: np.ndarray, device_dsp: bool) -> dict[str, Any]:
    """Predictions and agreement figures of a completed session."""
    m = session.measured
    return {
        "predictions": np.argmax(m.scores, axis=1),
        "host_predictions": np.argmax(host_scores, axis=1),
        "scores_identical": float(np.mean(np.all(m.scores == host_scores, axis=1))),
        "nn_bit_exact": float(np.mean(m.nn_exact)),
        "feature_error": {"max_abs": m.feature_abs, "max_rel": m.feature_rel} if device_dsp else None,
        "dsp_counts": m.dsp_counts,
        "nn_counts": m.nn_counts,
        "bench": session.bench,
        "stack_peak": session.stack_peak,
        "stream_seconds": session.stream_seconds,
    }
