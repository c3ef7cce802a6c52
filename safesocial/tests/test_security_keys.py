"""Finding 5: no published key is ever in use. Each purpose's keys come from the environment or are generated once
into the data directory, readable by SafeSocial's user alone; old keys keep working while they are rotated out."""

from __future__ import annotations

import stat
import threading
from concurrent.futures import ThreadPoolExecutor

from cryptography.fernet import Fernet

from safesocial import keys
from safesocial.channels import crypto


def test_a_generated_key_is_private_to_safesocial_and_the_same_on_every_start(tmp_path):
    directory = tmp_path / "data" / "secrets"
    first = keys.generated(directory, "signing_keys")
    assert len(first) == 1 and len(first[0]) >= 50
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE((directory / "signing_keys").stat().st_mode) == 0o600
    assert keys.generated(directory, "signing_keys") == first
    assert keys.generated(directory, "audit_keys") != first  # each purpose has its own key
    assert sorted(p.name for p in directory.iterdir()) == ["audit_keys", "signing_keys"]  # no temporary file left


def _first_starts_at_once(directory, count: int = 8) -> list[list[str]]:
    start = threading.Barrier(count)

    def first_start(_: int) -> list[str]:
        start.wait()
        return keys.generated(directory, "secret_key")

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(first_start, range(count)))


def test_processes_starting_at_once_agree_on_one_key(tmp_path):
    for attempt in range(10):
        directory = tmp_path / str(attempt)
        seen = _first_starts_at_once(directory)
        assert all(k == seen[0] for k in seen)
        assert keys.key_list((directory / "secret_key").read_text()) == seen[0]


def test_a_generated_credentials_key_is_a_fernet_key(tmp_path):
    (key,) = keys.generated(tmp_path, "credentials_keys", keys.fernet_key)
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"


def test_a_channel_credential_encrypted_before_a_key_rotation_still_decrypts_and_new_ones_use_the_first_key(
    settings,
):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CREDENTIALS_KEYS = [old]
    before = crypto.encrypt("EAA-page-token-from-last-year")
    settings.CREDENTIALS_KEYS = [new, old]
    assert crypto.decrypt(before) == "EAA-page-token-from-last-year"
    after = crypto.encrypt("EAA-page-token-from-today")
    assert Fernet(new.encode()).decrypt(after) == b"EAA-page-token-from-today"
