"""Clock columns written as text by loggers and phone apps: ISO 8601 dates and times
('2024-05-01T10:00:00.125Z', '2024-05-01 10:00:00.125') and times of day ('10:00:00.125')."""

from __future__ import annotations

from datetime import UTC, datetime, time

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def clock_seconds(text: str) -> tuple[int, float] | None:
    """(day, seconds into it): days since 1970 for a date and time (without a zone read as UTC, so a change
    to summer time makes no jump), 0 for a time of day. Kept apart because seconds since 1970 as one float
    lose the digits of the milliseconds. None when ``text`` is neither."""
    text = text.strip()
    if len(text) < 5 or ":" not in text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        try:
            of_day = time.fromisoformat(text)
        except ValueError:
            return None
        return 0, of_day.hour * 3600 + of_day.minute * 60 + of_day.second + of_day.microsecond / 1e6
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    since = stamp - _EPOCH
    return since.days, since.seconds + since.microseconds / 1e6
