"""The whole demo trust, as `./scripts/demo.sh` builds it, looked at from each part of the policy.

The trust is built once (about 15 seconds) and each part's view of it is a subtest, reported on its own."""

import pytest

from safesocial.channels.models import Channel
from safesocial.concerns.selectors import Filters, concern_list
from safesocial.demo.builder import load_demo
from safesocial.moderation.demo import VISITORS
from safesocial.moderation.models import Comment
from safesocial.people.models import ParentCarer, Pupil, User
from safesocial.people.roles import Role
from safesocial.publishing.models import DeliveryStatus, PostStatus, Suggestion, SuggestionStatus
from safesocial.publishing.selectors import suggestion_deciders


@pytest.mark.slow  # loads the whole demo trust
@pytest.mark.django_db
def test_the_demo_trust_as_each_part_of_the_policy_sees_it(settings, django_capture_on_commit_callbacks, subtests):
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):  # the demo seeds its comments once the channel is saved
        load_demo(pupils_per_school=30)

    with subtests.test("no demo visitor shares a surname with staff or a name with a family"):
        # A commenter called "Lee Marsh" read as Lucy Marsh, the demo's Year 4 teacher (l.marsh@...).
        staff_surnames = {u.full_name.split()[-1].casefold() for u in User.objects.all()}
        families = {p.full_name.casefold() for p in ParentCarer.objects.all()} | {
            f"{p.first_name} {p.last_name}".casefold() for p in Pupil.objects.all()
        }
        for name in {n for n, _ in VISITORS}:
            assert name.split()[-1].casefold() not in staff_surnames, name
            assert name.casefold() not in families, name

    with subtests.test("a refuge photo request and a suicidal pupil are escalated to the DSL"):
        # Words the rules used to miss: the semantic layer reads them, through the real classifier.
        for name in ("Kerry Ainsworth", "Tia Fairbairn"):
            comment = Comment.objects.get(author_name=name)
            assert comment.suggested_action == "escalate", comment.classification
            [safeguarding] = [c for c in comment.classification["categories"] if c["name"] == "safeguarding"]
            assert safeguarding["fired"] and safeguarding["reason"]

    with subtests.test("the disclosure on Seabright's page is immediate risk at the top of the DSL's list"):
        dsl = User.objects.get(role_assignments__school__key="seabright", role_assignments__role=Role.DSL)
        top = concern_list(dsl, Filters()).first()
        assert top.kind == "comment_disclosure" and top.triage_level == "immediate" and top.acknowledged_at is None

    with subtests.test("a closed group has a post published by hand, one waiting, and a suggestion"):
        group = Channel.objects.get(platform="facebook_group")
        assert group.is_manual and "Groups API" in group.manual_reason and group.status == "active"
        out, waiting = group.deliveries.order_by("pk")
        assert out.status == DeliveryStatus.PUBLISHED and out.external_url.startswith("https://")
        assert out.post.status == PostStatus.PUBLISHED and out.post.reviews.filter(decision="approve").exists()
        assert waiting.status == DeliveryStatus.MANUAL and waiting.post.status == PostStatus.SCHEDULED
        suggestion = Suggestion.objects.get()
        assert suggestion.status == SuggestionStatus.OPEN and suggestion.channel == group
        assert "f.gallagher@harbourside.example.com" in {u.email for u in suggestion_deciders(suggestion)}
