"""The app remembers the window, the step, splitter positions, port, baud rate, deploy board, BENCH runs and
recent projects across a restart (real QSettings in a temporary INI file)."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QSplitter, QWidget

from tinystudio.core.store import Project
from tinystudio.gui.settings import saved_sizes

DEFAULT_HEIGHT = 800  # MainWindow.resize(1280, 800) on a first start


def _share(splitter: QSplitter) -> float:
    sizes = splitter.sizes()
    return sizes[0] / sum(sizes)


def _splitter(window, step: str) -> QSplitter:
    return window.pages[step].findChildren(QSplitter)[0]


def test_window_step_splitters_port_baud_and_board_come_back(qtbot, make_window, settings_file):
    first = make_window()
    first.show()
    qtbot.waitExposed(first)
    first.resize(1100, 650)  # the offscreen screen is 800 px wide: Qt fits a restored width to it, not a height
    data = first.show_step("Data")
    splitter = _splitter(first, "Data")
    default_share = _share(splitter)
    total = sum(splitter.sizes())
    splitter.setSizes([total // 4, total - total // 4])
    share = _share(splitter)
    assert abs(share - default_share) > 0.1
    device = first.pages["Device"]
    device.baud_box.setCurrentText("9600")
    deploy = first.pages["Deploy"]
    deploy.target_combo.setCurrentIndex(deploy.target_combo.findData("host"))
    first.show_step("Deploy")
    assert data is not None
    first.close()

    stored = QSettings(str(settings_file), QSettings.Format.IniFormat)
    assert stored.value("device/baud") == "9600"
    assert stored.value("deploy/board") == "host"
    assert stored.value("device/port") == device.port_box.currentData()

    second = make_window()
    second.show()
    qtbot.waitExposed(second)
    assert second.height() == 650 != DEFAULT_HEIGHT
    assert second.stack.currentWidget() is second.pages["Deploy"]
    assert second.pages["Device"].baud_box.currentText() == "9600"
    assert second.pages["Deploy"].target_combo.currentData() == "host"
    assert second.pages["Device"].port_box.currentData() == stored.value("device/port")
    second.show_step("Data")
    assert abs(_share(_splitter(second, "Data")) - share) < 0.02  # the same place, on a window as wide as fits


def test_a_step_never_shown_does_not_store_a_position_that_squeezes_it_later(qtbot, make_window, settings_file):
    def deploy_sizes(window) -> list[float]:
        window.show_step("Deploy")
        qtbot.wait(50)
        return [_share(s) for s in window.pages["Deploy"].findChildren(QSplitter)]

    fresh = make_window()
    fresh.show()
    qtbot.waitExposed(fresh)
    default = deploy_sizes(fresh)
    fresh.show_step("Device")
    fresh.close()
    QSettings(str(settings_file), QSettings.Format.IniFormat).remove("splitters")

    brief = make_window()  # opened on Device and closed: the Deploy step is never laid out
    brief.show()
    qtbot.waitExposed(brief)
    assert brief.stack.currentWidget() is brief.pages["Device"]
    brief.close()

    later = make_window()
    later.show()
    qtbot.waitExposed(later)
    assert all(abs(a - b) < 0.05 for a, b in zip(deploy_sizes(later), default, strict=True))


def test_open_recent_lists_projects_newest_first_and_opens_one(qtbot, make_window, tmp_path):
    paths = [tmp_path / f"{name}.tsproj" for name in ("alpha", "beta")]
    for path in paths:
        Project.create(path).close()
    first = make_window()
    for path in paths:
        assert first.open_project(str(path))
    first.close()

    second = make_window()
    second.recent_menu.aboutToShow.emit()
    actions = second.recent_menu.actions()
    assert [a.text() for a in actions] == [str(paths[1]), str(paths[0])]
    assert all(a.isEnabled() for a in actions)
    actions[1].trigger()
    assert second.context.project is not None and second.context.project.path == paths[0]
    assert second.windowTitle().endswith("alpha.tsproj")


def test_a_deleted_recent_project_is_listed_but_not_offered(qtbot, make_window, tmp_path):
    path = tmp_path / "gone.tsproj"
    Project.create(path).close()
    first = make_window()
    first.open_project(str(path))
    first.close()
    path.unlink()
    second = make_window()
    second.recent_menu.aboutToShow.emit()
    (action,) = second.recent_menu.actions()
    assert action.text() == str(path) and not action.isEnabled()


def test_bench_runs_come_back_and_a_stored_count_the_deploy_refuses_is_left_out(qtbot, make_window, settings_file):
    first = make_window()
    first.pages["Deploy"].bench_spin.setValue(137)
    first.close()
    stored = QSettings(str(settings_file), QSettings.Format.IniFormat)
    assert int(stored.value("deploy/bench_runs")) == 137
    assert make_window().pages["Deploy"].bench_spin.value() == 137
    for bad in ("0", "70000", "many"):
        stored.setValue("deploy/bench_runs", bad)
        stored.sync()
        assert make_window().pages["Deploy"].bench_spin.value() == 20  # the default, not a count deploy refuses



TRAIN = "Impulse / Train"


def _train_sizes(window) -> dict[str, list[float]]:
    """Each shown Train step splitter's pane shares, by the splitter's name."""
    window.show_step(TRAIN)
    QApplication.processEvents()
    return {s.objectName(): [size / sum(s.sizes()) for size in s.sizes()]
            for s in window.pages[TRAIN].findChildren(QSplitter) if s.isVisible()}


def _close_to(a: dict[str, list[float]], b: dict[str, list[float]]) -> bool:
    return a.keys() == b.keys() and all(abs(x - y) < 0.03 for k in a for x, y in zip(a[k], b[k], strict=True))


def test_every_splitter_is_remembered_under_a_name_of_its_own(qtbot, make_window):
    window = make_window()
    for title, page in window.pages.items():
        names = [s.objectName() for s in page.findChildren(QSplitter)]
        assert all(names) and len(set(names)) == len(names), (title, names)


def test_sizes_stored_by_a_splitters_place_or_for_other_panes_are_left_out(qtbot, make_window, settings_file):
    """An older version stored sizes by each splitter's place on the page; after a splitter was taken out of
    the Tune tab, those places named other splitters, and a restore put a pane's size in the wrong one."""
    fresh = make_window()
    fresh.show()
    qtbot.waitExposed(fresh)
    default = _train_sizes(fresh)
    fresh.close()
    stored = QSettings(str(settings_file), QSettings.Format.IniFormat)
    stored.clear()
    squeezed = QSplitter(Qt.Orientation.Vertical)  # what an old version saved: a squeezing position by place
    for _ in range(3):
        squeezed.addWidget(QWidget())
    squeezed.setSizes([20, 20, 2000])
    for i in range(4):
        stored.setValue(f"splitters/impulse_train/{i}", squeezed.saveState())
    stored.setValue("splitters/impulse_train/results_column", [20, 2000])  # two panes: the column has three
    stored.setValue("splitters/impulse_train/preview_matrix", "wide, narrow")
    stored.setValue("splitters/impulse_train/settings_results", [-5, 900])
    stored.sync()

    upgraded = make_window()
    upgraded.show()
    qtbot.waitExposed(upgraded)
    assert _close_to(_train_sizes(upgraded), default)  # before: panes squeezed by another splitter's sizes
    upgraded.close()
    keys = QSettings(str(settings_file), QSettings.Format.IniFormat).allKeys()
    assert not [k for k in keys if k.split("/")[-1].isdigit()]  # the old entries are dropped once saved


def test_the_train_steps_panes_come_back_to_the_splitters_they_were_set_on(qtbot, make_window, settings_file):
    first = make_window()
    first.show()
    qtbot.waitExposed(first)
    first.show_step(TRAIN)
    QApplication.processEvents()
    page = first.pages[TRAIN]
    column, top = (page.findChild(QSplitter, name) for name in ("results_column", "preview_matrix"))
    total = sum(top.sizes())
    top.setSizes([total * 2 // 3, total - total * 2 // 3])
    total = sum(column.sizes())
    column.setSizes([total // 2, total // 4, total - total // 2 - total // 4])
    moved = _train_sizes(first)
    first.close()
    stored = QSettings(str(settings_file), QSettings.Format.IniFormat)
    assert saved_sizes(stored.value("splitters/impulse_train/preview_matrix"), 2) == top.sizes()

    second = make_window()
    second.show()
    qtbot.waitExposed(second)
    assert _close_to(_train_sizes(second), moved)
