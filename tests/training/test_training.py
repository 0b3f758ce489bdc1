"""Training BasicMotions end to end: CLI, stored runs, reproducibility, cancel, and tfmot compatibility."""

from __future__ import annotations

import numpy as np
import pytest

from cli_helpers import run_cli
from tinystudio.core.errors import Cancelled
from tinystudio.core.impulse import DspConfig, ImpulseConfig, ModelConfig, WindowConfig
from tinystudio.core.store import Project

from .conftest import EPOCHS

pytestmark = pytest.mark.slow


def test_cli_training_reaches_good_test_accuracy(cli_trained):
    path, out = cli_trained
    assert out["test_accuracy"] >= 0.9
    assert 0.0 <= out["validation_accuracy"] <= 1.0
    labels = out["confusion_matrix"]["labels"]
    assert labels == ["badminton", "running", "standing", "walking"]
    counts = np.array(out["confusion_matrix"]["counts"])
    assert counts.shape == (4, 4)
    assert np.trace(counts) / counts.sum() == pytest.approx(out["test_accuracy"])
    assert set(out["per_class"]) == set(labels)
    assert all(set(v) == {"precision", "recall", "f1"} for v in out["per_class"].values())
    with Project.open(path) as p:
        test_ids = {s.id for s in p.samples(split="test")}
        run = p.run(out["run_id"])
    # every test window comes from a test recording: counts = windows of the test split
    assert counts.sum() == run.config["dataset"]["test"]["windows"]
    assert run.config["dataset"]["test"]["samples"] == len(test_ids)
    assert len(run.curves["loss"]) == EPOCHS and len(run.curves["val_accuracy"]) == EPOCHS
    assert run.model and run.model[:2] == b"PK"  # a .keras zip, not a pickle


def test_stored_model_reloads_and_predicts_like_the_run(cli_trained):
    from tinystudio.core.features import Normalization, prepare_data
    from tinystudio.core.training import load_run_model, predict

    path, out = cli_trained
    with Project.open(path) as p:
        run = p.run(out["run_id"])
        impulse = ImpulseConfig.from_dict(run.config["impulse"])
        data = prepare_data(p, impulse, normalization=Normalization.from_dict(run.config["normalization"]))
        model = load_run_model(p, out["run_id"])
    pred = predict(model, data.x["test"])
    assert (pred == data.y["test"]).mean() == pytest.approx(out["test_accuracy"])


def test_trained_preset_passes_tfmot_quantize_and_prune(cli_trained):
    import tensorflow_model_optimization as tfmot

    from tinystudio.core.models import model_spec
    from tinystudio.core.models.keras_builder import build_keras
    from tinystudio.core.training import load_run_model

    path, out = cli_trained
    with Project.open(path) as p:
        model = load_run_model(p, out["run_id"])
    assert tfmot.quantization.keras.quantize_model(model) is not None
    assert tfmot.sparsity.keras.prune_low_magnitude(model) is not None
    for preset, shape in (("cnn1d", (32, 6)), ("dscnn", (49, 13))):
        conv = build_keras(model_spec(preset, {}, shape, 4))
        assert not any("Conv1D" in type(layer).__name__ for layer in conv.layers)
        tfmot.quantization.keras.quantize_model(conv)
        tfmot.sparsity.keras.prune_low_magnitude(conv)


def test_keras_parameter_count_matches_the_estimate_shown_before_training():
    from tinystudio.core.models import PRESETS, model_spec
    from tinystudio.core.models.keras_builder import build_keras

    for preset, shape in (("dense", (78,)), ("cnn1d", (50, 6)), ("dscnn", (49, 13)), ("dscnn", (78,))):
        spec = model_spec(preset, {}, shape, 4)
        assert preset in PRESETS
        assert build_keras(spec).count_params() == spec.summary()["params"]


def test_same_config_and_seed_give_the_same_metrics(bm_copy):
    from tinystudio.core.training import train

    impulse = ImpulseConfig(WindowConfig(3000, 1000), DspConfig("raw"), ModelConfig("cnn1d", epochs=4, seed=7))
    with Project.open(bm_copy) as p:
        a = train(p, impulse)
        b = train(p, impulse)
        assert len(p.runs(kind="train")) == 2
    assert a.curves == b.curves
    assert a.test.confusion == b.test.confusion and a.validation.confusion == b.validation.confusion


def test_cancel_stops_training_and_stores_no_run(bm_copy):
    from tinystudio.core.progress import CancelToken
    from tinystudio.core.training import train

    token = CancelToken()
    epochs_seen = []

    def on_epoch(stats):
        epochs_seen.append(stats.epoch)
        token.cancel()

    impulse = ImpulseConfig(model=ModelConfig("dense", epochs=50))
    impulse.window = WindowConfig(3000, 1000)
    with Project.open(bm_copy) as p:
        with pytest.raises(Cancelled):
            train(p, impulse, cancel=token, on_epoch=on_epoch)
        assert p.runs(kind="train") == []
    assert epochs_seen == [1]


def test_cli_prints_epochs_and_a_summary(bm_copy):
    code, out, err = run_cli("train", str(bm_copy), "--epochs", "2", "--dsp", "raw", "--window-ms", "5000")
    assert code == 0, err
    assert "epoch   2/2" in out
    assert "confusion matrix" in out and "test accuracy" in out
    assert "dsp raw, model cnn1d" in out


def test_cli_bad_input_is_one_clear_line(tmp_path, bm_copy):
    code, _, err = run_cli("train", str(tmp_path / "missing.tinystudio"))
    assert code == 1 and err.count("\n") == 1 and "error" in err
    code, _, err = run_cli("train", str(bm_copy), "--dsp", "mfcc", "--epochs", "1")
    assert code == 1 and "audio" in err and "Traceback" not in err
    p = Project.create(tmp_path / "unsplit.tinystudio")
    p.add_sample(np.zeros((20, 1), np.float32), 10.0, ["x"], "a")
    p.add_sample(np.ones((20, 1), np.float32), 10.0, ["x"], "b")
    p.close()
    code, _, err = run_cli("train", str(tmp_path / "unsplit.tinystudio"))
    assert code == 1 and "split" in err


def test_float_tflite_export_predicts_like_keras(cli_trained):
    from ai_edge_litert.interpreter import Interpreter

    from tinystudio.core.features import Normalization, prepare_data
    from tinystudio.core.training import float_tflite, load_run_model, predict

    path, out = cli_trained
    with Project.open(path) as p:
        run = p.run(out["run_id"])
        data = prepare_data(p, ImpulseConfig.from_dict(run.config["impulse"]),
                            normalization=Normalization.from_dict(run.config["normalization"]))
        model = load_run_model(p, out["run_id"])
    interpreter = Interpreter(model_content=float_tflite(model))
    interpreter.allocate_tensors()
    inp, outp = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    tfl = []
    for x in data.x["test"]:
        interpreter.set_tensor(inp["index"], x[None])
        interpreter.invoke()
        tfl.append(int(np.argmax(interpreter.get_tensor(outp["index"]))))
    np.testing.assert_array_equal(tfl, predict(model, data.x["test"]))


def test_early_stopping_ends_before_the_epoch_limit(bm_copy):
    import json

    code, out, err = run_cli("train", str(bm_copy), "--epochs", "300", "--early-stopping", "3", "--lr", "0.02",
                             "--json")
    assert code == 0, err
    result = json.loads(out)
    with Project.open(bm_copy) as p:
        run = p.run(result["run_id"])
    assert run.metrics["epochs_run"] < 300
    assert len(run.curves["loss"]) == run.metrics["epochs_run"]
    assert result["test_accuracy"] >= 0.9


def test_models_are_stored_as_keras_zip_from_any_thread():
    import threading

    from tinystudio.core.models import model_spec
    from tinystudio.core.models.keras_builder import build_keras, import_keras
    from tinystudio.core.training import model_from_bytes, model_to_bytes

    import_keras()  # Keras loaded by the main thread, as when the app imported it before training
    heads: list[bytes] = []

    def save_twice() -> None:  # a GUI worker thread trains, saves, and may train again
        model = build_keras(model_spec("dense", {}, (10,), 2))
        for _ in range(2):
            data = model_to_bytes(model)
            heads.append(data[:2])
            assert model_from_bytes(data).count_params() == model.count_params()

    worker = threading.Thread(target=save_twice)
    worker.start()
    worker.join()
    assert heads == [b"PK", b"PK"]


def test_audio_gets_mfcc_and_a_depthwise_cnn_that_learns_tones(tmp_path):
    from tinystudio.core.features import suggest_for_project
    from tinystudio.core.split import assign_splits
    from tinystudio.core.training import train

    rng = np.random.default_rng(0)
    rate = 8000.0
    t = np.arange(int(rate * 2)) / rate
    with Project.create(tmp_path / "tones.tinystudio") as p:
        for label, f in (("low", 300.0), ("mid", 1000.0), ("high", 2500.0)):
            for _ in range(12):
                f_i = f * (1 + 0.03 * rng.normal())
                sig = 0.3 * np.sin(2 * np.pi * f_i * t + rng.uniform(0, 6)) + 0.1 * rng.normal(size=t.size)
                p.add_sample(sig[:, None].astype(np.float32), rate, ["audio"], label)
        assign_splits(p)
        impulse = suggest_for_project(p)
        assert (impulse.dsp.block, impulse.model.preset) == ("mfcc", "dscnn")
        impulse.model.epochs = 20
        result = train(p, impulse)
    assert result.config["dsp"]["output_shape"] == [98, 13]
    assert result.test.accuracy >= 0.9


def test_dense_regularisation_trains_the_plain_network(bm_copy):
    """The dense preset's input noise, weight decay and label smoothing act while training only: the stored
    model has the preset's layers alone (no noise layer, the parameter count shown before training), and
    training without them (the defaults) gives another model."""
    from tinystudio.core.training import load_run_model, train

    impulse = ImpulseConfig(WindowConfig(2000.0, 500.0), DspConfig("spectral", {}),
                            ModelConfig("dense", {"l2": 0.001, "input_noise": 0.3, "label_smoothing": 0.1},
                                        epochs=4, seed=3))
    plain = ImpulseConfig.from_dict(impulse.to_dict())
    plain.model.params = {}
    with Project.open(bm_copy) as p:
        regularised = train(p, impulse)
        unregularised = train(p, plain)
        model = load_run_model(p, regularised.run_id)
        other = load_run_model(p, unregularised.run_id)
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer", "Dense", "Dropout", "Dense", "Dropout", "Dense"]
    assert model.count_params() == regularised.metrics["params"]
    assert any(not np.allclose(a, b) for a, b in zip(model.get_weights(), other.get_weights(), strict=True))
