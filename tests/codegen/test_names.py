"""Any model name (quotes, backslashes, newlines, trigraphs, comment markers, non-ASCII) yields valid C
whose TS_MODEL_NAME holds exactly the name's UTF-8 bytes."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinystudio.core.codegen import generate
from tinystudio.core.codegen.emit import c_string

TRICKY = [
    'say "hi"',
    "back\\slash\\",
    "two\nlines\r\n",
    "??= trigraph ??/ ??'",
    "*/ not a comment /*",
    "ümlaut 模型 🎉",
    "\x00nul\x7fdel",
    "\\x41 then 7",
    "",
]

_PRINTER = r"""
#include <stdio.h>
#include "model.h"
int main(void) {
    const unsigned char name[] = TS_MODEL_NAME;
    size_t i;
    for (i = 0; i + 1 < sizeof(name); ++i) printf("%02x", name[i]);
    printf("\n%s\n", TS_MODEL_HASH);
    return 0;
}
"""


def _read_back(folder, tmp_path) -> tuple[bytes, str]:
    src = tmp_path / "print_name.c"
    src.write_text(_PRINTER)
    exe = tmp_path / "print_name"
    cmd = ["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-Wno-trigraphs", "-I", str(folder), str(src)]
    subprocess.run([*cmd, "-o", str(exe)], check=True, capture_output=True)
    lines = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split("\n")
    return bytes.fromhex(lines[0]), lines[1]


@pytest.mark.parametrize("name", TRICKY)
def test_tricky_names_round_trip(name, suite_model, tmp_path):
    report = generate(suite_model("relu"), tmp_path / "gen", name=name)
    got, digest = _read_back(tmp_path / "gen", tmp_path)
    assert got == name.encode("utf-8")
    assert digest == report.model_hash and len(digest) == 16


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_any_text_becomes_a_safe_c_literal(tmp_path, text):
    literal = c_string(text)
    assert "\n" not in literal and "??" not in literal
    src = tmp_path / "lit.c"
    src.write_text(f"static const char s[] = {literal};\nconst char *p(void) {{ return s; }}\n")
    result = subprocess.run(
        ["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-c", str(src), "-o", str(tmp_path / "lit.o")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
