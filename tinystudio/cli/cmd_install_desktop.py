"""`tinystudio install-desktop`: put TinyStudio in this user's applications menu (Linux), with its icon."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "install-desktop", help="add TinyStudio to your applications menu (Linux, this user only)",
        description="Write ~/.local/share/applications/tinystudio.desktop (running this installation) and the "
        "icon into ~/.local/share/icons/hicolor; no root needed.")
    p.add_argument("--uninstall", action="store_true", help="remove the menu entry and icons again")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tinystudio.app import desktop_entry

    if args.uninstall:
        removed = desktop_entry.uninstall()
        print("\n".join(f"removed {p}" for p in removed) or "nothing to remove")
        return 0
    done = desktop_entry.install()
    print(f"menu entry {done.entry}")
    for icon in done.icons:
        print(f"icon       {icon}")
    return 0
