"""Tree models compiled to C give exactly the host model's scores, and the host model predicts what
scikit-learn predicts; thresholds route features equal to them the same way everywhere."""

from __future__ import annotations

import ctypes
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tinystudio.core.classical import TreeModel, emit_c, fit_model, round_threshold
from tinystudio.core.classical.emit_c import LAYOUTS
from tinystudio.core.classical.model import distribution_row
from tinystudio.core.errors import UserError

CFLAGS = ["-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic"]


class CompiledTrees:
    """ts_model_invoke of a generated tree folder, built for the host."""

    def __init__(self, model: TreeModel, work: Path, layout: str = "tables") -> None:
        gen = work / f"gen-{layout}"
        emit_c(model, gen, name="trees", layout=layout)
        lib = work / f"trees-{layout}.so"
        sources = sorted(str(p) for p in gen.glob("*.c"))
        subprocess.run(["cc", *CFLAGS, "-shared", "-fPIC", *sources, "-o", str(lib)], check=True,
                       capture_output=True, text=True)
        self.lib = ctypes.CDLL(str(lib))
        self.lib.ts_model_invoke.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.model = model

    def scores(self, x: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(x, dtype=np.float32).reshape(len(x), -1)
        out = np.zeros((len(x), self.model.n_classes), dtype=np.int8)
        for i in range(len(x)):
            assert self.lib.ts_model_invoke(x[i].ctypes.data, out[i].ctypes.data) == 0
        return out


def _sklearn(family: str, x: np.ndarray, y: np.ndarray, model: TreeModel):  # type: ignore[no-untyped-def]
    from sklearn.ensemble import ExtraTreesClassifier, GradientBoostingClassifier, RandomForestClassifier

    p = model.params
    if family == "rf":
        kind = ExtraTreesClassifier if p.get("split") == "random" else RandomForestClassifier
        return kind(n_estimators=p["trees"], max_depth=p["max_depth"],
                    min_samples_leaf=p["min_samples_leaf"], max_features="sqrt",
                    random_state=1, n_jobs=1).fit(x, y)
    return GradientBoostingClassifier(n_estimators=p["trees"], max_depth=p["max_depth"],
                                      learning_rate=p["shrinkage"], min_samples_leaf=p["min_samples_leaf"],
                                      random_state=1).fit(x, y)


@pytest.mark.parametrize(("family", "params"), [("rf", {}), ("rf", {"split": "random"}), ("gbt", {})],
                         ids=["forest", "extremely-randomised", "boosted"])
def test_c_scores_equal_host_and_host_predicts_as_sklearn(bm_features, family: str, params: dict[str, str],
                                                          tmp_path: Path) -> None:
    f = bm_features
    model = fit_model(family, f.x["train"], f.y["train"], f.classes, params)
    clf = _sklearn(family, f.x["train"], f.y["train"], model)
    rng = np.random.default_rng(3)
    every = np.concatenate([f.x[s] for s in ("train", "validation", "test")])
    noisy = every * rng.uniform(0.5, 1.5, size=every.shape).astype(np.float32)
    probe = np.concatenate([every, noisy]).astype(np.float32)
    assert np.array_equal(model.predict(probe), clf.predict(probe))
    assert model.predict(f.x["test"]).tolist() == clf.predict(f.x["test"]).tolist()
    host = model.predict_scores(probe)
    for layout in LAYOUTS:
        assert np.array_equal(CompiledTrees(model, tmp_path, layout).scores(probe), host)
    assert np.array_equal(np.argmax(host, axis=1), model.predict(probe))


@pytest.mark.parametrize("family", ["rf", "gbt"])
def test_features_equal_to_thresholds_route_alike_in_c_python_and_sklearn(bm_features, family: str,
                                                                         tmp_path: Path) -> None:
    f = bm_features
    model = fit_model(family, f.x["train"], f.y["train"], f.classes, {"trees": 6})
    clf = _sklearn(family, f.x["train"], f.y["train"], model)
    base = f.x["test"][0].copy()
    rows = []
    for node in range(model.internal_nodes):
        t = model.threshold[node]
        for v in (t, np.nextafter(t, np.float32(np.inf)), np.nextafter(t, np.float32(-np.inf))):
            row = base.copy()
            row[model.feature[node]] = v
            rows.append(row)
    edges = np.asarray(rows, dtype=np.float32)
    assert len(edges) >= 30
    for layout in LAYOUTS:
        assert np.array_equal(CompiledTrees(model, tmp_path, layout).scores(edges), model.predict_scores(edges))
    assert np.array_equal(model.predict(edges), clf.predict(edges))
    if family == "rf":  # every tree reaches the very leaf scikit-learn reaches
        ours = model.leaf_indices(edges)
        for t, est in enumerate(clf.estimators_):
            dist = est.tree_.value[est.tree_.apply(edges), 0]
            expected = np.asarray([distribution_row(d, model.leaf_one) for d in dist])
            assert np.array_equal(model.leaf_values[ours[:, t]], expected)


def test_threshold_rounding_keeps_every_comparison() -> None:
    for t64 in (0.1, -0.1, 1.0 / 3.0, 1e-30, 3.4e38, 0.0, float(np.float32(0.7)), 2.5000000001):
        t32 = round_threshold(t64)
        assert float(t32) <= t64 and float(np.nextafter(t32, np.float32(np.inf))) > t64
        for x in (t32, np.nextafter(t32, np.float32(np.inf)), np.nextafter(t32, np.float32(-np.inf))):
            assert (x <= t32) == (float(x) <= t64)


def test_json_round_trip_and_damaged_model(bm_features) -> None:
    f = bm_features
    model = fit_model("gbt", f.x["train"], f.y["train"], f.classes, {"trees": 3})
    again = TreeModel.from_json(model.to_json())
    assert again.to_json() == model.to_json()
    assert np.array_equal(again.predict_scores(f.x["test"]), model.predict_scores(f.x["test"]))
    damaged = model.to_dict()
    damaged["left"][0] = 0  # a node pointing to itself would loop forever on the board
    with pytest.raises(UserError, match="cycle"):
        TreeModel.from_dict(damaged)
    with pytest.raises(UserError, match="not valid JSON"):
        TreeModel.from_json("{")


@pytest.mark.slow
@pytest.mark.parametrize("family", ["rf", "gbt"])
def test_threshold_edges_on_the_emulated_cortex_m4f(bm_features, family: str, tmp_path: Path) -> None:
    """The same edge windows through the Cortex-M4F's FPU compares (QEMU mps2-an386), both layouts."""
    import shutil

    from codegen.armrun import build_elf, run_elf

    if shutil.which("qemu-system-arm") is None or shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("qemu-system-arm or arm-none-eabi-gcc is not installed")
    f = bm_features
    model = fit_model(family, f.x["train"], f.y["train"], f.classes, {"trees": 3})
    base = f.x["test"][1].copy()
    rows = []
    for node in range(0, model.internal_nodes, max(1, model.internal_nodes // 40)):
        t = model.threshold[node]
        for v in (t, np.nextafter(t, np.float32(np.inf))):
            row = base.copy()
            row[model.feature[node]] = v
            rows.append(row)
    edges = np.asarray(rows, dtype=np.float32)
    expected = model.predict_scores(edges)
    for layout in LAYOUTS:
        emit_c(model, tmp_path / layout, layout=layout)
        inputs = [np.frombuffer(r.tobytes(), dtype=np.int8) for r in edges]
        outputs, counts = run_elf(build_elf(tmp_path / layout, inputs, tmp_path / f"{layout}-build"))
        assert np.array_equal(np.asarray(outputs), expected), layout
        assert len(counts) == len(edges)


def test_a_forest_split_other_than_best_or_random_is_one_clear_error(bm_features) -> None:
    f = bm_features
    with pytest.raises(UserError, match="'split' must be best or random, got 'sideways'"):
        fit_model("rf", f.x["train"], f.y["train"], f.classes, {"split": "sideways"})
