"""The board registry is the one list of boards: the Deploy page's board list and `deploy --target`
choices both come from it, aliases keep working, and an unknown board is one clear line."""

from __future__ import annotations

import pytest

from tinystudio.app.boards import DEFAULT_BOARD, board_choices, target_names
from tinystudio.cli.main import build_parser
from tinystudio.core.errors import UserError
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.deploy_page import DeployPage
from tinystudio.targets import BOARDS, MemoryBudget, get_target


def test_deploy_page_lists_every_registered_board_default_first(qtbot):
    context = AppContext()
    page = DeployPage(context)
    qtbot.addWidget(page)
    names = [page.target_combo.itemData(i) for i in range(page.target_combo.count())]
    titles = [page.target_combo.itemText(i) for i in range(page.target_combo.count())]
    assert sorted(names) == sorted(b.name for b in BOARDS)
    assert names[0] == DEFAULT_BOARD == page.target_combo.currentData()
    assert titles == [c.title for c in board_choices()]
    context.close()


def test_cli_target_choices_are_the_registry_names_and_aliases():
    parser = build_parser()
    deploy = parser._subparsers._group_actions[0].choices["deploy"]  # noqa: SLF001 - argparse has no public lookup
    target = next(a for a in deploy._actions if a.dest == "target")  # noqa: SLF001
    assert tuple(target.choices) == target_names()
    assert set(target_names()) == {n for b in BOARDS for n in (b.name, *b.aliases)}
    assert target.default == DEFAULT_BOARD


def test_alias_and_budget_override_and_unknown_board():
    qemu = get_target("qemu")
    assert qemu.name == "mps2-an386" and qemu.budget is not None
    spec = next(b for b in BOARDS if b.name == "mps2-an386")
    assert qemu.counter_kind is spec.counter_kind and qemu.title == spec.title
    smaller = MemoryBudget(flash_bytes=64 * 1024, ram_bytes=16 * 1024)
    assert get_target("mps2-an386", smaller).budget == smaller
    listed = ", ".join(b.name for b in BOARDS)
    assert listed.startswith("mps2-an386, ") and "host" in listed
    with pytest.raises(UserError, match=f"^unknown target 'nrf52'; choose one of: {listed}$"):
        get_target("nrf52")
