"""Corpus search (as exBERT did): the tokens of a corpus whose contextual vectors at a layer are
nearest to a chosen token's, so a learner sees what a layer encodes (early: the same word;
later: the same role).

An index is a folder built once per model and corpus (`python -m model index-corpus`):

    index.json          what it was built with (model fingerprint, layers, counts), rewritten
                        atomically after every chunk, so an interrupted build resumes
    sentences.txt       the indexed sentences, one per line
    token_ids.int32     (N,) the vocabulary id of each indexed token
    sentence_of.int32   (N,) the sentence each token comes from
    position.int16      (N,) its position in that sentence's tokens ([CLS] = 0)
    layer_<L>.f16       (N, hidden) float16, each row the token's hidden state after layer L
                        (0 = the embeddings), scaled to length 1, so a dot product is the cosine

[CLS] and [SEP] are not indexed. Files are memory-mapped when searched. Search is exact: with
faiss installed (a dependency of the app) its fp16 flat scan, else NumPy in chunks.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from .atomic import atomic_write_text
from .errors import BertError

INDEX_FORMAT = 1
INDEX_JSON = "index.json"
SENTENCES = "sentences.txt"
ARRAYS = {"token_ids": np.int32, "sentence_of": np.int32, "position": np.int16}
CHUNK_SENTENCES = 256  # sentences embedded between two saves of index.json
BATCH_SENTENCES = 32  # sentences per forward pass (padded to the longest)
MAX_INDEX_TOKEN_LENGTH = 128  # sentences are cut to this many tokens: the index is of short contexts
NUMPY_SCAN_ROWS = 65_536  # rows converted to float32 at once by the NumPy scan


class CorpusIndexError(BertError):
    """An index that cannot be used (missing, broken, or built for another model): one line."""


@dataclass
class IndexInfo:
    """index.json."""

    format: int
    model: str  # the model folder's name, for people
    fingerprint: (
        str  # sha256 of the model's config, vocabulary and embedding weights: vectors only compare within one model
    )
    hidden_size: int
    layers: list[int]  # the hidden states kept: 0 = embeddings, L = after layer L
    source: str  # the text file indexed
    sentences: int  # sentences indexed so far
    tokens: int  # tokens indexed so far
    sentences_bytes: int  # length of sentences.txt so far (to cut it back on resume)
    complete: bool  # the whole file was indexed


@dataclass
class Hit:
    """One nearest token: its sentence, with the matched token at `position` of `tokens`."""

    sentence: str
    tokens: list[str]  # the sentence's WordPiece tokens, [CLS] ... [SEP]
    position: int
    token: str
    similarity: float  # cosine similarity with the query token's vector
    span: tuple[int, int]  # the matched token's characters in `sentence` (a ## piece: only its part)


@dataclass
class SearchResult:
    query_token: str
    layer: int
    hits: list[Hit]  # best first
    summary: str  # what matched, in one line: how many are the same token, typical positions, neighbours


def model_fingerprint(bert) -> str:
    """Vectors only compare within one model: its config, vocabulary and a slice of its weights."""
    import torch

    digest = hashlib.sha256()
    digest.update(json.dumps(bert.config.to_dict(), sort_keys=True).encode())
    digest.update("\n".join(bert.tokenizer.id_to_token(i) for i in range(bert.tokenizer.vocab_size)).encode())
    with torch.no_grad():
        embeddings = bert.network.bert.embeddings
        for table in (embeddings.word_embeddings.weight, embeddings.LayerNorm.weight):
            digest.update(table[:256].detach().float().cpu().numpy().tobytes())
    return digest.hexdigest()


# --- building ------------------------------------------------------------------------------


def read_sentences(path: Path) -> Iterator[str]:
    """The file's non-blank lines (one sentence each), gzip or plain, as the corpus reader reads them."""
    from .pretraining.corpus import read_documents

    for document in read_documents(path):
        yield from document


def build_index(
    bert,
    source: str | Path,
    out: str | Path,
    layers: Iterable[int],
    max_sentences: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IndexInfo:
    """Index `source` (one sentence per line) into the folder `out`, or resume an interrupted
    build there (same model, layers and source). progress(sentences done, tokens done) after
    every chunk."""
    import torch

    out, source = Path(out), Path(source)
    layers = sorted(set(int(layer) for layer in layers))
    top = bert.config.num_hidden_layers
    if not layers or layers[0] < 0 or layers[-1] > top:
        raise BertError(f"choose layers from 0 (the embeddings) to {top}")
    fingerprint = model_fingerprint(bert)
    info = _resumable(out, fingerprint, layers, source)
    if info is None:
        out.mkdir(parents=True, exist_ok=True)
        info = IndexInfo(
            INDEX_FORMAT, _model_name(bert), fingerprint, bert.config.hidden_size, layers, str(source), 0, 0, 0, False
        )
    _cut_back(out, info)
    files = _open_for_append(out, info)
    tokenizer = bert.tokenizer.with_max_length(min(MAX_INDEX_TOKEN_LENGTH, bert.tokenizer.max_length))
    try:
        pending: list[str] = []
        whole_file = True
        for number, sentence in enumerate(read_sentences(source)):
            if max_sentences is not None and number >= max_sentences:
                whole_file = False
                break
            if number < info.sentences:
                continue  # indexed before the interruption
            pending.append(" ".join(sentence.split()))
            if len(pending) == CHUNK_SENTENCES:
                _index_chunk(bert, tokenizer, pending, info, files, torch)
                pending = []
                if progress:
                    progress(info.sentences, info.tokens)
        if pending:
            _index_chunk(bert, tokenizer, pending, info, files, torch)
        info.complete = whole_file
        _save_info(out, info)
        if progress:
            progress(info.sentences, info.tokens)
    finally:
        for f in files.values():
            f.close()
    return info


def _model_name(bert) -> str:
    return bert.path.name if bert.path is not None else "model"


def _resumable(out: Path, fingerprint: str, layers: list[int], source: Path) -> IndexInfo | None:
    if not (out / INDEX_JSON).is_file():
        if out.exists() and any(out.iterdir()):
            raise BertError(f"{out} holds other files: choose an empty or new folder for the index")
        return None
    info = read_info(out)
    if info.fingerprint != fingerprint:
        raise CorpusIndexError(f"{out} was built with another model ({info.model}): choose a new folder")
    if info.layers != layers or Path(info.source).resolve() != source.resolve():
        raise CorpusIndexError(
            f"{out} indexes {info.source} at layers {info.layers}: resume with those, or choose a new folder"
        )
    return info


def _cut_back(out: Path, info: IndexInfo) -> None:
    """Truncate every file to what index.json says was done: a chunk cut off mid-write is redone."""
    for name, dtype in ARRAYS.items():
        _truncate(out / f"{name}.{np.dtype(dtype).name}", info.tokens * np.dtype(dtype).itemsize)
    for layer in info.layers:
        _truncate(out / f"layer_{layer}.f16", info.tokens * info.hidden_size * 2)
    _truncate(out / SENTENCES, info.sentences_bytes)


def _truncate(path: Path, size: int) -> None:
    if path.exists():
        with open(path, "r+b") as f:
            f.truncate(size)


def _open_for_append(out: Path, info: IndexInfo) -> dict:
    files = {name: open(out / f"{name}.{np.dtype(dtype).name}", "ab") for name, dtype in ARRAYS.items()}
    files.update({f"layer_{layer}": open(out / f"layer_{layer}.f16", "ab") for layer in info.layers})
    files["sentences"] = open(out / SENTENCES, "ab")
    return files


def _index_chunk(bert, tokenizer, sentences: list[str], info: IndexInfo, files: dict, torch) -> None:
    columns: dict[str, list[np.ndarray]] = {name: [] for name in ARRAYS} | {
        f"layer_{layer}": [] for layer in info.layers
    }
    for start in range(0, len(sentences), BATCH_SENTENCES):
        batch = [tokenizer.encode(s) for s in sentences[start : start + BATCH_SENTENCES]]
        T = max(len(e.ids) for e in batch)
        ids = torch.zeros(len(batch), T, dtype=torch.long)
        mask = torch.zeros(len(batch), T, dtype=torch.long)
        for row, e in enumerate(batch):
            ids[row, : len(e.ids)] = torch.tensor(e.ids)
            mask[row, : len(e.ids)] = 1
        with torch.inference_mode():
            out = bert.network(
                ids.to(bert.device),
                None,
                mask.to(bert.device),
                output_hidden_states=True,
                mlm_positions=False,
                nsp=False,
                classify=False,
            )
        hidden = out.encoder.hidden_states  # (layers + 1, B, T, hidden)
        for row, e in enumerate(batch):
            keep = np.flatnonzero(np.asarray(e.special_tokens_mask) == 0)  # text tokens only
            sentence_number = info.sentences + start + row
            columns["token_ids"].append(np.asarray(e.ids, dtype=np.int32)[keep])
            columns["sentence_of"].append(np.full(len(keep), sentence_number, dtype=np.int32))
            columns["position"].append(keep.astype(np.int16))
            for layer in info.layers:
                vectors = hidden[layer, row, torch.as_tensor(keep, dtype=torch.long)].float().cpu().numpy()
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                columns[f"layer_{layer}"].append((vectors / np.maximum(norms, 1e-12)).astype(np.float16))
    added = 0
    for name, parts in columns.items():
        block = np.concatenate(parts) if parts else np.zeros(0)
        files[name].write(np.ascontiguousarray(block).tobytes())
        added = len(block) if name == "token_ids" else added
    text = "".join(s.replace("\n", " ") + "\n" for s in sentences).encode("utf-8")
    files["sentences"].write(text)
    for f in files.values():
        f.flush()
        os.fsync(f.fileno())
    info.sentences += len(sentences)
    info.tokens += added
    info.sentences_bytes += len(text)
    _save_info(Path(files["sentences"].name).parent, info)


def _save_info(out: Path, info: IndexInfo) -> None:
    atomic_write_text(out / INDEX_JSON, json.dumps(asdict(info), indent=2) + "\n")


# --- the example index the app offers -----------------------------------------------------


def example_corpus() -> Path:
    """2,000 public-domain sentences shipped with the app (resources/corpus/SOURCES.md)."""
    from .resource_paths import resources_folder

    return resources_folder() / "corpus" / "example_sentences.txt"


def example_layers(num_hidden_layers: int) -> list[int]:
    """The embeddings (where neighbours are the same word), the middle layer and the last (where
    they share a role): three snapshots keep the example index small."""
    return sorted({0, num_hidden_layers // 2, num_hidden_layers})


def example_index_folder(bert, root: str | Path) -> Path:
    """Where the example index of this model lives under `root`: one per model, by fingerprint."""
    return Path(root) / f"{_model_name(bert)}-{model_fingerprint(bert)[:12]}-example"


# --- searching -----------------------------------------------------------------------------


def read_info(folder: str | Path) -> IndexInfo:
    path = Path(folder) / INDEX_JSON
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        info = IndexInfo(**data)
    except FileNotFoundError:
        raise CorpusIndexError(
            f"{folder} is not a corpus index (no {INDEX_JSON}); build one with python -m model index-corpus"
        ) from None
    except (OSError, ValueError, TypeError) as exc:
        raise CorpusIndexError(f"{path} is unreadable ({exc}); build the index again") from None
    if info.format != INDEX_FORMAT:
        raise CorpusIndexError(
            f"{folder} is an index of format {info.format}; this version reads {INDEX_FORMAT}: build it again"
        )
    return info


class CorpusIndex:
    """An index opened for searching (read-only, memory-mapped)."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.info = read_info(self.folder)
        n = self.info.tokens
        try:
            self.arrays = (
                {
                    name: np.memmap(self.folder / f"{name}.{np.dtype(dtype).name}", dtype=dtype, mode="r", shape=(n,))
                    for name, dtype in ARRAYS.items()
                }
                if n
                else {name: np.zeros(0, dtype) for name, dtype in ARRAYS.items()}
            )
            with open(self.folder / SENTENCES, "rb") as f:
                self.sentences = f.read(self.info.sentences_bytes).decode("utf-8").splitlines()
        except (OSError, ValueError) as exc:
            raise CorpusIndexError(
                f"{self.folder}: a file of the index is missing or short ({exc}); build it again"
            ) from None
        self._vectors: dict[int, np.ndarray] = {}
        self._faiss: dict[int, object] = {}

    def check_model(self, bert) -> None:
        if model_fingerprint(bert) != self.info.fingerprint:
            raise CorpusIndexError(
                f"{self.folder} was built with another model ({self.info.model}); build an index with this one"
            )

    def vectors(self, layer: int) -> np.ndarray:
        if layer not in self.info.layers:
            raise CorpusIndexError(f"the index holds layers {self.info.layers}, not {layer}: choose one of them")
        if layer not in self._vectors:
            shape = (self.info.tokens, self.info.hidden_size)
            path = self.folder / f"layer_{layer}.f16"
            self._vectors[layer] = (
                np.memmap(path, dtype=np.float16, mode="r", shape=shape) if shape[0] else np.zeros(shape, np.float16)
            )
        return self._vectors[layer]

    def nearest(self, layer: int, query: np.ndarray, k: int, engine: str = "auto") -> tuple[np.ndarray, np.ndarray]:
        """Row numbers and cosine similarities of the k rows nearest `query` (hidden,), best first."""
        q = np.asarray(query, dtype=np.float32)
        q = q / max(float(np.linalg.norm(q)), 1e-12)
        k = min(k, self.info.tokens)
        if k == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        if engine == "faiss" or (engine == "auto" and _faiss_available()):
            return self._nearest_faiss(layer, q, k)
        return self._nearest_numpy(layer, q, k)

    def _nearest_numpy(self, layer: int, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        vectors = self.vectors(layer)
        scores = np.empty(len(vectors), dtype=np.float32)
        for start in range(0, len(vectors), NUMPY_SCAN_ROWS):
            scores[start : start + NUMPY_SCAN_ROWS] = vectors[start : start + NUMPY_SCAN_ROWS].astype(np.float32) @ q
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return top.astype(np.int64), scores[top]

    def _nearest_faiss(self, layer: int, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        import faiss

        if layer not in self._faiss:
            vectors = self.vectors(layer)
            index = faiss.IndexScalarQuantizer(
                self.info.hidden_size, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
            )
            index.is_trained = True  # fp16 needs no training: its codes are the float16 values themselves
            faiss.copy_array_to_vector(np.ascontiguousarray(vectors).view(np.uint8).ravel(), index.codes)
            index.ntotal = len(vectors)
            self._faiss[layer] = index
        scores, rows = self._faiss[layer].search(q[None, :], k)
        return rows[0].astype(np.int64), scores[0].astype(np.float32)

    def hits(self, rows: np.ndarray, similarities: np.ndarray, tokenizer) -> list[Hit]:
        found = []
        for row, similarity in zip(rows.tolist(), similarities.tolist()):
            sentence = self.sentences[int(self.arrays["sentence_of"][row])]
            encoding = tokenizer.encode(sentence)
            position = int(self.arrays["position"][row])
            token = tokenizer.id_to_token(int(self.arrays["token_ids"][row]))
            span = tuple(encoding.offsets[position]) if position < len(encoding.offsets) else (0, 0)
            found.append(Hit(sentence, encoding.tokens, position, token, similarity, span))
        return found


def _faiss_available() -> bool:
    try:
        import faiss  # noqa: F401
    except ImportError:
        return False
    return True


def summarize(query_token: str, hits: list[Hit]) -> str:
    """What matched, in one line: the same token or others, where in their sentences, what was next to them."""
    if not hits:
        return "the index is empty"
    same = sum(h.token == query_token for h in hits)
    others = Counter(h.token for h in hits if h.token != query_token).most_common(3)
    before = Counter(h.tokens[h.position - 1] for h in hits if h.position > 0).most_common(1)
    positions = sorted(h.position for h in hits)
    parts = [f"{same} of {len(hits)} are '{query_token}'"]
    if others:
        parts.append("others: " + ", ".join(f"'{t}' x{n}" for t, n in others))
    parts.append(f"positions {positions[0]} to {positions[-1]} (median {positions[len(positions) // 2]})")
    if before:
        parts.append(f"most often after '{before[0][0]}' ({before[0][1]})")
    return "; ".join(parts)


def search(
    bert, index: CorpusIndex, text: str, token: int, layer: int, top_k: int = 10, text_b: str | None = None
) -> SearchResult:
    """The top_k corpus tokens nearest token `token` (a position in the text's tokens) at `layer`."""
    index.check_model(bert)
    index.vectors(layer)  # a layer the index lacks: one line now, before any work
    enc = bert.tokenizer.encode(text, text_b)
    if not 0 <= token < len(enc.tokens):
        raise BertError(f"token {token} does not exist: the text has tokens 0 to {len(enc.tokens) - 1}")
    import torch

    ids = torch.tensor([enc.ids], device=bert.device)
    types = torch.tensor([enc.segment_ids], device=bert.device)
    with torch.inference_mode():
        out = bert.network(ids, types, output_hidden_states=True, mlm_positions=False, nsp=False, classify=False)
    query = out.encoder.hidden_states[layer, 0, token].float().cpu().numpy()
    rows, similarities = index.nearest(layer, query, top_k)
    hits = index.hits(rows, similarities, bert.tokenizer)
    return SearchResult(enc.tokens[token], layer, hits, summarize(enc.tokens[token], hits))
