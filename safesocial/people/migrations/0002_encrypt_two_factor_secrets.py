"""Two-factor secrets were stored in clear; people.adapters.MFAAdapter now keeps them encrypted with CREDENTIALS_KEYS.
This encrypts those already stored (a second run changes nothing); the reverse puts them back in clear."""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

from safesocial import keys


def _encrypted(value: str) -> bool:
    try:
        keys.decrypt(value.encode("ascii"))
    except (ImproperlyConfigured, UnicodeEncodeError):
        return False
    return True


def _to_cipher(value: str) -> str:
    return value if _encrypted(value) else keys.encrypt(value).decode("ascii")


def _to_clear(value: str) -> str:
    return keys.decrypt(value.encode("ascii")) if _encrypted(value) else value


def _convert(apps, change: Callable[[str], str]) -> None:
    """Apply CHANGE to every secret allauth passes through its adapter: a TOTP key, a recovery-code seed and
    recovery codes carried over from another system."""
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]).iterator():
        data = dict(authenticator.data)
        for name in ("secret", "seed"):
            if data.get(name):
                data[name] = change(data[name])
        if data.get("migrated_codes"):
            data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor) -> None:
    _convert(apps, _to_cipher)


def decrypt_secrets(apps, schema_editor) -> None:
    _convert(apps, _to_clear)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
