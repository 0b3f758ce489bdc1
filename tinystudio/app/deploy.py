"""The on-device test: one int8 model variant -> C -> firmware for a board -> launch -> stream the test
split through it -> on-device scores, agreement with the host, latency and memory, stored as a result.

The board either runs the DSP block itself on each raw window (the real deployment: DSP and NN latency
are both measured) or receives the features the host computed. The host side scores the same int8
model with TensorFlow Lite Micro's reference kernels, so the network part is expected to be bit-exact;
with DSP on the board, float features may differ in the last digits and flip a rare borderline window.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.evaluate import evaluate
from tinystudio.core.int8_reference import Int8Reference
from tinystudio.core.pipeline_data import pipeline_data
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.quantize import INPUT_DSP_FEATURES, latest_int8_variant, quantize_run
from tinystudio.device.runner_client import RunnerError
from tinystudio.targets import DEFAULT_BOARD, get_target

if TYPE_CHECKING:
    from tinystudio.core.store import Project
    from tinystudio.device.runner_protocol import HelloInfo
    from tinystudio.targets.base import Artifact, BoardLink, Target

DEFAULT_TARGET = DEFAULT_BOARD
BENCH_RUNS = 20
INFER_TIMEOUT_S = 30.0


@dataclass
class DeployResult:
    """The stored result's id and its JSON-able content (see ``deploy``)."""

    result_id: int
    variant_id: int
    target: str
    results: dict[str, Any]


def _stage(progress: Progress, start: float, end: float) -> Progress:
    return lambda f, m: progress(start + (end - start) * max(0.0, min(1.0, f)), m)


def resolve_variant(
    project: Project,
    variant_id: int | None = None,
    run_id: int | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """The variant to deploy: the one given, else the newest int8 variant of the run (given, or the newest
    training run), quantizing the run first when it has none."""
    if variant_id is not None:
        if not any(v["id"] == variant_id for v in project.variants()):
            raise UserError(f"no model variant with id {variant_id}")
        return variant_id
    if run_id is None:
        runs = [r for r in project.runs() if r.kind == "train"]
        if not runs:
            raise UserError("the project has no trained run yet: train a model first")
        run_id = runs[-1].id
    else:
        project.run(run_id)  # a clear error when it does not exist
    found = latest_int8_variant(project, run_id)
    if found is not None:
        return int(found["id"])
    return quantize_run(project, run_id, progress, cancel).variant_id


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
) -> DeployResult:
    """Build, flash and test ``variant_id`` on ``target``; store and return the complete result.

    ``device_dsp``: run the DSP block on the board (default when the variant takes DSP features as they
    are). A board that dies or stops answering raises UserError and nothing is stored.
    """
    from tinystudio.core.codegen import generate

    progress = progress or no_progress
    cancel = cancel or CancelToken()
    started = time.perf_counter()
    board = get_target(target)
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
    tflite = project.variant_tflite(variant_id)
    reference = Int8Reference(tflite)
    cancel.raise_if_cancelled()

    progress(0.04, "generating C from the model")
    model_dir = project.cache_dir / "deploy" / f"variant-{variant_id}" / "model"
    report = generate(tflite, model_dir, name=f"variant_{variant_id}", cancel=cancel)
    build_started = time.perf_counter()
    artifact = board.build(model_dir, project.cache_dir / "firmware", _stage(progress, 0.06, 0.35), cancel,
                           dsp=data.block if device_dsp else None)
    build_seconds = time.perf_counter() - build_started
    cancel.raise_if_cancelled()

    progress(0.36, f"starting {board.title}")
    link = board.launch(artifact)
    try:
        out = _stream(link, board, raw, host_features, reference, report.model_hash,
                      device_dsp, bench_runs, _stage(progress, 0.38, 0.97), cancel)
    finally:
        link.close()

    info: HelloInfo = out.pop("info")
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
        "mode": "dsp_on_board" if device_dsp else "features_from_host",
        "hello": _hello_facts(info),
        "windows": len(raw),
        "accuracy": device_eval.accuracy,
        "host_accuracy": host_eval.accuracy,
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
        "predictions": [int(p) for p in device_pred],
        "host_predictions": [int(p) for p in host_pred],
        "dsp_counts": [int(c) for c in out["dsp_counts"]],
        "nn_counts": [int(c) for c in out["nn_counts"]],
        "timing": {
            "total_seconds": round(time.perf_counter() - started, 3),
            "build_seconds": round(build_seconds, 3),
            "stream_seconds": round(out["stream_seconds"], 3),
            "round_trip_ms": round(1000.0 * out["stream_seconds"] / len(raw), 3),
        },
    }
    result_id = project.add_device_result(variant_id, board.name, results)
    progress(1.0, f"on-device accuracy {device_eval.accuracy:.1%}, agreement with host {results['agreement']:.1%}")
    return DeployResult(result_id, variant_id, board.name, results)


def _stream(
    link: BoardLink,
    board: Target,
    raw: np.ndarray,
    host_features: np.ndarray,
    reference: Int8Reference,
    model_hash: str,
    device_dsp: bool,
    bench_runs: int,
    progress: Progress,
    cancel: CancelToken,
) -> dict[str, Any]:
    """Talk to the launched board: HELLO, one INFER per window, BENCH, STACK."""
    n = len(raw)
    done = 0
    try:
        info = link.client.hello(timeout=10.0)
        if info.model_hash != model_hash:
            raise UserError(f"the board runs model {info.model_hash}, not the one just built ({model_hash})")
        host_scores = reference.outputs(host_features)
        host_int8 = reference.quantize(host_features.reshape(n, -1))
        device_scores = np.zeros_like(host_scores)
        dsp_counts = np.zeros(n, dtype=np.int64)
        nn_counts = np.zeros(n, dtype=np.int64)
        nn_exact = np.ones(n, dtype=bool)
        feat_abs = feat_rel = 0.0
        stream_started = time.perf_counter()
        for i in range(n):
            cancel.raise_if_cancelled()
            if not link.alive():
                raise RunnerError("the board process exited")
            payload = raw[i].astype(np.float32).tobytes() if device_dsp else host_int8[i].tobytes()
            result = link.client.infer(payload, timeout=INFER_TIMEOUT_S)
            if result.status != 0:
                raise UserError(f"the model failed on the board (status {result.status}) at test window {i + 1}")
            device_scores[i] = np.frombuffer(result.output, dtype=np.int8)
            dsp_counts[i], nn_counts[i] = result.dsp_count, result.nn_count
            if device_dsp:
                feats = np.frombuffer(link.client.features(), dtype=np.float32)
                expected = host_features[i].ravel()
                diff = np.abs(feats.astype(np.float64) - expected)
                feat_abs = max(feat_abs, float(diff.max()))
                feat_rel = max(feat_rel, float((diff / (np.abs(expected) + 1e-6)).max()))
                nn_exact[i] = bool(np.array_equal(reference.run(reference.quantize(feats)), device_scores[i]))
            else:
                nn_exact[i] = bool(np.array_equal(host_scores[i], device_scores[i]))
            done = i + 1
            progress(done / n, f"window {done}/{n} on the board")
        stream_seconds = time.perf_counter() - stream_started
        progress(1.0, f"benchmarking {bench_runs} runs")
        bench = link.client.bench(bench_runs, timeout=INFER_TIMEOUT_S * 4) if bench_runs > 0 else None
        stack = link.client.stack()
    except RunnerError as exc:
        state = "died" if not link.alive() else "stopped answering"
        raise UserError(f"the {board.name} board {state} after {done} of {n} test windows ({exc}); "
                        "the partial results were not stored") from None
    unit = info.counter_kind.label
    return {
        "info": info,
        "predictions": np.argmax(device_scores, axis=1),
        "host_predictions": np.argmax(host_scores, axis=1),
        "scores_identical": float(np.mean(np.all(device_scores == host_scores, axis=1))),
        "nn_bit_exact": float(np.mean(nn_exact)),
        "feature_error": {"max_abs": feat_abs, "max_rel": feat_rel} if device_dsp else None,
        "dsp_counts": dsp_counts,
        "nn_counts": nn_counts,
        "bench": None if bench is None else {
            "runs": bench.runs, "unit": unit,
            "nn": {"min": bench.nn_min, "mean": bench.nn_mean, "max": bench.nn_max},
            "dsp": {"min": bench.dsp_min, "mean": bench.dsp_mean, "max": bench.dsp_max},
        },
        "stack_peak": int(stack.peak_bytes),
        "stream_seconds": stream_seconds,
    }
