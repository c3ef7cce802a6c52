"""Encryption of channel credentials at rest, with settings.CREDENTIALS_KEYS (Fernet keys, newest first, so old keys
can be rotated out). The functions live in safesocial.keys, on the floor below every app, because people/ encrypts
two-factor secrets with the same keys."""

from safesocial.keys import decrypt, encrypt

__all__ = ["decrypt", "encrypt"]
