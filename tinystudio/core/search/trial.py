"""One trial of the search, run where it is sent (a local worker process or a Ray task): train the point's
impulse on a copy of the project with the Train step's own function, make its int8 variant (post-training
quantization or quantization-aware training; trees are stored with theirs), and measure it: validation
accuracy (or grouped cross-validation: the float model's mean over folds that leave groups out, less what
int8 lost on the validation split), flash and RAM from the code generator's memory plan, latency from
the board's latency model. The project itself is never changed.

Run as a module it is the worker process: a JSON request on stdin, one result line on stdout.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from tinystudio.core.errors import Cancelled, UserError
from tinystudio.core.search.latency import LatencyModel
from tinystudio.core.search.outcome import COMPLETE, FAILED, INFEASIBLE, Budget, TrialOutcome

RESULT_PREFIX = "TS-TRIAL "
"""Marks the worker's result line on stdout (libraries may print other lines)."""


def measure_variant(variant: dict[str, Any], tflite: bytes | None, latency: LatencyModel) -> dict[str, Any]:
    """Flash, RAM, MACs and estimated latency of a stored variant (an int8 model or a tree ensemble)."""
    m = variant["metrics"]
    if tflite is not None:
        from tinystudio.core.codegen.graph import read_model

        macs, ops = int(m.get("macs") or 0), len(read_model(bytes(tflite)).ops)
        ram = int(m["arena_bytes"])
    else:  # trees: one comparison per level of each tree, one call per tree
        trees, depth = int(m.get("trees") or 1), int(m.get("max_depth") or 1)
        macs, ops = trees * depth, trees
        ram = int(m.get("ram_bytes") or m.get("arena_bytes") or 0)
    return {"flash_bytes": int(m["flash_bytes"]), "ram_bytes": ram, "macs": macs, "ops": ops,
            "latency_ms": latency.ms(macs, ops)}


def int8_loss(float_accuracy: float | None, int8_accuracy: float | None) -> float:
    """What int8 lost against float on the validation split (0 when it gained or either is missing): a
    grouped score is the float cross-validation mean less this, so it estimates the deployed model."""
    if float_accuracy is None or int8_accuracy is None:
        return 0.0
    return max(0.0, float(float_accuracy) - float(int8_accuracy))


def run_trial(project_path: str, number: int, params: dict[str, Any], settings: dict[str, Any]) -> TrialOutcome:
    """Train and measure one point (see module docstring); failures become a FAILED outcome with one line."""
    started = time.perf_counter()
    outcome = TrialOutcome(number, params, FAILED, evaluation=str(settings.get("evaluation", "")),
                           seed=int(settings.get("seed", 1)))
    try:
        _run(project_path, params, settings, outcome)
    except Cancelled:
        raise
    except UserError as exc:
        outcome.state, outcome.note = FAILED, str(exc)
    except Exception as exc:  # noqa: BLE001 - one failed trial must not end the search; its line is kept
        outcome.state = FAILED
        outcome.note = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    outcome.seconds = round(time.perf_counter() - started, 2)
    return outcome


def _run(project_path: str, params: dict[str, Any], settings: dict[str, Any], out: TrialOutcome) -> None:
    from tinystudio.core.compress import compress
    from tinystudio.core.compress.options import CompressOptions
    from tinystudio.core.impulse import ImpulseConfig
    from tinystudio.core.search.space import FAMILIES, impulse_for
    from tinystudio.core.store import Project
    from tinystudio.core.training import train

    latency = LatencyModel.from_dict(settings["latency"])
    budget = Budget(**settings.get("budget") or {})
    base = ImpulseConfig.from_dict(settings["base_impulse"])
    impulse = impulse_for(params, base, int(settings["epochs"]), int(settings.get("seed", 1)))
    with tempfile.TemporaryDirectory(prefix="tinystudio-trial-") as tmp:
        source = Project.open(project_path)
        try:
            project = source.snapshot(Path(tmp) / "trial.tsproj")
        finally:
            source.close()
        try:
            result = train(project, impulse)
            if FAMILIES[params["family"]].neural:
                opts = CompressOptions(epochs=int(settings.get("qat_epochs") or max(1, int(settings["epochs"]) // 3)))
                variant_id = compress(project, result.run_id, params["compression"], opts)
            else:
                variant_id = int(project.variants(result.run_id)[-1]["id"])
            variant = next(v for v in project.variants(result.run_id) if v["id"] == variant_id)
            tflite = project.variant_tflite(variant_id) if FAMILIES[params["family"]].neural else None
            figures = measure_variant(variant, tflite, latency)
            vm = variant["metrics"]
            out.int8_accuracy = vm.get("validation_accuracy")
            out.float_accuracy = result.validation.accuracy if result.validation else None
            out.flash_bytes, out.ram_bytes = figures["flash_bytes"], figures["ram_bytes"]
            out.macs, out.latency_ms = figures["macs"], round(figures["latency_ms"], 4)
            out.details = {"ops": figures["ops"], "test_accuracy": vm.get("test_accuracy"),
                           "float_test_accuracy": result.test.accuracy if result.test else None}
            if settings.get("evaluation") == "grouped":
                from tinystudio.core.crossval import cross_validate

                cv = cross_validate(project, impulse, k=int(settings.get("cv_folds") or 3), include_test=False)
                summary = cv.summary()
                assert summary is not None
                out.accuracy = summary["mean"] - int8_loss(out.float_accuracy, out.int8_accuracy)
                out.details.update(cv_mean=summary["mean"], cv_std=summary["std"], cv_folds=cv.k,
                                   cv_accuracies=[round(a, 4) for a in cv.accuracies()],
                                   cv_held_out=[f.held_out for f in cv.folds])
            else:
                if out.int8_accuracy is None:
                    raise UserError("the validation split has no windows: split the project first")
                out.accuracy = out.int8_accuracy
        finally:
            project.close()
    why = budget.why_over(out.flash_bytes or 0, out.ram_bytes or 0, out.latency_ms or 0.0)
    out.state, out.note = (INFEASIBLE, why) if why else (COMPLETE, "")


def main() -> int:
    """Worker process: read {"project", "number", "params", "settings"} on stdin, print the outcome."""
    request = json.loads(sys.stdin.read())
    try:
        outcome = run_trial(request["project"], int(request["number"]), request["params"], request["settings"])
    except Exception:  # noqa: BLE001 - the parent reads the last line
        outcome = TrialOutcome(int(request["number"]), request["params"], FAILED,
                               note=traceback.format_exc().strip().splitlines()[-1][:300])
    sys.stdout.write(RESULT_PREFIX + json.dumps(outcome.to_dict()) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
