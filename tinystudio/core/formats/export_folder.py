"""Which files in a sample export's folder the export wrote, so a re-export replaces its own files and never
a file of the user's that happens to share a name (an export into the current folder, or a busy one).

The folder keeps a hidden list of the names exports wrote (one a line, no extension, so importing the folder
never takes it for a recording). A name not on it that already exists is refused before anything is written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from tinystudio.core.errors import UserError

LIST_NAME = ".tinystudio-samples"
_HEADER = "# Sample files written by tinystudio export; a re-export replaces exactly these.\n"


def written_before(out: Path) -> set[str]:
    """Names an earlier export listed in ``out`` (plain names only, so a damaged list never reaches outside)."""
    path = out / LIST_NAME
    if not path.is_file():
        return set()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    return {ln for ln in lines if ln and not ln.startswith("#") and Path(ln).name == ln and ln not in (".", "..")}


def check_clashes(out: Path, names: Iterable[str], listed: set[str]) -> None:
    """A UserError naming the first file the export would overwrite that no earlier export wrote."""
    clash = sorted(n for n in set(names) - listed if (out / n).exists() or (out / n).is_symlink())
    if clash:
        raise UserError(f"{out / clash[0]} already exists and was not written by a sample export; "
                        "export into a new or empty folder")


def record(out: Path, names: set[str]) -> None:
    """List ``names`` as written by the export; no list at all when there are none."""
    path = out / LIST_NAME
    if names:
        path.write_text(_HEADER + "".join(f"{n}\n" for n in sorted(names)), encoding="utf-8")
    else:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
