"""Training a tree-ensemble preset (rf, gbt) on a project's DSP features: the run, and at once its variant
(trees need no quantization: the stored model is what the board runs), with flash and RAM figures from
the generated C compiled for a Cortex-M4; plus the fold fitter that cross-validation uses for trees.

Trees split on the DSP block's output as it is (no standardisation: a split is unchanged by it), so the
board runs DSP -> trees with nothing in between.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.core import children
from tinystudio.core.classical.emit_c import emit_c
from tinystudio.core.classical.model import TreeModel, fit_model
from tinystudio.core.errors import UserError
from tinystudio.core.evaluate import Evaluation, evaluate
from tinystudio.core.features import PreparedData, prepare_data
from tinystudio.core.impulse import ImpulseConfig
from tinystudio.core.progress import CancelToken, Progress, no_progress

if TYPE_CHECKING:
    from tinystudio.core.crossval import Fold, FoldScore
    from tinystudio.core.store import Project
    from tinystudio.core.training import TrainResult

FAMILY_TITLES = {"rf": "random forest", "gbt": "gradient-boosted trees"}


def _flat(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=np.float32).reshape(len(x), -1)


def window_weights(data: PreparedData, impulse: ImpulseConfig) -> dict[int, float]:
    """Per-class weights of the train windows, from the impulse's class-weight setting (as for networks)."""
    from tinystudio.core.training import class_weights

    return class_weights(data.y["train"], len(data.labels), impulse.model.class_weights, data.labels)


def fit_prepared(data: PreparedData, impulse: ImpulseConfig) -> TreeModel:
    """The impulse's tree model fitted on the train split's DSP features, each window weighted by its
    class's weight (``auto``: balanced, so a rare label counts as much as a common one)."""
    assert data.features is not None
    m = impulse.model
    weights = window_weights(data, impulse)
    y = data.y["train"]
    per_window = np.asarray([weights[int(c)] for c in y], dtype=np.float64)
    return fit_model(m.preset, _flat(data.features["train"]), y, len(data.labels), m.params, m.seed, per_window)


def code_figures(model: TreeModel) -> dict[str, Any]:
    """Tables, code and stack bytes of the generated C (code and stack need arm-none-eabi-gcc; None without).

    ``ram_bytes`` is the stack one inference takes (the trees keep no state and no arena)."""
    from tinystudio.core.compress.figures import ARM_FLAGS, ARM_GCC, executable_bytes

    with tempfile.TemporaryDirectory(prefix="tinystudio-trees-") as tmp:
        report = emit_c(model, Path(tmp) / "model")
        code = stack = None
        gcc = shutil.which(ARM_GCC)
        if gcc is not None:
            src = Path(tmp) / "model" / "model.c"
            obj = Path(tmp) / "model.o"
            result = children.run([gcc, *ARM_FLAGS, "-fstack-usage", "-I", str(src.parent), "-c", str(src),
                                   "-o", str(obj)], text=True)
            if result.returncode != 0:
                first = (result.stderr.strip().splitlines() or ["compiler failed"])[0]
                raise UserError(f"the generated tree C does not compile for Cortex-M4: {first}")
            code = executable_bytes(obj.read_bytes())
            usage = obj.with_suffix(".su")
            stack = sum(int(line.split("\t")[1]) for line in usage.read_text().splitlines() if "\t" in line)
    return {
        "weights_bytes": report.weights_bytes,
        "code_bytes": code,
        "flash_bytes": report.weights_bytes + (code or 0),
        "ram_bytes": stack,
        "trees": report.trees,
        "decision_nodes": report.internal_nodes,
        "leaves": report.leaves,
        "max_depth": report.max_depth,
    }


def stored_values(model: TreeModel) -> int:
    """Numbers the model stores: per decision node a feature and a threshold, and the leaf table."""
    return int(2 * model.internal_nodes + model.leaf_values.size)


def train_classical(
    project: Project,
    impulse: ImpulseConfig,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    name: str = "",
) -> TrainResult:
    """Fit the impulse's tree model, evaluate validation and test, store the run and its variant."""
    from tinystudio.core.compress.int8 import INPUT_DSP_FEATURES
    from tinystudio.core.training import RUN_KIND, TrainResult, run_config, run_metrics

    progress = progress or no_progress
    cancel = cancel or CancelToken()
    started = time.perf_counter()
    family = impulse.model.preset
    data = prepare_data(project, impulse, lambda f, m: progress(0.4 * f, m), cancel)
    if len(data.y["train"]) < 2:
        raise UserError("the train split needs at least two windows")
    assert data.features is not None
    progress(0.45, f"fitting a {FAMILY_TITLES[family]}")
    cancel.raise_if_cancelled()
    model = fit_prepared(data, impulse)
    cancel.raise_if_cancelled()
    progress(0.8, "evaluating")
    results: dict[str, Evaluation | None] = {}
    for split in ("train", "validation", "test"):
        x = data.features[split]
        results[split] = evaluate(data.y[split], model.predict(_flat(x)), data.labels) if len(x) else None
    progress(0.9, "generating and measuring the C code")
    figures = code_figures(model)
    size = {"params": stored_values(model), "macs": 0}
    config = run_config(impulse, data, size, [], window_weights(data, impulse))
    config["model"].update({"family": family, **{k: figures[k] for k in ("trees", "decision_nodes", "leaves",
                                                                       "max_depth")}})
    metrics = run_metrics(results, size, data, 0)
    metrics["timing"] = {"train_seconds": round(time.perf_counter() - started, 3)}
    text = model.to_json()
    with project.transaction():
        run_id = project.add_run(RUN_KIND, config, metrics, {}, text.encode(), name=name)
        test, val = results["test"], results["validation"]
        project.add_tree_variant(
            run_id, f"run {run_id} {family}", family, text,
            {"method": family, "kind": family, "input": INPUT_DSP_FEATURES, "options": dict(impulse.model.params)},
            {
                "test_accuracy": test.accuracy if test else None,
                "validation_accuracy": val.accuracy if val else None,
                "params": size["params"], "nonzero_params": size["params"], "macs": 0, "weight_sparsity": 0.0,
                "arena_bytes": int(figures["ram_bytes"] or 0), **figures,
            },
        )
    progress(1.0, f"run {run_id} stored with its {FAMILY_TITLES[family]} variant")
    return TrainResult(run_id, config, metrics, {}, results["validation"], results["test"])


def fit_fold(project: Project, fold: Fold, impulse: ImpulseConfig, progress: Progress,
             cancel: CancelToken) -> FoldScore:
    """Cross-validation's fitter for tree presets: fit on the fold's train split, score its test split with
    the deployed model (nothing is stored)."""
    from tinystudio.core.crossval import FoldScore

    data = prepare_data(project, impulse, lambda f, m: progress(0.8 * f, m), cancel)
    assert data.features is not None
    if len(data.y["test"]) == 0:
        raise UserError(f"fold {fold.index + 1} has no windows to score: the held-out recordings are "
                        "shorter than one window")
    model = fit_prepared(data, impulse)
    ev = evaluate(data.y["test"], model.predict(_flat(data.features["test"])), data.labels)
    progress(1.0, f"accuracy {ev.accuracy:.3f}")
    return FoldScore(ev.accuracy, ev.count, details={"family": impulse.model.preset, "trees": model.trees})


def load_tree_model(project: Project, run_id: int) -> TreeModel:
    """The tree model stored with a training run."""
    run = project.run(run_id)
    if not run.model:
        raise UserError(f"run {run_id} has no stored model")
    return TreeModel.from_json(run.model)
