"""Side-by-side figures of a project's int8 variants (accuracy, flash, RAM, MACs, sparsity, and the
latency measured on a board when there is one); ``chosen`` is the variant marked for deploy."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from tinystudio.core.compress.figures import model_figures
from tinystudio.core.model_check import model_problem

if TYPE_CHECKING:
    from tinystudio.core.store import Project

DEPLOY_SETTING = "deploy_variant"  # the project setting holding the variant marked for deploy (app/variants.py)


@dataclass
class DeviceFigures:
    """The newest on-device test of a variant."""

    target: str
    accuracy: float | None
    nn_mean: float | None
    nn_max: float | None
    unit: str
    flash_bytes: int | None
    ram_bytes: int | None


@dataclass
class VariantRow:
    """One line of the comparison; sizes in bytes, accuracies in [0, 1] (None when not measured)."""

    variant_id: int
    run_id: int | None
    name: str
    method: str
    options: dict[str, Any]
    created: float
    test_accuracy: float | None
    validation_accuracy: float | None
    run_test_accuracy: float | None  # the float model of the run it came from
    sparsity: float
    params: int
    nonzero_params: int
    macs: int
    arena_bytes: int
    weights_bytes: int
    code_bytes: int | None
    flash_bytes: int
    device: DeviceFigures | None
    chosen: bool
    damaged: str | None = None  # why the stored model file cannot be used; its figures are then stale or 0

    @property
    def accuracy_change(self) -> float | None:
        """int8 test accuracy minus the float run's (negative: the variant lost accuracy)."""
        if self.test_accuracy is None or self.run_test_accuracy is None:
            return None
        return self.test_accuracy - self.run_test_accuracy

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "accuracy_change": self.accuracy_change}


def variant_method(config: dict[str, Any]) -> str:
    """The compression method of a stored variant (plain quantization when it does not say)."""
    return str(config.get("method") or "ptq")


def _device(project: Project, variant_id: int) -> DeviceFigures | None:
    results = [r for r in project.device_results(variant_id) if r["results"].get("complete", True)]
    if not results:
        return None
    r = results[-1]["results"]
    nn = (r.get("latency") or {}).get("nn") or {}
    mem = r.get("memory") or {}
    return DeviceFigures(
        target=str(results[-1]["target"]),
        accuracy=r.get("accuracy"),
        nn_mean=nn.get("mean"),
        nn_max=nn.get("max"),
        unit=str(nn.get("unit", "")),
        flash_bytes=mem.get("flash"),
        ram_bytes=mem.get("ram"),
    )


def _tree_problem(project: Project, variant_id: int) -> str | None:
    """Why a stored tree model cannot be used, or None."""
    from tinystudio.core.classical import TreeModel
    from tinystudio.core.errors import UserError

    try:
        TreeModel.from_json(project.variant_model_json(variant_id))
    except UserError as exc:
        return str(exc)
    return None


def variant_rows(project: Project, run_id: int | None = None) -> list[VariantRow]:
    """All variants (of ``run_id`` when given), oldest first; figures missing from a variant's metrics
    (variants stored by plain quantization) are computed from its .tflite."""
    chosen = project.get_setting(DEPLOY_SETTING)
    run_acc: dict[int, float | None] = {r.id: r.metrics.get("test_accuracy") for r in project.runs()}
    rows = []
    for v in project.variants(run_id):
        m, config = v["metrics"], v["config"]
        tree = v.get("kind", "tflite") != "tflite"
        tflite = b"" if tree else project.variant_tflite(v["id"])
        damaged = _tree_problem(project, int(v["id"])) if tree else model_problem(tflite)
        if "macs" in m and "arena_bytes" in m and "weights_bytes" in m:
            fig = {k: m.get(k) for k in ("params", "nonzero_params", "macs", "arena_bytes", "weights_bytes",
                                         "code_bytes", "flash_bytes", "weight_sparsity")}
        elif damaged:
            fig = {k: 0 for k in ("params", "nonzero_params", "macs", "arena_bytes", "weights_bytes", "flash_bytes")}
        else:
            fig = model_figures(tflite).to_dict()
        rows.append(VariantRow(
            variant_id=int(v["id"]),
            run_id=v["run_id"],
            name=str(v["name"]),
            method=variant_method(config),
            options=dict(config.get("options") or {}),
            created=float(v["created"]),
            test_accuracy=m.get("test_accuracy"),
            validation_accuracy=m.get("validation_accuracy"),
            run_test_accuracy=run_acc.get(v["run_id"]) if v["run_id"] is not None else None,
            sparsity=float(fig.get("weight_sparsity") or 0.0),
            params=int(fig["params"]),
            nonzero_params=int(fig["nonzero_params"]),
            macs=int(fig["macs"]),
            arena_bytes=int(fig["arena_bytes"]),
            weights_bytes=int(fig["weights_bytes"]),
            code_bytes=None if fig.get("code_bytes") is None else int(fig["code_bytes"]),
            flash_bytes=int(fig["flash_bytes"]),
            device=_device(project, int(v["id"])),
            chosen=chosen == v["id"],
            damaged=damaged,
        ))
    return rows
