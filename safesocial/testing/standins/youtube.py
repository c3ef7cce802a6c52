"""www.googleapis.com/youtube/v3 (the YouTube Data API v3), as its public docs describe it."""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from safesocial.platforms.base import Account

from .base import Received, Reply, StandIn

YT_TOKEN = "ya29.youtube-token-0123456789-secret"


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


def _iso_z(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


@pytest.fixture
def youtube() -> Iterator[YouTubeStandIn]:
    standin = YouTubeStandIn()
    with standin.running(), override_settings(YOUTUBE_API_URL=standin.url):
        yield standin


@pytest.fixture
def youtube_channel() -> Account:
    return Account(YouTubeStandIn.channel_id, YT_TOKEN)
