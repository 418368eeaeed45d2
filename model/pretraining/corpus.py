"""Streaming a pretraining corpus: documents separated by blank lines, one sentence per line.

A corpus is one or more files, plain or gzip (recognised by its first bytes, whatever its name),
or folders standing for their *.txt and *.txt.gz files in name order. They are read one after
the other in the order given, and a file's end ends its document: none spans two files.

The reader never holds more than one line piece and one document in memory, so a corpus larger
than memory (or a file that is one enormous line, or has no blank lines) streams through; bytes
that are not UTF-8 are replaced by U+FFFD and counted. A NUL byte is refused: no text has one,
while binary files and UTF-16 text have many.
"""

from __future__ import annotations

import codecs
import gzip
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import BertError
from ..safe_read import FileKind, open_file

# Any size (it is streamed), but a regular file: a FIFO would block the reading thread.
CORPUS = FileKind("a corpus", BertError)
MAX_LINE_CHARS = 20_000  # a longer line is cut into pieces, each treated as a sentence
# A longer document is ended there and the rest starts a new one: a corpus without blank lines
# would otherwise be one document held whole. Above real ones (War and Peace is 3.2M characters),
# and nothing is lost: examples are pairs of sentences a few hundred tokens long.
MAX_DOCUMENT_CHARS = 10_000_000
REPLACEMENT = "\ufffd"
GZIP_MAGIC = b"\x1f\x8b"
FOLDER_PATTERNS = ("*.txt", "*.txt.gz")  # what a folder given as a corpus stands for


@dataclass
class CorpusStats:
    documents: int = 0
    sentences: int = 0
    bytes_read: int = 0
    replaced_bytes: int = 0  # undecodable byte sequences replaced by U+FFFD
    split_lines: int = 0  # lines longer than MAX_LINE_CHARS, cut into pieces
    split_documents: int = 0  # documents longer than MAX_DOCUMENT_CHARS, cut into pieces

    def summary(self) -> str:
        text = f"{self.documents:,} documents, {self.sentences:,} sentences, {self.bytes_read / 1e6:.1f} MB"
        if self.replaced_bytes:
            text += f"; {self.replaced_bytes:,} undecodable byte sequence(s) replaced"
        if self.split_lines:
            text += f"; {self.split_lines:,} very long line(s) split"
        if self.split_documents:
            text += f"; {self.split_documents:,} very long document(s) split"
        return text


def corpus_files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """The files a corpus argument names, in order: a folder stands for its *.txt and *.txt.gz
    files (not its subfolders), sorted by name."""
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not paths:
        raise CORPUS.error("no corpus given; name one or more text files or folders")
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted({f for pattern in FOLDER_PATTERNS for f in path.glob(pattern)}, key=lambda f: f.name)
            if not found:
                raise CORPUS.error(f"{path}: a folder without .txt or .txt.gz files; choose one that has them")
            files.extend(found)
        elif not path.exists() and not path.is_symlink():  # a link that loops is left to open_file to name
            raise CORPUS.error(f"{path}: no such corpus file or folder")
        else:
            files.append(path)  # open_file refuses what is not a regular file
    return files


def _open_text_bytes(path: Path):
    """The file's bytes, decompressed when it is gzip: checked as a regular file first, so a
    FIFO is refused before anything reads from it."""
    f = open_file(path, CORPUS)
    try:
        if f.read(2) == GZIP_MAGIC:
            f.seek(0)
            return gzip.GzipFile(fileobj=f, mode="rb"), f
        f.seek(0)
    except BaseException:
        f.close()
        raise
    return f, f


def _lines(path: Path, stats: CorpusStats, chunk: int = 1 << 20) -> Iterator[str]:
    """Decoded lines (no newline), each at most MAX_LINE_CHARS characters."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    lines_read = 0
    stream, raw_file = _open_text_bytes(path)
    with raw_file, stream:
        while True:
            try:
                raw = stream.readline(chunk)  # bounded: a line longer than `chunk` arrives in pieces
            except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
                raise CORPUS.error(
                    f"{path}: not a valid gzip file (truncated?); {exc}; download or compress it again"
                ) from None
            final = not raw
            if b"\0" in raw:
                raise CORPUS.error(
                    f"{path}, line {lines_read + 1}: a NUL byte, so the file is binary or UTF-16, "
                    "not text; choose a UTF-8 text file"
                )
            lines_read += raw.endswith(b"\n")
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
        yield line[start : start + MAX_LINE_CHARS]


def read_documents(paths: str | Path | Iterable[str | Path], stats: CorpusStats | None = None) -> Iterator[list[str]]:
    """Yield each document of the corpus (see corpus_files) as its list of non-empty sentences;
    blank lines and the end of a file separate documents, and one longer than MAX_DOCUMENT_CHARS is cut."""
    stats = stats if stats is not None else CorpusStats()
    for path in corpus_files(paths):
        yield from _file_documents(path, stats)


def _file_documents(path: Path, stats: CorpusStats) -> Iterator[list[str]]:
    document: list[str] = []
    size = 0  # characters in `document`
    for line in _lines(path, stats):
        sentence = line.strip()
        if document and (not sentence or size + len(sentence) > MAX_DOCUMENT_CHARS):
            stats.documents += 1
            stats.split_documents += bool(sentence)  # ended by its length, not by a blank line
            yield document
            document, size = [], 0
        if sentence:
            document.append(sentence)
            size += len(sentence)
            stats.sentences += 1
    if document:
        stats.documents += 1
        yield document
