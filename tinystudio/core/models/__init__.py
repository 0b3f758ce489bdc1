"""Model presets for microcontrollers, their framework-free size estimate, and the Keras builder (lazy TF)."""

from tinystudio.core.models.presets import NN_PRESETS, PRESETS, Preset, is_classical, model_spec
from tinystudio.core.models.spec import Layer, ModelSpec

__all__ = ["NN_PRESETS", "PRESETS", "Layer", "ModelSpec", "Preset", "is_classical", "model_spec"]
