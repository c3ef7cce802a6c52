"""The schema of a trust's social media policy file.

Every rule on which the five reference policies disagree is a field here; the code asks these
fields rather than assuming an answer. docs/policy-schema.md documents each field for trusts.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    field_validator,
    model_validator,
)

from safesocial.people.roles import ExtraRole, Role

from .approvers import DECLARED_ROLES, Approvers, RoleKey
from .categories import CATEGORIES

SLUG = r"^[a-z0-9][a-z0-9-]*$"
# An absolute http(s) address with a host, and no spaces or control characters anywhere (browsers drop a tab or a
# newline, so "java\tscript:" would still run). No user@ part: "https://school.example.com@elsewhere" misleads.
_HTTP_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f/?#@\\]+(?:[/?#][^\s\x00-\x1f\x7f]*)?", re.IGNORECASE)


def is_http_url(value: object) -> bool:
    """Whether a page may make `value` a live link: `javascript:` or `data:` would run or show whatever they carry
    when a parent clicks it, and a relative address would point into SafeSocial itself."""
    return isinstance(value, str) and _HTTP_URL.fullmatch(value) is not None


def _http_url(value: str) -> str:
    if not is_http_url(value):
        raise ValueError(f"'{value}' is not a web address: give the whole address, starting https:// (or http://)")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt rule must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Platform(StrEnum):
    FACEBOOK_PAGE = "facebook_page"
    FACEBOOK_GROUP = "facebook_group"
    INSTAGRAM = "instagram"
    X = "x"
    YOUTUBE = "youtube"
    LINKEDIN = "linkedin"
    OTHER = "other"


PLATFORM_LABELS = {
    Platform.FACEBOOK_PAGE: "Facebook Page",
    Platform.FACEBOOK_GROUP: "Facebook closed group",
    Platform.INSTAGRAM: "Instagram",
    Platform.X: "X (formerly Twitter)",
    Platform.YOUTUBE: "YouTube",
    Platform.LINKEDIN: "LinkedIn",
    Platform.OTHER: "Other",
}


class StaffPersonalUse(StrEnum):
    """When staff may use social media for themselves during the school day."""

    OUTSIDE_TEACHING_TIME = "outside_teaching_time"  # policy 000, 001
    BREAKS = "breaks"  # policy 002
    BREAKS_IN_DESIGNATED_AREAS = "breaks_in_designated_areas"  # policy 003
    NOT_PERMITTED = "not_permitted"  # policy 004


class PupilPersonalUse(StrEnum):
    NOT_PERMITTED = "not_permitted"
    CURRICULUM_ONLY = "curriculum_only"


class ModerationAction(StrEnum):
    HIDE = "hide"  # hide at once, a moderator confirms afterwards
    REVIEW = "review"  # keep visible, queue for a moderator
    ESCALATE = "escalate"  # hide and raise a safeguarding concern with the DSL
    SUGGEST_REPLY = "suggest_reply"  # keep, queue with a polite reply template
    ALLOW = "allow"


class ReviewerRule(StrEnum):
    ANY_COLLEAGUE = "any_colleague"  # "read and agreed by at least one other colleague"
    ROLES = "roles"  # only holders of the listed roles, e.g. the administration team


class School(Strict):
    key: Annotated[str, Field(pattern=SLUG)]
    name: str
    urn: str | None = None
    phase: Literal["nursery", "primary", "secondary", "all-through", "special", "alternative"] = "primary"


LOGO_MAX_CHARS = 300_000  # a letterhead logo travels in every policy version: a few hundred KB at most
_DATA_LOGO = re.compile(r"data:image/(png|svg\+xml);base64,[A-Za-z0-9+/=\s]+")


def _logo(value: str) -> str:
    """A logo is carried inside the policy (inline SVG, or a PNG or SVG as a base64 `data:` address), so it is
    versioned with the policy, reaches every machine and is never fetched from the network."""
    value = value.strip()
    if len(value) > LOGO_MAX_CHARS:
        raise ValueError(f"the logo is too large: keep it under {LOGO_MAX_CHARS // 1000} KB (an SVG, or a small PNG)")
    if value.startswith("<svg") or (value.startswith("<?xml") and "<svg" in value):
        if not value.rstrip().endswith("</svg>"):
            raise ValueError("the logo's SVG must end with </svg>")
        return value
    if _DATA_LOGO.fullmatch(value):
        return value
    raise ValueError(
        "give the logo as SVG (starting <svg) or as a data: address (data:image/png;base64,... or "
        "data:image/svg+xml;base64,...); a web address is not fetched"
    )


class Trust(Strict):
    name: str
    short_name: str | None = None
    website: HttpUrl | None = None
    schools: Annotated[list[School], Field(min_length=1)]
    # The letterhead on every letter and printout: the postal address a line at a time, and how to reach the trust.
    address: list[Annotated[str, Field(min_length=1, max_length=120)]] = []
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: str | None = None
    logo: Annotated[str, AfterValidator(_logo)] | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError(f"'{value}' is not an email address")
        return value.lower() if value else value

    @model_validator(mode="after")
    def _unique_school_keys(self) -> Trust:
        seen: set[str] = set()
        for school in self.schools:
            if school.key in seen:
                raise ValueError(f"school key '{school.key}' is used twice")
            seen.add(school.key)
        return self


class HistoryEntry(Strict):
    date: dt.date
    event: str
    by: str | None = None


class Document(Strict):
    title: str = "Social Media Policy"
    version: str
    written: dt.date
    approved_by: str  # the body that approves the policy, e.g. "Trust Board"
    approved_on: dt.date | None = None
    history: list[HistoryEntry] = []


class GuidanceUpdate(Strict):
    """New national or local guidance the policy must answer, e.g. a new Keeping Children Safe in Education."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    published: dt.date


class EarlyReview(Strict):
    # A concern closed with a debrief saying the policy should change opens the review at once.
    after_debrief: bool = False
    # Guidance published after the version in force was adopted opens the review from its publication date.
    guidance: list[GuidanceUpdate] = []


class Review(Strict):
    cadence_months: Annotated[int, Field(ge=1, le=36)] = 12
    next_review: dt.date
    # who drafts and is reminded, who approves, and which body notes the new version
    reminders_to: Annotated[list[RoleKey], Field(min_length=1)]
    approver: Approvers  # a role, all_of: [roles] (each signs) or any_of: [roles]
    noted_by: str | None = None
    also_after: list[str] = ["any incident or local concern", "changes to national or local guidance"]
    # Reminders before next_review: two months, one month, one week and the day before by default.
    reminder_days_before: Annotated[list[Annotated[int, Field(ge=0, le=366)]], Field(min_length=1)] = [61, 30, 7, 1]
    # What brings the review forward, before next_review (policy 000: "revised following any national or local
    # policy updates, any local concerns").
    early: EarlyReview = EarlyReview()


class Contact(Strict):
    name: str
    email: str
    job_title: str
    roles: Annotated[list[RoleKey], Field(min_length=1)]  # SafeSocial's roles or the trust's own (roles:)
    school: str | None = None  # a school key; none means trust-wide
    phone: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError(f"'{value}' is not an email address")
        return value.lower()


class OfficialChannel(Strict):
    name: str
    platform: Platform
    school: str | None = None  # a school key; none means the trust's own channel
    url: HttpUrl | None = None


DEFAULT_ACCEPTABLE_USE = """I will use official accounts only for the school's purposes, from school accounts and,
where the policy says so, school devices.
I will not share the account's login with anyone, and I will log out after use.
I will post only what a colleague has read and agreed, and never a pupil's name or photo without recorded consent.
I will not use official accounts to contact pupils or parents privately.
I will report anything worrying I see on the account to the designated safeguarding lead at once."""


class Channels(Strict):
    approver: Approvers  # who risk-assesses and signs off a new official channel: a role, all_of or any_of
    co_approvers: list[RoleKey] = []  # the older way to write all_of: these sign as well as the approver
    poster_authoriser: Approvers  # who grants posting and admin access: a role, or any_of (one person grants)
    emergency_access: Annotated[list[RoleKey], Field(min_length=1)]  # "leadership staff" who may break glass
    moderators: list[RoleKey] = []  # who moderates comments, e.g. the PA to the CEO; none: channel administrators
    review_months: Annotated[int, Field(ge=1, le=36)] = 12
    aup_signature_required: bool = True
    school_devices_only: bool = False
    follow_commercial_pages: bool = True
    setup_considerations: list[str] = []
    official: list[OfficialChannel] = []
    # The social media acceptable use agreement staff sign before they are given access to a channel.
    acceptable_use: str = DEFAULT_ACCEPTABLE_USE
    # The longest a grant of posting or admin access may run before it is renewed after review.
    access_max_months: Annotated[int, Field(ge=1, le=60)] = 24

    @field_validator("poster_authoriser")
    @classmethod
    def _one_authoriser(cls, value: Approvers) -> Approvers:
        if value.needs_every_role:
            raise ValueError("access is granted by one person: name one role, or any_of: [roles]")
        return value

    @model_validator(mode="after")
    def _co_approvers_with_all_of(self) -> Channels:
        if self.co_approvers and not self.approver.single and self.approver.mode == "any_of":
            raise ValueError(
                "co_approvers sign as well as the approver, so they cannot follow approver: {any_of: [...]}; "
                "write approver: {all_of: [...]} instead"
            )
        return self

    @property
    def approvers(self) -> Approvers:
        """Everyone who must sign a new channel off: the approver and any co_approvers (all of them)."""
        if not self.co_approvers:
            return self.approver
        extra = tuple(r for r in self.co_approvers if r not in self.approver.roles)
        return Approvers("all_of", (*self.approver.roles, *extra))


class PostCategory(Strict):
    key: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str


class Posts(Strict):
    reviewers: ReviewerRule
    reviewer_roles: list[RoleKey] = []
    reviewers_required: Annotated[int, Field(ge=1, le=5)] = 1
    categories: Annotated[list[PostCategory], Field(min_length=1)]
    criteria: list[str] = []
    consent_required_for: list[Literal["names", "photos", "video"]] = ["names", "photos"]
    # Who a colleague's suggestion for a post goes to (policy 001: "speak to your Headteacher"); none: the channel's
    # authorised posters.
    suggestions_to: RoleKey | None = None

    @model_validator(mode="after")
    def _roles_when_roles(self) -> Posts:
        if self.reviewers == ReviewerRule.ROLES and not self.reviewer_roles:
            raise ValueError("reviewers is 'roles' but reviewer_roles is empty")
        return self


class PersonalUse(Strict):
    staff_in_school_hours: StaffPersonalUse
    staff_rules: list[str] = []
    pupils_in_school_hours: PupilPersonalUse = PupilPersonalUse.NOT_PERMITTED
    pupil_rules: list[str] = []
    minimum_account_age: Annotated[int, Field(ge=0, le=18)] = 13
    staff_may_befriend_former_pupils_over: int | None = None  # policy 003: "under the age of 18"
    # Whom staff tell when content they shared conflicts with their role (policies 000, 003, 004: "notify the
    # leadership team immediately"): a line of the guidance on reporting a member of staff's online conduct.
    own_content_conflict_to: Annotated[str, Field(min_length=1, max_length=120)] | None = None


class CategoryRule(Strict):
    action: ModerationAction
    threshold: Annotated[float, Field(gt=0, le=1)] = 0.5


DEFAULT_COMPLAINT_REPLY = (
    "Thank you for getting in touch. We want to put this right, and a comment thread is not the best place to do "
    "it: please contact the school office, who will look into it through our complaints procedure."
)


class Moderation(Strict):
    # None written: SafeSocial's usual settings (moderation/thresholds.py) decide every category.
    categories: dict[str, CategoryRule] = {}
    repeat_offender_threshold: Annotated[int, Field(ge=1, le=50)] = 3
    repeat_offender_window_days: Annotated[int, Field(ge=1, le=730)] = 365
    remove_within_hours: Annotated[int, Field(ge=1, le=168)] | None = None
    # The reply a moderator is offered for a complaint left as a comment (action suggest_reply).
    complaint_reply: Annotated[str, Field(min_length=1, max_length=1000)] = DEFAULT_COMPLAINT_REPLY

    @field_validator("categories")
    @classmethod
    def _known(cls, value: dict[str, CategoryRule]) -> dict[str, CategoryRule]:
        unknown = sorted(set(value) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown moderation categories {unknown}; choose from {list(CATEGORIES)}")
        return value


class EscalationStep(Strict):
    key: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    title: str
    description: str = ""


DEFAULT_WARNING_LETTER = """Dear {parent_name},

We are writing to you about {summary}, which came to the school's attention on {incident_date}.

Our social media policy asks every parent and carer to be respectful towards, and about, members of staff, other
families and the school, and to raise any concern or complaint through the school's own channels so that it can be
dealt with properly. What was posted does not meet those expectations.

We ask that you remove it by {remove_by}. If you have a concern or complaint, please contact the school office and
it will be dealt with under our complaints procedure.

If the matter is not resolved, the school will take the next steps set out in the policy.

Yours sincerely,

{signed_by}
{job_title}
{school_name}"""


class EsafetyMeeting(Strict):
    date: dt.date
    title: Annotated[str, Field(min_length=1, max_length=120)] = "Online safety meeting for parents and carers"
    school: str | None = None  # a school key; none means every school


class Signatory(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    job_title: Annotated[str, Field(min_length=1, max_length=150)]


DEFAULT_FAMILY_GUIDANCE = "You can talk to the school office, or to a member of staff you know, about any worry."


class Parents(Strict):
    expectations: list[str] = []
    should_not: list[str] = []
    escalation: list[EscalationStep] = []
    escalation_managed_by: Annotated[list[RoleKey], Field(min_length=1)] = [Role.HEAD, Role.DSL, Role.DEPUTY_DSL]
    # Placeholders: {parent_name} {school_name} {summary} {incident_date} {remove_by} {signed_by} {job_title} {date}
    warning_letter: str = DEFAULT_WARNING_LETTER
    # Who families talk to first about a worry (policy 000: "the child's class teacher should always be the first
    # port of call"); shown on the public school page, the family acknowledgement page and the letters.
    family_guidance: Annotated[str, Field(min_length=1, max_length=500)] = DEFAULT_FAMILY_GUIDANCE
    # Who signs every warning letter; none: the person who makes the letter signs it, with their job title.
    warning_letter_signatory: Signatory | None = None
    # Online safety meetings for parents and carers (policy 002), shown on each public school page until they pass.
    esafety_meetings: list[EsafetyMeeting] = []
    # How families who do not use social media still get everything (policy 000: "does not exclude members of the
    # community who are unable or unwilling to use social media"), shown on each public school page.
    without_social_media: Annotated[str, Field(max_length=600)] | None = None

    def meetings_for(self, school_key: str, today: dt.date) -> list[EsafetyMeeting]:
        """The e-safety meetings a school's families can still come to, soonest first."""
        mine = [m for m in self.esafety_meetings if m.school in (None, school_key) and m.date >= today]
        return sorted(mine, key=lambda m: m.date)


TriageMeaning = Literal["immediate", "significant", "low", "information"]


class TriageLevel(Strict):
    """One level of the trust's triage scale. `means` says which of SafeSocial's four it stands for, so the
    reporter's answers find the trust's own level and immediate risk reaches every receiver at once."""

    key: Annotated[str, Field(pattern=SLUG, max_length=40)]
    label: Annotated[str, Field(min_length=1, max_length=80)]
    means: TriageMeaning


DEFAULT_TRIAGE_LEVELS = [
    TriageLevel(key="immediate", label="Immediate risk of harm", means="immediate"),
    TriageLevel(key="significant", label="Significant", means="significant"),
    TriageLevel(key="low", label="Low", means="low"),
    TriageLevel(key="information", label="Information only", means="information"),
]
_TRIAGE_ORDER = {"immediate": 0, "significant": 1, "low": 2, "information": 3}


class Concerns(Strict):
    report_to: Annotated[list[RoleKey], Field(min_length=1)]  # who receives a concern at a school
    trust_lead: RoleKey | None = None  # a trust-wide role who sees every school's concerns
    about_staff_to: RoleKey  # a concern about a colleague goes to ...
    about_head_to: RoleKey  # ... and one about a holder of about_staff_to (the head) goes to ...
    about_leader_to: RoleKey = Role.GOVERNOR  # ... and one about that person (e.g. the CEO) to the chair of trustees
    external_advice: str  # e.g. the local authority's education safeguarding service
    friendship_disclosure: bool = True  # staff declare pre-existing friendships with families
    friendship_discussed_with: list[RoleKey] = []
    friendship_decided_by: RoleKey = Role.HEAD  # who decides on a staff member's declaration
    # A declared friendship is confirmed again (still true, still decided) this many days after its confirmation.
    friendship_reconfirm_days: Annotated[int, Field(ge=30, le=1096)] = 365
    # Besides the usual receivers, who gets reports of inappropriate content seen in school, so the site can be blocked
    # (policy 002: "reported to the IT Support Team").
    content_reports_to: list[RoleKey] = []
    guidance: dict[str, str] = {}  # keyed by concern type; see docs/policy-schema.md
    retention_years: dict[str, int] = {}  # keyed by concern type, with "default"
    # The same person, pupil or account in this many concerns within the window raises a pattern alert.
    pattern_threshold: Annotated[int, Field(ge=2, le=50)] = 3
    pattern_window_days: Annotated[int, Field(ge=1, le=3650)] = 365
    # Most urgent first: the concern list sorts by this order, then by age.
    triage_levels: Annotated[list[TriageLevel], Field(min_length=1, max_length=10)] = DEFAULT_TRIAGE_LEVELS
    # An immediate-risk concern nobody has acknowledged after this long is sent to every receiver again, once.
    chase_unacknowledged_minutes: Annotated[int, Field(ge=1, le=1440)] = 15

    @field_validator("triage_levels")
    @classmethod
    def _triage_scale(cls, levels: list[TriageLevel]) -> list[TriageLevel]:
        keys = [level.key for level in levels]
        if len(set(keys)) != len(keys):
            raise ValueError("each triage level needs its own key")
        if not any(level.means == "immediate" for level in levels):
            raise ValueError("the scale needs a level that means immediate (a child at risk of harm right now)")
        ranks = [_TRIAGE_ORDER[level.means] for level in levels]
        if ranks != sorted(ranks):
            raise ValueError("list the triage levels most urgent first (immediate, significant, low, information)")
        return levels


class Registers(Strict):
    # Who decides a request to unblock a site, and who decides what they refer (SLT): any one of them decides.
    unblock_decided_by: Approvers = Approvers.one(Role.IT_SUPPORT)
    unblock_referred_to: Approvers = Approvers.one(Role.HEAD)
    # Risk assessments for an app or platform used for remote learning, and AI tools: a role, all_of or any_of.
    remote_learning_approver: Approvers = Approvers.one(Role.HEAD)
    ai_tools_approver: Approvers = Approvers.one(Role.HEAD)

    @field_validator("unblock_decided_by", "unblock_referred_to")
    @classmethod
    def _one_decides(cls, value: Approvers) -> Approvers:
        if value.needs_every_role:
            raise ValueError("one person decides a request to unblock a site: name one role, a list, or any_of")
        return value


class QuizQuestion(Strict):
    question: str
    options: Annotated[list[str], Field(min_length=2, max_length=6)]
    answer: Annotated[int, Field(ge=0)]  # index into options
    explanation: str = ""

    @model_validator(mode="after")
    def _answer_is_an_option(self) -> QuizQuestion:
        if self.answer >= len(self.options):
            raise ValueError(f"answer {self.answer} is not one of the {len(self.options)} options (counting from 0)")
        return self


class Training(Strict):
    induction: bool = True
    refresher_months: Annotated[int, Field(ge=1, le=60)] = 12
    topics: Annotated[list[str], Field(min_length=1)]
    quiz_pass_mark: Annotated[int, Field(ge=1, le=100)] = 80
    quiz: list[QuizQuestion] = []  # asked besides the questions SafeSocial writes from the policy itself
    required_for_channel_access: bool = True  # training and AUP current before channel access is granted


class Acknowledgement(Strict):
    groups: list[Literal["staff", "parents", "pupils"]] = ["staff", "parents", "pupils"]
    pupil_summary_title: str = "Our rules for being safe online"
    pupil_summary: list[str] = []
    reminder_days: Annotated[int, Field(ge=1, le=90)] = 14  # remind those who have not acknowledged, this often


class ConsentRules(Strict):
    """How parental consent is kept. Face matching is biometric processing (Protection of Freedoms Act 2012
    ss.26-28): off unless the trust turns it on, and then only for pupils with a parent's biometric consent."""

    face_matching: bool = False
    expire_at_end_of_school_year: bool = True  # consents lapse on 31 August unless given with another end date
    # This many days before a consent lapses, `safesocial consent remind` tells the school's consent managers.
    renewal_reminder_days: Annotated[int, Field(ge=1, le=120)] = 30
    # After a withdrawal, each published post that relied on the consent is taken down or kept (with a reason) within
    # this many working days.
    withdrawal_decision_working_days: Annotated[int, Field(ge=1, le=20)] = 2


DEFAULT_DIRECT_MESSAGE_REPLY = (
    "Thank you for your message. We can't discuss anything by private message on this account. Please contact "
    "the {school} office by phone or email, or talk to a member of staff you trust. If a child is in danger now, "
    "call 999."
)
DIRECT_MESSAGE_REPLY_MAX = 640  # within every platform's limit for one message (Instagram: 1,000 bytes)


class DirectMessages(Strict):
    """Messages sent privately to an official account. Every seed forbids staff private contact with pupils, so the
    account never holds a conversation: it answers each conversation at most once a day, with this text only."""

    # {school} becomes the channel's school (or the trust, for the trust's own channels).
    reply: Annotated[str, Field(min_length=1, max_length=DIRECT_MESSAGE_REPLY_MAX)] = DEFAULT_DIRECT_MESSAGE_REPLY

    @field_validator("reply")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        unknown = sorted(set(re.findall(r"{([^{}]*)}", value)) - {"school"})
        if unknown or value.count("{") != value.count("}"):
            raise ValueError(
                "the reply may name only {school}, in curly brackets"
                + (f"; it names {', '.join('{' + u + '}' for u in unknown)}" if unknown else "")
            )
        if not value.strip():
            raise ValueError("write the reply the account sends")
        return value.strip()

    def reply_for(self, school_or_trust: str) -> str:
        """The text sent, with the school (or trust) named."""
        return self.reply.replace("{school}", school_or_trust)


class Section(Strict):
    """A section of the policy's own prose, so the trust can publish the document from SafeSocial."""

    heading: str
    body: str


class RelatedPolicy(Strict):
    """A policy this one links with (every seed lists them), printed in the document and on the staff policy page."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    url: HttpUrl | None = None


class Complaints(Strict):
    """The complaints procedure families are pointed to: on each public school page and in the reply suggested to a
    complaint on an official channel."""

    url: HttpUrl | None = None
    contact: Annotated[str, Field(max_length=200)] | None = None  # e.g. "the school office, 07700 900123"

    @model_validator(mode="after")
    def _something(self) -> Complaints:
        if not self.url and not self.contact:
            raise ValueError("give the complaints procedure's url, a contact, or both")
        return self

    def pointer(self) -> str:
        """One sentence a family can act on, added to the reply suggested to a complaint."""
        if self.url and self.contact:
            return f"Our complaints procedure: {self.url} (or contact {self.contact})."
        if self.url:
            return f"Our complaints procedure: {self.url}"
        return f"For our complaints procedure, contact {self.contact}."


class Whistleblowing(Complaints):
    """The whistleblowing procedure, shown to staff where they report a concern about a colleague."""

    @model_validator(mode="after")
    def _something(self) -> Whistleblowing:
        if not self.url and not self.contact:
            raise ValueError("give the whistleblowing procedure's url, a contact, or both")
        return self


class DeclaredRole(Strict):
    """A role the trust has that SafeSocial does not name (line manager, SLT, executive headteacher, PA to the CEO).
    Staff can be given it, and any field that names a role may name it. `acts_as` lends it the powers the policy
    gives SafeSocial's own roles: an executive headteacher who acts as `head` does all a head does."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,19}$")]
    label: Annotated[str, Field(min_length=1, max_length=80)]
    acts_as: list[Role] = []

    @field_validator("key")
    @classmethod
    def _not_built_in(cls, value: str) -> str:
        if value in Role._value2member_map_:
            raise ValueError(f"'{value}' is already one of SafeSocial's roles: declare only the trust's own")
        return value


class Policy(Strict):
    schema_version: Literal[1] = 1
    # The trust's own roles, besides SafeSocial's (docs/policy-schema.md, "Roles").
    roles: list[DeclaredRole] = []
    trust: Trust
    document: Document
    review: Review
    contacts: list[Contact] = []
    channels: Channels
    posts: Posts
    personal_use: PersonalUse
    moderation: Moderation = Moderation()
    parents: Parents = Parents()
    concerns: Concerns
    registers: Registers = Registers()
    training: Training
    acknowledgement: Acknowledgement = Acknowledgement()
    consent: ConsentRules = ConsentRules()
    direct_messages: DirectMessages = DirectMessages()
    sections: list[Section] = []
    related_policies: list[RelatedPolicy] = []
    complaints: Complaints | None = None
    whistleblowing: Whistleblowing | None = None

    @field_validator("roles")
    @classmethod
    def _each_role_once(cls, roles: list[DeclaredRole]) -> list[DeclaredRole]:
        keys = [role.key for role in roles]
        twice = sorted({key for key in keys if keys.count(key) > 1})
        if twice:
            raise ValueError(f"role {', '.join(twice)} is declared more than once")
        return roles

    @model_validator(mode="wrap")
    @classmethod
    def _with_declared_roles(cls, data: object, handler: ModelWrapValidatorHandler[Policy]) -> Policy:
        """Every field that names a role may name one declared under `roles:`; any other name is refused at the
        field that gives it, so the error names that field and its line."""
        declared: dict[str, str] = {}
        if isinstance(data, dict) and isinstance(data.get("roles"), list):
            for item in data["roles"]:
                if isinstance(item, dict) and isinstance(item.get("key"), str):
                    declared[item["key"]] = str(item.get("label") or "")
        elif isinstance(data, Policy):
            declared = data.role_labels()
        token = DECLARED_ROLES.set(declared)
        try:
            return handler(data)
        finally:
            DECLARED_ROLES.reset(token)

    @model_validator(mode="after")
    def _references(self) -> Policy:
        keys = {s.key for s in self.trust.schools}
        for i, contact in enumerate(self.contacts):
            if contact.school is not None and contact.school not in keys:
                raise ValueError(f"contacts[{i}] names school '{contact.school}', which is not in trust.schools")
        for i, channel in enumerate(self.channels.official):
            if channel.school is not None and channel.school not in keys:
                raise ValueError(f"channels.official[{i}] names school '{channel.school}', which is not a school")
        for i, meeting in enumerate(self.parents.esafety_meetings):
            if meeting.school is not None and meeting.school not in keys:
                raise ValueError(f"parents.esafety_meetings[{i}] names school '{meeting.school}', not a school")
        for school in self.trust.schools:
            if not any(Role.DSL in c.roles and c.school == school.key for c in self.contacts):
                raise ValueError(
                    f"school '{school.key}' has no designated safeguarding lead: "
                    "add a contact with role 'dsl' and school '" + school.key + "'"
                )
        emails = [c.email for c in self.contacts]
        dupes = sorted({e for e in emails if emails.count(e) > 1})
        if dupes:
            raise ValueError(f"contacts: email {', '.join(dupes)} is used for more than one person")
        return self

    # Questions the rest of SafeSocial asks -------------------------------------------------

    def complaint_reply_text(self) -> str:
        """The reply offered to a complaint left as a comment, pointing to the trust's complaints procedure when the
        policy names one."""
        reply = self.moderation.complaint_reply
        if self.complaints is None:
            return reply
        return f"{reply} {self.complaints.pointer()}"

    def role_labels(self) -> dict[str, str]:
        """The trust's own roles by key, as the policy names them."""
        return {role.key: role.label for role in self.roles}

    def acts_as(self) -> dict[str, frozenset[Role]]:
        """For each of the trust's own roles, the SafeSocial roles whose powers it has."""
        return {role.key: frozenset(role.acts_as) for role in self.roles}

    def school_keys(self) -> list[str]:
        return [s.key for s in self.trust.schools]

    def category_keys(self) -> list[str]:
        return [c.key for c in self.posts.categories]

    def post_reviewer_roles(self) -> frozenset[Role | ExtraRole] | None:
        """None means any colleague other than the author may review."""
        if self.posts.reviewers == ReviewerRule.ANY_COLLEAGUE:
            return None
        return frozenset(self.posts.reviewer_roles)
