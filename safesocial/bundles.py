"""A zip that checks itself: the files that leave SafeSocial together, and `manifest.sha256` listing each one's
SHA-256 in the format of `sha256sum -c` (`<sha256>  <path>`), so whoever receives it can verify it without SafeSocial.

Shared by every export that leaves as a package (a case, a subject access response); on the bottom floor so that any
app may use it."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable

MANIFEST = "manifest.sha256"


def manifest(parts: Iterable[tuple[str, bytes]]) -> str:
    """One line per file, `<sha256>  <path>`."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in parts)


def zip_with_manifest(parts: list[tuple[str, bytes]]) -> bytes:
    """The files, compressed, and their manifest last."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in parts:
            archive.writestr(path, data)
        archive.writestr(MANIFEST, manifest(parts))
    return out.getvalue()
