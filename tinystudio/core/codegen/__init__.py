"""Compile a full-integer int8 .tflite model into self-contained C99 with a static memory plan."""
