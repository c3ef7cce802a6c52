"""Local stand-ins for the social networks' APIs, built from their public docs.

Each is a small threaded HTTP server on 127.0.0.1 that answers the endpoints our adapters use with the JSON the docs
show, keeps what was published so reads see it, records every request it received, and can be switched into the
failures the docs describe. They are the only mock in these tests: the adapters run unchanged against them.

Test modules load the fixtures with `pytest_plugins = ["safesocial.platforms.tests.standins"]` and reach everything
through them (a module that also imported this one would stop pytest rewriting its asserts)."""

from __future__ import annotations

import calendar
import html
import itertools
import json
import re
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
from django.test import override_settings

from safesocial.platforms.base import Account, MediaItem

Reply = tuple[int, Any, dict[str, str]]  # status, JSON body (bytes for an HTML page, None for no body), headers

FB_TOKEN = "EAAPageTokenFb0123456789secret"
IG_TOKEN = "EAAInstagramToken0123456789secret"
X_TOKEN = "x-user-context-token-0123456789-secret"
YT_TOKEN = "ya29.youtube-token-0123456789-secret"


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


# --- Facebook Pages and Instagram: one Graph API host --------------------------------------------------------------


def graph_error(status: int, message: str, code: int, subcode: int | None = None, **extra: Any) -> Reply:
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEfGhIjK"}
    if subcode:
        error["error_subcode"] = subcode
    headers = extra.pop("headers", {})
    return status, {"error": error | extra}, headers


class GraphStandIn(StandIn):
    """graph.facebook.com for a Page (feed, photos, posts) and its Instagram account (media, media_publish)."""

    version = "v21.0"
    page_id = "104000000000001"
    ig_user_id = "17841400000000001"

    def __init__(self) -> None:
        super().__init__()
        self.posts: list[dict[str, Any]] = []  # the Page's posts, newest first
        self.photos: dict[str, dict[str, Any]] = {}
        self.containers: dict[str, dict[str, Any]] = {}
        self.ig_media: list[dict[str, Any]] = []  # newest first
        # What successive container status checks answer; the last one repeats.
        self.container_statuses = ["FINISHED"]
        # Comments on Page posts and Instagram media, by id: {"id", "platform", "on" (post or media id), "parent"
        # (the comment replied to, or None), "author": (id, name), "text", "created" (epoch seconds), "hidden"}.
        self.comments: dict[str, dict[str, Any]] = {}
        self.blocked: list[str] = []  # the Page's blocked list, in order

    @property
    def base_url(self) -> str:
        return f"{self.url}/{self.version}"

    def failure_reply(self, failure: str, request: Received) -> Reply | None:
        match failure:
            case "expired_token":
                message = (
                    "Error validating access token: Session has expired on Thursday, 20-Nov-25 09:00:00 PST. "
                    "The current time is Friday, 21-Nov-25 09:28:41 PST."
                )
                return graph_error(400, message, 190, 463, headers={"WWW-Authenticate": 'OAuth "Facebook Platform"'})
            case "malformed_token":  # Graph really does echo a malformed token back
                return graph_error(400, f"Malformed access token {request.token}", 190)
            case "rate_limit":
                usage = {self.page_id: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 5}]}
                headers = {"X-Business-Use-Case-Usage": json.dumps(usage)}
                return graph_error(403, "(#4) Application request limit reached", 4, is_transient=True, headers=headers)
            case "page_rate_limit":
                return graph_error(400, "(#32) Page request limit reached", 32)
            case "rejected_media":
                return graph_error(400, "(#324) Missing or invalid image file", 324)
            case "invalid_image_parameter":
                return graph_error(400, "(#100) Invalid parameter: the image could not be read", 100)
            case "media_fetch_failed":
                return graph_error(
                    400,
                    "Only photo or video can be accepted as media type.",
                    9004,
                    2207052,
                    is_transient=False,
                    error_user_title="Media download has failed",
                    error_user_msg="The media could not be fetched from this uri: " + request.form.get("image_url", ""),
                )
            case "post_limit":
                return graph_error(400, "Application request limit reached", 9, 2207042, is_transient=False)
            case "server_error":
                message = "An unexpected error has occurred. Please retry your request later."
                return graph_error(500, message, 2, is_transient=True)
            case "bad_gateway":
                return BAD_GATEWAY
            case "unknown":
                return graph_error(403, "(#200) The user hasn't authorized the application to perform this action", 200)
        return None

    def route(self, request: Received) -> Reply:
        if not request.path.startswith(f"/{self.version}/"):
            return graph_error(400, "Unknown path components", 2500)
        if not request.token:
            return graph_error(400, "An active access token must be used to query information about the user.", 2500)
        node, _, edge = request.path.removeprefix(f"/{self.version}/").partition("/")
        match request.method, node, edge:
            case "POST", self.page_id, "feed":
                return self._feed_post(request)
            case "POST", self.page_id, "photos":
                return self._photo(request)
            case "GET", self.page_id, "posts":
                fields = request.query.get("fields", "id").split(",")
                posts = [{k: v for k, v in p.items() if k in fields} for p in self.posts]
                return 200, {"data": posts[: int(request.query.get("limit", 25))], "paging": {}}, {}
            case "POST", self.ig_user_id, "media":
                return self._container(request)
            case "POST", self.ig_user_id, "media_publish":
                return self._publish(request)
            case "GET", self.ig_user_id, "media":
                fields = request.query.get("fields", "id").split(",")
                media = [{"comments_count": self._count(m["id"])} | m for m in self.ig_media]
                media = [{k: v for k, v in m.items() if k in fields} for m in media]
                return 200, {"data": media[: int(request.query.get("limit", 25))], "paging": {}}, {}
            case "GET", self.page_id, "feed":
                return self._feed(request)
            case "POST", self.page_id, "blocked":
                return self._block(request)
            case "GET", _, "comments" if self._is_post(node) or self._is_media(node):
                return self._comment_edge(request, node)
            case "POST", _, "comments" if self._comment(node, "facebook"):
                return self._reply(request, node, "facebook")
            case "POST", _, "replies" if self._comment(node, "instagram"):
                return self._reply(request, node, "instagram")
            case "POST", _, "" if node in self.comments:
                return self._hide(request, self.comments[node])
            case "DELETE", _, "" if node in self.comments:
                self._delete(node)
                return 200, {"success": True}, {}
            case "DELETE", _, "" if self._is_post(node):
                # Deleting a Page post (Graph's DELETE /{post-id}); its comments go with it.
                self.posts = [p for p in self.posts if p["id"] != node]
                for comment in [c for c in self.comments if self.comments[c]["on"] == node]:
                    self.comments.pop(comment, None)
                return 200, {"success": True}, {}
            case "GET", _, "":
                return self._node(node, request.query.get("fields", "id").split(","))
        return graph_error(
            400, f"Unsupported {request.method} request. Object with ID '{node}' does not exist", 100, 33
        )

    def _feed_post(self, request: Received) -> Reply:
        attached = [json.loads(v)["media_fbid"] for k, v in sorted(request.form.items()) if k.startswith("attached_")]
        if not (request.form.get("message") or request.form.get("link") or attached):
            return graph_error(400, "(#100) Missing message or attachment", 100)
        for fbid in attached:
            if self.photos.get(fbid, {}).get("published", True):
                return graph_error(400, f"(#100) param attached_media must be unpublished photos: {fbid}", 100)
        post_id = f"{self.page_id}_{self.next_id('9000')}"
        self.posts.insert(0, {"id": post_id, "message": request.form.get("message", ""), "created_time": _now()})
        return 200, {"id": post_id}, {}

    def _photo(self, request: Received) -> Reply:
        if "source" not in request.files and "url" not in request.form:
            return graph_error(400, "(#324) Requires upload file", 324)
        photo_id = self.next_id("5000")
        published = request.form.get("published", "true") != "false"
        self.photos[photo_id] = {"published": published, "caption": request.form.get("caption", "")}
        if not published:
            return 200, {"id": photo_id}, {}
        post_id = f"{self.page_id}_{self.next_id('9000')}"
        self.posts.insert(0, {"id": post_id, "message": request.form.get("caption", ""), "created_time": _now()})
        return 200, {"id": photo_id, "post_id": post_id}, {}

    def _container(self, request: Received) -> Reply:
        form = request.form
        if form.get("media_type") == "CAROUSEL":
            children = form.get("children", "").split(",")
            if not 2 <= len(children) <= 10 or any(c not in self.containers for c in children):
                return graph_error(400, "(#100) The parameter children must list 2 to 10 carousel items.", 100)
        elif not form.get("image_url"):
            return graph_error(400, "(#100) The parameter image_url is required.", 100)
        container_id = self.next_id("1790000000000")
        self.containers[container_id] = {"fields": dict(form), "checks": 0, "status": "IN_PROGRESS"}
        return 200, {"id": container_id}, {}

    def _container_status(self, container: dict[str, Any]) -> str:
        if self.failure == "container_error":
            return "ERROR"
        status = self.container_statuses[min(container["checks"], len(self.container_statuses) - 1)]
        container["checks"] += 1
        return status

    def _publish(self, request: Received) -> Reply:
        container = self.containers.get(request.form.get("creation_id", ""))
        if container is None:
            return graph_error(400, "(#100) Param creation_id must be a valid container id", 100)
        if container["status"] != "FINISHED":
            return graph_error(400, "The media is not ready for publishing, please wait for a moment", 9007, 2207027)
        media_id = self.next_id("1790100000000")
        caption = container["fields"].get("caption", "")
        permalink = f"https://www.instagram.com/p/C{media_id[-6:]}xyz/"
        self.ig_media.insert(0, {"id": media_id, "caption": caption, "permalink": permalink, "timestamp": _now()})
        container["status"] = "PUBLISHED"
        return 200, {"id": media_id}, {}

    # --- Comments ------------------------------------------------------------------------------------------------

    def add_post(self, message: str = "Harvest festival this Friday", *, created: float | None = None) -> str:
        post_id = f"{self.page_id}_{self.next_id('9000')}"
        created_time = _now() if created is None else _graph_time(created)
        self.posts.insert(0, {"id": post_id, "message": message, "created_time": created_time})
        return post_id

    def add_media(self, caption: str = "Sports day!") -> str:
        media_id = self.next_id("1790100000000")
        permalink = f"https://www.instagram.com/p/C{media_id[-6:]}xyz/"
        self.ig_media.insert(0, {"id": media_id, "caption": caption, "permalink": permalink, "timestamp": _now()})
        return media_id

    def add_comment(
        self,
        on: str,
        text: str,
        *,
        author: tuple[str, str] = ("7100000000000001", "Jo Parent"),
        parent: str | None = None,
        created: float | None = None,
        hidden: bool = False,
    ) -> str:
        """A comment someone left on a Page post or Instagram media item (or a reply to one of its comments)."""
        platform = "instagram" if self._is_media(on) else "facebook"
        # Graph comment ids are "<post>_<comment>"; Instagram's are bare numbers.
        comment_id = (
            self.next_id("1790200000000") if platform == "instagram" else f"{on.split('_')[-1]}_{self.next_id('3000')}"
        )
        self.comments[comment_id] = {
            "id": comment_id,
            "platform": platform,
            "on": on,
            "parent": parent,
            "author": author,
            "text": text,
            "created": time.time() if created is None else created,
            "hidden": hidden,
        }
        return comment_id

    def _is_post(self, node: str) -> bool:
        return any(p["id"] == node for p in self.posts)

    def _is_media(self, node: str) -> bool:
        return any(m["id"] == node for m in self.ig_media)

    def _comment(self, node: str, platform: str) -> dict[str, Any] | None:
        comment = self.comments.get(node)
        return comment if comment and comment["platform"] == platform else None

    def _count(self, on: str) -> int:
        return sum(1 for c in self.comments.values() if c["on"] == on)

    def _as_read(self, comment: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        author_id, name = comment["author"]
        if comment["platform"] == "facebook":
            full: dict[str, Any] = {
                "id": comment["id"],
                "message": comment["text"],
                "from": {"id": author_id, "name": name},
                "created_time": _graph_time(comment["created"]),
                "permalink_url": f"https://www.facebook.com/{comment['on'].replace('_', '/posts/')}"
                f"?comment_id={comment['id'].split('_')[-1]}",
                "is_hidden": comment["hidden"],
            }
            if comment["parent"]:
                full["parent"] = {"id": comment["parent"]}
        else:
            full = {
                "id": comment["id"],
                "text": comment["text"],
                "timestamp": _graph_time(comment["created"]),
                "from": {"id": author_id, "username": name},
                "username": name,
                "hidden": comment["hidden"],
            }
            if comment["parent"]:
                full["parent_id"] = comment["parent"]
        read = {}
        for name_, sub in (_parse_field(f) for f in fields):
            if name_ == "replies" and comment["platform"] == "instagram":
                replies = [c for c in self._ordered(comment["on"]) if c["parent"] == comment["id"]]
                read["replies"] = {"data": [self._as_read(r, _split_fields(sub or "id")) for r in replies]}
            elif name_ in full:
                read[name_] = full[name_]
        return read

    def _ordered(self, on: str, *, newest_first: bool = False) -> list[dict[str, Any]]:
        found = [c for c in self.comments.values() if c["on"] == on]
        return sorted(found, key=lambda c: (c["created"], c["id"]), reverse=newest_first)

    def _edge(self, on: str, request: Received, options: dict[str, str], fields: list[str]) -> dict[str, Any]:
        """A comments edge as Graph pages it: `filter` toplevel (the default) or stream, `order` chronological (the
        default) or reverse_chronological, `limit` (25), and an `after` cursor. paging.next, like Graph's, carries
        the access token in its URL."""
        comments = self._ordered(on, newest_first=options.get("order") == "reverse_chronological")
        if options.get("filter", "toplevel") == "toplevel" or self._is_media(
            on
        ):  # Instagram: top-level, replies nested
            comments = [c for c in comments if not c["parent"]]
        start = int(options.get("after") or 0)
        limit = int(options.get("limit") or 25)
        page = comments[start : start + limit]
        edge: dict[str, Any] = {"data": [self._as_read(c, fields) for c in page]}
        if page:
            edge["paging"] = {"cursors": {"before": str(start), "after": str(start + len(page))}}
            if start + len(page) < len(comments):
                query = f"access_token={request.token}&limit={limit}&after={start + len(page)}"
                edge["paging"]["next"] = f"{self.base_url}/{on}/comments?{query}"
        return edge

    def _feed(self, request: Received) -> Reply:
        fields = _split_fields(request.query.get("fields", "id"))
        posts = []
        for post in self.posts[: int(request.query.get("limit", 25))]:
            read: dict[str, Any] = {}
            for field_ in fields:
                name, sub = _parse_field(field_)
                if name == "comments":
                    options = dict(re.findall(r"\.(\w+)\(([^)]*)\)", field_.split("{")[0]))
                    read["comments"] = self._edge(post["id"], request, options, _split_fields(sub or "id"))
                elif name in post:
                    read[name] = post[name]
            posts.append(read)
        return 200, {"data": posts, "paging": {}}, {}

    def _comment_edge(self, request: Received, on: str) -> Reply:
        fields = _split_fields(request.query.get("fields", "id"))
        return 200, self._edge(on, request, request.query, fields), {}

    def _reply(self, request: Received, node: str, platform: str) -> Reply:
        comment = self.comments[node]
        message = request.form.get("message", "")
        if not message:
            return graph_error(400, "(#100) The parameter message is required", 100)
        if platform == "instagram" and comment["hidden"]:
            return graph_error(400, "(#100) You cannot reply to a hidden comment.", 100)
        # Both platforms thread one level deep: a reply to a reply joins the top-level comment's thread.
        parent = comment["parent"] or node
        page = (self.ig_user_id, "seabrightprimary") if platform == "instagram" else (self.page_id, "Seabright Primary")
        return 200, {"id": self.add_comment(comment["on"], message, author=page, parent=parent)}, {}

    def _hide(self, request: Received, comment: dict[str, Any]) -> Reply:
        param = "hide" if comment["platform"] == "instagram" else "is_hidden"
        if request.form.get(param) not in {"true", "false"}:
            return graph_error(400, f"(#100) The parameter {param} is required", 100)
        comment["hidden"] = request.form[param] == "true"
        return 200, {"success": True}, {}

    def _delete(self, node: str) -> None:
        # Deleting a comment takes its replies with it.
        for reply in [c for c in self.comments if self.comments[c]["parent"] == node]:
            self._delete(reply)
        del self.comments[node]

    def _block(self, request: Received) -> Reply:
        users = [u for u in request.form.get("user", "").split(",") if u]
        known = {c["author"][0] for c in self.comments.values()}
        if not users or any(u not in known for u in users):
            return graph_error(400, "(#100) Invalid user id", 100)
        self.blocked.extend(u for u in users if u not in self.blocked)
        return 200, dict.fromkeys(users, True), {}

    def _node(self, node: str, fields: list[str]) -> Reply:
        if node in self.containers:
            container = self.containers[node]
            if container["status"] != "PUBLISHED":
                container["status"] = self._container_status(container)
            body = {"id": node, "status_code": container["status"]}
            if container["status"] == "ERROR" and "status" in fields:
                body["status"] = "Error: Media download has failed. The media URI doesn't meet our requirements."
            return 200, body, {}
        for media in self.ig_media:
            if media["id"] == node:
                return 200, {k: v for k, v in media.items() if k in [*fields, "id"]}, {}
        return graph_error(400, f"Unsupported get request. Object with ID '{node}' does not exist", 100, 33)


# --- X API v2 --------------------------------------------------------------------------------------------------------


def problem(status: int, title: str, detail: str, type_: str = "about:blank", **extra: Any) -> Reply:
    headers = extra.pop("headers", {})
    return status, {"title": title, "detail": detail, "type": type_, "status": status} | extra, headers


class XStandIn(StandIn):
    """api.x.com: media upload and metadata, create Post (and reply), a user's Posts timeline, recent search, hide
    replies, and blocking (which X keeps for the Enterprise plan)."""

    user_id = "1500000000000000001"

    def __init__(self) -> None:
        super().__init__()
        self.tweets: list[dict[str, Any]] = []  # newest first, as posted
        self.media: dict[str, dict[str, Any]] = {}
        # Everyone's Posts by id, the account's included: {"id", "text", "author_id", "conversation_id",
        # "in_reply_to", "created" (epoch seconds), "hidden"}.
        self.everything: dict[str, dict[str, Any]] = {}
        self.users = {self.user_id: {"id": self.user_id, "name": "Seabright Primary", "username": "SeabrightPri"}}
        self.enterprise = False  # blocking is an Enterprise-only endpoint
        self.blocks: list[tuple[str, str]] = []  # (who blocked, whom)

    def failure_reply(self, failure: str, request: Received) -> Reply | None:
        match failure:
            case "expired_token":
                return problem(401, "Unauthorized", "Unauthorized")
            case "rate_limit":
                reset = str(int(time.time()) + 900)
                headers = {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset}
                return problem(429, "Too Many Requests", "Too Many Requests", headers=headers)
            case "rejected_media":
                detail = "One or more parameters to your request was invalid."
                type_ = "https://api.x.com/2/problems/invalid-request"
                errors = [{"message": "media type unrecognized.", "parameters": {"media": []}}]
                return problem(400, "Invalid Request", detail, type_, errors=errors)
            case "server_error":
                return problem(503, "Service Unavailable", "Service Unavailable", headers={"Retry-After": "30"})
            case "bad_gateway":
                return BAD_GATEWAY
            case "unknown":
                detail = (
                    "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from "
                    "a Twitter developer App that is attached to a Project."
                )
                type_ = "https://api.x.com/2/problems/client-forbidden"
                return problem(403, "Client Forbidden", detail, type_, reason="client-not-enrolled")
        return None

    def route(self, request: Received) -> Reply:
        if not request.bearer:
            return problem(401, "Unauthorized", "Unauthorized")
        match request.method, request.path:
            case "POST", "/2/media/upload":
                upload = request.files.get("media")
                if upload is None or request.form.get("media_category") not in {"tweet_image", "tweet_gif"}:
                    return problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
                media_id = self.next_id("18800281060205")
                self.media[media_id] = {"upload": upload, "metadata": {}}
                data = {"id": media_id, "media_key": f"3_{media_id}", "size": len(upload.data)}
                return 200, {"data": data | {"expires_after_secs": 86400}}, {}
            case "POST", "/2/media/metadata":
                media = self.media.get(request.json.get("id"))
                if media is None:
                    return problem(400, "Invalid Request", "The media id is not valid.")
                media["metadata"] = request.json.get("metadata", {})
                return 200, {"data": {"id": request.json["id"], "associated_metadata": media["metadata"]}}, {}
            case "POST", "/2/tweets":
                return self._tweet(request.json or {})
            case "GET", path if path == f"/2/users/{self.user_id}/tweets":
                exclude = request.query.get("exclude", "").split(",")
                own = [t for t in self.tweets if not ("replies" in exclude and t.get("in_reply_to"))]
                fields = request.query.get("tweet.fields", "").split(",")
                tweets = [self._as_read(t, fields) for t in own[: int(request.query.get("max_results", 10))]]
                meta = {"result_count": len(tweets)}
                return 200, ({"data": tweets, "meta": meta} if tweets else {"meta": meta}), {}
            case "GET", "/2/tweets/search/recent":
                return self._search(request.query)
            case "DELETE", path if re.fullmatch(r"/2/tweets/\w+", path):
                return self._delete_tweet(path.split("/")[3])
            case "PUT", path if re.fullmatch(r"/2/tweets/\w+/hidden", path):
                return self._hide(path.split("/")[3], request.json)
            case "POST", path if re.fullmatch(r"/2/users/\w+/blocking", path):
                return self._block(path.split("/")[3], request.json or {})
        return problem(404, "Not Found Error", f"Could not find {request.path}")

    def add_reply(
        self,
        to: str,
        text: str,
        *,
        author: tuple[str, str, str] = ("1600000000000000001", "Jo Parent", "joparent"),
        created: float | None = None,
    ) -> str:
        """Someone's reply to one of the account's Posts, or to a reply in its conversation."""
        author_id, name, username = author
        self.users.setdefault(author_id, {"id": author_id, "name": name, "username": username})
        reply_id = self.next_id("18800400000000")
        self.everything[reply_id] = {
            "id": reply_id,
            "text": text,
            "author_id": author_id,
            "conversation_id": self.everything[to]["conversation_id"],
            "in_reply_to": to,
            "created": time.time() if created is None else created,
            "hidden": False,
        }
        return reply_id

    def _search(self, query: dict[str, str]) -> Reply:
        """Recent search for the operators our adapter uses: conversation_id:<id> (ORed) and -from:<user>."""
        text = query.get("query", "")
        invalid = "https://api.x.com/2/problems/invalid-request"
        if not text or len(text) > 512:
            message = "There were errors processing your request: Query must be between 1 and 512 characters long."
            return problem(
                400, "Invalid Request", message, invalid, errors=[{"parameters": {"query": [text]}, "message": message}]
            )
        if not 10 <= int(query.get("max_results", 10)) <= 100:
            return problem(
                400, "Invalid Request", "The `max_results` query parameter value is not between 10 and 100", invalid
            )
        earliest = time.time() - 7 * 24 * 3600
        start = earliest
        if "start_time" in query:
            start = calendar.timegm(time.strptime(query["start_time"], "%Y-%m-%dT%H:%M:%SZ"))
            if start < earliest:
                message = (
                    f"Invalid 'start_time':'{query['start_time']}'. 'start_time' must be on or after "
                    f"{time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime(earliest))}"
                )
                return problem(
                    400,
                    "Invalid Request",
                    message,
                    invalid,
                    errors=[{"parameters": {"start_time": [query["start_time"]]}, "message": message}],
                )
        conversations = set(re.findall(r"conversation_id:(\d+)", text))
        excluded = set(re.findall(r"-from:(\w+)", text))
        found = [
            t
            for t in self.everything.values()
            if t["conversation_id"] in conversations and t["author_id"] not in excluded and t["created"] >= start
        ]
        found.sort(key=lambda t: (t["created"], int(t["id"])), reverse=True)
        offset = int(query.get("next_token") or 0)
        page = found[offset : offset + int(query.get("max_results", 10))]
        fields = query.get("tweet.fields", "").split(",")
        body: dict[str, Any] = {"meta": {"result_count": len(page)}}
        if page:
            body["data"] = [self._found(t, fields) for t in page]
            body["meta"] |= {"newest_id": page[0]["id"], "oldest_id": page[-1]["id"]}
            if "author_id" in query.get("expansions", ""):
                user_fields = ["id", *query.get("user.fields", "").split(",")]
                authors = dict.fromkeys(t["author_id"] for t in page)
                body["includes"] = {
                    "users": [{k: v for k, v in self.users[a].items() if k in user_fields} for a in authors]
                }
        if offset + len(page) < len(found):
            body["meta"]["next_token"] = str(offset + len(page))
        return 200, body, {}

    @staticmethod
    def _found(tweet: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        full = {
            "author_id": tweet["author_id"],
            "conversation_id": tweet["conversation_id"],
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(tweet["created"])),
        }
        if tweet.get("in_reply_to"):
            full["referenced_tweets"] = [{"type": "replied_to", "id": tweet["in_reply_to"]}]
        read = {
            "id": tweet["id"],
            "text": html.escape(tweet["text"], quote=False),
            "edit_history_tweet_ids": [tweet["id"]],
        }
        return read | {k: v for k, v in full.items() if k in fields}

    def _delete_tweet(self, tweet_id: str) -> Reply:
        if not any(t["id"] == tweet_id for t in self.tweets):
            detail = f"Could not find tweet with id: [{tweet_id}]."
            type_ = "https://api.x.com/2/problems/resource-not-found"
            return problem(404, "Not Found Error", detail, type_, resource_type="tweet", resource_id=tweet_id)
        self.tweets = [t for t in self.tweets if t["id"] != tweet_id]
        self.everything.pop(tweet_id, None)
        return 200, {"data": {"deleted": True}}, {}

    def _hide(self, tweet_id: str, payload: Any) -> Reply:
        if not isinstance(payload, dict) or not isinstance(payload.get("hidden"), bool):
            return problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
        tweet = self.everything.get(tweet_id)
        if tweet is None:
            detail = f"Could not find tweet with id: [{tweet_id}]."
            return problem(404, "Not Found Error", detail, "https://api.x.com/2/problems/resource-not-found")
        root = self.everything.get(tweet["conversation_id"], {})
        if not tweet.get("in_reply_to") or root.get("author_id") != self.user_id:
            detail = "You attempted to hide a Tweet that is not a reply in a conversation you started."
            return problem(403, "Forbidden", detail)
        tweet["hidden"] = payload["hidden"]
        return 200, {"data": {"hidden": tweet["hidden"]}}, {}

    def _block(self, source: str, payload: dict[str, Any]) -> Reply:
        if source != self.user_id:
            return problem(403, "Forbidden", "You are not permitted to perform this action.")
        if not self.enterprise:
            detail = (
                "You currently have access to a subset of X API V2 endpoints and limited v1.1 endpoints (e.g. media "
                "post, oauth) only. If you need access to this endpoint, you may need a different access level. You "
                "can learn more here: https://developer.x.com/en/portal/product"
            )
            type_ = "https://api.x.com/2/problems/client-forbidden"
            return problem(
                403,
                "Client Forbidden",
                detail,
                type_,
                reason="client-not-enrolled",
                required_enrollment="Appropriate Level of API Access",
                registration_url="https://developer.x.com/en/portal/dashboard",
            )
        target = str(payload.get("target_user_id", ""))
        if target not in self.users:
            return problem(400, "Invalid Request", "The `target_user_id` field is not a valid user id.")
        self.blocks.append((source, target))
        return 200, {"data": {"blocking": True}}, {}

    def _tweet(self, payload: dict[str, Any]) -> Reply:
        media_ids = payload.get("media", {}).get("media_ids", [])
        if any(m not in self.media for m in media_ids):
            errors = [{"parameters": {"media.media_ids": media_ids}, "message": "Your media IDs are invalid."}]
            detail = "One or more parameters to your request was invalid."
            return problem(
                400, "Invalid Request", detail, "https://api.x.com/2/problems/invalid-request", errors=errors
            )
        if any(t["text"] == payload.get("text") for t in self.tweets):
            return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
        in_reply_to = (payload.get("reply") or {}).get("in_reply_to_tweet_id")
        if in_reply_to and in_reply_to not in self.everything:
            return problem(403, "Forbidden", "You attempted to reply to a Tweet that is deleted or not visible to you.")
        tweet_id = self.next_id("18800300000000")
        tweet = {"id": tweet_id, "text": payload.get("text", ""), "media_ids": media_ids, "in_reply_to": in_reply_to}
        self.tweets.insert(0, tweet)
        conversation = self.everything[in_reply_to]["conversation_id"] if in_reply_to else tweet_id
        self.everything[tweet_id] = {
            "id": tweet_id,
            "text": tweet["text"],
            "author_id": self.user_id,
            "conversation_id": conversation,
            "in_reply_to": in_reply_to,
            "created": time.time(),
            "hidden": False,
        }
        return (
            201,
            {"data": {"id": tweet_id, "text": payload.get("text", ""), "edit_history_tweet_ids": [tweet_id]}},
            {},
        )

    def _as_read(self, tweet: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        # As X hands text back: HTML-escaped, links shortened to t.co, and a t.co link to the photos appended.
        text = re.sub(r"https?://\S+", "https://t.co/AbC123xYz0", html.escape(tweet["text"], quote=False))
        if tweet["media_ids"]:
            text += " https://t.co/PhOtO98765"
        read = {"id": tweet["id"], "text": text, "edit_history_tweet_ids": [tweet["id"]]}
        if "created_at" in fields:  # only when asked for with tweet.fields, as on X
            read["created_at"] = time.strftime(
                "%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(self.everything[tweet["id"]]["created"])
            )
        return read


# --- YouTube Data API v3 ---------------------------------------------------------------------------------------------


def google_error(http_status: int, message: str, reason: str, domain: str = "global", **extra: Any) -> Reply:
    errors = [{"message": message, "domain": domain, "reason": reason}]
    return http_status, {"error": {"code": http_status, "message": message, "errors": errors} | extra}, {}


class YouTubeStandIn(StandIn):
    """www.googleapis.com/youtube/v3: videos (list a video's snippet, update it); commentThreads.list, comments.list,
    comments.insert and comments.setModerationStatus on the channel's videos."""

    video_id = "Xq3vB9tZk2E"
    channel_id = "UCseabrightPrimary00001"
    other_channels_video = "OtHeRvId000"

    def __init__(self) -> None:
        super().__init__()
        self.videos: dict[str, dict[str, Any]] = {
            self.video_id: {
                "publishedAt": "2025-07-18T14:00:00Z",
                "channelId": "UCseabrightPrimary00001",
                "title": "Sports day 2025",
                "description": "Highlights from sports day.",
                "tags": ["sports day", "Seabright"],
                "categoryId": "27",
                "defaultLanguage": "en-GB",
                "liveBroadcastContent": "none",
            }
        }
        # Comments by id: {"id", "videoId", "parentId" (None for a top-level comment), "author": (channel id, display
        # name), "text", "created" (epoch seconds), "status" (published, heldForReview, likelySpam or rejected)}.
        self.comments: dict[str, dict[str, Any]] = {}
        self.banned: list[str] = []  # author channel ids whose further comments are rejected

    def failure_reply(self, failure: str, request: Received) -> Reply | None:
        match failure:
            case "expired_token":
                message = "Request had invalid authentication credentials. Expected OAuth 2 access token."
                return google_error(401, message, "authError", status="UNAUTHENTICATED")
            case "quota":
                message = "The request cannot be completed because you have exceeded your quota."
                return google_error(403, message, "quotaExceeded", "youtube.quota")
            case "rate_limit":
                return google_error(403, "The request rate is too high.", "rateLimitExceeded", "youtube.quota")
            case "server_error":
                return google_error(503, "The service is currently unavailable.", "backendError")
            case "unknown":
                message = "The video that you are trying to update cannot be updated by this channel."
                return google_error(403, message, "forbidden", "youtube.video")
        return None

    def route(self, request: Received) -> Reply:
        if not request.bearer:
            return google_error(401, "Login Required.", "required", status="UNAUTHENTICATED")
        match request.method, request.path:
            case "GET", "/youtube/v3/commentThreads":
                return self._threads(request.query)
            case "GET", "/youtube/v3/comments":
                return self._list_comments(request.query)
            case "POST", "/youtube/v3/comments":
                return self._insert(request.query, request.json)
            case "POST", "/youtube/v3/comments/setModerationStatus":
                return self._set_moderation_status(request.query)
        if request.path != "/youtube/v3/videos" or request.query.get("part") != "snippet":
            return google_error(400, "'part' must be snippet here.", "invalidPart", "youtube.part")
        if request.method == "GET":
            ids = [i for i in request.query.get("id", "").split(",") if i in self.videos]
            items = [self._video(i) for i in ids]
            page_info = {"totalResults": len(items), "resultsPerPage": len(items)}
            return 200, {"kind": "youtube#videoListResponse", "items": items, "pageInfo": page_info}, {}
        if request.method == "PUT":
            video_id, snippet = request.json.get("id"), request.json.get("snippet", {})
            if video_id not in self.videos:
                return google_error(404, "The video that you are trying to update cannot be found.", "videoNotFound")
            if not snippet.get("title"):
                return google_error(400, "The request metadata specifies an invalid video title.", "invalidTitle")
            if not snippet.get("categoryId"):
                return google_error(400, "The snippet.categoryId property is missing.", "invalidCategoryId")
            kept = {k: v for k, v in self.videos[video_id].items() if k in {"publishedAt", "channelId"}}
            self.videos[video_id] = kept | snippet  # update replaces the snippet: what is left out is gone
            return 200, self._video(video_id), {}
        return google_error(405, "Method not allowed.", "methodNotAllowed")

    def _video(self, video_id: str) -> dict[str, Any]:
        return {"kind": "youtube#video", "etag": "eTaG123", "id": video_id, "snippet": self.videos[video_id]}

    # --- Comments ------------------------------------------------------------------------------------------------

    def add_comment(
        self,
        text: str,
        *,
        video: str | None = None,
        parent: str | None = None,
        author: tuple[str, str] = ("UCjoParent000000000000001", "Jo Parent"),
        created: float | None = None,
        status: str = "published",
    ) -> str:
        """A comment someone left on a video (or a reply to one)."""
        if author[0] in self.banned:
            status = "rejected"
        parent_video = self.comments[parent]["videoId"] if parent else None
        comment_id = f"{parent}.{self.next_id('AbC')}" if parent else f"Ugz{self.next_id('Comment')}AaABAg"
        self.comments[comment_id] = {
            "id": comment_id,
            "videoId": parent_video or video or self.video_id,
            "parentId": parent,
            "author": author,
            "text": text,
            "created": time.time() if created is None else created,
            "status": status,
        }
        return comment_id

    def _as_read(self, comment: dict[str, Any], *, plain: bool, owner_view: bool = True) -> dict[str, Any]:
        author_id, name = comment["author"]
        snippet: dict[str, Any] = {
            "channelId": self.channel_id,
            "videoId": comment["videoId"],
            "textDisplay": comment["text"] if plain else html.escape(comment["text"]).replace("\n", "<br>"),
            "authorDisplayName": name,
            "authorProfileImageUrl": "https://yt3.ggpht.example/default.jpg",
            "authorChannelUrl": f"http://www.youtube.com/channel/{author_id}",
            "authorChannelId": {"value": author_id},
            "canRate": True,
            "viewerRating": "none",
            "likeCount": 0,
            "publishedAt": _iso_z(comment["created"]),
            "updatedAt": _iso_z(comment["created"]),
        }
        if author_id == self.channel_id:  # textOriginal only reaches the comment's own author
            snippet["textOriginal"] = comment["text"]
        if comment["parentId"]:
            snippet["parentId"] = comment["parentId"]
        if owner_view:  # moderationStatus is shown to the channel owner, except when listing by id
            snippet["moderationStatus"] = comment["status"]
        return {"kind": "youtube#comment", "etag": "cOmEtAg", "id": comment["id"], "snippet": snippet}

    def _page(self, found: list[Any], query: dict[str, str]) -> tuple[list[Any], str | None]:
        start = int(query.get("pageToken") or 0)
        size = int(query.get("maxResults") or 20)
        end = start + size
        return found[start:end], (str(end) if end < len(found) else None)

    def _threads(self, query: dict[str, str]) -> Reply:
        parts = set(query.get("part", "").split(","))
        if not parts or not parts <= {"id", "snippet", "replies"}:
            return google_error(400, "'part' is not valid here.", "invalidPart", "youtube.part")
        if query.get("allThreadsRelatedToChannelId") not in (None, self.channel_id):
            return google_error(404, "The channel could not be found.", "channelNotFound", "youtube.commentThread")
        if not 1 <= int(query.get("maxResults") or 20) <= 100:
            return google_error(400, "Invalid value for maxResults.", "invalidParameter")
        status = query.get("moderationStatus", "published")
        plain = query.get("textFormat") == "plainText"
        tops = [c for c in self.comments.values() if not c["parentId"] and c["status"] == status]
        tops.sort(key=lambda c: c["created"], reverse=True)  # order=time: newest first
        page, token = self._page(tops, query)
        items = []
        for top in page:
            replies = [c for c in self.comments.values() if c["parentId"] == top["id"] and c["status"] == "published"]
            replies.sort(key=lambda c: c["created"])
            thread: dict[str, Any] = {
                "kind": "youtube#commentThread",
                "etag": "tHrEaD",
                "id": top["id"],
                "snippet": {
                    "channelId": self.channel_id,
                    "videoId": top["videoId"],
                    "topLevelComment": self._as_read(top, plain=plain),
                    "canReply": True,
                    "totalReplyCount": len(replies),
                    "isPublic": True,
                },
            }
            if "replies" in parts and replies:
                # A thread carries only some of its replies (five, here); comments.list gives the rest.
                thread["replies"] = {"comments": [self._as_read(r, plain=plain) for r in replies[:5]]}
            items.append(thread)
        body: dict[str, Any] = {
            "kind": "youtube#commentThreadListResponse",
            "etag": "lIsT",
            "pageInfo": {"totalResults": len(items), "resultsPerPage": int(query.get("maxResults") or 20)},
            "items": items,
        }
        if token:
            body["nextPageToken"] = token
        return 200, body, {}

    def _list_comments(self, query: dict[str, str]) -> Reply:
        if query.get("part") not in ("snippet", "id,snippet", "snippet,id"):
            return google_error(400, "'part' is not valid here.", "invalidPart", "youtube.part")
        plain = query.get("textFormat") == "plainText"
        if "id" in query:
            ids = query["id"].split(",")
            items = [self._as_read(self.comments[i], plain=plain, owner_view=False) for i in ids if i in self.comments]
            return 200, {"kind": "youtube#commentListResponse", "items": items}, {}
        if "parentId" in query:
            replies = [
                c for c in self.comments.values() if c["parentId"] == query["parentId"] and c["status"] == "published"
            ]
            replies.sort(key=lambda c: c["created"])
            page, token = self._page(replies, query)
            body: dict[str, Any] = {
                "kind": "youtube#commentListResponse",
                "items": [self._as_read(c, plain=plain) for c in page],
            }
            if token:
                body["nextPageToken"] = token
            return 200, body, {}
        return google_error(400, "No filter selected. Expected one of: id, parentId", "missingRequiredParameter")

    def _insert(self, query: dict[str, str], payload: Any) -> Reply:
        if query.get("part") != "snippet":
            return google_error(400, "'part' must be snippet here.", "invalidPart", "youtube.part")
        snippet = payload.get("snippet", {}) if isinstance(payload, dict) else {}
        parent = self.comments.get(snippet.get("parentId", ""))
        if not snippet.get("textOriginal"):
            return google_error(400, "The comment's text is missing.", "commentTextRequired", "youtube.comment")
        if parent is None:
            return google_error(
                404, "The parent comment could not be found.", "parentCommentNotFound", "youtube.comment"
            )
        if parent["parentId"]:
            message = "The API user is not able to insert a comment in reply to this comment."
            return google_error(400, message, "operationNotSupported", "youtube.comment")
        reply_id = self.add_comment(
            snippet["textOriginal"], parent=parent["id"], author=(self.channel_id, "Seabright Primary School")
        )
        return 200, self._as_read(self.comments[reply_id], plain=True), {}

    def _set_moderation_status(self, query: dict[str, str]) -> Reply:
        status = query.get("moderationStatus")
        if status not in {"heldForReview", "published", "rejected"}:
            return google_error(400, "Invalid moderation status.", "invalidModerationStatus", "youtube.comment")
        if query.get("banAuthor") == "true" and status != "rejected":
            message = "The banAuthor parameter can only be used if the moderationStatus parameter value is rejected."
            return google_error(400, message, "banWithoutReject", "youtube.comment")
        ids = [i for i in query.get("id", "").split(",") if i]
        if not ids or len(ids) > 50:
            return google_error(400, "Between 1 and 50 comment ids are needed.", "invalidParameter")
        for comment_id in ids:
            comment = self.comments.get(comment_id)
            if comment is None:
                message = "One or more of the comments that the request is trying to update cannot be found."
                return google_error(404, message, "commentNotFound", "youtube.comment")
            if comment["videoId"] == self.other_channels_video:
                message = "The comment's moderation status cannot be set due to insufficient permissions."
                return google_error(403, message, "forbidden", "youtube.comment")
            if comment["status"] == "rejected" and status == "published":
                # The docs: "You can't change the moderation status of a rejected comment to published."
                message = "A rejected comment cannot be published again."
                return google_error(400, message, "processingFailure", "youtube.comment")
        for comment_id in ids:
            self.comments[comment_id]["status"] = status
            if query.get("banAuthor") == "true":
                author = self.comments[comment_id]["author"][0]
                if author not in self.banned:
                    self.banned.append(author)
        return 204, None, {}


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime())


def _graph_time(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(epoch))


def _iso_z(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _split_fields(fields: str) -> list[str]:
    """Graph's fields parameter split at the top level: "id,comments.limit(5){id,parent{id}}" -> two fields."""
    parts, depth, current = [], 0, ""
    for char in fields:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"{": 1, "}": -1, "(": 1, ")": -1}.get(char, 0)
        current += char
    return [p for p in [*parts, current] if p]


def _parse_field(field_: str) -> tuple[str, str | None]:
    """A field's name and, for a nested one ("replies{id,text}"), what is asked of it."""
    name = re.split(r"[.{]", field_, maxsplit=1)[0]
    return name, field_[field_.index("{") + 1 : field_.rindex("}")] if "{" in field_ else None


# --- Fixtures --------------------------------------------------------------------------------------------------------


@pytest.fixture
def graph() -> Iterator[GraphStandIn]:
    standin = GraphStandIn()
    media = "https://media.seabright.example/public/"  # never fetched: the stand-in only records it
    with standin.running(), override_settings(FACEBOOK_GRAPH_URL=standin.base_url, MEDIA_PUBLIC_URL=media):
        yield standin


@pytest.fixture
def x_api() -> Iterator[XStandIn]:
    standin = XStandIn()
    with standin.running(), override_settings(X_API_URL=standin.url):
        yield standin


@pytest.fixture
def youtube() -> Iterator[YouTubeStandIn]:
    standin = YouTubeStandIn()
    with standin.running(), override_settings(YOUTUBE_API_URL=standin.url):
        yield standin


@pytest.fixture
def jpeg() -> Callable[..., MediaItem]:
    return make_jpeg


@pytest.fixture
def facebook_page() -> Account:
    return Account(GraphStandIn.page_id, FB_TOKEN)


@pytest.fixture
def instagram_account() -> Account:
    return Account(GraphStandIn.ig_user_id, IG_TOKEN)


@pytest.fixture
def x_account() -> Account:
    return Account(XStandIn.user_id, X_TOKEN)


@pytest.fixture
def youtube_channel() -> Account:
    return Account("UCseabrightPrimary00001", YT_TOKEN)


@pytest.fixture
def nothing_listening() -> str:
    """A local URL with no server behind it: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
