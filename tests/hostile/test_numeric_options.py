"""Numbers a person can type into the new deploy, report and live options: not-a-number, infinity, huge,
negative and empty values are refused by name before any work starts, never printed back as "inf%" or a
300-digit rate, never an allocation that cannot fit; a sleep current of zero is allowed as on the Deploy page."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from cli_helpers import run_cli
from tinystudio.cli.main import main


def _refused(*argv: str) -> str:
    """What the command line says when it refuses ``argv`` as a usage error (exit status 2)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exc:
        main(list(argv))
    assert exc.value.code == 2
    return err.getvalue()


@pytest.mark.parametrize("option", ["--rate-hz", "--sleep-ua", "--battery-mah"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "-1", ""])
@pytest.mark.parametrize("command", ["deploy", "report"])
def test_estimate_inputs_out_of_range_are_refused_by_name(command, option, value, tmp_path: Path):
    _check_refused(command, option, value, tmp_path)


@pytest.mark.parametrize("option", ["--rate-hz", "--battery-mah"])
def test_estimate_inputs_below_the_deploy_pages_are_refused(option, tmp_path: Path):
    # A rate of 1e-300 per second with no sleep current gave a battery life of 300 digits of years.
    _check_refused("report", option, "1e-300", tmp_path)


def _check_refused(command: str, option: str, value: str, tmp_path: Path) -> None:
    extra = ["--out", str(tmp_path / "r.html")] if command == "report" else []
    err = _refused(command, str(tmp_path / "none.tsproj"), *extra, option, value)
    assert f"argument {option}:" in err and "Traceback" not in err


def test_a_sleep_current_of_zero_is_accepted_as_on_the_deploy_page(tmp_path: Path):
    # The option parses; the command then stops at the missing project, one line.
    code, _out, err = run_cli("report", str(tmp_path / "none.tsproj"), "--out", str(tmp_path / "r.html"),
                              "--sleep-ua", "0")
    assert code != 0 and "--sleep-ua" not in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["--seconds", "inf"], ["--seconds", "nan"], ["--seconds", "-3"], ["--seconds", "0"],
    ["--save-last", "1e6", "--label", "x"], ["--save-last", "inf", "--label", "x"],
])
def test_live_seconds_out_of_range_are_refused_by_name(argv, tmp_path: Path):
    err = _refused("live", str(tmp_path / "none.tsproj"), "--target", "host", *argv)
    assert f"argument {argv[0]}: must be above zero and at most" in err


@pytest.mark.parametrize("label", ["a\nb", "tab\there", "   ", "bell\x07"])
def test_a_live_label_that_cannot_be_one_line_is_refused_before_the_board_runs(label, bm_split_project: Path):
    # The project has no trained model: the old code went on to look for one and only checked the label after
    # the whole live run (or stored a label spanning two lines).
    code, _out, err = run_cli("live", str(bm_split_project), "--target", "host", "--seconds", "1",
                              "--save-last", "1", "--label", label)
    assert code != 0
    assert "label" in err and "variant" not in err and "run" not in err.split(":", 1)[-1]


@pytest.mark.parametrize("command", ["tune", "train"])
@pytest.mark.parametrize("value", ["-1", "4294967296", "1.5"])
def test_a_seed_numpy_cannot_take_is_one_line(command, value, tmp_path: Path):
    # Before, a seed below 0 or above 2**32 - 1 reached NumPy and ended in a ValueError traceback.
    extra = ["--target", "mps2-an386"] if command == "tune" else []
    code, _out, err = run_cli(command, str(tmp_path / "none.tsproj"), *extra, "--seed", value)
    assert code != 0 and "--seed must be" in err and "Traceback" not in err
