"""graph.facebook.com, as its public docs describe it: one host for a Facebook Page and its Instagram account."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from safesocial.platforms.base import Account

from .base import BAD_GATEWAY, Received, Reply, StandIn

FB_TOKEN = "EAAPageTokenFb0123456789secret"
IG_TOKEN = "EAAInstagramToken0123456789secret"


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


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime())


def _graph_time(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(epoch))


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


@pytest.fixture
def graph() -> Iterator[GraphStandIn]:
    standin = GraphStandIn()
    media = "https://media.seabright.example/public/"  # never fetched: the stand-in only records it
    with standin.running(), override_settings(FACEBOOK_GRAPH_URL=standin.base_url, MEDIA_PUBLIC_URL=media):
        yield standin


@pytest.fixture
def facebook_page() -> Account:
    return Account(GraphStandIn.page_id, FB_TOKEN)


@pytest.fixture
def instagram_account() -> Account:
    return Account(GraphStandIn.ig_user_id, IG_TOKEN)
