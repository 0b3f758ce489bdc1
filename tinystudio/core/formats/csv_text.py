"""Text of CSV and serial-monitor logs: physical lines, terminal escapes, quoted fields, separator lines.

Most lines of a recording hold no quote and take the fast path (clean, then split); only lines with a
double quote are read as CSV readers read them (a quoted field keeps commas, quotes doubled as ``""``,
line breaks and escape codes exactly), and such a record may span several physical lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, e.g. a terminal title: ESC ] 0;title BEL
    r"|\x1b\[[0-9;?<=>]*[ -/]*[@-~]"  # CSI: colours, cursor moves, bracketed paste
    r"|\x1b[@-Z\\-_]"  # two-character escapes
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"  # other control characters
)
_SEPARATOR_LINE = re.compile(r"^[\s,;|]*[-=_*#~+]+[-=_*#~+\s,;|]*$")
_QUOTED_SPAN = re.compile(r'"(?:[^"]|"")*"?')
MAX_RECORD_LINES = 256
"""A quoted field left open for longer than this is a stray quote, not a multi-line field."""


def clean(line: str) -> str:
    """Drop terminal escapes, surrounding blanks and the trailing separator many sketches print."""
    return _ESCAPES.sub("", line).strip().rstrip(",;\t").rstrip()


def split(line: str, sep: str | None) -> list[str]:
    """Fields of a clean unquoted line; ``sep`` None means runs of whitespace."""
    if sep is None:
        return line.split()
    return [f.strip() for f in line.split(sep)]


def guess_separator(line: str) -> str | None:
    """Comma, tab or semicolon (the first one found outside quotes), else whitespace (None)."""
    bare = _QUOTED_SPAN.sub("", line) if '"' in line else line
    for sep in (",", "\t", ";"):
        if sep in bare:
            return sep
    return None


def is_separator_line(line: str) -> bool:
    """A line of dashes and the like (``-,-,-``, ``---``, ``===``): it ends a recording as a blank line does."""
    return bool(_SEPARATOR_LINE.match(line))


def physical_lines(text: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Numbered lines with their line ends, from a file opened with ``newline=""``.

    A board's CRLF echoed through a terminal arrives as CR CR LF: that is one line end, not a blank line.
    """
    lineno = 0
    held: str | None = None
    for raw in text:
        if held is not None:
            if raw == "\r\n":
                lineno += 1
                yield lineno, held + raw
                held = None
                continue
            lineno += 1
            yield lineno, held
            held = None
        if raw.endswith("\r"):
            held = raw
            continue
        lineno += 1
        yield lineno, raw
    if held is not None:
        yield lineno + 1, held


def _strip_end(raw: str) -> str:
    return raw.rstrip("\r\n")


def tokenize(text: str, sep: str | None) -> tuple[list[str], list[bool], bool]:
    """Split one record the CSV way: (fields, which were quoted, complete); incomplete = a quote is open.

    Unquoted fields are cleaned (escapes and blanks dropped); a quoted field is kept exactly, as in
    Python's csv module. Trailing empty unquoted fields (a trailing separator) are dropped.
    """
    fields: list[str] = []
    quoted: list[bool] = []
    i, n = 0, len(text)
    while True:
        j = i
        while j < n and text[j] in " \t" and text[j] != sep:
            j += 1
        if j < n and text[j] == '"':
            parts = []
            k = j + 1
            while True:
                q = text.find('"', k)
                if q < 0:
                    return fields, quoted, False
                parts.append(text[k:q])
                if q + 1 < n and text[q + 1] == '"':
                    parts.append('"')
                    k = q + 2
                    continue
                k = q + 1
                break
            end = _next_separator(text, k, sep)
            fields.append("".join(parts) + clean(text[k:end]))
            quoted.append(True)
        else:
            end = _next_separator(text, i, sep)
            fields.append(_ESCAPES.sub("", text[i:end]).strip())
            quoted.append(False)
        if end >= n:
            break
        i = end + 1
        if sep is None:
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                break
    while len(fields) > 1 and not quoted[-1] and fields[-1] == "":
        fields.pop()
        quoted.pop()
    return fields, quoted, True


def _next_separator(text: str, start: int, sep: str | None) -> int:
    if sep is not None:
        end = text.find(sep, start)
        return len(text) if end < 0 else end
    for k in range(start, len(text)):
        if text[k].isspace():
            return k
    return len(text)


class Records:
    """Numbered lines with one line of push-back, and quoted records gathered across line breaks."""

    def __init__(self, text: Iterable[str]) -> None:
        self._lines = physical_lines(text)
        self._back: list[tuple[int, str]] = []

    def __iter__(self) -> Records:
        return self

    def __next__(self) -> tuple[int, str]:
        if self._back:
            return self._back.pop()
        return next(self._lines)

    def quoted(self, raw: str, sep: str | None) -> tuple[str, list[str], list[bool]] | None:
        """The record starting with ``raw``, its fields and their quoting, reading on while a quote is open.

        None when the quote never closes within MAX_RECORD_LINES lines: ``raw`` is then plain text and the
        lines read ahead are put back.
        """
        text = raw
        ahead: list[tuple[int, str]] = []
        while True:
            fields, quoted, complete = tokenize(_strip_end(text), sep)
            if complete:
                return _strip_end(text), fields, quoted
            if len(ahead) >= MAX_RECORD_LINES:
                break
            try:
                nxt = next(self)
            except StopIteration:
                break
            ahead.append(nxt)
            text += nxt[1]
        self._back.extend(reversed(ahead))
        return None
