"""Encryption of channel credentials at rest. Keys come from the environment (CREDENTIALS_KEYS: Fernet keys,
comma-separated, newest first, so old keys can be rotated out); the demo derives one from SECRET_KEY."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> MultiFernet:
    keys = [k.strip() for k in getattr(settings, "CREDENTIALS_KEYS", "").split(",") if k.strip()]
    if not keys:
        digest = hashlib.sha256(("safesocial-credentials:" + settings.SECRET_KEY).encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("CREDENTIALS_KEYS must hold Fernet keys (Fernet.generate_key())") from exc


def encrypt(secret: str) -> bytes:
    return _fernet().encrypt(secret.encode("utf-8"))


def decrypt(ciphertext: bytes) -> str:
    try:
        return _fernet().decrypt(bytes(ciphertext)).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured("a channel credential cannot be decrypted with the configured keys") from exc
