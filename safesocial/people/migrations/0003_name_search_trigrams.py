"""Issue 16 at a trust's size (benchmarks/trust_scale.py): searching pupils, parents and staff by part of a name.

Django's `icontains` is `UPPER(col) LIKE UPPER('%...%')` on PostgreSQL, which no b-tree index serves; a GIN trigram
index on exactly `UPPER(col)` does. pg_trgm is a trusted extension (PostgreSQL 13 and later), so the database's owner
creates it without being a superuser. SQLite has neither: there these operations do nothing. The indexes are not in
the models' Meta because Django would then create them, GIN and all, on SQLite too."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from safesocial.trigrams import TrigramIndexes

INDEXES = {
    "pupil_first_name_trgm_idx": ("people_pupil", "first_name"),
    "pupil_last_name_trgm_idx": ("people_pupil", "last_name"),
    "parentcarer_name_trgm_idx": ("people_parentcarer", "full_name"),
    "user_full_name_trgm_idx": ("people_user", "full_name"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_encrypt_two_factor_secrets"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on SQLite
        TrigramIndexes(INDEXES),
    ]
