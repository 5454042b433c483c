"""Detection: what a spaCy pipeline and newsread's rules find in an article.

``nlp`` loads the pipeline; ``pipeline`` runs it over articles; ``entities`` turns
``doc.ents`` into suggestions; ``quotemarks``, ``quotes``, ``cues``, ``speakers`` and
``attribution`` find who said what.  Everything returns plain dataclasses with
character offsets into ``Article.text``: no widget and no store ever sees a ``Doc``.
"""
