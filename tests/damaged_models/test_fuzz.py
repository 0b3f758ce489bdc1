"""Damaged model files never crash the app: the checker refuses them with one line, or whatever it accepts
runs (TFLite Micro, tried in a child process first) and compiles to C, or fails with one line."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import suite_models
from damaged_models import damage
from tinystudio.core.codegen import generate
from tinystudio.core.errors import UserError
from tinystudio.core.int8_reference import Int8Reference
from tinystudio.core.model_check import check_tflite

RANDOM_FLIPS = 150


@pytest.fixture(scope="module")
def model() -> bytes:
    """A real full-integer int8 model: the 1-D CNN for 6-axis motion windows."""
    return suite_models.build("motion_cnn_1d")


def _one_line(exc: BaseException) -> str:
    text = str(exc)
    assert text.strip() and "\n" not in text and "Traceback" not in text, repr(text)
    return text


def test_the_intact_model_and_every_suite_model_pass(model):
    check_tflite(model)
    for name in ("ds_cnn_kws", "resnet8", "dense_autoencoder", "fully_connected_3d_dynamic_batch", "softmax_3d"):
        check_tflite(suite_models.build(name))


@pytest.mark.parametrize("name", list(damage.EDITS))
def test_each_damaged_field_is_refused_naming_it(model, name):
    data = dict(damage.structural(model))[name]
    with pytest.raises(UserError) as err:
        check_tflite(data)
    assert _one_line(err.value).startswith("the model file is damaged: ")


@pytest.mark.parametrize(("option", "value"), [("strideW", 0), ("dilationHFactor", 0), ("padding", 7),
                                               ("fusedActivationFunction", 99), ("strideH", -2)])
def test_impossible_convolution_options_are_refused(model, option, value):
    """Options the kernels divide by or switch on: TFLite Micro or the code generator would divide by zero."""
    m = damage.unpack(model)
    setattr(m.subgraphs[0].operators[1].builtinOptions, option, value)
    with pytest.raises(UserError, match=f"op 1 \\(CONV_2D\\) has the (option|unknown) {option}"):
        check_tflite(damage.pack(m))


@pytest.mark.parametrize("data", [b"", b"TFL3", b"1234TFL3", b"\x00" * 64, b"1234TFL3" + b"\xff" * 40])
def test_garbage_is_refused(data):
    with pytest.raises(UserError) as err:
        check_tflite(data)
    _one_line(err.value)


@pytest.mark.slow
def test_fuzz_damaged_models_give_a_result_or_one_line(model, tmp_path):
    variants = (damage.structural(model) + damage.options(model)
                + damage.raw(model, seed=20261129, flips=RANDOM_FLIPS))
    assert len(variants) >= 200
    tally: collections.Counter[str] = collections.Counter()
    for _name, data in variants:
        try:
            check_tflite(data)
        except UserError as exc:
            _one_line(exc)
            tally["refused by the checker"] += 1
            continue
        tally["accepted by the checker"] += 1
        try:
            ref = Int8Reference(data)
            scores = ref.run(np.zeros(ref.input_size, dtype=np.int8))
            assert scores.size == int(np.prod(ref.output_shape))
            tally["ran on TFLite Micro"] += 1
        except UserError as exc:
            _one_line(exc)
            tally["refused by TFLite Micro (one line)"] += 1
        try:
            generate(data, tmp_path / "gen")
            tally["compiled to C"] += 1
        except UserError as exc:
            _one_line(exc)
            tally["refused by codegen (one line)"] += 1
    print(f"\n{len(variants)} damaged models: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    assert tally["refused by the checker"] >= len(damage.EDITS)
    assert tally["accepted by the checker"] > 0  # damage inside weight data leaves a well-formed model
