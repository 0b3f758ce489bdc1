"""The impulse form: window, DSP block (parameters built from the block's documented specs) and model
preset with its training hyperparameters. Reads and writes an ``ImpulseConfig``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tinystudio.core.dsp import BLOCKS, ParamSpec
from tinystudio.core.impulse import SHORT_POLICIES, DspConfig, ImpulseConfig, ModelConfig, WindowConfig
from tinystudio.core.models import PRESETS
from tinystudio.gui.widgets.form_scroll import compact_combo, form_rows


def _editor(spec: ParamSpec, value: Any) -> QWidget:
    if spec.choices is not None:
        w = QComboBox()
        w.addItems([str(c) for c in spec.choices])
        w.setCurrentText(str(value))
    elif isinstance(spec.default, bool):
        w = QCheckBox()
        w.setChecked(bool(value))
    elif isinstance(spec.default, int):
        w = QSpinBox()
        w.setRange(int(spec.minimum if spec.minimum is not None else -10**6),
                   int(spec.maximum if spec.maximum is not None else 10**6))
        w.setValue(int(value))
    else:
        w = QDoubleSpinBox()
        w.setDecimals(3)
        low = spec.minimum if spec.minimum is not None else -1e6
        w.setRange(low, spec.maximum if spec.maximum is not None else 1e6)
        w.setValue(float(value))
    w.setToolTip(spec.doc)
    if isinstance(w, QComboBox):
        compact_combo(w, 8)
    return w


def _model_editor(default: Any, value: Any, choices: tuple[str, ...] | None) -> QWidget:
    """A model parameter: a list of its ``choices``, or text (lists of layer sizes comma-separated)."""
    if choices:
        combo = compact_combo(QComboBox())
        combo.addItems(list(choices))
        combo.setCurrentText(str(value) if str(value) in choices else str(default))
        combo.setToolTip(f"default {default}")
        return combo
    w = QLineEdit(", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value))
    w.setToolTip("comma-separated sizes" if isinstance(default, list) else f"default {default}")
    return w


def _chooser(layout: QVBoxLayout, title: str, label: str, choices: dict[str, str]) -> tuple[QFormLayout, QComboBox]:
    """A group box titled ``title`` with a combo box of ``choices`` (name: shown title) as its first row."""
    box = QGroupBox(title)
    form = form_rows(QFormLayout(box))
    combo = compact_combo(QComboBox())
    for name, text in choices.items():
        combo.addItem(text, name)
    form.addRow(label, combo)
    layout.addWidget(box)
    return form, combo


def _value(w: QWidget) -> Any:
    if isinstance(w, QComboBox):
        return w.currentText()
    if isinstance(w, QCheckBox):
        return w.isChecked()
    if isinstance(w, QSpinBox | QDoubleSpinBox):
        return w.value()
    if isinstance(w, QLineEdit):
        return w.text()
    return None


def _connect(w: QWidget, slot: Any) -> None:
    if isinstance(w, QComboBox):
        w.currentTextChanged.connect(slot)
    elif isinstance(w, QCheckBox):
        w.toggled.connect(slot)
    elif isinstance(w, QSpinBox | QDoubleSpinBox):
        w.valueChanged.connect(slot)
    elif isinstance(w, QLineEdit):
        w.editingFinished.connect(slot)


class ImpulseForm(QWidget):
    """Editable impulse settings; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        box = QGroupBox("Window")
        form = form_rows(QFormLayout(box))
        self.window_ms = QDoubleSpinBox(decimals=0, minimum=1, maximum=600000, suffix=" ms")
        self.stride_ms = QDoubleSpinBox(decimals=0, minimum=1, maximum=600000, suffix=" ms")
        self.short_policy = QComboBox()
        self.short_policy.addItems(SHORT_POLICIES)
        self.short_policy.setToolTip("pad: a recording shorter than one window is zero-padded to one window;"
                                     " drop: it is left out")
        form.addRow("Window length", self.window_ms)
        form.addRow("Stride", self.stride_ms)
        form.addRow("Shorter recordings", self.short_policy)
        layout.addWidget(box)

        self.dsp_layout, self.dsp_block = _chooser(layout, "DSP block", "Block",
                                                   {name: cls.title for name, cls in BLOCKS.items()})
        self.dsp_editors: dict[str, QWidget] = {}
        self.model_layout, self.preset = _chooser(layout, "Model", "Preset",
                                                  {name: preset.title for name, preset in PRESETS.items()})
        self.model_editors: dict[str, QLineEdit] = {}

        box = QGroupBox("Training")
        form = form_rows(QFormLayout(box))
        self.epochs = QSpinBox(minimum=1, maximum=10000)
        self.learning_rate = QDoubleSpinBox(decimals=5, minimum=0.00001, maximum=1.0, singleStep=0.001)
        self.batch_size = QSpinBox(minimum=1, maximum=4096)
        self.class_weights = QComboBox()
        self.class_weights.addItems(["auto", "none"])
        self.class_weights.setToolTip("auto: weigh classes by inverse frequency to offset imbalance")
        self.early_stopping = QSpinBox(minimum=0, maximum=1000, specialValueText="off")
        self.early_stopping.setToolTip("Stop when the validation loss has not improved for this many epochs")
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1)
        self.augment = QCheckBox("Augment the train windows")
        self.augment.setToolTip("Add noisy, scaled, slightly rotated and time-shifted copies of the train windows "
                                "(motion), or noise-mixed and shifted ones (audio); validation and test stay as "
                                "recorded")
        self._schedule: dict[str, Any] = {}  # strength, schedule and warm-up of the loaded impulse, kept as is
        for label, w in (("Epochs", self.epochs), ("Learning rate", self.learning_rate),
                         ("Batch size", self.batch_size), ("Class weights", self.class_weights),
                         ("Early stopping", self.early_stopping), ("Seed", self.seed), ("Augmentation", self.augment)):
            form.addRow(label, w)
        layout.addWidget(box)
        layout.addStretch(1)

        for w in (self.window_ms, self.stride_ms, self.short_policy, self.epochs, self.learning_rate,
                  self.batch_size, self.class_weights, self.early_stopping, self.seed):
            _connect(w, self._emit)
        self.augment.toggled.connect(self._emit)
        self.dsp_block.currentIndexChanged.connect(lambda _: self._rebuild_dsp({}))
        self.preset.currentIndexChanged.connect(lambda _: self._rebuild_model({}))
        self._rebuild_dsp({})
        self._rebuild_model({})

    def _emit(self, *_: Any) -> None:
        if not self._loading:
            self.changed.emit()

    def _rebuild_dsp(self, params: dict[str, Any]) -> None:
        specs = BLOCKS[self.dsp_block.currentData()].PARAMS
        self.dsp_editors = self._fill(self.dsp_layout, {
            key: _editor(spec, params.get(key, spec.default)) for key, spec in specs.items()})
        self._emit()

    def _rebuild_model(self, params: dict[str, Any]) -> None:
        preset = PRESETS[self.preset.currentData()]
        self.model_editors = self._fill(self.model_layout, {
            key: _model_editor(default, params.get(key, default), preset.choices.get(key))
            for key, default in preset.defaults.items()})
        for w in (self.epochs, self.learning_rate, self.batch_size, self.class_weights, self.early_stopping):
            w.setEnabled(not preset.classical)  # trees are fitted in one go by scikit-learn
        self._emit()

    def _fill(self, form: QFormLayout, editors: dict[str, Any]) -> dict[str, Any]:
        """Replace the rows under ``form``'s chooser with one per editor; returns the editors."""
        while form.rowCount() > 1:
            form.removeRow(1)
        for key, w in editors.items():
            _connect(w, self._emit)
            form.addRow(key.replace("_", " "), w)
        return editors

    def set_impulse(self, impulse: ImpulseConfig) -> None:
        self._loading = True
        try:
            w, d, m = impulse.window, impulse.dsp, impulse.model
            self.window_ms.setValue(w.window_ms)
            self.stride_ms.setValue(w.stride_ms)
            self.short_policy.setCurrentText(w.short_policy)
            self.dsp_block.blockSignals(True)
            self.dsp_block.setCurrentIndex(max(0, self.dsp_block.findData(d.block)))
            self.dsp_block.blockSignals(False)
            self._rebuild_dsp(d.params)
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(max(0, self.preset.findData(m.preset)))
            self.preset.blockSignals(False)
            self._rebuild_model(m.params)
            self.epochs.setValue(m.epochs)
            self.learning_rate.setValue(m.learning_rate)
            self.batch_size.setValue(m.batch_size)
            self.class_weights.setCurrentText(m.class_weights if isinstance(m.class_weights, str) else "auto")
            self.early_stopping.setValue(m.early_stopping)
            self.seed.setValue(m.seed)
            self.augment.setChecked(bool(m.augment))
            self._schedule = {"augment_strength": m.augment_strength, "lr_schedule": m.lr_schedule,
                              "warmup_epochs": m.warmup_epochs}
        finally:
            self._loading = False
        self.changed.emit()

    def impulse(self) -> ImpulseConfig:
        """The impulse as edited (values are checked when it is used)."""
        preset = PRESETS[self.preset.currentData()]
        model_params: dict[str, Any] = {}
        for key, w in self.model_editors.items():
            if isinstance(w, QComboBox):
                model_params[key] = w.currentText()
                continue
            default, text = preset.defaults[key], w.text().strip()
            try:
                if isinstance(default, list):
                    model_params[key] = [int(float(v)) for v in text.replace(",", " ").split()] or default
                else:
                    model_params[key] = type(default)(float(text)) if text else default
            except ValueError:
                model_params[key] = text  # rejected with a clear message when the model is sized
        return ImpulseConfig(
            WindowConfig(self.window_ms.value(), self.stride_ms.value(), self.short_policy.currentText()),
            DspConfig(self.dsp_block.currentData(), {k: _value(w) for k, w in self.dsp_editors.items()}),
            ModelConfig(self.preset.currentData(), model_params, self.epochs.value(), self.learning_rate.value(),
                        self.batch_size.value(), self.class_weights.currentText(), self.early_stopping.value(),
                        self.seed.value(), self.augment.isChecked(), **self._schedule),
        )
