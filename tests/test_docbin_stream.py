"""The streamed DocBin file is the DocBin spaCy writes, in bounded memory."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from spacy.tokens import Doc, DocBin

from annotate.detect.nlp import load_model
from annotate.formats.docbin_stream import DocBinWriter


def _docs(count: int) -> list[Doc]:
    nlp = load_model("blank:en")
    docs = []
    for i in range(count):
        doc = nlp.make_doc(f"Ann Lee {i} met Bob in Oslo.  Then {'x' * (i % 7)} left.")
        ann = doc.char_span(0, 7, "PERSON")
        assert ann is not None
        doc.set_ents([ann], default="missing" if i % 2 else "outside")
        if i % 5:  # some Docs have no span group at all
            doc.spans["quotes"] = [doc[2:5]] if i % 3 else []
            doc.spans["speakers"] = [doc[0:2]] if i % 2 else []
        doc.cats = {"claim": float(i % 2)} if i % 4 else {}
        docs.append(doc)
    return docs


@pytest.mark.parametrize("count", [0, 1, 5, 17, 300])
def test_streamed_file_holds_what_docbin_writes(tmp_path: Path, count: int) -> None:
    docs = _docs(count)
    writer = DocBinWriter(tmp_path / "x.spacy")
    for doc in docs:
        writer.add(doc)
    assert writer.close() == count
    streamed = (tmp_path / "x.spacy").read_bytes()
    assert zlib.decompress(streamed) == zlib.decompress(DocBin(docs=docs).to_bytes())
    vocab = load_model("blank:en").vocab
    back = list(DocBin().from_disk(tmp_path / "x.spacy").get_docs(vocab))
    assert [d.to_json() for d in back] == [d.to_json() for d in docs]
    assert [[t.ent_iob_ for t in d] for d in back] == [[t.ent_iob_ for t in d] for d in docs]
    assert [tmp for tmp in tmp_path.iterdir()] == [tmp_path / "x.spacy"]  # no spool left
