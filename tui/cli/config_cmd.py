"""``newsread config``: where the config file is, and what it may hold."""

from __future__ import annotations

import argparse

from tui.config import Settings, config_path

EXAMPLE = """\
# {path}
annotator = "your-name"
# model = "en_core_web_sm"
# store = "~/newsread-store"
labels = ["PERSON", "ORG", "GPE", "NORP", "LOC", "DATE", "EVENT", "PRODUCT", "LAW"]
tags = ["claim", "accusation", "denial", "promise", "opinion"]
# scare_quotes = true   # also suggest short unattributed quoted fragments and names

[keys]   # binding id = key(s); ids are listed by ? in the app
accept = "a"
reject = "x"
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``config`` command."""
    parser = subparsers.add_parser(
        "config", help="print the config file's path (--example: a sample config)"
    )
    parser.add_argument("--example", action="store_true", help="print a sample config file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the path (and a sample when asked)."""
    path = config_path()
    if args.example:
        print(EXAMPLE.format(path=path), end="")
    else:
        state = "exists" if path.exists() else "not created yet"
        print(f"{path}  ({state})")
    return 0
