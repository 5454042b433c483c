"""Trained pipelines in the store's ``models/`` folder: written whole or not at all.

Each training writes ``models/<timestamp>/``: the spaCy pipeline (``nlp.to_disk``) and
``newsread.json`` (when, from which base model, on how much data, its scores and the base
model's on the same evaluation set).  It is written into a hidden temporary folder and
renamed into place, so a crash or a kill mid-write leaves no half model that ``--model``
could pick; the folder name sorts by time, so the newest model is the last one.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

META_FILE = "newsread.json"
MODELS_DIR = "models"


def model_stamp(now: float | None = None) -> str:
    """A folder name for a model trained at ``now``: ``YYYYmmdd-HHMMSS`` (UTC)."""
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() if now is None else now))


def save_model(nlp: Language, folder: Path, meta: dict[str, Any], now: float | None = None) -> Path:
    """Write ``nlp`` and its meta as a new model in ``folder``; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = model_stamp(now)
    target = folder / stamp
    suffix = 1
    while target.exists():
        suffix += 1
        target = folder / f"{stamp}-{suffix}"
    nlp.meta["name"] = f"newsread_{target.name.replace('-', '_')}"
    nlp.meta["newsread"] = meta
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=folder))
    try:
        nlp.to_disk(temporary)
        (temporary / META_FILE).write_text(
            json.dumps({"name": target.name, **meta}, indent=1), encoding="utf-8"
        )
        temporary.rename(target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target


@dataclass(frozen=True, slots=True)
class SavedModel:
    """A trained model found in the models folder, with its meta."""

    name: str
    path: Path
    meta: dict[str, Any]


def list_models(folder: Path) -> list[SavedModel]:
    """The trained models in ``folder``, oldest first (hidden, partial folders left out)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not (path / "config.cfg").is_file():
            continue
        try:
            meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
        found.append(SavedModel(path.name, path, meta if isinstance(meta, dict) else {}))
    return found


def find_model(folder: Path, name: str) -> Path | None:
    """The path of the trained model called ``name`` in ``folder``, if there is one."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = folder / name
    return path if (path / "config.cfg").is_file() else None
