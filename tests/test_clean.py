"""Cleaning: what leaves the body, where it goes, and the map back to the file's offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.boilerplate import default_rules, parse_rules
from annotate.clean import (
    MAX_ARTICLE_CHARS,
    ArticleTooLarge,
    EmptyArticle,
    clean_article,
    clean_text,
    parse_date,
)
from annotate.control import strip_control
from annotate.offsets import OffsetMap, offset_map, raw_offset
from seeds import seed_files

SEED_000, SEED_003 = (p.read_text(encoding="utf-8") for p in seed_files())


def assert_map_faithful(raw: str, text: str, meta: dict) -> None:
    """Every character of the clean text maps to the same character of the raw file
    (spaces may stand for other whitespace, inserted paragraph breaks map nowhere)."""
    mapping = offset_map(meta)
    for clean_start, raw_start, length in mapping.segments:
        for i in range(length):
            a, b = text[clean_start + i], raw[raw_start + i]
            assert a == b or (a.isspace() and b.isspace()), (clean_start + i, a, b)
            assert mapping.to_clean(raw_start + i) == clean_start + i


def test_seed_000_keeps_title_and_drops_the_footer() -> None:
    article = clean_article(SEED_000, source="seeds/000")
    assert article.title == "Colombia accuses Russia of “interfering” on its border with Venezuela"
    assert article.text.startswith(article.title + "\n\n“We know")
    assert article.text.endswith("these “completely baseless” accusations.")
    dropped = [b["text"] for b in article.meta["boilerplate"]]
    assert dropped == [
        "Related Articles",
        "Leave a Reply",
        "Your email address will not be published.",
        "Back to top button",
    ]
    assert article.published is None
    assert_map_faithful(SEED_000, article.text, dict(article.meta))


def test_seed_003_header_captions_credits_and_stray_script() -> None:
    article = clean_article(SEED_003)
    assert article.published == "2022-01-14"
    assert article.meta["header"][0]["text"] == "date 2022-01-14"
    captions = [c["text"] for c in article.meta["captions"]]
    assert captions[0] == "Photo by Colombian Defense Minister Diego Molano"
    assert captions[1].startswith("File photo: Venezuelan soldiers")
    assert captions[2].startswith("File: Ukrainian soldiers")
    assert [c["text"] for c in article.meta["credits"]] == [
        "With information from EuropaPress and AP"
    ]
    for gone in ("REUTERS", "File photo", "date 2022", "அது", "EuropaPress"):
        assert gone not in article.text
    assert article.text.startswith("Colombian Defense Minister Diego Molano promised")
    assert article.title.startswith("Colombian Defense Minister Diego Molano promised")
    assert len(article.title) <= 121 and article.title.endswith("…")
    # A caption's raw offsets point at it in the file.
    first = article.meta["captions"][1]
    assert SEED_003[first["raw_start"] : first["raw_end"]] == first["text"]
    assert_map_faithful(SEED_003, article.text, dict(article.meta))


def test_raw_offset_of_a_quote_in_seed_003() -> None:
    article = clean_article(SEED_003)
    clean = article.text.index("Our General Forces")
    assert SEED_003[raw_offset(article.meta, clean) :].startswith("Our General Forces")
    assert raw_offset(article.meta, clean) == SEED_003.index("Our General Forces")


@pytest.mark.parametrize(
    "line",
    [
        "Share this:",
        "Share on Facebook",
        "Facebook Twitter WhatsApp Email",
        "Advertisement",
        "ADVERTISEMENT",
        "Story continues below advertisement",
        "Tags: Colombia, Russia, Venezuela",
        "© 2022 Example Media. All rights reserved.",
        "Copyright 2021 The Daily Planet",
        "Read more: Russia says troops will stay",
        "READ ALSO: Talks resume in Geneva",
        "Sign up for our newsletter",
        "Subscribe to our newsletter for the latest updates.",
        "Follow us on Twitter",
        "Back to top",
        "Skip to content",
        "Previous article",
        "Next post",
        "Click to share on Twitter (Opens in new window)",
        "Like this:",
        "Filed under: World",
        "We use cookies to improve your experience on our site.",
        "Please enter your comment!",
        "Comments (12)",
        "%d bloggers like this:",
    ],
)
def test_common_cms_boilerplate_lines_are_dropped(line: str) -> None:
    body = "Officials met on Monday to discuss the border.\n\nThe talks lasted three hours."
    rule = default_rules().classify(line)
    assert rule is not None and rule.kind == "boilerplate"
    # A footer that starts a block (comment form, related links) takes the short lines
    # after it; any other boilerplate line goes alone, even mid-article.
    after = "" if rule.tail else "\n\nThe next meeting is in May."
    raw = f"Border talks resume\n\n{body}\n\n{line}{after}"
    article = clean_article(raw)
    assert article.text == f"Border talks resume\n\n{body}" + after
    assert [b["text"] for b in article.meta["boilerplate"]] == [line]


def test_body_text_that_starts_like_a_footer_is_kept() -> None:
    long = (
        "Read more carefully, the report shows that the ministry knew about the problem "
        "for months and chose not to act, according to three officials who spoke to us."
    )
    article = clean_article(f"Title\n\n{long}")
    assert long in article.text


@pytest.mark.parametrize(
    "caption",
    [
        "File photo: Soldiers patrol the border near Cucuta. (REUTERS / Luisa Gonzalez)",
        "Protesters gather in Bogota on Friday. (AP Photo/Fernando Vergara)",
        "Photo: Juan Perez/AFP",
        "Image: Getty Images",
        "A man walks past a mural in Caracas (Photo by Juan Barreto / AFP via Getty Images)",
    ],
)
def test_captions_go_to_meta(caption: str) -> None:
    raw = f"Headline here\n\nFirst paragraph of the story.\n\n{caption}\n\nSecond paragraph."
    article = clean_article(raw)
    assert caption not in article.text
    assert [c["text"] for c in article.meta["captions"]] == [caption]


def test_reuters_style_credit_line_goes_to_credits() -> None:
    raw = "Headline\n\nThe story.\n\n(Reporting by Jane Doe; Editing by John Roe)"
    article = clean_article(raw)
    assert article.text == "Headline\n\nThe story."
    assert article.meta["credits"][0]["text"] == "(Reporting by Jane Doe; Editing by John Roe)"


def test_a_related_articles_block_goes_with_its_marker() -> None:
    raw = (
        "Headline\n\nThe story ends here.\n\nRelated Articles\n\n"
        "Russia moves troops\nColombia protests to Moscow\n\nLeave a Reply\n\n"
        "Name *\nEmail *\nWebsite\n"
    )
    article = clean_article(raw)
    assert article.text == "Headline\n\nThe story ends here."
    assert "Colombia protests to Moscow" in [b["text"] for b in article.meta["boilerplate"]]


def test_prose_after_a_footer_marker_is_body_again() -> None:
    paragraph = (
        "The minister later said the troops would remain at the border for as long as "
        "needed, and that the government would review the decision in a month."
    )
    raw = f"Headline\n\nFirst.\n\nRelated\n\nShort headline\n\n{paragraph}"
    article = clean_article(raw)
    assert paragraph in article.text
    assert "Short headline" not in article.text


@pytest.mark.parametrize(
    ("header", "iso"),
    [
        ("date 2022-01-14", "2022-01-14"),
        ("Published: January 14, 2022", "2022-01-14"),
        ("Posted on 14 Jan 2022 10:32 GMT", "2022-01-14"),
        ("Friday, January 14, 2022", "2022-01-14"),
        ("Updated: 2022/01/14", "2022-01-14"),
    ],
)
def test_header_dates_become_published(header: str, iso: str) -> None:
    article = clean_article(f"{header}\nThe headline\n\nThe body of the story.")
    assert article.published == iso
    assert article.title == "The headline"
    assert header not in article.text


def test_a_date_opening_a_sentence_is_body_text() -> None:
    raw = "January 14, 2022 was the coldest day of the year in Bogota.\n\nMore text."
    article = clean_article(raw)
    assert article.published is None
    assert article.text.startswith("January 14, 2022 was")


def test_byline_goes_to_meta() -> None:
    article = clean_article("The headline\nBy Jane Doe and John Roe\n\nThe body.")
    assert article.meta["byline"] == "By Jane Doe and John Roe"
    assert article.text == "The headline\n\nThe body."


def test_parse_date_rejects_impossible_dates() -> None:
    assert parse_date("2022-02-30") is None
    assert parse_date("March 3, 2020 and more") == ("2020-03-03", 13)


def test_stray_words_in_another_script_are_removed_and_recorded() -> None:
    raw = "Headline\n\nThe talks ended without a deal அது and both sides left."
    article = clean_article(raw)
    assert article.text == "Headline\n\nThe talks ended without a deal and both sides left."
    assert [s["text"] for s in article.meta["stray"]] == ["அது"]
    assert_map_faithful(raw, article.text, dict(article.meta))


def test_glosses_in_brackets_and_non_latin_articles_are_kept() -> None:
    gloss = "Headline\n\nPresident Xi Jinping (习近平) arrived in Moscow on Monday evening."
    assert "(习近平)" in clean_article(gloss).text
    russian = "Заголовок\n\nПрезидент прибыл в Москву, сообщает NATO источник."
    article = clean_article(russian)
    assert "NATO" in article.text and "stray" not in article.meta


def test_control_characters_and_escapes_are_removed_with_offsets_kept() -> None:
    raw = "Head\x1b[31mline\x07\r\n\r\nBody \x1b]0;title\x07text\u200b here.\r\n"
    article = clean_article(raw)
    assert article.text == "Headline\n\nBody text here."
    assert "\x1b" not in article.text and "\r" not in article.text
    assert_map_faithful(raw, article.text, dict(article.meta))


def test_hard_wrapped_lines_are_joined_into_paragraphs() -> None:
    raw = (
        "Headline\n\nThe minister said on Monday that the border would stay closed\n"
        "until the talks in Geneva produce an agreement acceptable to both sides.\n"
        "A second sentence starts a new line.\n"
    )
    article = clean_article(raw)
    assert "closed until the talks" in article.text
    assert "both sides.\nA second" in article.text
    assert_map_faithful(raw, article.text, dict(article.meta))


def test_empty_and_boilerplate_only_articles_are_refused() -> None:
    with pytest.raises(EmptyArticle, match="empty article"):
        clean_article(" \n\t\n")
    with pytest.raises(EmptyArticle, match="after cleaning"):
        clean_article("Leave a Reply\n\nBack to top button\n")


def test_too_large_articles_are_refused() -> None:
    with pytest.raises(ArticleTooLarge, match=f"{MAX_ARTICLE_CHARS:,}"):
        clean_article("a" * (MAX_ARTICLE_CHARS + 1))


def test_rules_are_data() -> None:
    rules = parse_rules(
        """
        [[rule]]
        name = "house-style"
        kind = "boilerplate"
        lines = ["brought to you by the newsroom"]
        max_words = 8
        """
    )
    raw = "Headline\n\nBody.\n\nBrought to you by the newsroom"
    assert clean_text(raw, rules).text == "Headline\n\nBody."
    assert "Brought to you by the newsroom" in clean_text(raw, default_rules()).text


def test_offset_map_round_trip_and_gaps() -> None:
    mapping = OffsetMap(((0, 10, 5), (7, 20, 3)))
    assert mapping.to_raw(2) == 12
    assert mapping.to_raw(5) == 15  # inside an inserted break: end of the segment before
    assert mapping.to_raw(8) == 21
    assert mapping.to_clean(21) == 8
    assert mapping.to_clean(16) is None
    assert mapping.span_to_raw(7, 10) == (20, 23)
    assert OffsetMap.from_list(mapping.to_list()) == mapping
    assert raw_offset({}, 42) == 42


def test_strip_control_keeps_its_contract() -> None:
    assert strip_control("a\x1b[1mb\r\nc\rd\x00") == "ab\nc\nd"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*"ab Z.\n\r\t“”\"'’‘«»:,()", "\x1b[2J", "\x00", "அது", "я"]
            + ["Leave a Reply", "date 2022-01-14 ", "Photo: x"]
        ),
        max_size=60,
    ).map("".join)
)
def test_cleaning_never_raises_and_the_map_stays_faithful(raw: str) -> None:
    cleaned = clean_text(raw)
    meta = cleaned.meta()
    assert_map_faithful(raw, cleaned.text, meta)
    assert "\x1b" not in cleaned.text and "\x00" not in cleaned.text
    assert cleaned.text == cleaned.text.strip()


def test_wire_page_header_block() -> None:
    """A scraped wire page: menu, repeated headline, section, date line, byline furniture."""
    raw = (
        " date 2019-03-02 WorldBusiness MarketsPolitics TechInvestigations @ Example Wire\n"
        "Mayor vows to rebuild flooded district\n"
        "#World News\n"
        "March 2, 2019 / 6:05 AM / Updated 4 hours ago\n\n"
        "Mayor vows to rebuild flooded district\n\n"
        "Reuters Staff\n\n"
        "2 Min Read\n\n"
        "LIMA (Reuters) - The mayor said on Saturday the district would be rebuilt.\n\n"
        "Residents waded through the water on Friday. REUTERS/Ana Perez\n\n"
        "(This version of the story corrects the mayor's title in paragraph one)\n\n"
        "Reporting by Ana Perez; Editing by Tom Lee\n\n"
        "Our Standards:The Thomson Reuters Trust Principles.\n"
        "Source: https://example.com/story/123\n"
    )
    article = clean_article(raw)
    assert article.text == (
        "Mayor vows to rebuild flooded district\n\n"
        "LIMA (Reuters) - The mayor said on Saturday the district would be rebuilt."
    )
    assert article.published == "2019-03-02"
    assert article.title == "Mayor vows to rebuild flooded district"
    rules = {b["rule"] for b in article.meta["boilerplate"]}
    assert {"glued-menu", "repeated-title", "article-furniture"} <= rules
    assert article.meta["captions"][0]["text"].endswith("REUTERS/Ana Perez")
    assert [c["rule"] for c in article.meta["credits"]] == ["editorial-note", "credit"]
    assert_map_faithful(raw, article.text, dict(article.meta))


def test_a_dateline_with_time_and_age_is_a_header() -> None:
    article = clean_article("Headline\nApril 24, 2014 / 5:16 AM / 3 years ago\n\nBody text.")
    assert article.published == "2014-04-24"
    assert article.text == "Headline\n\nBody text."


def test_a_footer_marker_above_the_story_only_drops_itself() -> None:
    raw = "Related materials:\n\nSanctions under review\n\nOfficials said more were coming."
    article = clean_article(raw)
    assert article.text == "Sanctions under review\n\nOfficials said more were coming."


def test_camel_case_names_in_a_title_are_not_a_menu() -> None:
    title = "McDonald's opens in Tbilisi as iPhone sales fall"
    assert clean_article(f"{title}\n\nBody.").title == title


def test_page_furniture_around_a_story() -> None:
    raw = (
        "Notification Settings\n\nNewsletter\n\n"
        "Mayor promises new bridge\n\nUK NewsPublished: Last Updated:\n\n"
        "Harbour at dawn\nHarbour at dawn\n\n"
        "The mayor said the bridge would open next year.\n\nUK News\n"
    )
    article = clean_article(raw)
    assert article.text == (
        "Mayor promises new bridge\n\nThe mayor said the bridge would open next year."
    )
    assert [c["text"] for c in article.meta["captions"]] == ["Harbour at dawn"] * 2
    assert article.meta["boilerplate"][-1] == {
        "text": "UK News",
        "raw_start": raw.index("UK News\n"),
        "raw_end": raw.index("UK News\n") + 7,
        "rule": "trailing-label",
    }


def test_lines_are_kept_apart_unless_the_file_is_hard_wrapped() -> None:
    body = "A long line of the story that stops without any punctuation\nAnd another line."
    assert clean_article(f"Headline\n\n{body}").text == f"Headline\n\n{body}"
    wrapped = (
        "The council voted on Tuesday to close the old harbour bridge to\n"
        "traffic after engineers found cracks in two of its supporting\n"
        "piers, a decision that the mayor, who had opposed it, called\n"
        "Brussels-style overreach in a statement on Wednesday.\n"
    )
    article = clean_article(f"Headline\n\n{wrapped}")
    assert "called Brussels-style" in article.text and "\n" not in article.text[10:]
