"""The demo trust: fictional, realistic, built from example policy 000 through the same services
the application uses, so the demo's audit trail is as real as a trust's would be.

It sits on the top floor because it uses every app. Each app keeps the demo records of its own part of the policy in
its own demo.py, made through its own services and reaching only the floors below it; this module builds the people
and puts the parts together in order."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from safesocial.channels import services as channels
from safesocial.channels.models import AccessLevel, ChannelStatus, Delivery
from safesocial.compliance import demo as compliance_demo
from safesocial.compliance.services import training_record
from safesocial.concerns import demo as concerns_demo
from safesocial.consent.demo import seed_consents
from safesocial.demo.letterhead import with_letterhead
from safesocial.escalation import demo as escalation_demo
from safesocial.governors import demo as governors_demo
from safesocial.moderation.demo import seed_comments
from safesocial.people.models import RoleAssignment, School, Trust, User
from safesocial.people.roles import MFA_REQUIRED_ROLES, Role
from safesocial.people.services import RoleSpec, parent_create, pupil_create, staff_create
from safesocial.policy.services import trust_create_from_policy
from safesocial.publishing import demo as publishing_demo
from safesocial.registers import demo as registers_demo
from safesocial.subject_access import demo as subject_access_demo

REPO = Path(__file__).resolve().parents[2]
DEMO_POLICY = REPO / "examples" / "policies" / "000-three-school-primary-trust.yaml"
DEMO_PASSWORD = "safesocial-demo"
# A fixed base32 secret so a tester can add the demo accounts to an authenticator app.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

FIRST = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Freya",
    "Florence",
    "Grace",
    "Sophia",
    "Evie",
    "Poppy",
    "Willow",
    "Rosie",
    "Ruby",
    "Elsie",
    "Maya",
    "Harper",
    "Daisy",
    "Alice",
    "Phoebe",
    "Zara",
    "Aisha",
    "Maryam",
    "Noah",
    "Oliver",
    "George",
    "Arthur",
    "Leo",
    "Muhammad",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Jack",
    "Theo",
    "Freddie",
    "Alfie",
    "Charlie",
    "Thomas",
    "Jacob",
    "Finley",
    "Reuben",
    "Isaac",
    "Ethan",
    "Kai",
    "Yusuf",
    "Rohan",
    "Tomasz",
    "Kofi",
    "Callum",
]
LAST = [
    "Abbott",
    "Adeyemi",
    "Ashworth",
    "Barker",
    "Bennett",
    "Bhatt",
    "Blackwood",
    "Bradshaw",
    "Brennan",
    "Carver",
    "Chowdhury",
    "Clarke",
    "Cole",
    "Dawson",
    "Denton",
    "Driscoll",
    "Ellison",
    "Farrow",
    "Fenwick",
    "Fletcher",
    "Gallagher",
    "Garside",
    "Hale",
    "Hargreaves",
    "Hussain",
    "Iqbal",
    "Jennings",
    "Kaur",
    "Kowalski",
    "Lambert",
    "Lister",
    "Lowe",
    "Mahmood",
    "Marsh",
    "Mensah",
    "Merritt",
    "Nolan",
    "Novak",
    "Oakes",
    "Okafor",
    "Parry",
    "Patel",
    "Pearce",
    "Quinn",
    "Rahman",
    "Redfern",
    "Rowe",
    "Saunders",
    "Shah",
    "Sheridan",
    "Singh",
    "Stanton",
    "Sutcliffe",
    "Thorne",
    "Varga",
    "Wade",
    "Walsh",
    "Whitlock",
    "Yates",
]
CLASSES = {
    "R": "Robins",
    "1": "Wrens",
    "2": "Finches",
    "3": "Kestrels",
    "4": "Owls",
    "5": "Falcons",
    "6": "Eagles",
}


@dataclass(frozen=True)
class DemoAccount:
    label: str
    email: str
    two_factor: bool


def demo_exists() -> bool:
    return Trust.objects.exists()


def _email(first: str, last: str, domain: str) -> str:
    return f"{first[0].lower()}.{last.lower()}@{domain}"


def _dob(year_group: str, rng: random.Random, today: dt.date) -> dt.date:
    # A pupil in Year N is N+5 on 31 August of this academic year (Reception: 4).
    start_year = today.year if today.month >= 9 else today.year - 1
    years = 4 if year_group == "R" else int(year_group) + 5
    born_in_year_from = dt.date(start_year - years - 1, 9, 1)
    return born_in_year_from + dt.timedelta(days=rng.randrange(365))


@transaction.atomic
def load_demo(*, pupils_per_school: int = 200, seed: int = 2026) -> list[DemoAccount]:
    """Create the demo trust once. Running it again changes nothing."""
    if demo_exists():
        return demo_accounts()
    rng = random.Random(seed)
    text = with_letterhead(DEMO_POLICY.read_text(encoding="utf-8"))
    trust = trust_create_from_policy(actor=None, text=text, source=DEMO_POLICY.name)
    domain = "harbourside.example.com"
    used: set[str] = set(User.objects.values_list("email", flat=True))

    def person(roles: list[RoleSpec], job_title: str, first: str | None = None, last: str | None = None) -> User:
        while True:
            f, la = first or rng.choice(FIRST), last or rng.choice(LAST)
            email = _email(f, la, domain)
            if email not in used:
                break
            first = last = None
        used.add(email)
        return staff_create(
            actor=None, trust=trust, email=email, full_name=f"{f} {la}", job_title=job_title, roles=roles
        )

    person([RoleSpec(Role.IT_SUPPORT)], "Director of IT", "Jordan", "Keeling")
    person([RoleSpec(Role.ADMIN_TEAM)], "PA to the CEO", "Beth", "Harland")
    person([RoleSpec(Role.GOVERNOR)], "Chair of Trustees", "Malcolm", "Ferris")
    for school in School.objects.filter(trust=trust).order_by("pk"):
        first_school = school.key == "seabright"
        person(
            [RoleSpec(Role.TEACHER, school), RoleSpec(Role.ESAFETY, school)],
            "Computing Lead",
            "Ellie" if first_school else None,
            "Pritchard" if first_school else None,
        )
        person(
            [RoleSpec(Role.ADMIN_TEAM, school), RoleSpec(Role.CHANNEL_ADMIN, school)],
            "School Business Manager",
            "Carla" if first_school else None,
            "Denholm" if first_school else None,
        )
        person(
            [RoleSpec(Role.CHANNEL_ADMIN, school), RoleSpec(Role.TEACHER, school)],
            "Communications Lead",
            "Freya" if first_school else None,
            "Gallagher" if first_school else None,
        )
        person(
            [RoleSpec(Role.TEACHER, school)],
            "Year 4 Teacher",
            "Lucy" if first_school else None,
            "Marsh" if first_school else None,
        )
        for year in ("R", "1", "2", "3", "5", "6"):
            person([RoleSpec(Role.TEACHER, school)], f"{'Reception' if year == 'R' else 'Year ' + year} Teacher")
        person(
            [RoleSpec(Role.SUPPORT_STAFF, school)],
            "Teaching Assistant",
            "Jamie" if first_school else None,
            "Corbett" if first_school else None,
        )
        for _ in range(3):
            person(
                [RoleSpec(Role.SUPPORT_STAFF, school)],
                rng.choice(["Teaching Assistant", "Midday Supervisor"]),
            )
        person(
            [RoleSpec(Role.VOLUNTEER, school)],
            "Reading Volunteer",
            "Pat" if first_school else None,
            "Ingram" if first_school else None,
        )
        person([RoleSpec(Role.GOVERNOR, school)], "Safeguarding Governor")
        _load_pupils(trust, school, pupils_per_school, rng)

    # One hash for every demo account: hashing sixty passwords one by one takes most of a minute.
    probe = User(email="demo@example.com")
    probe.set_password(DEMO_PASSWORD)
    User.objects.filter(trust=trust).update(password=probe.password)
    _seed_two_factor(trust)
    seed_consents(trust)
    seed_channels(trust)
    # Each part of the policy seeds its own demo records through its own services, in this order: concerns name
    # parents that the escalation ladder then takes up; the governors' report reads everything before it.
    concerns_demo.seed(trust)
    escalation_demo.seed(trust)
    registers_demo.seed(trust)
    compliance_demo.seed(trust)
    governors_demo.seed(trust)
    subject_access_demo.seed(trust)
    return demo_accounts()


def _user(school: School | None, role: Role) -> User:
    qs = User.objects.filter(role_assignments__role=role)
    qs = qs.filter(role_assignments__school=school) if school else qs.filter(role_assignments__school__isnull=True)
    return qs.order_by("date_joined", "pk").first()


def seed_channels(trust: Trust) -> None:
    """Each school's sandbox page (trained administrator, posters, posts) and its live channels, proposed and
    signed off; visitors comment on the Seabright sandbox once the posts are out."""
    policy = trust.policy
    for school in School.objects.filter(trust=trust).order_by("pk"):
        head = _user(school, Role.HEAD)
        admin = _user(school, Role.CHANNEL_ADMIN)
        comms = User.objects.filter(role_assignments__school=school, job_title="Communications Lead").first()
        teacher = User.objects.filter(role_assignments__school=school, job_title="Year 4 Teacher").first()
        for person in {admin, comms, teacher}:
            channels.aup_sign(actor=person, signed_name=person.full_name)
        sandbox = channels.channel_propose(
            actor=admin,
            trust=trust,
            school=school,
            platform="facebook_page",
            delivery=Delivery.SANDBOX,
            name=f"{school.name} (sandbox Facebook page)",
            official_email=f"office@{school.key}.example.com",
            purpose="Practise posting and reviewing before the live page; show parents' evening staff how posts look.",
            audience="Staff in training",
            contributors=["staff"],
            time_commitment="One hour a week",
            success_measures="Every poster has published one reviewed post here before posting live.",
            owner=admin,
            risks=[
                channels.RiskSpec(
                    "A pupil without photo consent appears in a practice post",
                    "medium",
                    "Use drawn or consented images only; consent is checked before review.",
                    admin,
                ),
                channels.RiskSpec(
                    "A practice post is mistaken for a live one",
                    "low",
                    "The sandbox publishes only inside SafeSocial and is labelled on every page.",
                    admin,
                ),
            ],
        )
        sandbox = channels.channel_sign_off(actor=head, channel=sandbox, note="Approved for staff training.")
        sandbox = channels.channel_set_status(actor=admin, channel=sandbox, status=ChannelStatus.ACTIVE)
        until = timezone.localdate() + dt.timedelta(days=365)
        # Policy: a channel administrator is trained before access is granted.
        training_record(
            actor=head,
            user=admin,
            topic=policy.training.topics[0],
            kind="induction",
            completed_on=timezone.localdate() - dt.timedelta(days=200),
            provider="Harbourside Learning Trust safeguarding team",
            note="Induction; signed attendance sheet kept by the school office.",
        )
        channels.access_grant(actor=head, channel=sandbox, user=admin, level=AccessLevel.ADMIN, expires_on=until)
        for poster in {comms, teacher}:
            channels.access_grant(actor=head, channel=sandbox, user=poster, level=AccessLevel.POSTER, expires_on=until)
        for official in policy.channels.official:
            if official.school != school.key:
                continue
            live = channels.channel_propose(
                actor=admin,
                trust=trust,
                school=school,
                platform=official.platform,
                name=official.name,
                address=str(official.url or "") or DEMO_ADDRESSES.get(official.platform, "").format(key=school.key),
                official_email=f"office@{school.key}.example.com",
                purpose="News, reminders and celebrations for families.",
                audience="Parents and carers, the local community",
                contributors=["parents", "public"],
                time_commitment="Three hours a week",
                owner=admin,
                success_measures="Parents report in the annual survey that they hear about events in time.",
                risks=[
                    channels.RiskSpec(
                        "Abusive or identifying comments from the public",
                        "medium",
                        "Comments moderated daily; repeat offenders blocked as the policy says.",
                        admin,
                    )
                ],
            )
            channels.channel_sign_off(actor=head, channel=live, note="Approved; go live once connected.")
        publishing_demo.seed_posts(school, sandbox, teacher, comms)
        if school.key == "seabright":
            publishing_demo.seed_consent_examples(school, sandbox, teacher, comms)
            _seed_closed_group(trust, school, head, admin, comms, teacher)
            # Visitors comment once the posts are out, which happens when the demo's transaction commits.
            transaction.on_commit(lambda channel=sandbox: seed_comments(channel))


# Fictional addresses for the demo's official channels, so the public school page links each one to its page.
DEMO_ADDRESSES = {
    "facebook_page": "https://www.facebook.com/{key}-primary-example",
    "instagram": "https://www.instagram.com/{key}_primary_example",
    "x": "https://x.com/{key}_primary_example",
    "youtube": "https://www.youtube.com/@{key}-primary-example",
}


def _seed_closed_group(trust: Trust, school: School, head: User, admin: User, comms: User, teacher: User) -> None:
    """Seabright's parents' closed Facebook group, published by hand (no app can post to a group): one reviewed post
    already out with its link recorded, one approved and waiting to be published, and a teaching assistant's
    suggestion waiting for the group's posters."""
    group = channels.channel_propose(
        actor=admin,
        trust=trust,
        school=school,
        platform="facebook_group",
        delivery=Delivery.MANUAL,
        manual_reason="A closed Facebook group: Facebook removed the Groups API in April 2024, so no app can post "
        "to it. Posters publish approved posts there by hand and record the link.",
        name=f"{school.name} parents (closed Facebook group)",
        address="https://www.facebook.com/groups/seabright-parents-example",
        official_email=f"office@{school.key}.example.com",
        purpose="Reminders and news for current families only, in a group the school admits them to.",
        audience="Parents and carers of pupils on roll",
        contributors=["parents"],
        time_commitment="One hour a week",
        success_measures="Families say in the annual survey that reminders reach them in time.",
        owner=admin,
        risks=[
            channels.RiskSpec(
                "A post goes out that nobody reviewed",
                "medium",
                "Posts are written and reviewed in SafeSocial; posters record each link and are reminded until then.",
                admin,
            )
        ],
    )
    group = channels.channel_sign_off(actor=head, channel=group, note="Approved: published by hand after review.")
    group = channels.channel_set_status(actor=admin, channel=group, status=ChannelStatus.ACTIVE)
    until = timezone.localdate() + dt.timedelta(days=365)
    channels.access_grant(actor=head, channel=group, user=admin, level=AccessLevel.ADMIN, expires_on=until)
    for poster in (comms, teacher):
        channels.access_grant(actor=head, channel=group, user=poster, level=AccessLevel.POSTER, expires_on=until)
    assistant = User.objects.filter(role_assignments__school=school, job_title="Teaching Assistant").order_by("pk")
    publishing_demo.seed_by_hand(group, teacher, comms, assistant.first())


def _load_pupils(trust: Trust, school: School, count: int, rng: random.Random) -> None:
    today = dt.date.today()
    years = list(CLASSES)
    family: list = []
    for i in range(count):
        year = years[i * len(years) // count]
        last = rng.choice(LAST)
        pupil = pupil_create(
            actor=None,
            school=school,
            first_name=rng.choice(FIRST),
            last_name=last,
            date_of_birth=_dob(year, rng, today),
            year_group=year,
            class_name=f"{year}{CLASSES[year][0]} {CLASSES[year]}",
            mis_id=f"{school.key[:3].upper()}{i + 1:05d}",
        )
        # About one pupil in six is a younger sibling sharing the previous family's parents.
        if family and rng.random() < 0.17 and family[0][1] == last:
            for parent in family:
                parent[0].pupils.add(pupil, through_defaults={"relationship": parent[2]})
            continue
        family = []
        for relationship in (
            ("Mother", "Father") if rng.random() < 0.6 else (rng.choice(["Mother", "Father", "Carer"]),)
        ):
            first = rng.choice(FIRST)
            n = rng.randrange(1000)
            parent = parent_create(
                actor=None,
                trust=trust,
                full_name=f"{first} {last}",
                email=f"{first.lower()}.{last.lower()}{n}@example.com",
                phone=f"07700 900{n:03d}",
                pupils=[(pupil, relationship)],
            )
            family.append((parent, last, relationship))


def _seed_two_factor(trust: Trust) -> None:
    users = User.objects.filter(
        trust=trust, role_assignments__role__in=[r.value for r in MFA_REQUIRED_ROLES]
    ).distinct()
    for user in users:
        TOTP.activate(user, DEMO_TOTP_SECRET)


def demo_accounts() -> list[DemoAccount]:
    """One account per role, to print after loading the demo."""
    wanted = [
        ("CEO", Role.CEO, None),
        ("Trust safeguarding lead (DSL, all schools)", Role.DSL, None),
        ("Head of school and DSL, Seabright", Role.HEAD, "seabright"),
        ("DSL, Millbrook", Role.DSL, "millbrook"),
        ("Deputy DSL, Seabright", Role.DEPUTY_DSL, "seabright"),
        ("Teacher, Seabright", Role.TEACHER, "seabright"),
        ("Year 4 teacher and authorised poster, Seabright", None, "l.marsh@harbourside.example.com"),
        ("Communications lead (poster, reviewer), Seabright", None, "f.gallagher@harbourside.example.com"),
        ("Teaching assistant, Seabright", Role.SUPPORT_STAFF, "seabright"),
        ("Administration team, Seabright", Role.ADMIN_TEAM, "seabright"),
        ("Channel administrator, Seabright", Role.CHANNEL_ADMIN, "seabright"),
        ("E-safety team, Seabright", Role.ESAFETY, "seabright"),
        ("IT support (trust)", Role.IT_SUPPORT, None),
        ("Volunteer, Seabright", Role.VOLUNTEER, "seabright"),
        ("Governor, Seabright", Role.GOVERNOR, "seabright"),
        ("Trustee (notes the policy review, reads the governors' report)", Role.GOVERNOR, None),
    ]
    out = []
    for label, role, school_key in wanted:
        if role is None:  # a named account
            user = User.objects.filter(email=school_key).first()
            if user:
                out.append(DemoAccount(label, user.email, False))
            continue
        qs = RoleAssignment.objects.filter(role=role).select_related("user").order_by("user__date_joined", "pk")
        qs = qs.filter(school__key=school_key) if school_key else qs.filter(school__isnull=True)
        assignment = qs.first()
        if assignment is None:
            continue
        roles = set(assignment.user.role_assignments.values_list("role", flat=True))
        out.append(DemoAccount(label, assignment.user.email, bool(roles & {r.value for r in MFA_REQUIRED_ROLES})))
    return out
