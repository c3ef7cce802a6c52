"""Issue 16 at a trust's size (benchmarks/trust_scale.py): the concern search reads indexes, not 50,000 summaries.

`selectors.concern_list` matches `UPPER(reference) = UPPER(q)` and `UPPER(col) LIKE UPPER('%q%')` on the summary, the
account handle and the links' handles (and people's names, indexed by people's migration 0003, which creates
pg_trgm). A GIN trigram index on exactly `UPPER(col)` serves both the LIKE and the equality. PostgreSQL only: on
SQLite these operations do nothing, and the indexes are not in the models' Meta for that reason."""

from django.db import migrations

from safesocial.trigrams import TrigramIndexes

INDEXES = {
    "concern_reference_trgm_idx": ("concerns_concern", "reference"),
    "concern_summary_trgm_idx": ("concerns_concern", "summary"),
    "concern_handle_trgm_idx": ("concerns_concern", "account_handle"),
    "link_handle_trgm_idx": ("concerns_concernlink", "handle"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0011_list_and_pattern_indexes"),
        ("people", "0003_name_search_trigrams"),  # creates pg_trgm
    ]

    operations = [
        TrigramIndexes(INDEXES),
    ]
