"""Demo concerns across the Harbourside schools, made through the services by the people who would make them.

Three concerns name the same parent's Facebook account at two schools (Seabright and Millbrook), so the trust
safeguarding lead's pattern page shows it; one case at Kestrel Bank is closed with a debrief; one concern is about a
member of staff at Seabright (the heads see it, she does not). Evidence files are small PNGs drawn here. All names
come from the demo's own fictional records."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from PIL import Image, ImageDraw

from safesocial.people.models import ParentCarer, Pupil, RoleAssignment, School, Trust, User
from safesocial.people.roles import Role

from . import services
from .models import Concern, Source
from .services import People, Upload


def _png(lines: list[str], accent: tuple[int, int, int] = (24, 119, 242)) -> bytes:
    """A plain 'screenshot': a coloured bar and a few lines of text, made locally."""
    image = Image.new("RGB", (480, 260), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 480, 40], fill=accent)
    draw.text((12, 12), lines[0], fill="white")
    for i, line in enumerate(lines[1:]):
        draw.text((16, 60 + 28 * i), line, fill=(28, 30, 33))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _file(name: str, lines: list[str]) -> Upload:
    data = _png(lines)
    return Upload(name=name, size=len(data), chunks=[data])


def _staff(school: School, job_title: str) -> User | None:
    return (
        User.objects.filter(role_assignments__school=school, job_title=job_title, is_active=True).order_by("pk").first()
    )


def _holder(school: School, role: Role) -> User | None:
    found = RoleAssignment.objects.filter(school=school, role=role).select_related("user").order_by("pk").first()
    return found.user if found else None


def _ago(days: int, hour: int = 19) -> dt.datetime:
    moment = timezone.localtime() - dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=20, second=0, microsecond=0)


def seed(trust: Trust) -> None:
    """Running it twice adds nothing."""
    if Concern.objects.filter(trust=trust).exclude(source=Source.MODERATION).exists():
        return
    schools = {s.key: s for s in trust.schools.all()}
    seabright, millbrook, kestrel = (schools.get(k) for k in ("seabright", "millbrook", "kestrel-bank"))
    if not (seabright and millbrook and kestrel):
        return
    parent = ParentCarer.objects.filter(trust=trust, pupils__school=seabright).distinct().order_by("pk").first()
    ta = _staff(seabright, "Teaching Assistant")
    year4 = _staff(seabright, "Year 4 Teacher")
    computing = _staff(seabright, "Computing Lead")
    comms = _staff(seabright, "Communications Lead")
    mill_teacher = _staff(millbrook, "Year 4 Teacher")
    mill_dsl = _holder(millbrook, Role.DSL)
    kestrel_teacher = _staff(kestrel, "Year 5 Teacher") or _staff(kestrel, "Year 4 Teacher")
    kestrel_dsl = _holder(kestrel, Role.DSL) or _holder(kestrel, Role.HEAD)
    deputy = (
        RoleAssignment.objects.filter(school=seabright, role=Role.DEPUTY_DSL)
        .exclude(user__role_assignments__role=Role.HEAD)
        .select_related("user")
        .first()
    )
    seabright_dsl = _holder(seabright, Role.DSL)
    if not all([parent, ta, year4, computing, comms, mill_teacher, kestrel_teacher, seabright_dsl]):
        return
    handle = parent.full_name  # as the name shows on Facebook
    child = parent.pupils.filter(school=seabright).first()

    # 1. A teaching assistant's friend request from a parent: open, with an action for the deputy DSL.
    first = services.concern_report(
        actor=ta,
        school=seabright,
        kind="friend_request",
        summary=f"A friend request on my personal Facebook account from {handle}, whose child is in the class I "
        "support. I have not accepted it or replied.",
        occurred_at=_ago(9, 21),
        platform="facebook",
        account_handle=handle,
        people=People(parents=[parent], pupils=[child] if child else []),
        at_risk_now="no",
        harm_likely="no",
        files=[_file("friend-request.png", ["Facebook", "Friend request", handle, "Confirm    Delete"])],
    ).concern
    if deputy:
        services.action_add(
            actor=seabright_dsl,
            concern=first,
            description="Remind the parent, politely, that staff do not connect with families on personal accounts",
            assigned_to=deputy.user,
            due_on=timezone.localdate() + dt.timedelta(days=3),
        )

    # 2. The same parent posts about a teacher in a community group.
    services.concern_report(
        actor=year4,
        school=seabright,
        kind="parent_post",
        summary="A post in the village community Facebook group criticising a named teacher over the Year 4 trip, "
        "with other parents joining in. Screenshot attached; I have not commented.",
        occurred_at=_ago(20),
        platform="facebook",
        url="https://www.facebook.com/groups/example-community/posts/1001",
        account_handle=handle,
        people=People(parents=[parent]),
        at_risk_now="no",
        harm_likely="no",
        files=[
            _file("community-post.png", ["Facebook group", handle, "That teacher should be ashamed...", "14 comments"])
        ],
    )

    # 3. At Millbrook, the same account: it is the same person across two schools.
    services.concern_report(
        actor=mill_teacher,
        school=millbrook,
        kind="criticism_of_school",
        summary="The same community group: a post about Millbrook's sports day naming pupils who 'should not have "
        "won'. It includes a photo of the race.",
        occurred_at=_ago(12, 18),
        platform="facebook",
        url="https://www.facebook.com/groups/example-community/posts/1044",
        account_handle=handle,
        at_risk_now="no",
        harm_likely="yes",
        files=[_file("sports-day-post.png", ["Facebook group", handle, "Sports day was a fix...", "Photo"])],
    )

    # 4. Third time, back at Seabright: the pattern alert fires for the trust's safeguarding lead.
    services.concern_report(
        actor=computing,
        school=seabright,
        kind="parent_post",
        summary="A new post sharing a photo from the school's own Facebook page with a pupil's face circled and a "
        "mocking caption.",
        occurred_at=_ago(2, 20),
        platform="facebook",
        account_handle=handle,
        people=People(parents=[parent]),
        at_risk_now="no",
        harm_likely="yes",
        files=[_file("shared-photo.png", ["Facebook", handle, "Shared a photo", "Look at this one..."])],
    )

    # 5. Kestrel Bank: cyberbullying of a pupil, handled and closed with a debrief.
    pupil = Pupil.objects.filter(school=kestrel, year_group="6").order_by("pk").first()
    closed = services.concern_report(
        actor=kestrel_teacher,
        school=kestrel,
        kind="cyberbullying_of_pupil",
        summary="A pupil told me that a group chat of Year 6 children had been sharing an edited photo of them "
        "with unkind captions. They showed me on their phone; I took a photo of the screen.",
        occurred_at=_ago(40, 16),
        platform="whatsapp",
        people=People(pupils=[pupil] if pupil else []),
        at_risk_now="no",
        harm_likely="yes",
        files=[_file("group-chat.png", ["WhatsApp", "Y6 chat", "[edited photo]", "lol look at this"])],
    ).concern
    if kestrel_dsl:
        today = timezone.localdate()
        services.concern_record_step(
            actor=kestrel_dsl,
            concern=closed,
            step="parents",
            on=today - dt.timedelta(days=38),
            text="Spoke to the parents of the pupil and of the children in the chat.",
        )
        advice = services.referral_record(
            actor=kestrel_dsl,
            concern=closed,
            kind="la_advice",
            made_on=today - dt.timedelta(days=37),
            contact="The duty adviser",
            details="Asked whether to involve the police over the edited image.",
        )
        services.referral_outcome(
            actor=kestrel_dsl,
            referral=advice,
            outcome="Not a police matter: deal with it in school under the anti-bullying policy, with the parents.",
            on=today - dt.timedelta(days=37),
            follow_up_on=None,
        )
        services.chronology_add(
            actor=kestrel_dsl,
            concern=closed,
            text="Met the children in the chat with their class teacher. The image was deleted from the chat and "
            "from their phones in front of their parents.",
        )
        services.concern_close(
            actor=kestrel_dsl,
            concern=closed,
            outcome="The image was removed; restorative meeting held; the pupil says things are better.",
            lessons="Pupils did not know that editing a classmate's photo is bullying. Year 6 online safety lessons "
            "should cover edited images and group chats before the spring term.",
            policy_change=False,
            curriculum_change=True,
        )

    # 6. A concern about a colleague's online conduct: to the heads of Seabright, never to her.
    services.concern_report(
        actor=computing,
        school=seabright,
        kind="staff_online_conduct",
        summary="A public Instagram post from a colleague's personal account shows pupils in school uniform on the "
        "school trip, with the school's name in the caption.",
        occurred_at=_ago(5, 20),
        platform="instagram",
        account_handle=f"@{comms.full_name.lower().replace(' ', '.')}",
        people=People(staff_subjects=[comms]),
        at_risk_now="no",
        harm_likely="not_sure",
        files=[_file("instagram-post.png", ["Instagram", "Trip day!", "[photo of pupils]", "#seabright"])],
    )

    # 7. Millbrook: a deepfake, open, referred to children's social care (MASH) with a follow-up in two days.
    if mill_dsl:
        deepfake = services.concern_report(
            actor=mill_dsl,
            school=millbrook,
            kind="ai_misuse",
            summary="A parent showed the office a TikTok video in which a pupil's face appears to have been swapped "
            "onto someone else's body using an app.",
            occurred_at=_ago(1, 8),
            platform="tiktok",
            account_handle="@y6.edits",
            at_risk_now="no",
            harm_likely="yes",
        ).concern
        services.referral_record(
            actor=mill_dsl,
            concern=deepfake,
            kind="mash",
            made_on=timezone.localdate(),
            contact="Harbourside MASH duty desk (the duty social worker)",
            reference="MASH-2026-04417",
            details="Told them about the video and the account; asked whether the image is sexualised.",
            follow_up_on=timezone.localdate() + dt.timedelta(days=2),
        )

    # 9. An old record past its retention period, for the retention review: a concern about a colleague's post in
    # 2014, closed then; the policy keeps staff-conduct records 10 years, so it is due for destruction or a reason.
    kestrel_head = _holder(kestrel, Role.HEAD)
    if kestrel_head and kestrel_teacher and kestrel_dsl and kestrel_dsl != kestrel_teacher:
        old = services.concern_report(
            actor=kestrel_dsl,
            school=kestrel,
            kind="staff_online_conduct",
            summary="A colleague's public Facebook post complained about a parent by first name after a meeting.",
            platform="facebook",
            people=People(staff_subjects=[kestrel_teacher]),
            at_risk_now="no",
            harm_likely="no",
        ).concern
        lado = services.referral_record(
            actor=kestrel_head,
            concern=old,
            kind="lado",
            made_on=timezone.localdate(),
            contact="The LADO",
            details="Described the post and that it was taken down the same day.",
        )
        services.referral_outcome(
            actor=kestrel_head,
            referral=lado,
            outcome="Does not meet the threshold: for the school to handle as a conduct matter.",
            on=timezone.localdate(),
            follow_up_on=None,
        )
        services.concern_close(
            actor=kestrel_head,
            concern=old,
            outcome="The post was taken down the same day; advice given and noted on file.",
            lessons="Staff refresher on posting about parents.",
            policy_change=False,
            curriculum_change=False,
        )
        then = timezone.make_aware(dt.datetime(2014, 11, 3, 16, 40))
        Concern.objects.filter(pk=old.pk).update(created_at=then, closed_at=then + dt.timedelta(days=9))
        old.refresh_from_db()
        services._set_retention(old)

    # 8. The public form: a parent reports an underage account at Kestrel Bank.
    services.concern_report_public(
        school=kestrel,
        kind="underage_account",
        summary="My daughter (Year 3) says a girl in her class has a Snapchat account and has been adding children "
        "from the class.",
        platform="snapchat",
        reporter_relationship="parent",
        reporter_contact="07700 900123",
    )
