"""Concerns are invisible, not forbidden, to everyone the policy does not name.

Who sees a concern: the people the policy names for concerns at its school (`concerns.report_to`, and the trust's
lead across every school; a report of inappropriate content also `concerns.content_reports_to`); for a concern about
a member of staff, only the `about_staff_to` role at that school (or `about_head_to` when it is about a holder of
`about_staff_to`). Never the person it is about: not in lists, counts, search, patterns or
the dashboard, and not by its address. Whoever reported a concern may open it to add evidence, and nothing more."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When, Window
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.audit.services import audit_record
from safesocial.hooks import DashboardItem
from safesocial.moderation import selectors as moderation
from safesocial.people.models import ParentCarer, Pupil, RoleAssignment, School, Trust, User
from safesocial.people.selectors import pupils_for, staff_for
from safesocial.permissions import Action, allowed_roles, is_trust_wide, role_scope, schools_where

from . import referrals, triage
from .models import (
    ActionStatus,
    CaseAction,
    ChronologyEntry,
    Concern,
    ConcernLink,
    ConcernStatus,
    Evidence,
    LinkKind,
    LinkRole,
    RecordTransfer,
    Referral,
    Route,
)
from .types import BY_KEY, CONTENT_REPORT_KINDS, PLATFORM_LABELS, account_key, platform_of_channel
from .types import CHOICES as KIND_CHOICES

# Who may manage which concerns -------------------------------------------------------------------------------------


def _route_q(route: str, trust_wide: bool, school_ids: set[int]) -> Q:
    if trust_wide:
        return Q(route=route)
    return Q(route=route, school_id__in=sorted(school_ids)) if school_ids else Q(pk__in=[])


def _managed_q(user: User) -> Q:
    """Which concerns the user's roles reach, worked out once per request (kept beside the roles it is read from,
    permissions._assignments, and forgotten with them when a role is granted): a concern's page asks it twice."""
    cached: Q | None = getattr(user, "_safesocial_concern_scope", None)
    if cached is None:
        cached = user._safesocial_concern_scope = _scope_q(user)  # type: ignore[attr-defined]
    return cached


def _scope_q(user: User) -> Q:
    policy = _trust(user).policy
    sg_schools = set(schools_where(user, Action.RECEIVE_CONCERNS).values_list("pk", flat=True))
    q = _route_q(Route.SAFEGUARDING, is_trust_wide(user, Action.RECEIVE_CONCERNS), sg_schools)
    q |= _route_q(Route.STAFF, *role_scope(user, policy.concerns.about_staff_to))
    q |= _route_q(Route.HEAD, *role_scope(user, policy.concerns.about_head_to))
    q |= _route_q(Route.LEADER, role_scope(user, policy.concerns.about_leader_to)[0], set())
    for role in policy.concerns.content_reports_to:
        q |= _route_q(Route.SAFEGUARDING, *role_scope(user, role)) & Q(kind__in=CONTENT_REPORT_KINDS)
    return q


def _about(user: User) -> list[int]:
    """The concerns this person is the subject of (usually none): one indexed query a request, then excluded
    everywhere (the concern list asks three times)."""
    cached: list[int] | None = getattr(user, "_safesocial_concerns_about", None)
    if cached is None:
        cached = user._safesocial_concerns_about = list(  # type: ignore[attr-defined]
            ConcernLink.objects.filter(kind=LinkKind.STAFF, role=LinkRole.SUBJECT, staff=user).values_list(
                "concern_id", flat=True
            )
        )
    return cached


def _active_member(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.trust_id is not None)


def _trust(user: User) -> Trust:
    """The user's trust: every read of concerns is for a member of one (an outsider gets 404)."""
    if user.trust is None:
        raise Http404("You are not on the staff of a trust")
    return user.trust


def _trust_id(user: User) -> int:
    if user.trust_id is None:
        raise Http404("You are not on the staff of a trust")
    return user.trust_id


def concerns_for(user: User) -> QuerySet[Concern]:
    """The concerns this person receives and manages under the policy, never one about themselves."""
    if not _active_member(user):
        return Concern.objects.none()
    return (
        Concern.objects.filter(trust_id=_trust_id(user), destroyed_at__isnull=True)
        .filter(_managed_q(user))
        .exclude(pk__in=_about(user))
        .select_related("school")
    )


def reported_by(user: User) -> QuerySet[Concern]:
    """Concerns this person reported (they may add evidence to them), unless they have since become their subject."""
    if not _active_member(user):
        return Concern.objects.none()
    return Concern.objects.filter(trust_id=_trust_id(user), reported_by=user, destroyed_at__isnull=True).exclude(
        pk__in=_about(user)
    )


def can_manage(user: User, concern: Concern) -> bool:
    return concerns_for(user).filter(pk=concern.pk).exists()


def can_open(user: User, concern: Concern) -> bool:
    return can_manage(user, concern) or reported_by(user).filter(pk=concern.pk).exists()


def concern_for(user: User, pk: int) -> Concern:
    """One concern, for someone who manages it or reported it; a 404 for everyone else. The read is audited."""
    concern = (
        concerns_for(user).filter(pk=pk).first() or reported_by(user).select_related("school").filter(pk=pk).first()
    )
    if concern is None:
        raise Http404("No such concern")
    concern.trust = _trust(user)  # the same trust, its policy already read for this request
    audit_record(actor=user, action="concern.view", obj=concern, school_id=concern.school_id)
    return concern


def receivers(concern: Concern) -> QuerySet[User]:
    """Who is told about this concern (and may open it): by its route, never the people it is about."""
    policy = concern.trust.policy
    if concern.route == Route.SAFEGUARDING:
        roles = list(allowed_roles(Action.RECEIVE_CONCERNS, policy))
        if concern.kind in CONTENT_REPORT_KINDS:
            roles += policy.concerns.content_reports_to
    elif concern.route == Route.STAFF:
        roles = [policy.concerns.about_staff_to]
    elif concern.route == Route.HEAD:
        roles = [policy.concerns.about_head_to]
    else:  # about the person the heads answer to: only trust-wide holders of the role (the chair of trustees)
        return (
            User.objects.filter(
                pk__in=RoleAssignment.objects.filter(
                    trust_id=concern.trust_id, school__isnull=True, role=policy.concerns.about_leader_to
                ).values("user_id"),
                is_active=True,
            )
            .exclude(pk__in=concern.links.filter(kind=LinkKind.STAFF, role=LinkRole.SUBJECT).values("staff_id"))
            .order_by("full_name", "pk")
        )
    at = Q(school__isnull=True)
    if concern.school_id:
        at |= Q(school_id=concern.school_id)
    holders = RoleAssignment.objects.filter(at, trust_id=concern.trust_id, role__in=roles).values("user_id")
    subjects = concern.links.filter(kind=LinkKind.STAFF, role=LinkRole.SUBJECT).values("staff_id")
    return User.objects.filter(pk__in=holders, is_active=True).exclude(pk__in=subjects).order_by("full_name", "pk")


# Lists ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    status: str = ""
    school: str = ""  # a school's key
    kind: str = ""
    q: str = ""
    link: str = ""  # "pupil:12", "parent:3", "staff:7", "account:facebook:jo.bloggs" or "platform:facebook"
    retention: bool = False


def _link_q(link: str) -> Q | None:
    kind, _, rest = link.partition(":")
    if kind in ("pupil", "parent", "staff") and rest.isdigit():
        return Q(Exists(ConcernLink.objects.filter(concern=OuterRef("pk"), kind=kind, **{f"{kind}_id": int(rest)})))
    if kind == "account" and rest:
        return Q(Exists(ConcernLink.objects.filter(concern=OuterRef("pk"), kind=kind, account_key=rest)))
    if kind == "platform" and rest:
        return Q(platform=rest)
    return None


def concern_list(user: User, filters: Filters) -> QuerySet[Concern]:
    """The list page: the user's concerns, filtered. Search reads the reference, the summary and the names linked;
    it runs inside concerns_for, so a concern about the person searching is never found."""
    qs = concerns_for(user)
    if filters.status in ConcernStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.school:
        qs = qs.filter(school__key=filters.school)
    if filters.kind in BY_KEY:
        qs = qs.filter(kind=filters.kind)
    if filters.retention:
        qs = qs.filter(retain_until__lte=timezone.localdate())
    if filters.link and (link_q := _link_q(filters.link)) is not None:
        qs = qs.filter(link_q)
    if filters.q:
        text = filters.q.strip()
        trust_id = _trust_id(user)
        # The people whose names match first (a few among the trust's pupils, parents and staff), then the links that
        # name them: joining every link to every pupil to compare names took seconds at a trust's size. Each way of
        # matching is its own subquery, so that on PostgreSQL each reads its trigram indexes (concerns migration 0012,
        # people 0003) and nothing scans 50,000 summaries; the concerns found are the same as one OR over the row's
        # columns, and concerns_for above still decides which of them this person sees.
        links = ConcernLink.objects.filter(trust_id=trust_id)
        written = Concern.objects.filter(trust_id=trust_id).filter(
            Q(reference__iexact=text) | Q(summary__icontains=text) | Q(account_handle__icontains=text)
        )
        pupils = Pupil.objects.filter(Q(first_name__icontains=text) | Q(last_name__icontains=text))
        parents = ParentCarer.objects.filter(trust_id=trust_id, full_name__icontains=text)
        staff = User.objects.filter(trust_id=trust_id, full_name__icontains=text)
        qs = qs.filter(
            Q(pk__in=written.values("pk"))
            | Q(pk__in=links.filter(pupil__in=pupils).values("concern_id"))
            | Q(pk__in=links.filter(parent__in=parents).values("concern_id"))
            | Q(pk__in=links.filter(staff__in=staff).values("concern_id"))
            | Q(pk__in=links.filter(handle__icontains=text).values("concern_id"))
        )
    return qs.order_by(
        Case(When(status=ConcernStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
        _level_rank(_trust(user).policy),
        "created_at",
        "pk",
    )


def ids_page(concerns: QuerySet[Concern], number: str | None, per_page: int, *, searching: bool) -> Page:
    """One page of the list's ids, with the list's exact total (the page says "326 concerns").

    A search is counted while its ids are sorted, by a window count, in one query: counted and then paged, the search
    ran twice. The whole list is counted apart, from concern_list_order_idx alone, and its page is left a subquery of
    page_of's query: a window count would sort all 50,000 ids where the page's query sorts only the first rows
    (trust_scale.py: 360 ms against 50 + 55). A page number past the end, or not a number, gets what
    Paginator.get_page gives."""
    paginator = Paginator(concerns.values_list("pk", flat=True), per_page)
    if not searching:
        return paginator.get_page(number)
    try:
        page_number = int(number or 1)
    except ValueError:
        page_number = 0  # get_page below decides
    if 1 <= page_number <= 2**31:  # beyond, OFFSET would overflow PostgreSQL's bigint: get_page gives the last page
        start = (page_number - 1) * per_page
        rows = list(concerns.annotate(total=Window(Count("pk"))).values_list("pk", "total")[start : start + per_page])
        if rows or page_number == 1:
            paginator.count = rows[0][1] if rows else 0  # a cached_property: set, so no COUNT query follows
            return Page([pk for pk, _ in rows], page_number, paginator)
    page = paginator.get_page(number)
    return Page(list(page.object_list), page.number, paginator)


def page_of(concerns: QuerySet[Concern], ids: list[int] | QuerySet) -> list[Concern]:
    """One page of the list, in one query: `ids` are the page's ids (ids_page), or its slice of the list's ids sorted
    in a subquery that reads no more than it sorts by (concern_list_order_idx), so only that page's whole rows and
    joins are read. `concerns` is the user's own ordered list, so it sorts the page alike and lets no other id
    through."""
    return list(concerns.filter(pk__in=ids))


def _level_rank(policy) -> Case:
    """The policy's scale, most urgent first, as a number the database sorts by. A concern reported before triage
    existed ranks with the scale's "significant" level."""
    keys = triage.keys(policy)
    unset = keys.index(triage.level_for(policy, "significant"))
    return Case(
        *[When(triage_level=key, then=Value(i)) for i, key in enumerate(keys)],
        When(triage_level="", then=Value(unset)),
        default=Value(len(keys)),
        output_field=IntegerField(),
    )


def list_rows(user: User, concerns: list[Concern], since: dt.datetime | None) -> list[Concern]:
    """What the list shows of each concern besides its own fields: the level's name on the trust's scale, the next
    open action and how many are overdue, and whether it is new since the viewer's previous visit (`since`; None:
    they have never looked, so everything is new). One query for the actions of the whole page."""
    policy = _trust(user).policy
    today = timezone.localdate()
    open_actions: dict[int, list[CaseAction]] = defaultdict(list)
    for action in CaseAction.objects.filter(concern__in=[c.pk for c in concerns], status=ActionStatus.OPEN).order_by(
        "due_on", "pk"
    ):
        open_actions[action.concern_id].append(action)
    urgent = set(triage.urgent_keys(policy))
    for concern in concerns:
        c: Any = concern  # the list page's own attributes, set on each row
        actions = open_actions.get(c.pk, [])
        c.level_label = triage.label(policy, c.triage_level) if c.triage_level else "Not triaged"
        c.urgent = c.triage_level in urgent
        c.next_action = actions[0] if actions else None
        c.overdue_count = sum(1 for a in actions if a.due_on < today)
        c.is_new = since is None or c.created_at > since
    return concerns


def level_label(concern: Concern) -> str:
    if not concern.triage_level:
        return "Not triaged"
    return triage.label(concern.trust.policy, concern.triage_level)


def is_urgent(concern: Concern) -> bool:
    """Open, and at a level of the trust's scale that means immediate risk of harm."""
    return concern.is_open and concern.triage_level in triage.urgent_keys(concern.trust.policy)


def urgent_unacknowledged(user: User) -> QuerySet[Concern]:
    """Immediate-risk concerns this person receives that nobody has acknowledged yet (for the dashboard banner)."""
    if not _active_member(user):
        return Concern.objects.none()
    return concerns_for(user).filter(
        status=ConcernStatus.OPEN,
        acknowledged_at__isnull=True,
        triage_level__in=triage.urgent_keys(_trust(user).policy),
    )


def kind_label(key: str) -> str:
    kind = BY_KEY.get(key)
    return kind.label if kind else key


# One concern's case record ---------------------------------------------------------------------------------------


def chronology_of(concern: Concern) -> QuerySet[ChronologyEntry]:
    return concern.chronology.select_related("corrects").prefetch_related("corrections")


def links_of(concern: Concern) -> QuerySet[ConcernLink]:
    return concern.links.select_related("pupil__school", "parent", "staff")


def actions_of(concern: Concern) -> QuerySet[CaseAction]:
    return concern.actions.select_related("assigned_to", "done_by")


def referrals_of(concern: Concern) -> QuerySet[Referral]:
    return concern.referrals.select_related("made_by", "outcome_by", "follow_up")


@dataclass(frozen=True)
class LadoClock:
    """KCSIE Part 4: an allegation about a member of staff goes to the LADO within one working day of being reported,
    and the case stays open until the LADO's decision is recorded."""

    reported_on: dt.date
    due_on: dt.date
    referral: Referral | None  # the first LADO referral
    decision: Referral | None  # the first with the LADO's decision recorded

    @property
    def overdue(self) -> bool:
        return self.referral is None and timezone.localdate() > self.due_on

    @property
    def late(self) -> bool:
        return self.referral is not None and self.referral.made_on > self.due_on


def lado_clock(concern: Concern) -> LadoClock | None:
    """The LADO clock of a concern about a member of staff (routed away from the safeguarding team); None otherwise."""
    if concern.route == Route.SAFEGUARDING:
        return None
    reported_on = timezone.localdate(concern.created_at)
    lado = list(concern.referrals.filter(kind="lado").order_by("made_on", "pk"))
    return LadoClock(
        reported_on=reported_on,
        due_on=referrals.lado_due(reported_on),
        referral=lado[0] if lado else None,
        decision=next((r for r in lado if r.outcome), None),
    )


@dataclass(frozen=True)
class Custody:
    at: dt.datetime
    who: str
    what: str


def custody_of(evidence: list[Evidence]) -> dict[int, list[Custody]]:
    """Chain of custody for each file, read from the audit trail: received, then every view and download."""
    ids = [str(e.pk) for e in evidence]
    found: dict[int, list[Custody]] = defaultdict(list)
    labels = {
        "concern.evidence.add": "Received",
        "concern.evidence.view": "Viewed",
        "concern.evidence.download": "Downloaded",
    }
    entries = AuditEntry.objects.filter(object_type="concerns.evidence", object_id__in=ids).order_by("seq")
    for entry in entries.only("at", "actor_label", "action", "object_id", "changes"):
        what = labels.get(entry.action, entry.action)
        if entry.changes.get("intact") is False:
            what += " (the file no longer matched its fingerprint)"
        found[int(entry.object_id)].append(Custody(entry.at, entry.actor_label, what))
    return found


def evidence_for(user: User, concern: Concern, pk: int, *, download: bool) -> tuple[Evidence, bytes, bool]:
    """A file of a concern the user may open, its bytes, and whether they still match the SHA-256 taken on upload.
    Every access is logged in the audit trail, which is the file's chain of custody."""
    evidence = Evidence.objects.filter(concern=concern, pk=pk).first()
    if evidence is None or not can_open(user, concern):
        raise Http404("No such file")
    try:
        with evidence.file.open("rb") as f:
            data = f.read()
    except OSError:
        data = b""
    intact = bool(data) and hashlib.sha256(data).hexdigest() == evidence.sha256
    audit_record(
        actor=user,
        action="concern.evidence.download" if download else "concern.evidence.view",
        obj=evidence,
        label=f"Evidence {evidence.pk} of concern {concern.pk}",
        school_id=concern.school_id,
        changes={"intact": intact},
    )
    return evidence, data, intact


def may_assign_to(concern: Concern) -> QuerySet[User]:
    """Actions go to colleagues who may already read the concern, so assigning one shares nothing new."""
    return receivers(concern)


def search_people(user: User, school: School, text: str) -> dict[str, list]:
    """Pupils and parents from the school's records, and staff, to link to a report (at least two letters)."""
    text = text.strip()
    if len(text) < 2:
        return {"pupils": [], "parents": [], "staff": []}
    pupils: list[Pupil] = []
    parents: list[ParentCarer] = []
    try:
        pupils = list(
            pupils_for(user, school).filter(Q(first_name__icontains=text) | Q(last_name__icontains=text))[:10]
        )
        # Each with their children at the school (`children`), so two parents of the same name can be told apart.
        children = Pupil.objects.filter(school=school, on_roll=True).order_by("last_name", "first_name", "pk")
        parents = list(
            ParentCarer.objects.filter(pupils__school=school, full_name__icontains=text)
            .distinct()
            .prefetch_related(Prefetch("pupils", queryset=children, to_attr="children"))[:10]
        )
    except Http404:
        pass  # the user's roles do not include seeing pupil records: they type names instead
    staff = list(staff_for(user).filter(full_name__icontains=text)[:10])
    return {"pupils": pupils, "parents": parents, "staff": staff}


# Patterns --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatternRow:
    key: str  # for the list filter: "pupil:12", "account:facebook:jo.bloggs" ...
    kind: str
    label: str
    concerns: int
    schools: int
    hidden_comments: int = 0
    blocked: bool = False

    @property
    def total(self) -> int:
        return self.concerns + self.hidden_comments

    def over(self, threshold: int) -> bool:
        return self.total >= threshold


@dataclass(frozen=True)
class Patterns:
    since: dt.date
    threshold: int
    people: list[PatternRow]
    accounts: list[PatternRow]
    platforms: list[PatternRow]

    @property
    def alerts(self) -> list[PatternRow]:
        return [r for r in [*self.people, *self.accounts] if r.over(self.threshold)]


def _window(trust: Trust) -> tuple[dt.datetime, int]:
    policy = trust.policy
    since = timezone.now() - dt.timedelta(days=policy.concerns.pattern_window_days)
    return since, policy.concerns.pattern_threshold


def _grouped_links(user: User, since: dt.datetime, minimum: int):
    """Links in the user's concerns within the window, grouped by what they name. The links carry their concern's
    school and route, so this reads one table."""
    links = (
        ConcernLink.objects.filter(trust_id=_trust_id(user), created_at__gte=since)
        .filter(_managed_q(user))
        .exclude(concern_id__in=_about(user))
    )
    return (
        links.values("kind", "pupil_id", "parent_id", "staff_id", "account_key")
        .annotate(n=Count("concern_id", distinct=True), schools=Count("school_id", distinct=True))
        .filter(n__gte=minimum)
        .order_by("-n")
    )


def _moderation_counts(trust_id: int, since: dt.datetime) -> tuple[dict[str, int], set[str], dict[int, int]]:
    """Hidden comments per account, blocked accounts, and blocks per parent, from moderation."""
    hidden: dict[str, int] = defaultdict(int)
    for row in moderation.hidden_comments_by_author(trust_id, since):
        platform = platform_of_channel(row["channel__platform"])
        keys = {account_key(platform, row["author_name"]), account_key(platform, row["author_id"])} - {""}
        for key in keys:
            hidden[key] += row["n"]
    blocked: set[str] = set()
    parent_blocks: dict[int, int] = defaultdict(int)
    for o in moderation.blocked_offenders(trust_id):
        platform = platform_of_channel(o["platform"])
        blocked |= {account_key(platform, o["author_name"]), account_key(platform, o["author_id"])} - {""}
        if o["parent_id"]:
            parent_blocks[o["parent_id"]] += 1
    return hidden, blocked, parent_blocks


def patterns_for(user: User, limit: int = 50) -> Patterns:
    """The same pupil, parent, member of staff, account or platform across the concerns this person may see, across
    the trust's schools, within the policy's window; moderation's hidden comments and blocks count for accounts."""
    trust = _trust(user)
    since, threshold = _window(trust)
    visible = concerns_for(user)
    grouped = list(_grouped_links(user, since, 2)[: limit * 3])
    ids = defaultdict(set)
    for row in grouped:
        for kind in ("pupil", "parent", "staff"):
            if row[f"{kind}_id"]:
                ids[kind].add(row[f"{kind}_id"])
    names = {
        "pupil": {p.pk: str(p) for p in Pupil.objects.filter(pk__in=ids["pupil"])},
        "parent": {p.pk: str(p) for p in ParentCarer.objects.filter(pk__in=ids["parent"])},
        "staff": {u.pk: str(u) for u in User.objects.filter(pk__in=ids["staff"])},
    }
    account_keys = [row["account_key"] for row in grouped if row["kind"] == LinkKind.ACCOUNT]
    typed: dict[str, str] = {}
    for key, handle in ConcernLink.objects.filter(trust_id=trust.pk, account_key__in=account_keys).values_list(
        "account_key", "handle"
    )[:500]:
        typed.setdefault(key, handle)
    hidden, blocked, parent_blocks = _moderation_counts(trust.pk, since)
    people, accounts = [], []
    for row in grouped:
        kind = row["kind"]
        if kind == LinkKind.ACCOUNT:
            key = row["account_key"]
            platform, _, handle = key.partition(":")
            label = f"{typed.get(key, handle)} on {PLATFORM_LABELS.get(platform, platform)}"
            accounts.append(
                PatternRow(f"account:{key}", kind, label, row["n"], row["schools"], hidden.get(key, 0), key in blocked)
            )
        else:
            pk = row[f"{kind}_id"]
            people.append(
                PatternRow(
                    f"{kind}:{pk}",
                    kind,
                    f"{names[kind].get(pk, '?')} ({LinkKind(kind).label.lower()})",
                    row["n"],
                    row["schools"],
                    0,
                    bool(kind == LinkKind.PARENT and parent_blocks.get(pk)),
                )
            )
    platforms = [
        PatternRow(
            f"platform:{r['platform']}",
            "platform",
            PLATFORM_LABELS.get(r["platform"], r["platform"]),
            r["n"],
            r["schools"],
        )
        for r in visible.filter(created_at__gte=since)
        .exclude(platform="")
        .values("platform")
        .annotate(n=Count("id"), schools=Count("school_id", distinct=True))
        .order_by("-n")
    ]
    people.sort(key=lambda r: (-r.total, r.label))
    accounts.sort(key=lambda r: (-r.total, r.label))
    return Patterns(since.date(), threshold, people[:limit], accounts[:limit], platforms)


def pattern_count(user: User) -> int:
    """How many people or accounts cross the policy's threshold in the user's concerns (for the dashboard): one
    aggregate query, concerns only."""
    since, threshold = _window(_trust(user))
    return len(list(_grouped_links(user, since, threshold)[:100]))


def pattern_counts_for(concern: Concern, keys: list[tuple[str, dict]]) -> dict[str, int]:
    """For the alert after a report: how many safeguarding concerns in the trust within the window name each key."""
    since, _ = _window(concern.trust)
    found = {}
    base = ConcernLink.objects.filter(trust_id=concern.trust_id, created_at__gte=since, route=Route.SAFEGUARDING)
    for key, lookup in keys:
        found[key] = base.filter(**lookup).values("concern_id").distinct().count()
    return found


# Dashboard, the annual review ------------------------------------------------------------------------------------


def dashboard_items(user: User) -> list[DashboardItem]:
    """Actions due, pattern alerts and records due for retention review, for those who manage concerns; never a
    concern about the viewer. (The count of open concerns is the dashboard's own card, from concerns_for.)"""
    if not _active_member(user):
        return []
    items = []
    urgent = list(urgent_unacknowledged(user).values_list("pk", flat=True)[:20])
    if urgent:
        n = len(urgent)
        items.append(
            DashboardItem(
                f"{'An' if n == 1 else n} urgent safeguarding concern{'s have' if n != 1 else ' has'} not been "
                "acknowledged",
                "Someone believes a child may be at risk of harm now. Open it, and say you are dealing with it.",
                reverse("concerns:detail", args=[urgent[0]]) if n == 1 else reverse("concerns:list") + "?status=open",
                "Open it now" if n == 1 else "See them now",
                "bad",
                None,
                banner=True,
            )
        )
    today = timezone.localdate()
    due = (
        CaseAction.objects.filter(assigned_to=user, status=ActionStatus.OPEN, due_on__lte=today + dt.timedelta(days=7))
        .exclude(concern_id__in=_about(user))
        .count()
    )
    if due:
        items.append(
            DashboardItem(
                "Safeguarding actions due",
                f"action{'s' if due != 1 else ''} on concerns due within a week or overdue.",
                reverse("concerns:list") + "?mine=actions",
                "See your actions",
                "warn",
                due,
            )
        )
    receives = (
        schools_where(user, Action.RECEIVE_CONCERNS).exists()
        or schools_where(user, Action.RECEIVE_STAFF_CONCERNS).exists()
    )
    if not receives:
        # Staff who report but do not receive concerns have no other way back to their reports (to add evidence).
        mine = reported_by(user).filter(status=ConcernStatus.OPEN).count()
        if mine:
            items.append(
                DashboardItem(
                    "Concerns you reported",
                    f"concern{'s' if mine != 1 else ''} you reported {'are' if mine != 1 else 'is'} still open. "
                    "You can add evidence.",
                    reverse("concerns:list"),
                    "See your reports",
                    "",
                    mine,
                )
            )
        return items
    patterns = pattern_count(user)
    if patterns:
        items.append(
            DashboardItem(
                "Pattern alerts",
                f"{'people or accounts' if patterns != 1 else 'person or account'} named in "
                f"{_trust(user).policy.concerns.pattern_threshold} or more concerns.",
                reverse("concerns:patterns"),
                "See the patterns",
                "bad",
                patterns,
            )
        )
    review = concerns_for(user).filter(retain_until__lte=today).count()
    if review:
        items.append(
            DashboardItem(
                "Records due for retention review",
                f"concern record{'s' if review != 1 else ''} past the policy's retention period: keep or destroy.",
                reverse("concerns:retention_list"),
                "Review them",
                "warn",
                review,
            )
        )
    return items


def transfer_pupil_for(user: User, pk: int) -> Pupil:
    """A pupil whose records this person may transfer: on the roll of a school where they receive concerns."""
    if not _active_member(user):
        raise Http404("No such pupil")
    pupil = (
        Pupil.objects.filter(pk=pk, school__in=schools_where(user, Action.RECEIVE_CONCERNS))
        .select_related("school__trust")
        .first()
    )
    if pupil is None:
        raise Http404("No such pupil")
    return pupil


def transfers_of(pupil: Pupil) -> QuerySet[RecordTransfer]:
    return (
        RecordTransfer.objects.filter(pupil=pupil)
        .select_related("from_school", "to_school", "sent_by")
        .annotate(records=Count("concerns"))
    )


def retention_due(user: User) -> QuerySet[Concern]:
    """The records this person manages that are past their retention date, oldest due first, for the review page
    and the cron listing. Open ones are listed too (they cannot be destroyed until closed)."""
    return (
        concerns_for(user)
        .filter(retain_until__lte=timezone.localdate())
        .select_related("legal_hold_by")
        .order_by("retain_until", "pk")
    )


def retention_due_in_trust(trust: Trust) -> QuerySet[Concern]:
    """Every record of a trust past its retention date, for the cron listing (which names references, never
    people)."""
    return (
        Concern.objects.filter(trust=trust, destroyed_at__isnull=True, retain_until__lte=timezone.localdate())
        .select_related("school")
        .order_by("retain_until", "pk")
    )


def actions_due_for(user: User) -> QuerySet[CaseAction]:
    return (
        CaseAction.objects.filter(assigned_to=user, status=ActionStatus.OPEN, concern__in=concerns_for(user))
        .select_related("concern__school")
        .order_by("due_on")
    )


@dataclass(frozen=True)
class Lesson:
    """What a closed case taught, for the policy's annual review: no names of people."""

    kind_label: str
    school_name: str
    closed_on: dt.date
    lessons: str
    policy_change: bool
    curriculum_change: bool


def lessons_for_review(trust: Trust, since: dt.date) -> list[Lesson]:
    """Debriefs of cases closed since a date, oldest first, for the policy review (another part of SafeSocial reads
    them; they carry the lessons and the kind of case, not who was involved)."""
    start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
    rows = (
        Concern.objects.filter(trust=trust, status=ConcernStatus.CLOSED, closed_at__gte=start)
        .exclude(lessons="")
        .select_related("school")
        .order_by("closed_at", "pk")
    )
    return [
        Lesson(
            kind_label=kind_label(c.kind),
            school_name=c.school.name if c.school else trust.name,
            closed_on=timezone.localtime(c.closed_at).date(),
            lessons=c.lessons,
            policy_change=c.policy_change,
            curriculum_change=c.curriculum_change,
        )
        for c in rows
    ]


def policy_change_debriefs(trust: Trust, since: dt.date) -> list[tuple[dt.date, str]]:
    """Cases closed since a date whose debrief says the policy should change: they bring the policy's review forward
    (policy review.early.after_debrief). The kind and the date only, never who was involved."""
    start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
    rows = Concern.objects.filter(
        trust=trust, status=ConcernStatus.CLOSED, policy_change=True, closed_at__gte=start
    ).order_by("closed_at", "pk")
    return [
        (
            timezone.localtime(c.closed_at).date(),
            f"a case ({kind_label(c.kind)}) was closed with a debrief saying the policy should change",
        )
        for c in rows.only("kind", "closed_at")
    ]


# For the governors' report: counts only ----------------------------------------------------------------------------

# Steps a closed or open concern may record, counted (never described) as its outcome.
OUTCOME_STEPS = [
    ("police_referred_on", "Referred to the police"),
    ("advice_sought_on", "External advice sought"),
    ("platform_reported_on", "Reported to the platform"),
]


@dataclass
class ConcernCount:
    school_id: int | None
    kind: str  # the kind's label
    status: str  # the status's label
    n: int
    steps: dict[str, int]  # OUTCOME_STEPS' labels: how many of these concerns took each step


def concern_counts(trust: Trust, school: School | None, start: dt.datetime, end: dt.datetime) -> list[ConcernCount]:
    """Concerns raised between start and end (at one school, or all), counted by school, kind and status. Nothing
    but these grouping columns and counts is ever read from a concern: its outcome is written as text, so the steps
    taken are counted instead of reading it."""
    qs = Concern.objects.filter(trust=trust, created_at__gte=start, created_at__lt=end)
    if school is not None:
        qs = qs.filter(school=school)
    steps = {name: Count("pk", filter=Q(**{f"{name}__isnull": False})) for name, _ in OUTCOME_STEPS}
    kinds, statuses = dict(KIND_CHOICES), dict(ConcernStatus.choices)
    return [
        ConcernCount(
            school_id=row["school_id"],
            kind=str(kinds.get(row["kind"], row["kind"])),
            status=str(statuses.get(row["status"], row["status"])),
            n=row["n"],
            steps={label: row[name] for name, label in OUTCOME_STEPS},
        )
        for row in qs.values("school_id", "kind", "status").annotate(n=Count("pk"), **steps).order_by()
    ]


def open_immediate_count(trust: Trust, school: School | None, before: dt.datetime) -> int:
    """How many concerns raised before then are still open at a level of the trust's scale that means immediate
    risk of harm: a count for the governors' report, which never reads anything else of them."""
    qs = Concern.objects.filter(
        trust=trust,
        created_at__lt=before,
        status=ConcernStatus.OPEN,
        triage_level__in=triage.urgent_keys(trust.policy),
    )
    if school is not None:
        qs = qs.filter(school=school)
    return qs.count()
