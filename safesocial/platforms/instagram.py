"""Instagram professional accounts through the Instagram Graph API's content publishing.

Publishing takes three steps: create a container (Instagram fetches the image from a public URL), wait until the
container is FINISHED, then publish it. Carousels put one container per image inside a CAROUSEL container.

Comment moderation (the Instagram Graph API's comment moderation guide): webhooks bring new comments; fetch_comments
polls the account's recent media as a fallback; hide, restore, delete and reply act on the IG Comment. Instagram's API
has no way to block an account."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any, ClassVar
from urllib.parse import quote

from django.conf import settings

from safesocial.policy.schema import Platform

from . import http
from .base import (
    Account,
    Limits,
    MediaItem,
    MediaRejected,
    PlatformError,
    PublishRequest,
    PublishResult,
    RemoteComment,
    TemporaryError,
    Unsupported,
    ValidationProblem,
    check_limits,
)
from .facebook import graph, moderate, next_cursor, succeeded

RECENT_MEDIA = 25
COMMENTS_PER_PAGE = 50
MAX_COMMENT_PAGES = 10
# /{ig-media-id}/comments gives top-level comments only; their replies come in the nested `replies` edge. `from` and
# `parent_id` were added in October 2021; `username` is kept for older API versions.
COMMENT_FIELDS = "id,text,timestamp,from,username,hidden,parent_id"
NO_BLOCKING = (
    "Instagram's API has no way to block an account, so SafeSocial cannot block this person. Block or restrict "
    "them in the Instagram app (their profile, then the three dots, then Block); meanwhile hide their comments here."
)


def public_media_url(item: MediaItem) -> str:
    """Where SafeSocial serves an approved image for platforms to fetch; the publishing code puts it there."""
    return f"{settings.MEDIA_PUBLIC_URL.rstrip('/')}/{quote(item.filename)}"


class InstagramAdapter:
    platform: ClassVar[Platform] = Platform.INSTAGRAM
    # Content publishing docs: captions up to 2,200 characters, JPEG images up to 8 MB, carousels of up to 10.
    limits: ClassVar[Limits] = Limits(
        max_text=2_200,
        max_images=10,
        max_image_bytes=8_000_000,
        image_types=frozenset({"image/jpeg"}),
        needs_media=True,
    )

    def __init__(
        self,
        media_url: Callable[[MediaItem], str] = public_media_url,
        *,
        status_checks: int = 5,
        seconds_between_checks: float = 2.0,
    ) -> None:
        # Instagram takes images by public URL only, so whoever builds the adapter says where the images are.
        self.media_url = media_url
        self.status_checks = status_checks
        self.seconds_between_checks = seconds_between_checks

    def validate(self, request: PublishRequest) -> list[ValidationProblem]:
        return check_limits(self.limits, request)

    def publish(self, account: Account, request: PublishRequest) -> PublishResult:
        if not request.media:
            raise Unsupported("Instagram cannot publish text alone: add at least one image.", code="needs_media")
        caption = http.text_with_link(request.text, request.link)
        if len(request.media) == 1:
            container = self._container(account, request.media[0], {"caption": caption})
        else:
            children = [self._container(account, item, {"is_carousel_item": "true"}) for item in request.media]
            data = {"media_type": "CAROUSEL", "children": ",".join(children), "caption": caption}
            container = self._id(self._call("POST", f"{account.external_id}/media", account, data=data))
        self._wait_until_finished(account, container)
        published = self._call("POST", f"{account.external_id}/media_publish", account, data={"creation_id": container})
        media_id = self._id(published)
        return PublishResult(media_id, self._permalink(account, media_id))

    def find_published(self, account: Account, request: PublishRequest) -> PublishResult | None:
        params = {"fields": "id,caption,permalink", "limit": 25}
        body = self._call("GET", f"{account.external_id}/media", account, params=params)
        wanted = http.text_with_link(request.text, request.link).strip()
        for media in body.get("data", []) if isinstance(body, dict) else []:
            if str(media.get("caption", "")).strip() == wanted and media.get("id"):
                return PublishResult(media["id"], media.get("permalink"))
        return None

    def _container(self, account: Account, item: MediaItem, fields: dict[str, str]) -> str:
        data = {"image_url": self.media_url(item), **fields}
        if item.alt_text:
            data["alt_text"] = item.alt_text  # image posts accept alt_text since March 2025
        return self._id(self._call("POST", f"{account.external_id}/media", account, data=data))

    def _wait_until_finished(self, account: Account, container: str) -> None:
        """Publishing a container Instagram is still fetching fails, so ask its status_code a few times first."""
        for attempt in range(self.status_checks):
            body = self._call("GET", container, account, params={"fields": "status_code,status"})
            status = body.get("status_code") if isinstance(body, dict) else None
            if status == "FINISHED":
                return
            if status == "ERROR":
                # `status` holds Instagram's reason, e.g. "Error: Media download has failed."
                raise MediaRejected(f"Instagram could not prepare the post. {body.get('status', '')}".strip())
            if status == "EXPIRED":  # not published within 24 hours; a retry makes a fresh container
                raise TemporaryError("Instagram's container expired before it was published.", code="EXPIRED")
            if status != "IN_PROGRESS":
                raise PlatformError(f"Instagram's container is {status}, not ready to publish.", code=str(status))
            if attempt + 1 < self.status_checks:
                time.sleep(self.seconds_between_checks)
        raise TemporaryError("Instagram is still processing the images; try again shortly.", code="IN_PROGRESS")

    def _permalink(self, account: Account, media_id: str) -> str | None:
        try:
            body = self._call("GET", media_id, account, params={"fields": "permalink"})
        except PlatformError:
            # The post is already live: failing now would make a retry publish it twice. The link can wait.
            return None
        return body.get("permalink") if isinstance(body, dict) else None

    # --- Comment moderation --------------------------------------------------------------------------------------

    def fetch_comments(self, account: Account, since: dt.datetime | None = None) -> list[RemoteComment]:
        """Comments and their replies on the account's 25 most recent media: one call for the media, then one per
        media item that has comments. Instagram recommends webhooks over this; it is the fallback."""
        params = {"fields": "id,permalink,timestamp,comments_count", "limit": RECENT_MEDIA}
        media = moderate("GET", f"{_path(account.external_id)}/media", account, platform="Instagram", params=params)
        comments: list[RemoteComment] = []
        for item in http.data_list(media):
            media_id = str(http.answer_field(item, "id", platform="Instagram"))
            if not item.get("comments_count"):
                continue
            permalink = item.get("permalink")
            params = {"fields": f"{COMMENT_FIELDS},replies{{{COMMENT_FIELDS}}}", "limit": COMMENTS_PER_PAGE}
            for _page in range(MAX_COMMENT_PAGES):
                body = moderate("GET", f"{_path(media_id)}/comments", account, platform="Instagram", params=params)
                for top in http.data_list(body):
                    thread = [_comment(top, media_id, permalink, parent=media_id)]
                    thread += [_comment(r, media_id, permalink, parent=thread[0].external_id) for r in _replies(top)]
                    comments.extend(c for c in thread if since is None or c.created_at >= since)
                cursor = next_cursor(body)
                if since is None or cursor is None:
                    break
                params = {**params, "after": cursor}
        return sorted(comments, key=lambda c: c.created_at)

    def hide(self, account: Account, comment_id: str) -> None:
        """Hidden comments stay visible to their author; Instagram will not let anyone reply to them."""
        self._set_hidden(account, comment_id, hidden=True)

    def unhide(self, account: Account, comment_id: str) -> None:
        self._set_hidden(account, comment_id, hidden=False)

    def delete(self, account: Account, comment_id: str) -> None:
        succeeded(moderate("DELETE", _path(comment_id), account, platform="Instagram"), platform="Instagram")

    def reply(self, account: Account, comment_id: str, text: str) -> str:
        """Instagram threads one level deep: a reply to a reply lands under the top-level comment."""
        body = moderate("POST", f"{_path(comment_id)}/replies", account, platform="Instagram", data={"message": text})
        return self._id(body)

    def block(self, account: Account, author_id: str, *, comment_id: str | None = None) -> None:
        raise Unsupported(NO_BLOCKING, code="instagram_cannot_block")

    def _set_hidden(self, account: Account, comment_id: str, *, hidden: bool) -> None:
        data = {"hide": "true" if hidden else "false"}
        succeeded(moderate("POST", _path(comment_id), account, platform="Instagram", data=data), platform="Instagram")

    @staticmethod
    def _call(method: str, path: str, account: Account, **kwargs: Any) -> Any:
        return graph(method, path, account, platform="Instagram", **kwargs)

    @staticmethod
    def _id(body: Any) -> str:
        return str(http.answer_field(body, "id", platform="Instagram"))


def _path(value: str) -> str:
    return http.path_id(value, platform="Instagram")


def _replies(comment: dict[str, Any]) -> list[dict[str, Any]]:
    return http.data_list(comment.get("replies"))


def _comment(item: dict[str, Any], media_id: str, permalink: Any, *, parent: str) -> RemoteComment:
    author = http.as_dict(item.get("from"))
    return RemoteComment(
        external_id=str(http.answer_field(item, "id", platform="Instagram")),
        parent_external_id=str(item.get("parent_id") or parent),
        author_id=str(author.get("id") or ""),
        author_name=str(author.get("username") or item.get("username") or ""),
        text=str(item.get("text") or ""),
        created_at=http.parse_time(item.get("timestamp"), platform="Instagram"),
        url=str(permalink) if permalink else None,  # Instagram comments have no address of their own
        post_external_id=media_id,
        hidden=bool(item.get("hidden")),
    )
