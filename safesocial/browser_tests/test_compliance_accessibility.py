"""The acknowledgement, training and public pages, as the people who use them see them: no serious or critical
axe-core violations on a laptop or a phone, no sideways scrolling on a 375 px phone, no hint or label pointing at
nothing, and every group of choices announced with its question. Screenshots go to var/screenshots/."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from safesocial.compliance import quiz, services
from safesocial.people.models import User
from safesocial.testing.compliance import train
from safesocial.testing.people import make_family

from .screens import UNNAMED_GROUPS, Screen, check_on_a_laptop_and_a_phone, problems_at


@dataclass(frozen=True)
class World:
    head: User
    teacher: User
    ceo: User
    school_id: int
    parent_token: str
    pupil_token: str
    passed: str
    failed: str


@pytest.fixture
def world(live_server, seabright, head, teacher, ceo, trust, make_staff) -> World:
    owls = [
        make_family(seabright, "Nia", "Fairweather", "4O Owls", ["Dana", "Rory"]),
        make_family(seabright, "Omar", "Pennant", "4O Owls", ["Sami"]),
    ]
    version = trust.policy_version
    for person in [owls[0].pupil, *owls[0].parents]:
        services.acknowledgement_family(token=services.link_token(person, version))
    services.acknowledgement_staff(actor=head)
    train(head, ceo)
    services.training_record(
        actor=teacher,
        user=teacher,
        topic=trust.policy.training.topics[1],
        kind="refresher",
        completed_on=version.effective_from.date(),
        provider="Local authority",
        note="Online module",
    )
    questions = quiz.questions(trust.policy)
    passed, _ = services.quiz_submit(
        actor=teacher, token=str(uuid.uuid4()), version_number=version.number, answers=[q.answer for q in questions]
    )
    failed, _ = services.quiz_submit(
        actor=teacher,
        token=str(uuid.uuid4()),
        version_number=version.number,
        answers=[(q.answer + 1) % len(q.options) for q in questions],
    )
    return World(
        head=head,
        teacher=teacher,
        ceo=ceo,
        school_id=seabright.pk,
        parent_token=services.link_token(owls[1].parents[0], version),
        pupil_token=services.link_token(owls[1].pupil, version),
        passed=str(passed.token),
        failed=str(failed.token),
    )


def _wrong_code(page: Page, world: World) -> None:
    page.get_by_label("Your code").fill("nope")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")


def _bad_training(page: Page, world: World) -> None:
    page.get_by_role("button", name="Record training").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")


SCREENS = [
    Screen("compliance-index", "teacher", lambda w: "/training/", screenshots=True),
    Screen("compliance-index-head", "head", lambda w: "/training/", screenshots=True),
    Screen("compliance-acknowledge", "teacher", lambda w: "/training/acknowledge/", screenshots=True),
    Screen("compliance-record", "head", lambda w: "/training/record/", reach=_bad_training, screenshots=True),
    Screen("compliance-quiz", "teacher", lambda w: "/training/quiz/", screenshots=True),
    Screen("compliance-quiz-passed", "teacher", lambda w: f"/training/quiz/{w.passed}/", screenshots=True),
    Screen("compliance-quiz-failed", "teacher", lambda w: f"/training/quiz/{w.failed}/"),
    Screen("compliance-overdue", "head", lambda w: "/training/overdue/", screenshots=True),
    Screen("compliance-completion", "head", lambda w: "/training/completion/"),
    Screen("compliance-completion-trust", "ceo", lambda w: "/training/completion/", screenshots=True),
    Screen(
        "compliance-class", "head", lambda w: "/training/completion/seabright/class/?name=4O+Owls", screenshots=True
    ),
    Screen("compliance-school", "head", lambda w: "/training/completion/seabright/", screenshots=True),
    Screen("compliance-public-schools", None, lambda w: "/schools/"),
    Screen("compliance-public-school", None, lambda w: f"/schools/{w.school_id}/", screenshots=True),
    Screen("compliance-public-policy", None, lambda w: f"/schools/{w.school_id}/policy/"),
    Screen("compliance-code", None, lambda w: "/acknowledge/", reach=_wrong_code, screenshots=True),
    Screen("compliance-parent", None, lambda w: f"/acknowledge/{w.parent_token}/", screenshots=True),
    Screen("compliance-pupil", None, lambda w: f"/acknowledge/{w.pupil_token}/", screenshots=True),
]


@pytest.mark.browser
@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_compliance_page_is_accessible_on_a_laptop_and_a_phone(screen: Screen, world, page, sign_in, screenshot):
    check_on_a_laptop_and_a_phone(screen, world, page, sign_in, screenshot)


FORMS = [s for s in SCREENS if s.name in {"compliance-record", "compliance-quiz"}]


@pytest.mark.browser
@pytest.mark.parametrize("screen", FORMS, ids=[s.name for s in FORMS])
def test_groups_of_choices_are_announced_with_their_question(screen: Screen, world, page, sign_in):
    sign_in(getattr(world, screen.user))
    page.goto(screen.path(world))
    assert not page.evaluate(UNNAMED_GROUPS)


@pytest.mark.browser
def test_a_link_that_cannot_be_used_says_so_accessibly(page, world, screenshot):
    page.goto("/acknowledge/not-a-real-link/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link cannot be used")
    assert not problems_at(page, page.viewport_size["width"])
    screenshot(page, "desktop-compliance-link-invalid")
