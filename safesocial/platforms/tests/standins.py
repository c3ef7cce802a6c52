"""Local stand-ins for the social networks' APIs, built from their public docs.

Each is a small threaded HTTP server on 127.0.0.1 that answers the endpoints our adapters use with the JSON the docs
show, keeps what was published so reads see it, records every request it received, and can be switched into the
failures the docs describe. They are the only mock in these tests: the adapters run unchanged against them.

Test modules load the fixtures with `pytest_plugins = ["safesocial.platforms.tests.standins"]` and reach everything
through them (a module that also imported this one would stop pytest rewriting its asserts)."""

from __future__ import annotations

import html
import itertools
import json
import re
import socket
import threading
import time
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

Reply = tuple[int, Any, dict[str, str]]  # status, JSON body (or bytes for an HTML page), headers

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


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up on a slow answer closes the socket; that is the point of the test


class StandIn:
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
        """Answer requests whose path and query contain `on` (all, by default) with this failure."""
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
            elif (reply := self.failure_reply(self.failure, request)) is not None:
                return reply
        with self._lock:  # the stand-in's store is shared by the server's threads
            return self.route(request)

    def route(self, request: Received) -> Reply:
        raise NotImplementedError

    def failure_reply(self, failure: str, request: Received) -> Reply | None:
        """A failure that replaces the answer, or None for one the routes act out themselves."""
        raise NotImplementedError

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
                except Exception as exc:  # the client only sees a dropped connection; make the test say why
                    standin.bugs.append(exc)
                    raise
                is_page = isinstance(body, bytes)
                payload = body if is_page else json.dumps(body).encode()
                self.send_response(status)
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
                media = [{k: v for k, v in m.items() if k in fields} for m in self.ig_media]
                return 200, {"data": media[: int(request.query.get("limit", 25))], "paging": {}}, {}
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
    """api.x.com: media upload and metadata, create Post, a user's Posts timeline."""

    user_id = "1500000000000000001"

    def __init__(self) -> None:
        super().__init__()
        self.tweets: list[dict[str, Any]] = []  # newest first, as posted
        self.media: dict[str, dict[str, Any]] = {}

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
                tweets = [self._as_read(t) for t in self.tweets[: int(request.query.get("max_results", 10))]]
                meta = {"result_count": len(tweets)}
                return 200, ({"data": tweets, "meta": meta} if tweets else {"meta": meta}), {}
        return problem(404, "Not Found Error", f"Could not find {request.path}")

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
        tweet_id = self.next_id("18800300000000")
        self.tweets.insert(0, {"id": tweet_id, "text": payload.get("text", ""), "media_ids": media_ids})
        return (
            201,
            {"data": {"id": tweet_id, "text": payload.get("text", ""), "edit_history_tweet_ids": [tweet_id]}},
            {},
        )

    @staticmethod
    def _as_read(tweet: dict[str, Any]) -> dict[str, Any]:
        # As X hands text back: HTML-escaped, links shortened to t.co, and a t.co link to the photos appended.
        text = re.sub(r"https?://\S+", "https://t.co/AbC123xYz0", html.escape(tweet["text"], quote=False))
        if tweet["media_ids"]:
            text += " https://t.co/PhOtO98765"
        return {"id": tweet["id"], "text": text, "edit_history_tweet_ids": [tweet["id"]]}


# --- YouTube Data API v3 ---------------------------------------------------------------------------------------------


def google_error(http_status: int, message: str, reason: str, domain: str = "global", **extra: Any) -> Reply:
    errors = [{"message": message, "domain": domain, "reason": reason}]
    return http_status, {"error": {"code": http_status, "message": message, "errors": errors} | extra}, {}


class YouTubeStandIn(StandIn):
    """www.googleapis.com/youtube/v3/videos: list a video's snippet, update it."""

    video_id = "Xq3vB9tZk2E"

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


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime())


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
