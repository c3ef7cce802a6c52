"""Demo data for the registers, made through their services: friendship declarations at Seabright (one decided,
one waiting, one flagged because the family it names has just joined the school), unblock requests (one approved,
one referred to senior leaders, one waiting), a remote learning risk assessment and an AI tool approval."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safesocial.people.models import Pupil, RoleAssignment, Trust, User
from safesocial.people.roles import Role
from safesocial.people.services import pupil_create

from . import services
from .models import FriendshipDeclaration, UnblockRequest


def _holder(trust: Trust, role: Role, school=None) -> User | None:
    qs = RoleAssignment.objects.filter(trust=trust, role=role, user__is_active=True).select_related("user")
    qs = qs.filter(school=school) if school is not None else qs.filter(school__isnull=True)
    assignment = qs.order_by("pk").first()
    return assignment.user if assignment else None


def seed(trust: Trust) -> None:
    if (
        FriendshipDeclaration.objects.filter(trust=trust).exists()
        or UnblockRequest.objects.filter(trust=trust).exists()
    ):
        return
    school = trust.schools.filter(key="seabright").first()
    if school is None:
        return
    head = _holder(trust, Role.HEAD, school)
    it = _holder(trust, Role.IT_SUPPORT)
    teachers = list(
        User.objects.filter(role_assignments__school=school, role_assignments__role=Role.TEACHER)
        .distinct()
        .order_by("pk")[:3]
    )
    assistant = _holder(trust, Role.SUPPORT_STAFF, school)
    if head is None or it is None or len(teachers) < 3 or assistant is None:
        return
    lucy = User.objects.filter(email="l.marsh@harbourside.example.com").first() or teachers[0]
    ellie = User.objects.filter(email="e.pritchard@harbourside.example.com").first() or teachers[1]
    pupils = list(Pupil.objects.filter(school=school).order_by("pk")[:40])

    if trust.policy.concerns.friendship_disclosure and len(pupils) >= 2:
        decided = services.friendship_declare(
            actor=lucy,
            school=school,
            pupils=[pupils[5]],
            parents=list(pupils[5].parents.all()[:1]),
            nature="Family friends for ten years; our children played football together before I joined the school.",
            platforms=["facebook", "whatsapp"],
        )
        services.friendship_decide(
            actor=head,
            declaration=decided,
            decision="limit",
            advice="You may stay connected. Keep school matters off social media, restrict what the family sees "
            "on your profile and direct any school question to the office.",
        )
        services.friendship_declare(
            actor=assistant,
            school=school,
            pupils=[pupils[12]],
            nature="The pupil's mother is my cousin.",
            platforms=["facebook", "instagram"],
        )
        # A family not yet at the school: when the child joins the roll, the declaration is flagged for update.
        services.friendship_declare(
            actor=ellie,
            school=school,
            family_names="Wren Ashcombe\nDelphine Ashcombe",
            nature="Neighbours; we are friends on Instagram. Wren starts in Reception after half term.",
            platforms=["instagram"],
        )
        pupil_create(
            actor=None,
            school=school,
            first_name="Wren",
            last_name="Ashcombe",
            date_of_birth=timezone.localdate() - dt.timedelta(days=4 * 365 + 100),
            year_group="R",
            class_name="RR Robins",
            mis_id="SEA-DEMO-WREN",
        )

    approved = services.unblock_request(
        actor=lucy,
        school=school,
        url="https://www.example.com/rivers-and-coasts/virtual-field-trip",
        reason="Year 4 geography: a virtual field trip video for next week's lesson on rivers.",
    )
    services.unblock_decide(
        actor=it, request=approved, decision="approve", note="Unblocked for staff and pupils from tomorrow."
    )
    referred = services.unblock_request(
        actor=ellie,
        school=school,
        url="https://video.example.org/channel/coding-club",
        reason="Coding club: tutorial videos on a video-sharing site the filter blocks by category.",
    )
    services.unblock_decide(
        actor=it,
        request=referred,
        decision="refer",
        note="The whole site is blocked by category for pupils; opening one channel needs a senior leader's view.",
    )
    services.unblock_request(
        actor=teachers[2],
        school=school,
        url="https://museum.example.net/collections/romans",
        reason="Year 3 history: the museum's online Roman collection is blocked as 'shopping'.",
    )

    today = timezone.localdate()
    remote = services.remote_learning_submit(
        actor=ellie,
        school=school,
        platform="Class video lessons on the school's learning platform",
        purpose="Live and recorded lessons when a class must learn from home.",
        year_groups="Years 3 to 6",
        data_protection="Pupils sign in with school accounts; recordings stay in the school's tenancy for 30 days. "
        "Data protection impact assessment done by the trust's data protection officer.",
        age_limits="No minimum age for school accounts under the education licence.",
        risks="Pupils seen at home: cameras off by default, blurred backgrounds. Chat moderated by the teacher; "
        "lessons never one-to-one without a second adult.",
        review_on=today + dt.timedelta(days=365),
    )
    services.approval_decide(
        actor=head, item=remote, approve=True, note="Approved with the safeguards listed. Review next autumn."
    )
    services.ai_tool_submit(
        actor=ellie,
        school=school,
        tool="A chatbot for planning lessons (staff use only)",
        purpose="Drafting lesson plans and differentiated worksheets.",
        data_shared="No pupil names or personal data; only the topic and year group.",
        age_restrictions="Staff only: the service's terms require users to be 18 or over.",
        risks="Inaccurate content: every output is checked by the teacher before use.",
        review_on=today + dt.timedelta(days=180),
    )
