"""Who annotates what: each article goes to every annotator, or to ``overlap`` of a team.

With a team and an overlap N (``Settings.team``, ``Settings.overlap``) each article is
assigned to the N members whose hash of (article id, name) ranks first -- rendezvous
hashing: every machine computes the same assignment with no shared state, each member
gets about N/len(team) of the articles, and a member joining or leaving moves only the
articles that member gains or loses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def assigned(article_id: str, annotator: str, team: Sequence[str], overlap: int) -> bool:
    """Whether ``annotator`` is one of the ``overlap`` annotators of the article (every
    article is everyone's without a team or an overlap, or with one at least its size)."""
    if overlap <= 0 or not team or overlap >= len(set(team)):
        return True
    if annotator not in team:
        return False
    ranked = sorted(set(team), key=lambda name: _rank(article_id, name))
    return annotator in ranked[:overlap]


def _rank(article_id: str, name: str) -> bytes:
    return hashlib.sha1(f"{article_id}\x00{name}".encode()).digest()
