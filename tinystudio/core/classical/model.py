"""A tree ensemble as the board runs it: flat node arrays with float32 thresholds and integer leaf
values, fitted with scikit-learn and stored as JSON (never pickle).

Node layout, shared by every tree: internal nodes are numbered from 0; a child or root below 0 is a leaf,
``-1 - child`` being its row in the leaf table. A sample goes left when ``x[feature] <= threshold``.

* ``rf`` (random forest): a leaf holds the class distribution of its training windows in fixed point
  (``leaf_one`` = probability 1, every row summing to exactly that); the trees' distributions are summed
  and the largest sum wins, as scikit-learn averages the trees' probabilities (not a majority vote). The
  sum of all classes is then the constant ``trees * leaf_one``, small enough for 32-bit arithmetic.
* ``gbt`` (gradient-boosted trees): a leaf holds one raw-score step (learning rate applied) in fixed point
  (``scale`` units per 1.0) for its tree's class; the per-class sums plus the initial scores are the
  decision function, largest wins.

Thresholds are the largest float32 not above scikit-learn's float64 threshold, so for every float32
feature ``x <= t32`` exactly when ``x <= t64``: the routing is scikit-learn's own.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tinystudio.core.errors import UserError

FAMILIES = ("rf", "gbt")
FORMAT_VERSION = 1
FOREST_ONE = 1 << 15  # fixed-point probability 1.0 of a forest leaf (fits uint16), fewer for big forests
_U32 = (1 << 32) - 1
GBT_SCORE_BOUND = 1 << 29  # every fixed-point class score stays below this in magnitude
GBT_MAX_SHIFT = 24
GBT_OUTPUT_STEPS_PER_UNIT_LOG2 = 4  # int8 output: 16 steps per raw-score unit below the winner


def round_threshold(t64: float) -> np.float32:
    """The largest float32 <= ``t64``: for every float32 x, ``x <= result`` iff ``x <= t64``."""
    t32 = np.float32(t64)
    if float(t32) > float(t64):
        t32 = np.nextafter(t32, np.float32(-np.inf))
    return np.float32(t32)


@dataclass
class TreeModel:
    """See the module docstring. Arrays are numpy; ``to_json``/``from_json`` round-trip them exactly."""

    family: str
    n_features: int
    n_classes: int
    roots: np.ndarray  # (trees,) int64
    feature: np.ndarray  # (internal,) int64
    threshold: np.ndarray  # (internal,) float32
    left: np.ndarray  # (internal,) int64
    right: np.ndarray  # (internal,) int64
    leaf_values: np.ndarray  # rf: (leaves, classes) int64 in [0, FOREST_ONE]; gbt: (leaves,) int64
    tree_class: np.ndarray  # gbt: (trees,) class each tree adds to; rf: empty
    base: np.ndarray  # gbt: (classes,) initial fixed-point scores; rf: zeros
    scale_log2: int = 0  # gbt: fixed-point units per 1.0 = 2**scale_log2
    leaf_one: int = FOREST_ONE  # rf: a leaf row's sum (probability 1.0)
    params: dict[str, Any] = field(default_factory=dict)

    # -- figures ---------------------------------------------------------------------------------

    @property
    def trees(self) -> int:
        return int(len(self.roots))

    @property
    def internal_nodes(self) -> int:
        return int(len(self.feature))

    @property
    def leaves(self) -> int:
        return int(len(self.leaf_values))

    @property
    def max_depth(self) -> int:
        depth = 0
        for root in self.roots:
            stack = [(int(root), 0)]
            while stack:
                node, d = stack.pop()
                if node < 0:
                    depth = max(depth, d)
                    continue
                stack.append((int(self.left[node]), d + 1))
                stack.append((int(self.right[node]), d + 1))
        return depth

    def model_hash(self) -> str:
        """First 16 hex digits of the sha256 of the JSON description (TS_MODEL_HASH)."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:16]

    # -- the deployed computation ----------------------------------------------------------------

    def leaf_indices(self, features: np.ndarray) -> np.ndarray:
        """(n, trees) leaf rows reached by float32 features (n, n_features)."""
        x = self._features(features)
        n = len(x)
        out = np.zeros((n, self.trees), dtype=np.int64)
        rows = np.arange(n)
        for t, root in enumerate(self.roots):
            node = np.full(n, int(root), dtype=np.int64)
            inner = node >= 0
            while inner.any():
                idx = rows[inner]
                nd = node[idx]
                go_left = x[idx, self.feature[nd]] <= self.threshold[nd]
                node[idx] = np.where(go_left, self.left[nd], self.right[nd])
                inner = node >= 0
            out[:, t] = -1 - node
        return out

    def class_sums(self, features: np.ndarray) -> np.ndarray:
        """(n, classes) int64: summed leaf distributions (rf) or fixed-point decision function (gbt)."""
        leaves = self.leaf_indices(features)
        n = len(leaves)
        if self.family == "rf":
            sums = np.zeros((n, self.n_classes), dtype=np.int64)
            for t in range(self.trees):
                sums += self.leaf_values[leaves[:, t]]
            return sums
        sums = np.tile(self.base.astype(np.int64), (n, 1))
        for t in range(self.trees):
            sums[:, int(self.tree_class[t])] += self.leaf_values[leaves[:, t]]
        return sums

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Predicted class indices (the first of equal best sums, as the C does)."""
        sums = self.class_sums(features)
        return np.argmax(sums, axis=1).astype(np.int64) if len(sums) else np.zeros(0, dtype=np.int64)

    def predict_scores(self, features: np.ndarray) -> np.ndarray:
        """(n, classes) int8 scores exactly as the generated C writes them (see ``output_quant``).

        rf: round(255 * sum_c / sum) - 128 (a probability); gbt: 127 - min(255, (best - score_c) >> shift)
        (the gap to the winner). A class before the winner that would tie it is lowered by one, so the
        argmax of the scores is always the predicted class."""
        sums = self.class_sums(features)
        n = len(sums)
        if n == 0:
            return np.zeros((0, self.n_classes), dtype=np.int8)
        pred = np.argmax(sums, axis=1)
        if self.family == "rf":
            total = sums.sum(axis=1, keepdims=True)
            q = (sums * 255 + total // 2) // np.maximum(total, 1) - 128
        else:
            gap = sums.max(axis=1, keepdims=True) - sums
            q = 127 - np.minimum(255, gap >> self.output_shift)
        top = q[np.arange(n), pred][:, None]
        before = np.arange(self.n_classes)[None, :] < pred[:, None]
        q = np.where(before & (q >= top), top - 1, q)
        return q.astype(np.int8)

    @property
    def output_shift(self) -> int:
        return max(0, self.scale_log2 - GBT_OUTPUT_STEPS_PER_UNIT_LOG2)

    @property
    def output_quant(self) -> tuple[float, int]:
        """(scale, zero point) of the int8 scores: a probability (rf) or the raw-score gap to the winner (gbt)."""
        if self.family == "rf":
            return 1.0 / 255.0, -128
        return float(2.0 ** (self.output_shift - self.scale_log2)), 127

    def _features(self, features: np.ndarray) -> np.ndarray:
        x = np.asarray(features, dtype=np.float32)
        x = x.reshape(len(x), -1)
        if len(x) and x.shape[1] != self.n_features:
            raise UserError(f"the features have {x.shape[1]} values but the model takes {self.n_features}")
        return x

    # -- storage ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "family": self.family,
            "n_features": self.n_features,
            "n_classes": self.n_classes,
            "roots": self.roots.tolist(),
            "feature": self.feature.tolist(),
            "threshold": [float(t) for t in self.threshold],  # float64 holds every float32 exactly
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "leaf_values": self.leaf_values.tolist(),
            "tree_class": self.tree_class.tolist(),
            "base": self.base.tolist(),
            "scale_log2": self.scale_log2,
            "leaf_one": self.leaf_one,
            "params": self.params,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TreeModel:
        try:
            if int(d.get("format", 0)) != FORMAT_VERSION:
                raise UserError(f"tree model format {d.get('format')} is not one this TinyStudio reads")
            model = cls(
                family=str(d["family"]), n_features=int(d["n_features"]), n_classes=int(d["n_classes"]),
                roots=np.asarray(d["roots"], dtype=np.int64), feature=np.asarray(d["feature"], dtype=np.int64),
                threshold=np.asarray(d["threshold"], dtype=np.float32),
                left=np.asarray(d["left"], dtype=np.int64), right=np.asarray(d["right"], dtype=np.int64),
                leaf_values=np.asarray(d["leaf_values"], dtype=np.int64),
                tree_class=np.asarray(d["tree_class"], dtype=np.int64), base=np.asarray(d["base"], dtype=np.int64),
                scale_log2=int(d["scale_log2"]), leaf_one=int(d.get("leaf_one", FOREST_ONE)),
                params=dict(d.get("params") or {}),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise UserError(f"the stored tree model is damaged ({type(exc).__name__}: {exc})") from None
        model.check()
        return model

    @classmethod
    def from_json(cls, text: str | bytes) -> TreeModel:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise UserError("the stored tree model is not valid JSON") from None
        if not isinstance(data, dict):
            raise UserError("the stored tree model is not a JSON object")
        return cls.from_dict(data)

    def check(self) -> None:
        """Refuse a description that would make the C read outside its arrays or loop forever."""
        inner, leaves = self.internal_nodes, self.leaves
        if self.family not in FAMILIES:
            raise UserError(f"unknown tree model family '{self.family}'")
        if self.n_features < 1 or self.n_classes < 2 or self.trees < 1:
            raise UserError("the stored tree model has no features, classes or trees")
        if not (len(self.threshold) == len(self.left) == len(self.right) == inner):
            raise UserError("the stored tree model's node arrays differ in length")
        if inner and (self.feature.min() < 0 or self.feature.max() >= self.n_features):
            raise UserError("the stored tree model reads a feature it does not have")
        for child in (self.left, self.right, self.roots):
            if len(child) and (child.max() >= inner or child.min() < -leaves):
                raise UserError("the stored tree model points outside its nodes")
        # children always point forward (node numbers grow with depth): walks end
        idx = np.arange(inner)
        if inner and ((self.left >= 0) & (self.left <= idx) | (self.right >= 0) & (self.right <= idx)).any():
            raise UserError("the stored tree model has a cycle")
        if self.family == "rf":
            if self.leaf_values.shape != (leaves, self.n_classes):
                raise UserError("the stored forest's leaf table has the wrong shape")
            if not 1 <= self.leaf_one <= forest_one(self.trees) or (self.leaf_values < 0).any() or \
                    (self.leaf_values.sum(axis=1) != self.leaf_one).any():
                raise UserError("the stored forest's leaf rows do not each sum to its probability 1.0")
        elif self.leaf_values.shape != (leaves,) or self.tree_class.shape != (self.trees,) or \
                self.base.shape != (self.n_classes,):
            raise UserError("the stored boosted model's tables have the wrong shape")


# -- from scikit-learn ------------------------------------------------------------------------------


class _Builder:
    """Appends scikit-learn trees to shared flat arrays (internal nodes in depth-first preorder)."""

    def __init__(self) -> None:
        self.feature: list[int] = []
        self.threshold: list[np.float32] = []
        self.left: list[int] = []
        self.right: list[int] = []
        self.leaves: list[Any] = []
        self.roots: list[int] = []

    def add(self, tree: Any, leaf_value: Any) -> None:
        """Append one sklearn ``tree_``; ``leaf_value(node)`` gives a leaf's stored value."""
        cl, cr = tree.children_left, tree.children_right

        def visit(node: int) -> int:
            if cl[node] == cr[node]:  # TREE_LEAF on both sides
                self.leaves.append(leaf_value(node))
                return -len(self.leaves)
            me = len(self.feature)
            self.feature.append(int(tree.feature[node]))
            self.threshold.append(round_threshold(float(tree.threshold[node])))
            self.left.append(0)
            self.right.append(0)
            self.left[me] = visit(int(cl[node]))
            self.right[me] = visit(int(cr[node]))
            return me

        self.roots.append(_iterative(visit, 0))

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "roots": np.asarray(self.roots, dtype=np.int64),
            "feature": np.asarray(self.feature, dtype=np.int64),
            "threshold": np.asarray(self.threshold, dtype=np.float32),
            "left": np.asarray(self.left, dtype=np.int64),
            "right": np.asarray(self.right, dtype=np.int64),
        }


def _iterative(visit: Any, node: int) -> int:
    """Run the recursive ``visit`` with enough recursion room for deep trees."""
    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        return int(visit(node))
    finally:
        sys.setrecursionlimit(limit)


def _check_data(features: np.ndarray, labels: np.ndarray, classes: int) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(features, dtype=np.float32)
    x = x.reshape(len(x), -1)
    y = np.asarray(labels, dtype=np.int64)
    if len(x) < 2 or len(x) != len(y):
        raise UserError("training a tree model needs at least two windows with labels")
    if classes < 2:
        raise UserError("training needs at least two labels")
    if not np.isfinite(x).all():
        raise UserError("the features hold nan or inf values; a tree model cannot be trained on them")
    if len(np.unique(y)) < 2:
        raise UserError("the train split holds only one label: a tree model needs at least two")
    return x, y


def _params(family: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """The preset's defaults merged with ``params``, checked."""
    from tinystudio.core.models.presets import resolve_model_params

    p = resolve_model_params(family, params)
    for key in ("trees", "max_depth", "min_samples_leaf"):
        if p[key] < 1:
            raise UserError(f"tree model parameter '{key}' must be at least 1")
    if family == "gbt" and not 0.0 < p["shrinkage"] <= 1.0:
        raise UserError("tree model parameter 'shrinkage' must be in (0, 1]")
    return p



def fit_forest(features: np.ndarray, labels: np.ndarray, classes: int, params: dict[str, Any] | None = None,
               seed: int = 1, sample_weight: np.ndarray | None = None) -> TreeModel:
    """A random forest (scikit-learn; ``trees``, ``max_depth``, ``min_samples_leaf``, sqrt of the features
    tried per split; ``split`` random: extremely randomised trees, see ``models.presets.FOREST_SPLITS``) on
    float32 features (n, ...) and label indices in [0, classes)."""
    from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier

    p = _params("rf", params)
    x, y = _check_data(features, labels, classes)
    kind = ExtraTreesClassifier if p["split"] == "random" else RandomForestClassifier
    clf = kind(
        n_estimators=p["trees"], max_depth=p["max_depth"], min_samples_leaf=p["min_samples_leaf"],
        max_features="sqrt", random_state=int(seed), n_jobs=1,
    )
    clf.fit(x, y, sample_weight=sample_weight)
    return from_sklearn_forest(clf, x.shape[1], classes, p)


def forest_one(trees: int) -> int:
    """A forest leaf's probability 1.0: FOREST_ONE, or less so that 255 * (trees * one) + half of it fits
    32 bits (the C's integer rounding of the averaged probability)."""
    return max(1, min(FOREST_ONE, int(_U32 // (255.5 * max(1, trees)))))


def distribution_row(dist: np.ndarray, one: int) -> np.ndarray:
    """Non-negative integers summing to exactly ``one``, closest to ``dist`` normalised (largest remainder)."""
    total = float(dist.sum())
    if total <= 0:
        dist, total = np.ones_like(dist), float(len(dist))
    exact = dist / total * one
    row = np.floor(exact).astype(np.int64)
    short = one - int(row.sum())
    if short > 0:
        order = np.argsort(-(exact - row), kind="stable")  # ties: the lower class first
        row[order[:short]] += 1
    return row


def from_sklearn_forest(clf: Any, n_features: int, classes: int, params: dict[str, Any] | None = None) -> TreeModel:
    """The deployed form of a fitted ``RandomForestClassifier`` or ``ExtraTreesClassifier`` (class indices as
    labels)."""
    present = np.asarray(clf.classes_, dtype=np.int64)
    one = forest_one(len(clf.estimators_))
    b = _Builder()
    for est in clf.estimators_:
        tree = est.tree_

        def leaf(node: int, tree: Any = tree) -> np.ndarray:
            row = np.zeros(classes, dtype=np.int64)
            row[present] = distribution_row(np.asarray(tree.value[node][0], dtype=np.float64), one)
            return row

        b.add(tree, leaf)
    return TreeModel(
        family="rf", n_features=int(n_features), n_classes=int(classes), **b.arrays(),
        leaf_values=np.asarray(b.leaves, dtype=np.int64).reshape(-1, classes),
        tree_class=np.zeros(0, dtype=np.int64), base=np.zeros(classes, dtype=np.int64), leaf_one=one,
        params=dict(params or {}),
    )


def fit_gbt(features: np.ndarray, labels: np.ndarray, classes: int, params: dict[str, Any] | None = None,
            seed: int = 1, sample_weight: np.ndarray | None = None) -> TreeModel:
    """Gradient-boosted trees (scikit-learn's GradientBoostingClassifier; ``trees`` boosting stages of
    ``max_depth``, learning rate ``shrinkage``) on float32 features."""
    from sklearn.ensemble import GradientBoostingClassifier

    p = _params("gbt", params)
    x, y = _check_data(features, labels, classes)
    clf = GradientBoostingClassifier(
        n_estimators=p["trees"], max_depth=p["max_depth"], learning_rate=p["shrinkage"],
        min_samples_leaf=p["min_samples_leaf"], random_state=int(seed),
    )
    clf.fit(x, y, sample_weight=sample_weight)
    return from_sklearn_gbt(clf, x[:1], classes, p)


def from_sklearn_gbt(clf: Any, x0: np.ndarray, classes: int, params: dict[str, Any] | None = None) -> TreeModel:
    """The deployed form of a fitted ``GradientBoostingClassifier``; ``x0``: any one feature row."""
    present = np.asarray(clf.classes_, dtype=np.int64)
    lr = float(clf.learning_rate)
    init = np.asarray(clf._raw_predict_init(np.asarray(x0, dtype=np.float32)), dtype=np.float64)[0]
    stages = clf.estimators_  # (stages, K) regressors; K = 1 for two classes
    k = stages.shape[1]
    owners = [int(present[1])] if k == 1 else [int(c) for c in present]
    # fixed-point scale: the largest power of two keeping every class sum below GBT_SCORE_BOUND
    bound = np.abs(init).max() if len(init) else 0.0
    worst = np.zeros(k)
    for stage in stages:
        for j in range(k):
            worst[j] += lr * float(np.abs(stage[j].tree_.value).max())
    bound = float(bound + worst.max() + 1.0)
    scale_log2 = min(GBT_MAX_SHIFT, int(math.floor(math.log2(GBT_SCORE_BOUND / bound))))
    scale = 2.0 ** scale_log2
    base = np.full(classes, -GBT_SCORE_BOUND, dtype=np.int64)  # classes absent from training never win
    if k == 1:
        # scikit-learn predicts the second class when the raw score >= 0: the first class scores -1 unit
        base[present[0]] = -1
        base[present[1]] = int(np.rint(init[0] * scale))
    else:
        for j, c in enumerate(present):
            base[c] = int(np.rint(init[j] * scale))
    b = _Builder()
    tree_class: list[int] = []
    for stage in stages:
        for j in range(k):
            tree = stage[j].tree_

            def leaf(node: int, tree: Any = tree) -> int:
                return int(np.rint(lr * float(tree.value[node][0][0]) * scale))

            b.add(tree, leaf)
            tree_class.append(owners[j])
    return TreeModel(
        family="gbt", n_features=int(clf.n_features_in_), n_classes=int(classes), **b.arrays(),
        leaf_values=np.asarray(b.leaves, dtype=np.int64), tree_class=np.asarray(tree_class, dtype=np.int64),
        base=base, scale_log2=scale_log2, params=dict(params or {}),
    )


def fit_model(family: str, features: np.ndarray, labels: np.ndarray, classes: int,
              params: dict[str, Any] | None = None, seed: int = 1,
              sample_weight: np.ndarray | None = None) -> TreeModel:
    """``fit_forest`` or ``fit_gbt`` by family name; ``sample_weight`` (n,) weighs the training windows."""
    if family == "rf":
        return fit_forest(features, labels, classes, params, seed, sample_weight)
    if family == "gbt":
        return fit_gbt(features, labels, classes, params, seed, sample_weight)
    raise UserError(f"unknown tree model family '{family}' (choose from {', '.join(FAMILIES)})")
