from model.pretraining.corpus import MAX_LINE_CHARS, CorpusStats, read_documents


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
