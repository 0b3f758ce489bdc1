"""Model presets for microcontrollers, their framework-free size estimate, and the Keras builder (lazy TF)."""

from tinystudio.core.models.presets import PRESETS, Preset, model_spec
from tinystudio.core.models.spec import Layer, ModelSpec

__all__ = ["PRESETS", "Layer", "ModelSpec", "Preset", "model_spec"]
