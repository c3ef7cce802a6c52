"""Demo acknowledgements and training, made through the same services staff and families use: most staff have
acknowledged the policy and a few have not; every family has a code for the letter; one class at Seabright has
heard back from every family; most staff are trained, a few are overdue; two people have taken the quiz."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.utils import timezone

from safesocial.people.models import Trust, User
from safesocial.people.roles import Role

from . import quiz, selectors, services
from .models import Acknowledgement, Method, TrainingKind

COMPLETE_CLASS = ("seabright", "4O Owls")
PROVIDERS = ["Harbourside Learning Trust safeguarding team", "Local authority online safety adviser", "In-house INSET"]


def seed(trust: Trust, seed: int = 11) -> None:
    if trust.policy_version is None or Acknowledgement.objects.filter(version__trust=trust).exists():
        return
    rng = random.Random(seed)
    staff = list(selectors.staff_of(trust).order_by("pk"))
    _acknowledge_staff(staff, rng)
    _families(trust, rng)
    _training(trust, staff, rng)
    _quiz(trust, staff)


def _acknowledge_staff(staff: list[User], rng: random.Random) -> None:
    for user in staff:
        if rng.random() < 0.82:
            services.acknowledgement_staff(actor=user)


def _families(trust: Trust, rng: random.Random) -> None:
    version = trust.policy_version
    for school in trust.schools.order_by("pk"):
        for class_name in sorted(selectors.class_names(school)):
            services.codes_ensure(actor=None, school=school, class_name=class_name)
            complete = (school.key, class_name) == COMPLETE_CLASS
            share = 1.0 if complete else (0.45 if school.key == "seabright" else 0.25)
            for pupil, parents in selectors.families_in_class(school, class_name):
                if rng.random() >= share:
                    continue
                # Families answer with the code from the letter; some pupils do too, with a grown-up.
                for parent in parents:
                    services.acknowledgement_family(token=services.link_token(parent, version, Method.CODE))
                if complete or rng.random() < 0.5:
                    services.acknowledgement_family(token=services.link_token(pupil, version, Method.CODE))


def _recorder(trust: Trust, member: User) -> User:
    """The CEO records the trust's training; the trust's safeguarding lead records the CEO's."""
    ceo = User.objects.filter(trust=trust, role_assignments__role=Role.CEO).first()
    if member != ceo:
        return ceo
    return User.objects.filter(trust=trust, role_assignments__role=Role.DSL, role_assignments__school=None).first()


def _training(trust: Trust, staff: list[User], rng: random.Random) -> None:
    policy = trust.policy
    today = timezone.localdate()
    topics = policy.training.topics
    for i, user in enumerate(staff):
        recorder = _recorder(trust, user)
        if recorder is None:
            continue
        roll = rng.random()
        if roll < 0.06:
            continue  # joined recently, induction not yet recorded: overdue
        inducted = today - dt.timedelta(days=rng.randrange(420, 1500))
        services.training_record(
            actor=recorder,
            user=user,
            topic=topics[0],
            kind=TrainingKind.INDUCTION,
            completed_on=inducted,
            provider=rng.choice(PROVIDERS),
            note="New starter induction; the signed attendance sheet is kept by the school office.",
        )
        if roll < 0.14:
            continue  # no refresher since induction: overdue
        services.training_record(
            actor=recorder,
            user=user,
            topic=topics[i % len(topics)],
            kind=TrainingKind.REFRESHER,
            completed_on=today - dt.timedelta(days=rng.randrange(20, 320)),
            provider=rng.choice(PROVIDERS),
            note="September INSET session on the social media policy and online safety.",
        )
    # One member of staff has recorded a course themselves; it waits for the head to confirm it.
    ta = User.objects.filter(email="j.corbett@harbourside.example.com").first()
    if ta is not None:
        services.training_record(
            actor=ta,
            user=ta,
            topic=topics[-1],
            kind=TrainingKind.REFRESHER,
            completed_on=today - dt.timedelta(days=9),
            provider="Online course from the local authority",
            note="Completed online; certificate emailed to the school office.",
        )


def _quiz(trust: Trust, staff: list[User]) -> None:
    """Two quiz attempts: the Year 4 teacher passes first time; a teaching assistant does not, yet."""
    version = trust.policy_version
    questions = quiz.questions(version.policy)
    right = [q.answer for q in questions]
    wrong = [(q.answer + 1) % len(q.options) for q in questions]
    people = {u.email: u for u in staff}
    teacher = people.get("l.marsh@harbourside.example.com")
    if teacher is not None:
        services.quiz_submit(actor=teacher, token=str(uuid.uuid4()), version_number=version.number, answers=right)
    ta = next((u for u in staff if u.job_title == "Midday Supervisor"), None)
    if ta is not None:
        answers = right[:2] + wrong[2:]
        services.quiz_submit(actor=ta, token=str(uuid.uuid4()), version_number=version.number, answers=answers)
