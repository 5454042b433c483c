"""Reading files: kinds, safe decoding, Markdown and HTML articles, folder walking."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.formats.base import Failure, FormatError, Imported
from annotate.formats.html import article_from_html
from annotate.formats.readers import (
    decode,
    iter_paths,
    markdown_to_text,
    read_bytes,
    read_path,
    sniff,
)

NEWS_PAGE = """<!DOCTYPE html>
<html><head><title>Port strike ends | The Daily</title>
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-03-05T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/login">Log in</a></nav>
<article>
<h1>Port strike ends after ten days</h1>
<p>Dock workers in the northern port returned to work on Tuesday after the union accepted
a new pay offer from the operators, ending a ten-day strike that had stranded ships.</p>
<p>"We got what we came for," union leader Maria Costa told reporters outside the gates,
adding that the deal would be put to a vote of all members next week.</p>
</article>
<footer>Copyright 2024 The Daily. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""


def test_decode_refuses_binary_other_encodings_and_empty() -> None:
    with pytest.raises(FormatError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(FormatError, match="not UTF-8.*0xe9 at offset 3"):
        decode("Caf\u00e9".encode("latin-1"))
    with pytest.raises(FormatError, match="empty"):
        decode(b" \n\t ")
    assert decode("\ufeffHello".encode()) == "Hello"


def test_sniff_kinds() -> None:
    assert sniff('  {"text": "x"}') == "jsonl"
    assert sniff("<!DOCTYPE html><html>") == "html"
    assert sniff("-DOCSTART- O\n\nEU B-ORG") == "conll"
    assert sniff("Just a headline\n\nAnd a body.") == "text"


def test_markdown_becomes_plain_text_with_front_matter() -> None:
    text, meta = markdown_to_text(
        '---\ntitle: "Big day"\ndate: 2024-01-02\n---\n# Big day\n\n'
        "The **mayor** said [it](http://x) was *fine*. ![pic](a.png)\n> quoted `code`\n"
    )
    assert meta == {"title": "Big day", "date": "2024-01-02", "format": "markdown"}
    assert text == "Big day\n\nThe mayor said it was fine. \nquoted code\n"


def test_html_page_gives_main_text_title_date_and_author() -> None:
    article = article_from_html(NEWS_PAGE, source="page.html")
    assert "Dock workers in the northern port" in article.text
    assert "Maria Costa told reporters" in article.text
    assert "Log in" not in article.text and "newsletter" not in article.text
    assert article.published is not None and article.published.startswith("2024-03-05")
    assert article.meta.get("author") == "Jane Roe"
    assert "Port strike" in article.title
    assert article.text.startswith(article.title)


def test_html_without_article_text_is_a_clear_error() -> None:
    with pytest.raises(FormatError, match="no article text"):
        article_from_html(
            "<html><head><title>T</title></head><body><script>go()</script></body></html>",
            source="x.html",
        )


def test_read_path_by_kind(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Title\n\nSome *text* here.", encoding="utf-8")
    (tmp_path / "page.html").write_text(NEWS_PAGE, encoding="utf-8")
    (tmp_path / "data.conll.txt").write_text("-DOCSTART- O\n\nEU B-ORG\nsays O\n", "utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\x00")
    md = list(read_path(tmp_path / "a.md"))
    assert isinstance(md[0], Imported) and md[0].article.text == "Title\n\nSome text here."
    html = list(read_path(tmp_path / "page.html"))
    assert isinstance(html[0], Imported) and "Dock workers" in html[0].article.text
    conll = list(read_path(tmp_path / "data.conll.txt"))
    assert isinstance(conll[0], Imported) and conll[0].annotations is not None
    assert conll[0].annotations.entities[0].label == "ORG"
    bad = list(read_path(tmp_path / "bad.txt"))
    assert isinstance(bad[0], Failure) and bad[0].where == str(tmp_path / "bad.txt")


def test_read_bytes_sniffs_stdin() -> None:
    (item,) = read_bytes(b'{"text": "From stdin."}\n', "<stdin>")
    assert isinstance(item, Imported) and item.article.text == "From stdin."
    (text_item,) = read_bytes(b"Plain words\n\nmore.", "<stdin>")
    assert isinstance(text_item, Imported) and text_item.article.title == "Plain words"


def test_iter_paths_walks_folders_and_names_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "sub" / ".hidden").mkdir(parents=True)
    for name in ("b.txt", "sub/a.md", "sub/skip.png", "sub/.hidden/x.txt", ".dot.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = list(iter_paths([str(tmp_path), str(tmp_path / "nope.txt"), "-"]))
    paths = [p for p in found if isinstance(p, Path)]
    assert paths == [tmp_path / "b.txt", tmp_path / "sub" / "a.md", Path("-")]
    (missing,) = [p for p in found if isinstance(p, Failure)]
    assert missing.where.endswith("nope.txt") and "no such file" in missing.reason
