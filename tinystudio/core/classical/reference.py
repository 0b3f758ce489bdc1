"""Host-side ground truth for a deployed tree model, with the interface the on-device test uses for int8
networks (``Int8Reference``): the board receives float32 features as they are, so "quantizing" is only
the cast to float32, and the scores are ``TreeModel.predict_scores`` (the generated C's exact integers)."""

from __future__ import annotations

import numpy as np

from tinystudio.core.classical.model import TreeModel
from tinystudio.core.errors import UserError


class TreeReference:
    """One tree model: float32 features in, int8 scores out, exactly as the generated C computes them."""

    def __init__(self, model: TreeModel) -> None:
        self.model = model
        self.input_shape = (1, model.n_features)
        self.output_shape = (1, model.n_classes)
        self.input_quant = (1.0, 0)
        self.output_quant = model.output_quant

    @property
    def input_size(self) -> int:
        return self.model.n_features

    def quantize(self, features: np.ndarray) -> np.ndarray:
        """The payload the board takes: the features as float32 (nothing is quantized)."""
        return np.ascontiguousarray(features, dtype=np.float32)

    def run(self, x: np.ndarray) -> np.ndarray:
        """int8 scores (flat) for one window's float32 features."""
        flat = np.asarray(x, dtype=np.float32).reshape(1, -1)
        if flat.shape[1] != self.input_size:
            raise UserError(f"the features have {flat.shape[1]} values but the model takes {self.input_size}")
        return self.model.predict_scores(flat)[0]

    def outputs(self, features: np.ndarray) -> np.ndarray:
        """int8 scores (n, classes) for float features (n, ...)."""
        return self.model.predict_scores(np.asarray(features, dtype=np.float32).reshape(len(features), -1))

    def predict(self, features: np.ndarray) -> np.ndarray:
        return self.model.predict(np.asarray(features, dtype=np.float32).reshape(len(features), -1))
