"""One ``.spacy`` DocBin file written in bounded memory.

``DocBin.to_bytes`` holds every Doc's token array until the end and then one
``numpy.vstack`` of them all: a store's whole corpus in memory, twice (15 GB at 50k
articles).  :class:`DocBinWriter` takes one Doc at a time and spools what ``DocBin.add``
keeps of it (token array, spaces, length, cats, flags, span groups) to temporary files
beside the target, so memory holds one Doc; :meth:`DocBinWriter.close` then streams the
file out -- the msgpack map ``DocBin.to_bytes`` builds, in the same key order, through
one ``zlib`` stream.  Only the string table (the vocabulary, which grows far slower
than the corpus) stays in memory.  The file reads back with ``DocBin().from_disk`` and
``spacy train`` like any other: ``tests/test_docbin_stream.py`` checks that its payload
is byte for byte what ``DocBin(docs=...).to_bytes()`` holds.
"""

from __future__ import annotations

import os
import struct
import tempfile
import zlib
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy
import orjson
from srsly.msgpack import Packer

from annotate.formats.textcat import cats

if TYPE_CHECKING:
    from spacy.tokens import Doc

_COPY = 1 << 20
_packb = Packer(use_bin_type=True).pack
_SPAN = struct.Struct(">QQQllll")
"""``srsly.msgpack_dumps`` without its per-call set-up (a registry look-up that costs a
millisecond, longer than packing a Doc's cats); the same bytes."""


def _span_groups(doc: Doc, strings: set[str]) -> bytes:
    """``doc.spans.to_bytes()`` (``SpanGroups`` and ``SpanGroup.to_bytes``), packed with
    :data:`_packb`; adds the span labels (and ids) to ``strings`` as ``DocBin.add`` does."""
    groups = doc.spans
    if not len(groups):
        return _packb([])
    message: dict[bytes, list[str]] = {}
    vocab = doc.vocab.strings
    for key, group in groups.items():
        spans = []
        for span in group:
            spans.append(
                _SPAN.pack(
                    span.id,
                    span.kb_id,
                    span.label,
                    span.start,
                    span.end,
                    span.start_char,
                    span.end_char,
                )
            )
            strings.add(span.label_)
            if span.kb_id in vocab:
                strings.add(span.kb_id_)
            if span.id in vocab:
                strings.add(span.id_)
        packed = _packb({"name": group.name, "attrs": group.attrs, "spans": spans})
        message.setdefault(packed, []).append(key)
    return _packb(message)


def _bin_header(size: int) -> bytes:
    """msgpack's header of a ``bin`` of ``size`` bytes (the shortest, as msgpack writes)."""
    if size < 1 << 8:
        return b"\xc4" + struct.pack(">B", size)
    if size < 1 << 16:
        return b"\xc5" + struct.pack(">H", size)
    return b"\xc6" + struct.pack(">I", size)


def _array_header(count: int) -> bytes:
    """msgpack's header of an array of ``count`` items."""
    if count < 16:
        return bytes([0x90 | count])
    if count < 1 << 16:
        return b"\xdc" + struct.pack(">H", count)
    return b"\xdd" + struct.pack(">I", count)


class _Spool:
    """An unnamed temporary file that counts what it holds (bytes and items)."""

    def __init__(self, folder: Path) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile(dir=folder)
        self.size = 0
        self.items = 0

    def write(self, data: bytes, items: int = 0) -> None:
        self.file.write(data)
        self.size += len(data)
        self.items += items

    def copy_to(self, out: zlib._Compress, sink: IO[bytes]) -> None:
        """Feed the spooled bytes through the compressor into ``sink``, then drop them."""
        self.file.seek(0)
        while block := self.file.read(_COPY):
            sink.write(out.compress(block))
        self.file.close()


class DocBinWriter:
    """Writes the DocBin file ``path`` from Docs added one at a time (see module doc).

    Nothing appears at ``path`` before :meth:`close`; the caller writes into a
    temporary folder that is swapped in whole (``annotate.export.folder``).  Docs added
    with ``tags`` get their ``cats`` at :meth:`close`, over the tag set known only then
    (every tag in use), as ``textcat_multilabel`` wants every Doc to name every tag.
    """

    def __init__(self, path: Path) -> None:
        from spacy.tokens import DocBin

        self.path = path
        self._attrs: list[Any] = list(DocBin().attrs)  # attribute ids (typed as str)
        self._strings: set[str] = set()
        self._parts = {
            name: _Spool(path.parent)
            for name in ("tokens", "spaces", "lengths", "cats", "flags", "span_groups")
        }
        self._tags: _Spool | None = None
        self.count = 0

    def add(self, doc: Doc, tags: tuple[str, ...] | None = None) -> None:
        """Add one Doc (spooled at once); ``tags``: its cats come at :meth:`close`.

        What ``DocBin.add`` keeps of a Doc, in the same form; the span groups are
        packed here too, with one msgpack packer for the whole file."""
        from spacy.attrs import SPACY

        parts = self._parts
        array = doc.to_array(self._attrs)
        if len(array.shape) == 1:
            array = array.reshape((array.shape[0], 1))
        spaces = numpy.asarray(doc.to_array(SPACY).reshape((-1, 1)), dtype=bool)
        parts["tokens"].write(array.tobytes("C"))
        parts["spaces"].write(spaces.tobytes("C"))
        parts["lengths"].write(struct.pack("=i", len(array)), 1)
        parts["flags"].write(_packb({"has_unknown_spaces": doc.has_unknown_spaces}), 1)
        if tags is not None:
            if self._tags is None:
                self._tags = _Spool(self.path.parent)
            self._tags.write(orjson.dumps(list(tags)) + b"\n", 1)
        elif self._tags is None:
            parts["cats"].write(_packb(doc.cats), 1)
        parts["span_groups"].write(_packb(_span_groups(doc, self._strings)), 1)
        strings = self._strings
        for token in doc:
            strings.update(
                (
                    token.text,
                    token.tag_,
                    token.lemma_,
                    token.norm_,
                    str(token.morph),
                    token.dep_,
                    token.ent_type_,
                    token.ent_kb_id_,
                    token.ent_id_,
                )
            )
        self.count += 1

    def close(self, tag_set: tuple[str, ...] = ()) -> int:
        """Write the file (fsynced); returns how many Docs it holds.  Docs added with
        tags get ``cats`` over ``tag_set`` (1.0 for their tags, 0.0 for the others)."""
        parts = self._parts
        if self._tags is not None:
            if self._tags.items != self.count:
                raise ValueError("every Doc of a textcat DocBin needs its tags")
            self._tags.file.seek(0)
            for line in self._tags.file:
                parts["cats"].write(_packb(cats(orjson.loads(line), tag_set)), 1)
            self._tags.file.close()
        out = zlib.compressobj()
        with self.path.open("wb") as sink:

            def put(data: bytes) -> None:
                sink.write(out.compress(data))

            put(b"\x89")  # a map of 9 keys, in DocBin.to_bytes' order
            put(_packb("version") + _packb("0.1"))
            put(_packb("attrs") + _packb(self._attrs))
            for name in ("tokens", "spaces", "lengths"):
                put(_packb(name) + _bin_header(parts[name].size))
                parts[name].copy_to(out, sink)
            put(_packb("strings") + _packb(sorted(self._strings)))
            for name in ("cats", "flags", "span_groups"):
                put(_packb(name) + _array_header(parts[name].items))
                parts[name].copy_to(out, sink)
            sink.write(out.flush())
            sink.flush()
            os.fsync(sink.fileno())
        self._strings = set()
        return self.count

    def discard(self) -> None:
        """Drop the spooled parts without writing (an export that failed)."""
        for part in self._parts.values():
            part.file.close()
        if self._tags is not None:
            self._tags.file.close()
