"""Edge Impulse's ``info.labels``: the list an export keeps beside its files, giving each file's path,
category ('training' or 'testing'), label (or none) and metadata. Its acquisition files carry no label of
their own, and a file name cannot hold every label (a dot ends it, a slash is a folder), so an export
writes this list and an import reads it; a group travels as the metadata key 'group'."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

NAME = "info.labels"
CATEGORIES = {"training": "train", "testing": "test"}
"""The categories and the split their samples keep (training shares its part with validation)."""


@dataclass(frozen=True)
class Listed:
    """What the list says of one file; None where it says nothing. A label of '' means 'unlabelled'."""

    category: str | None
    label: str | None
    group: str | None


def read(folder: Path) -> dict[str, Listed]:
    """``relative path -> Listed`` from the folder's list; empty without one (or one that does not read:
    the folder and file names then tell what they can)."""
    path = folder / NAME
    if not path.is_file():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return {}
    files = doc.get("files") if isinstance(doc, dict) else None
    out: dict[str, Listed] = {}
    for entry in files if isinstance(files, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            continue
        category = entry.get("category")
        info = entry.get("label")
        label = None
        if isinstance(info, dict) and info.get("type") == "label" and isinstance(info.get("label"), str):
            label = info["label"]
        elif isinstance(info, dict) and info.get("type") == "unlabeled":
            label = ""
        meta = entry.get("metadata")
        group = meta.get("group") if isinstance(meta, dict) and isinstance(meta.get("group"), str) else None
        rel = entry["path"].replace("\\", "/")
        while rel.startswith("./"):
            rel = rel[2:]
        out[rel] = Listed(category if category in CATEGORIES else None, label, group or None)
    return out


def entry(name: str, label: str | None, split: str | None, group: str | None) -> dict[str, object]:
    """The list's entry for an exported file (no category for a sample in no split)."""
    item: dict[str, object] = {
        "path": name,
        "name": name.rsplit(".", 1)[0],
        "label": {"type": "label", "label": label} if label is not None else {"type": "unlabeled"},
    }
    if split is not None:
        item["category"] = "testing" if split == "test" else "training"
    if group:
        item["metadata"] = {"group": group}
    return item


def write(folder: Path, entries: list[dict[str, object]]) -> None:
    (folder / NAME).write_text(json.dumps({"version": 1, "files": entries}, ensure_ascii=False, indent=1),
                               encoding="utf-8")
