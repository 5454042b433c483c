"""Detection: what a spaCy pipeline and newsread's rules find in an article.

``nlp`` loads the pipeline; ``pipeline`` runs it over articles; ``entities`` turns
``doc.ents`` into suggestions; ``quotemarks``, ``quotes``, ``cues``, ``speakers`` and
``attribution`` find who said what in quotation marks; ``reported`` finds reported speech
(clauses of a cue, ``according to``), ``merge`` combines both into the four attribution
kinds, ``linking`` and ``gender`` tie each speaker to the entity it names or refers to.
All of it works on the one parse ``pipeline`` made: nothing parses twice.  Everything
returns plain dataclasses with character offsets into ``Article.text``: no widget and no
store ever sees a ``Doc``.
"""
