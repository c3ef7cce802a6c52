"""What every stand-in shares: a small threaded HTTP server on 127.0.0.1 that parses each request (url-encoded,
multipart or JSON), records it, routes it to the platform's handler, and can be switched into failures.

The stand-ins are the only mock in the tests: the adapters run unchanged against them. One module per API host
(graph.py for Facebook Pages and Instagram, x.py, youtube.py) holds its server and its fixtures; the root conftest.py
loads them all through `pytest_plugins`, so tests ask for `graph`, `x_api` or `youtube` and import tokens and
classes from those modules."""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from safesocial.platforms.base import MediaItem

Reply = tuple[int, Any, dict[str, str]]  # status, JSON body (bytes for an HTML page, None for no body), headers


def make_jpeg(name: str = "sports-day.jpg", size: int = 2_000, alt_text: str = "") -> MediaItem:
    """Bytes that start like a JPEG and include CR, LF and NUL, so a careless multipart encoding would show."""
    head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\r\n--\r\n"
    return MediaItem(name, "image/jpeg", (head + bytes(range(256)) * (size // 256 + 1))[:size], alt_text)


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Received:
    """One request as the stand-in saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)  # url-encoded or multipart text fields
    files: dict[str, Upload] = field(default_factory=dict)  # multipart file parts
    json: Any = None
    multipart: bool = False

    @property
    def bearer(self) -> str:
        auth = self.headers.get("authorization", "")
        return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else ""

    @property
    def token(self) -> str:
        return self.bearer or self.form.get("access_token") or self.query.get("access_token", "")


def _parse_multipart(content_type: str, raw: bytes) -> tuple[dict[str, str], dict[str, Upload]]:
    # The email package reads MIME multipart bodies; the cgi module that used to do this is gone from Python 3.13.
    message = BytesParser(policy=policy.HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    form: dict[str, str] = {}
    files: dict[str, Upload] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        if part.get_filename() is None:
            form[name] = data.decode()
        else:
            files[name] = Upload(part.get_filename(), part.get_content_type(), data)
    return form, files


class _AnswerLost(Exception):
    """The request was carried out but its answer never reached the client: the connection is dropped instead."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up on a slow answer closes the socket; that is the point of the test


class StandIn(ABC):
    """One API on 127.0.0.1. Subclasses route requests and describe their platform's failures."""

    slow_seconds = 1.0

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.failure = ""
        self.fail_on = ""
        self.bugs: list[BaseException] = []  # the stand-in's own exceptions, raised again when it stops
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), self._handler())

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @contextmanager
    def running(self) -> Iterator[StandIn]:
        # A short poll interval: shutdown() waits for the loop to notice, 0.5 s per test by default.
        thread = threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
        if self.bugs:
            raise AssertionError(f"{type(self).__name__} failed while answering") from self.bugs[0]

    def fail(self, failure: str, on: str = "") -> None:
        """Answer requests whose path and query contain `on` (all, by default) with this failure. Besides each
        platform's own failures, every stand-in knows "slow" (answers after slow_seconds), and two that leave the
        client not knowing what happened: "answer_lost" (the request is carried out, then the connection drops
        before the answer) and "answer_late" (carried out, answered after slow_seconds)."""
        self.failure, self.fail_on = failure, on

    def calls(self, method: str, path_end: str = "") -> list[Received]:
        return [r for r in self.received if r.method == method and r.path.endswith(path_end)]

    def next_id(self, prefix: str = "") -> str:
        return f"{prefix}{next(self._ids)}"

    def dispatch(self, request: Received, target: str) -> Reply:
        with self._lock:
            self.received.append(request)
        if self.failure and self.fail_on in target:
            if self.failure == "slow":
                time.sleep(self.slow_seconds)
            elif self.failure in ("answer_lost", "answer_late"):
                with self._lock:
                    reply = self.route(request)
                if self.failure == "answer_lost":
                    raise _AnswerLost
                time.sleep(self.slow_seconds)
                return reply
            elif (reply := self.failure_reply(self.failure, request)) is not None:
                return reply
        with self._lock:  # the stand-in's store is shared by the server's threads
            return self.route(request)

    @abstractmethod
    def route(self, request: Received) -> Reply:
        """The platform's answer to one request."""

    @abstractmethod
    def failure_reply(self, failure: str, request: Received) -> Reply | None:
        """A failure that replaces the answer, or None for one the routes act out themselves."""

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def handle_one(self) -> None:
                target = self.path
                parts = urlsplit(target)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                content_type = self.headers.get("Content-Type", "")
                request = Received(
                    method=self.command,
                    path=parts.path,
                    query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                    headers={k.lower(): v for k, v in self.headers.items()},
                )
                if content_type.startswith("application/x-www-form-urlencoded"):
                    request.form = dict(parse_qsl(raw.decode(), keep_blank_values=True))
                elif content_type.startswith("multipart/form-data"):
                    request.form, request.files = _parse_multipart(content_type, raw)
                    request.multipart = True
                elif content_type.startswith("application/json"):
                    request.json = json.loads(raw)
                try:
                    status, body, headers = standin.dispatch(request, target)
                except _AnswerLost:
                    self.close_connection = True
                    return
                except Exception as exc:  # the client only sees a dropped connection; make the test say why
                    standin.bugs.append(exc)
                    raise
                is_page = isinstance(body, bytes)
                payload = b"" if body is None else body if is_page else json.dumps(body).encode()
                self.send_response(status)
                if body is not None:  # 204 No Content has neither
                    self.send_header("Content-Type", "text/html" if is_page else "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = handle_one

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


BAD_GATEWAY: Reply = (502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", {})


@pytest.fixture
def jpeg() -> Callable[..., MediaItem]:
    return make_jpeg


@pytest.fixture
def nothing_listening() -> str:
    """A local URL with no server behind it: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
