"""Demo channels and posts for the demo trust, made through the same services staff use."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from safesocial.channels import services as channels
from safesocial.channels.models import AccessLevel, ChannelStatus, Delivery
from safesocial.compliance.services import training_record
from safesocial.people.models import School, Trust, User
from safesocial.people.roles import Role

from . import services


def _user(school: School | None, role: Role) -> User:
    qs = User.objects.filter(role_assignments__role=role)
    qs = qs.filter(role_assignments__school=school) if school else qs.filter(role_assignments__school__isnull=True)
    return qs.order_by("date_joined", "pk").first()


def demo_photo(colour: tuple[int, int, int], label: str) -> SimpleUploadedFile:
    """A drawn picture (no real child's photo belongs in a demo)."""
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 1200, 60):
        draw.ellipse((i, 500 + (i % 180), i + 50, 550 + (i % 180)), fill=(255, 255, 255))
    draw.rectangle((80, 80, 1120, 260), fill=(255, 255, 255))
    draw.text((110, 150), label, fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(f"{label.lower().replace(' ', '-')}.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed_channels(trust: Trust) -> None:
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
        _seed_posts(school, sandbox, teacher, comms)
        if school.key == "seabright":
            seed_consent_examples(school, sandbox, teacher, comms)
            from django.db import transaction

            from safesocial.moderation.demo import seed_comments

            # Visitors comment once the posts are out, which happens when the demo's transaction commits.
            transaction.on_commit(lambda channel=sandbox: seed_comments(channel))


def _seed_posts(school: School, channel, teacher: User, comms: User) -> None:
    first, _ = services.post_submit(
        actor=teacher,
        post=services.post_create(
            actor=teacher,
            channels=[channel],
            category="events",
            text=f"Thank you to everyone who came to the {school.name} autumn fair! Together we raised "
            "money for new playground equipment.",
            images=[services.ImageUpload(demo_photo((46, 125, 50), "Autumn fair stalls"), "Stalls at the autumn fair")],
        ),
    )
    services.post_approve(actor=comms, post=first, notes="Lovely, thank you.")
    later, _ = services.post_submit(
        actor=teacher,
        post=services.post_create(
            actor=teacher,
            channels=[channel],
            category="information",
            text="Reminder: school closes at 1.30pm on the last day of term. Clubs will not run that day.",
            scheduled_for=timezone.now() + dt.timedelta(days=2),
        ),
    )
    services.post_approve(actor=comms, post=later)
    services.post_submit(
        actor=teacher,
        post=services.post_create(
            actor=teacher,
            channels=[channel],
            category="achievements",
            text="Year 4 have been learning about the Romans this half term and built a model aqueduct.",
        ),
        reviewer=comms,
    )
    # A colleague's business with a discount code: the checks flag it for the reviewer with the reason.
    services.post_submit(
        actor=teacher,
        post=services.post_create(
            actor=teacher,
            channels=[channel],
            category="community",
            text="Mr Dawson's new fitness bootcamp starts on Saturday on the school field. Parents, use code "
            "SEABRIGHT20 for 20% off your first month!",
        ),
        reviewer=comms,
    )


def seed_consent_examples(school: School, channel, teacher: User, comms: User) -> None:
    """What issue 4's demo shows: a post naming a pupil is stopped with the reason; a photo with a pupil who has no
    photo consent waits to be blurred; a published post features a pupil whose consent can then be withdrawn."""
    from pathlib import Path

    from safesocial.consent.models import Purpose
    from safesocial.consent.selectors import consents_for, in_force
    from safesocial.people.models import Pupil

    from .models import FaceTag

    pupils = list(Pupil.objects.filter(school=school).order_by("pk"))
    records = consents_for(pupils)

    def pick(want_name: bool, want_photo: bool) -> Pupil:
        return next(
            p
            for p in pupils
            if in_force(records.get(p.pk, {}), Purpose.NAME_WITH_PHOTO) == want_name
            and in_force(records.get(p.pk, {}), Purpose.SOCIAL_MEDIA) == want_photo
        )

    star = pick(True, True)
    published, _ = services.post_submit(
        actor=teacher,
        post=services.post_create(
            actor=teacher,
            channels=[channel],
            category="achievements",
            text=f"Congratulations to {star.first_name} {star.last_name}, who won the county poetry prize this week!",
        ),
    )
    services.post_approve(actor=comms, post=published, notes="Name consent checked.")
    unnamed = pick(False, True)
    services.post_submit(
        actor=teacher,
        post=services.post_create(
            actor=teacher,
            channels=[channel],
            category="achievements",
            text=f"Well done to {unnamed.first_name} {unnamed.last_name} for a brilliant assembly on kindness.",
        ),
    )
    photo = Path(__file__).with_name("demo_media") / "astronaut.jpg"
    draft = services.post_create(
        actor=teacher,
        channels=[channel],
        category="learning",
        text="Space week: Year 4 dressed up as astronauts for our science morning.",
        images=[
            services.ImageUpload(
                SimpleUploadedFile("space-week.jpg", photo.read_bytes(), content_type="image/jpeg"),
                "A child in an astronaut costume in front of a flag",
            )
        ],
    )
    faces = list(FaceTag.objects.filter(image__post=draft).order_by("-score"))
    if faces:
        services.face_tag(actor=teacher, face=faces[0], pupil=pick(False, False))
    services.post_submit(actor=teacher, post=draft)
