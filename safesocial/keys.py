"""Secret keys: from the environment when configured, otherwise generated once into the data directory.

No published key is ever in use. Each purpose has its own key list, newest first, so a key can be rotated: put the new
key first and keep the old ones after it until nothing signed or encrypted with them is left; old keys still verify.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from pathlib import Path


def _random_secret() -> str:
    return secrets.token_urlsafe(50)


def fernet_key() -> str:
    """A key in the form Fernet expects (32 random bytes, URL-safe base64)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def key_list(value: str) -> list[str]:
    return [k.strip() for k in value.replace("\n", ",").split(",") if k.strip()]


def generated(directory: Path, name: str, make: Callable[[], str] = _random_secret) -> list[str]:
    """The keys kept in DIRECTORY/NAME, one a line, newest first; the file is created with mode 0600 on first use.

    The key is written to a private temporary file, then linked into place, which fails if the file exists: two
    processes starting at once agree on one key, and nobody ever reads a half-written file.
    """
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / name
    if not path.exists():
        tmp = directory / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(make() + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    keys = key_list(path.read_text(encoding="utf-8"))
    if not keys:
        raise RuntimeError(f"{path} holds no key: delete it to have a new one generated")
    return keys
