"""Benchmark: our tree C against emlearn's on the emulated Cortex-M4F (QEMU mps2-an386).

On BasicMotions' spectral features (the default impulse), a random forest (10 trees, depth 8) and
gradient-boosted trees are compiled with TinyStudio's emitter and, where it can, with emlearn 0.23.2
(``method='inline'``, float features). For each: flash bytes of the model's object (text + rodata + data,
arm-none-eabi-gcc -O2), emulated instructions per inference (SysTick under -icount, mean over the test
windows; not real cycles) and agreement with scikit-learn's predict on the test windows.

emlearn's forest votes by majority of the trees' classes, scikit-learn (and our C) averages the trees'
probabilities, so their agreement with scikit-learn may differ. emlearn 0.23.2 has no converter for
scikit-learn's GradientBoostingClassifier: that row says so.

Run: python tests/benchmarks/bench_classical.py [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from codegen.armrun import build_elf, run_elf  # noqa: E402

from tinystudio.core.classical import emit_c  # noqa: E402
from tinystudio.core.classical.emit_c import LAYOUTS  # noqa: E402
from tinystudio.core.classical.model import from_sklearn_forest, from_sklearn_gbt  # noqa: E402
from tinystudio.core.compress.figures import ARM_FLAGS  # noqa: E402

_EMLEARN_SHIM = """/* ts_model_invoke around emlearn's generated forest: one-hot class out. */
#include <stdint.h>
#include "model.h"
#include "em_model.h"

int ts_model_invoke(const int8_t *input, int8_t *output)
{{
    int32_t c;
    int32_t k = em_model_predict((const float *)(const void *)input, {n});
    for (c = 0; c < {classes}; c++) {{
        output[c] = (int8_t)(c == k ? 127 : -128);
    }}
    return 0;
}}
"""

_EMLEARN_HEADER = """#ifndef TS_MODEL_H
#define TS_MODEL_H
#include <stdint.h>
#define TS_MODEL_INPUT_BYTES {bytes}
#define TS_MODEL_OUTPUT_BYTES {classes}
int ts_model_invoke(const int8_t *input, int8_t *output);
#endif
"""


def features(work: Path, per_label: int | None) -> dict[str, Any]:
    """Spectral features (the default impulse) of BasicMotions imported and split as a user would."""
    from datasets import write_basic_motions_csv
    from tinystudio.app.train import default_impulse
    from tinystudio.core.features import prepare_data
    from tinystudio.core.formats import import_files
    from tinystudio.core.split import assign_splits
    from tinystudio.core.store import Project

    with Project.create(work / "bm.tsproj") as project:
        import_files(project, write_basic_motions_csv(work / "csv", per_label))
        assign_splits(project)
        data = prepare_data(project, default_impulse(project))
    assert data.features is not None
    flat = {s: np.asarray(v, dtype=np.float32).reshape(len(v), -1) for s, v in data.features.items()}
    return {"x": flat, "y": data.y, "classes": len(data.labels)}


def object_flash(c_dir: Path, include: Path) -> int:
    """text + rodata + data bytes of the folder's C objects compiled for the Cortex-M4F."""
    total = 0
    for src in sorted(c_dir.glob("*.c")):
        obj = src.with_suffix(".o")
        subprocess.run(["arm-none-eabi-gcc", *ARM_FLAGS, "-I", str(include), "-c", str(src), "-o", str(obj)],
                       check=True, capture_output=True, text=True)
        out = subprocess.run(["arm-none-eabi-size", "-A", str(obj)], check=True, capture_output=True,
                             text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0].startswith((".text", ".rodata", ".data")) and parts[1].isdigit():
                total += int(parts[1])
    return total


def on_board(c_dir: Path, x: np.ndarray, work: Path, flags: tuple[str, ...] = ()) -> tuple[np.ndarray, float]:
    """Predicted classes and mean emulated instructions per inference on mps2-an386."""
    inputs = [np.frombuffer(row.astype(np.float32).tobytes(), dtype=np.int8) for row in x]
    elf = build_elf(c_dir, inputs, work, flags=flags)
    outputs, counts = run_elf(elf)
    assert len(outputs) == len(x), "the board did not answer every window"
    return np.asarray([int(np.argmax(o)) for o in outputs]), float(np.mean(counts))


def ours(model: Any, x: np.ndarray, work: Path, layout: str) -> dict[str, Any]:
    gen = work / f"ours-{layout}"
    emit_c(model, gen, name="bench", layout=layout)
    pred, instructions = on_board(gen, x, work / f"ours-{layout}-build")
    assert np.array_equal(pred, model.predict(x)), "our C disagrees with the host model"
    return {"flash": object_flash(gen, gen), "instructions": instructions, "pred": pred}


def emlearn_forest(clf: Any, x: np.ndarray, classes: int, work: Path) -> dict[str, Any]:
    import emlearn

    gen = work / "emlearn"
    gen.mkdir(parents=True, exist_ok=True)
    emlearn.convert(clf, method="inline", dtype="float").save(file=str(gen / "em_model.h"), name="em_model")
    n = x.shape[1]
    (gen / "model.h").write_text(_EMLEARN_HEADER.format(bytes=4 * n, classes=classes))
    (gen / "model.c").write_text(_EMLEARN_SHIM.format(n=n, classes=classes))
    relax = ("-Wno-unused-parameter", "-Wno-unused-variable", "-Wno-unused-function", "-Wno-error")
    pred, instructions = on_board(gen, x, work / "emlearn-build", flags=relax)
    flash = 0
    for src in [gen / "model.c"]:
        obj = src.with_suffix(".o")
        subprocess.run(["arm-none-eabi-gcc", *ARM_FLAGS, *relax, "-I", str(gen), "-c", str(src), "-o", str(obj)],
                       check=True, capture_output=True, text=True)
        out = subprocess.run(["arm-none-eabi-size", "-A", str(obj)], check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0].startswith((".text", ".rodata", ".data")) and parts[1].isdigit():
                flash += int(parts[1])
    shim = 0  # the one-hot shim is part of the emlearn figure: it is what a runner would call
    return {"flash": flash + shim, "instructions": instructions, "pred": pred}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer recordings and trees (a smoke run)")
    args = ap.parse_args()
    if shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None:
        print("arm-none-eabi-gcc and qemu-system-arm are needed for this benchmark")
        return 1
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier

    rf_trees, gbt_stages = (4, 5) if args.quick else (10, 30)
    with tempfile.TemporaryDirectory(prefix="bench-classical-") as tmp:
        work = Path(tmp)
        data = features(work, 6 if args.quick else None)
        x, y, classes = data["x"], data["y"], data["classes"]
        test = x["test"]
        print(f"BasicMotions spectral features: {x['train'].shape[1]} per window, {len(x['train'])} train and "
              f"{len(test)} test windows, {classes} classes")
        print(f"{'model':<24}{'emitter':<14}{'flash B':>9}{'instr/inference':>17}{'agrees w/ sklearn':>19}")
        rf = RandomForestClassifier(n_estimators=rf_trees, max_depth=8, max_features="sqrt", random_state=1,
                                    n_jobs=1).fit(x["train"], y["train"])
        gbt = GradientBoostingClassifier(n_estimators=gbt_stages, max_depth=3, random_state=1).fit(x["train"],
                                                                                                   y["train"])
        rows = []
        for label, clf, model in (
            (f"random forest {rf_trees}x d8", rf, from_sklearn_forest(rf, x["train"].shape[1], classes)),
            (f"GBT {gbt_stages} stages d3", gbt, from_sklearn_gbt(gbt, x["train"][:1], classes)),
        ):
            expected = clf.predict(test)
            for layout in LAYOUTS:
                mine = ours(model, test, work / label.replace(" ", "_"), layout)
                rows.append((label, f"ours {layout}", mine, float(np.mean(mine["pred"] == expected))))
            if clf is rf:
                em = emlearn_forest(clf, test, classes, work / "em")
                rows.append((label, "emlearn", em, float(np.mean(em["pred"] == expected))))
            else:
                rows.append((label, "emlearn", None, None))
        for label, emitter, fig, agree in rows:
            if fig is None:
                print(f"{label:<24}{emitter:<14}  not supported (emlearn 0.23.2 has no GradientBoostingClassifier "
                      "converter)")
                continue
            print(f"{label:<24}{emitter:<14}{fig['flash']:>9,}{fig['instructions']:>17,.0f}{agree:>18.1%}")
        em = rows[len(LAYOUTS)][2]
        assert em is not None
        for layout, (_, _, mine, _) in zip(LAYOUTS, rows, strict=False):
            print(f"random forest, ours {layout} against emlearn: flash {mine['flash'] / em['flash']:.2f}x, "
                  f"instructions {mine['instructions'] / em['instructions']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
