"""Export to CSV then import gives back the same samples, whatever the labels, groups and axis names hold:
commas, quotes, line breaks, escape codes, unicode, blanks at the ends, names that look like a clock."""

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinystudio.core.formats import export_samples, import_files
from tinystudio.core.store import Project

_PIECES = [",", '"', '""', "\n", "\r", "\r\n", "\x1b[31m", "\x1b[0m", "\x1b]0;t\x07", ";", "\t", " ", "é", "日本",
           "[", "]", "(", ")", "-", "---", "nan", "1.5", "\x00", "\u2028", "\ufeff"]
_TEXT = st.lists(
    st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(_PIECES)), min_size=1, max_size=8
).map("".join)
_AXIS = st.one_of(_TEXT, st.sampled_from(["t", "time", "label", "group", "ms", "x (g)", "y[g]", "Time (s)", "[a]"]))
_UNIT = st.sampled_from(["", "g", "m/s²", "°C", "dps"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    labels=st.lists(st.one_of(_TEXT, st.none()), min_size=1, max_size=3),
    groups=st.lists(st.one_of(_TEXT, st.none()), min_size=3, max_size=3),
    axes=st.lists(_AXIS, min_size=1, max_size=3, unique=True),
    units=st.lists(_UNIT, min_size=3, max_size=3),
    rate=st.sampled_from([10.0, 44.1, 100.0, 16000.0]),
    seed=st.integers(0, 1000),
)
def test_csv_export_then_import_gives_identical_samples(labels, groups, axes, units, rate, seed):
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with Project.create(root / "a.tsproj") as a, Project.create(root / "b.tsproj") as b:
            for i, label in enumerate(labels):
                frames = int(rng.integers(2, 40))
                signal = (rng.normal(size=(frames, len(axes))) * 10.0 ** rng.integers(-3, 4)).astype(np.float32)
                a.add_sample(signal, rate, axes, label, units=units[: len(axes)], group=groups[i])
            files = export_samples(a, root / "out", "csv")
            import_files(b, files)
            want = [(s.content_hash, s.axis_names, s.units, s.label, s.group, s.rate_hz) for s in a.samples()]
            got = [(s.content_hash, s.axis_names, s.units, s.label, s.group, s.rate_hz) for s in b.samples()]
            assert got == want


def test_quoted_fields_read_as_csv_readers_read_them():
    from tinystudio.core.formats.csv_text import tokenize

    fields, quoted, complete = tokenize('1.5, "a ""b"", c" ,"x\ny",plain ', ",")
    assert complete and fields == ["1.5", 'a "b", c', "x\ny", "plain"] and quoted == [False, True, True, False]
    assert tokenize('1,"open', ",")[2] is False


def test_header_cells_with_units_and_roles():
    from tinystudio.core.formats.csv_layout import header_cell

    assert (header_cell("accX [g]").name, header_cell("accX [g]").unit) == ("accX", "g")
    assert header_cell("Time (s)").role == "time" and header_cell("millis()").role == "time"
    assert header_cell("t[]").role == "signal" and header_cell("label[]").role == "signal"
    assert header_cell(" a b [g]", quoted=True).name == " a b "
