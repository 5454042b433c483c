"""Messages that workers send to the app (small dataclasses, handled on the UI thread)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from annotate.model import Annotations


@dataclass
class AnalysisReady(Message):
    """The model produced suggestions for an article (not yet stored)."""

    article_id: str
    annotations: Annotations
    analysis: dict[str, Any]


@dataclass
class ModelLoaded(Message):
    """The spaCy pipeline finished loading in the worker."""

    name: str
    seconds: float


@dataclass
class AnalysisFailed(Message):
    """The model could not be loaded or an article could not be analysed."""

    error: str
    article_id: str | None = None


@dataclass
class SearchIndexReady(Message):
    """The filter's word index holds every article (built by the screen's worker)."""
