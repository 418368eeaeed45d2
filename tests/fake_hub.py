"""A stand-in for the Hugging Face Hub on 127.0.0.1, answering the endpoints huggingface_hub 2.x
calls to download a model (point HF_ENDPOINT at `FakeHub.url`):

    GET  /api/models/{id}[/revision/{rev}]?blobs=true   HfApi.model_info: sha and siblings with sizes
    HEAD /{id}/resolve/{rev}/{file}                       get_hf_file_metadata: X-Repo-Commit, ETag, size
    GET  /{id}/resolve/{rev}/{file}                       http_get: the bytes (Range for a resumed file)

Unknown repositories answer 404 with X-Error-Code RepoNotFound, as the Hub does, and gated ones
403 GatedRepo. A test can slow the weights down (`rate`), or have the server die partway through a
file (`die_after`). Used by tests/model/test_hub.py, tests/bertgui/test_hub_dialog.py and
benchmarks/bench_hub.py (loaded by path: tests/ is no package).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class Repo:
    files: dict[str, bytes]
    sha: str = "0123456789abcdef0123456789abcdef01234567"
    gated: bool = False


@dataclass
class FakeHub:
    repos: dict[str, Repo] = field(default_factory=dict)
    rate: float | None = None  # bytes per second for files over 64 KB (the weights); None: as fast as it goes
    die_after: int | None = None  # the server stops for good after sending this many bytes of a weight file
    fetched: list[str] = field(default_factory=list)  # "ID/FILE" of every GET of a file, in order
    sent: dict[str, int] = field(default_factory=dict)  # bytes of each file sent so far

    def __post_init__(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-hub", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add_folder(self, model_id: str, folder: Path, **repo) -> Repo:
        """Serve every file of `folder` (plus a README, which no BERT download needs) as `model_id`."""
        files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
        files["README.md"] = b"# a model card nobody downloads\n"
        self.repos[model_id] = Repo(files, **repo)
        return self.repos[model_id]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler(hub: FakeHub):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):  # quiet
            pass

        def do_GET(self):
            self._answer(body=True)

        def do_HEAD(self):
            self._answer(body=False)

        def _answer(self, body: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            if path.startswith("/api/models/"):
                return self._model_info(path.removeprefix("/api/models/"))
            if "/resolve/" in path:
                model_id, _, rest = path.lstrip("/").partition("/resolve/")
                _, _, filename = rest.partition("/")
                return self._file(model_id, filename, body)
            self._error(404, "EntryNotFound")

        def _repo(self, model_id: str) -> Repo | None:
            repo = hub.repos.get(model_id)
            if repo is None:
                self._error(404, "RepoNotFound")
            elif repo.gated:
                self._error(403, "GatedRepo")
                return None
            return repo

        def _model_info(self, rest: str) -> None:
            model_id = rest.split("/revision/")[0]
            repo = self._repo(model_id)
            if repo is None:
                return
            siblings = [{"rfilename": name, "size": len(data)} for name, data in repo.files.items()]
            payload = json.dumps({"id": model_id, "modelId": model_id, "sha": repo.sha, "siblings": siblings})
            self._send(200, payload.encode(), {"Content-Type": "application/json"})

        def _file(self, model_id: str, filename: str, body: bool) -> None:
            repo = self._repo(model_id)
            if repo is None:
                return
            data = repo.files.get(filename)
            if data is None:
                return self._error(404, "EntryNotFound")
            start = 0
            if body and self.headers.get("Range", "").startswith("bytes="):
                start = int(self.headers["Range"].removeprefix("bytes=").split("-")[0])
            headers = {
                "X-Repo-Commit": repo.sha,
                "ETag": f'"{hashlib.sha256(data).hexdigest()}"',
                "Content-Type": "application/octet-stream",
            }
            if not body:
                return self._send(200, b"", {**headers, "Content-Length": str(len(data))}, head=True)
            hub.fetched.append(f"{model_id}/{filename}")
            status = 206 if start else 200
            if start:
                headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
            self._stream(status, data[start:], headers, f"{model_id}/{filename}", slow=len(data) > 65536)

        def _stream(self, status: int, data: bytes, headers: dict, key: str, slow: bool) -> None:
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(data))}.items():
                self.send_header(name, value)
            self.end_headers()
            piece = 16384
            for offset in range(0, len(data), piece):
                if slow and hub.die_after is not None and hub.sent.get(key, 0) >= hub.die_after:
                    self.wfile.flush()
                    self.close_connection = True
                    threading.Thread(target=hub.stop, daemon=True).start()  # no one answers any more
                    return
                chunk = data[offset : offset + piece]
                try:
                    self.wfile.write(chunk)
                except OSError:  # the client went away (a cancelled download)
                    return
                hub.sent[key] = hub.sent.get(key, 0) + len(chunk)
                if slow and hub.rate:
                    time.sleep(len(chunk) / hub.rate)

        def _error(self, status: int, code: str) -> None:
            self._send(status, json.dumps({"error": code}).encode(), {"X-Error-Code": code})

        def _send(self, status: int, payload: bytes, headers: dict, head: bool = False) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if not head:
                self.wfile.write(payload)

    return Handler
