"""The one check for a label a user names (relabel, capture, cut, import, a live run's saved stretch), so
a blank label or one that spans lines never enters a project by one path while another path refuses it."""

from __future__ import annotations

from tinystudio.core.errors import UserError


def check_label(label: str) -> str:
    """``label`` stripped; a UserError for one that is blank or holds a line break or control character."""
    label = label.strip()
    if not label:
        raise UserError("a label cannot be blank: give it a name")
    if not label.isprintable():
        raise UserError(f"a label is one line of text without control characters: {label!r}")
    return label


def optional_label(label: str | None) -> str | None:
    """A label that may be left out: None or blank is no label, anything else passes ``check_label``."""
    if label is None or not label.strip():
        return None
    return check_label(label)
