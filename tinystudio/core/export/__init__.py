"""Model exports a user takes elsewhere: a self-contained C library folder, an Arduino library zip, and the
int8 .tflite with its labels and impulse description. Each builds on the same ``ImpulseFacts``."""
