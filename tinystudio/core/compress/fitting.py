"""Fine-tuning loops shared by the compression methods: Keras ``fit`` reporting each epoch to a progress
callback and stopping at the next batch when the user cancels."""

from __future__ import annotations

from typing import Any

import numpy as np

from tinystudio.core.errors import Cancelled
from tinystudio.core.models.keras_builder import cancellable_callback
from tinystudio.core.progress import CancelToken, Progress


def fit(
    keras: Any,
    model: Any,
    x: np.ndarray,
    y: np.ndarray,
    epochs: int,
    batch_size: int,
    progress: Progress,
    cancel: CancelToken,
    what: str,
    callbacks: list[Any] | None = None,
) -> list[float]:
    """Train ``model`` (compiled) for ``epochs``; returns the loss after each epoch."""
    losses: list[float] = []

    class _Hooks(cancellable_callback(keras, cancel)):  # type: ignore[misc]
        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            if self.cancelled:  # a partial epoch after Cancel: not worth reporting
                return
            loss = float((logs or {}).get("loss", np.nan))
            losses.append(loss)
            progress((epoch + 1) / epochs, f"{what}: epoch {epoch + 1}/{epochs}, loss {loss:.4f}")

    hooks = _Hooks()
    model.fit(x, y, epochs=epochs, batch_size=batch_size, shuffle=True, verbose=0,
              callbacks=[hooks, *(callbacks or [])])
    if hooks.cancelled:
        raise Cancelled(f"{what} cancelled")
    return losses


def steps_per_epoch(n: int, batch_size: int) -> int:
    return max(1, -(-n // batch_size))
