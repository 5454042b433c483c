"""Control-character removal with a map: one set of patterns, offsets that stay exact."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotate.control import clean_with_offsets, strip_control

PIECES = st.sampled_from(
    ["Kim", " ", "said", "\n", "\r\n", "\r", "\x1b[31m", "\x1b]52;c;QQ==\x07", "\x00", "\u202e",
     "\x9b", "é", "“", "\t"]
)  # fmt: skip


@given(st.lists(PIECES, max_size=30))
def test_the_map_sends_every_kept_character_to_itself(pieces: list[str]) -> None:
    raw = "".join(pieces)
    cleaned, offsets = clean_with_offsets(raw)
    assert cleaned == strip_control(raw)
    kept = 0
    for i, ch in enumerate(raw):
        start, end = offsets.span_to_clean(i, i + 1)
        assert 0 <= start <= end <= len(cleaned)
        if end > start:  # a kept character: the same one (a lone \r became \n)
            assert cleaned[start] == ("\n" if ch == "\r" else ch)
            kept += 1
    assert kept == len(cleaned)
    assert offsets.span_to_clean(0, len(raw)) == (0, len(cleaned))


def test_a_span_over_removed_characters_keeps_what_it_covered() -> None:
    raw = "A \x1b[1mbold\x1b[0m word"
    cleaned, offsets = clean_with_offsets(raw)
    assert cleaned == "A bold word"
    start, end = offsets.span_to_clean(raw.index("\x1b[1m"), raw.index(" word"))
    assert cleaned[start:end] == "bold"
    assert offsets.span_to_raw(start, end) == (raw.index("bold"), raw.index("bold") + 4)


def test_clean_text_maps_to_itself() -> None:
    cleaned, offsets = clean_with_offsets("Plain text.")
    assert cleaned == "Plain text." and offsets.span_to_clean(6, 10) == (6, 10)
