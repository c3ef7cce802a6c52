"""Issue 16 at a trust's size: on PostgreSQL the searches read trigram indexes (people migration 0003, concerns 0012)
and still find a concern or a pupil by part of a name. SQLite has no pg_trgm: there those tests are skipped, and the
searches themselves are tested in test_views.py and people's test_views.py on both databases. A search's page and
its total come from one query (selectors.ids_page); the pages it cannot answer that way are tested on both."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from safesocial.concerns import services
from safesocial.concerns.models import Concern, ConcernLink
from safesocial.concerns.services import People
from safesocial.people.models import ParentCarer, Pupil, User

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")

INDEXES = {
    "pupil_first_name_trgm_idx",
    "pupil_last_name_trgm_idx",
    "parentcarer_name_trgm_idx",
    "user_full_name_trgm_idx",
    "concern_reference_trgm_idx",
    "concern_summary_trgm_idx",
    "concern_handle_trgm_idx",
    "link_handle_trgm_idx",
}


def _found(body: str) -> set[str]:
    return set(re.findall(r'href="/concerns/(\d+)/"', body))


def _plan(sql: str, params: list) -> str:
    """The plan PostgreSQL would choose if it could not scan the table: the test tables are too small for it to
    prefer an index, so this asks whether an index can serve the expression at all."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    return plan


@postgres_only
@pytest.mark.django_db
def test_the_migrations_created_pg_trgm_and_the_search_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() is not None
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [sorted(INDEXES)])
        found = dict(cursor.fetchall())
    assert set(found) == INDEXES
    assert all("USING gin (upper(" in definition and "gin_trgm_ops" in definition for definition in found.values())


@postgres_only
def test_the_concern_search_finds_a_concern_by_part_of_a_name_a_summary_or_a_handle(
    signed_in, head, assistant, seabright, pupil, parent
):
    named = services.concern_report(
        actor=assistant, school=seabright, kind="friend_request", summary="A request", people=People(pupils=[pupil])
    ).concern
    written = services.concern_report(
        actor=assistant, school=seabright, kind="friend_request", summary="Photos from the Lighthouse trip"
    ).concern
    handled = services.concern_report(
        actor=assistant,
        school=seabright,
        kind="friend_request",
        summary="Something happened",
        account_handle="quayside.fan",
    ).concern
    client = signed_in(head)
    assert _found(client.get(reverse("concerns:list"), {"q": "arbou"}).content.decode()) == {str(named.pk)}
    assert _found(client.get(reverse("concerns:list"), {"q": "lighthou"}).content.decode()) == {str(written.pk)}
    assert _found(client.get(reverse("concerns:list"), {"q": "SIDE.F"}).content.decode()) == {str(handled.pk)}
    by_reference = client.get(reverse("concerns:list"), {"q": written.reference.lower()}).content.decode()
    assert _found(by_reference) == {str(written.pk)} and "1 concern</caption>" in by_reference


@postgres_only
def test_the_pupil_list_finds_a_pupil_by_part_of_a_name(signed_in, head, seabright, pupil):
    body = signed_in(head).get(reverse("people:pupils", args=[seabright.key]), {"q": "arbo"}).content.decode()
    assert "Harbour" in body and "1 pupil " in body


@postgres_only
@pytest.mark.django_db
def test_an_index_can_serve_each_name_the_searches_match():
    for queryset, index in (
        (Pupil.objects.filter(first_name__icontains="arbo"), "pupil_first_name_trgm_idx"),
        (Pupil.objects.filter(last_name__icontains="arbo"), "pupil_last_name_trgm_idx"),
        (ParentCarer.objects.filter(full_name__icontains="arbo"), "parentcarer_name_trgm_idx"),
        (User.objects.filter(full_name__icontains="arbo"), "user_full_name_trgm_idx"),
        (Concern.objects.filter(reference__iexact="sg-1"), "concern_reference_trgm_idx"),
        (Concern.objects.filter(summary__icontains="arbo"), "concern_summary_trgm_idx"),
        (Concern.objects.filter(account_handle__icontains="arbo"), "concern_handle_trgm_idx"),
        (ConcernLink.objects.filter(handle__icontains="arbo"), "link_handle_trgm_idx"),
    ):
        sql, params = queryset.values("pk").query.sql_with_params()
        assert index in _plan(sql, list(params)), queryset.query


def test_a_search_page_past_the_end_or_not_a_number_shows_what_the_whole_list_would(
    signed_in, head, assistant, seabright
):
    for i in range(51):
        services.concern_report(actor=assistant, school=seabright, kind="friend_request", summary=f"Happened {i}")
    client = signed_in(head)
    for page, shown, rows in (("999", 2, 1), ("0", 2, 1), (str(10**30), 2, 1), ("two", 1, 50), ("2", 2, 1)):
        body = client.get(reverse("concerns:list"), {"q": "appene", "page": page}).content.decode()
        assert f"51 concerns, page {shown} of 2" in body, page
        assert len(_found(body)) == rows, page
