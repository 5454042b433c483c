"""Reading the date an article's header line starts with (``2022-01-14``, ``Jan 14, 2022``).

Cleaning keeps the date of a header as ``Article.published``; impossible dates
(``2022-02-30``) are not dates, so such a line stays in the body.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")]
    )
    for m in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATES = (
    re.compile(r"(?P<year>\d{4})[-/.](?P<mon>\d{1,2})[-/.](?P<day>\d{1,2})(?:[T ][\d:.]+Z?)?"),
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR, re.IGNORECASE),
    re.compile(_WEEKDAY + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR, re.IGNORECASE),
)


def parse_date(text: str) -> tuple[str, int] | None:
    """An ISO date and the length it takes when ``text`` starts with a date, else ``None``."""
    for pattern in _DATES:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        month = int(parts["mon"]) if parts.get("mon") else _MONTHS[parts["month"].lower()]
        try:
            day = dt.date(int(parts["year"]), month, int(parts["day"]))
        except ValueError:
            continue
        return day.isoformat(), match.end()
    return None
