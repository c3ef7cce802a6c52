"""Where SafeSocial keeps its files: this machine's disk (`MEDIA_ROOT`), or with `STORAGE_BACKEND=s3` a private bucket
in any S3-compatible store (AWS S3, MinIO, Ceph...) that every machine shares.

The code reads and writes files only through Django's storage API (`.open()`, `.save()`, `.delete()`), never a
file's `.path`, which exists on disk only. Nothing in the bucket is public: each file is served by one of SafeSocial's
own views once it has checked who is asking.
- evidence of a concern: read whole, checked against the SHA-256 taken on upload, then sent (concerns.selectors);
- images of approved posts: streamed at /media/public/, where platforms that fetch media by URL (Instagram) find them;
- anything else (a post's photo in review, a training certificate): on S3, a redirect to a link signed for this one
  object that stops working after `STORAGE_SIGNED_URL_SECONDS` (60 s); streamed instead when that is 0 or on disk."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

PRIVATE = "private, no-store"  # a pupil's photo never stays on a shared computer's disk


def signs_urls(storage: Storage) -> bool:
    """Whether the storage can hand out signed, expiring links to its files (django-storages' S3 backend can)."""
    return bool(getattr(storage, "querystring_auth", False))


def private_file_response(
    file: FieldFile, *, content_type: str, filename: str = "", as_attachment: bool = False
) -> HttpResponseBase:
    """A stored file, for someone the calling view has already allowed to see it.

    On S3 the browser is sent to a link signed for this file alone, valid for STORAGE_SIGNED_URL_SECONDS; the store
    itself sends the file marked private and not to be kept. Otherwise the file is streamed from storage."""
    seconds = settings.STORAGE_SIGNED_URL_SECONDS
    response: HttpResponseBase
    if seconds > 0 and signs_urls(file.storage):
        parameters = {"ResponseContentType": content_type, "ResponseCacheControl": PRIVATE}
        if as_attachment or filename:
            parameters["ResponseContentDisposition"] = content_disposition_header(as_attachment, filename) or ""
        s3: Any = file.storage  # django-storages' S3Storage.url takes the link's parameters and lifetime
        response = HttpResponseRedirect(s3.url(file.name, parameters=parameters, expire=seconds))
    else:
        response = FileResponse(
            file.open("rb"), content_type=content_type, as_attachment=as_attachment, filename=filename
        )
    response["Cache-Control"] = PRIVATE
    return response


def stored_names(storage: Storage) -> Iterator[str]:
    """Every file's name in the storage, as the storage names it (for backups). On S3, one listing of the bucket
    under the storage's prefix, a thousand names a request, rather than one request per folder."""
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:
        prefix = storage.location.strip("/") + "/" if storage.location.strip("/") else ""  # type: ignore[attr-defined]
        for obj in bucket.objects.filter(Prefix=prefix):
            if not obj.key.endswith("/"):
                yield obj.key[len(prefix) :]
        return
    yield from _walk(storage, "")


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # no file stored yet: the media folder does not exist
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for sub in sorted(folders):
        yield from _walk(storage, posixpath.join(folder, sub))
