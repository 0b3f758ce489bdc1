"""`tinystudio gui [PROJECT]`: open the desktop application (also what plain `tinystudio` does)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("gui", help="open the desktop application")
    p.add_argument("project", nargs="?", help="project to open (default: the last one)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tinystudio.gui.app import run_gui

    return run_gui([args.project] if args.project else [])
