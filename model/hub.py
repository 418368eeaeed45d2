"""Open a BERT by its Hugging Face Hub id: download only the files a BERT needs into the standard
cache (so transformers and every other tool reuse them), with progress and cancel.

    path = download("google/bert_uncased_L-2_H-128_A-2", progress=print)
    bert = model.load(path)                 # or model.load("google/bert_uncased_L-2_H-128_A-2") once cached

Pure of Qt and torch: the GUI's download worker and `python -m model download` both call it.
huggingface_hub is imported on first download only; looking a model up in the cache needs no
network and no import of it (`cached_snapshot`, used by model.load for an id).

huggingface_hub reads HF_ENDPOINT, HF_HUB_OFFLINE and HF_HOME once, as it is imported; they are
read here at each call instead, so a setting made later (a test, a long-running app) still holds.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import BertError, ModelNotFoundError, one_line
from .folder_layout import SHARD_NAME

DEFAULT_ENDPOINT = "https://huggingface.co"
CONFIG_FILE = "config.json"
TOKENIZER_FILES = ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
SAFETENSORS, SAFETENSORS_INDEX, TORCH_BIN = "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin"
# The Hub's own rule for ids (huggingface_hub.utils.validate_repo_id), checked without importing it.
MODEL_ID = re.compile(r"^(?!.*(--|\.\.))[A-Za-z0-9][\w.-]{0,95}(/[A-Za-z0-9][\w.-]{0,95})?$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")
REPORT_EVERY_S = 0.1  # progress reports at most 10 times a second (the GUI wants at least 4)
SPEED_WINDOW_S = 3.0  # speed is measured over the last few seconds, so the ETA follows the network
CHUNK_BYTES = 64 * 1024  # see _plain_http_in_small_chunks

Cancel = threading.Event | Callable[[], bool] | None


class HubError(BertError):
    """A download that could not be done; the message says what to do."""


class NoNetworkError(HubError):
    """The Hub cannot be reached, or offline mode is on, and the model is not in the cache."""


class NoSuchModelError(HubError):
    """No model (or revision) of that id on the Hub."""


class GatedModelError(HubError):
    """The model exists but needs an accepted licence and a token."""


class NotABertError(HubError):
    """The repository holds no BERT this app can open."""


class DiskFullError(HubError):
    """The cache's disk has no room for the download."""


class DownloadCancelled(HubError):
    """The user stopped the download; what was fetched stays in the cache as the Hub left it."""


@dataclass(frozen=True)
class DownloadProgress:
    done_bytes: int
    total_bytes: int
    bytes_per_s: float  # over the last few seconds; 0 until measured
    eta_s: float | None  # None while the speed is unknown
    file: str  # the file being fetched


@dataclass(frozen=True)
class RemoteFile:
    name: str
    size: int


# --- the cache, without the network --------------------------------------------------------


def cache_dir() -> Path:
    """Where the Hub's cache is, as huggingface_hub puts it: $HF_HUB_CACHE, else $HF_HOME/hub,
    else ~/.cache/huggingface/hub."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    return Path.home() / ".cache" / "huggingface" / "hub"


def endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def offline() -> bool:
    value = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or ""
    return value.strip().upper() in {"1", "ON", "YES", "TRUE"}


def is_model_id(text: str) -> bool:
    return bool(MODEL_ID.match(text)) and not text.endswith(".git")


def repo_folder(model_id: str, cache: Path | None = None) -> Path:
    return (cache or cache_dir()) / ("models--" + model_id.replace("/", "--"))


def cached_snapshot(model_id: str, revision: str | None = None, cache: Path | None = None) -> Path | None:
    """The cached snapshot of `model_id` at `revision` (default: the branch main) if it holds a
    whole BERT (config, vocabulary and every weight file); None otherwise. No network use."""
    repo = repo_folder(model_id, cache)
    commit = revision if revision and COMMIT.match(revision) else None
    if commit is None:
        try:
            commit = (repo / "refs" / (revision or "main")).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
    snapshot = repo / "snapshots" / commit
    return snapshot if snapshot_is_complete(snapshot) else None


def snapshot_is_complete(folder: Path) -> bool:
    """Whether `folder` holds a config, a vocabulary and all its weights: a download stopped
    halfway (cancelled, a network failure) leaves a snapshot that fails this."""
    if not (folder / CONFIG_FILE).is_file():
        return False
    if not ((folder / "vocab.txt").is_file() or (folder / "tokenizer.json").is_file()):
        return False
    if (folder / SAFETENSORS).is_file() or (folder / TORCH_BIN).is_file():
        return True
    try:  # sharded: the index names its shards, and every one must be there
        weight_map = json.loads((folder / SAFETENSORS_INDEX).read_text(encoding="utf-8"))["weight_map"]
        return all((folder / shard).is_file() for shard in set(weight_map.values()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def resolve_local(path: str | Path) -> Path:
    """A model folder for `path`: the folder itself when it exists (a folder wins over an id of
    the same name), else the cached snapshot of the Hub id it names. Never downloads."""
    path = Path(path)
    text = str(path)
    if path.exists() or not is_model_id(text):
        return path
    snapshot = cached_snapshot(text)
    if snapshot is None:
        raise ModelNotFoundError(
            f"'{text}' is neither a folder nor a model in the Hugging Face cache ({cache_dir()}): "
            f"download it with `python -m model download {text}` or File > Open from the Hub"
        )
    return snapshot


# --- choosing the files --------------------------------------------------------------------


def files_to_fetch(remote: dict[str, int]) -> list[RemoteFile]:
    """The files of a repository (name -> size) that a BERT needs, in the order they are fetched:
    config and tokenizer first, weights last, and a shard index after its shards, so that a
    download stopped anywhere leaves a snapshot without (complete) weights, never taken for a model."""
    if CONFIG_FILE not in remote:
        raise NotABertError("it has no config.json, so it is not a Hugging Face model this app can open")
    names = [CONFIG_FILE, *(name for name in TOKENIZER_FILES if name in remote)]
    if "vocab.txt" not in remote and "tokenizer.json" not in remote:
        raise NotABertError("it has no vocab.txt nor tokenizer.json: a BERT needs its WordPiece vocabulary")
    if SAFETENSORS in remote:
        names.append(SAFETENSORS)
    elif SAFETENSORS_INDEX in remote:
        shards = sorted(n for n in remote if SHARD_NAME.fullmatch(n) and n.endswith(".safetensors"))
        names += [*shards, SAFETENSORS_INDEX]
    elif TORCH_BIN in remote:  # read with weights_only=True, as every checkpoint here
        names.append(TORCH_BIN)
    else:
        raise NotABertError("it has no model.safetensors nor pytorch_model.bin weights this app reads")
    return [RemoteFile(name, remote[name] or 0) for name in names]


# --- progress ------------------------------------------------------------------------------


class _Meter:
    """Counts the bytes of a whole download, reports them (throttled) and raises
    DownloadCancelled between chunks once cancel is set."""

    def __init__(self, total: int, report: Callable[[DownloadProgress], None] | None, cancel: Cancel):
        self.total, self.done, self.file = total, 0, ""
        self._report, self._cancel = report, cancel
        self._samples: deque[tuple[float, int]] = deque([(time.monotonic(), 0)])
        self._last_report = 0.0

    def cancelled(self) -> bool:
        c = self._cancel
        return bool(c is not None and (c.is_set() if isinstance(c, threading.Event) else c()))

    def check(self) -> None:
        if self.cancelled():
            raise DownloadCancelled("download cancelled")

    def add(self, n: int) -> None:
        self.check()
        self.done += n
        self.report()

    def set_done(self, done: int) -> None:
        self.done = done
        self.report(force=True)

    def report(self, force: bool = False) -> None:
        now = time.monotonic()
        self._samples.append((now, self.done))
        while len(self._samples) > 2 and now - self._samples[1][0] > SPEED_WINDOW_S:
            self._samples.popleft()
        if self._report is None or (not force and now - self._last_report < REPORT_EVERY_S):
            return
        self._last_report = now
        (t0, d0) = self._samples[0]
        speed = (self.done - d0) / (now - t0) if now - t0 > 0.2 else 0.0
        eta = max(self.total - self.done, 0) / speed if speed > 0 else None
        self._report(DownloadProgress(self.done, self.total, speed, eta, self.file))

    def bar_class(self) -> type:
        """A class huggingface_hub can use as its tqdm_class: it builds one per file and calls
        update() per chunk received."""
        meter = self

        class Bar:
            def __init__(self, *_, initial: int = 0, **__):
                if initial:  # bytes of an earlier, stopped attempt the Hub resumes from
                    meter.add(initial)

            def __enter__(self):
                return self

            def __exit__(self, *_):
                return False

            def update(self, n: int = 1) -> None:
                meter.add(n)

            def close(self) -> None:
                pass

        return Bar


@contextmanager
def _plain_http_in_small_chunks():
    """While a download runs, have huggingface_hub fetch over plain HTTP in small chunks, and
    put its settings back afterwards (a program calling this may use the library for more).

    - Its 10 MB chunks would give one progress report (and one chance to cancel) every few seconds
      at a few MB/s; 64 KB chunks give the 4 reports a second the GUI wants down to 256 KB/s (at a
      local server's 200 MB/s that is 3,000 chunks a second, a few microseconds of Python each).
    - With hf_xet installed, Xet-backed files are fetched by Rust threads that report through a
      callback, where raising to cancel is not known to stop them; the Hub serves the same files
      over HTTP (the /resolve redirect), where every chunk passes through the meter.
    """
    from huggingface_hub import constants

    saved = constants.DOWNLOAD_CHUNK_SIZE, constants.HF_HUB_DISABLE_XET
    constants.DOWNLOAD_CHUNK_SIZE = min(constants.DOWNLOAD_CHUNK_SIZE, CHUNK_BYTES)
    constants.HF_HUB_DISABLE_XET = True
    try:
        yield
    finally:
        constants.DOWNLOAD_CHUNK_SIZE, constants.HF_HUB_DISABLE_XET = saved


# --- the download --------------------------------------------------------------------------


def download(
    model_id: str,
    revision: str | None = None,
    progress: Callable[[DownloadProgress], None] | None = None,
    cancel: Cancel = None,
) -> Path:
    """Download what a BERT needs of `model_id` into the Hub's cache and return its snapshot
    folder. A whole snapshot already cached is used as it is when offline or the Hub cannot be
    reached. Raises a HubError subclass (one line saying what to do)."""
    model_id = model_id.strip()
    if not is_model_id(model_id):
        raise NoSuchModelError(
            f"'{model_id}' is not a Hub model id: give NAME or ORG/NAME, e.g. bert-base-uncased "
            "or google/bert_uncased_L-4_H-256_A-4"
        )
    cache = cache_dir()
    cached = cached_snapshot(model_id, revision, cache)
    if offline():
        if cached is None:
            raise NoNetworkError(
                f"offline mode is on (HF_HUB_OFFLINE) and {model_id} is not in the cache ({cache}): "
                "unset HF_HUB_OFFLINE to download it"
            )
        return cached
    try:
        return _fetch(model_id, revision, cache, _Meter(0, progress, cancel))
    except NoNetworkError:
        if cached is not None:  # as transformers does: no network, but a whole copy is here
            return cached
        raise


def _fetch(model_id: str, revision: str | None, cache: Path, meter: _Meter) -> Path:
    where = endpoint()
    try:
        return _fetch_files(model_id, revision, cache, where, meter)
    except HubError:
        raise
    except Exception as exc:  # noqa: BLE001 - every library failure becomes one line
        raise _one_line_error(exc, model_id, revision, where, cache) from exc


def _fetch_files(model_id: str, revision: str | None, cache: Path, where: str, meter: _Meter) -> Path:
    from huggingface_hub import HfApi

    info = HfApi(endpoint=where).model_info(model_id, revision=revision, files_metadata=True)
    try:
        files = files_to_fetch({s.rfilename: s.size for s in info.siblings or []})
    except NotABertError as exc:
        raise NotABertError(f"{model_id}: {exc}") from None
    meter.total = sum(f.size for f in files)
    _check_room(cache, meter.total, model_id)
    done, snapshot = 0, cache
    for f in files:
        meter.check()
        meter.file = f.name
        path = _fetch_file(model_id, f.name, revision, cache, where, meter)
        snapshot = path.parent
        done += f.size
        meter.set_done(done)  # a file already cached counts as fetched
        if f.name == CONFIG_FILE:
            _check_is_bert(path, model_id)
    return snapshot


def _fetch_file(model_id: str, name: str, revision: str | None, cache: Path, where: str, meter: _Meter) -> Path:
    from huggingface_hub import hf_hub_download

    with _plain_http_in_small_chunks():
        return Path(
            hf_hub_download(
                model_id,
                name,
                revision=revision,  # not info.sha: the cache's refs/main must name the snapshot
                cache_dir=cache,
                endpoint=where,
                tqdm_class=meter.bar_class(),
            )
        )


def _check_room(cache: Path, total: int, model_id: str) -> None:
    folder = cache
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    if free < total:
        raise DiskFullError(
            f"{model_id} needs {total / 1e6:,.0f} MB and the disk holding {cache} has {free / 1e6:,.0f} MB free: "
            "free some space or set HF_HOME to a folder on a larger disk"
        )


def _check_is_bert(config_path: Path, model_id: str) -> None:
    try:
        model_type = json.loads(config_path.read_text(encoding="utf-8")).get("model_type", "bert")
    except (OSError, ValueError, AttributeError):
        raise NotABertError(f"{model_id}: its config.json is not a JSON object") from None
    if model_type != "bert":
        raise NotABertError(
            f"{model_id} is a {model_type} model (config.json model_type), not a BERT: this app opens BERTs only"
        )


def _is_network_error(exc: BaseException) -> bool:
    """Connection refused, reset, timed out or cut mid-file, whichever HTTP library the Hub client uses."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    return isinstance(exc, (ConnectionError, TimeoutError)) or bool(names & {"TransportError", "RequestException"})


def _one_line_error(exc: Exception, model_id: str, revision: str | None, where: str, cache: Path) -> HubError:
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        OfflineModeIsEnabled,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if isinstance(exc, OfflineModeIsEnabled):
        return NoNetworkError(
            f"offline mode is on (HF_HUB_OFFLINE) and {model_id} is not in the cache: unset it to download"
        )
    if isinstance(exc, GatedRepoError):
        return GatedModelError(
            f"{model_id} is gated: accept its terms on its Hub page, then set HF_TOKEN or run `hf auth login`"
        )
    if isinstance(exc, RepositoryNotFoundError):
        return NoSuchModelError(
            f"no model '{model_id}' on {where}: check the spelling (e.g. bert-base-uncased); "
            "a private one needs HF_TOKEN or `hf auth login`"
        )
    if isinstance(exc, RevisionNotFoundError):
        return NoSuchModelError(f"{model_id} has no revision '{revision}': leave it empty for the latest")
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return DiskFullError(
            f"the disk holding {cache} is full: free some space or set HF_HOME to a folder on a larger disk"
        )
    if isinstance(exc, HfHubHTTPError):
        status = exc.response.status_code if exc.response is not None else "an error"
        return HubError(f"{where} answered {status} for {model_id}: try again later ({one_line(exc)})")
    if _is_network_error(exc):
        return NoNetworkError(
            f"cannot reach {where} ({one_line(exc)}): check the network, or set HF_HUB_OFFLINE=1 to use "
            "only models already in the cache"
        )
    if isinstance(exc, OSError) and "Consistency check failed" in str(exc):
        return NoNetworkError(f"the download of {model_id} was cut short: try again")
    return HubError(f"{model_id}: the download failed ({one_line(exc)}): try again")
