"""The side panels (legend, details) repaint only the rows a decision changed."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult
from textual.geometry import Region

from annotate.model import Annotations, Span, Status
from tui.widgets.legend import Legend


class LegendApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Legend(id="legend")


ENTITIES = (
    Span(0, 4, "PERSON"),
    Span(5, 9, "PERSON"),
    Span(10, 14, "PERSON"),
    Span(15, 19, "ORG"),
    Span(20, 24, "GPE"),
)


def rows(legend: Legend) -> list[str]:
    return legend.content.plain.splitlines()


async def test_a_rejection_repaints_only_the_row_whose_count_changed() -> None:
    app = LegendApp()
    async with app.run_test(size=(40, 12)) as pilot:
        legend = app.query_one(Legend)
        legend.show(Annotations(entities=ENTITIES))
        await pilot.pause()
        assert [r.split() for r in rows(legend)] == [["PERSON", "3"], ["GPE", "1"], ["ORG", "1"]]

        refreshed: list[Region] = []
        original = legend.refresh

        def spy(*regions: Region, **kwargs: bool) -> Legend:
            refreshed.extend(regions)
            return original(*regions, **kwargs)

        legend.refresh = spy  # type: ignore[method-assign]
        rejected = replace(ENTITIES[0], status=Status.REJECTED)
        legend.show(Annotations(entities=(rejected, *ENTITIES[1:])))
        assert [region.y for region in refreshed] == [0]  # PERSON 3 -> PERSON 2
        assert rows(legend)[0].split() == ["PERSON", "2"]
        await pilot.pause()
        assert "PERSON  2" in "".join(seg.text for seg in legend.render_line(0))

        refreshed.clear()
        legend.show(Annotations(entities=(rejected, *ENTITIES[1:])))
        assert refreshed == []  # nothing changed: nothing repainted
