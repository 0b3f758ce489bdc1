"""Classical models (random forest, gradient-boosted trees) on DSP features: fitting with scikit-learn,
a JSON tree description stored in the project, C code for the board and the host reference that computes
exactly what that C computes.

    model = fit_forest(features, labels, classes, params)   # or fit_gbt
    model.predict_scores(features)                          # int8 scores, as the board sends them
    emit_c(model, out_dir)                                  # model.h / model.c for the runner
    TreeModel.from_json(model.to_json())
"""

from tinystudio.core.classical.emit_c import TreeCodegenReport, emit_c
from tinystudio.core.classical.model import (
    FAMILIES,
    TreeModel,
    fit_forest,
    fit_gbt,
    fit_model,
    round_threshold,
)

__all__ = ["FAMILIES", "TreeCodegenReport", "TreeModel", "emit_c", "fit_forest", "fit_gbt", "fit_model",
           "round_threshold"]
