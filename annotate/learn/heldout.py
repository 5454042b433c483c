"""The evaluation set: done articles held out of training, the same from one training to
the next, so that the scores of two trainings are comparable.

Which articles are held out is decided by a seeded hash of the article id (an article
whose hash falls below :data:`EVAL_SHARE` is held out), so it does not depend on the
order articles were added or on how many there are.  The chosen ids are also kept in
``heldout.json`` in the models folder, and an id once held out stays held out -- even the
one article taken when the hash left the set empty (a store with few done articles) --
so an article that was ever scored on is never trained on afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

EVAL_SHARE = 0.2
"""The share of done articles held out for evaluation."""
SEED = 0
"""Seed of the hash that picks them (``heldout.json`` records it)."""
HELDOUT_FILE = "heldout.json"


def eval_score(article_id: str, seed: int = SEED) -> float:
    """A number in [0, 1) fixed by the seed and the article id."""
    digest = hashlib.sha1(f"newsread-heldout:{seed}:{article_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True, slots=True)
class Split:
    """Which decided articles train and which evaluate."""

    train: frozenset[str]
    evaluate: frozenset[str]
    heldout: frozenset[str]
    """Every id ever held out (some may not be done any more: then they are in neither)."""


def split(
    done: Iterable[str],
    in_progress: Iterable[str],
    kept: Iterable[str] = (),
    *,
    share: float = EVAL_SHARE,
    seed: int = SEED,
) -> Split:
    """Held out: the ids kept before, and the done ids the hash picks (module docstring).

    When that leaves no done article to evaluate on and there are at least two, the one
    with the lowest hash is held out (from then on, as every held-out id).
    """
    done_ids = set(done)
    heldout = set(kept) | {i for i in done_ids if eval_score(i, seed) < share}
    if not heldout & done_ids and len(done_ids) >= 2:
        heldout.add(min(done_ids, key=lambda i: eval_score(i, seed)))
    decided = done_ids | set(in_progress)
    return Split(
        train=frozenset(decided - heldout),
        evaluate=frozenset(done_ids & heldout),
        heldout=frozenset(heldout),
    )


def read_heldout(folder: Path) -> set[str]:
    """The ids held out by earlier trainings (none when there is no readable file)."""
    try:
        data = json.loads((folder / HELDOUT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    ids = data.get("ids") if isinstance(data, dict) else None
    return {i for i in ids if isinstance(i, str)} if isinstance(ids, list) else set()


def write_heldout(folder: Path, ids: Iterable[str], *, seed: int = SEED) -> None:
    """Keep the held-out ids for the next training (written atomically)."""
    folder.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({"seed": seed, "share": EVAL_SHARE, "ids": sorted(ids)}, indent=1).encode()
    fd, tmp = tempfile.mkstemp(prefix=".heldout.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, folder / HELDOUT_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
