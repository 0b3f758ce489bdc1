"""TinyStudio: capture sensor data, train and compress models, flash and test them on boards."""

__version__ = "0.1.0"
