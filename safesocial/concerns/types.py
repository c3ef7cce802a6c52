"""The kinds of concern the five policies name, and where each finds its guidance in the trust's policy.

Kept free of Django so the policy, the forms and the annual review can all read it. Each kind lists the policy's
guidance keys it looks up, most specific first: policies name their guidance broadly ("cyberbullying",
"contact_from_pupil_or_parent", "criticism_or_inappropriate_content"), so a friend request finds the guidance on
contact from pupils and parents when the trust wrote nothing more precise."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from safesocial.policy.wording import staff_conduct_route

DEFAULT_GUIDANCE = (
    "Never respond or retaliate. Save the evidence: screen prints of messages or web pages, the address (URL), "
    "the account's name and the time and date of the incident. Report it today."
)


@dataclass(frozen=True)
class ConcernType:
    key: str
    label: str
    hint: str
    public: bool  # may parents and pupils choose it on the public form?
    guidance_keys: tuple[str, ...]
    builtin_guidance: str = DEFAULT_GUIDANCE
    about_staff: bool = False  # a concern about a member of staff's conduct: routed away from the usual receivers
    staff_only: bool = False  # raised by SafeSocial itself, not chosen on a form


TYPES: tuple[ConcernType, ...] = (
    ConcernType(
        "contact_from_pupil_or_parent",
        "Contact from a pupil or parent on a personal account",
        "A pupil or parent messaged, followed or tagged you on your own social media.",
        False,
        ("contact_from_pupil_or_parent", "contact_from_pupil"),
        "Do not reply from your personal account. Save the evidence and report it to the DSL or the head.",
    ),
    ConcernType(
        "friend_request",
        "Friend or follow request from a pupil or parent",
        "A pupil or parent asked to be your friend or to follow you on a personal account.",
        False,
        ("friend_request", "contact_from_pupil_or_parent", "contact_from_pupil"),
        "Do not accept or reply. Take a screenshot of the request and report it.",
    ),
    ConcernType(
        "cyberbullying_of_pupil",
        "Cyberbullying of a pupil",
        "A pupil is being bullied, threatened or humiliated online.",
        True,
        ("cyberbullying_of_pupil", "cyberbullying"),
    ),
    ConcernType(
        "cyberbullying_of_staff",
        "Cyberbullying or harassment of a member of staff",
        "A member of staff is being bullied, threatened or harassed online.",
        True,
        ("cyberbullying_of_staff", "cyberbullying", "harassment"),
    ),
    ConcernType(
        "inappropriate_content",
        "Inappropriate content accessed or seen",
        "Content that is harmful or unsuitable was seen in school or on a school device.",
        True,
        ("inappropriate_content", "criticism_or_inappropriate_content"),
        "Do not share or forward it. Note the address (URL) and the time, and report it so the site can be blocked.",
    ),
    ConcernType(
        "pupil_online_behaviour",
        "A pupil's harmful online behaviour",
        "A pupil is behaving online in a way that could harm them or others.",
        True,
        ("pupil_online_behaviour",),
    ),
    ConcernType(
        "parent_post",
        "A parent's or community member's post about the school, staff or pupils",
        "Someone posted about the school, a member of staff or pupils in a way that may be inappropriate.",
        True,
        ("parent_post", "criticism_or_inappropriate_content"),
        "Do not engage online. Save the evidence; the school will follow the parent escalation steps.",
    ),
    ConcernType(
        "staff_online_conduct",
        "A member of staff's online conduct",
        "A colleague's use of social media may break the code of conduct. It never goes to them.",
        True,
        ("staff_online_conduct", "staff_conduct"),
        "Do not raise it with the colleague. Save the evidence and report it: it goes to {about_staff}.",
        about_staff=True,
    ),
    ConcernType(
        "ai_misuse",
        "Misuse of AI, deepfakes",
        "Images, audio or text made or altered with AI to deceive, shame or harm someone.",
        True,
        ("ai_misuse", "deepfakes", "deepfake"),
        "Do not share it, even to warn others. Save the evidence and where you saw it, and report it today.",
    ),
    ConcernType(
        "underage_account",
        "An underage account",
        "A pupil has an account on a service that is not allowed at their age.",
        True,
        ("underage_account",),
        "Do not contact the account. Note the platform and the account's name, and report it.",
    ),
    ConcernType(
        "criticism_of_school",
        "Criticism or inappropriate content about the school",
        "Criticism of the school, or content about it, posted anywhere online.",
        True,
        ("criticism_of_school", "criticism_or_inappropriate_content", "parent_post"),
        "Do not respond online. Save the evidence; it is recorded so that patterns can be tracked.",
    ),
    ConcernType(
        "comment_disclosure",
        "A comment on an official channel that may disclose a risk to a child",
        "Raised by SafeSocial's moderation.",
        False,
        ("comment_disclosure",),
        staff_only=True,
    ),
    ConcernType(
        "comment_threat",
        "A threatening comment on an official channel",
        "Raised by SafeSocial's moderation.",
        False,
        ("comment_threat",),
        staff_only=True,
    ),
)

BY_KEY: dict[str, ConcernType] = {t.key: t for t in TYPES}
# Reports of content seen in school, so the site can be blocked: these also reach `concerns.content_reports_to`.
CONTENT_REPORT_KINDS = ("inappropriate_content",)
CHOICES = [(t.key, t.label) for t in TYPES]
REPORTABLE = [t for t in TYPES if not t.staff_only]
PUBLIC = [t for t in TYPES if t.public]


def concern_type(key: str) -> ConcernType:
    return BY_KEY[key]


def guidance_for(key: str, policy: Any) -> tuple[str, str]:
    """(guidance text, where it came from): the policy's own words for this kind, or a broader kind's,
    or SafeSocial's built-in advice."""
    kind = BY_KEY.get(key)
    if kind is None:
        return DEFAULT_GUIDANCE, "SafeSocial"
    written: dict[str, str] = dict(policy.concerns.guidance) if policy is not None else {}
    for name in kind.guidance_keys:
        if written.get(name):
            return written[name], "policy"
    # Built-in advice names who receives it in the policy's own roles (`concerns.about_staff_to`, `about_head_to`).
    route = staff_conduct_route(policy) if policy is not None else "the headteacher (or the CEO when it is about them)"
    return kind.builtin_guidance.replace("{about_staff}", route), "SafeSocial"


def retention_years_for(key: str, policy: Any) -> int:
    """How long this kind is kept: the policy's figure for the kind (or a broader kind), else its default."""
    years: dict[str, int] = dict(policy.concerns.retention_years) if policy is not None else {}
    kind = BY_KEY.get(key)
    for name in kind.guidance_keys if kind else (key,):
        if name in years:
            return years[name]
    return years.get("default", 25)


# Where things happen. Moderation's channel platforms map onto these for pattern-finding.
PLATFORMS: tuple[tuple[str, str], ...] = (
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("tiktok", "TikTok"),
    ("snapchat", "Snapchat"),
    ("whatsapp", "WhatsApp"),
    ("x", "X (formerly Twitter)"),
    ("youtube", "YouTube"),
    ("discord", "Discord"),
    ("roblox", "Roblox"),
    ("linkedin", "LinkedIn"),
    ("email", "Email or text message"),
    ("other", "Other"),
)
PLATFORM_LABELS = dict(PLATFORMS)
CHANNEL_PLATFORMS = {"facebook_page": "facebook", "facebook_group": "facebook"}


def platform_of_channel(channel_platform: str) -> str:
    return CHANNEL_PLATFORMS.get(channel_platform, channel_platform if channel_platform in PLATFORM_LABELS else "other")


_PROFILE_URL = re.compile(r"^(?:https?://)?(?:www\.|m\.)?[a-z0-9.-]+\.[a-z]{2,}/(?:@)?", re.I)


def normalise_handle(handle: str) -> str:
    """One account, however staff typed it: '@Jo.Bloggs ', 'jo.bloggs', 'https://www.instagram.com/jo.bloggs/'
    and 'Jo Bloggs' all become 'jo.bloggs' or 'jobloggs' (case, spaces, a leading @ and a profile address ignored)."""
    text = handle.strip()
    text = _PROFILE_URL.sub("", text).strip("/")
    text = text.split("?")[0].lstrip("@")
    return re.sub(r"\s+", "", text).lower()[:120]


def account_key(platform: str, handle: str) -> str:
    normal = normalise_handle(handle)
    return f"{platform or 'other'}:{normal}" if normal else ""
