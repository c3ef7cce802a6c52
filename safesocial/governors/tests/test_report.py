"""The governors' report: figures on known data, "no data" for an empty term, no names ever, and the page and PDF
for the people who may read them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safesocial.channels.models import Channel
from safesocial.concerns.models import Concern
from safesocial.governors import periods
from safesocial.governors.charts import Chart
from safesocial.governors.report import build_report, percentile
from safesocial.people.models import School
from safesocial.people.roles import Role
from safesocial.people.services import pupil_create
from safesocial.publishing.models import Post, PostStatus
from safesocial.testing.governors import SECRET, at, autumn_term

TODAY = dt.date(2026, 11, 21)
AUTUMN = periods.parse("2026-27-autumn")
SPRING_LAST_YEAR = periods.parse("2025-26-spring")


@pytest.fixture
def world(trust, seabright, millbrook, head, make_staff):
    return autumn_term(trust, seabright, millbrook, head, make_staff)


def facts(report, key: str) -> dict[str, str]:
    return dict(next(s for s in report.sections if s.key == key).facts)


def test_the_report_counts_known_data(trust, world):
    report = build_report(trust, None, AUTUMN, TODAY)
    posts = facts(report, "posts")
    assert posts["Posts published"] == "5"
    assert posts["Median time from submission to approval"] == "3 hours"
    assert posts["90th percentile time from submission to approval"] == "30 hours"
    comments = facts(report, "comments")
    assert comments["Comments acted on"] == "3"
    assert comments["Median time from receipt to first action"] == "50 minutes"
    category = next(c for s in report.sections for c in s.charts if c.id == "comments-category")
    assert category.rows == [("Abuse", [2]), ("Spam", [1])]
    consent = facts(report, "consent")
    assert consent["Pupils on roll"] == "10"
    assert consent["Consent given"] == "5 (50%)"
    assert consent["Consent refused"] == "2 (20%)"
    assert consent["No answer or lapsed"] == "3 (30%)"
    by_year = next(c for s in report.sections for c in s.charts if c.id == "consent-year")
    assert by_year.rows == [("Year 3", [5, 1, 0]), ("Year 4", [0, 1, 3])]
    assert facts(report, "concerns")["Concerns raised"] == "3"
    by_school = {r.school.key: r.figures for r in report.school_rows}
    assert (by_school["seabright"]["posts"], by_school["seabright"]["concerns"]) == (5, 2)
    assert by_school["millbrook"]["concerns"] == 1


def test_a_school_report_counts_only_that_school(trust, world, millbrook):
    report = build_report(trust, millbrook, AUTUMN, TODAY)
    assert facts(report, "posts")["Posts published"] == "0"
    assert facts(report, "concerns")["Concerns raised"] == "1"
    assert report.school_rows == []


def test_a_term_with_no_data_says_so(trust, world, signed_in, ceo):
    report = build_report(trust, None, SPRING_LAST_YEAR, TODAY)
    assert not next(s for s in report.sections if s.key == "posts").has_data
    page = signed_in(ceo).get(reverse("governors:index"), {"period": "2025-26-spring", "school": ""})
    text = page.content.decode()
    assert text.count("No data for this period") >= 3
    assert "<svg" not in text.split('id="s-posts"')[1].split("</section>")[0]


def test_a_term_not_yet_begun_has_no_data(trust, world):
    report = build_report(trust, None, periods.parse("2026-27-summer"), TODAY)
    assert not report.has_data


def test_the_report_never_shows_a_name_or_any_text(trust, world, signed_in, ceo):
    client = signed_in(ceo)
    page = client.get(reverse("governors:index"), {"period": AUTUMN.key, "school": ""}).content.decode()
    assert "Concerns by type" in page
    assert SECRET not in page and SECRET.split()[0] not in page


def test_the_page_draws_charts_with_text_alternatives(trust, world, signed_in, ceo):
    page = signed_in(ceo).get(reverse("governors:index"), {"period": AUTUMN.key}).content.decode()
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') >= 5
    assert 'role="img"' in page and "<desc id=" in page
    # The figures are on the charts; the table behind each is for screen readers only, never shown twice.
    hidden = page.split("<caption>Figures: Posts published by category</caption>")[0].rsplit("<div", 1)[1]
    assert 'class="visually-hidden"' in hidden
    assert "The figures are in the table below" not in page


def test_the_pdf_repeats_no_chart_as_a_table(trust, world, signed_in, ceo):
    from django.template.loader import render_to_string

    report = build_report(trust, None, AUTUMN, TODAY)
    html = render_to_string("governors/report_print.html", {"report": report, "title": "t"})
    assert "Figures: Posts published by category" not in html
    assert "Each school at a glance" in html  # a table of its own, not a chart's copy


def test_the_pdf_is_a_pdf(trust, world, signed_in, ceo):
    response = signed_in(ceo).get(reverse("governors:pdf"), {"period": AUTUMN.key, "school": "seabright"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_a_head_sees_their_own_school_only(trust, world, signed_in, head):
    client = signed_in(head)
    page = client.get(reverse("governors:index"))
    assert page.status_code == 200
    assert "Seabright" in page.content.decode()
    assert client.get(reverse("governors:index"), {"period": AUTUMN.key, "school": ""}).status_code == 200
    refused = client.get(reverse("governors:index"), {"period": AUTUMN.key, "school": "millbrook"})
    assert "you cannot see a report for" in refused.content.decode()
    assert client.get(reverse("governors:pdf"), {"period": AUTUMN.key, "school": "millbrook"}).status_code == 200
    assert b"%PDF" not in client.get(reverse("governors:pdf"), {"period": AUTUMN.key, "school": "millbrook"}).content


def test_a_made_up_period_is_refused_with_a_clear_message(signed_in, ceo):
    page = signed_in(ceo).get(reverse("governors:index"), {"period": "1999-00-winter"}).content.decode()
    assert "Choose a school year or term from the list" in page
    assert 'href="#id_period"' in page


def test_the_report_needs_sign_in(client, trust):
    response = client.get(reverse("governors:index"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_teacher_cannot_see_reports(signed_in, teacher):
    assert signed_in(teacher).get(reverse("governors:index")).status_code == 403


def _five_schools(trust, head) -> None:
    """Five more schools, each with a published post, a pupil and a concern."""
    for i in range(5):
        school = School.objects.create(trust=trust, key=f"extra-{i}", name=f"Extra School {i}")
        Post.objects.create(
            trust=trust,
            school=school,
            author=head,
            edited_by=head,
            text="News",
            category="events",
            status=PostStatus.PUBLISHED,
            submitted_at=at(6),
            approved_at=at(6, hour=10),
            published_at=at(7),
        )
        pupil_create(
            actor=None,
            school=school,
            first_name="A",
            last_name=f"B{i}",
            date_of_birth=dt.date(2018, 1, 1),
            year_group="2",
            class_name="Kites",
        )
        Concern.objects.create(trust=trust, school=school, kind="comment_threat", summary=SECRET, source="moderation")


def test_the_trust_report_takes_the_same_queries_for_three_schools_and_eight(trust, world, head, same_queries):
    # 15 for the period, 7 for the period before (the summary's comparison), 2 for the summary's own counts.
    report = same_queries(24, lambda: build_report(trust, None, AUTUMN, TODAY), lambda: _five_schools(trust, head))
    assert len(report.school_rows) == 8


def test_terms_cover_the_school_year_without_gaps():
    year = periods.year(2026)
    autumn, spring, summer = (periods.term(2026, t) for t in periods.TERMS)
    assert (year.start, year.end) == (autumn.start, summer.end)
    assert autumn.end + dt.timedelta(days=1) == spring.start
    assert spring.end + dt.timedelta(days=1) == summer.start
    assert periods.parse("2026-27") == year and periods.parse("2026-28") is None
    assert periods.current_term(TODAY) == autumn


def test_percentile_is_nearest_rank():
    assert percentile([1, 2, 3, 4, 30], 90) == 30
    assert percentile(list(range(1, 101)), 90) == 90


def test_an_empty_chart_is_empty():
    assert Chart("x", "t", "c", ["n"], [("a", [0])]).empty
    assert not Chart("x", "t", "c", ["n"], [("a", [1])]).empty


def test_channels_are_counted(trust, world):
    Channel.objects.filter(pk=world.pk).update(next_review_due=TODAY - dt.timedelta(days=3))
    report = build_report(trust, None, AUTUMN, timezone.localdate())
    assert facts(report, "channels")["Active channels"] == "1"


def test_escalation_steps_and_acknowledgements_are_counted(trust, seabright, head, teacher):
    from safesocial.compliance.services import acknowledgement_staff
    from safesocial.escalation.services import escalation_start, escalation_step_take

    today = timezone.localdate()
    escalation = escalation_start(actor=head, school=seabright, summary=SECRET, account_name=SECRET)
    escalation_step_take(actor=head, escalation=escalation, step_key="discuss", taken_on=today, outcome=SECRET)
    acknowledgement_staff(actor=teacher)
    report = build_report(trust, seabright, periods.current_term(today), today)
    steps = next(c for s in report.sections for c in s.charts if c.id == "escalation-steps")
    first = trust.policy.parents.escalation[0]
    assert steps.rows[0] == (first.title, [1]) and first.key == "discuss"
    assert facts(report, "escalations")["Escalations begun"] == "1"
    acknowledged = facts(report, "compliance")["Staff who have acknowledged"]
    assert acknowledged.startswith("1 of ")


def test_governors_are_pointed_at_this_terms_report(trust, make_staff, ceo):
    from safesocial.governors.selectors import dashboard_items

    trustee = make_staff(Role.GOVERNOR, None, "Gwen Trustee")
    (item,) = dashboard_items(trustee)
    assert item.url.endswith(f"?period={periods.current_term(timezone.localdate()).key}")
    assert dashboard_items(ceo) == []


def test_a_link_naming_only_the_period_shows_a_schools_own_report(world, signed_in, head):
    page = signed_in(head).get(reverse("governors:index"), {"period": AUTUMN.key}).content.decode()
    assert "Autumn term 2026 (2026 to 2027): Seabright Primary School" in page


# The summary: the first page ------------------------------------------------------------------------------------


def test_times_are_in_words_with_plurals_that_agree():
    from safesocial.governors.words import counted, duration

    assert duration(1 / 60) == "1 minute"
    assert duration(2 / 60) == "2 minutes"
    assert duration(0.001) == "under a minute"
    assert duration(1) == "1 hour"
    assert duration(1.5) == "1.5 hours"
    assert duration(24) == "24 hours"
    assert duration(48) == "2 days"
    assert duration(60) == "2.5 days"
    assert counted(1, "member of staff,members of staff") == "1 member of staff"
    assert counted(2, "member of staff,members of staff") == "2 members of staff"


def test_the_term_before_autumn_is_last_summer():
    assert periods.previous(AUTUMN) == periods.parse("2025-26-summer")
    assert periods.previous(periods.parse("2026-27-spring")) == AUTUMN
    assert periods.previous(periods.year(2026)) == periods.year(2025)


def headlines(report) -> dict[str, tuple[str, str]]:
    return {h.label: (h.value, h.change) for h in report.summary.headlines}


def test_the_summary_sets_each_figure_against_the_term_before(trust, world, seabright, head):
    # Two posts published last summer term: this autumn's five are "up from 2".
    for day in (5, 6):
        Post.objects.create(
            trust=trust,
            school=seabright,
            author=head,
            edited_by=head,
            text="Sports day",
            category="events",
            status=PostStatus.PUBLISHED,
            submitted_at=at(day, month=6),
            approved_at=at(day, month=6) + dt.timedelta(hours=5),
            published_at=at(day, month=6) + dt.timedelta(hours=6),
        )
    report = build_report(trust, None, AUTUMN, TODAY)
    summary = report.summary
    assert summary.previous == periods.parse("2025-26-summer") and summary.compared
    figures = headlines(report)
    assert figures["Posts published"] == ("5", "up from 2")
    assert figures["Median wait for a post's approval"] == ("3 hours", "down from 5 hours")
    assert figures["Safeguarding concerns raised"] == ("3", "up from 0")
    assert figures["Pupils whose parents consent to photos on social media"][0] == "50% (5 of 10)"
    arrows = {h.label: h.arrow for h in summary.headlines}
    assert arrows["Posts published"] == "▲" and arrows["Median wait for a post's approval"] == "▼"


def test_a_summary_with_nothing_before_compares_nothing(trust, world):
    report = build_report(trust, None, AUTUMN, TODAY)
    assert not report.summary.compared
    assert all(h.change == "" for h in report.summary.headlines)


def test_the_summary_lists_what_needs_the_governors_attention(trust, world, seabright, signed_in, ceo):
    Concern.objects.filter(school=seabright).update(triage_level="immediate")
    Channel.objects.filter(pk=world.pk).update(next_review_due=dt.date(2026, 11, 1))
    report = build_report(trust, None, AUTUMN, TODAY)
    attention = [item.text for item in report.summary.attention]
    assert attention[0].startswith("2 safeguarding concerns assessed as an immediate risk of harm are still open.")
    assert "1 official channel is past its review date" in " ".join(attention)
    page = signed_in(ceo).get(reverse("governors:index"), {"period": AUTUMN.key, "school": ""}).content.decode()
    summary = page.split('id="s-summary"')[1].split("</section>")[0]
    assert "What needs the governors' attention" in summary
    assert "2 safeguarding concerns assessed as an immediate risk" in summary
    assert SECRET not in page and SECRET.split()[0] not in page


def test_one_concern_and_one_member_of_staff_are_singular(trust, world, millbrook):
    Concern.objects.filter(school=millbrook).update(triage_level="immediate")
    report = build_report(trust, millbrook, AUTUMN, TODAY)
    attention = " ".join(item.text for item in report.summary.attention)
    assert "1 safeguarding concern assessed as an immediate risk of harm is still open." in attention
    assert "1 minutes" not in attention and "1 members" not in attention


def test_the_pdf_opens_with_the_summary(trust, world, signed_in, ceo):
    from django.template.loader import render_to_string

    report = build_report(trust, None, AUTUMN, TODAY)
    html = render_to_string("governors/report_print.html", {"report": report, "title": "t"})
    body = html.split("<body>")[1]
    assert body.index("What needs the governors' attention") < body.index('id="s-posts"')
    assert ".report-summary { page-break-after: always; }" in html
