"""Opening the app must stay fast: the training modules import TensorFlow only when training starts."""

from __future__ import annotations

import subprocess
import sys


def test_training_modules_do_not_import_tensorflow():
    code = (
        "import sys\n"
        "import tinystudio.core, tinystudio.core.training, tinystudio.core.features, tinystudio.core.dsp\n"
        "import tinystudio.cli.cmd_train, tinystudio.gui.pages.train_page\n"
        "bad = [m for m in ('tensorflow', 'tf_keras', 'keras') if m in sys.modules]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
