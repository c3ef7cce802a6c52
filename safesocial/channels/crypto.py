"""Encryption of channel credentials at rest. Keys come from settings.CREDENTIALS_KEYS: Fernet keys, newest first, so
old keys can be rotated out; configured in the environment or generated once into the data directory."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(k) for k in settings.CREDENTIALS_KEYS])
    except ValueError as exc:
        raise ImproperlyConfigured("CREDENTIALS_KEYS must hold Fernet keys (Fernet.generate_key())") from exc


def encrypt(secret: str) -> bytes:
    return _fernet().encrypt(secret.encode("utf-8"))


def decrypt(ciphertext: bytes) -> str:
    try:
        return _fernet().decrypt(bytes(ciphertext)).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured("a channel credential cannot be decrypted with the configured keys") from exc
