"""Build hook: the top-level firmware/ and resources/ folders ship inside the package as
tinystudio/_data/firmware and tinystudio/_data/resources (every file, subfolders included), so an installed
TinyStudio can build firmware and run the simulated board. Everything else is declared in pyproject.toml.
An editable install copies nothing: tinystudio.core.paths then finds the folders in the checkout."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("firmware", "resources")
SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.o", ".*")


class BuildPyWithData(build_py):
    """build_py that also copies the shipped folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in SHIPPED:
            target = Path(self.build_lib) / "tinystudio" / "_data" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target, ignore=SKIPPED)


setup(cmdclass={"build_py": BuildPyWithData})
