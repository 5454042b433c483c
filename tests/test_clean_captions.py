"""Captions in plain text leave the body for ``meta["captions"]`` (issue 13): a line that
ends with its credit, credit lines, and the short line directly under an image marker.

Rules live in ``annotate/data/boilerplate.toml``; these tests use the packaged file.
"""

from __future__ import annotations

from annotate.clean import clean_text

BODY = (
    "The 22nd Fan Expo Canada took place at the Metro Toronto Convention Centre this "
    "weekend, attracting thousands to the event, one of the most popular in North America."
)


def captions(raw: str) -> list[str]:
    return [c["text"] for c in clean_text(raw).captions]


def test_a_caption_ending_with_its_credit_leaves_the_body() -> None:
    lines = [
        "Successful Stormtroopers share a high-five. Image: Nick Moreau.",
        "Peekaboo Cosplay as The Fawn Image: Nick Moreau.",
        "NASA tweeted support of Ahmed Mohamed Image: Twitter / NASA.",
        "The first competition was held this week in Washington D.C. Image: United States Navy.",
        "Pilgrims at the Grand Mosque in 2008. Photo credit: Jane Roe of the Daily Star",
        "Protesters in Caracas on Monday. (REUTERS / Manaure Quintero)",
        "Credit: AP",
    ]
    raw = "Fan Expo\n\n" + "\n\n".join([BODY, *lines, BODY.replace("22nd", "23rd")])
    cleaned = clean_text(raw)
    assert [c["text"] for c in cleaned.captions] == lines
    assert cleaned.text == "Fan Expo\n\n" + BODY + "\n\n" + BODY.replace("22nd", "23rd")


def test_a_body_sentence_with_a_colon_is_not_a_caption() -> None:
    lines = [
        "He posted the picture: a dog on a bike.",
        "The ministry released one photo: Smith at the border, smiling.",
        "It was the worst image: Thousands of people queued in the rain for hours and days.",
    ]
    raw = "Title\n\n" + "\n\n".join([BODY, *lines])
    cleaned = clean_text(raw)
    assert cleaned.captions == []
    assert all(line in cleaned.text for line in lines)


def test_the_short_line_under_an_image_marker_is_its_caption() -> None:
    raw = (
        "Crane falls\n\n"
        + BODY
        + "\n\n![A crane over the mosque](crane.jpg)\n\n"
        + "Pilgrims at Mecca's Grand Mosque in 2008.\n\n"
        + BODY.replace("22nd", "23rd")
        + "\n\n[Image]\n"
        + "The Plains of Arafat on the day of Hajj\n"
        + BODY.replace("22nd", "24th")
    )
    cleaned = clean_text(raw)
    assert [c["text"] for c in cleaned.captions] == [
        "![A crane over the mosque](crane.jpg)",
        "Pilgrims at Mecca's Grand Mosque in 2008.",
        "[Image]",
        "The Plains of Arafat on the day of Hajj",
    ]
    assert [c["rule"] for c in cleaned.captions][1] == "image-marker (caption)"
    for year in ("22nd", "23rd", "24th"):
        assert BODY.replace("22nd", year) in cleaned.text  # only one line goes per marker


def test_a_long_paragraph_under_an_image_marker_stays() -> None:
    long_line = " ".join([BODY] * 2)
    cleaned = clean_text("Title\n\n" + BODY + "\n\n[Photo]\n\n" + long_line)
    assert captions("Title\n\n" + BODY + "\n\n[Photo]\n\n" + long_line) == ["[Photo]"]
    assert long_line in cleaned.text
