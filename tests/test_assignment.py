"""Who annotates what (issue 16): overlap assignment, the ``status:mine`` filter, config."""

from __future__ import annotations

from collections import Counter

import pytest

from annotate.assignment import assigned
from annotate.model import ArticleStatus
from store import ArticleSummary
from tests.test_config import write_config
from tui.config import ConfigError, load_settings
from tui.filtering import parse_filter

TEAM = ("alice", "bob", "carol", "dan")


def test_each_article_goes_to_overlap_members_of_the_team() -> None:
    ids = [f"{n:016x}" for n in range(400)]
    load: Counter[str] = Counter()
    for article_id in ids:
        members = [name for name in TEAM if assigned(article_id, name, TEAM, 2)]
        assert len(members) == 2
        load.update(members)
    assert all(150 <= n <= 250 for n in load.values())  # about 2/4 of 400 each
    assert not assigned(ids[0], "eve", TEAM, 2)  # not in the team
    assert all(assigned(i, "eve", (), 0) for i in ids[:5])  # no overlap: everyone's
    assert all(assigned(i, "alice", TEAM, 4) for i in ids[:5])  # overlap = team size
    # a member leaving moves only their articles
    smaller = TEAM[:3]
    for article_id in ids:
        before = {n for n in smaller if assigned(article_id, n, TEAM, 1)}
        after = {n for n in smaller if assigned(article_id, n, smaller, 1)}
        assert before <= after


def _summary(article_id: str, versions: dict[str, list[object]]) -> ArticleSummary:
    return ArticleSummary(
        article_id, "t", "s", None, ArticleStatus.NEW, 0, 0, 0, 0, 0, False, 0, 0.0,
        versions=versions,
    )  # fmt: skip


def test_status_mine_keeps_the_annotators_articles() -> None:
    mine = {"a", "c"}
    predicate = parse_filter("status:mine", mine=lambda s: s.id in mine)
    assert predicate is not None
    assert [i for i in "abc" if predicate(_summary(i, {}))] == ["a", "c"]
    done_and_mine = parse_filter("status:mine status:done", mine=lambda s: True)
    assert done_and_mine is not None and not done_and_mine(_summary("a", {}))


def test_team_and_overlap_come_from_the_config_file() -> None:
    write_config('annotator = "bob"\nteam = ["alice", "bob"]\noverlap = 1\n')
    settings = load_settings(environ={})
    assert (settings.team, settings.overlap) == (("alice", "bob"), 1)
    path = write_config("overlap = -1\n")
    with pytest.raises(ConfigError, match="'overlap'") as error:
        load_settings(environ={})
    assert str(path) in str(error.value)
