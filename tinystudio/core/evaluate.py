"""Classification metrics from label indices: accuracy, per-class precision/recall/F1, confusion matrix.

Independent of TensorFlow, so host predictions and results streamed back from a device are scored by
the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tinystudio.core.errors import UserError


@dataclass
class Evaluation:
    """Scores of one prediction set; ``confusion[i][j]`` counts true label i predicted as j."""

    labels: list[str]
    confusion: list[list[int]]
    accuracy: float
    per_class: dict[str, dict[str, float]]
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "confusion": [list(r) for r in self.confusion],
            "accuracy": self.accuracy,
            "per_class": {k: dict(v) for k, v in self.per_class.items()},
            "count": self.count,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evaluation:
        return cls(list(data["labels"]), [list(map(int, r)) for r in data["confusion"]],
                   float(data["accuracy"]), dict(data["per_class"]), int(data["count"]))


def evaluate(y_true: Sequence[int] | np.ndarray, y_pred: Sequence[int] | np.ndarray,
             labels: Sequence[str]) -> Evaluation:
    """Score predicted label indices against true ones (both in range(len(labels))).

    Precision of a class with no predictions, or recall of a class with no true samples, is 0, and F1
    is 0 when precision + recall is 0 (the usual convention).
    """
    t = np.asarray(y_true, dtype=np.int64).ravel()
    p = np.asarray(y_pred, dtype=np.int64).ravel()
    k = len(labels)
    if t.shape != p.shape:
        raise UserError(f"got {t.size} true labels but {p.size} predictions")
    if t.size and (min(t.min(), p.min()) < 0 or max(t.max(), p.max()) >= k):
        raise UserError(f"label indices must lie between 0 and {k - 1}")
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (t, p), 1)
    per_class: dict[str, dict[str, float]] = {}
    for i, name in enumerate(labels):
        tp = int(cm[i, i])
        predicted, actual = int(cm[:, i].sum()), int(cm[i, :].sum())
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[name] = {"precision": precision, "recall": recall, "f1": f1, "support": actual}
    accuracy = float(np.trace(cm) / t.size) if t.size else 0.0
    return Evaluation(list(labels), cm.tolist(), accuracy, per_class, int(t.size))
