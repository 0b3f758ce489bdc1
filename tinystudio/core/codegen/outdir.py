"""Writing the generated files into the user's folder without touching anything that is not ours.

A folder is ours when it is new, empty, or holds the manifest a previous run wrote (one file name per
line). A re-run replaces the files it produces and deletes only files its manifest lists that are no
longer produced; any other file is left alone, and a non-empty folder without the manifest is refused.
A folder written before manifests existed (only model*.c/h and tsk_*.c/h files, model.h carrying the
generator's banner, as in deploy's cache) is recognised as ours once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from tinystudio.core.errors import UserError

MANIFEST = "tinystudio-manifest.txt"
_HEADER = "# Files written by tinystudio codegen; a re-run replaces exactly these. Do not add your own.\n"
_LEGACY_NAME = re.compile(r"(model\w*|tsk_\w+)\.[ch]")
_LEGACY_BANNER = "/* Generated model interface. */"


def _legacy(out: Path, present: set[str]) -> set[str] | None:
    """The files of a folder an earlier version wrote without a manifest; None if it is not one."""
    if "model.h" not in present or not all(_LEGACY_NAME.fullmatch(n) for n in present):
        return None
    if any(not (out / n).is_file() or (out / n).is_symlink() for n in present):
        return None
    try:
        banner = (out / "model.h").read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
    except OSError:
        return None
    return present if banner == _LEGACY_BANNER else None


def _listed(out: Path) -> set[str] | None:
    """File names the folder's manifest lists; None when there is no manifest."""
    path = out / MANIFEST
    if not path.is_file():
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    # Only plain names inside the folder: a damaged manifest must never reach outside it.
    return {ln for ln in lines if ln and not ln.startswith("#") and Path(ln).name == ln and ln not in (".", "..")}


def write_owned(out: Path, files: Mapping[str, str | bytes]) -> None:
    """Write ``files`` (name -> text, or bytes for binary files) into ``out`` as the module docstring says."""
    try:
        if out.exists() and not out.is_dir():
            raise UserError(f"{out} is a file, not a folder")
        out.mkdir(parents=True, exist_ok=True)
        listed = _listed(out)
        present = {p.name for p in out.iterdir()}
        if listed is None:
            listed = _legacy(out, present)
        if listed is None:
            if present:
                raise UserError(
                    f"{out} is not empty and was not written by tinystudio codegen (no {MANIFEST}); "
                    "choose a new or empty folder"
                )
            listed = set()
        foreign = sorted((set(files) & present) - listed)
        if foreign:
            raise UserError(
                f"{out / foreign[0]} was not written by tinystudio codegen; move it or choose another folder"
            )
        for name in sorted(listed - set(files)):
            stale = out / name
            if stale.is_file() and not stale.is_symlink():
                stale.unlink()
        # The manifest first lists old and new names, so an interrupted run can still clean up after itself.
        (out / MANIFEST).write_text(_HEADER + "".join(f"{n}\n" for n in sorted(set(files) | (listed & present))))
        for name, text in files.items():
            if isinstance(text, bytes):
                (out / name).write_bytes(text)
            else:
                (out / name).write_text(text, encoding="utf-8")
        (out / MANIFEST).write_text(_HEADER + "".join(f"{n}\n" for n in sorted(files)), encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write to {out}: {exc.strerror or exc}") from None
