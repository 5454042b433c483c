"""First-run setup shared by the app and the commands: the bundled seed articles."""

from __future__ import annotations

from seeds import seed_files
from store import Store


def ensure_seeds(store: Store) -> int:
    """Import the bundled seed articles into an empty store; returns how many were added.

    A store that already holds articles is left alone, so deleting the seeds from a
    store does not bring them back on the next start.
    """
    if len(store) or store.readonly:
        return 0
    from annotate.clean import clean_article  # first run only: not on every start

    articles = [
        (clean_article(path.read_text(encoding="utf-8"), source=f"seeds/{path.name}"), None)
        for path in seed_files()
    ]
    return sum(store.add_articles(articles))
