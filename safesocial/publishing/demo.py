"""Demo posts for the demo trust, made through the same services staff use (safesocial/demo/builder.py sets up the
channels they go to)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from safesocial.consent.models import Purpose
from safesocial.consent.selectors import consents_for, in_force
from safesocial.people.models import Pupil, School, User

from . import services
from .models import FaceTag


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


def seed_posts(school: School, channel, teacher: User, comms: User) -> None:
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


def seed_by_hand(group, teacher: User, comms: User, assistant: User) -> None:
    """A closed group published by hand: a reviewed post out with its link recorded, one approved and waiting to be
    published, and a colleague's suggestion waiting for the group's posters."""
    out, _ = services.post_submit(
        actor=teacher,
        post=services.post_create(
            actor=teacher,
            channels=[group],
            category="information",
            text="Harvest festival is on Thursday at 2pm in the hall. Donations of tins and packets go to the "
            "local food bank.",
        ),
    )
    services.post_approve(actor=comms, post=out, notes="Checked against the diary.")
    services.delivery_record_by_hand(
        actor=teacher,
        delivery=out.deliveries.get(),
        url="https://www.facebook.com/groups/seabright-parents-example/posts/1001",
    )
    waiting, _ = services.post_submit(
        actor=teacher,
        post=services.post_create(
            actor=teacher,
            channels=[group],
            category="information",
            text="Reminder: PE kits come home on Friday to be washed, and back on Monday please.",
        ),
    )
    services.post_approve(actor=comms, post=waiting)
    if assistant is not None:
        services.suggestion_create(
            actor=assistant,
            channel=group,
            category="community",
            text="Our reading volunteers would love a few more helpers on Tuesday afternoons. Could we ask families "
            "in the group?",
        )
