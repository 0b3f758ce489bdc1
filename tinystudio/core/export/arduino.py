"""The Arduino library export: one zip holding library.properties, src/ (the C library without its main.c)
and, for each supported board, a data-collection sketch and an inference sketch reading the board's
on-board IMU (or PDM microphone for an audio project) with the board's usual Arduino sensor library.

The data-collection sketches print a header line with the project's axis names, then one CSV line per
reading at the project's rate in the project's axis order: what TinyStudio's capture reads."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Protocol

from tinystudio.core.codegen.emit import c_float
from tinystudio.core.export.clib import c_library_files
from tinystudio.core.export.facts import ImpulseFacts
from tinystudio.core.export.library_model import LibraryModel

AUDIO_MIN_RATE_HZ = 4000.0  # a one-axis project at this rate or faster is sound, recorded by the microphone
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so the same variant always gives the same zip


@dataclass(frozen=True)
class SketchBoard:
    """A board the sketches are written for: its sensor library and how it reads its IMU."""

    key: str
    title: str
    fqbn: str
    imu_library: str | None  # header of the board's IMU library; None: the generic I2C example
    has_magnetometer: bool
    has_pdm_microphone: bool


BOARDS = (
    SketchBoard("nano33ble", "Arduino Nano 33 BLE Sense", "arduino:mbed_nano:nano33ble",
                "Arduino_LSM9DS1", True, True),
    SketchBoard("nano33ble_rev2", "Arduino Nano 33 BLE Sense Rev2", "arduino:mbed_nano:nano33ble",
                "Arduino_BMI270_BMM150", True, True),
    SketchBoard("nanorp2040", "Arduino Nano RP2040 Connect", "arduino:mbed_nano:nanorp2040connect",
                "Arduino_LSM6DSOX", False, True),
    SketchBoard("esp32", "ESP32 (MPU-6050 on I2C, or analog inputs)", "esp32:esp32:esp32", None, False, False),
)

_KINDS = (("acc", "a"), ("gyr", "g"), ("mag", "m"))
IMU_AXES = ("accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ")
MAG_AXES = ("magX", "magY", "magZ")


class StreamFacts(Protocol):
    """What a data-collection sketch needs: a title, the axes in order and the rate (ImpulseFacts has them)."""

    @property
    def name(self) -> str: ...
    @property
    def axis_names(self) -> list[str]: ...
    @property
    def rate_hz(self) -> float: ...


@dataclass(frozen=True)
class BoardStream:
    """The stream of a board without a project: all of its IMU's axes."""

    name: str
    axis_names: list[str]
    rate_hz: float


def sketch_board(key: str) -> SketchBoard:
    for board in BOARDS:
        if board.key == key:
            return board
    raise KeyError(key)


def collector_sketch(key: str, rate_hz: float) -> str:
    """The data-collection sketch of board ``key`` streaming every axis of its IMU at ``rate_hz``."""
    board = sketch_board(key)
    axes = [*IMU_AXES, *(MAG_AXES if board.has_magnetometer else ())]
    return _imu_sketch(BoardStream("data collection", axes, rate_hz), board, "TinyStudio", False)


def library_name(project: str) -> str:
    """An Arduino library name for the project: letters, digits and underscores, starting with a letter."""
    safe = re.sub(r"[^A-Za-z0-9_]+", "_", project).strip("_") or "model"
    return f"TinyStudio_{safe}"


def channel(axis: str) -> str | None:
    """The IMU variable (ax .. mz) a project axis name stands for, e.g. accX -> ax, gyr_z -> gz; None if unknown."""
    name = axis.strip().lower().replace("_", "").replace("-", "").replace(".", "")
    if not name or name[-1] not in "xyz":
        return None
    stem = name[:-1]
    for long, short in _KINDS:
        if stem == short or stem.startswith(long):
            return f"{short}{name[-1]}"
    return None


def is_audio(facts: ImpulseFacts) -> bool:
    return facts.block.axes == 1 and facts.rate_hz >= AUDIO_MIN_RATE_HZ


def _values(facts: StreamFacts, board: SketchBoard) -> list[tuple[str, str]]:
    """(C expression, note) per project axis, in the project's order."""
    out = []
    for axis in facts.axis_names:
        var = channel(axis)
        if var is None or (var[0] == "m" and not board.has_magnetometer):
            out.append(("0.0f", f"no on-board sensor gives '{axis}': connect yours here"))
        else:
            out.append((var, ""))
    return out


def _imu_read(board: SketchBoard) -> tuple[str, str, str]:
    """(includes, setup code, read function body) for the board's IMU."""
    if board.imu_library is not None:
        mag = ("  if (IMU.magneticFieldAvailable()) {\n    IMU.readMagneticField(mx, my, mz);\n  }\n"
               if board.has_magnetometer else "")
        return (
            f"#include <{board.imu_library}.h>\n",
            "  if (!IMU.begin()) {\n    Serial.println(\"# the IMU did not start\");\n    while (1) {\n    }\n  }\n",
            "  if (IMU.accelerationAvailable()) {\n    IMU.readAcceleration(ax, ay, az);  // g\n  }\n"
            "  if (IMU.gyroscopeAvailable()) {\n    IMU.readGyroscope(gx, gy, gz);  // degrees per second\n  }\n"
            + mag,
        )
    return (
        "#include <Wire.h>\n\n"
        "// Generic ESP32 wiring: an MPU-6050 breakout on I2C (SDA 21, SCL 22, address 0x68), read through its\n"
        "// registers, so no extra library is needed. For analog sensors instead, replace readSensors() with\n"
        "// analogRead() of your pins (e.g. ax = analogRead(34) * (3.3f / 4095.0f);).\n"
        "static const uint8_t MPU_ADDR = 0x68;\n",
        "  Wire.begin();\n  Wire.beginTransmission(MPU_ADDR);\n  Wire.write(0x6B);  // PWR_MGMT_1: wake up\n"
        "  Wire.write(0);\n  if (Wire.endTransmission() != 0) {\n"
        "    Serial.println(\"# no MPU-6050 at 0x68: check the wiring\");\n  }\n",
        "  int16_t raw[7];\n  Wire.beginTransmission(MPU_ADDR);\n  Wire.write(0x3B);  // ACCEL_XOUT_H\n"
        "  Wire.endTransmission(false);\n  Wire.requestFrom((int)MPU_ADDR, 14);\n"
        "  for (int i = 0; i < 7 && Wire.available() >= 2; i++) {\n"
        "    raw[i] = (int16_t)((Wire.read() << 8) | Wire.read());\n  }\n"
        "  ax = raw[0] / 16384.0f;  // g at +-2 g\n  ay = raw[1] / 16384.0f;\n  az = raw[2] / 16384.0f;\n"
        "  gx = raw[4] / 131.0f;  // degrees per second at +-250\n  gy = raw[5] / 131.0f;\n  gz = raw[6] / 131.0f;\n",
    )


def _timing(facts: StreamFacts) -> str:
    interval = max(1, round(1e6 / facts.rate_hz))
    return (f"static const float RATE_HZ = {c_float(facts.rate_hz)};\n"
            f"static const unsigned long INTERVAL_US = {interval}UL;  // one reading every 1 / RATE_HZ s\n")


def _imu_sketch(facts: StreamFacts, board: SketchBoard, lib: str, infer: bool) -> str:
    includes, setup, read = _imu_read(board)
    values = _values(facts, board)
    header = ",".join(facts.axis_names)
    notes = "".join(f"//   {axis}: {note}\n" for axis, (_v, note) in zip(facts.axis_names, values, strict=True)
                    if note)
    fill = "".join(f"  out[{i}] = {v};\n" for i, (v, _n) in enumerate(values))
    purpose = ("runs the impulse on the last window every stride and prints the prediction" if infer else
               "prints one CSV line per reading for TinyStudio's capture")
    head = (f"// {lib}: {board.title}, {purpose}.\n"
            f"// Axes in this order: {header}; {facts.rate_hz:g} Hz. Units: acceleration in g, rotation\n"
            "// in degrees per second, magnetic field in microtesla: record with this sketch so training data and\n"
            "// the board agree.\n" + (notes and "// Axes without an on-board sensor (sent as 0):\n" + notes))
    common = (
        head + includes + (f'#include <{lib}.h>\n' if infer else "") + "\n" + _timing(facts)
        + f"static const int AXES = {len(facts.axis_names)};\n"
        "static float ax, ay, az, gx, gy, gz, mx, my, mz;\n\n"
        "static void readSensors() {\n" + read + "}\n\n"
        "static void reading(float *out) {\n  readSensors();\n" + fill + "}\n\n"
    )
    if not infer:
        return common + (
            "void setup() {\n  Serial.begin(115200);\n  while (!Serial) {\n  }\n" + setup
            + f'  Serial.println("# TinyStudio data collection: {facts.name} at {facts.rate_hz:g} Hz");\n'
            + f'  Serial.println("{header}");\n}}\n\n'
            "void loop() {\n  static unsigned long next = micros();\n  float v[AXES];\n"
            "  if ((long)(micros() - next) < 0) {\n    return;\n  }\n  next += INTERVAL_US;\n  reading(v);\n"
            "  for (int i = 0; i < AXES; i++) {\n    if (i > 0) {\n      Serial.print(',');\n    }\n"
            "    Serial.print(v[i], 4);\n  }\n  Serial.println();\n}\n"
        )
    return common + (
        "static float window[TS_IMPULSE_RAW_VALUES];  // the last TS_IMPULSE_FRAMES readings, oldest first\n"
        "static unsigned long frames = 0;\n\n"
        "void setup() {\n  Serial.begin(115200);\n  while (!Serial) {\n  }\n" + setup + "}\n\n"
        "void loop() {\n  static unsigned long next = micros();\n  float v[AXES];\n"
        "  int8_t scores[TS_IMPULSE_LABEL_COUNT];\n"
        "  if ((long)(micros() - next) < 0) {\n    return;\n  }\n  next += INTERVAL_US;\n  reading(v);\n"
        "  memmove(window, window + AXES, sizeof(window) - AXES * sizeof(float));\n"
        "  memcpy(window + TS_IMPULSE_RAW_VALUES - AXES, v, AXES * sizeof(float));\n  frames++;\n"
        "  if (frames < TS_IMPULSE_FRAMES || (frames - TS_IMPULSE_FRAMES) % TS_IMPULSE_STRIDE_FRAMES != 0) {\n"
        "    return;\n  }\n  if (ts_impulse_run(window, scores) != 0) {\n"
        "    Serial.println(\"# the impulse failed\");\n"
        "    return;\n  }\n  for (unsigned i = 0; i < TS_IMPULSE_LABEL_COUNT; i++) {\n"
        "    Serial.print(ts_impulse_labels[i]);\n    Serial.print(':');\n"
        "    Serial.print(ts_impulse_score(scores[i]), 3);\n    Serial.print(' ');\n  }\n"
        "  Serial.print(\"prediction:\");\n  Serial.println(ts_impulse_labels[ts_impulse_top(scores)]);\n}\n"
    )


def _audio_sketch(facts: ImpulseFacts, board: SketchBoard, lib: str, infer: bool) -> str:
    rate = int(round(facts.rate_hz))
    name = facts.axis_names[0]
    head = (f"// {lib}: {board.title}, the on-board PDM microphone at {rate} Hz, "
            + ("runs the impulse on the last window every stride.\n" if infer else
               "one CSV line per sample for TinyStudio's capture (sample / 32768, as a WAV import reads it).\n")
            + "#include <PDM.h>\n" + (f"#include <{lib}.h>\n" if infer else "") + "\n"
            "static volatile int16_t pdmBuffer[512];\nstatic volatile int pdmCount = 0;\n\n"
            "static void onPdm() {\n  int bytes = PDM.available();\n"
            "  PDM.read((void *)pdmBuffer, bytes);\n  pdmCount = bytes / 2;\n}\n\n"
            "static void startMicrophone() {\n  PDM.onReceive(onPdm);\n"
            f"  if (!PDM.begin(1, {rate})) {{\n    Serial.println(\"# the microphone did not start\");\n"
            "    while (1) {\n    }\n  }\n}\n\n")
    if not infer:
        return head + (
            "void setup() {\n  Serial.begin(115200);\n  while (!Serial) {\n  }\n"
            f'  Serial.println("# TinyStudio data collection: {facts.name} at {rate} Hz");\n'
            f'  Serial.println("{name}");\n  startMicrophone();\n}}\n\n'
            "void loop() {\n  if (pdmCount == 0) {\n    return;\n  }\n  int n = pdmCount;\n  pdmCount = 0;\n"
            "  for (int i = 0; i < n; i++) {\n    Serial.println(pdmBuffer[i] / 32768.0f, 5);\n  }\n}\n"
        )
    return head + (
        "static float window[TS_IMPULSE_RAW_VALUES];\nstatic unsigned long samples = 0;\n\n"
        "void setup() {\n  Serial.begin(115200);\n  while (!Serial) {\n  }\n  startMicrophone();\n}\n\n"
        "void loop() {\n  int8_t scores[TS_IMPULSE_LABEL_COUNT];\n  if (pdmCount == 0) {\n    return;\n  }\n"
        "  int n = pdmCount;\n  pdmCount = 0;\n  for (int i = 0; i < n; i++) {\n"
        "    memmove(window, window + 1, sizeof(window) - sizeof(float));\n"
        "    window[TS_IMPULSE_RAW_VALUES - 1] = pdmBuffer[i] / 32768.0f;\n    samples++;\n"
        "    if (samples >= TS_IMPULSE_FRAMES && (samples - TS_IMPULSE_FRAMES) % TS_IMPULSE_STRIDE_FRAMES == 0 &&\n"
        "        ts_impulse_run(window, scores) == 0) {\n"
        "      Serial.print(\"prediction:\");\n      Serial.println(ts_impulse_labels[ts_impulse_top(scores)]);\n"
        "    }\n  }\n}\n"
    )


def sketches(facts: ImpulseFacts, lib: str) -> dict[str, str]:
    """examples/<name>/<name>.ino -> text, a collection and an inference sketch per supported board."""
    audio = is_audio(facts)
    out: dict[str, str] = {}
    for board in BOARDS:
        if audio and not board.has_pdm_microphone:
            continue
        for infer, kind in ((False, "collect"), (True, "infer")):
            name = f"{board.key}_{kind}"
            make = _audio_sketch if audio else _imu_sketch
            out[f"examples/{name}/{name}.ino"] = make(facts, board, lib, infer)
    return out


def library_properties(facts: ImpulseFacts, lib: str, audio: bool) -> str:
    depends = "" if audio else "depends=" + ", ".join(b.imu_library for b in BOARDS if b.imu_library) + "\n"
    return (
        f"name={lib}\nversion=1.0.{facts.variant_id}\nauthor=TinyStudio\nmaintainer=TinyStudio\n"
        f"sentence=The {facts.name} impulse (labels: {', '.join(facts.labels)}) as a C library.\n"
        f"paragraph=Raw {facts.rate_hz:g} Hz window of {', '.join(facts.axis_names)} in, one score per label out. "
        "Examples: data collection and inference for each supported board.\n"
        "category=Data Processing\nurl=\narchitectures=*\n"
        f"includes={lib}.h\n" + depends
    )


def arduino_zip(model: LibraryModel, facts: ImpulseFacts, code_bytes: int | None = None
                ) -> tuple[str, bytes, dict[str, int | None]]:
    """(zip file name, zip bytes, memory figures) of the Arduino library of ``model`` (a network or trees)."""
    lib = library_name(facts.name)
    files, memory = c_library_files(model, facts, code_bytes)
    readme = files.pop("README.md")
    files.pop("main.c")
    entries: dict[str, str] = {f"src/{name}": text for name, text in files.items()}
    entries[f"src/{lib}.h"] = (f"/* {lib}.h - include this from a sketch: the impulse API of ts_impulse.h. */\n"
                               f"#ifndef {lib.upper()}_H\n#define {lib.upper()}_H\n\n"
                               "#include <string.h>\n\n#include \"ts_impulse.h\"\n\n#endif\n")
    audio = is_audio(facts)
    entries["library.properties"] = library_properties(facts, lib, audio)
    entries.update(sketches(facts, lib))
    boards = "\n".join(f"- {b.title} (`{b.fqbn}`): examples `{b.key}_collect` and `{b.key}_infer`"
                       for b in BOARDS if not audio or b.has_pdm_microphone)
    entries["README.md"] = (
        f"# {lib}\n\nArduino library of the {facts.name} impulse, generated by TinyStudio. Install it with "
        f"`arduino-cli lib install --zip-path {lib}.zip` (or Sketch > Include Library > Add .ZIP Library).\n\n"
        f"## Examples\n\n{boards}\n\nThe `_collect` sketches print a header line with the axis names, then one CSV "
        f"line per reading at {facts.rate_hz:g} Hz in the project's axis order: capture them with TinyStudio's "
        "Device page or `tinystudio capture --port PORT`. The `_infer` sketches run the impulse on the latest "
        "window every stride and print the scores.\n\n" + readme.split("\n", 1)[1]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{lib}/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return f"{lib}.zip", buffer.getvalue(), memory
