import gzip
import tracemalloc

import pytest

from model.errors import BertError
from model.pretraining.corpus import MAX_LINE_CHARS, CorpusStats, corpus_files, read_documents


def test_documents_split_on_blank_lines_and_empty_lines_are_skipped(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("\n\n  \na one\na two\n\n\n\nb one\n   \n\nc one\n")
    stats = CorpusStats()
    assert list(read_documents(path, stats)) == [["a one", "a two"], ["b one"], ["c one"]]
    assert (stats.documents, stats.sentences) == (3, 4)


def test_non_utf8_bytes_are_replaced_and_counted(tmp_path):
    path = tmp_path / "c.txt"
    path.write_bytes("caf\u00e9 ok\n".encode() + b"bad \xff\xfe byte\nlatin1 caf\xe9\n\nnext \xef\xbf\xbd literal\n")
    stats = CorpusStats()
    docs = list(read_documents(path, stats))
    assert docs[0][0] == "café ok" and "\ufffd" in docs[0][1]
    assert stats.replaced_bytes == 3  # \xff, \xfe and \xe9; the literal U+FFFD in the file is not counted
    assert "replaced" in stats.summary()


def test_very_long_line_is_cut_into_pieces(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("short\n" + "x" * (MAX_LINE_CHARS * 3 + 5) + "\nend\n")
    stats = CorpusStats()
    (doc,) = read_documents(path, stats)
    assert doc[0] == "short" and doc[-1] == "end"
    assert all(len(s) <= MAX_LINE_CHARS for s in doc) and sum(len(s) for s in doc[1:-1]) == MAX_LINE_CHARS * 3 + 5
    assert stats.split_lines == 1


def test_huge_single_line_streams(tmp_path):
    path = tmp_path / "c.txt"
    with open(path, "w") as f:
        for _ in range(300):
            f.write("word " * 2000)  # 3 MB without a newline: read in bounded pieces
    stats = CorpusStats()
    (doc,) = read_documents(path, stats)
    assert sum(s.count("w") for s in doc) == 600_000 and stats.bytes_read == 3_000_000


# --- several files, gzip, folders ------------------------------------------------------------

PARTS = ("a one\na two\n\nb one\n", "c one\n\n\nd one\nd two\n", "e one\n")


def write_parts(folder):
    """The three PARTS as a plain file, a gzip file and a plain file, in name order."""
    folder.mkdir(exist_ok=True)
    (folder / "1.txt").write_text(PARTS[0])
    (folder / "2.txt.gz").write_bytes(gzip.compress(PARTS[1].encode()))
    (folder / "3.txt").write_text(PARTS[2])
    return [folder / "1.txt", folder / "2.txt.gz", folder / "3.txt"]


def test_several_files_and_gzip_read_as_their_concatenation(tmp_path):
    files = write_parts(tmp_path / "parts")
    whole = tmp_path / "whole.txt"
    whole.write_text("\n".join(PARTS))
    stats, whole_stats = CorpusStats(), CorpusStats()
    assert list(read_documents(files, stats)) == list(read_documents(whole, whole_stats))
    assert (stats.documents, stats.sentences) == (whole_stats.documents, whole_stats.sentences) == (5, 7)


def test_a_document_ends_with_its_file(tmp_path):
    (tmp_path / "a.txt").write_text("a one\na two")  # no blank line, no newline at the end
    (tmp_path / "b.txt").write_text("b one\n")
    assert list(read_documents([tmp_path / "a.txt", tmp_path / "b.txt"])) == [["a one", "a two"], ["b one"]]


def test_a_folder_stands_for_its_text_and_gzip_files_in_name_order(tmp_path):
    files = write_parts(tmp_path / "parts")
    (tmp_path / "parts" / "notes.md").write_text("not corpus\n")
    (tmp_path / "parts" / "sub").mkdir()
    (tmp_path / "parts" / "sub" / "0.txt").write_text("not read either\n")
    assert corpus_files(tmp_path / "parts") == files
    assert list(read_documents([tmp_path / "parts"])) == list(read_documents(files))


def test_gzip_is_recognised_by_its_bytes_not_its_name(tmp_path):
    disguised = tmp_path / "looks_plain.txt"
    disguised.write_bytes(gzip.compress(b"one\n\ntwo\n"))
    assert list(read_documents(disguised)) == [["one"], ["two"]]


@pytest.mark.parametrize("damage", ["truncated", "corrupt"])
def test_a_broken_gzip_file_is_one_line_naming_it(tmp_path, damage):
    data = gzip.compress(("a sentence of the corpus\n" * 2000).encode())
    path = tmp_path / "broken.txt.gz"
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(data[:40] + bytes(b ^ 0xFF for b in data[40:80]) + data[80:])
    with pytest.raises(BertError) as refused:
        list(read_documents(path))
    message = str(refused.value)
    assert message.startswith(f"{path}: not a valid gzip file (truncated?); ") and "\n" not in message


def test_missing_paths_and_empty_folders_are_refused(tmp_path):
    with pytest.raises(BertError, match="no such corpus file or folder"):
        corpus_files([tmp_path / "missing.txt"])
    with pytest.raises(BertError, match="a folder without .txt or .txt.gz files"):
        corpus_files([tmp_path])


def test_a_huge_gzip_line_is_cut_without_holding_it(tmp_path):
    path = tmp_path / "bomb.txt.gz"
    size = 32 * MAX_LINE_CHARS * 100  # 64 MB of one line, about 60 KB compressed
    with gzip.open(path, "wb") as f:
        for _ in range(100):
            f.write(b"x" * (size // 100))
    stats = CorpusStats()
    characters = 0
    tracemalloc.start()
    try:
        for document in read_documents(path, stats):
            assert all(len(s) <= MAX_LINE_CHARS for s in document)
            characters += sum(map(len, document))
            del document
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert characters == stats.bytes_read == size and stats.split_lines >= 1
    assert peak < size / 4  # documents are cut at MAX_DOCUMENT_CHARS (10 MB of text); the line never whole
