"""The model half of an exported library: the model's own C files (``model.h`` with ``ts_model_invoke``) and
what the impulse code and the README must say about it, for an int8 network (the code generator's output)
or a tree model (the tree emitter's, as deployed). Everything else in the library is shared. Also what a
tree model's JSON export says about its trees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tinystudio.core.classical.model import TreeModel
from tinystudio.core.classical.training import FAMILY_TITLES
from tinystudio.core.features import Normalization


@dataclass(frozen=True)
class LibraryModel:
    """One model as a library holds it. ``float_input``: the model takes the DSP block's float32 features
    as they are (trees) instead of an int8 quantized copy (networks)."""

    files: dict[str, str]  # model.h, model.c and, for a network, its kernels
    title: str  # "int8 network", "random forest", ...
    model_hash: str
    float_input: bool
    input_count: int
    output_count: int
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    input_quant: tuple[float, int]
    output_quant: tuple[float, int]
    weights_bytes: int
    arena_bytes: int  # the tensor arena (0: a tree model has none)
    exactness: str  # README: why the scores equal TinyStudio's
    score_meaning: str  # a score as a float, in a few words (ts_impulse.h)
    score_rule: str  # README: how an int8 score is made and read
    details: str  # README: the model's hash and structure
    standardisation: Normalization | None = None  # an int8 network's, before its input quantization

    @property
    def input_copy_bytes(self) -> int:
        """RAM of the model's own input besides the float features: the int8 copy a network takes."""
        return 0 if self.float_input else self.input_count


def network_model(tflite: bytes, name: str) -> LibraryModel:
    """An int8 .tflite through the code generator (weights, static memory plan, the kernels it uses)."""
    from tinystudio.core.codegen import generate_files

    files, report = generate_files(tflite, name=name)
    os_, oz = report.output_quant
    return LibraryModel(
        files=files, title="int8 network", model_hash=report.model_hash, float_input=False,
        input_count=int(np.prod(report.input_shape)), output_count=int(np.prod(report.output_shape)),
        input_shape=tuple(report.input_shape), output_shape=tuple(report.output_shape),
        input_quant=report.input_quant, output_quant=report.output_quant,
        weights_bytes=report.weights_bytes, arena_bytes=report.arena_bytes,
        exactness="The model is int8 and bit-exact with TensorFlow Lite Micro's reference kernels",
        score_meaning="about a probability", score_rule=f"as floats (q - ({oz})) * {os_!r}",
        details=f"Model hash (sha256 of the .tflite, first 16 digits): `{report.model_hash}`; "
                f"ops: {', '.join(report.ops)}.",
        standardisation=report.standardisation,
    )


def tree_model(model: TreeModel, name: str) -> LibraryModel:
    """A tree model through the tree emitter, in the layout the board runs (so the figures are the deploy's)."""
    from tinystudio.core.classical.emit_c import tree_files

    files, report = tree_files(model, name)
    title = FAMILY_TITLES[model.family]  # tree_files checked the family
    scale, zero = model.output_quant
    if model.family == "rf":
        meaning = "the trees' averaged probability"
        rule = (f"round(255 x the trees' averaged probability) - 128, so as floats (q - ({zero})) * {scale!r} is "
                "that probability")
    else:
        meaning = "0 for the winner, below 0 for the others"
        rule = (f"127 minus the class's raw-score gap to the winner, so as floats (q - {zero}) * {scale!r} is 0 "
                "for the winner and below 0 for the others")
    return LibraryModel(
        files=files, title=title, model_hash=report.model_hash, float_input=True,
        input_count=model.n_features, output_count=model.n_classes,
        input_shape=report.input_shape, output_shape=report.output_shape,
        input_quant=(1.0, 0), output_quant=model.output_quant,
        weights_bytes=report.weights_bytes, arena_bytes=0,
        exactness=(f"The model is a tree ensemble ({title}): {report.trees} trees, {report.internal_nodes} decision "
                   f"nodes, {report.leaves} leaves, depth {report.max_depth},\nwalked as nested if/else with "
                   "integer scores: exactly TinyStudio's scores for the same float32 features"),
        score_meaning=meaning, score_rule=rule,
        details=f"Model hash (sha256 of the tree description, first 16 digits): `{report.model_hash}`.",
    )


def tree_description(model: TreeModel, file: str) -> dict[str, Any]:
    """What impulse.json says about a tree model exported as its JSON ``file``: how to walk the trees and turn
    their sums into the int8 scores the C library and the board give."""
    scale, zero = model.output_quant
    if model.family == "rf":
        sums = "per class, the sum over trees of the reached leaf's row of leaf_values"
        rule = "q = round(255 * sum_c / sum of all classes) - 128, i.e. (sum_c * 255 + total // 2) // total - 128"
    else:
        sums = "per class, base[c] plus the reached leaf's value of every tree whose tree_class is c"
        rule = f"q = 127 - min(255, (best sum - sum_c) >> {model.output_shift})"
    return {
        "kind": model.family,
        "title": FAMILY_TITLES[model.family],
        "file": file,
        "hash": model.model_hash(),
        "hash_rule": "the first 16 hex digits of the file's sha256 (TS_MODEL_HASH in the C library)",
        "input": "the DSP block's output as float32, as it is (trees need no standardisation)",
        "walk": "from each root: go left when x[feature[node]] <= threshold[node]; a node below 0 is leaf -1 - node",
        "sums": sums,
        "scores": {"scale": scale, "zero_point": zero, "rule": rule,
                   "ties": "a class before the winner that would tie it is lowered by one",
                   "float": "score = (q - zero_point) * scale"},
    }
