"""The schema of a trust's social media policy file.

Every rule on which the five reference policies disagree is a field here; the code asks these
fields rather than assuming an answer. docs/policy-schema.md documents each field for trusts.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from safesocial.people.roles import Role

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


class Trust(Strict):
    name: str
    short_name: str | None = None
    website: HttpUrl | None = None
    schools: Annotated[list[School], Field(min_length=1)]

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


class Review(Strict):
    cadence_months: Annotated[int, Field(ge=1, le=36)] = 12
    next_review: dt.date
    # who drafts and is reminded, who approves, and which body notes the new version
    reminders_to: Annotated[list[Role], Field(min_length=1)]
    approver: Role
    noted_by: str | None = None
    also_after: list[str] = ["any incident or local concern", "changes to national or local guidance"]
    # Reminders before next_review: two months, one month, one week and the day before by default.
    reminder_days_before: Annotated[list[Annotated[int, Field(ge=0, le=366)]], Field(min_length=1)] = [61, 30, 7, 1]


class Contact(Strict):
    name: str
    email: str
    job_title: str
    roles: Annotated[list[Role], Field(min_length=1)]
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
    approver: Role  # who risk-assesses and signs off a new official channel
    co_approvers: list[Role] = []  # also sign, e.g. "the CEO and Headteacher"
    poster_authoriser: Role  # who grants posting and admin access
    emergency_access: Annotated[list[Role], Field(min_length=1)]  # "leadership staff" who may break glass
    moderators: list[Role] = []  # besides authorised posters, e.g. the PA to the CEO
    review_months: Annotated[int, Field(ge=1, le=36)] = 12
    aup_signature_required: bool = True
    school_devices_only: bool = False
    follow_commercial_pages: bool = True
    setup_considerations: list[str] = []
    official: list[OfficialChannel] = []
    # The social media acceptable use agreement staff sign before they are given access to a channel.
    acceptable_use: str = DEFAULT_ACCEPTABLE_USE


class PostCategory(Strict):
    key: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str


class Posts(Strict):
    reviewers: ReviewerRule
    reviewer_roles: list[Role] = []
    reviewers_required: Annotated[int, Field(ge=1, le=5)] = 1
    categories: Annotated[list[PostCategory], Field(min_length=1)]
    criteria: list[str] = []
    consent_required_for: list[Literal["names", "photos", "video"]] = ["names", "photos"]
    # Who a colleague's suggestion for a post goes to (policy 001: "speak to your Headteacher"); none: the channel's
    # authorised posters.
    suggestions_to: Role | None = None

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


class CategoryRule(Strict):
    action: ModerationAction
    threshold: Annotated[float, Field(gt=0, le=1)] = 0.5


class Moderation(Strict):
    categories: dict[str, CategoryRule]
    repeat_offender_threshold: Annotated[int, Field(ge=1, le=50)] = 3
    repeat_offender_window_days: Annotated[int, Field(ge=1, le=730)] = 365
    remove_within_hours: Annotated[int, Field(ge=1, le=168)] | None = None

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
{school_name}"""


class Parents(Strict):
    expectations: list[str] = []
    should_not: list[str] = []
    escalation: list[EscalationStep] = []
    escalation_managed_by: Annotated[list[Role], Field(min_length=1)] = [Role.HEAD, Role.DSL, Role.DEPUTY_DSL]
    # Placeholders: {parent_name} {school_name} {summary} {incident_date} {remove_by} {signed_by} {date}
    warning_letter: str = DEFAULT_WARNING_LETTER


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
    report_to: Annotated[list[Role], Field(min_length=1)]  # who receives a concern at a school
    trust_lead: Role | None = None  # a trust-wide role who sees every school's concerns
    about_staff_to: Role  # a concern about a colleague goes to ...
    about_head_to: Role  # ... and one about the head goes to ...
    about_leader_to: Role = Role.GOVERNOR  # ... and one about that person (e.g. the CEO) to the chair of trustees
    external_advice: str  # e.g. the local authority's education safeguarding service
    friendship_disclosure: bool = True  # staff declare pre-existing friendships with families
    friendship_discussed_with: list[Role] = []
    friendship_decided_by: Role = Role.HEAD  # who decides on a staff member's declaration
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
    unblock_decided_by: Annotated[list[Role], Field(min_length=1)] = [Role.IT_SUPPORT]
    unblock_referred_to: Annotated[list[Role], Field(min_length=1)] = [Role.HEAD]  # SLT, when IT refers it
    remote_learning_approver: Role = Role.HEAD  # risk assessments for an app or platform used for remote learning
    ai_tools_approver: Role = Role.HEAD


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


class Policy(Strict):
    schema_version: Literal[1] = 1
    trust: Trust
    document: Document
    review: Review
    contacts: list[Contact] = []
    channels: Channels
    posts: Posts
    personal_use: PersonalUse
    moderation: Moderation
    parents: Parents = Parents()
    concerns: Concerns
    registers: Registers = Registers()
    training: Training
    acknowledgement: Acknowledgement = Acknowledgement()
    consent: ConsentRules = ConsentRules()
    direct_messages: DirectMessages = DirectMessages()
    sections: list[Section] = []

    @model_validator(mode="after")
    def _references(self) -> Policy:
        keys = {s.key for s in self.trust.schools}
        for i, contact in enumerate(self.contacts):
            if contact.school is not None and contact.school not in keys:
                raise ValueError(f"contacts[{i}] names school '{contact.school}', which is not in trust.schools")
        for i, channel in enumerate(self.channels.official):
            if channel.school is not None and channel.school not in keys:
                raise ValueError(f"channels.official[{i}] names school '{channel.school}', which is not a school")
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

    def school_keys(self) -> list[str]:
        return [s.key for s in self.trust.schools]

    def category_keys(self) -> list[str]:
        return [c.key for c in self.posts.categories]

    def post_reviewer_roles(self) -> frozenset[Role] | None:
        """None means any colleague other than the author may review."""
        if self.posts.reviewers == ReviewerRule.ANY_COLLEAGUE:
            return None
        return frozenset(self.posts.reviewer_roles)
