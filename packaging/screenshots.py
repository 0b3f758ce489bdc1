"""Regenerate the README's screenshots (docs/screenshots/*.png) from the real app.

Starts TinyStudio offscreen at 1280x800 on a new project in a temporary folder and walks every step as a
user does, through the pages' own controls: record three activities from the simulated board (Device),
split (Data), train (Impulse / Train), prune besides the int8 variant (Compress), build, flash and test on the bench
board (Deploy). Takes a few minutes (the recordings are real time).

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1280, 800)
ACTIVITIES = ("pendulum", "abduction", "forward_elevation")
RECORDINGS = 5  # per activity
SECONDS = 5.0  # per recording
EPOCHS = 60


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="tinystudio-shots-"))
    # scratch settings and logs; a light theme whatever this machine's scheme is, so the pictures agree
    os.environ.update(XDG_CONFIG_HOME=str(scratch / "config"), XDG_STATE_HOME=str(scratch / "state"),
                      TINYSTUDIO_THEME="light")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QSettings

    from tinystudio.core.store import Project
    from tinystudio.gui.app import prepare_app
    from tinystudio.gui.context import AppContext
    from tinystudio.gui.main_window import MainWindow

    app = prepare_app()
    context = AppContext(settings=QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(context)
    window.resize(*SIZE)
    window.show()
    context.set_project(Project.create(scratch / "shoulder-exercises.tsproj"))
    args.out.mkdir(parents=True, exist_ok=True)

    def wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit(f"screenshots: gave up waiting for {what}")
            app.processEvents()
            time.sleep(0.02)

    def settle(seconds: float = 0.5) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shoot(name: str) -> None:
        settle()
        image = window.grab().toImage()
        path = args.out / name
        if not image.save(str(path), "PNG", 0):  # quality 0: the smallest PNG
            raise SystemExit(f"screenshots: cannot write {path}")
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")

    def finished(page: object) -> Callable[[], bool]:
        return lambda: getattr(page, "worker", None) is None

    def check(page: object) -> None:
        error = getattr(page, "last_error", "")
        if error:
            raise SystemExit(f"screenshots: {type(page).__name__} failed: {error}")

    # 1. Device: the simulated board streams; record every activity a few times
    device = window.show_step("Device")
    device.select_simulated()
    if device.session is None and not device.connect_port():
        raise SystemExit("screenshots: the simulated board did not connect")
    wait(lambda: device.session is not None and device.session.status().rate_hz is not None, 20, "the board")
    device.seconds_box.setValue(SECONDS)
    for activity in ACTIVITIES:
        device.activity_box.setCurrentText(activity)
        device.label_box.setCurrentText(activity)
        for i in range(RECORDINGS):
            before = len(context.project.samples())
            device.record_button.click()
            if activity == ACTIVITIES[-1] and i == RECORDINGS - 1:
                settle(SECONDS / 2)
                shoot("1-device.png")  # recording, with the counts per label so far
            wait(lambda before=before: len(context.project.samples()) > before and not device.session.recording,
                 SECONDS + 20, "a recording")
    device.disconnect_port()

    # 2. Data: split 70/15/15 and look at one recording
    data = window.show_step("Data")
    data.split_button.click()
    data.table.selectRow(2)
    shoot("2-data.png")

    # 3. Impulse / Train: the suggested impulse, trained
    train = window.show_step("Impulse / Train")
    train.form.epochs.setValue(EPOCHS)
    train.train_button.click()
    wait(finished(train), 600, "the training")
    check(train)
    shoot("3-train.png")

    # 4. Compress: pruning, compared with the int8 variant the training made
    compress = window.show_step("Compress")
    have_ptq = any(v["config"].get("method") == "ptq" for v in context.project.variants())
    for method, check_box in compress.method_checks.items():
        check_box.setChecked(method == "prune" or (method == "ptq" and not have_ptq))
    compress.compress_button.click()
    wait(finished(compress), 900, "the compression")
    check(compress)
    shoot("4-compress.png")

    # 5. Deploy: build, flash and test on the emulated Cortex-M4 board
    deploy = window.show_step("Deploy")
    deploy.deploy_button.click()
    wait(finished(deploy), 600, "the deploy")
    check(deploy)
    shoot("5-deploy.png")

    window.close()
    total = sum(p.stat().st_size for p in args.out.glob("*.png"))
    print(f"total {total // 1024} KB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
