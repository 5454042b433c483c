"""Limits shared by cleaning and the commands (a tiny module: the CLI imports it at start)."""

from __future__ import annotations

# Longer texts are refused.  The longest news features run to ~60,000 characters; a text
# far beyond that is a dump or several articles glued together, and should be split (or
# imported as JSONL, one article a line) rather than analysed as one.  The limit also
# bounds the cost of one analysis: with en_core_web_sm, 200,000 characters take about
# 13 s and 0.6 GB of memory on top of the model (measured, growing linearly).
MAX_ARTICLE_CHARS = 200_000

# Longest the app lets one article's analysis run before storing it without suggestions
# (its ``analysis`` says ``skipped`` and why), so that it is not tried again on every
# start.  With the tokenizer guard (annotate.detect.pipeline.spacy_text) analysis is
# linear, and an article at the limit above takes about 13 s.
ARTICLE_BUDGET_S = 30.0
