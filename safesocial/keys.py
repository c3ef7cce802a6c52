"""Secret keys: from the environment when configured, otherwise generated once into the data directory.

No published key is ever in use. Each purpose has its own key list, newest first, so a key can be rotated: put the new
key first and keep the old ones after it until nothing signed or encrypted with them is left; old keys still verify.
"""

from __future__ import annotations

import datetime
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured


def _random_secret() -> str:
    return secrets.token_urlsafe(50)


def fernet_key() -> str:
    """A key in the form Fernet expects (32 random bytes, URL-safe base64)."""
    return Fernet.generate_key().decode()


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


def sign(obj: Any, *, salt: str, compress: bool = False) -> str:
    """A signed, timestamped token for a link we send (parents' consent, acknowledgements): signed with the newest
    of settings.SIGNING_KEYS, never with SECRET_KEY, so a link cannot be made by anyone who knows another key."""
    return signing.dumps(obj, key=settings.SIGNING_KEYS[0], salt=salt, compress=compress)


def unsign(token: str, *, salt: str, max_age: int | datetime.timedelta) -> Any:
    """The object in a token from sign(), checked against every key in settings.SIGNING_KEYS (so links sent before
    a rotation still open). Raises signing.SignatureExpired or signing.BadSignature."""
    newest, *older = settings.SIGNING_KEYS
    fallback_keys: list[str | bytes] = list(older)
    return signing.loads(token, key=newest, fallback_keys=fallback_keys, salt=salt, max_age=max_age)


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(k) for k in settings.CREDENTIALS_KEYS])
    except ValueError as exc:
        raise ImproperlyConfigured("CREDENTIALS_KEYS must hold Fernet keys (Fernet.generate_key())") from exc


def encrypt(secret: str) -> bytes:
    """A secret kept at rest (a channel's token, a two-factor secret), encrypted with the newest of
    settings.CREDENTIALS_KEYS."""
    return _fernet().encrypt(secret.encode("utf-8"))


def decrypt(ciphertext: bytes) -> str:
    """The secret from encrypt(), with whichever of settings.CREDENTIALS_KEYS made it."""
    try:
        return _fernet().decrypt(bytes(ciphertext)).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured("a stored secret cannot be decrypted with the configured CREDENTIALS_KEYS") from exc
