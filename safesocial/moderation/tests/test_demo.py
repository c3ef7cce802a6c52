"""The demo's visitors to Seabright's sandbox page: fictional, and nobody else in the demo."""

import re

import pytest

from safesocial.demo.builder import load_demo
from safesocial.moderation.demo import VISITORS

PHONE = re.compile(r"\+?\d[\d ]{8,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.mark.parametrize(("name", "text"), VISITORS)
def test_a_demo_visitor_gives_only_numbers_and_addresses_kept_for_fiction(name, text):
    for number in PHONE.findall(text):  # Ofcom's drama range for mobiles: 07700 900000 to 07700 900999
        assert re.fullmatch(r"07700 ?900\d{3}", number.strip()), number
    for address in EMAIL.findall(text):
        assert address.endswith("@example.com"), address


@pytest.mark.slow  # loads the whole demo trust
@pytest.mark.django_db
def test_no_demo_visitor_shares_a_surname_with_staff_or_a_name_with_a_family(settings):
    """A commenter called "Lee Marsh" read as Lucy Marsh, the demo's Year 4 teacher (l.marsh@...)."""
    from safesocial.people.models import ParentCarer, Pupil, User

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    load_demo(pupils_per_school=30)
    staff_surnames = {u.full_name.split()[-1].casefold() for u in User.objects.all()}
    families = {p.full_name.casefold() for p in ParentCarer.objects.all()} | {
        f"{p.first_name} {p.last_name}".casefold() for p in Pupil.objects.all()
    }
    for name in {n for n, _ in VISITORS}:
        assert name.split()[-1].casefold() not in staff_surnames, name
        assert name.casefold() not in families, name


@pytest.mark.slow  # loads the whole demo trust
@pytest.mark.django_db
def test_the_demo_escalates_a_refuge_photo_request_and_a_suicidal_pupil_to_the_dsl(
    settings, django_capture_on_commit_callbacks
):
    """Words the rules used to miss: the semantic layer reads them, through the real classifier."""
    from safesocial.moderation.models import Comment

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):  # the demo seeds its comments once the channel is saved
        load_demo(pupils_per_school=30)
    for name in ("Kerry Ainsworth", "Tia Fairbairn"):
        comment = Comment.objects.get(author_name=name)
        assert comment.suggested_action == "escalate", comment.classification
        [safeguarding] = [c for c in comment.classification["categories"] if c["name"] == "safeguarding"]
        assert safeguarding["fired"] and safeguarding["reason"]
