import datetime as dt

import pytest
from django.urls import reverse

from safesocial.audit.models import AuditEntry
from safesocial.people.roles import Role
from safesocial.people.services import parent_create, pupil_create


@pytest.fixture
def pupil(seabright):
    child = pupil_create(
        actor=None,
        school=seabright,
        first_name="Ada",
        last_name="Quill",
        date_of_birth=dt.date(2017, 3, 4),
        year_group="3",
        class_name="3K Kestrels",
    )
    parent_create(
        actor=None,
        trust=seabright.trust,
        full_name="Rowan Quill",
        pupils=[(child, "Mother")],
        phone="07700 900123",
        email="rowan.quill@example.com",
    )
    return child


@pytest.mark.parametrize("who", ["ceo", "head", "dsl", "teacher", "outsider"])
def test_dashboard_works_for_every_role(request, signed_in, who):
    user = request.getfixturevalue(who)
    response = signed_in(user).get(reverse("dashboard"))
    assert response.status_code == 200
    assert user.get_short_name() in response.content.decode()


def test_dashboard_needs_sign_in(client, trust):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_dashboard_shows_the_review_to_the_ceo_and_not_to_a_teacher(signed_in, ceo, teacher):
    assert "Policy review" in signed_in(ceo).get(reverse("dashboard")).content.decode()
    assert "Policy review" not in signed_in(teacher).get(reverse("dashboard")).content.decode()


def test_dashboard_tells_a_teacher_whom_to_report_to(signed_in, teacher):
    body = signed_in(teacher).get(reverse("dashboard")).content.decode()
    assert "Helen Quarry" in body  # Seabright's DSL
    assert "outside teaching time" in body


def test_teacher_sees_pupils_at_their_school(signed_in, teacher, pupil, seabright):
    client = signed_in(teacher)
    assert "Quill, Ada" in client.get(reverse("people:pupils", args=[seabright.key])).content.decode()
    body = client.get(reverse("people:pupil", args=[pupil.pk])).content.decode()
    assert "Rowan Quill" in body


def test_other_schools_pupils_are_invisible_not_forbidden(signed_in, outsider, pupil, seabright):
    client = signed_in(outsider)
    assert client.get(reverse("people:pupils", args=[seabright.key])).status_code == 404
    assert client.get(reverse("people:pupil", args=[pupil.pk])).status_code == 404
    assert client.get(reverse("people:school", args=[seabright.key])).status_code == 404


def test_a_volunteer_sees_no_pupil_records(signed_in, make_staff, seabright, pupil):
    volunteer = make_staff(Role.VOLUNTEER, seabright)
    client = signed_in(volunteer)
    assert client.get(reverse("people:pupil", args=[pupil.pk])).status_code == 404
    assert client.get(reverse("people:school", args=[seabright.key])).status_code == 200


def test_reading_a_pupil_record_is_audited(signed_in, teacher, pupil):
    signed_in(teacher).get(reverse("people:pupil", args=[pupil.pk]))
    entry = AuditEntry.objects.filter(action="pupil.view").last()
    assert entry.actor_id == teacher.pk and entry.object_id == str(pupil.pk)


def test_staff_list_hides_staff_of_other_schools(signed_in, teacher, outsider):
    body = signed_in(teacher).get(reverse("people:staff")).content.decode()
    assert "Tess Teacher" in body
    assert "Otto Outsider" not in body
    assert "Morgan Ashdown" in body  # trust-wide staff are everyone's colleagues


def test_the_staff_list_takes_the_same_queries_for_one_teacher_and_sixteen(
    signed_in, head, make_staff, seabright, same_queries
):
    make_staff(Role.TEACHER, seabright, "Teacher 0")
    client = signed_in(head)
    client.get(reverse("people:staff"))

    def fifteen_more():
        for i in range(1, 16):
            make_staff(Role.TEACHER, seabright, f"Teacher {i}")

    body = same_queries(11, lambda: client.get(reverse("people:staff")), fifteen_more).content.decode()
    assert "Teacher 15" in body


@pytest.mark.parametrize("params", [{}, {"q": "qu"}])
def test_the_pupil_list_and_its_search_take_the_same_queries_for_one_pupil_and_fifty_one(
    signed_in, head, seabright, pupil, same_queries, params
):
    client = signed_in(head)
    url = reverse("people:pupils", args=[seabright.key])
    client.get(url, params)

    def more():  # more than a page of them (issue 16: 600 pupils a school)
        for i in range(51):
            kid = pupil_create(
                actor=None,
                school=seabright,
                first_name=f"Kit{i}",
                last_name="Quinn",
                date_of_birth=dt.date(2016, 3, 4),
                year_group="5",
                class_name="Herons",
            )
            parent_create(actor=None, trust=seabright.trust, full_name=f"Sam Rowe {i}", pupils=[(kid, "Carer")])

    body = same_queries(11, lambda: client.get(url, params), more).content.decode()
    assert "Quill" in body and "Kit7" in body and "page 1 of 2" in body


def test_staff_filter_returns_a_partial_for_htmx(signed_in, head, seabright):
    response = signed_in(head).get(reverse("people:staff"), {"school": "seabright"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="results"' in body and "<html" not in body


def test_head_adds_a_member_of_staff(signed_in, head, seabright):
    response = signed_in(head).post(
        reverse("people:staff_add"),
        {
            "full_name": "Nia Newcomer",
            "email": "nia@example.com",
            "job_title": "Teacher",
            "role": "teacher",
            "school": seabright.pk,
        },
        follow=True,
    )
    assert "Nia Newcomer has been added" in response.content.decode()


def test_adding_a_duplicate_email_shows_a_clear_error(signed_in, head, seabright, teacher):
    response = signed_in(head).post(
        reverse("people:staff_add"),
        {"full_name": "Copy", "email": teacher.email.upper(), "role": "teacher", "school": seabright.pk},
    )
    assert "already belongs to someone" in response.content.decode()


def test_a_teacher_cannot_add_staff(signed_in, teacher):
    assert signed_in(teacher).get(reverse("people:staff_add")).status_code == 404


def test_head_cannot_give_a_role_at_another_school(signed_in, head, teacher, millbrook):
    response = signed_in(head).post(
        reverse("people:role_add", args=[teacher.pk]), {"role": "dsl", "school": millbrook.pk}, follow=True
    )
    assert not teacher.role_assignments.filter(school=millbrook).exists()
    assert "Choose a role" in response.content.decode()


def test_trust_page_lists_schools_and_key_contacts(signed_in, teacher):
    body = signed_in(teacher).get(reverse("people:trust")).content.decode()
    assert "Seabright Primary School" in body and "Director of Safeguarding" in body


def test_a_missing_page_says_so_in_words_and_links_home(signed_in, teacher):
    response = signed_in(teacher).get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We cannot find that page" in body and 'href="/"' in body


def test_the_ceo_who_receives_concerns_about_heads_has_the_concerns_link(signed_in, ceo):
    page = signed_in(ceo).get("/").content.decode()
    assert 'href="/concerns/"' in page


def test_the_staff_filters_have_a_visible_button_and_apply_without_javascript(
    signed_in, head, teacher, make_staff, seabright
):
    import re

    client = signed_in(head)
    form = re.search(r'<form[^>]*role="search".*?</form>', client.get(reverse("people:staff")).content.decode(), re.S)
    assert '<button type="submit">Apply filters</button>' in form.group(0) and "noscript" not in form.group(0)
    make_staff(Role.TEACHER, seabright, "Nina Other")
    body = client.get(reverse("people:staff"), {"q": "Tess", "school": "seabright"}).content.decode()
    assert "<html" in body and "Tess Teacher" in body and "Nina Other" not in body
