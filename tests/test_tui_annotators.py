"""Three annotators take turns in the app on a seed article (issue 16): each sees the
shared suggestions blind to the others' decisions, and the agreement of their versions
is what a hand computation gives."""

from __future__ import annotations

import io

import pytest
from textual.geometry import Region

from annotate.agreement import agreement, token_spans
from annotate.model import Annotations, ArticleStatus, Span, Status
from store import Store
from store.reading import open_source
from store.versions import GOLD, Viewer
from tests.conftest import wait_for
from tui.app import NewsreadApp
from tui.cli.agreement_cmd import article_versions
from tui.cli.review_cmd import review
from tui.config import Settings
from tui.screens.report import ReportScreen

# Each annotator's keys on the three suggestions, in reading order: Colombia, Russia,
# Diego Molano (a = accept and move on, x = reject and move on, A = accept all).
TURNS = {"alice": ["A"], "bob": ["x", "a", "a"], "carol": ["a", "x", "x"]}


def _suggest(store: Store) -> tuple[str, str]:
    """Give the first seed article three shared suggestions; its id and text."""
    summary = store.list_articles()[0]
    article, _ = store.get(summary.id)
    text = article.text

    def span(words: str, label: str) -> Span:
        start = text.index(words)
        return Span(start, start + len(words), label)

    suggested = Annotations(
        entities=(span("Colombia", "GPE"), span("Russia", "GPE"), span("Diego Molano", "PERSON"))
    )
    store.save_analysis(summary.id, suggested, {"model": "test", "version": "0"})
    return summary.id, text


async def test_three_annotators_blind_views_and_agreement(
    seeded_store: Store, settings: Settings
) -> None:
    article_id, text = _suggest(seeded_store)
    for who, keys in TURNS.items():
        app = NewsreadApp(
            seeded_store, Settings(store=settings.store, annotator=who), analyze=False
        )
        async with app.run_test(size=(120, 40)) as pilot:
            app.open_article(article_id)
            await pilot.pause()
            shown = app.main.annotations.entities
            assert [s.status for s in shown] == [Status.PENDING] * 3, who  # blind
            assert seeded_store.summary(article_id).status is ArticleStatus.NEW
            if app.main.focused_item is None:
                await pilot.press("tab")
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            assert seeded_store.summary(article_id).status is ArticleStatus.DONE
            assert f"@{who}" in app.main.progress.line()

    versions = seeded_store.versions(article_id)
    accepted = {
        name: [text[s.start : s.end] for s in v.entities if s.status is Status.ACCEPTED]
        for name, v in versions.items()
    }
    assert accepted == {
        "alice": ["Colombia", "Russia", "Diego Molano"],
        "bob": ["Russia", "Diego Molano"],
        "carol": ["Colombia"],
    }
    report = agreement(article_versions(seeded_store))
    pairs = {(p["a"], p["b"]): p for p in report["pairs"]}
    assert report["articles"] == 1  # the other seed article has no version
    exact = {k: p["exact"]["entities"]["overall"] for k, p in pairs.items()}
    assert exact == {("alice", "bob"): 4 / 5, ("alice", "carol"): 2 / 4, ("bob", "carol"): 0.0}
    # By hand, with N word tokens: alice tags G G P P, bob O G P P, carol G O O O.
    n = len(token_spans(text))
    po, pe = (n - 1) / n, (2 * 1 + 2 * 2 + (n - 4) * (n - 3)) / n**2
    assert pairs[("alice", "bob")]["token_kappa"] == pytest.approx((po - pe) / (1 - pe))
    # alpha: 4 units of counts {x: 2, y: 1} (each adds 2), totals G 4, P 4, O 3N - 8
    total = 3 * n
    expected_alpha = 1 - (total - 1) * 8 / (total**2 - 16 - 16 - (total - 8) ** 2)
    assert report["alpha"] == pytest.approx(expected_alpha)

    # a review resolves every conflict (the majority each time: Enter) into gold
    asked = io.StringIO()
    outcome = review(seeded_store, "rita", io.StringIO("\n" * 3), asked)
    assert outcome == (1, 3, 3)  # one article, three conflicts, three keys (Enter)
    assert "1* GPE" in asked.getvalue() and "alice, carol" in asked.getvalue()
    gold = seeded_store.versions(article_id)["gold"]
    resolved = [
        (text[s.start : s.end], s.label) for s in gold.entities if s.status is Status.ACCEPTED
    ]
    assert resolved == [("Colombia", "GPE"), ("Russia", "GPE"), ("Diego Molano", "PERSON")]
    source = open_source(settings.store, Viewer((GOLD,), merged=False))
    try:
        (listed,) = [a for a in source.listing() if a.id == article_id]
        exported = source.docs(article_id).entities
        assert listed.status == "done"
        assert sorted((e["label"], e["status"]) for e in exported) == [
            ("GPE", "accepted"), ("GPE", "accepted"), ("PERSON", "accepted")
        ]  # fmt: skip
    finally:
        source.close()

    # the same figures in the app (palette: "Annotator agreement")
    app = NewsreadApp(seeded_store, Settings(store=settings.store, annotator="rita"), analyze=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.run_action("agreement")
        await wait_for(lambda: isinstance(app.screen, ReportScreen))
        await pilot.pause()
        painted = "\n".join(
            str(s) for s in app.screen.query_one("#report").render_lines(Region(0, 0, 108, 60))
        )
        assert "alice · bob" in painted and f"{expected_alpha:.3f}" in painted
        await pilot.press("escape")
        # asked for, the others' choices on the open article, side by side
        app.open_article(article_id)
        await app.run_action("compare")
        await pilot.pause()
        table = app.screen.query_one("#report").render_lines(Region(0, 0, 108, 30))
        rows = [line.text for line in table]
        russia = next(r for r in rows if "“Russia”" in r)
        assert [c.strip() for c in russia.split("│")[2:6]] == ["GPE", "GPE", "—", "GPE"]


async def test_the_queue_puts_the_annotators_own_articles_first(
    seeded_store: Store, settings: Settings
) -> None:
    """With an overlap of one in a team of two, each seed article is one member's: the
    list shows theirs first and ``status:mine`` keeps only theirs."""
    from annotate.assignment import assigned

    ids = [s.id for s in seeded_store.list_articles()]

    def own_of(team: tuple[str, str]) -> list[str]:
        return [i for i in ids if assigned(i, "tester", team, 1)]

    # a partner with whom the hash splits the two seeds one each
    team = next(t for n in "abcdefghij" if len(own_of(t := ("tester", n))) == 1)
    own = own_of(team)
    turn = Settings(store=settings.store, annotator="tester", team=team, overlap=1)
    app = NewsreadApp(seeded_store, turn, analyze=False)
    async with app.run_test(size=(120, 40)) as pilot:
        rows = [r.id for r in app.main.article_list.rows]
        assert rows == own + [i for i in ids if i not in own]
        await pilot.press("slash")
        for key in "status:mine":
            await pilot.press(key if key != ":" else "colon")
        await pilot.pause()
        assert [r.id for r in app.main.article_list.rows] == own
