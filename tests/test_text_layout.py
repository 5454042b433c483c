"""Laying out annotated text: tags after marks, offsets both ways, wrapping by cells."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.style import Style

from tui.widgets.text_layout import Mark, build_layout, visible, wrap_offsets

BOLD = Style(bold=True)


def test_tags_follow_their_marks_and_offsets_map_both_ways() -> None:
    text = "Diego Molano said hi."
    layout = build_layout(text, [Mark(0, 12, BOLD, "PERSON"), Mark(13, 17, BOLD, "CUE")], 80)
    assert layout.display.plain == "Diego Molano PERSON said CUE hi."
    assert layout.display_offset(12) == len("Diego Molano PERSON")
    assert layout.display_offset(13) == len("Diego Molano PERSON ")
    assert layout.text_offset(layout.display_offset(18)) == 18
    styled = {layout.display.plain[s.start : s.end] for s in layout.display.spans}
    assert "Diego Molano PERSON" in styled and " PERSON" in styled and "said CUE" in styled


def test_wrap_breaks_after_spaces_and_cuts_long_words() -> None:
    assert wrap_offsets("aaa bbb ccc", 7) == [(0, 8), (8, 11)]
    assert wrap_offsets("aaa bbb ccc", 6) == [(0, 4), (4, 8), (8, 11)]
    assert wrap_offsets("aaaa bbb", 4) == [(0, 5), (5, 8)]  # the edge space ends line 1
    assert wrap_offsets("abcdefghij", 4) == [(0, 4), (4, 8), (8, 10)]
    assert wrap_offsets("one\n\ntwo", 10) == [(0, 3), (4, 4), (5, 8)]


def test_wide_characters_count_two_cells() -> None:
    lines = wrap_offsets("漢字漢字 漢字", 4)
    assert lines == [(0, 2), (2, 5), (5, 7)]
    assert wrap_offsets("漢字漢字 漢字", 5) == [(0, 2), (2, 5), (5, 7)]


def test_control_characters_become_visible_placeholders() -> None:
    assert visible("a\x1b[31mb\x07") == "a\ufffd[31mb\ufffd"


@given(st.text(alphabet=st.sampled_from("ab ž漢\n"), max_size=60), st.integers(1, 12))
def test_wrapping_covers_every_character_once(text: str, width: int) -> None:
    lines = wrap_offsets(text, width)
    covered = "".join(text[a:b] for a, b in lines)
    assert covered == text.replace("\n", "")
    for a, b in lines:
        visible_cells = sum(2 if c == "漢" else 1 for c in text[a:b].rstrip(" "))
        assert visible_cells <= width or len(text[a:b].rstrip(" ")) == 1


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)), max_size=6))
def test_every_text_offset_maps_into_the_display(raw: list[tuple[int, int]]) -> None:
    text = "The quick brown fox jumps over it"
    marks = [Mark(s, min(len(text), s + n), BOLD, "T") for s, n in raw if s <= len(text)]
    layout = build_layout(text, marks, 10)
    for offset in range(len(text)):
        shown = layout.display_offset(offset)
        assert layout.display.plain[shown] == text[offset]
        assert layout.text_offset(shown) == offset
