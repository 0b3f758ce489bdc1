"""Models outside the supported set fail with one clear line naming the problem, never a traceback."""

from __future__ import annotations

import flatbuffers
import pytest
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

from tinystudio.cli.main import main
from tinystudio.core.codegen import generate
from tinystudio.core.errors import UserError


def _with_opcode(tflite: bytes, builtin: int) -> bytes:
    model = schema.ModelT.InitFromPackedBuf(bytearray(tflite), 0)
    model.operatorCodes[0].builtinCode = builtin
    model.operatorCodes[0].deprecatedBuiltinCode = min(builtin, 127)
    builder = flatbuffers.Builder(len(tflite) + 1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def test_unsupported_op_names_op_and_index(suite_model, tmp_path):
    bad = _with_opcode(suite_model("relu"), schema.BuiltinOperator.EXP)
    with pytest.raises(UserError, match=r"op 0 \(EXP\) is not supported"):
        generate(bad, tmp_path / "gen")


def test_float_model_is_rejected(tmp_path):
    import importlib.resources

    sine = importlib.resources.files("tflite_micro.python.tflite_micro") / "sine_float.tflite"
    with pytest.raises(UserError, match="float32"):
        generate(sine.read_bytes(), tmp_path / "gen")


@pytest.mark.parametrize("data", [b"", b"not a model at all", b"1234TFL3" + b"\xff" * 40])
def test_garbage_is_a_user_error(data, tmp_path):
    with pytest.raises(UserError):
        generate(data, tmp_path / "gen")


def test_cli_reports_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"garbage")
    assert main(["codegen", str(bad), "--out", str(tmp_path / "gen")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("tinystudio: error:") and "\n" not in err


def test_cli_writes_folder_and_summary(suite_model, tmp_path, capsys):
    model = tmp_path / "motion.tflite"
    model.write_bytes(suite_model("motion_cnn_1d"))
    out = tmp_path / "gen"
    assert main(["codegen", str(model), "--out", str(out), "--plan"]) == 0
    text = capsys.readouterr().out
    assert "arena" in text and "CONV_2D" in text
    assert {"model.h", "model.c", "model_weights.c"} <= {p.name for p in out.iterdir()}
    assert all(p.name.startswith(("model", "ts_", "tinystudio-manifest")) for p in out.iterdir())
    header = (out / "model.h").read_text()
    for macro in ("TS_MODEL_INPUT_SHAPE {1, 100, 6}", "TS_MODEL_OUTPUT_SHAPE {1, 4}", 'TS_MODEL_NAME "motion"'):
        assert macro in header


def test_regenerating_removes_stale_kernels(suite_model, tmp_path):
    out = tmp_path / "gen"
    generate(suite_model("ds_cnn_kws"), out)
    assert (out / "ts_conv_s8.c").exists()
    generate(suite_model("relu"), out)
    assert not (out / "ts_conv_s8.c").exists()
