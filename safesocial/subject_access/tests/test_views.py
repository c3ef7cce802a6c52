"""The pages of subject access requests: each works for the head and DSL of the school, needs a login, and is a 404
(audited) for everyone else."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

from django.urls import reverse

from safesocial.audit.models import AuditEntry
from safesocial.subject_access import services
from safesocial.subject_access.models import SubjectAccessRequest


def test_the_list_shows_each_request_with_its_clock(signed_in, head, sar):
    page = signed_in(head).get(reverse("subject_access:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nia Harbour" in html and f"{sar.left} days left" in html
    assert AuditEntry.objects.filter(action="subject_access.list", actor_id=head.pk).exists()


def test_an_overdue_request_says_so(signed_in, head, seabright, pupil):
    services.sar_create(
        actor=head,
        school=seabright,
        requester_name="Rowan Harbour",
        requester_relationship="Father",
        received_on=dt.date.today() - dt.timedelta(days=40),
        pupil=pupil,
    )
    assert "Overdue by" in signed_in(head).get(reverse("subject_access:list")).content.decode()


def test_the_list_takes_the_same_queries_for_one_request_or_many(signed_in, head, seabright, pupil, sar, same_queries):
    client = signed_in(head)
    client.get(reverse("subject_access:list"))

    def more():
        for n in range(3):
            services.sar_create(
                actor=head,
                school=seabright,
                requester_name=f"Requester {n}",
                requester_relationship="Father",
                received_on=dt.date.today(),
                pupil=pupil,
            )

    page = same_queries(12, lambda: client.get(reverse("subject_access:list")), more)
    assert "Requester 2" in page.content.decode()


def test_the_pages_need_a_login(client, sar):
    for url in (reverse("subject_access:list"), reverse("subject_access:detail", args=[sar.pk])):
        assert client.get(url).status_code == 302


def test_someone_who_does_not_handle_requests_gets_404_audited(signed_in, teacher, dsl, sar):
    client = signed_in(teacher)
    for url in (reverse("subject_access:list"), reverse("subject_access:new")):
        assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="subject_access.refused", actor_id=teacher.pk).count() == 2
    client = signed_in(dsl)  # Millbrook's DSL: handles Millbrook's requests, not Seabright's
    for url in (
        reverse("subject_access:detail", args=[sar.pk]),
        reverse("subject_access:download", args=[sar.pk, "zip"]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("subject_access:redact", args=[sar.pk]), {"name": "X", "reason": "Y"}).status_code == 404
    assert (
        AuditEntry.objects.filter(action="subject_access.refused", actor_id=dsl.pk, object_id=str(sar.pk)).count() == 3
    )
    assert not sar.redactions.exists()


def test_a_new_request_picks_a_person_and_starts_the_clock(signed_in, head, seabright, pupil):
    client = signed_in(head)
    page = client.get(reverse("subject_access:new"))
    assert page.status_code == 200 and "Nia Harbour" in page.content.decode()
    response = client.post(
        reverse("subject_access:new"),
        {
            "school": seabright.pk,
            "requester_name": "Rowan Harbour",
            "requester_relationship": "Father of the pupil",
            "received_on": "15/03/2026",
            "subject": f"pupil:{pupil.pk}",
        },
    )
    made = SubjectAccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("subject_access:detail", args=[made.pk])
    assert made.pupil == pupil and made.due_on == dt.date(2026, 4, 15)


def test_a_new_request_without_a_person_or_handle_is_refused_beside_the_field(signed_in, head, seabright):
    response = signed_in(head).post(
        reverse("subject_access:new"),
        {
            "school": seabright.pk,
            "requester_name": "Rowan Harbour",
            "requester_relationship": "Father",
            "received_on": "15/03/2026",
        },
    )
    assert response.status_code == 400 and "Choose one person" in response.content.decode()
    assert not SubjectAccessRequest.objects.exists()


def test_the_review_page_lists_what_is_held_and_a_marked_name_is_not_in_the_download(signed_in, head, sar, case):
    client = signed_in(head)
    page = client.get(reverse("subject_access:detail", args=[sar.pk]))
    assert page.status_code == 200 and "Jamie Quarry" in page.content.decode()
    assert AuditEntry.objects.filter(action="subject_access.view", object_id=str(sar.pk)).exists()
    client.post(reverse("subject_access:redact", args=[sar.pk]), {"name": "Jamie Quarry", "reason": "Another child"})
    client.post(reverse("subject_access:redact", args=[sar.pk]), {"item": "referral:0", "reason": "x"})
    data = client.get(reverse("subject_access:download", args=[sar.pk, "zip"])).content
    record = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("subject-access.json"))
    assert "Jamie" not in json.dumps(record)
    assert record["redactions"]["names"][0]["reason"] == "Another child"


def test_the_concerns_page_links_to_requests_for_those_who_handle_them(signed_in, head, teacher):
    assert reverse("subject_access:list") in signed_in(head).get(reverse("concerns:list")).content.decode()
    assert reverse("subject_access:list") not in signed_in(teacher).get(reverse("concerns:list")).content.decode()
