"""An export never disagrees with the screen (issue 11's oracle).

A Hypothesis state machine drives the real ``annotate.actions`` against a real
``Store`` on disk (with the app's kept-line hook), on two short analysed articles with
suggested entities, attributions of several kinds, speakers (one a pronoun resolved
to an entity) and cues: accept, reject, relabel, boundary moves, new spans, speaker
and cue changes, tags, accept-all, undo and redo, in any order.  After every run, what
the store holds as accepted for each article -- what the details panel shows -- must
be exactly what each export holds for it: entities, attributions (kind), speakers,
cues and tags, in the default JSONL, ``jsonl-rel``, the DocBin (with ``O`` or missing
tokens by status, and the textcat DocBin) and CoNLL (done articles only).
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from collections.abc import Callable
from contextlib import redirect_stderr
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule
from spacy.tokens import DocBin

from annotate import actions
from annotate.detect.nlp import load_model
from annotate.edits import Edit
from annotate.export import training, writers
from annotate.export.lines import KeptLines
from annotate.formats.prodigy_jsonl import answer_for
from annotate.formats.prodigy_rel import KIND_LABELS
from annotate.formats.select import Selection
from annotate.model import (
    Annotations,
    Article,
    ArticleStatus,
    Origin,
    Quote,
    QuoteKind,
    Span,
    Status,
)
from annotate.tokens import tokenize
from store import Store

SHM = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
LABELS = ("PERSON", "ORG", "GPE")
TAGS = ("claim", "denial", "promise")
ANALYSED = {"model": "m", "version": "1"}


def _article(text: str, spans: list[tuple[str, str]], quotes: list[dict[str, Any]]) -> Any:
    """An analysed article and its pending suggestions (sentences: one per ``. ``)."""
    article = replace(Article.from_text(text), analysis=ANALYSED)

    def at(part: str, label: str) -> Span:
        start = text.index(part)
        return Span(start, start + len(part), label, origin=Origin.MODEL)

    entities = tuple(at(part, label) for part, label in spans)
    made = []
    for q in quotes:
        start = text.index(q["content"])
        made.append(
            Quote(
                start,
                start + len(q["content"]),
                kind=q["kind"],
                speaker=at(q["speaker"], "SPEAKER"),
                speaker_ref=at(q["ref"], "PERSON") if "ref" in q else None,
                cue=at(q["cue"], "CUE"),
            )
        )
    cut = text.index(". ") + 1
    sentences = ((0, cut), (cut + 1, len(text)))
    return article, Annotations(entities=entities, quotes=tuple(made), sentences=sentences)


ARTICLES = [
    _article(
        "Ann Lee said “we will win” in Oslo. Bob Ray thinks the plan works.",
        [("Ann Lee", "PERSON"), ("Oslo", "GPE"), ("Bob Ray", "PERSON")],
        [
            {"content": "we will win", "kind": QuoteKind.DIRECT, "speaker": "Ann Lee",
             "cue": "said"},
            {"content": "the plan works", "kind": QuoteKind.INDIRECT, "speaker": "Bob Ray",
             "cue": "thinks"},
        ],
    ),
    _article(
        "Kim Ode met Tom Cruz. She said the deal was “off” at noon.",
        [("Kim Ode", "PERSON"), ("Tom Cruz", "PERSON")],
        [
            {"content": "the deal was “off” at noon", "kind": QuoteKind.MIXED, "speaker": "She",
             "ref": "Kim Ode", "cue": "said"},
        ],
    ),
]  # fmt: skip


class ExportOracle(RuleBasedStateMachine):
    """Random decisions through ``annotate.actions``; exports checked at the end."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="oracle-", dir=SHM))
        self.store = Store.open(self.folder / "store", on_rewrite=KeptLines())
        self.store.add_articles(ARTICLES)
        self.ids = [article.id for article, _ in ARTICLES]

    # -- the actions ------------------------------------------------------------------

    def _apply(self, pick: int, make: Callable[[Article, Annotations], Edit | None]) -> None:
        article_id = self.ids[pick % len(self.ids)]
        article, annotations = self.store.get(article_id)
        edit = make(article, annotations)
        if edit is not None:
            self.store.save_decision(article_id, edit)

    @staticmethod
    def _item(annotations: Annotations, n: int, kind: type | None = None) -> str | None:
        items = [i for i in actions.focusables(annotations) if kind is None or isinstance(i, kind)]
        return items[n % len(items)].id if items else None

    @rule(pick=st.integers(0, 1), n=st.integers(0, 9), accept=st.booleans())
    def decide(self, pick: int, n: int, accept: bool) -> None:
        decide = actions.accept if accept else actions.reject
        self._apply(pick, lambda a, ann: decide(ann, self._item(ann, n), "ann"))

    @rule(pick=st.integers(0, 1), n=st.integers(0, 9), label=st.sampled_from(LABELS))
    def relabel(self, pick: int, n: int, label: str) -> None:
        self._apply(
            pick, lambda a, ann: actions.relabel(ann, self._item(ann, n, Span), label, "ann")
        )

    @rule(
        pick=st.integers(0, 1),
        n=st.integers(0, 9),
        edge=st.sampled_from(("start", "end")),
        delta=st.sampled_from((-1, 1)),
    )
    def move(self, pick: int, n: int, edge: str, delta: int) -> None:
        self._apply(
            pick,
            lambda a, ann: actions.move_edge(
                ann, self._item(ann, n), tokenize(a), edge=edge, delta=delta, annotator="ann",
                text=a.text,
            ),
        )  # fmt: skip

    @rule(pick=st.integers(0, 1), first=st.integers(0, 20), size=st.integers(1, 3),
          label=st.sampled_from(LABELS))  # fmt: skip
    def add(self, pick: int, first: int, size: int, label: str) -> None:
        def make(article: Article, ann: Annotations) -> Edit | None:
            tokens = tokenize(article)
            start = first % len(tokens)
            end = min(start + size, len(tokens)) - 1
            return actions.add_span(ann, tokens.starts[start], tokens.ends[end], label, "ann")

        self._apply(pick, make)

    @rule(pick=st.integers(0, 1), n=st.integers(0, 9), who=st.integers(-1, 9))
    def speaker(self, pick: int, n: int, who: int) -> None:
        def make(article: Article, ann: Annotations) -> Edit | None:
            speaker = ann.entities[who % len(ann.entities)] if who >= 0 and ann.entities else None
            return actions.set_speaker(ann, self._item(ann, n, Quote), speaker, "ann")

        self._apply(pick, make)

    @rule(pick=st.integers(0, 1), n=st.integers(0, 9), token=st.integers(-1, 20))
    def cue(self, pick: int, n: int, token: int) -> None:
        def make(article: Article, ann: Annotations) -> Edit | None:
            tokens = tokenize(article)
            cue = None
            if token >= 0:
                t = token % len(tokens)
                cue = Span(tokens.starts[t], tokens.ends[t], "CUE")
            return actions.set_cue(ann, self._item(ann, n, Quote), cue, "ann")

        self._apply(pick, make)

    @rule(pick=st.integers(0, 1), sentence=st.integers(0, 1),
          tags=st.lists(st.sampled_from(TAGS), max_size=2))  # fmt: skip
    def tag(self, pick: int, sentence: int, tags: list[str]) -> None:
        def make(article: Article, ann: Annotations) -> Edit | None:
            start, end = ann.sentences[sentence]
            return actions.tag(ann, start, end, tags, "ann")

        self._apply(pick, make)

    @rule(pick=st.integers(0, 1))
    def accept_all(self, pick: int) -> None:
        self._apply(pick, lambda a, ann: actions.accept_all(ann, "ann"))

    @rule(pick=st.integers(0, 1), back=st.booleans())
    def undo(self, pick: int, back: bool) -> None:
        article_id = self.ids[pick % len(self.ids)]
        (self.store.undo if back else self.store.redo)(article_id)

    # -- the check --------------------------------------------------------------------

    def teardown(self) -> None:
        try:
            self.check()
        finally:
            self.store.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def check(self) -> None:
        shown = {i: self._shown(i) for i in self.ids}
        exported = self._exports()
        for article_id, (article, status, want) in shown.items():
            jsonl = exported["jsonl"][article_id]
            assert jsonl["answer"] == answer_for(status)
            assert _from_jsonl(jsonl) == want
            assert _from_rel(exported["jsonl-rel"][article_id]) == want
            doc = exported["docbin"].get(article.text)
            if status == ArticleStatus.NEW:
                assert doc is None and article_id not in exported["conll"]
                continue
            assert doc is not None
            assert _from_docbin(doc, status) == _docbin_view(want)
            statements = exported["textcat"].get(article.id, [])
            assert statements == want["tags"]
            if status == ArticleStatus.DONE:
                assert exported["conll"][article_id] == _entity_texts(article, want)
            else:
                assert article_id not in exported["conll"]

    def _shown(self, article_id: str) -> tuple[Article, str, dict[str, Any]]:
        """What the details panel shows as accepted: the store's own annotations."""
        article, ann = self.store.get(article_id)
        status = str(self.store.summary(article_id).status)
        ok = Status.ACCEPTED
        quotes = [q for q in ann.quotes if q.status is ok]
        want = {
            "entities": {"entities": sorted((e.start, e.end, e.label) for e in ann.entities
                                            if e.status is ok)},
            "quotes": sorted((q.start, q.end, str(q.kind)) for q in quotes),
            "speakers": sorted((q.start, q.speaker.start, q.speaker.end) for q in quotes
                               if q.speaker is not None and q.speaker_status is ok),
            "cues": sorted((q.start, q.cue.start, q.cue.end) for q in quotes if q.cue is not None),
            "tags": sorted((s.start, s.end, tuple(sorted(s.tags))) for s in ann.statements
                           if s.tags),
        }  # fmt: skip
        return article, status, want

    def _exports(self) -> dict[str, dict[str, Any]]:
        def selected() -> writers.SelectedArticles:
            return writers.selected_articles(self.store, writers.STATUSES, None, Selection())

        with redirect_stderr(io.StringIO()):
            jsonl, rel, conll = io.BytesIO(), io.BytesIO(), io.BytesIO()
            writers.export_jsonl(selected(), jsonl)
            writers.export_jsonl_rel(selected(), rel)
            training.export_conll(selected(), conll)
            out = self.folder / "corpus"
            training.export_spacy(selected(), out, eval_split=0.5, seed=0, tags=TAGS)
        vocab = load_model("blank:en").vocab

        def docs(*names: str) -> list[Any]:
            return [d for n in names for d in DocBin().from_disk(out / n).get_docs(vocab)]

        textcat: dict[str, list[Any]] = {}
        for article_id in self.ids:
            article, _ = self.store.get(article_id)
            for d in docs("textcat_train.spacy", "textcat_dev.spacy"):
                if d.text in article.text:
                    start = article.text.index(d.text)
                    tags = tuple(sorted(t for t, v in d.cats.items() if v == 1.0))
                    textcat.setdefault(article_id, []).append((start, start + len(d.text), tags))
        done_ids = [s.id for s in self.store.list_articles() if s.status is ArticleStatus.DONE]
        conll_docs = conll.getvalue().decode().split("-DOCSTART- -X- -X- O\n")[1:]
        return {
            "jsonl": _by_id(jsonl.getvalue()),
            "jsonl-rel": _by_id(rel.getvalue()),
            "docbin": {d.text: d for d in docs("train.spacy", "dev.spacy")},
            "textcat": {k: sorted(v) for k, v in textcat.items()},
            "conll": dict(zip(done_ids, map(_conll_entities, conll_docs), strict=True)),
        }


def _by_id(lines: bytes) -> dict[str, dict[str, Any]]:
    tasks = [json.loads(line) for line in lines.splitlines()]
    return {t["meta"]["id"]: t for t in tasks}


def _tags(task: dict[str, Any]) -> list[tuple[int, int, tuple[str, ...]]]:
    return sorted((s["start"], s["end"], tuple(sorted(s["tags"]))) for s in task["statements"])


def _from_jsonl(task: dict[str, Any]) -> dict[str, Any]:
    quotes = task["quotes"]
    return {
        "entities": {"entities": sorted((s["start"], s["end"], s["label"]) for s in task["spans"])},
        "quotes": sorted((q["start"], q["end"], q["kind"]) for q in quotes),
        "speakers": sorted((q["start"], q["speaker"]["start"], q["speaker"]["end"])
                           for q in quotes if q["speaker"]),
        "cues": sorted((q["start"], q["cue"]["start"], q["cue"]["end"])
                       for q in quotes if q["cue"]),
        "tags": _tags(task),
    }  # fmt: skip


def _from_rel(task: dict[str, Any]) -> dict[str, Any]:
    """The same read from the ``rel.manual`` spans and relations alone."""
    kinds = {label: kind for kind, label in KIND_LABELS.items()}
    spans = task["spans"]
    relations = task["relations"]
    contents = [s for s in spans if s["label"] in kinds]
    speaker_of = {r["child_span"]["start"]: r["head_span"] for r in relations
                  if r["label"] == "SPEAKER"}  # fmt: skip
    coref = {r["head_span"]["start"]: r for r in relations if r["label"] == "COREF"}
    quotes = {q["start"]: q for q in task["quotes"]}
    speakers = []
    for content in contents:
        head = speaker_of.get(content["start"])
        if head is None:
            continue
        written = quotes[content["start"]]["speaker"]  # the phrase, when the head is its entity
        assert head["start"] < written["end"] and written["start"] < head["end"]
        if head["start"] in coref:  # to the mention the pronoun resolves to, or its entity
            target, ref = (
                coref[head["start"]]["child_span"],
                quotes[content["start"]]["speaker_ref"],
            )
            assert target["start"] < ref["end"] and ref["start"] < target["end"]
        speakers.append((content["start"], written["start"], written["end"]))
    cue_of = {r["child_span"]["start"]: r["head_span"] for r in relations if r["label"] == "CUE"}
    entity_labels = set(LABELS)
    return {
        "entities": {"entities": sorted((s["start"], s["end"], s["label"]) for s in spans
                                        if s["label"] in entity_labels)},
        "quotes": sorted((c["start"], c["end"], kinds[c["label"]]) for c in contents),
        "speakers": sorted(speakers),
        "cues": sorted((start, c["start"], c["end"]) for start, c in cue_of.items()),
        "tags": _tags(task),
    }  # fmt: skip


def _from_docbin(doc: Any, status: str) -> dict[str, Any]:
    """Entities from the tokens' IOB (every other token ``O`` when done, missing when in
    progress), attributions, speakers and cues from the span groups."""
    outside = "O" if status == ArticleStatus.DONE else ""
    assert all(t.ent_iob_ == outside for t in doc if not t.ent_type_)
    kinds = {label: kind for kind, label in KIND_LABELS.items()}
    return {
        "entities": sorted((e.start_char, e.end_char, e.label_) for e in doc.ents),
        "quotes": sorted((q.start_char, q.end_char, kinds[q.label_]) for q in doc.spans["quotes"]),
        "speakers": sorted((s.start_char, s.end_char) for s in doc.spans["speakers"]),
        "cues": sorted((c.start_char, c.end_char) for c in doc.spans["cues"]),
    }


def _docbin_view(want: dict[str, Any]) -> dict[str, Any]:
    """What the DocBin can say of ``want``: speakers and cues without their attribution."""
    return {
        "entities": want["entities"]["entities"],
        "quotes": want["quotes"],
        "speakers": sorted((s, e) for _, s, e in want["speakers"]),
        "cues": sorted((s, e) for _, s, e in want["cues"]),
    }


def _conll_entities(block: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for line in block.splitlines():
        if not line.strip():
            continue
        token, tag = line.split(" ")[0], line.split(" ")[-1]
        if tag.startswith("B-"):
            found.append((token, tag[2:]))
        elif tag.startswith("I-"):
            found[-1] = (found[-1][0] + " " + token, found[-1][1])
    return found


def _entity_texts(article: Article, want: dict[str, Any]) -> list[tuple[str, str]]:
    tokens = tokenize(article)
    found = []
    for start, end, label in want["entities"]["entities"]:
        inside = [
            article.text[a:b] for a, b in zip(tokens.starts, tokens.ends, strict=True)
            if start <= a and b <= end
        ]  # fmt: skip
        found.append((" ".join(inside), label))
    return found


ExportOracle.TestCase.settings = settings(
    max_examples=500,
    stateful_step_count=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_export_never_disagrees_with_the_screen = ExportOracle.TestCase
