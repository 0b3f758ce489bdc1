"""Model export: one stored variant as a C library folder or an Arduino library zip (an int8 network or a
tree model: the same API), or the model itself with its labels and impulse description (an int8 network's
.tflite, a tree model's JSON), written into a new or empty folder (or one an earlier export wrote). The CLI
(``tinystudio export --format c-library|arduino|tflite|trees-json``) and the Deploy page both call
``export_model``, so both write the same files for the same variant."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinystudio.core.compress.int8 import INPUT_DSP_FEATURES
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.store import TFLITE_KIND

if TYPE_CHECKING:
    from tinystudio.core.classical.model import TreeModel
    from tinystudio.core.export.facts import ImpulseFacts
    from tinystudio.core.export.library_model import LibraryModel
    from tinystudio.core.store import Project

MODEL_FORMATS = ("c-library", "arduino", "tflite", "trees-json")
FORMAT_TITLES = {
    "c-library": "C library folder (model, DSP, README, main.c)",
    "arduino": "Arduino library zip (sketches for each board)",
    "tflite": "int8 .tflite with labels.txt and impulse.json",
    "trees-json": "tree model JSON with labels.txt and impulse.json",
}
NETWORK_FORMATS = ("c-library", "arduino", "tflite")
"""The formats an int8 network exports to."""
TREE_FORMATS = ("c-library", "arduino", "trees-json")
"""The formats a tree model (random forest, boosted trees) exports to: it has no .tflite."""
_FORMAT_WORDS = {"c-library": "a C library (c-library)", "arduino": "an Arduino library (arduino)",
                 "tflite": "the .tflite (tflite)", "trees-json": "its JSON (trees-json)"}


def _refuse(variant_id: int, what: str, fmt: str, formats: tuple[str, ...]) -> UserError:
    choices = [_FORMAT_WORDS[f] for f in formats]
    return UserError(f"variant {variant_id} is {what} and has no {fmt} form: export it as "
                     f"{', '.join(choices[:-1])} or {choices[-1]}")


@dataclass
class ModelExport:
    """What an export wrote: the folder, its files (sorted names) and figures worth showing."""

    out_dir: Path
    fmt: str
    variant_id: int
    files: list[str]
    summary: str
    memory: dict[str, Any] = field(default_factory=dict)


def _variant(project: Project, variant_id: int) -> dict[str, Any]:
    for v in project.variants():
        if v["id"] == variant_id:
            return v
    raise UserError(f"no model variant with id {variant_id}")


def impulse_facts(project: Project, variant_id: int, cancel: CancelToken | None = None) -> ImpulseFacts:
    """The facts an export carries, from the variant's run and the project's windows."""
    import numpy as np

    from tinystudio.core.export.facts import ImpulseFacts
    from tinystudio.core.pipeline_data import pipeline_data

    variant = _variant(project, variant_id)
    run_id = variant.get("run_id")
    if run_id is None:
        raise UserError(f"variant {variant_id} is not linked to a training run, so its impulse is unknown")
    if variant["config"].get("input") != INPUT_DSP_FEATURES:
        raise UserError(f"variant {variant_id} takes standardised features, which the exported DSP block does not "
                        "produce; quantize the run again")
    data = pipeline_data(project, int(run_id))
    if cancel is not None:
        cancel.raise_if_cancelled()
    split = next((s for s in ("test", "validation", "train") if len(data.raw(s))), None)
    if split is None:
        raise UserError("the project has no windows to take an example from")
    cfg = variant["config"]
    standardisation = None
    if project.variant_kind(variant_id) == TFLITE_KIND:  # an int8 network may standardise before quantizing
        from tinystudio.core.input_standardisation import standardisation_of

        standardisation = standardisation_of(project.variant_tflite(variant_id))
    quant_in = cfg.get("input_quant") or [1.0, 0]
    quant_out = cfg.get("output_quant") or [1.0, 0]
    windows = data.windows
    return ImpulseFacts(
        name=project.path.stem,
        variant_id=variant_id,
        labels=list(data.labels),
        axis_names=list(windows.axis_names),
        rate_hz=float(windows.rate_hz),
        window_frames=int(windows.window_frames),
        stride_frames=int(windows.stride_frames),
        block=data.block,
        input_quant=(float(quant_in[0]), int(quant_in[1])),
        output_quant=(float(quant_out[0]), int(quant_out[1])),
        example=np.asarray(data.raw(split)[0], dtype=np.float32),
        example_label=data.labels[int(data.y[split][0])],
        standardisation=standardisation,
    )


def _library_model(facts: ImpulseFacts, tflite: bytes, trees: TreeModel | None) -> LibraryModel:
    """The model half of a C or Arduino library: the tree model when there is one, else the int8 network."""
    from tinystudio.core.export.library_model import network_model, tree_model

    name = f"variant_{facts.variant_id}"
    return tree_model(trees, name) if trees is not None else network_model(tflite, name)


def export_model(
    project: Project,
    variant_id: int,
    fmt: str,
    out_dir: str | Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ModelExport:
    """Write variant ``variant_id`` in format ``fmt`` into ``out_dir`` (see the module docstring)."""
    from tinystudio.core.codegen.outdir import write_owned

    if fmt not in MODEL_FORMATS:
        raise UserError(f"unknown model export format {fmt!r}; choose one of: {', '.join(MODEL_FORMATS)}")
    out = Path(out_dir)
    progress(0.0, "reading the variant and its impulse")
    kind = project.variant_kind(variant_id)
    tflite = b""
    trees: TreeModel | None = None
    if kind == TFLITE_KIND:
        if fmt not in NETWORK_FORMATS:
            raise _refuse(variant_id, "an int8 network", fmt, NETWORK_FORMATS)
        tflite = project.variant_tflite(variant_id)
    else:
        from tinystudio.core.classical.model import TreeModel
        from tinystudio.core.classical.training import FAMILY_TITLES

        if fmt not in TREE_FORMATS:
            raise _refuse(variant_id, f"a tree model ({FAMILY_TITLES.get(kind, kind)})", fmt, TREE_FORMATS)
        trees = TreeModel.from_json(project.variant_model_json(variant_id))
    facts = impulse_facts(project, variant_id, cancel)
    metrics = _variant(project, variant_id).get("metrics") or {}
    progress(0.3, f"writing the {fmt} export")
    memory: dict[str, Any] = {}
    if fmt == "tflite":
        files: dict[str, str | bytes] = {
            "model.tflite": tflite,
            "labels.txt": facts.labels_txt(),
            "impulse.json": facts.impulse_json(),
        }
        summary = f"int8 model of {len(tflite)} bytes, {len(facts.labels)} labels"
    elif fmt == "trees-json":
        from tinystudio.core.export.library_model import tree_description

        assert trees is not None  # checked against TREE_FORMATS above
        files = {
            "model.json": trees.to_json(),  # exactly the text whose sha256 is the model hash
            "labels.txt": facts.labels_txt(),
            "impulse.json": facts.impulse_json(tree_description(trees, "model.json")),
        }
        summary = f"{trees.trees} trees ({trees.internal_nodes} decision nodes), {len(facts.labels)} labels"
    elif fmt == "arduino":
        from tinystudio.core.export.arduino import BOARDS, arduino_zip

        name, data, memory = arduino_zip(_library_model(facts, tflite, trees), facts, metrics.get("code_bytes"))
        files = {name: data}
        summary = f"{name}: an Arduino library with sketches for {', '.join(b.title for b in BOARDS)}"
    else:
        from tinystudio.core.export.clib import c_library_files

        model = _library_model(facts, tflite, trees)
        text_files, memory = c_library_files(model, facts, metrics.get("code_bytes"))
        files = dict(text_files)
        code = metrics.get("code_bytes")
        held = (f"arena {memory['arena_bytes']} B RAM, weights {memory['weights_bytes']} B flash" if trees is None
                else f"{model.title}, code {'not measured' if code is None else f'{code} B'} flash")
        summary = f"{len(files)} files; {held}; build with `cc *.c -lm`"
    if cancel is not None:
        cancel.raise_if_cancelled()
    write_owned(out, files)
    progress(1.0, f"exported variant {variant_id} as {fmt} to {out}")
    return ModelExport(out, fmt, variant_id, sorted(files), summary, memory)
