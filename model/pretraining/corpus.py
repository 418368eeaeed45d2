"""Streaming a pretraining corpus: documents separated by blank lines, one sentence per line.

The reader never holds more than one line piece in memory, so a corpus larger than memory
(or a file that is one enormous line) streams through; bytes that are not UTF-8 are replaced
by U+FFFD and counted.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import BertError
from ..safe_read import FileKind, open_file

# Any size (it is streamed), but a regular file: a FIFO would block the reading thread.
CORPUS = FileKind("a corpus", BertError)
MAX_LINE_CHARS = 20_000  # a longer line is cut into pieces, each treated as a sentence
REPLACEMENT = "\ufffd"


@dataclass
class CorpusStats:
    documents: int = 0
    sentences: int = 0
    bytes_read: int = 0
    replaced_bytes: int = 0  # undecodable byte sequences replaced by U+FFFD
    split_lines: int = 0  # lines longer than MAX_LINE_CHARS, cut into pieces

    def summary(self) -> str:
        text = f"{self.documents:,} documents, {self.sentences:,} sentences, {self.bytes_read / 1e6:.1f} MB"
        if self.replaced_bytes:
            text += f"; {self.replaced_bytes:,} undecodable byte sequence(s) replaced"
        if self.split_lines:
            text += f"; {self.split_lines:,} very long line(s) split"
        return text


def _lines(path: Path, stats: CorpusStats, chunk: int = 1 << 20) -> Iterator[str]:
    """Decoded lines (no newline), each at most MAX_LINE_CHARS characters."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    with open_file(path, CORPUS) as f:
        while True:
            raw = f.readline(chunk)  # bounded: a line longer than `chunk` arrives in pieces
            final = not raw
            stats.bytes_read += len(raw)
            text = decoder.decode(raw, final=final)
            stats.replaced_bytes += text.count(REPLACEMENT) - raw.count(REPLACEMENT.encode())
            pending += text
            while "\n" in pending:
                line, pending = pending.split("\n", 1)
                yield from _cut(line, stats)
            if len(pending) > MAX_LINE_CHARS:
                stats.split_lines += 1
                yield from _cut(pending, stats, counted=True)
                pending = ""
            if final:
                if pending:
                    yield from _cut(pending, stats)
                return


def _cut(line: str, stats: CorpusStats, counted: bool = False) -> Iterator[str]:
    line = line.rstrip("\r")
    if len(line) <= MAX_LINE_CHARS:
        yield line
        return
    if not counted:
        stats.split_lines += 1
    for start in range(0, len(line), MAX_LINE_CHARS):
        yield line[start:start + MAX_LINE_CHARS]


def read_documents(path: str | Path, stats: CorpusStats | None = None) -> Iterator[list[str]]:
    """Yield each document as its list of non-empty sentences; blank lines separate documents."""
    stats = stats if stats is not None else CorpusStats()
    document: list[str] = []
    for line in _lines(Path(path), stats):
        sentence = line.strip()
        if sentence:
            document.append(sentence)
            stats.sentences += 1
        elif document:
            stats.documents += 1
            yield document
            document = []
    if document:
        stats.documents += 1
        yield document
