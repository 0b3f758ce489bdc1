"""The Train settings' augmentation checkbox: it shows the impulse's setting, the user's choice reaches the
impulse that is trained, and the schedule the data chose is kept."""

from __future__ import annotations

from tinystudio.core.impulse import suggest_impulse
from tinystudio.gui.widgets.train_settings import ImpulseForm


def test_augmentation_checkbox_round_trips_and_keeps_the_schedule(qtbot):
    form = ImpulseForm()
    qtbot.addWidget(form)
    impulse = suggest_impulse(50.0, 6, 20.0)
    impulse.model.warmup_epochs, impulse.model.augment_strength = 3, 1.5
    form.set_impulse(impulse)
    assert form.augment.isChecked()
    edited = form.impulse()
    assert edited.model.augment and edited.model.augment_strength == 1.5
    assert edited.model.lr_schedule == "cosine" and edited.model.warmup_epochs == 3
    form.augment.setChecked(False)
    assert not form.impulse().model.augment
