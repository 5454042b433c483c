"""``newsread models``: the trained models of the store with their scores; and ``--model``
given a trained model's name (``20261205-130000``) rather than a path or a package.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotate.terminal_text import escape
from tui.config import Settings


def register(subparsers: Any) -> None:
    """Add the ``models`` command."""
    parser = subparsers.add_parser(
        "models",
        help="list the models trained from the store's decisions, with their scores",
        description="List the models 'newsread train' wrote into the store's models/ "
        "folder: name, base model, data, and the entity F of the base and the new model "
        "on the held-out articles. Use one with --model NAME.",
    )
    parser.set_defaults(handler=run)


def models_folder(settings: Settings) -> Path:
    """Where trained models live: the store's ``models/`` folder."""
    from annotate.learn.models import MODELS_DIR

    return settings.store / MODELS_DIR


def resolve_name(settings: Settings, name: str | None) -> str | None:
    """The path of the store's trained model called ``name``, else ``name`` unchanged."""
    if not name:
        return name
    from annotate.learn.models import find_model

    path = find_model(models_folder(settings), name)
    return name if path is None else str(path)


def resolve_model(settings: Settings) -> Settings:
    """``settings`` with a trained model's name replaced by its path (others unchanged)."""
    return settings.with_overrides(model=resolve_name(settings, settings.model))


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print one line per trained model, oldest first."""
    from annotate.learn.models import list_models

    found = list_models(models_folder(settings))
    if not found:
        print("no trained model in this store (train one with: newsread train)")
        return 0
    print(f"{'name':<18}{'base':<28}{'train':>6}{'eval':>6}{'base F':>8}{'new F':>8}")
    for model in found:
        meta = model.meta
        data = meta.get("data") or {}
        scores = meta.get("scores") or {}
        base = meta.get("base_model") or {}
        line = (
            f"{model.name:<18}{str(base.get('model', '?'))[:27]:<28}"
            f"{_number(data.get('train_articles')):>6}{_number(data.get('eval_articles')):>6}"
            f"{_f(scores, 'base'):>8}{_f(scores, 'trained'):>8}"
        )
        print(escape(line))
    return 0


def _number(value: object) -> str:
    return str(value) if isinstance(value, int) else "?"


def _f(scores: dict[str, Any], which: str) -> str:
    try:
        return f"{float(scores[which]['overall']['f']):.3f}"
    except (KeyError, TypeError, ValueError):
        return "?"
