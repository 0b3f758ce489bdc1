"""Shared test setup: Qt runs offscreen, TensorFlow stays quiet."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
