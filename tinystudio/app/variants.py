"""The project's int8 model variants as both front ends show them, and the variant marked for deploy
(stored under ``DEPLOY_SETTING``): the CLI's ``variants --use``, the Compress step's "Use for deploy",
the Deploy step's preselection and ``tinystudio deploy`` all read and write the mark through here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tinystudio.core.classical import TreeModel
from tinystudio.core.compress.compare import DEPLOY_SETTING, VariantRow, variant_rows
from tinystudio.core.errors import UserError
from tinystudio.core.model_check import model_problem
from tinystudio.core.store import TFLITE_KIND

if TYPE_CHECKING:
    from tinystudio.core.store import Project

__all__ = ["DEPLOY_SETTING", "DeployChoice", "deploy_choices", "list_variants", "mark_for_deploy",
           "marked_variant"]


def list_variants(project: Project, run_id: int | None = None) -> list[VariantRow]:
    """Every variant (of ``run_id`` when given, which must exist), oldest first, with its figures."""
    if run_id is not None:
        project.run(run_id)  # a clear error for an unknown run
    return variant_rows(project, run_id)


def mark_for_deploy(project: Project, variant_id: int) -> None:
    """Mark ``variant_id`` as the variant to deploy when none is named."""
    if not any(v["id"] == variant_id for v in project.variants()):
        raise UserError(f"no model variant with id {variant_id}")
    if project.variant_kind(variant_id) != TFLITE_KIND:
        TreeModel.from_json(project.variant_model_json(variant_id))  # a damaged description is one clear line
    elif problem := model_problem(project.variant_tflite(variant_id)):
        raise UserError(f"variant {variant_id} cannot be deployed: {problem}")
    project.set_setting(DEPLOY_SETTING, int(variant_id))


def marked_variant(project: Project) -> int | None:
    """The variant marked for deploy, if it still exists."""
    value = project.get_setting(DEPLOY_SETTING)
    if not isinstance(value, int) or not any(v["id"] == value for v in project.variants()):
        return None
    return value


@dataclass(frozen=True)
class DeployChoice:
    """One model a user can deploy: an int8 variant, or a training run that is quantized first."""

    kind: str  # "variant" or "run"
    ident: int
    label: str
    tree: bool = False  # a tree model's variant (random forest, boosted trees): no .tflite to export

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.ident)


def deploy_choices(project: Project) -> list[DeployChoice]:
    """Variants first (newest on top), then the training runs that have none yet."""
    choices = []
    variants = list(reversed(project.variants()))
    for v in variants:
        acc = v["metrics"].get("test_accuracy")
        tree = v.get("kind", TFLITE_KIND) != TFLITE_KIND
        acc_text = f", host {'' if tree else 'int8 '}test accuracy {acc:.1%}" if isinstance(acc, float) else ""
        choices.append(DeployChoice("variant", int(v["id"]), f"Variant {v['id']}: {v['name']}{acc_text}", tree))
    with_variant = {v["run_id"] for v in variants}
    for r in reversed(project.runs("train")):
        if r.id not in with_variant:
            acc = r.metrics.get("test_accuracy")
            acc_text = f", float test accuracy {acc:.1%}" if isinstance(acc, float) else ""
            name = f" {r.name}" if r.name else ""
            choices.append(DeployChoice("run", r.id, f"Run {r.id}{name} (quantize to int8 first{acc_text})"))
    return choices
