"""Qt-free domain layer: project store, formats, split, windows, DSP, training, codegen.

Importing this package must stay cheap: TensorFlow is only imported inside the modules that
train or convert models.
"""
