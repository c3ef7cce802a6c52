"""The staff pages: each works, needs sign-in, and hides what is not the viewer's."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safesocial.compliance import quiz, selectors, services
from safesocial.compliance.models import Acknowledgement, AcknowledgementCode, QuizAttempt, TrainingRecord
from safesocial.people.roles import Role
from safesocial.testing.compliance import train
from safesocial.testing.people import make_family

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


STAFF_PAGES = [
    "compliance:index",
    "compliance:acknowledge",
    "compliance:record",
    "compliance:quiz",
    "compliance:overdue",
    "compliance:completion",
]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_need_sign_in(client, trust, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_teacher_reads_and_acknowledges_the_policy(signed_in, teacher):
    client = signed_in(teacher)
    page = client.get(reverse("compliance:acknowledge"))
    assert page.status_code == 200 and b"I have read and understood the policy" in page.content
    client.post(reverse("compliance:acknowledge"))
    client.post(reverse("compliance:acknowledge"))
    assert Acknowledgement.objects.filter(user=teacher).count() == 1
    assert b"Acknowledged" in client.get(reverse("compliance:index")).content


def test_the_dashboard_asks_staff_to_acknowledge_and_train_and_shows_heads_the_figures(head, teacher):
    titles = [i.title for i in selectors.dashboard_items(teacher)]
    assert "Acknowledge the policy" in titles and "Your training is overdue" in titles
    assert "Policy acknowledged" not in titles
    services.acknowledgement_staff(actor=teacher)
    train(teacher, head)
    teacher.trust.__dict__.pop("policy_version", None)
    assert not {"Acknowledge the policy", "Your training is overdue"} & {
        i.title for i in selectors.dashboard_items(teacher)
    }
    services.training_record(
        actor=teacher,
        user=teacher,
        topic="Data protection",
        kind="refresher",
        completed_on=dt.date(2025, 10, 1),
        provider="LA",
        note="Online",
    )
    waiting = next(i for i in selectors.dashboard_items(head) if i.title == "Training to confirm")
    assert waiting.count == 1
    card = next(i for i in selectors.dashboard_items(head) if i.title == "Policy acknowledged")
    assert "Seabright" in card.text and card.url == reverse("compliance:completion")
    # A new version asks everyone again, so the card says which version the figure counts.
    version = head.trust.policy_version
    assert f"have acknowledged version {version.document_version} of the policy, in force since" in card.text


def test_a_teacher_records_their_own_training_and_a_mistake_keeps_what_they_typed(signed_in, teacher):
    client = signed_in(teacher)
    data = {
        "topic": "The social media policy",
        "kind": "refresher",
        "completed_on": "2099-01-01",
        "provider": "Local authority course",
        "note": "Online module",
    }
    page = client.post(reverse("compliance:record"), data)
    assert page.status_code == 200 and b"There is a problem" in page.content
    assert b"The date cannot be in the future" in page.content and b"Local authority course" in page.content
    data["completed_on"] = "2025-10-01"
    data["evidence"] = SimpleUploadedFile("cert.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert client.post(reverse("compliance:record"), data).status_code == 302
    entry = TrainingRecord.objects.get(user=teacher)
    assert entry.status == "pending"
    assert client.get(reverse("compliance:evidence", args=[entry.pk])).status_code == 200


def test_the_head_confirms_a_teachers_training_and_others_cannot_see_it(signed_in, head, teacher, outsider, dsl):
    entry = services.training_record(
        actor=teacher,
        user=teacher,
        topic="Data protection",
        kind="refresher",
        completed_on=dt.date(2025, 10, 1),
        provider="LA",
        evidence=SimpleUploadedFile("cert.pdf", b"%PDF-1.4 x"),
    )
    for stranger in (outsider, dsl):
        client = signed_in(stranger)
        assert client.get(reverse("compliance:evidence", args=[entry.pk])).status_code == 404
        assert client.post(reverse("compliance:decide", args=[entry.pk]), {"decision": "confirm"}).status_code == 404
    client = signed_in(head)
    assert b"Training to confirm" in client.get(reverse("compliance:index")).content
    client.post(reverse("compliance:decide", args=[entry.pk]), {"decision": "confirm"})
    entry.refresh_from_db()
    assert entry.status == "confirmed" and entry.decided_by == head


def _quiz_post(client, trust, right=True, token=None):
    page = client.get(reverse("compliance:quiz"))
    token = token or re.search(rb'name="token" value="([0-9a-f-]+)"', page.content).group(1).decode()
    data = {"token": token, "version": trust.policy_version.number}
    for i, q in enumerate(quiz.questions(trust.policy)):
        data[f"q{i}"] = str(q.answer if right else (q.answer + 1) % len(q.options))
    return client.post(reverse("compliance:quiz"), data), token


def test_a_teacher_passes_the_quiz_and_downloads_the_certificate(signed_in, trust, teacher):
    client = signed_in(teacher)
    response, token = _quiz_post(client, trust)
    assert response.status_code == 302 and response["Location"] == reverse("compliance:quiz_result", args=[token])
    page = client.get(response["Location"])
    assert b"Passed" in page.content
    pdf = client.get(reverse("compliance:certificate", args=[token]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_quiz_form_sent_twice_is_marked_once(signed_in, trust, teacher):
    client = signed_in(teacher)
    _, token = _quiz_post(client, trust)
    again, _ = _quiz_post(client, trust, right=False, token=token)
    assert again.status_code == 302
    assert QuizAttempt.objects.count() == 1 and QuizAttempt.objects.get().passed
    page = client.get(again["Location"], follow=True)
    assert b"already sent these answers" in page.content


def test_an_unanswered_quiz_names_the_question(signed_in, trust, teacher):
    client = signed_in(teacher)
    page = client.get(reverse("compliance:quiz"))
    token = re.search(rb'name="token" value="([0-9a-f-]+)"', page.content).group(1).decode()
    page = client.post(reverse("compliance:quiz"), {"token": token, "version": 1, "q0": "0"})
    assert page.status_code == 200 and b"Choose an answer." in page.content and b'value="0"' in page.content
    assert not QuizAttempt.objects.exists()


def test_nobody_sees_anothers_quiz_result_or_certificate(signed_in, trust, teacher, head):
    _quiz_post(signed_in(teacher), trust)
    token = QuizAttempt.objects.get().token
    client = signed_in(head)
    assert client.get(reverse("compliance:quiz_result", args=[token])).status_code == 404
    assert client.get(reverse("compliance:certificate", args=[token])).status_code == 404
    assert client.get(reverse("compliance:quiz_result", args=[uuid.uuid4()])).status_code == 404


def test_a_head_sees_their_school_and_its_classes_not_another_school(signed_in, trust, head, owls, wrens):
    for family in owls:
        for parent in family.parents:
            services.acknowledgement_family(token=services.link_token(parent, trust.policy_version))
    client = signed_in(head)
    page = client.get(reverse("compliance:completion")).content.decode()
    assert "Seabright Primary School" in page and "Millbrook" not in page
    page = client.get(reverse("compliance:school", args=["seabright"])).content.decode()
    assert re.search(r"4O Owls</a></th>\s*<td><span class=\"status-ok\">Complete: </span>3 of 3 \(100%\)", page)
    assert "1W Wrens" in page and "0 of 1 (0%)" in page
    assert client.get(reverse("compliance:school", args=["millbrook"])).status_code == 404


def test_the_ceo_sees_every_school_and_the_trust(signed_in, ceo, trust, owls):
    page = signed_in(ceo).get(reverse("compliance:completion")).content.decode()
    assert "Across the trust" in page
    assert all(name in page for name in trust.schools.values_list("name", flat=True))


def test_a_teacher_does_not_see_completion(signed_in, teacher):
    client = signed_in(teacher)
    assert client.get(reverse("compliance:completion")).status_code == 403
    assert client.get(reverse("compliance:overdue")).status_code == 403
    assert client.get(reverse("compliance:school", args=["seabright"])).status_code == 404


def _more_classes_and_staff(seabright, millbrook, make_staff) -> None:
    """Three more classes at each school, and three more teachers, one of them trained."""
    for n in range(3):
        for school in (seabright, millbrook):
            make_family(school, f"Ari{n}", f"Lark{school.pk}{n}", f"{n + 1}L Larks", ["Jo", "Sam"])
            make_staff(Role.TEACHER, school, f"Tal Teacher {school.pk}{n}")
    head = make_staff(Role.HEAD, seabright, "Second Head")
    train(make_staff(Role.TEACHER, seabright, "Trained Teacher"), head)


@pytest.mark.parametrize(
    ("who", "name", "args", "queries"),
    [
        ("ceo", "compliance:completion", [], 21),
        ("head", "compliance:school", ["seabright"], 16),
        ("head", "compliance:overdue", [], 11),
    ],
)
def test_a_completion_page_takes_the_same_queries_for_one_class_and_many(
    signed_in, request, seabright, millbrook, make_staff, same_queries, who, name, args, queries
):
    make_family(seabright, "Nia", "Fairweather", "4O Owls", ["Dana"])
    client = signed_in(request.getfixturevalue(who))
    page = reverse(name, args=args)
    client.get(page)
    response = same_queries(
        queries, lambda: client.get(page), lambda: _more_classes_and_staff(seabright, millbrook, make_staff)
    )
    assert response.status_code == 200


def test_the_head_prints_a_classs_letters_with_codes(signed_in, head, seabright, owls):
    response = signed_in(head).post(reverse("compliance:letters", args=["seabright"]), {"class_name": "4O Owls"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert AcknowledgementCode.objects.count() == 5


def test_the_letters_carry_each_familys_own_code(rf, head, seabright, owls):
    from django.template.loader import render_to_string

    services.codes_ensure(actor=head, school=seabright, class_name="4O Owls")
    families = [
        {
            "pupil": pupil,
            "pupil_code": services.letter_code(pupil.ack_code),
            "parents": [(p, services.letter_code(p.ack_code)) for p in parents],
        }
        for pupil, parents in selectors.families_in_class(seabright, "4O Owls")
    ]
    html = render_to_string(
        "compliance/letters.html",
        {"school": seabright, "class_name": "4O Owls", "families": families, "policy": seabright.trust.policy},
    )
    for code in AcknowledgementCode.objects.all():
        assert services.letter_code(code) in html
    assert html.count('class="letter"') == 2


def test_the_letters_keep_the_web_address_on_one_line(head, seabright, owls):
    from django.template.loader import render_to_string

    html = render_to_string(
        "compliance/letters.html",
        {
            "school": seabright,
            "class_name": "4O Owls",
            "families": [{"pupil": owls[0].pupil, "pupil_code": "ABCD-EFGH", "parents": []}],
            "policy": seabright.trust.policy,
            "code_url": "https://safesocial.example.com/acknowledge/",
            "school_url": "https://safesocial.example.com/schools/1/",
        },
    )
    assert '<p class="address">https://safesocial.example.com/acknowledge/</p>' in html
    assert "white-space: nowrap" in html


def test_only_the_office_and_leaders_print_letters(signed_in, dsl, teacher, owls):
    for stranger in (dsl, teacher):
        response = signed_in(stranger).post(
            reverse("compliance:letters", args=["seabright"]), {"class_name": "4O Owls"}
        )
        assert response.status_code == 404
    assert not AcknowledgementCode.objects.exists()


def test_letters_for_a_class_with_nobody_in_it_say_so(signed_in, head, owls):
    client = signed_in(head)
    response = client.post(reverse("compliance:letters", args=["seabright"]), {"class_name": "Nobody"}, follow=True)
    assert b"No pupils on roll in the class" in response.content


def test_the_overdue_list_shows_a_head_their_own_staff_only(signed_in, head, teacher, outsider):
    page = signed_in(head).get(reverse("compliance:overdue")).content.decode()
    assert "Tess Teacher" in page and "No induction training recorded" in page
    assert "Otto Outsider" not in page
    assert signed_in(head).get(reverse("compliance:overdue") + "?school=millbrook").status_code == 404


def test_a_governor_sees_completion_but_is_not_asked_to_train(signed_in, make_staff, seabright):
    from safesocial.people.roles import Role

    governor = make_staff(Role.GOVERNOR, seabright, "Gwen Governor")
    client = signed_in(governor)
    assert b"Your roles do not ask you" in client.get(reverse("compliance:index")).content
    assert client.get(reverse("compliance:school", args=["seabright"])).status_code == 200
    assert not {"Acknowledge the policy", "Your training is overdue"} & {
        i.title for i in selectors.dashboard_items(governor)
    }


def test_the_office_sees_who_in_a_class_has_answered_and_each_familys_own_link(signed_in, trust, head, owls, dsl):
    services.acknowledgement_family(token=services.link_token(owls[0].parents[0], trust.policy_version))
    client = signed_in(head)
    url = reverse("compliance:class", args=["seabright"]) + "?name=4O+Owls"
    page = client.get(url).content.decode()
    assert 'Dana Fairweather: <span class="status-ok">acknowledged' in page
    links = re.findall(r'value="(http[^"]+/acknowledge/([^"/]+)/)"', page)
    assert len(links) == 2  # Rory and Sami, who have not answered yet
    assert {services.link_open(token).person for _, token in links} == {owls[0].parents[1], owls[1].parents[0]}
    assert signed_in(dsl).get(url).status_code == 404
    assert client.get(reverse("compliance:class", args=["seabright"]) + "?name=Nobody").status_code == 404


def test_a_class_page_takes_the_same_queries_for_one_family_and_five(signed_in, trust, head, seabright, same_queries):
    make_family(seabright, "Nia", "Fairweather", "4O Owls", ["Dana"])
    client = signed_in(head)
    url = reverse("compliance:class", args=["seabright"]) + "?name=4O+Owls"
    client.get(url)

    def four_more():
        for n in range(4):
            family = make_family(seabright, f"Ari{n}", f"Lark{n}", "4O Owls", ["Jo", "Sam"])
            services.acknowledgement_family(token=services.link_token(family.parents[0], trust.policy_version))

    page = same_queries(13, lambda: client.get(url), four_more).content.decode()
    assert "Jo Lark3" in page and "Sam Lark3" in page


def test_evidence_must_be_a_pdf_or_a_photo(signed_in, teacher):
    data = {
        "topic": "Data protection",
        "kind": "induction",
        "completed_on": "2025-10-01",
        "provider": "LA",
        "evidence": SimpleUploadedFile("run-me.exe", b"MZ", content_type="application/octet-stream"),
    }
    page = signed_in(teacher).post(reverse("compliance:record"), data)
    assert b"Attach a PDF or a photo" in page.content and not TrainingRecord.objects.exists()


def test_the_head_records_a_teachers_training_which_counts_at_once(signed_in, head, teacher, outsider):
    client = signed_in(head)
    page = client.get(reverse("compliance:record")).content.decode()
    assert "Tess Teacher" in page and "Otto Outsider" not in page
    data = {
        "user": str(teacher.pk),
        "topic": "Data protection",
        "kind": "induction",
        "completed_on": "2025-10-01",
        "provider": "Local authority",
        "note": "Sign-in sheet",
    }
    assert client.post(reverse("compliance:record"), data).status_code == 302
    assert TrainingRecord.objects.get(user=teacher).status == "confirmed"
    # Someone the head may not record for is not a choice at all.
    page = client.post(reverse("compliance:record"), data | {"user": str(outsider.pk)})
    assert page.status_code == 200 and b"Select a valid choice" in page.content
    assert not TrainingRecord.objects.filter(user=outsider).exists()


def test_letters_are_printed_only_by_a_post(signed_in, head, owls):
    assert signed_in(head).get(reverse("compliance:letters", args=["seabright"])).status_code == 405
