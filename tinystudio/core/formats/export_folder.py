"""Which files in a sample export's folder the export wrote, so a re-export replaces its own files and never
a file of the user's that happens to share a name (an export into the current folder, or a busy one).

The folder keeps a hidden list of the names exports wrote (one a line, no extension, so importing the folder
never takes it for a recording), each with the project that wrote it. A name not on it that already exists
is refused before anything is written. A re-export removes the files it wrote earlier for samples that are
now named otherwise (relabelled) or are gone (deleted), so importing the folder never brings them back;
files another project's export wrote stay.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from tinystudio.core.errors import UserError

LIST_NAME = ".tinystudio-samples"
_HEADER = "# Sample files written by tinystudio export (name, tab, project); a re-export replaces exactly these.\n"


def written_before(out: Path) -> dict[str, str | None]:
    """Names an earlier export listed in ``out``, each with the project that wrote it (None: not said), plain
    names only, so a damaged list never reaches outside."""
    path = out / LIST_NAME
    if not path.is_file():
        return {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    listed: dict[str, str | None] = {}
    for line in lines:
        if not line or line.startswith("#"):
            continue
        name, _, owner = line.partition("\t")
        if Path(name).name == name and name not in (".", ".."):
            listed[name] = owner or None
    return listed


def check_clashes(out: Path, names: Iterable[str], listed: dict[str, str | None], owner: str | None) -> None:
    """A UserError naming the first file the export would overwrite that no earlier export wrote, or that an
    export of another project wrote (a sample of its own of the same label and number)."""
    wanted = set(names)
    clash = sorted(n for n in wanted - set(listed) if (out / n).exists() or (out / n).is_symlink())
    if clash:
        raise UserError(f"{out / clash[0]} already exists and was not written by a sample export; "
                        "export into a new or empty folder")
    theirs = sorted(n for n in wanted & set(listed) if listed[n] and owner and listed[n] != owner
                    and (out / n).exists())
    if theirs:
        raise UserError(f"{out / theirs[0]} was written by an export of {listed[theirs[0]]}; export into a new "
                        "or empty folder")


def sample_id(name: str) -> int | None:
    """The sample id in an exported file's name (``<label>.<id>.<ext>``); None for other names."""
    parts = name.split(".")
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def superseded(listed: dict[str, str | None], owner: str, ext: str, names: set[str],
               ids: set[int] | None) -> list[str]:
    """Files ``owner``'s earlier exports wrote in this format that this export does not write again: of the
    samples exported now (``ids``), or of every sample the project no longer has under that name (``ids``
    None: the whole project is exported)."""
    return sorted(n for n, o in listed.items()
                  if o == owner and n.endswith(ext) and n not in names and (sid := sample_id(n)) is not None
                  and (ids is None or sid in ids))


def record(out: Path, names: dict[str, str | None]) -> None:
    """List ``names`` (with their projects) as written by the export; no list at all when there are none."""
    path = out / LIST_NAME
    if names:
        lines = [f"{n}\t{o}" if o else n for n, o in sorted(names.items())]
        path.write_text(_HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    else:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def owner_key(project_path: Path) -> str | None:
    """How the list names a project: its path (None when that cannot sit on one line of the list)."""
    text = str(project_path)
    return None if any(c in text for c in "\t\r\n") else text
