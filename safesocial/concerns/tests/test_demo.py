import datetime as dt

from django.utils import timezone

from safesocial.audit.services import audit_verify
from safesocial.concerns import selectors
from safesocial.concerns.demo import seed
from safesocial.concerns.models import Concern, ConcernStatus, Route
from safesocial.people.models import User
from safesocial.people.roles import Role
from safesocial.people.services import RoleSpec, parent_create, pupil_create, staff_create


def _people(trust) -> None:
    """The few people of the full demo (safesocial/demo/builder.py) that the concerns' demo names."""
    schools = {s.key: s for s in trust.schools.all()}
    for key, job, role in [
        ("seabright", "Teaching Assistant", Role.SUPPORT_STAFF),
        ("seabright", "Year 4 Teacher", Role.TEACHER),
        ("seabright", "Computing Lead", Role.TEACHER),
        ("seabright", "Communications Lead", Role.TEACHER),
        ("millbrook", "Year 4 Teacher", Role.TEACHER),
        ("kestrel-bank", "Year 5 Teacher", Role.TEACHER),
        ("kestrel-bank", "Head of School", Role.HEAD),
    ]:
        staff_create(
            actor=None,
            trust=trust,
            email=f"{job.split()[0].lower()}.{key}@example.com",
            full_name=f"{job} {key}",
            job_title=job,
            roles=[RoleSpec(role, schools[key])],
        )
    child = pupil_create(
        actor=None,
        school=schools["seabright"],
        first_name="Lily",
        last_name="Fenwick",
        date_of_birth=dt.date(2016, 2, 2),
        year_group="4",
    )
    parent_create(actor=None, trust=trust, full_name="Dale Fenwick", pupils=[(child, "Father")])
    pupil_create(
        actor=None,
        school=schools["kestrel-bank"],
        first_name="Ivy",
        last_name="Stone",
        date_of_birth=dt.date(2014, 2, 2),
        year_group="6",
    )


def test_the_demo_shows_one_parent_account_across_two_schools_on_the_leads_pattern_page(trust, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    _people(trust)
    seed(trust)
    count = Concern.objects.count()
    assert count == 9
    seed(trust)
    assert Concern.objects.count() == count  # running it twice adds nothing

    lead = User.objects.get(email="m.ashdown@harbourside.example.com")
    patterns = selectors.patterns_for(lead)
    row = next(r for r in patterns.accounts if r.key == "account:facebook:dalefenwick")
    assert row.concerns == 4 and row.schools == 2 and row.over(patterns.threshold)  # 3 posts and a friend request

    staff = Concern.objects.get(kind="staff_online_conduct", school__key="seabright")
    assert staff.route == Route.STAFF
    subject = staff.links.get(role="subject").staff
    assert not selectors.can_manage(subject, staff)
    heads = User.objects.filter(role_assignments__school__key="seabright", role_assignments__role="head")
    assert heads and all(selectors.can_manage(h, staff) for h in heads)

    closed = Concern.objects.get(status=ConcernStatus.CLOSED, kind="cyberbullying_of_pupil")
    assert closed.lessons and closed.curriculum_change and closed.evidence.exists()
    assert closed.referrals.get(kind="la_advice").outcome
    # A 2014 record past the policy's ten years for staff conduct waits in the Kestrel Bank head's retention review.
    old = Concern.objects.get(kind="staff_online_conduct", school__key="kestrel-bank")
    assert old.retain_until < timezone.localdate() and "10 years" in old.retention_rule
    kestrel_heads = User.objects.filter(role_assignments__school__key="kestrel-bank", role_assignments__role="head")
    assert kestrel_heads and all(list(selectors.retention_due(h)) == [old] for h in kestrel_heads)
    mash = Concern.objects.get(kind="ai_misuse").referrals.get(kind="mash")
    assert mash.reference and mash.follow_up.due_on > mash.made_on
    assert selectors.lado_clock(staff) is not None and selectors.lado_clock(staff).referral is None
    assert Concern.objects.filter(evidence__isnull=False).distinct().count() == 6
    _, problems = audit_verify()
    assert problems == []
