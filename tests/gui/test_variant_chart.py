"""The Compress step's chart as a 1024x640 window shows it: a variant at 100 % shows its point and its id
label inside the plot, and the float model's line label is not printed under the method key."""

from __future__ import annotations

from types import SimpleNamespace

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication, QWidget

pytestmark = pytest.mark.usefixtures("light_app_theme")


def _row(variant_id: int, method: str, accuracy: float, flash_kb: float, chosen: bool = False) -> SimpleNamespace:
    return SimpleNamespace(variant_id=variant_id, method=method, test_accuracy=accuracy,
                           flash_bytes=int(flash_kb * 1024), chosen=chosen)


def test_a_variant_at_100_percent_and_the_float_line_label_are_readable(qtbot):
    """Before, the y axis ended at 101 %: the top variant's point was cut in half and its '#1' label drawn
    above the plot, out of sight; the 'float model' label sat at the left end, under the key box."""
    from tinystudio.gui.widgets.variant_chart import VariantChart

    holder = QWidget()  # closed by qtbot at the end; the chart inside goes with it
    qtbot.addWidget(holder)
    chart = VariantChart(holder)
    holder.resize(435, 230)
    chart.resize(435, 230)
    holder.show()
    chart.set_rows([_row(1, "ptq", 1.0, 4.3), _row(2, "prune", 0.5, 3.1, chosen=True)], 0.667)
    for _ in range(4):
        QApplication.processEvents()
    box = chart.getViewBox()
    view = box.mapRectToScene(box.boundingRect())
    labels = {item.textItem.toPlainText(): item for item in box.addedItems if isinstance(item, pg.TextItem)}
    assert set(labels) == {"#1", "#2 (deploy)"}
    for text, item in labels.items():
        assert view.contains(item.mapRectToScene(item.boundingRect())), text
    top = chart.getAxis("left").range[1]
    assert top > 100 + 12 * (box.viewPixelSize()[1])  # the 100 % point's whole marker (12 px) is inside
    float_line = next(item for item in box.addedItems if isinstance(item, pg.InfiniteLine))
    label = float_line.label.mapRectToScene(float_line.label.boundingRect())
    legend = chart.getPlotItem().legend
    assert not label.intersects(legend.mapRectToScene(legend.boundingRect()))
    shown = [text for level in chart.getAxis("left").tickValues(*chart.getAxis("left").range, 300)
             for text in chart.getAxis("left").tickStrings(level[1], 1.0, level[0]) if text]
    assert shown and all(float(t) <= 100 for t in shown), shown  # no '110' on an accuracy axis
