"""Search over impulses under a board's budget: the search space as pluggable model families, the latency
model, one trial's fit and measurement, and the Optuna study that runs trials in worker processes or on a
Ray cluster and returns a Pareto front. No Qt; TensorFlow, Optuna and Ray load only when a search runs."""

from tinystudio.core.search.latency import LatencyModel
from tinystudio.core.search.outcome import Budget, TrialOutcome, TuneResult, pareto_front

__all__ = ["Budget", "LatencyModel", "TrialOutcome", "TuneResult", "pareto_front"]
