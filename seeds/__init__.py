"""The sample articles that ship with newsread and open on first run."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def seed_files() -> list[Path]:
    """The bundled seed article files, in name order (works from a wheel install too)."""
    folder = resources.files(__name__)
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".txt"))
