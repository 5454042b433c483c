"""News pages saved as HTML: the article's main text, title, date and author.

Extraction is trafilatura's (a library made for pulling the article out of a news
page's navigation, ads and comments).  It only ever sees the string it is given:
nothing is fetched, so importing a saved page never touches the network.  The
result goes through ``annotate.clean.clean_article`` like any other text.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from annotate.clean import clean_article
from annotate.formats.base import FormatError
from annotate.model import Article


def extract(html: str) -> dict[str, Any]:
    """The main text and metadata trafilatura finds in ``html`` (empty text if none)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None:
        return {"text": ""}
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return {
        key: data.get(key)
        for key in ("text", "title", "author", "date", "sitename", "url", "description")
    }


def article_from_html(html: str, *, source: str) -> Article:
    """An article from a saved news page; :class:`FormatError` when it has no main text."""
    found = extract(html)
    body = str(found.get("text") or "").strip()
    if not body:
        raise FormatError("no article text found in the HTML")
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    title = str(found.get("title") or "").strip()
    if title and paragraphs[0] != title:
        paragraphs.insert(0, title)
    meta = {
        key: found[key] for key in ("author", "sitename", "url", "description") if found.get(key)
    }
    meta["format"] = "html"
    try:
        article = clean_article("\n\n".join(paragraphs), source=source, meta=meta)
    except ValueError as exc:
        raise FormatError(f"no usable article text in the HTML ({exc})") from exc
    changes: dict[str, Any] = {}
    if title:
        changes["title"] = title
    if found.get("date") and not article.published:
        changes["published"] = str(found["date"])
    return replace(article, **changes) if changes else article
