"""Import and export formats: pure functions from files to articles and back.

Every module here turns text into :class:`~annotate.model.Article` plus
:class:`~annotate.model.Annotations` (import) or the reverse (export).  None of them
touches the store or the terminal: the ``import`` and ``export`` commands stream
files and store records through these functions, which keeps each format testable
on its own and lets a round trip be checked without a store.

``tokens``         spaCy tokens of an article (the blank English tokenizer, or the
                   original tokens of a CoNLL import), char offset -> token index,
                   and their cached form (``CachedTokens``, kept by the store).
``offsets``        control-character cleaning that keeps annotation offsets valid.
``select``         which decisions an export carries (accepted, label, annotator).
``prodigy_jsonl``  Prodigy-compatible JSONL tasks, both ways.
``docbin``         spaCy DocBin training/dev corpora (NER, span groups, textcat).
``conll``          CoNLL / IOB and CoNLL-U-like files, both ways.
``doccano``        doccano JSONL records (and the JSONL reader that picks doccano/Prodigy).
``label_studio``   Label Studio JSON exports (annotations gold, predictions pending).
``brat``           brat standoff (``.txt`` + ``.ann``).
``gold``           what annotated imports share: label checks, offsets, "done".
``annotated``      which tool export a ``.json``/``.txt``/``.ann`` file is.
``textcat``        textcat JSONL (``text``, ``cats``) of tagged statements.
``html``           news pages saved as HTML (main text and metadata by trafilatura).
``readers``        what kind of file a path is, safe decoding, one result per article:
                   the one reader of ``import`` and ``analyze``.
``opening``        only regular files are opened (O_NONBLOCK + fstat), every read bounded.
``admit``          what every import admits: articles within the size limit, labels,
                   tags and annotator names that are printable tokens; errors capped.
"""

from __future__ import annotations

from annotate.formats.base import Failure, FormatError, Imported

__all__ = ["Failure", "FormatError", "Imported"]
